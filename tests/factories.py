"""Valid objects in one line. Secrets use a cheap hash: the hashing scheme is tested apart."""

from __future__ import annotations

import itertools
from functools import cache

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from portal.blueprints.people.models import Department, Grade, Property, Role, User
from portal.extensions import db
from portal.sessions import Terminal

PIN = "135790"
PASSWORD = "correct-horse-2026"
_seq = itertools.count(1)


@cache
def cheap_hash(secret: str) -> str:
    return generate_password_hash(secret, method="pbkdf2:sha256:1000")


def property_(code: str = "TST", **kw) -> Property:
    existing = db.session.scalar(select(Property).where(Property.code == code))
    if existing:
        return existing
    prop = Property(
        code=code,
        name_en=kw.pop("name_en", f"Test Hotel {code}"),
        name_zh=kw.pop("name_zh", "测试酒店"),
        **kw,
    )
    db.session.add(prop)
    db.session.flush()
    for position, (dcode, en, zh) in enumerate(
        [
            ("FO", "Front Office", "前厅部"),
            ("HK", "Housekeeping", "客房部"),
            ("HR", "Human Resources", "人力资源部"),
        ]
    ):
        db.session.add(
            Department(property_id=prop.id, code=dcode, name_en=en, name_zh=zh, position=position)
        )
    db.session.flush()
    return prop


def department(prop: Property, code: str = "HK") -> Department:
    return db.session.scalar(
        select(Department).where(Department.property_id == prop.id, Department.code == code)
    )


def person(
    role: str = "employee",
    prop: Property | None = None,
    dept: str = "HK",
    pin: str = PIN,
    password: str = PASSWORD,
    **kw,
) -> User:
    prop = prop or property_()
    n = next(_seq)
    role = Role(role)
    user = User(
        property_id=prop.id,
        department_id=department(prop, dept).id,
        staff_no=kw.pop("staff_no", f"T{n:04d}"),
        username=kw.pop("username", None if role is Role.EMPLOYEE else f"{role.value}{n}"),
        name_en=kw.pop("name_en", f"Test Person {n}"),
        name_zh=kw.pop("name_zh", f"测试员{n}"),
        role=role,
        grade=kw.pop("grade", Grade.JUNIOR),
        pin_hash=cheap_hash(pin),
        password_hash=cheap_hash(password),
        **kw,
    )
    db.session.add(user)
    db.session.flush()
    if role is Role.SUPERVISOR:
        user.supervises = [department(prop, dept)]
        db.session.flush()
    return user


def terminal(prop: Property | None = None, **kw) -> tuple[Terminal, str]:
    from portal import sessions

    prop = prop or property_()
    key, key_hash = sessions.new_terminal_key()
    term = Terminal(
        property_id=prop.id,
        name=kw.pop("name", "Staff room 1"),
        location=kw.pop("location", "B1 staff room"),
        key_hash=key_hash,
        **kw,
    )
    db.session.add(term)
    db.session.flush()
    return term, key


def version_data(title="Guest-room cleaning", steps=3, **kw):
    from portal.blueprints.sops.services import StepData, VersionData

    return VersionData(
        title_en=title,
        title_zh=kw.pop("title_zh", "客房清洁"),
        purpose_en=kw.pop("purpose_en", "Clean rooms the same way every time."),
        purpose_zh=kw.pop("purpose_zh", "每次都以同样的方式清洁客房。"),
        steps=[
            StepData(text_en=f"Step {i} in English", text_zh=f"第{i}步中文")
            for i in range(1, steps + 1)
        ],
        **kw,
    )


def sop(number="HK-001", prop=None, dept="HK", author=None, approver=None, effective=None, **kw):
    """An SOP with version 1.0, approved and in force from `effective` (default: today)."""
    from portal.blueprints.sops import services
    from portal.i18n import local_today

    prop = prop or property_()
    author = author or person("hr", prop=prop, dept="HR")
    approver = approver or person("manager", prop=prop, dept="FO")
    version = services.create_sop(
        property_id=prop.id,
        department_id=department(prop, dept).id,
        number=number,
        data=version_data(**kw),
        author=author,
    )
    if effective is False:
        return version
    services.submit_for_review(version, by=author)
    services.approve(version, approver=approver, effective_date=effective or local_today())
    return version

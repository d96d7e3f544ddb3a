"""People operations. Plain functions: no request, no rendering; they audit and flush."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from portal import audit, sessions
from portal.blueprints.people.models import Department, Property, Role, User
from portal.errors import DomainError
from portal.extensions import db

EDITABLE = (
    "name_en",
    "name_zh",
    "staff_no",
    "department_id",
    "role",
    "grade",
    "username",
    "email",
    "phone",
    "hire_date",
    "locale",
)


@dataclass
class PersonData:
    name_en: str
    name_zh: str
    staff_no: str
    property_id: int
    department_id: int
    role: str
    grade: str
    username: str | None = None
    email: str | None = None
    phone: str | None = None
    hire_date: date | None = None
    locale: str | None = None
    supervises: tuple[int, ...] = ()


def _check_unique(data: PersonData, person_id: int | None) -> None:
    clash = db.session.scalar(
        select(User.id).where(
            User.property_id == data.property_id,
            User.staff_no == data.staff_no,
            User.id != (person_id or 0),
        )
    )
    if clash:
        raise DomainError(
            _("Staff number %(no)s is already used at this property.", no=data.staff_no),
            "staff_no",
        )
    if data.username:
        taken = db.session.scalar(
            select(User.id).where(
                func.lower(User.username) == data.username.lower(), User.id != (person_id or 0)
            )
        )
        if taken:
            raise DomainError(_("This user name is already taken."), "username")


def _check_department(data: PersonData) -> Department:
    department = db.session.get(Department, data.department_id)
    if department is None or department.property_id != data.property_id:
        raise DomainError(_("Choose a department of this property."), "department_id")
    return department


def _supervised(data: PersonData) -> list[Department]:
    if data.role != Role.SUPERVISOR or not data.supervises:
        return []
    departments = list(
        db.session.scalars(
            select(Department).where(
                Department.id.in_(data.supervises), Department.property_id == data.property_id
            )
        )
    )
    if len(departments) != len(set(data.supervises)):
        raise DomainError(_("Choose departments of this property."), "supervises")
    return departments


def _snapshot(person: User) -> dict:
    values = {key: getattr(person, key) for key in EDITABLE}
    values["supervises"] = sorted(d.code for d in person.supervises)
    return values


def create_person(data: PersonData, *, pin: str | None, password: str | None) -> User:
    _check_unique(data, None)
    _check_department(data)
    person = User(
        property_id=data.property_id,
        **{key: getattr(data, key) for key in EDITABLE},
    )
    person.username = data.username or None
    person.locale = data.locale or None
    person.supervises = _supervised(data)
    if Role(data.role).uses_pin:
        person.set_pin(pin or "")
    else:
        person.set_password(password or "")
    db.session.add(person)
    db.session.flush()
    audit.record(
        "person.created",
        person,
        summary=f"staff_no={person.staff_no} role={person.role} grade={person.grade}",
    )
    return person


def update_person(person: User, data: PersonData, *, expected_version: int | None) -> User:
    if expected_version is not None and expected_version != person.version:
        raise DomainError(
            _("Someone else changed this record while you were editing. Reload and try again.")
        )
    _check_unique(data, person.id)
    _check_department(data)
    if Role(data.role).uses_pin and not person.pin_hash:
        raise DomainError(_("Set a PIN for this person before giving them this role."), "role")
    if not Role(data.role).uses_pin and not person.password_hash:
        raise DomainError(_("Set a password for this person before giving them this role."), "role")
    before = _snapshot(person)
    for key in EDITABLE:
        setattr(person, key, getattr(data, key))
    person.username = data.username or None
    person.locale = data.locale or None
    person.supervises = _supervised(data)
    db.session.flush()
    summary = audit.describe_changes(before, _snapshot(person))
    audit.record("person.updated", person, summary=summary or "no change")
    return person


def deactivate_person(person: User, actor: User) -> User:
    if person.id == actor.id:
        raise DomainError(_("You cannot deactivate your own account."))
    if not person.active:
        return person
    person.active = False
    ended = sessions.end_all_sessions(person, "deactivated")
    db.session.flush()
    audit.record("person.deactivated", person, summary=f"sessions ended={ended}")
    return person


def reactivate_person(person: User) -> User:
    if person.active:
        return person
    person.active = True
    person.failed_logins = 0
    person.locked_until = None
    db.session.flush()
    audit.record("person.reactivated", person)
    return person


def reset_secret(person: User, secret: str) -> User:
    """Set a new PIN (employees) or password (others); every open sign-in of theirs ends."""
    kind = "pin" if Role(person.role).uses_pin else "password"
    if kind == "pin":
        person.set_pin(secret)
    else:
        person.set_password(secret)
    person.failed_logins = 0
    person.locked_until = None
    ended = sessions.end_all_sessions(person, "reset")
    db.session.flush()
    audit.record(f"person.{kind}_reset", person, summary=f"sessions ended={ended}")
    return person


# --- queries ----------------------------------------------------------------------------------
SORTS = {
    "name": (User.name_en, User.name_zh),
    "staff_no": (User.staff_no,),
    "department": (Department.position, User.staff_no),
}


def people_query(
    viewer: User,
    *,
    q: str = "",
    department_id: int | None = None,
    status: str = "active",
    property_id: int | None = None,
    sort: str = "staff_no",
):
    query = (
        select(User)
        .outerjoin(Department, User.department_id == Department.id)
        .options(selectinload(User.department), selectinload(User.property))
    )
    if viewer.role != Role.ADMIN:
        query = query.where(User.property_id == viewer.property_id)
    elif property_id:
        query = query.where(User.property_id == property_id)
    if department_id:
        query = query.where(User.department_id == department_id)
    if status == "active":
        query = query.where(User.active.is_(True))
    elif status == "inactive":
        query = query.where(User.active.is_(False))
    if q:
        like = f"%{q.replace('%', '').replace('_', '')}%"
        query = query.where(
            or_(
                User.name_en.ilike(like),
                User.name_zh.like(like),
                User.staff_no.ilike(like),
                User.username.ilike(like),
            )
        )
    return query.order_by(*SORTS.get(sort, SORTS["staff_no"]), User.id)


def get_person(person_id: int) -> User | None:
    return db.session.get(User, person_id, options=[selectinload(User.supervises)])


def list_properties() -> list[Property]:
    return list(db.session.scalars(select(Property).order_by(Property.id)))

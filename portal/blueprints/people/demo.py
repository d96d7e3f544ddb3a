"""Demo group: a hotel and a spa, their departments and about 60 people."""

from __future__ import annotations

from datetime import date, timedelta

import click
from sqlalchemy import select

from portal import audit
from portal.blueprints.people.models import Department, Grade, Property, PropertyKind, Role, User
from portal.extensions import db

DEMO_PASSWORD = "demo-pass-2026"
DEMO_PIN = "246810"

DEPARTMENTS = [
    ("FO", "Front Office", "前厅部"),
    ("HK", "Housekeeping", "客房部"),
    ("FB", "Food & Beverage", "餐饮部"),
    ("SPA", "Spa & Beauty", "水疗美容部"),
    ("FIT", "Fitness & Leisure", "康体部"),
    ("SEC", "Security", "保安部"),
    ("ENG", "Engineering", "工程部"),
    ("HR", "Human Resources", "人力资源部"),
    ("STR", "Stores & Purchasing", "仓储采购部"),
]

SURNAMES = [
    ("王", "Wang"),
    ("李", "Li"),
    ("张", "Zhang"),
    ("刘", "Liu"),
    ("陈", "Chen"),
    ("杨", "Yang"),
    ("黄", "Huang"),
    ("赵", "Zhao"),
    ("吴", "Wu"),
    ("周", "Zhou"),
    ("徐", "Xu"),
    ("孙", "Sun"),
    ("马", "Ma"),
    ("朱", "Zhu"),
    ("胡", "Hu"),
    ("郭", "Guo"),
]
GIVEN = [
    ("伟", "Wei"),
    ("芳", "Fang"),
    ("娜", "Na"),
    ("敏", "Min"),
    ("静", "Jing"),
    ("丽", "Li"),
    ("强", "Qiang"),
    ("磊", "Lei"),
    ("军", "Jun"),
    ("洋", "Yang"),
    ("勇", "Yong"),
    ("艳", "Yan"),
    ("杰", "Jie"),
    ("娟", "Juan"),
    ("涛", "Tao"),
    ("明", "Ming"),
    ("超", "Chao"),
    ("秀英", "Xiuying"),
    ("霞", "Xia"),
    ("平", "Ping"),
]
EXPATS = [
    ("Emily Carter", "艾米莉·卡特"),
    ("Daniel Brooks", "丹尼尔·布鲁克斯"),
    ("Sofia Rossi", "索菲亚·罗西"),
    ("Arjun Mehta", "阿俊·梅塔"),
]

# (username, role, property code, department, grade, English name, Chinese name, staff no)
ACCOUNTS = [
    ("admin", Role.ADMIN, "HTL", "HR", Grade.MANAGER, "Grace Lin", "林雅", "M0001"),
    ("hr", Role.HR, "HTL", "HR", Grade.MANAGER, "Helen Zhou", "周海伦", "M0002"),
    ("manager", Role.MANAGER, "HTL", "FO", Grade.MANAGER, "Michael Tang", "唐明凯", "M0003"),
    ("supervisor", Role.SUPERVISOR, "HTL", "HK", Grade.SUPERVISOR, "Susan Wu", "吴淑珍", "M0004"),
    ("spa.manager", Role.MANAGER, "SPA", "SPA", Grade.MANAGER, "Lily Chen", "陈莉莉", "M0101"),
    (
        "spa.supervisor",
        Role.SUPERVISOR,
        "SPA",
        "SPA",
        Grade.SUPERVISOR,
        "Ivy He",
        "何艾薇",
        "M0102",
    ),
]

HOTEL_DEPTS = ["FO", "HK", "HK", "FB", "FB", "SEC", "ENG", "STR", "FIT", "HK"]
SPA_DEPTS = ["SPA", "SPA", "FIT", "FO", "SPA", "HK"]


def _names(i: int) -> tuple[str, str]:
    if i % 13 == 5:
        return EXPATS[(i // 13) % len(EXPATS)]
    surname = SURNAMES[i % len(SURNAMES)]
    given = GIVEN[(i * 7) % len(GIVEN)]
    return f"{surname[1]} {given[1]}", f"{surname[0]}{given[0]}"


def seed_people() -> bool:
    if db.session.scalar(select(Property.id).where(Property.code == "HTL")):
        return False
    properties = {
        "HTL": Property(
            code="HTL", name_en="Harbour View Hotel", name_zh="海景酒店", kind=PropertyKind.HOTEL
        ),
        "SPA": Property(code="SPA", name_en="Lotus Spa", name_zh="莲韵水疗", kind=PropertyKind.SPA),
    }
    db.session.add_all(properties.values())
    db.session.flush()
    departments: dict[tuple[str, str], Department] = {}
    for prop in properties.values():
        for position, (code, en, zh) in enumerate(DEPARTMENTS):
            dept = Department(
                property_id=prop.id, code=code, name_en=en, name_zh=zh, position=position
            )
            db.session.add(dept)
            departments[(prop.code, code)] = dept
    db.session.flush()

    # Each person's secret is hashed on its own (its own salt), and only the secret of the way
    # they sign in: employees a PIN, everyone else a password.
    start = date(2019, 3, 1)
    people: list[User] = []
    for username, role, prop, dept, grade, en, zh, staff_no in ACCOUNTS:
        person = User(
            property_id=properties[prop].id,
            department_id=departments[(prop, dept)].id,
            staff_no=staff_no,
            username=username,
            name_en=en,
            name_zh=zh,
            role=role,
            grade=grade,
            hire_date=start + timedelta(days=97 * len(people)),
            email=f"{username}@staffroom.example",
        )
        person.set_password(DEMO_PASSWORD)
        people.append(person)
    people[3].supervises = [departments[("HTL", "HK")], departments[("HTL", "FB")]]
    people[5].supervises = [departments[("SPA", "SPA")], departments[("SPA", "FIT")]]
    for i in range(54):
        prop = "HTL" if i < 38 else "SPA"
        depts = HOTEL_DEPTS if prop == "HTL" else SPA_DEPTS
        en, zh = _names(i)
        employee = User(
            property_id=properties[prop].id,
            department_id=departments[(prop, depts[i % len(depts)])].id,
            staff_no=f"E{1001 + i}",
            name_en=en,
            name_zh=zh,
            role=Role.EMPLOYEE,
            grade=Grade.SENIOR if i % 4 == 0 else Grade.JUNIOR,
            hire_date=start + timedelta(days=41 * i),
            phone=f"+86 138 0000 {1001 + i}",
            locale="zh_Hans" if i % 3 == 0 else None,
        )
        employee.set_pin(DEMO_PIN)
        people.append(employee)
    db.session.add_all(people)
    db.session.flush()
    admin = people[0]  # the group admin sets the group up
    audit.record(
        "demo.seeded",
        actor=admin,
        property_id=admin.property_id,
        summary=f"people={len(people)} properties={len(properties)}",
    )
    return True


@click.command("demo-accounts")
def demo_accounts():
    """Print the demo accounts."""
    click.echo("Demo accounts (http://127.0.0.1:5000):")
    for username, role, prop, *_rest in ACCOUNTS:
        click.echo(f"  {username:<15} password {DEMO_PASSWORD}   ({role.value}, {prop})")
    click.echo(f"  E1001 .. E1054  PIN {DEMO_PIN}   (employees; E1039+ at the spa)")

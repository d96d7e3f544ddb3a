"""Demo group: a hotel and a spa, their departments and about 60 people."""

from __future__ import annotations

from datetime import date, timedelta

import click
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from portal import audit
from portal.blueprints.people.models import (
    Department,
    Grade,
    JobTitle,
    Property,
    PropertyKind,
    Role,
    User,
)
from portal.database import utcnow
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

J, S, V, M = Grade.JUNIOR, Grade.SENIOR, Grade.SUPERVISOR, Grade.MANAGER
# The hotel's own positions, department by department: (English, Chinese, grade).
JOB_TITLES = {
    "FO": [
        ("Front desk agent", "前台接待员", J),
        ("Concierge", "礼宾员", J),
        ("Guest relations officer", "宾客关系专员", S),
        ("Front office supervisor", "前厅主管", V),
        ("Front office manager", "前厅经理", M),
    ],
    "HK": [
        ("Room attendant", "客房服务员", J),
        ("Public area attendant", "公区保洁员", J),
        ("Senior room attendant", "高级客房服务员", S),
        ("Housekeeping supervisor", "客房主管", V),
        ("Executive housekeeper", "行政管家", M),
    ],
    "FB": [
        ("Waiter / waitress", "餐厅服务员", J),
        ("Bartender", "调酒师", S),
        ("Restaurant captain", "餐厅领班", S),
        ("Restaurant supervisor", "餐厅主管", V),
        ("Food & beverage manager", "餐饮部经理", M),
    ],
    "SPA": [
        ("Spa therapist", "水疗理疗师", J),
        ("Beauty therapist", "美容师", J),
        ("Senior spa therapist", "高级理疗师", S),
        ("Spa supervisor", "水疗主管", V),
        ("Spa manager", "水疗经理", M),
    ],
    "FIT": [
        ("Fitness attendant", "健身房服务员", J),
        ("Lifeguard", "救生员", J),
        ("Fitness instructor", "健身教练", S),
        ("Recreation supervisor", "康乐主管", V),
    ],
    "SEC": [
        ("Security officer", "保安员", J),
        ("CCTV operator", "监控员", S),
        ("Security supervisor", "保安主管", V),
        ("Security manager", "保安部经理", M),
    ],
    "ENG": [
        ("Maintenance technician", "维修技工", J),
        ("Electrician", "电工", S),
        ("Engineering supervisor", "工程主管", V),
        ("Chief engineer", "总工程师", M),
    ],
    "HR": [
        ("HR assistant", "人事助理", J),
        ("Training officer", "培训专员", S),
        ("HR manager", "人力资源经理", M),
        ("Director of human resources", "人力资源总监", M),
    ],
    "STR": [
        ("Storekeeper", "仓库管理员", J),
        ("Purchasing officer", "采购专员", S),
        ("Stores supervisor", "仓储主管", V),
    ],
}
# A position the hotel no longer hires for; two people still hold it.
RETIRED_TITLE = ("HK", "Linen room attendant", "布草房服务员", J)

# The title each account holds (see ACCOUNTS).
ACCOUNT_TITLES = {
    "admin": "Director of human resources",
    "hr": "HR manager",
    "manager": "Front office manager",
    "supervisor": "Housekeeping supervisor",
    "spa.manager": "Spa manager",
    "spa.supervisor": "Spa supervisor",
}

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
    titles = _seed_job_titles(properties, departments)

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
        person.job_title = titles[(prop, ACCOUNT_TITLES[username])]
        person.job_title.assigned = True
        person.set_password(DEMO_PASSWORD)
        people.append(person)
    people[3].supervises = [departments[("HTL", "HK")], departments[("HTL", "FB")]]
    people[5].supervises = [departments[("SPA", "SPA")], departments[("SPA", "FIT")]]
    for i in range(54):
        prop = "HTL" if i < 38 else "SPA"
        depts = HOTEL_DEPTS if prop == "HTL" else SPA_DEPTS
        en, zh = _names(i)
        dept = depts[i % len(depts)]
        grade = Grade.SENIOR if i % 4 == 0 else Grade.JUNIOR
        employee = User(
            property_id=properties[prop].id,
            department_id=departments[(prop, dept)].id,
            staff_no=f"E{1001 + i}",
            name_en=en,
            name_zh=zh,
            role=Role.EMPLOYEE,
            grade=grade,
            hire_date=start + timedelta(days=41 * i),
            phone=f"+86 138 0000 {1001 + i}",
            locale="zh_Hans" if i % 3 == 0 else None,
        )
        employee.job_title = _title_for(titles, prop, dept, grade, i)
        employee.grade = employee.job_title.grade
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
    _seed_history(people, titles, departments)
    return True


def _as_data(person: User, **changes):
    from portal.blueprints.people.services import PersonData

    data = PersonData(
        name_en=person.name_en,
        name_zh=person.name_zh,
        staff_no=person.staff_no,
        property_id=person.property_id,
        department_id=person.department_id,
        role=person.role,
        username=person.username,
        email=person.email,
        phone=person.phone,
        hire_date=person.hire_date,
        locale=person.locale,
        supervises=tuple(d.id for d in person.supervises),
        job_title_id=person.job_title_id,
    )
    for key, value in changes.items():
        setattr(data, key, value)
    return data


def _seed_history(people: list[User], titles, departments) -> None:
    """What HR did in the first weeks, through the same operations as the pages (so the trail
    shows them): a new position, a promotion, a move to another department, a leaver."""
    from portal.blueprints.people import job_titles, services

    hr = next(p for p in people if p.username == "hr")
    butler = job_titles.create_job_title(
        departments[("HTL", "FO")], job_titles.TitleData("Butler", "管家", Grade.SENIOR), by=hr
    )
    by_staff_no = {p.staff_no: p for p in people}
    promoted = by_staff_no["E1011"]  # front office, junior
    services.update_person(
        promoted,
        _as_data(promoted, job_title_id=butler.id, locale="zh_Hans"),
        expected_version=None,
        by=hr,
    )
    moved = by_staff_no["E1003"]  # housekeeping to the restaurant
    services.update_person(
        moved,
        _as_data(
            moved,
            department_id=departments[("HTL", "FB")].id,
            job_title_id=titles[("HTL", "Waiter / waitress")].id,
            phone="+86 139 0000 1003",
        ),
        expected_version=None,
        by=hr,
    )
    services.deactivate_person(by_staff_no["E1030"], by=hr)


def _seed_job_titles(properties, departments) -> dict[tuple[str, str], JobTitle]:
    """Both properties' positions; keyed (property code, English title)."""
    titles: dict[tuple[str, str], JobTitle] = {}
    for prop in properties:
        entries = [(code, *entry) for code, rows in JOB_TITLES.items() for entry in rows]
        for code, title_en, title_zh, grade in [*entries, RETIRED_TITLE]:
            title = JobTitle(
                property_id=properties[prop].id,
                department_id=departments[(prop, code)].id,
                title_en=title_en,
                title_zh=title_zh,
                grade=grade,
            )
            if (code, title_en) == RETIRED_TITLE[:2]:
                title.retired_at = utcnow() - timedelta(days=120)
            db.session.add(title)
            titles[(prop, title_en)] = title
    db.session.flush()
    return titles


def _title_for(titles, prop: str, dept: str, grade: Grade, i: int) -> JobTitle:
    """An employee's title: one of their department's at their grade (the retired linen-room
    title for two long-serving housekeepers)."""
    if prop == "HTL" and dept == "HK" and i in (1, 2):
        title = titles[(prop, RETIRED_TITLE[1])]
    else:
        fitting = [titles[(prop, en)] for en, _zh, g in JOB_TITLES[dept] if g == grade] or [
            titles[(prop, en)] for en, _zh, _g in JOB_TITLES[dept][:1]
        ]
        title = fitting[i % len(fitting)]
    title.assigned = True
    return title


@click.command("demo-accounts")
@with_appcontext
def demo_accounts():
    """Print the demo accounts: the people module's, and those other modules' demos added."""
    click.echo("Demo accounts (make run prints the addresses to open):")
    listed = {username for username, *_rest in ACCOUNTS}
    for username, role, prop, *_rest in ACCOUNTS:
        click.echo(f"  {username:<15} password {DEMO_PASSWORD}   ({role.value}, {prop})")
    try:
        added = db.session.execute(
            select(User.username, User.role, Property.code)
            .join(Property, Property.id == User.property_id)
            .where(User.username.is_not(None), User.active.is_(True))
            .order_by(Property.code, User.username)
        ).all()
    except SQLAlchemyError:  # no database yet: the people module's own accounts only
        db.session.rollback()
        added = []
    for username, role, prop in added:
        if username not in listed:
            click.echo(f"  {username:<15} password {DEMO_PASSWORD}   ({role}, {prop})")
    click.echo(f"  E1001 .. E1054  PIN {DEMO_PIN}   (employees; E1039+ at the spa)")

"""Demo training at the hotel: programmes of each kind, a quarter of past sessions with
attendance and scores, today's session waiting for its roll call, the next month ahead and one
full session with a waiting list. Written in our own words, in both languages."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from portal.blueprints.people import services as people
from portal.blueprints.people.models import Property, Role, User
from portal.blueprints.training import services
from portal.blueprints.training.models import (
    Cadence,
    Enrolment,
    EnrolmentStatus,
    Kind,
    Mark,
    Method,
    Programme,
    TrainingSession,
)
from portal.database import utcnow
from portal.extensions import db
from portal.i18n import local_today

# (key, English, Chinese, kind, method, cadence, pass mark, cost, departments); who must take it
# is in AUDIENCE, the SOPs a briefing covers in COVERS.
PROGRAMMES = [
    (
        "etiquette",
        "Greeting guests and service manners",
        "迎宾礼仪与服务规范",
        Kind.MONTHLY_SERVICE,
        Method.ROLE_PLAY,
        Cadence.MONTHLY,
        None,
        "1800",
        ("FO", "HK", "FB", "SPA"),
    ),
    (
        "teamwork",
        "Working as one team across departments",
        "跨部门团队协作",
        Kind.QUARTERLY_ALL_STAFF,
        Method.CASE_STUDY,
        Cadence.QUARTERLY,
        None,
        "5000",
        (),
    ),
    (
        "induction",
        "Induction week for new colleagues",
        "新员工入职培训周",
        Kind.INDUCTION,
        Method.CLASSROOM,
        Cadence.ONCE,
        70,
        "4500",
        (),
    ),
    (
        "rooms",
        "Guest-room cleaning skills, advanced",
        "客房清洁技能进阶",
        Kind.SKILL_UPGRADE,
        Method.SIMULATION,
        Cadence.YEARLY,
        75,
        "6000",
        ("HK",),
    ),
    (
        "complaints",
        "Handling complaints calmly",
        "从容处理宾客投诉",
        Kind.SKILL_UPGRADE,
        Method.ROLE_PLAY,
        Cadence.YEARLY,
        70,
        "5500",
        ("FO", "FB"),
    ),
    (
        "extinguisher",
        "Using a fire extinguisher",
        "灭火器的使用",
        Kind.QUARTERLY_ALL_STAFF,
        Method.SIMULATION,
        Cadence.QUARTERLY,
        60,
        "1200",
        (),
    ),
    (
        "first_aid",
        "First aid at work",
        "工作场所急救",
        Kind.SKILL_UPGRADE,
        Method.SIMULATION,
        Cadence.YEARLY,
        70,
        "4800",
        ("FO", "SEC"),
    ),
    (
        "briefing",
        "Briefing: the new towel-change steps",
        "宣讲：更换毛巾的新步骤",
        Kind.SOP_BRIEFING,
        Method.CLASSROOM,
        Cadence.ONCE,
        None,
        "0",
        ("HK",),
    ),
]
EVERYONE = [Role.EMPLOYEE, Role.SUPERVISOR]
AUDIENCE = {
    "etiquette": [Role.EMPLOYEE],
    "teamwork": EVERYONE,
    "induction": EVERYONE,  # of those who join from now on (compliance.py)
    "rooms": [Role.EMPLOYEE],
    "complaints": [Role.EMPLOYEE],
    "extinguisher": EVERYONE,
    "briefing": [],  # assigned by each new version of the SOPs it covers
    "first_aid": EVERYONE,  # of the front office and security: proven by a certificate
}
COVERS = {"briefing": ("HK-001", "HK-004")}
# Set up a season ago, so that a monthly or quarterly programme has had its first period.
PROGRAMMES_ADDED = timedelta(days=120)
NEW_HIRE = ("E1199", "Lin Xiaoyu", "林晓雨", "HK")
ROOMS = ("Training room 1", "Training room 2", "Ballroom B", "Room 1208 (mock-up)")


def _at(day, hour: int, minute: int = 0) -> datetime:
    return services.to_utc(datetime.combine(day, time(hour, minute)), "starts_at")


def _session(prop, programme, trainer, by, starts, ends, room, capacity) -> TrainingSession:
    session = TrainingSession(
        property_id=prop.id,
        programme=programme,
        starts_at=starts,
        ends_at=ends,
        room=room,
        trainer_id=trainer.id,
        capacity=capacity,
        seats_taken=0,
        created_by_id=by.id,
    )
    db.session.add(session)
    db.session.flush()
    return session


def _seat(session, person, by, when) -> Enrolment:
    """A seat taken in the past (the demo's history: no audit of its own)."""
    enrolment = Enrolment(
        session_id=session.id,
        person_id=person.id,
        status=EnrolmentStatus.ENROLLED,
        enrolled_by_id=by.id,
        created_at=when,
        seated_at=when,
    )
    session.seats_taken += 1
    db.session.add(enrolment)
    db.session.flush()
    return enrolment


def seed_training() -> bool:
    hotel = db.session.scalar(select(Property).where(Property.code == "HTL"))
    if hotel is None or db.session.scalar(select(Programme.id).limit(1)):
        return False
    staff = {u.username: u for u in db.session.scalars(people.people_at(hotel.id)) if u.username}
    hr, supervisor = staff["hr"], staff["supervisor"]
    trainers = [hr, supervisor, staff.get("manager", hr)]
    departments = {d.code: d for d in people.property_departments(hotel.id)}
    employees: dict[str, list[User]] = {}
    for person in db.session.scalars(
        people.people_at(hotel.id).where(User.role == Role.EMPLOYEE).order_by(User.staff_no)
    ):
        code = next((c for c, d in departments.items() if d.id == person.department_id), "")
        employees.setdefault(code, []).append(person)
    programmes = {}
    for key, en, zh, kind, method, cadence, mark, cost, codes in PROGRAMMES:
        data = services.ProgrammeData(
            title_en=en,
            title_zh=zh,
            kind=kind,
            method=method,
            cadence=cadence,
            pass_mark=mark,
            cost_per_session=Decimal(cost),
            department_ids=[departments[c].id for c in codes if c in departments],
            roles=AUDIENCE[key],
            sop_ids=_sop_ids(hotel.id, COVERS.get(key, ())),
        )
        programmes[key] = services.create_programme(hotel.id, data, by=hr)
        programmes[key].created_at = utcnow() - PROGRAMMES_ADDED

    hk = employees.get("HK", [])
    fo = employees.get("FO", [])
    others = [p for code, group in employees.items() if code not in ("HK", "FO") for p in group]
    today = local_today()
    now = utcnow()
    marks = [Mark.PRESENT] * 6 + [Mark.LATE, Mark.ABSENT, Mark.EXCUSED]
    # A quarter of history: a session every week, everyone marked, the assessed ones scored.
    plan = [
        "etiquette",
        "rooms",
        "extinguisher",
        "complaints",
        "etiquette",
        "teamwork",
        "briefing",
        "etiquette",
        "induction",
        "extinguisher",
        "etiquette",
        "rooms",
        "teamwork",
    ]
    for week, key in enumerate(plan):
        programme = programmes[key]
        day = today - timedelta(days=91 - 7 * week)
        days = services.MIN_DAYS.get(programme.kind_enum, 1)
        starts, ends = _at(day, 9, 30), _at(day + timedelta(days=days - 1), 12 if days == 1 else 17)
        group = {"rooms": hk, "briefing": hk, "complaints": fo}.get(
            key, hk[:5] + fo[:4] + others[:3]
        )
        if key in ("teamwork", "extinguisher"):  # all staff: half at each of the two sessions,
            everyone = hk + fo + others  # the last few missed it
            group = everyone[::2] if week < 7 else everyone[1::2][:-3]
        session = _session(
            hotel,
            programme,
            trainers[week % 3],
            hr,
            starts,
            ends,
            ROOMS[week % 3],
            max(len(group), 8),
        )
        for n, person in enumerate(group):
            enrolment = _seat(session, person, hr, starts - timedelta(days=10))
            mark = marks[(n + week) % len(marks)]
            services.record_attendance(enrolment, by=supervisor, mark=mark, now=ends)
            if programme.pass_mark is not None and mark in (Mark.PRESENT, Mark.LATE):
                score = 52 + (n * 7 + week * 5) % 47
                services.record_attendance(enrolment, by=supervisor, score=score, now=ends)
        if week == 2 and group:  # a correction: marked absent, then present after all
            first = db.session.scalar(select(Enrolment).where(Enrolment.session_id == session.id))
            services.record_attendance(
                first,
                by=supervisor,
                mark=Mark.PRESENT,
                reason="Arrived through the staff entrance",
                now=ends,
            )
    # Today: a session that began half an hour ago, its roll still to call.
    start = (now - timedelta(minutes=30)).replace(second=0, microsecond=0)
    running = _session(
        hotel,
        programmes["briefing"],
        supervisor,
        hr,
        start,
        start + timedelta(hours=2),
        ROOMS[3],
        12,
    )
    for person in hk[:8]:
        _seat(running, person, hr, start - timedelta(days=3))
    # The next month: sessions people enrol in through the service (seats counted as in use).
    ahead = [
        ("etiquette", 3, 12),
        ("extinguisher", 6, 20),
        ("rooms", 9, 10),
        ("complaints", 14, 10),
        ("teamwork", 18, 30),
        ("etiquette", 24, 12),
        ("induction", 27, 8),
    ]
    for i, (key, offset, capacity) in enumerate(ahead):
        programme = programmes[key]
        day = today + timedelta(days=offset)
        days = services.MIN_DAYS.get(programme.kind_enum, 1)
        session = services.schedule_session(
            hotel.id,
            services.SessionData(
                programme_id=programme.id,
                starts_at=_at(day, 14),
                ends_at=_at(day + timedelta(days=days - 1), 17),
                room=ROOMS[i % 3],
                trainer_id=trainers[i % 3].id,
                capacity=capacity,
            ),
            by=hr,
        )
        for person in (hk + fo)[i : i + capacity // 2]:
            services.enrol(session, person, by=hr)
    # One full session with a waiting list.
    full = services.schedule_session(
        hotel.id,
        services.SessionData(
            programme_id=programmes["complaints"].id,
            starts_at=_at(today + timedelta(days=11), 9),
            ends_at=_at(today + timedelta(days=13), 17),
            room=ROOMS[1],
            trainer_id=hr.id,
            capacity=4,
        ),
        by=hr,
    )
    queue = fo + hk
    for person in queue[:4]:
        services.enrol(full, person, by=person)
    for person in queue[4:6]:
        services.enrol(full, person, by=person, waiting_list=True)
    db.session.flush()
    _assign_briefing(hotel, programmes["briefing"], staff.get("manager", hr))
    _hire(hotel, departments, hr)
    _certify(hotel, programmes["first_aid"], employees, hr)
    return True


def _certify(hotel, first_aid: Programme, employees: dict, hr: User) -> None:
    """First-aid certificates of the front office and security from the city's Red Cross:
    most valid, two running out within 60 days, one expired."""
    from portal.blueprints.training import certificates

    today = local_today()
    # Days since issue of each holder's certificate (valid for a year).
    ages = [40, 330, 120, 380, 200, 345, 90, 10]
    holders = employees.get("FO", [])[:4] + employees.get("SEC", [])[:4]
    for n, (person, age) in enumerate(zip(holders, ages, strict=False)):
        issued = today - timedelta(days=age)
        certificates.record(
            hotel.id,
            certificates.CertificateData(
                staff_no=person.staff_no,
                programme_id=first_aid.id,
                number=f"RC-{issued.year}-{4100 + n}",
                issuer="City Red Cross",
                issued_on=issued,
                expires_on=issued + timedelta(days=365),
            ),
            by=hr,
        )


def _sop_ids(property_id: int, numbers: tuple[str, ...]) -> list[int]:
    if not numbers:
        return []
    from portal.blueprints.sops.models import Sop

    return list(
        db.session.scalars(
            select(Sop.id).where(Sop.property_id == property_id, Sop.number.in_(numbers))
        )
    )


def _assign_briefing(hotel, briefing: Programme, manager: User) -> None:
    """The towel-change version of HK-001 assigned its briefing to housekeeping two months ago,
    due a month ago: the past briefing session fulfilled it for those who came."""
    from portal.blueprints.sops import reading
    from portal.blueprints.sops.models import Sop
    from portal.blueprints.training import assignments
    from portal.blueprints.training.models import Assignment

    sop = db.session.scalar(select(Sop).where(Sop.property_id == hotel.id, Sop.number == "HK-001"))
    version = reading.version_in_force(sop) if sop is not None else None
    if version is None:
        return
    assignments.assign_briefings(db.session.get(type(version), version.id), by=manager)
    today = local_today()
    for row in db.session.scalars(select(Assignment).where(Assignment.programme_id == briefing.id)):
        row.assigned_at = utcnow() - timedelta(days=60)
        row.due_on = today - timedelta(days=30)
    db.session.flush()


def _hire(hotel, departments, hr: User) -> None:
    """A colleague who joined two days ago: the induction was assigned when HR added them."""
    from portal.blueprints.people.demo import DEMO_PIN

    staff_no, en, zh, code = NEW_HIRE
    people.create_person(
        people.PersonData(
            name_en=en,
            name_zh=zh,
            staff_no=staff_no,
            property_id=hotel.id,
            department_id=departments[code].id,
            role=Role.EMPLOYEE,
            hire_date=local_today() - timedelta(days=2),
        ),
        pin=DEMO_PIN,
        by=hr,
    )

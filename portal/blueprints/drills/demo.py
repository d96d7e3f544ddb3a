"""Demo drills at the hotel: fire, intruder, food-safety and public-health plans; two years of
quarterly fire drills on three shifts with evacuation times coming down; corrective actions
(one overdue, one waiting to be verified); an open security incident; the fire plan revised
after a drill and read again by half the staff so far; the intruder plan's evening shift
overdue, the food-safety plan never drilled; the next fire drill on the calendar. Written in
our own words, in both languages (demo_plans.json)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from portal.blueprints.drills import plans
from portal.blueprints.drills.models import (
    ActionStatus,
    CorrectiveAction,
    Drill,
    DrillRole,
    DrillStatus,
    Duty,
    Incident,
    Plan,
    PlanRead,
    RollCall,
    Severity,
)
from portal.blueprints.people import services as people
from portal.blueprints.people.models import Property, Role, User
from portal.database import utcnow
from portal.extensions import db
from portal.i18n import local_day_start, local_today

DATA = Path(__file__).with_name("demo_plans.json")
SHIFT_HOURS = {"morning": 10, "evening": 19, "night": 2}
WEATHER = [
    ("Clear, 18 °C, light wind", "晴，18°C，微风"),
    ("Overcast, 9 °C", "阴，9°C"),
    ("Light rain, 22 °C", "小雨，22°C"),
    ("Hot and humid, 31 °C", "闷热，31°C"),
]


def _sop_ids(property_id: int, numbers) -> list[int]:
    if not numbers:
        return []
    from portal.blueprints.sops.models import Sop

    return list(
        db.session.scalars(
            select(Sop.id).where(Sop.property_id == property_id, Sop.number.in_(numbers))
        )
    )


def _closed_drill(plan, version_id, shift, day, seconds, lead, staff, n) -> Drill:
    start = local_day_start(day) + timedelta(hours=SHIFT_HOURS[shift], minutes=7 * (n % 5))
    on_duty = len(staff)
    taking_part = on_duty - (n % 3)
    guests = 0 if shift == "night" else 40 + (n * 13) % 60
    weather = WEATHER[n % len(WEATHER)][0]
    problems = (
        "Alarm faint in the spa treatment rooms; two guests used the lift."
        if n % 4 == 0
        else "None."
    )
    return Drill(
        property_id=plan.property_id,
        plan_id=plan.id,
        plan_version_id=version_id,
        shift=shift,
        planned_on=day,
        status=DrillStatus.CLOSED,
        alarm_at=start,
        all_clear_at=start + timedelta(seconds=seconds),
        led_by_id=lead.id,
        alert_method="Alarm bells, PA announcement in Chinese and English, floor wardens",
        alarm_audible=n % 4 != 0,
        exits_used="East and west stairs, lobby doors, kitchen yard",
        staff_count=taking_part,
        guest_count=guests,
        visitor_count=n % 7,
        contractor_count=n % 3,
        staff_on_duty=on_duty,
        staff_taking_part=taking_part,
        evacuated_count=taking_part + guests + n % 7 + n % 3,
        special_conditions="Smoke in the east stair (staff told to use the west stair)."
        if n % 2
        else "None.",
        weather=weather,
        problems=problems,
        strengths="Floor wardens swept their floors quickly; the guest list was printed at once.",
        improvements="Spa staff to check the treatment rooms first." if n % 4 == 0 else "",
        closed_at=start + timedelta(hours=2),
        closed_by_id=lead.id,
        created_by_id=lead.id,
        created_at=start - timedelta(days=14),
    )


def seed_drills() -> bool:
    hotel = db.session.scalar(select(Property).where(Property.code == "HTL"))
    if hotel is None or db.session.scalar(select(Plan.id).limit(1)):
        return False
    staff = list(db.session.scalars(people.people_at(hotel.id).order_by(User.staff_no)))
    by_name = {u.username: u for u in staff if u.username}
    lead = by_name.get("manager") or next(u for u in staff if u.role == Role.MANAGER)
    made = {}
    for entry in json.loads(DATA.read_text(encoding="utf-8")):
        data = plans.PlanData(
            code=entry["code"],
            kind=entry["kind"],
            every_months=entry["every_months"],
            shifts=entry["shifts"],
            target_seconds=entry["target_seconds"],
            sop_ids=_sop_ids(hotel.id, entry["sops"]),
            texts={k: v for k, v in entry.items() if k.endswith(("_en", "_zh"))},
        )
        plan = plans.create_plan(hotel.id, data, by=lead)
        plan.created_at = utcnow() - timedelta(days=760)
        for version in plan.versions:
            version.created_at = plan.created_at
        made[plan.code] = plan
    db.session.flush()
    today = local_today()
    fire = made["FIRE-01"]
    fire_version = plans.current_version(fire).id
    shifts = ["morning", "evening", "night"]
    n = 0
    # Eight quarters back: one drill per shift per quarter, times improving from about 6:40 to
    # 4:20; the night shift's newest drill is the oldest of the three, so it is due soon.
    offsets = {"morning": 20, "evening": 45, "night": 75}
    for quarter in range(8, 0, -1):
        for shift in shifts:
            day = today - timedelta(days=(quarter - 1) * 91 + offsets[shift])
            seconds = 250 + quarter * 18 + (n * 7) % 25
            db.session.add(
                _closed_drill(fire, fire_version, shift, day, seconds, lead, staff[:60], n)
            )
            n += 1
    intruder = made["SEC-02"]
    intruder_version = plans.current_version(intruder).id
    # Night shift drilled four months ago; the evening shift's last drill was eight months ago.
    for shift, days in (("night", 120), ("evening", 245)):
        db.session.add(
            _closed_drill(
                intruder, intruder_version, shift, today - timedelta(days=days), 420, lead,
                staff[:25], n,
            )
        )  # fmt: skip
        n += 1
    public = made["PH-01"]
    db.session.add(
        _closed_drill(
            public, plans.current_version(public).id, "morning", today - timedelta(days=150),
            900, lead, staff[:40], n,
        )
    )  # fmt: skip
    # The next fire drill: the morning shift, in ten days.
    upcoming = Drill(
        property_id=hotel.id,
        plan_id=fire.id,
        plan_version_id=fire_version,
        shift="morning",
        planned_on=today + timedelta(days=10),
        created_by_id=lead.id,
    )
    db.session.add(upcoming)
    db.session.flush()
    # The newest fire drill's roll call, for the record.
    newest = db.session.scalar(
        select(Drill).where(Drill.plan_id == fire.id, Drill.status == DrillStatus.CLOSED)
        .order_by(Drill.alarm_at.desc()).limit(1)
    )  # fmt: skip
    for k, person in enumerate(staff[:40]):
        db.session.add(
            RollCall(
                drill_id=newest.id,
                person_id=person.id,
                accounted=True,
                marked_by_id=lead.id,
                marked_at=newest.alarm_at + timedelta(seconds=60 + 5 * k),
            )
        )
    _amendment(newest, lead)
    _roles(upcoming, staff, lead)
    _roles(newest, staff, lead)
    _actions(hotel.id, fire, staff, lead)
    _incident(hotel.id, staff)
    _revised_after_a_drill(fire, staff, lead)
    return True


ROLES = (  # staff number, duty, area
    ("E1001", Duty.FLOOR_WARDEN, "Level 3"),
    ("E1002", Duty.FLOOR_WARDEN, "Levels 4 and 5"),
    ("E1003", Duty.ASSEMBLY_MARSHAL, "Car-park assembly point"),
    ("E1004", Duty.ROLL_CALL, "Housekeeping"),
    ("E1005", Duty.FIRST_AID, "Car-park assembly point"),
    ("E1006", Duty.LIFTS_AND_DOORS, "Lobby"),
    ("E1007", Duty.GUEST_LIAISON, "Lobby and restaurant"),
)


def _roles(drill: Drill, staff, lead) -> None:
    """Who does what at a drill: the demo employee E1001 is a floor warden, so the home page
    shows their duty at the next fire drill."""
    by_number = {u.staff_no: u for u in staff}
    for number, duty, area in ROLES:
        if number in by_number:
            db.session.add(
                DrillRole(
                    drill_id=drill.id,
                    person_id=by_number[number].id,
                    duty=duty,
                    area=area,
                    assigned_by_id=lead.id,
                    assigned_at=(drill.alarm_at or utcnow()) - timedelta(days=3),
                )
            )
    db.session.add(
        DrillRole(
            drill_id=drill.id,
            person_id=lead.id,
            duty=Duty.OBSERVER,
            area="",
            assigned_by_id=lead.id,
            assigned_at=(drill.alarm_at or utcnow()) - timedelta(days=3),
        )
    )


def _amendment(drill: Drill, lead) -> None:
    """The newest fire drill's record, corrected the day after it was closed: two guests
    counted at the second assembly point."""
    from portal.blueprints.drills import amendments

    values = amendments.record_values(drill)
    rows = amendments.amend(
        drill,
        {
            **values,
            "guest_count": values["guest_count"] + 2,
            "evacuated_count": values["evacuated_count"] + 2,
        },
        "Two spa guests were counted at the second assembly point (car park gate).",
        by=lead,
        expected_version=drill.version,
    )
    for row in rows:
        row.at = drill.closed_at + timedelta(days=1)


def _revised_after_a_drill(fire, staff, lead) -> None:
    """Everyone read the fire plan's first version; a month ago it was revised after a drill
    (the spa's faint alarm), and half the staff have read the new version so far."""
    first = plans.current_version(fire)
    entry = next(e for e in json.loads(DATA.read_text(encoding="utf-8")) if e["code"] == "FIRE-01")
    texts = {k: v for k, v in entry.items() if k.endswith(("_en", "_zh"))}
    texts["rescue_en"] += " Spa staff sweep the treatment rooms before leaving."
    texts["rescue_zh"] += "水疗员工撤离前须先逐间检查理疗室。"
    data = plans.PlanData(
        code=fire.code,
        kind=fire.kind,
        every_months=fire.every_months,
        shifts=[s.shift for s in fire.shifts],
        target_seconds=fire.target_seconds,
        sop_ids=[sop.id for sop in fire.sops],
        texts=texts,
        change_note="After the drill: the alarm was faint in the spa; spa staff now sweep the "
        "treatment rooms first.",
    )
    plans.revise_plan(fire, data, by=lead, expected_version=fire.version)
    second = plans.current_version(fire)
    second.created_at = utcnow() - timedelta(days=30)
    for k, person in enumerate(staff):
        db.session.add(
            PlanRead(
                plan_version_id=first.id,
                person_id=person.id,
                read_at=first.created_at + timedelta(days=3 + k % 20),
            )
        )
        if k % 2 == 0:
            db.session.add(
                PlanRead(
                    plan_version_id=second.id,
                    person_id=person.id,
                    read_at=second.created_at + timedelta(days=1 + k % 9),
                )
            )


def _incident(property_id, staff) -> None:
    """One open incident, reported last night by a guest-room attendant."""
    reporter = next((u for u in staff if u.department and u.department.code == "HK"), staff[0])
    at = utcnow() - timedelta(hours=14)
    incident = Incident(
        property_id=property_id,
        occurred_at=at,
        location="Service lift lobby, level 7",
        what="A man without a room key card followed a guest through the service lift door and "
        "asked staff for a room number. He left by the east stair when asked who he was visiting.",
        involved="One guest (room 712), the reporter, an unknown man of about 40 in a grey coat",
        severity=Severity.MEDIUM,
        reported_by_id=reporter.id,
        reported_at=at + timedelta(minutes=20),
    )
    db.session.add(incident)


def _actions(property_id, fire, staff, lead) -> None:
    """Corrective actions from the fire drills: one overdue, one done and waiting to be
    verified, one verified, one due next month."""
    drills = list(
        db.session.scalars(
            select(Drill)
            .where(Drill.plan_id == fire.id, Drill.status == DrillStatus.CLOSED)
            .order_by(Drill.alarm_at.desc())
            .limit(4)
        )
    )
    engineer = next((u for u in staff if u.department and u.department.code == "ENG"), lead)
    spa = next((u for u in staff if u.department and u.department.code == "SPA"), lead)
    today = local_today()
    now = utcnow()
    rows = [
        ("Fit a second sounder in the spa treatment corridor.", engineer, -12, None),
        ("Brief spa staff to sweep the treatment rooms first.", spa, -20, "done"),
        ("Replace the faded exit sign at the west stair, level 3.", engineer, -40, "verified"),
        ("Add the car park to the floor wardens' sweep.", lead, 25, None),
    ]
    for drill, (text, owner, due_in, state) in zip(drills, rows, strict=False):
        action = CorrectiveAction(
            property_id=property_id,
            drill_id=drill.id,
            description=text,
            owner_id=owner.id,
            due_on=today + timedelta(days=due_in),
            created_by_id=lead.id,
            created_at=drill.closed_at,
        )
        if state in ("done", "verified"):
            action.status = ActionStatus.DONE
            action.done_note = "Done as agreed at the debrief."
            action.done_at = now - timedelta(days=abs(due_in) + 2)
            action.done_by_id = owner.id
        if state == "verified":
            action.status = ActionStatus.VERIFIED
            action.verified_at = now - timedelta(days=abs(due_in))
            action.verified_by_id = lead.id if owner.id != lead.id else None
        db.session.add(action)

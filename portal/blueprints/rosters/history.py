"""Housekeeping's history over a period: per attendant the rooms cleaned, the median minutes,
the first-pass rate (rooms that passed their first inspection, of those inspected on the first
attempt) and the re-cleans; the median minutes by room type and need; and the checklist steps
that fail most, each a hint that its SOP needs a briefing.

`first_pass_rates()` is what appraisals read. Counts are aggregated in SQL; medians are taken
over the minutes alone (one number per cleaning), which both engines give as plain rows.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import joinedload

from portal.blueprints.people.models import User
from portal.blueprints.rosters.checklist import checklist_of_version
from portal.blueprints.rosters.models import Assignment, Cleaning, Inspection, Room, RoomType
from portal.extensions import db

MAX_DAYS = 366


@dataclass(frozen=True)
class AttendantFigures:
    person_id: int
    name_en: str
    name_zh: str
    staff_no: str
    cleaned: int
    first_inspected: int  # first attempts that were inspected
    first_passed: int
    recleans: int
    median_minutes: float | None

    @property
    def name(self) -> str:
        from portal.i18n import is_chinese

        return (self.name_zh or self.name_en) if is_chinese() else (self.name_en or self.name_zh)

    @property
    def first_pass_rate(self) -> Decimal | None:
        if not self.first_inspected:
            return None
        return (Decimal(100) * self.first_passed / self.first_inspected).quantize(Decimal("0.1"))


def _period(since: date, until: date):
    return and_(Cleaning.day >= since, Cleaning.day <= until, Cleaning.finished_at.is_not(None))


def first_pass_rates(
    property_id: int, since: date, until: date, person_ids=None
) -> dict[int, tuple[int, int]]:
    """{attendant id: (first attempts passed, first attempts inspected)} over the days (one
    query): the evidence an appraisal shows for the first-pass inspection rate."""
    query = (
        select(
            Cleaning.attendant_id,
            func.sum(case((Inspection.passed.is_(True), 1), else_=0)),
            func.count(Inspection.id),
        )
        .join(Inspection, Inspection.cleaning_id == Cleaning.id)
        .where(
            Cleaning.property_id == property_id,
            _period(since, until),
            Cleaning.reclean.is_(False),
        )
        .group_by(Cleaning.attendant_id)
    )
    if person_ids is not None:
        query = query.where(Cleaning.attendant_id.in_(list(person_ids)))
    return {pid: (int(passed or 0), int(n)) for pid, passed, n in db.session.execute(query)}


def _minutes(started, finished) -> float:
    return max(0.0, (finished - started).total_seconds() / 60)


def by_attendant(property_id: int, since: date, until: date) -> list[AttendantFigures]:
    """Everyone who cleaned in the period, the lowest first-pass rate first (two queries)."""
    counts = db.session.execute(
        select(
            Cleaning.attendant_id,
            User.name_en,
            User.name_zh,
            User.staff_no,
            func.count(Cleaning.id),
            func.sum(case((Cleaning.reclean.is_(True), 1), else_=0)),
        )
        .join(User, User.id == Cleaning.attendant_id)
        .where(Cleaning.property_id == property_id, _period(since, until))
        .group_by(Cleaning.attendant_id, User.name_en, User.name_zh, User.staff_no)
    ).all()
    minutes: dict[int, list[float]] = defaultdict(list)
    for person_id, started, finished in db.session.execute(
        select(Cleaning.attendant_id, Cleaning.started_at, Cleaning.finished_at).where(
            Cleaning.property_id == property_id,
            _period(since, until),
            Cleaning.reclean.is_(False),
        )
    ):
        minutes[person_id].append(_minutes(started, finished))
    rates = first_pass_rates(property_id, since, until)
    rows = []
    for person_id, en, zh, staff_no, cleaned, recleans in counts:
        passed, inspected = rates.get(person_id, (0, 0))
        spent = minutes.get(person_id)
        rows.append(
            AttendantFigures(
                person_id,
                en,
                zh,
                staff_no,
                int(cleaned),
                inspected,
                passed,
                int(recleans or 0),
                round(statistics.median(spent), 1) if spent else None,
            )
        )
    return sorted(
        rows,
        key=lambda r: (r.first_pass_rate is None, r.first_pass_rate or 0, r.name_en),
    )


@dataclass(frozen=True)
class TypeFigures:
    code: str
    name_en: str
    name_zh: str
    occupancy: str
    cleaned: int
    median_minutes: float

    @property
    def name(self) -> str:
        from portal.i18n import is_chinese

        return (self.name_zh or self.name_en) if is_chinese() else (self.name_en or self.name_zh)


def by_room_type(property_id: int, since: date, until: date) -> list[TypeFigures]:
    """Median minutes per room type and what the room needed (one query)."""
    spent: dict[tuple, list[float]] = defaultdict(list)
    rows = db.session.execute(
        select(
            RoomType.code,
            RoomType.name_en,
            RoomType.name_zh,
            Assignment.occupancy,
            Cleaning.started_at,
            Cleaning.finished_at,
        )
        .join(Room, Room.id == Cleaning.room_id)
        .join(RoomType, RoomType.id == Room.room_type_id)
        .join(
            Assignment,
            and_(Assignment.room_id == Cleaning.room_id, Assignment.day == Cleaning.day),
        )
        .where(
            Cleaning.property_id == property_id,
            _period(since, until),
            Cleaning.reclean.is_(False),
        )
    )
    for code, en, zh, occupancy, started, finished in rows:
        spent[(code, en, zh, occupancy)].append(_minutes(started, finished))
    order = {"departure": 0, "stayover": 1, "vacant": 2}
    return sorted(
        (
            TypeFigures(code, en, zh, occupancy, len(values), round(statistics.median(values), 1))
            for (code, en, zh, occupancy), values in spent.items()
        ),
        key=lambda t: (t.code, order.get(t.occupancy, 9)),
    )


@dataclass(frozen=True)
class StepFailures:
    position: int
    text: str
    failures: int
    sop_label: str


def failing_steps(property_id: int, since: date, until: date, top: int = 5) -> list[StepFailures]:
    """The checklist steps that failed most in the period (one query, and one per distinct
    checklist version among them, a handful at most)."""
    rows = db.session.execute(
        select(Inspection.items, Cleaning.sop_version_id)
        .join(Cleaning, Cleaning.id == Inspection.cleaning_id)
        .where(
            Inspection.property_id == property_id,
            Inspection.passed.is_(False),
            _period(since, until),
        )
    )
    tally: Counter = Counter()
    for items, version_id in rows:
        for key, outcome in (items or {}).items():
            if outcome == "fail":
                tally[(version_id, int(key))] += 1
    checklists: dict = {}
    found = []
    for (version_id, position), failures in tally.most_common(top):
        if version_id not in checklists:
            checklists[version_id] = checklist_of_version(version_id)
        checklist = checklists[version_id]
        step = next((s for s in checklist.steps if s.position == position), None)
        found.append(
            StepFailures(position, step.text if step else "", failures, checklist.sop_label)
        )
    return found


def period_of(days: int, today: date) -> tuple[date, date]:
    days = min(max(days, 1), MAX_DAYS)
    return today - timedelta(days=days - 1), today


@dataclass(frozen=True)
class DayReport:
    day: date
    on_roster: int
    cleaned: int
    inspected: int
    failed: int
    recleans: int
    released: dict  # {"self" | "sample" | "skipped": count}
    put_off: dict  # {deferral: count}
    people: list  # AttendantFigures of the day
    found: list  # FoundItem rows found that day
    defects: list  # Defect rows reported that day
    area_rounds: int


def day_report(property_id: int, day: date) -> DayReport:
    """What housekeeping did on one day, for the manager's daily report (a handful of
    queries, whatever the number of rooms)."""
    from portal.blueprints.rosters.models import AreaRound, Defect, FoundItem
    from portal.i18n import local_day_start

    start, end = local_day_start(day), local_day_start(day + timedelta(days=1))
    on_roster, put_off_rows = 0, {}
    for deferral, n in db.session.execute(
        select(Assignment.deferral, func.count())
        .where(Assignment.property_id == property_id, Assignment.day == day)
        .group_by(Assignment.deferral)
    ):
        on_roster += n
        if deferral:
            put_off_rows[deferral] = n
    cleaned, recleans = db.session.execute(
        select(func.count(), func.sum(case((Cleaning.reclean.is_(True), 1), else_=0))).where(
            Cleaning.property_id == property_id, _period(day, day)
        )
    ).one()
    inspected, failed = db.session.execute(
        select(func.count(), func.sum(case((Inspection.passed.is_(False), 1), else_=0)))
        .join(Cleaning, Cleaning.id == Inspection.cleaning_id)
        .where(Cleaning.property_id == property_id, _period(day, day))
    ).one()
    released = dict(
        db.session.execute(
            select(Cleaning.released, func.count())
            .where(
                Cleaning.property_id == property_id,
                _period(day, day),
                Cleaning.released.is_not(None),
            )
            .group_by(Cleaning.released)
        ).all()
    )
    found = list(
        db.session.scalars(
            select(FoundItem)
            .options(joinedload(FoundItem.room))
            .where(
                FoundItem.property_id == property_id,
                FoundItem.found_at >= start,
                FoundItem.found_at < end,
            )
            .order_by(FoundItem.found_at)
        )
    )
    defects = list(
        db.session.scalars(
            select(Defect)
            .options(joinedload(Defect.room))
            .where(
                Defect.property_id == property_id,
                Defect.reported_at >= start,
                Defect.reported_at < end,
            )
            .order_by(Defect.reported_at)
        )
    )
    rounds = db.session.scalar(
        select(func.count())
        .select_from(AreaRound)
        .where(
            AreaRound.property_id == property_id,
            AreaRound.done_at >= start,
            AreaRound.done_at < end,
        )
    )
    return DayReport(
        day,
        on_roster,
        int(cleaned or 0),
        int(inspected or 0),
        int(failed or 0),
        int(recleans or 0),
        released,
        put_off_rows,
        by_attendant(property_id, day, day),
        found,
        defects,
        int(rounds or 0),
    )

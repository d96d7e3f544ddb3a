"""Drills: scheduled by shift, run on a tablet (alarm, roll call, all-clear), then recorded and
closed. Plain functions that take the acting person (`by`), audit and flush; never commit.

Each step of a drill moves its status by one conditional UPDATE (`WHERE status = <the step
before>`), so a double tap or two tablets tapping at once apply the step once and the times stay
the ones the server saw first. A closed record is never changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, bindparam, case, exists, func, select
from sqlalchemy.orm import aliased, joinedload

from portal import audit
from portal.blueprints.drills.models import SHIFT_ORDER, Drill, DrillStatus, Plan, RollCall
from portal.blueprints.drills.permissions import marshal_clause_of, marshal_scope, marshal_shape
from portal.blueprints.drills.plans import current_version
from portal.blueprints.people.models import Department, User
from portal.database import advance, built_once, utcnow
from portal.errors import DomainError, FieldErrors
from portal.extensions import db
from portal.i18n import _local, fmt_date, local_today, localized
from portal.i18n import gettext as _

MAX_COUNT = 100_000  # head counts: a hotel, not a stadium
ROSTER_LIMIT = 2000


class RecordIncomplete(FieldErrors):
    """Closing a record with fire-code fields missing: one message per field."""

    def __init__(self, missing: dict[str, str]):
        super().__init__(missing, _("Fill in the fields marked before closing the record."))
        self.missing = missing


# --- schedule -------------------------------------------------------------------------------
def schedule(plan: Plan, shift: str, planned_on: date, *, by: User) -> Drill:
    if shift not in {s.shift for s in plan.shifts}:
        raise DomainError(_("This plan is not drilled on that shift."), "shift")
    if planned_on < local_today():
        raise DomainError(_("Choose today or a later day."), "planned_on")
    clash = db.session.scalar(
        select(Drill.id).where(
            Drill.plan_id == plan.id,
            Drill.shift == shift,
            Drill.planned_on == planned_on,
            Drill.status != DrillStatus.CLOSED,
        )
    )
    if clash:
        raise DomainError(_("This plan already has a drill on that shift that day."), "planned_on")
    drill = Drill(
        property_id=plan.property_id,
        plan=plan,
        plan_version_id=current_version(plan).id,
        shift=shift,
        planned_on=planned_on,
        created_by_id=by.id,
    )
    db.session.add(drill)
    db.session.flush()
    audit.record(
        "drills.scheduled",
        drill,
        actor=by,
        summary=f"plan={plan.code} shift={shift} planned_on={planned_on.isoformat()}",
    )
    return drill


def get_drill(drill_id: int) -> Drill | None:
    return db.session.get(
        Drill,
        drill_id,
        options=[
            joinedload(Drill.plan),
            joinedload(Drill.plan_version),
            joinedload(Drill.led_by),
            joinedload(Drill.closed_by),
        ],
    )


def upcoming(property_id: int, limit: int = 50) -> list[Drill]:
    """Drills not closed yet, running ones first, then by day."""
    return list(
        db.session.scalars(
            select(Drill)
            .where(Drill.property_id == property_id, Drill.status != DrillStatus.CLOSED)
            .options(joinedload(Drill.plan), joinedload(Drill.plan_version))
            .order_by((Drill.status == DrillStatus.PLANNED), Drill.planned_on, Drill.id)
            .limit(limit)
        )
    )


SHIFT_SORT = case({s.value: n for s, n in SHIFT_ORDER.items()}, value=Drill.shift, else_=9)
CALENDAR_LIMIT = 300  # drills a month or week of the calendar shows (a busy property: 30)


def between(
    property_id: int,
    first: date,
    end: date,
    *,
    plan_id: int | None = None,
    shift: str | None = None,
    limit: int = CALENDAR_LIMIT,
) -> list[Drill]:
    """The property's drills planned on first..end (exclusive), by day and shift (one query)."""
    query = (
        select(Drill)
        .where(
            Drill.property_id == property_id,
            Drill.planned_on >= first,
            Drill.planned_on < end,
        )
        .options(joinedload(Drill.plan), joinedload(Drill.plan_version))
        .order_by(Drill.planned_on, SHIFT_SORT, Drill.id)
        .limit(limit)
    )
    if plan_id:
        query = query.where(Drill.plan_id == plan_id)
    if shift:
        query = query.where(Drill.shift == shift)
    return list(db.session.scalars(query))


def recent(property_id: int, limit: int = 20) -> list[Drill]:
    return list(
        db.session.scalars(
            select(Drill)
            .where(Drill.property_id == property_id, Drill.status == DrillStatus.CLOSED)
            .options(joinedload(Drill.plan), joinedload(Drill.plan_version))
            .order_by(Drill.alarm_at.desc())
            .limit(limit)
        )
    )


# --- the run: one conditional UPDATE per step --------------------------------------------------


def start(drill: Drill, *, by: User, now: datetime | None = None) -> bool:
    """Give the alarm: the server's time is the alarm time. True when this tap started it."""
    now = now or utcnow()
    if drill.status != DrillStatus.PLANNED:
        if drill.status == DrillStatus.RUNNING:
            return False  # a double tap or a second tablet: the first alarm time stands
        raise DomainError(_("This drill has already ended."))
    if drill.planned_on > local_today():
        raise DomainError(
            _(
                "This drill is planned for %(day)s: it can be started on that day.",
                day=fmt_date(drill.planned_on),
            )
        )
    version = current_version(drill.plan)
    if not advance(
        drill,
        DrillStatus.PLANNED,
        version=Drill.version + 1,
        status=DrillStatus.RUNNING,
        alarm_at=now,
        led_by_id=by.id,
        plan_version_id=version.id,
    ):
        return False
    audit.record("drills.started", drill, actor=by, summary=f"alarm_at={now.isoformat()}")
    return True


def all_clear(drill: Drill, *, by: User, now: datetime | None = None) -> bool:
    now = now or utcnow()
    if drill.status != DrillStatus.RUNNING:
        if drill.status in (DrillStatus.ENDED, DrillStatus.CLOSED):
            return False
        raise DomainError(_("Give the alarm first."))
    if now <= drill.alarm_at:
        raise DomainError(_("The all-clear comes after the alarm. Try again in a moment."))
    if not advance(
        drill,
        DrillStatus.RUNNING,
        version=Drill.version + 1,
        status=DrillStatus.ENDED,
        all_clear_at=now,
    ):
        return False
    seconds = int(drill.evacuation_time.total_seconds())
    audit.record(
        "drills.all_clear",
        drill,
        actor=by,
        summary=f"all_clear_at={now.isoformat()} evacuation_seconds={seconds}",
    )
    return True


# --- roll call ----------------------------------------------------------------------------------
def is_newest(row=RollCall):
    """SQL: `row` is its person's newest roll-call row at its drill (no newer one exists). One
    probe of the drill-person-id index per row, whatever the planner knows of the table: a
    grouped "max(id) per person" was planned as a nested loop that grouped again for every
    row while the table's statistics lagged behind a drill's taps (10 ms a count)."""
    newer = aliased(RollCall)
    return ~exists().where(
        newer.drill_id == row.drill_id, newer.person_id == row.person_id, newer.id > row.id
    )


def roll_state(drill: Drill, person_id: int) -> RollCall | None:
    return db.session.scalars(
        select(RollCall)
        .where(RollCall.drill_id == drill.id, RollCall.person_id == person_id)
        .order_by(RollCall.id.desc())
        .limit(1)
    ).first()


def account_for(drill: Drill, person: User, accounted: bool, *, by: User) -> RollCall | None:
    """A tap: the person is accounted for (or not after all). A tap that says what the roll
    already says writes nothing (a double tap, a retried request)."""
    if drill.status not in (DrillStatus.RUNNING, DrillStatus.ENDED):
        raise DomainError(
            _("The roll call opens when the alarm is given.")
            if drill.status == DrillStatus.PLANNED
            else _("This record is closed: the roll call can no longer change.")
        )
    current = roll_state(drill, person.id)
    if (current.accounted if current else False) == accounted:
        return None
    row = RollCall(drill_id=drill.id, person_id=person.id, accounted=accounted, marked_by_id=by.id)
    db.session.add(row)
    db.session.flush()
    audit.record(
        "drills.accounted" if accounted else "drills.unaccounted",
        row,
        actor=by,
        property_id=drill.property_id,
        summary=f"drill={drill.id} person={person.id}",
    )
    return row


@dataclass
class RosterRow:
    person: User
    department: str
    accounted: bool
    marked_at: datetime | None


def roster(drill: Drill, viewer: User, department_id: int | None = None) -> list[RosterRow]:
    """The people the viewer accounts for, by department, with their newest tap (one query)."""
    people = marshal_scope(viewer, drill).subquery()
    person = db.aliased(User, people)
    query = (
        select(person, Department, RollCall.accounted, RollCall.marked_at)
        .outerjoin(Department, Department.id == person.department_id)
        .outerjoin(
            RollCall,
            and_(
                RollCall.drill_id == drill.id,
                RollCall.person_id == person.id,
                is_newest(),
            ),
        )
        .order_by(Department.position, person.name_en, person.id)
        .limit(ROSTER_LIMIT)
    )
    if department_id:
        query = query.where(person.department_id == department_id)
    return [
        RosterRow(p, d.name if d is not None else "", bool(accounted), marked_at)
        for p, d, accounted, marked_at in db.session.execute(query)
    ]


def accounted_count(drill: Drill, viewer: User | None = None) -> tuple[int, int]:
    """(people accounted for, active people) at this drill: of the viewer's roll call (the
    people they account for), or of the whole property. One query, built once per shape."""
    shape, values = marshal_shape(viewer, drill)
    got, people = db.session.execute(
        _accounted_statement(shape), {"roll_drill_id": drill.id, **values}
    ).one()
    return got or 0, people or 0


@built_once
def _accounted_statement(shape: str):
    scope = select(User.id).where(marshal_clause_of(shape))
    accounted = (
        select(func.count())
        .select_from(RollCall)
        .where(
            RollCall.drill_id == bindparam("roll_drill_id"),
            RollCall.accounted.is_(True),
            RollCall.person_id.in_(scope),
            is_newest(),
        )
        .scalar_subquery()
    )
    total = select(func.count()).select_from(scope.subquery()).scalar_subquery()
    return select(accounted, total)


# --- the record -----------------------------------------------------------------------------
RECORD_FIELDS = (
    "alert_method",
    "alarm_audible",
    "exits_used",
    "staff_count",
    "guest_count",
    "visitor_count",
    "contractor_count",
    "staff_on_duty",
    "staff_taking_part",
    "evacuated_count",
    "special_conditions",
    "weather",
    "problems",
    "strengths",
    "improvements",
    "notice_given_on",
)
COUNTS = (
    "staff_count",
    "guest_count",
    "visitor_count",
    "contractor_count",
    "staff_on_duty",
    "staff_taking_part",
    "evacuated_count",
)


def _check_record(drill: Drill, values: dict) -> None:
    for name in COUNTS:
        if not 0 <= values[name] <= MAX_COUNT:
            raise DomainError(_("Give a number from 0 to 100,000."), name)
    present = sum(values[n] for n in ("staff_count", "guest_count", "visitor_count"))
    present += values["contractor_count"]
    if values["evacuated_count"] > present:
        raise DomainError(
            _(
                "More people evacuated than were present (%(present)s): check the head counts.",
                present=present,
            ),
            "evacuated_count",
        )
    if values["staff_taking_part"] > values["staff_on_duty"]:
        raise DomainError(
            _("More staff took part than were on duty."),
            "staff_taking_part",
        )
    notice = values.get("notice_given_on")
    if notice is not None and drill.alarm_at is not None and notice > _local(drill.alarm_at).date():
        raise DomainError(
            _("The fire department is told before the drill, not after."), "notice_given_on"
        )


def save_record(drill: Drill, values: dict, *, by: User, expected_version: int | None) -> Drill:
    """The record after the all-clear: saved as often as needed until it is closed."""
    if drill.status == DrillStatus.CLOSED:
        raise DomainError(_("This record is closed: it can no longer change."))
    if drill.status != DrillStatus.ENDED:
        raise DomainError(_("The record is written after the all-clear."))
    if expected_version is not None and expected_version != drill.version:
        raise DomainError(
            _("Someone else saved this record while you were writing. Reload and try again.")
        )
    _check_record(drill, values)
    before = {name: getattr(drill, name) for name in RECORD_FIELDS}
    for name in RECORD_FIELDS:
        setattr(drill, name, values[name])
    db.session.flush()
    after = {name: getattr(drill, name) for name in RECORD_FIELDS}
    audit.record(
        "drills.record_saved",
        drill,
        actor=by,
        summary=audit.describe_changes(
            {k: str(v) for k, v in before.items()}, {k: str(v) for k, v in after.items()}
        )
        or "no change",
    )
    return drill


def missing_for_close(drill: Drill) -> dict[str, str]:
    """The fire-code fields a record still lacks, each with what to write."""
    return missing_in(RecordValues(drill), drill.plan)


class RecordValues:
    """A drill's record fields read by name (the record as closed, or as amended)."""

    def __init__(self, source):
        self._source = source

    def __getattr__(self, name):
        if isinstance(self._source, dict):
            return self._source[name]
        return getattr(self._source, name)


def missing_in(drill, plan: Plan) -> dict[str, str]:
    """The fire-code fields `drill` (a RecordValues) lacks for `plan`, each with what to
    write."""
    missing = {}
    if not drill.alert_method:
        missing["alert_method"] = _("Say how people were alerted.")
    if drill.alarm_audible is None:
        missing["alarm_audible"] = _("Say whether the alarm was heard everywhere.")
    if not drill.exits_used:
        missing["exits_used"] = _("Name the exits used.")
    if drill.staff_on_duty <= 0:
        missing["staff_on_duty"] = _("Give the number of staff on duty.")
    if drill.evacuated_count <= 0:
        missing["evacuated_count"] = _("Give the number of people evacuated.")
    if not drill.special_conditions:
        missing["special_conditions"] = _("Say what was simulated (or write “none”).")
    if not drill.weather:
        missing["weather"] = _("Describe the weather.")
    if not drill.problems:
        missing["problems"] = _("Say what problems were found (or write “none”).")
    if plan.notice_required and drill.notice_given_on is None:
        missing["notice_given_on"] = _(
            "This plan needs notice to the fire department: give the day."
        )
    return missing


def close(drill: Drill, *, by: User, now: datetime | None = None) -> bool:
    if drill.status == DrillStatus.CLOSED:
        return False
    if drill.status != DrillStatus.ENDED:
        raise DomainError(_("A drill is closed after the all-clear."))
    missing = missing_for_close(drill)
    if missing:
        raise RecordIncomplete(missing)
    now = now or utcnow()
    if not advance(
        drill,
        DrillStatus.ENDED,
        version=Drill.version + 1,
        status=DrillStatus.CLOSED,
        closed_at=now,
        closed_by_id=by.id,
    ):
        return False
    audit.record(
        "drills.closed",
        drill,
        actor=by,
        summary=f"evacuated={drill.evacuated_count} "
        f"evacuation_seconds={int(drill.evacuation_time.total_seconds())}",
    )
    return True


@dataclass(frozen=True)
class DepartmentRoll:
    name_en: str
    name_zh: str
    accounted: int
    people: int

    @property
    def name(self) -> str:
        return localized(self)


def roll_by_department(drill: Drill) -> list[DepartmentRoll]:
    """The roll call per department: people accounted for of the active people (one query)."""
    accounted = (
        select(RollCall.person_id)
        .where(RollCall.drill_id == drill.id, RollCall.accounted.is_(True), is_newest())
        .subquery()
    )
    rows = db.session.execute(
        select(
            Department.name_en,
            Department.name_zh,
            func.count(accounted.c.person_id),
            func.count(User.id),
        )
        .select_from(User)
        .outerjoin(Department, Department.id == User.department_id)
        .outerjoin(accounted, accounted.c.person_id == User.id)
        .where(User.property_id == drill.property_id, User.active.is_(True))
        .group_by(Department.id, Department.name_en, Department.name_zh, Department.position)
        .order_by(Department.position)
    )
    return [DepartmentRoll(en or "", zh or "", a, n) for en, zh, a, n in rows]

"""Who must take which programme, and where each person stands.

A programme is required of a person in two ways, and a certificate can decide the standing:

- by its audience: the roles it names (and, when it names departments, only in those), at its
  cadence; an induction only of those who joined after it was set up (the staff of before were
  inducted before the portal). A completion keeps the person compliant for one period (a
  month, a quarter, a year after the day it ended; "once" for ever). Someone who never took it
  has one period from the day they joined or the programme was added, whichever is later (an
  induction: one week; a programme taken once: 30 days).
- by an assignment (models.Assignment): the induction of a new hire, the briefing of a new SOP
  version. A completion that ends after the assignment fulfils it; until then it is due by the
  assignment's date.
- A certificate (models.Certificate) the person holds for a programme overrides the courses:
  they stand as its newest expiry says (due soon 60 days before, non-compliant once expired).

A completion is a seat in a session that has ended, whose current mark is present or late and,
when the programme has a pass mark, whose score passed it.

The statuses come from one statement for any set of people (a department's matrix, one
person's list), so the matrix, the CSV, the PDF and the home card agree by construction.
"""

from __future__ import annotations

import calendar
import enum
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, bindparam, case, exists, func, literal, or_, select

from portal.blueprints.people import services as people
from portal.blueprints.people.models import User
from portal.blueprints.training.models import (
    ATTENDED,
    Assignment,
    Attendance,
    Cadence,
    Certificate,
    Enrolment,
    EnrolmentStatus,
    Kind,
    Programme,
    ProgrammeRole,
    TrainingSession,
    programme_departments,
)
from portal.blueprints.training.services import zone
from portal.database import built_once, utcnow
from portal.extensions import db
from portal.i18n import lazy_gettext as _l
from portal.i18n import local_today, localized

MONTHS = {Cadence.MONTHLY: 1, Cadence.QUARTERLY: 3, Cadence.YEARLY: 12}
# How long before its date a requirement shows as due soon.
WARNING_DAYS = {Cadence.ONCE: 7, Cadence.MONTHLY: 7, Cadence.QUARTERLY: 14, Cadence.YEARLY: 30}
CERTIFICATE_WARNING_DAYS = 60  # people and their managers see what expires in 60 days
INDUCTION_DAYS = 7  # a new hire is inducted in their first week, before working alone
FIRST_TIME_DAYS = 30  # a programme taken once, by someone who joined after it was added


class Status(enum.StrEnum):
    DONE = "done"
    DUE = "due"  # not taken yet, its date is still ahead
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"  # taken before, no longer valid
    NEVER = "never"  # never taken, its date has passed

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])

    @property
    def compliant(self) -> bool:
        return self not in (Status.OVERDUE, Status.NEVER)


STATUS_LABELS = {
    Status.DONE: _l("Done"),
    Status.DUE: _l("To take"),
    Status.DUE_SOON: _l("Due soon"),
    Status.OVERDUE: _l("Overdue"),
    Status.NEVER: _l("Never taken"),
}
# The icon and colour of each status (a word beside them always: colour never alone).
STATUS_ICONS = {
    Status.DONE: ("check-circle-fill", "success"),
    Status.DUE: ("calendar-event", "secondary"),
    Status.DUE_SOON: ("hourglass-split", "warning"),
    Status.OVERDUE: ("exclamation-triangle-fill", "danger"),
    Status.NEVER: ("x-circle-fill", "danger"),
}
# Worst first: a cell required twice (audience and assignment) shows the worse of the two.
RANK = {Status.DONE: 0, Status.DUE: 1, Status.DUE_SOON: 2, Status.OVERDUE: 3, Status.NEVER: 4}
SHOWN_ORDER = (Status.NEVER, Status.OVERDUE, Status.DUE_SOON, Status.DUE, Status.DONE)


@dataclass(frozen=True)
class Cell:
    status: Status
    due_on: date | None  # valid until (done), due by (otherwise); None: done for good
    last_done: date | None


@dataclass(frozen=True)
class Column:
    id: int
    title_en: str
    title_zh: str
    kind: str
    cadence: str

    @property
    def title(self) -> str:
        return localized(self, "title")


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


def _standing(due: date, today: date, warning: int, *, taken: bool) -> Status:
    if today > due:
        return Status.OVERDUE if taken else Status.NEVER
    if today >= due - timedelta(days=warning):
        return Status.DUE_SOON
    return Status.DONE if taken else Status.DUE


def cell_of(
    *,
    kind: str,
    cadence: str,
    required: bool,
    starts_on: date,
    last_done: date | None,
    assigned_due: date | None,
    today: date,
    certified_until: date | None = None,
) -> Cell:
    """The standing of one person in one programme (see the module's docstring)."""
    cadence = Cadence(cadence)
    warning = WARNING_DAYS[cadence]
    found: list[Cell] = []
    if required and certified_until is not None:  # the certificate decides, not the courses
        status = _standing(certified_until, today, CERTIFICATE_WARNING_DAYS, taken=True)
        found.append(Cell(status, certified_until, last_done))
    elif required:
        if last_done is not None and cadence is Cadence.ONCE:
            found.append(Cell(Status.DONE, None, last_done))
        elif last_done is not None:
            due = add_months(last_done, MONTHS[cadence])
            found.append(Cell(_standing(due, today, warning, taken=True), due, last_done))
        else:
            if kind == Kind.INDUCTION:
                due = starts_on + timedelta(days=INDUCTION_DAYS)
            elif cadence is Cadence.ONCE:
                due = starts_on + timedelta(days=FIRST_TIME_DAYS)
            else:
                due = add_months(starts_on, MONTHS[cadence])
            found.append(Cell(_standing(due, today, warning, taken=False), due, None))
    if assigned_due is not None:  # an assignment not fulfilled yet
        status = _standing(assigned_due, today, warning, taken=False)
        if status is Status.NEVER and last_done is not None:
            status = Status.OVERDUE
        found.append(Cell(status, assigned_due, last_done))
    if not found:  # assigned once and fulfilled
        return Cell(Status.DONE, None, last_done)
    return max(found, key=lambda c: (RANK[c.status], -(c.due_on or date.max).toordinal()))


# --- the statement ------------------------------------------------------------------------------
def completions(person_ids):
    """SQL: (person_id, programme_id, last) the end of each person's newest completion."""
    newer = Attendance.__table__.alias("newer")
    corrected = exists().where(newer.c.corrects_id == Attendance.id)
    return (
        select(
            Enrolment.person_id.label("person_id"),
            TrainingSession.programme_id.label("programme_id"),
            func.max(TrainingSession.ends_at).label("last"),
        )
        .join(TrainingSession, TrainingSession.id == Enrolment.session_id)
        .join(Programme, Programme.id == TrainingSession.programme_id)
        .join(Attendance, Attendance.enrolment_id == Enrolment.id)
        .where(
            ~corrected,
            Enrolment.person_id.in_(person_ids),
            Enrolment.status == EnrolmentStatus.ENROLLED,
            TrainingSession.ends_at <= bindparam("now"),
            Attendance.mark.in_([str(m) for m in ATTENDED]),
            or_(Attendance.passed.is_(True), Programme.pass_mark.is_(None)),
        )
        .group_by(Enrolment.person_id, TrainingSession.programme_id)
    )


def _in_audience(person, programme):
    """SQL: the programme's audience names the person (a role, and a department if any)."""
    role = exists().where(
        ProgrammeRole.programme_id == programme.c.id, ProgrammeRole.role == person.c.role
    )
    departments = programme_departments.c
    anywhere = ~exists().where(departments.programme_id == programme.c.id)
    here = exists().where(
        departments.programme_id == programme.c.id,
        departments.department_id == person.c.department_id,
    )
    return and_(role, or_(anywhere, here))


@built_once
def _requirements_statement(shape: str, one_department: bool):
    """(person_id, programme_id, required by the audience, last completion, earliest open
    assignment's date, ever assigned, newest certificate's expiry) for every pair of a person
    in scope and a programme required of them."""
    who = [
        User.property_id == bindparam("property_id"),
        User.active.is_(True),
        people.scope_clause_of(shape),
    ]
    if one_department:
        who.append(User.department_id == bindparam("department_id"))
    person = select(User.id, User.role, User.department_id).where(*who).cte("person")
    programme = (
        select(Programme.id)
        .where(Programme.property_id == bindparam("property_id"))
        .cte("programme")
    )
    done = completions(select(person.c.id)).cte("done")
    assigned_done = done.alias("assigned_done")
    is_open = or_(assigned_done.c.last.is_(None), assigned_done.c.last <= Assignment.assigned_at)
    assigned = (
        select(
            Assignment.person_id.label("person_id"),
            Assignment.programme_id.label("programme_id"),
            func.min(case((is_open, Assignment.due_on))).label("due_on"),
        )
        .outerjoin(
            assigned_done,
            and_(
                assigned_done.c.person_id == Assignment.person_id,
                assigned_done.c.programme_id == Assignment.programme_id,
            ),
        )
        .where(Assignment.person_id.in_(select(person.c.id)))
        .group_by(Assignment.person_id, Assignment.programme_id)
        .cte("assigned")
    )
    certified = (
        select(
            Certificate.person_id.label("person_id"),
            Certificate.programme_id.label("programme_id"),
            func.max(Certificate.expires_on).label("until"),
        )
        .where(Certificate.person_id.in_(select(person.c.id)))
        .group_by(Certificate.person_id, Certificate.programme_id)
        .cte("certified")
    )
    required = _in_audience(person, programme)
    return (
        select(
            person.c.id,
            programme.c.id,
            case((required, literal(True)), else_=literal(False)),
            done.c.last,
            assigned.c.due_on,
            assigned.c.programme_id.is_not(None),
            certified.c.until,
        )
        .select_from(person)
        .join(programme, literal(True))
        .outerjoin(
            done, and_(done.c.person_id == person.c.id, done.c.programme_id == programme.c.id)
        )
        .outerjoin(
            assigned,
            and_(assigned.c.person_id == person.c.id, assigned.c.programme_id == programme.c.id),
        )
        .outerjoin(
            certified,
            and_(certified.c.person_id == person.c.id, certified.c.programme_id == programme.c.id),
        )
        .where(or_(required, assigned.c.programme_id.is_not(None)))
    )


@dataclass(frozen=True)
class _Programme:
    column: Column
    added_on: date


def _programmes(property_id: int, tz) -> dict[int, _Programme]:
    rows = db.session.execute(
        select(
            Programme.id,
            Programme.title_en,
            Programme.title_zh,
            Programme.kind,
            Programme.cadence,
            Programme.created_at,
        ).where(Programme.property_id == property_id)
    )
    return {row[0]: _Programme(Column(*row[:5]), row[5].astimezone(tz).date()) for row in rows}


def standings(
    viewer: User, *, department_id: int | None = None, person: User | None = None
) -> dict[tuple[int, int], Cell]:
    """{(person id, programme id): Cell} for the active people of the viewer's property in
    their scope (of one department; or only `person`, who must be in scope)."""
    if person is not None:
        joined = {person.id: _joined(person, zone())}
    else:
        joined = {p.id: p.joined_on for p in _people(viewer, department_id)}
    return _standings(viewer, joined, department_id=department_id, person=person)[0]


def _joined(person, tz) -> date:
    return person.hire_date or person.created_at.astimezone(tz).date()


def _standings(
    viewer: User,
    joined: dict[int, date],
    *,
    department_id: int | None = None,
    person: User | None = None,
) -> tuple[dict[tuple[int, int], Cell], list[Column]]:
    """The standings of the people in `joined` ({id: the day they joined}) and the programmes
    they name, in the order pages list them (two queries)."""
    if person is not None:
        shape, params = "self", {"scope_person_id": person.id}
        if viewer.id != person.id and not people.in_scope(viewer, person):
            return {}, []
    else:
        shape, params = people.scope_shape(viewer)
    params |= {"property_id": viewer.property_id, "now": utcnow()}
    if department_id:
        params["department_id"] = department_id
    tz = zone()
    programmes = _programmes(viewer.property_id, tz)
    rows = db.session.execute(_requirements_statement(shape, bool(department_id)), params).all()
    today = local_today()
    cells = {}
    named = set()
    worked: dict[tuple, Cell] = {}  # many people share a standing: work each out once
    for pid, gid, required, last, due, assigned, certified_until in rows:
        programme, joined_on = programmes.get(gid), joined.get(pid)
        if programme is None or joined_on is None:
            continue  # added or joined between the two queries
        kind, added_on = programme.column.kind, programme.added_on
        if kind == Kind.INDUCTION and joined_on < added_on:
            required = False  # an induction is for those who join after it was set up
            if not assigned:
                continue
        last_done = None if last is None else last.astimezone(tz).date()
        starts_on = joined_on if joined_on > added_on else added_on
        key = (gid, bool(required), starts_on, last_done, due, certified_until)
        cell = worked.get(key)
        if cell is None:
            cell = worked[key] = cell_of(
                kind=kind,
                cadence=programme.column.cadence,
                required=key[1],
                starts_on=key[2],
                last_done=last_done,
                assigned_due=due,
                today=today,
                certified_until=certified_until,
            )
        cells[pid, gid] = cell
        named.add(gid)
    columns = [programmes[gid].column for gid in named]
    return cells, sorted(columns, key=lambda c: (c.kind, c.title_en, c.id))


# --- what the pages show ------------------------------------------------------------------------
@dataclass(frozen=True)
class Person:
    id: int
    staff_no: str
    name_en: str
    name_zh: str
    department_id: int | None
    joined_on: date

    @property
    def name(self) -> str:
        return localized(self)


@dataclass
class Tally:
    """How many cells of a column (or people of a department) stand where."""

    counts: Counter = field(default_factory=Counter)

    def add(self, status: Status) -> None:
        self.counts[status] += 1

    @property
    def required(self) -> int:
        return sum(self.counts.values())

    @property
    def behind(self) -> int:
        return self.counts[Status.OVERDUE] + self.counts[Status.NEVER]

    @property
    def percent(self) -> int | None:
        """Compliant share of the required cells, rounded down (100 only when all are)."""
        if not self.required:
            return None
        return (self.required - self.behind) * 100 // self.required


@dataclass
class DepartmentLine:
    department_id: int | None
    people: int = 0
    behind_people: int = 0
    tally: Tally = field(default_factory=Tally)


@dataclass
class Matrix:
    columns: list[Column]
    people: list[Person]
    cells: dict[tuple[int, int], Cell]
    by_column: dict[int, Tally]
    by_department: list[DepartmentLine]
    total: Tally

    def cell(self, person_id: int, column_id: int) -> Cell | None:
        return self.cells.get((person_id, column_id))

    def row(self, person: Person) -> list[Cell | None]:
        return [self.cells.get((person.id, c.id)) for c in self.columns]

    def behind(self, person: Person) -> int:
        return sum(1 for c in self.row(person) if c is not None and not c.status.compliant)


def _people(viewer: User, department_id: int | None) -> list[Person]:
    """The active people of the viewer's property in their scope (of one department)."""
    query = (
        people.people_in_scope(viewer)
        .where(User.property_id == viewer.property_id)
        .with_only_columns(
            User.id,
            User.staff_no,
            User.name_en,
            User.name_zh,
            User.department_id,
            User.hire_date,
            User.created_at,
        )
        .order_by(User.department_id, User.staff_no, User.id)
    )
    if department_id:
        query = query.where(User.department_id == department_id)
    tz = zone()
    return [
        Person(*row[:5], row[5] or row[6].astimezone(tz).date())
        for row in db.session.execute(query)
    ]


def matrix(viewer: User, *, department_id: int | None = None) -> Matrix:
    """People x required programmes of the viewer's scope (one department or all), with the
    counts per programme and per department (three queries)."""
    persons = _people(viewer, department_id)
    joined = {p.id: p.joined_on for p in persons}
    cells, columns = _standings(viewer, joined, department_id=department_id)
    by_column = {c.id: Tally() for c in columns}
    lines: dict[int | None, DepartmentLine] = {}
    total = Tally()
    for person in persons:
        line = lines.setdefault(person.department_id, DepartmentLine(person.department_id))
        line.people += 1
        behind = False
        for column in columns:
            cell = cells.get((person.id, column.id))
            if cell is None:
                continue
            by_column[column.id].add(cell.status)
            line.tally.add(cell.status)
            total.add(cell.status)
            behind = behind or not cell.status.compliant
        line.behind_people += behind
    # The rows: those of whom something is required (a department's line counts everyone).
    required_of = {pid for pid, _gid in cells}
    rows = [p for p in persons if p.id in required_of]
    return Matrix(columns, rows, cells, by_column, list(lines.values()), total)


@dataclass(frozen=True)
class ToTake:
    programme: Column
    cell: Cell


def still_to_take(person: User) -> list[ToTake]:
    """What a person must still take, the most urgent first (never taken and overdue, then by
    date), in two queries."""
    found, columns = _standings(person, {person.id: _joined(person, zone())}, person=person)
    cells = {gid: cell for (_pid, gid), cell in found.items()}
    items = [ToTake(c, cells[c.id]) for c in columns if cells[c.id].status is not Status.DONE]
    return sorted(
        items,
        key=lambda t: (-RANK[t.cell.status], t.cell.due_on or date.max, t.programme.title_en),
    )

"""Training operations: plain functions that take the acting person (`by`), enforce the rules,
audit and flush; they never commit, never read the request.

Seats: one conditional UPDATE decides who gets the last one (`seats_taken < capacity`); a
cancellation locks the session row and hands its seat to the first on the waiting list in the
same transaction. Attendance: a change is a new row pointing at the row it corrects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.orm import joinedload

from portal import audit
from portal.blueprints.people import services as people
from portal.blueprints.people.models import Department, Role, User
from portal.blueprints.training.models import (
    ATTENDED,
    MIN_DAYS,
    Attendance,
    Cadence,
    Enrolment,
    EnrolmentStatus,
    Kind,
    Mark,
    Method,
    Programme,
    ProgrammeRole,
    TrainingSession,
    programme_departments,
)
from portal.database import advisory_lock, utcnow
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l
from portal.i18n import local_day_start, select_timezone, to_local
from portal.i18n import to_utc as to_utc  # the views and demo read it as services.to_utc

MAX_CAPACITY = 200
# Self check-in on a staff-room terminal: from this long before the start until the end; after
# LATE_AFTER from the start it counts as late.
CHECK_IN_OPENS = timedelta(minutes=15)
LATE_AFTER = timedelta(minutes=10)
# Attendance may be taken from this long before a session starts (people arrive early).
MARKING_OPENS = timedelta(hours=1)
ROSTER_LIMIT = 400  # seats (at most MAX_CAPACITY) and the head of the waiting list


# --- local time -----------------------------------------------------------------------------
def zone() -> ZoneInfo:
    return ZoneInfo(select_timezone())


def days_spanned(starts_at: datetime, ends_at: datetime) -> int:
    """The local calendar days a session covers (an end at midnight belongs to the day before)."""
    first = to_local(starts_at).date()
    last = to_local(ends_at - timedelta(microseconds=1)).date()
    return (last - first).days + 1


# --- programmes -----------------------------------------------------------------------------
@dataclass
class ProgrammeData:
    title_en: str
    title_zh: str
    kind: str
    method: str
    cadence: str
    pass_mark: int | None = None
    cost_per_session: Decimal = Decimal("0")
    department_ids: list[int] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    sop_ids: list[int] = field(default_factory=list)


def _covered_sops(data: ProgrammeData, property_id: int) -> list:
    from portal.blueprints.sops.models import Sop

    wanted = set(data.sop_ids)
    if not wanted:
        return []
    found = list(
        db.session.scalars(
            select(Sop)
            .where(Sop.id.in_(wanted), Sop.property_id == property_id)
            .order_by(Sop.number)
        )
    )
    if len(found) != len(wanted):
        raise DomainError(_("Choose SOPs of this property."), "sop_ids")
    return found


def _check_programme(data: ProgrammeData, property_id: int) -> list[Department]:
    if not (data.title_en or data.title_zh):
        raise DomainError(_("Give the programme a title in English or Chinese."), "title_en")
    if data.kind not in set(Kind):
        raise DomainError(_("Choose a type of training."), "kind")
    if data.method not in set(Method):
        raise DomainError(_("Choose a method."), "method")
    if data.cadence not in set(Cadence):
        raise DomainError(_("Choose how often it is taken."), "cadence")
    if data.pass_mark is not None and not 0 <= data.pass_mark <= 100:
        raise DomainError(_("A pass mark is between 0 and 100."), "pass_mark")
    if data.cost_per_session < 0:
        raise DomainError(_("A cost cannot be negative."), "cost_per_session")
    if any(role not in set(Role) for role in data.roles):
        raise DomainError(_("Choose roles of the portal."), "roles")
    wanted = set(data.department_ids)
    departments = [d for d in people.property_departments(property_id) if d.id in wanted]
    if len(departments) != len(wanted):
        raise DomainError(_("Choose departments of this property."), "department_ids")
    return departments


def _apply(
    programme: Programme, data: ProgrammeData, departments: list[Department], sops: list
) -> None:
    for key in ("title_en", "title_zh", "kind", "method", "cadence", "pass_mark"):
        setattr(programme, key, getattr(data, key))
    programme.cost_per_session = data.cost_per_session
    programme.departments = departments
    programme.sops = sops
    kept = {r.role: r for r in programme.roles}
    programme.roles = [
        kept.get(role) or ProgrammeRole(role=role) for role in sorted(set(data.roles))
    ]


def _programme_snapshot(programme: Programme) -> dict:
    return {
        "title_en": programme.title_en,
        "title_zh": programme.title_zh,
        "kind": programme.kind,
        "method": programme.method,
        "cadence": programme.cadence,
        "pass_mark": programme.pass_mark,
        "cost": str(programme.cost_per_session),
        "departments": sorted(d.code for d in programme.departments),
        "roles": programme.role_names,
        "sops": [sop.number for sop in programme.sops],
    }


def create_programme(property_id: int, data: ProgrammeData, *, by: User) -> Programme:
    departments = _check_programme(data, property_id)
    sops = _covered_sops(data, property_id)
    programme = Programme(property_id=property_id, created_by_id=by.id)
    _apply(programme, data, departments, sops)
    db.session.add(programme)
    db.session.flush()
    audit.record(
        "training.programme_created",
        programme,
        actor=by,
        summary=f"kind={programme.kind} cadence={programme.cadence} "
        f"pass_mark={programme.pass_mark if programme.pass_mark is not None else '-'}",
    )
    return programme


def update_programme(
    programme: Programme, data: ProgrammeData, *, by: User, expected_version: int | None
) -> Programme:
    if expected_version is not None and expected_version != programme.version:
        raise DomainError(
            _("Someone else changed this programme while you were editing. Reload and try again.")
        )
    departments = _check_programme(data, programme.property_id)
    sops = _covered_sops(data, programme.property_id)
    before = _programme_snapshot(programme)
    _apply(programme, data, departments, sops)
    db.session.flush()
    summary = audit.describe_changes(before, _programme_snapshot(programme))
    audit.record("training.programme_changed", programme, actor=by, summary=summary or "no change")
    return programme


def list_programmes(property_id: int) -> list[Programme]:
    """A property's programmes (a short list kept by HR), with what their rows show."""
    return list(
        db.session.scalars(
            select(Programme)
            .where(Programme.property_id == property_id)
            .options(
                joinedload(Programme.departments),
                joinedload(Programme.roles),
                joinedload(Programme.sops),
            )
            .order_by(Programme.kind, Programme.title_en, Programme.id)
        ).unique()
    )


# --- sessions -------------------------------------------------------------------------------
@dataclass
class SessionData:
    programme_id: int
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC
    room: str
    trainer_id: int
    capacity: int


def trainers_for(property_id: int) -> list[User]:
    """Who may run a session: the active people of the property (the people service's list)."""
    return list(
        db.session.scalars(
            people.people_at(property_id).order_by(User.name_en, User.name_zh, User.id)
        )
    )


def _check_session(data: SessionData, property_id: int, session_id: int | None) -> Programme:
    programme = db.session.get(Programme, data.programme_id)
    if programme is None or programme.property_id != property_id:
        raise DomainError(_("Choose a programme of this property."), "programme_id")
    if data.ends_at <= data.starts_at:
        raise DomainError(_("The end must be after the start."), "ends_at")
    days = MIN_DAYS.get(programme.kind_enum)
    if days and days_spanned(data.starts_at, data.ends_at) < days:
        raise DomainError(
            _(
                "%(kind)s lasts at least %(days)s days: the session must cover %(days)s "
                "calendar days.",
                kind=programme.kind_enum.label,
                days=days,
            ),
            "ends_at",
        )
    if not 1 <= data.capacity <= MAX_CAPACITY:
        raise DomainError(
            _("A session has between 1 and %(max)s seats.", max=MAX_CAPACITY), "capacity"
        )
    room = (data.room or "").strip()
    if not room:
        raise DomainError(_("Say where it takes place."), "room")
    trainer = people.get_people([data.trainer_id]).get(data.trainer_id)
    if trainer is None or trainer.property_id != property_id or not trainer.active:
        raise DomainError(_("Choose a trainer who works at this property."), "trainer_id")
    # Two people scheduling at once: the second waits and sees the first one's session.
    advisory_lock(f"training_sessions:{property_id}")
    clash = db.session.execute(
        select(TrainingSession, Programme)
        .join(Programme, Programme.id == TrainingSession.programme_id)
        .where(
            TrainingSession.property_id == property_id,
            TrainingSession.id != (session_id or 0),
            TrainingSession.starts_at < data.ends_at,
            TrainingSession.ends_at > data.starts_at,
            or_(
                TrainingSession.trainer_id == data.trainer_id,
                func.lower(TrainingSession.room) == room.lower(),
            ),
        )
        .order_by(TrainingSession.starts_at)
        .limit(1)
    ).first()
    if clash is not None:
        other, other_programme = clash
        from portal.i18n import fmt_datetime

        when = f"{fmt_datetime(other.starts_at)} – {fmt_datetime(other.ends_at)}"
        if other.trainer_id == data.trainer_id:
            raise DomainError(
                _(
                    "%(name)s is already training “%(title)s” then (%(when)s). Choose "
                    "another time or trainer.",
                    name=trainer.name,
                    title=other_programme.title,
                    when=when,
                ),
                "trainer_id",
            )
        raise DomainError(
            _(
                "%(room)s is taken by “%(title)s” then (%(when)s). Choose another room or time.",
                room=other.room,
                title=other_programme.title,
                when=when,
            ),
            "room",
        )
    return programme


def _session_summary(session: TrainingSession) -> str:
    return (
        f"programme={session.programme_id} starts={session.starts_at.isoformat()} "
        f"ends={session.ends_at.isoformat()} room={session.room} trainer={session.trainer_id} "
        f"capacity={session.capacity}"
    )


def schedule_session(property_id: int, data: SessionData, *, by: User) -> TrainingSession:
    programme = _check_session(data, property_id, None)
    session = TrainingSession(
        property_id=property_id,
        programme=programme,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        room=data.room.strip(),
        trainer_id=data.trainer_id,
        capacity=data.capacity,
        seats_taken=0,
        created_by_id=by.id,
    )
    db.session.add(session)
    db.session.flush()
    audit.record("training.session_scheduled", session, actor=by, summary=_session_summary(session))
    return session


SESSION_CHANGED = _l(
    "Someone else changed this session while you were editing. Reload and try again."
)


def update_session(
    session: TrainingSession, data: SessionData, *, by: User, expected_version: int | None = None
) -> TrainingSession:
    """Save an edit of the session read at `expected_version` (None: as it is now)."""
    programme = _check_session(data, session.property_id, session.id)
    expected = session.version if expected_version is None else expected_version
    # The capacity and the version change by one conditional statement: never below the
    # seats taken, even when someone enrols while this form is saved, and never over an edit
    # saved since the form was read.
    changed = db.session.execute(
        update(TrainingSession)
        .where(
            TrainingSession.id == session.id,
            TrainingSession.version == expected,
            TrainingSession.seats_taken <= data.capacity,
        )
        .values(capacity=data.capacity, version=TrainingSession.version + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(session)
    if not changed and session.version != expected:
        raise DomainError(str(SESSION_CHANGED))
    if not changed:
        raise DomainError(
            _(
                "%(num)s people are enrolled: the capacity cannot be lower. Cancel enrolments "
                "first.",
                num=session.seats_taken,
            ),
            "capacity",
        )
    session.programme = programme
    session.starts_at, session.ends_at = data.starts_at, data.ends_at
    session.room = data.room.strip()
    session.trainer_id = data.trainer_id
    db.session.flush()
    moved = _fill_from_waiting_list(session, by=by)
    audit.record(
        "training.session_changed",
        session,
        actor=by,
        summary=_session_summary(session) + (f" moved_up={moved}" if moved else ""),
    )
    return session


def get_session(session_id: int) -> TrainingSession | None:
    return db.session.get(
        TrainingSession,
        session_id,
        options=[joinedload(TrainingSession.programme), joinedload(TrainingSession.trainer)],
    )


# --- enrolment ------------------------------------------------------------------------------
def enrolment_of(session: TrainingSession, person: User) -> Enrolment | None:
    return db.session.scalar(
        select(Enrolment).where(
            Enrolment.session_id == session.id, Enrolment.person_id == person.id
        )
    )


def waiting_position(enrolment: Enrolment) -> int:
    return db.session.scalar(
        select(func.count(Enrolment.id)).where(
            Enrolment.session_id == enrolment.session_id,
            Enrolment.status == EnrolmentStatus.WAITING,
            or_(
                Enrolment.created_at < enrolment.created_at,
                and_(Enrolment.created_at == enrolment.created_at, Enrolment.id <= enrolment.id),
            ),
        )
    )


def _take_seat(session: TrainingSession) -> bool:
    """One seat, if one is left: the conditional UPDATE's row count decides (never a
    read-then-write in Python)."""
    taken = db.session.execute(
        update(TrainingSession)
        .where(
            TrainingSession.id == session.id, TrainingSession.seats_taken < TrainingSession.capacity
        )
        .values(seats_taken=TrainingSession.seats_taken + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire(session, ["seats_taken"])
    return taken == 1


def enrol(
    session: TrainingSession,
    person: User,
    *,
    by: User,
    waiting_list: bool = False,
    now: datetime | None = None,
) -> Enrolment:
    """A seat for `person`; when the session is full, a place on its waiting list if
    `waiting_list` (the button the person pressed said so), else a clear refusal."""
    now = now or utcnow()
    who = "person_id" if person.id != by.id else None
    if person.property_id != session.property_id:
        raise DomainError(_("%(name)s works at another property.", name=person.name), who)
    if not person.active:
        raise DomainError(_("%(name)s no longer works here.", name=person.name), who)
    if session.starts_at <= now:
        raise DomainError(_("This session has started or is over: enrolment is closed."), who)
    existing = enrolment_of(session, person)
    if existing is not None and existing.status == EnrolmentStatus.ENROLLED:
        raise DomainError(_("%(name)s is already enrolled in this session.", name=person.name), who)
    if existing is not None and existing.status == EnrolmentStatus.WAITING:
        raise DomainError(
            _("%(name)s is already on the waiting list of this session.", name=person.name), who
        )
    seated = _take_seat(session)
    if not seated and not waiting_list:
        raise DomainError(
            _("The last seat was just taken. Join the waiting list to move up when a seat frees."),
            who,
        )
    status = EnrolmentStatus.ENROLLED if seated else EnrolmentStatus.WAITING
    if existing is None:
        existing = Enrolment(session_id=session.id, person_id=person.id)
        db.session.add(existing)
    existing.status = status
    existing.enrolled_by_id = by.id
    existing.created_at = now  # a place on the waiting list counts from now
    existing.seated_at = now if seated else None
    existing.cancelled_at = existing.cancelled_by_id = None
    db.session.flush()
    audit.record(
        "training.enrolled" if seated else "training.waitlisted",
        existing,
        actor=by,
        property_id=session.property_id,
        summary=f"session={session.id} person={person.staff_no}",
    )
    return existing


def _lock_session(session: TrainingSession) -> TrainingSession:
    """The session row, locked until the end of the transaction (PostgreSQL; SQLite writers
    are serialised already): seat moves of one session happen one after the other."""
    return db.session.scalar(
        select(TrainingSession)
        .where(TrainingSession.id == session.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def _fill_from_waiting_list(session: TrainingSession, *, by: User) -> int:
    """Seats free (after a cancellation or more capacity) go to the waiting list in order."""
    moved = 0
    while session.seats_taken < session.capacity:
        first = db.session.scalar(
            select(Enrolment)
            .where(Enrolment.session_id == session.id, Enrolment.status == EnrolmentStatus.WAITING)
            .order_by(Enrolment.created_at, Enrolment.id)
            .limit(1)
        )
        if first is None or not _take_seat(session):
            break
        first.status = EnrolmentStatus.ENROLLED
        first.seated_at = utcnow()
        db.session.flush()
        audit.record(
            "training.moved_up",
            first,
            actor=by,
            property_id=session.property_id,
            summary=f"session={session.id} person={first.person_id}",
        )
        moved += 1
    return moved


def cancel_enrolment(enrolment: Enrolment, *, by: User, now: datetime | None = None) -> Enrolment:
    """Give up a seat (or a place on the waiting list); the first waiting moves up at once."""
    now = now or utcnow()
    if enrolment.status == EnrolmentStatus.CANCELLED:
        return enrolment  # a double tap: cancelled the first time
    session = _lock_session(enrolment.session)
    db.session.refresh(enrolment)
    if enrolment.status == EnrolmentStatus.CANCELLED:
        return enrolment
    if session.starts_at <= now:
        raise DomainError(_("This session has started: mark the person absent or excused instead."))
    was_seated = enrolment.status == EnrolmentStatus.ENROLLED
    enrolment.status = EnrolmentStatus.CANCELLED
    enrolment.cancelled_at = now
    enrolment.cancelled_by_id = by.id
    if was_seated:
        db.session.execute(
            update(TrainingSession)
            .where(TrainingSession.id == session.id, TrainingSession.seats_taken > 0)
            .values(seats_taken=TrainingSession.seats_taken - 1)
            .execution_options(synchronize_session=False)
        )
        db.session.refresh(session)
    db.session.flush()
    audit.record(
        "training.cancelled",
        enrolment,
        actor=by,
        property_id=session.property_id,
        summary=f"session={session.id} person={enrolment.person_id} "
        f"was={'enrolled' if was_seated else 'waiting'}",
    )
    if was_seated:
        _fill_from_waiting_list(session, by=by)
    return enrolment


# --- attendance and scores ------------------------------------------------------------------
def current_mark(enrolment: Enrolment) -> Attendance | None:
    return db.session.scalar(
        select(Attendance)
        .where(Attendance.enrolment_id == enrolment.id)
        .order_by(Attendance.id.desc())
        .limit(1)
    )


_UNCHANGED = object()


def record_attendance(
    enrolment: Enrolment,
    *,
    by: User,
    mark=_UNCHANGED,
    score=_UNCHANGED,
    reason: str = "",
    now: datetime | None = None,
    action: str | None = None,
) -> Attendance:
    """A new mark of the enrolment (its attendance, its score or both), pointing at the mark it
    corrects. The same mark again changes nothing (a double tap)."""
    now = now or utcnow()
    session = enrolment.session
    programme = session.programme
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise DomainError(_("Only people with a seat in this session are marked."), "mark")
    if session.starts_at - MARKING_OPENS > now:
        raise DomainError(_("Attendance is taken when the session starts."), "mark")
    previous = current_mark(enrolment)
    new_mark = (previous.mark if previous else None) if mark is _UNCHANGED else mark
    new_score = (previous.score if previous else None) if score is _UNCHANGED else score
    if new_mark is not None and new_mark not in set(Mark):
        raise DomainError(_("Choose present, late, absent or excused."), "mark")
    if score is not _UNCHANGED and score is not None:
        if programme.pass_mark is None:
            raise DomainError(_("This programme has no assessment."), "score")
        if not 0 <= score <= 100:
            raise DomainError(_("A score is between 0 and 100."), "score")
        if new_mark not in ATTENDED:
            raise DomainError(
                _("Mark the person present or late before entering a score."), "score"
            )
    if new_mark not in ATTENDED:
        new_score = None  # nobody is scored on a session they missed
    if previous is not None and (previous.mark, previous.score) == (new_mark, new_score):
        return previous
    row = Attendance(
        enrolment_id=enrolment.id,
        session_id=session.id,
        mark=new_mark,
        score=new_score,
        passed=programme.passes(new_score),
        corrects_id=previous.id if previous else None,
        reason=(reason or "")[:200],
        recorded_by_id=by.id,
        recorded_at=now,
    )
    db.session.add(row)
    db.session.flush()
    default_action = (
        "training.attendance_marked" if previous is None else "training.attendance_corrected"
    )
    if score is not _UNCHANGED:
        default_action = "training.score_recorded"
    action = action or default_action
    passed = {True: "yes", False: "no", None: "-"}[row.passed]
    audit.record(
        action,
        row,
        actor=by,
        property_id=session.property_id,
        summary=f"session={session.id} person={enrolment.person_id} mark={new_mark or '-'} "
        f"was={previous.mark if previous and previous.mark else '-'} passed={passed}"
        + (f" corrects={previous.id}" if previous else ""),
    )
    return row


def check_in_window(session: TrainingSession, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return session.starts_at - CHECK_IN_OPENS <= now < session.ends_at


def check_in(enrolment: Enrolment, *, by: User, now: datetime | None = None) -> Attendance:
    """The person marks themselves present (late after LATE_AFTER) on a terminal, while the
    session runs, never before it; a mark the trainer already gave stands. A second tap
    returns the first check-in."""
    now = now or utcnow()
    if enrolment.person_id != by.id:
        raise DomainError(_("You can check in only yourself."))
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise DomainError(_("Only people with a seat in this session check in."))
    session = _lock_session(enrolment.session)  # one check-in at a time per session
    if now < session.starts_at - CHECK_IN_OPENS:
        raise DomainError(_("Check-in opens 15 minutes before the session starts."))
    if now >= session.ends_at:
        raise DomainError(_("This session is over: the trainer records who came."))
    previous = current_mark(enrolment)
    if previous is not None and previous.mark is not None:
        if previous.mark in ATTENDED:
            return previous
        raise DomainError(_("Your attendance is already recorded. Ask the trainer if it is wrong."))
    mark = Mark.PRESENT if now <= session.starts_at + LATE_AFTER else Mark.LATE
    return record_attendance(
        enrolment,
        by=by,
        mark=mark,
        reason="self check-in",
        now=now,
        action="training.checked_in",
    )


# --- queries --------------------------------------------------------------------------------
def scope_ids(viewer: User):
    """SQL: ids of the people `viewer` acts on (the people service's scope)."""
    return people.people_in_scope(viewer, active=None).with_only_columns(User.id).order_by(None)


def scope_ids_of(shape: str):
    """scope_ids for a statement built once: the scope's values are bound parameters
    (people.scope_shape)."""
    return people.ids_in_scope_of(shape, active=None)


def roster(session: TrainingSession, viewer: User) -> list[tuple[Enrolment, Attendance | None]]:
    """The seats and waiting list of a session that `viewer` may see (HR: everyone; a
    supervisor: their departments' people; an employee: themselves), each with its current
    mark, in one query."""
    latest = (
        select(Attendance.enrolment_id, func.max(Attendance.id).label("id"))
        .where(Attendance.session_id == session.id)
        .group_by(Attendance.enrolment_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Enrolment, Attendance)
        .outerjoin(latest, latest.c.enrolment_id == Enrolment.id)
        .outerjoin(Attendance, Attendance.id == latest.c.id)
        .options(joinedload(Enrolment.person))
        .where(
            Enrolment.session_id == session.id,
            Enrolment.status != EnrolmentStatus.CANCELLED,
            Enrolment.person_id.in_(scope_ids(viewer)),
        )
        .order_by(Enrolment.status, Enrolment.created_at, Enrolment.id)
        .limit(ROSTER_LIMIT)
    ).all()
    return [(e, a) for e, a in rows]


def roster_row(enrolment: Enrolment) -> tuple[Enrolment, Attendance | None]:
    return enrolment, current_mark(enrolment)


def people_to_enrol(session: TrainingSession, viewer: User, limit: int = 300) -> list[User]:
    """People `viewer` may enrol in the session who hold no seat or place in it yet."""
    taken = select(Enrolment.person_id).where(
        Enrolment.session_id == session.id, Enrolment.status != EnrolmentStatus.CANCELLED
    )
    return list(
        db.session.scalars(
            people.people_in_scope(viewer)
            .where(User.property_id == session.property_id, User.id.not_in(taken))
            .limit(limit)
        )
    )


def attendance_open(now=None):
    """SQL: enrolments with a seat in a session that has started and no mark yet (the list
    and the home card use this one rule). `now` may be a bound parameter."""
    return and_(
        Enrolment.status == EnrolmentStatus.ENROLLED,
        TrainingSession.starts_at <= (utcnow() if now is None else now),
        ~exists().where(Attendance.enrolment_id == Enrolment.id),
    )


def today_bounds() -> tuple[datetime, datetime]:
    from portal.i18n import local_today

    today = local_today()
    return local_day_start(today), local_day_start(today + timedelta(days=1))


SHOWS = ("upcoming", "mine", "today", "open", "past")


def involves(trainer_id, scope):
    """SQL: sessions the viewer (`trainer_id`) runs or where people of their `scope` (SQL of
    ids: scope_ids) hold a seat (the supervisor's "today's sessions to run": the list and the
    home card use this rule)."""
    return or_(
        TrainingSession.trainer_id == trainer_id,
        exists().where(
            Enrolment.session_id == TrainingSession.id,
            Enrolment.status == EnrolmentStatus.ENROLLED,
            Enrolment.person_id.in_(scope),
        ),
    )


def today_clause(start=None, end=None):
    """SQL: sessions running on the local day from `start` to `end` (today's by default; bound
    parameters in a statement built once)."""
    if start is None:
        start, end = today_bounds()
    return and_(TrainingSession.starts_at < end, TrainingSession.ends_at >= start)


def mine_clause(viewer: User):
    """SQL: sessions not over yet where the viewer holds a seat or waits for one."""
    return and_(
        TrainingSession.ends_at >= utcnow(),
        exists().where(
            Enrolment.session_id == TrainingSession.id,
            Enrolment.person_id == viewer.id,
            Enrolment.status != EnrolmentStatus.CANCELLED,
        ),
    )


def open_clause(scope, now=None):
    """SQL: enrolments of people in the viewer's `scope` (SQL of ids: scope_ids) whose
    attendance is still open."""
    return and_(attendance_open(now), Enrolment.person_id.in_(scope))


def _mine(viewer: User):
    """SQL: the viewer's own enrolment status in the session of the row (None: not enrolled)."""
    return (
        select(Enrolment.status)
        .where(
            Enrolment.session_id == TrainingSession.id,
            Enrolment.person_id == viewer.id,
            Enrolment.status != EnrolmentStatus.CANCELLED,
        )
        .correlate(TrainingSession)
        .scalar_subquery()
    )


def _property_sessions(viewer: User):
    """Sessions of the viewer's property with their programme and trainer, and the viewer's
    own enrolment status beside each (`mine`): what the list and the calendar show."""
    return (
        select(TrainingSession, _mine(viewer).label("mine"))
        .join(Programme, Programme.id == TrainingSession.programme_id)
        .options(joinedload(TrainingSession.programme), joinedload(TrainingSession.trainer))
        .where(TrainingSession.property_id == viewer.property_id)
    )


def filter_sessions(query, *, programme_id: int | None = None, department_id: int | None = None):
    """The filters of the list and the calendar: sessions of one programme; sessions of the
    programmes a department must take."""
    if programme_id:
        query = query.where(TrainingSession.programme_id == programme_id)
    if department_id:
        query = query.where(
            exists().where(
                programme_departments.c.programme_id == TrainingSession.programme_id,
                programme_departments.c.department_id == department_id,
            )
        )
    return query


def sessions_query(
    viewer: User,
    *,
    show: str = "upcoming",
    programme_id: int | None = None,
    department_id: int | None = None,
):
    """Sessions of the viewer's property, with the viewer's own enrolment status beside each:
    upcoming (not over yet), today's, with attendance still open (of people in the viewer's
    scope) or past; of one programme; of programmes a department must take."""
    query = _property_sessions(viewer)
    now = utcnow()
    if show == "today":
        query = query.where(today_clause(), involves(viewer.id, scope_ids(viewer)))
    elif show == "mine":
        query = query.where(mine_clause(viewer))
    elif show == "open":
        query = query.where(
            exists().where(
                Enrolment.session_id == TrainingSession.id, open_clause(scope_ids(viewer))
            )
        )
    elif show == "past":
        query = query.where(TrainingSession.ends_at < now)
    else:
        query = query.where(TrainingSession.ends_at >= now)
    query = filter_sessions(query, programme_id=programme_id, department_id=department_id)
    order = (
        TrainingSession.starts_at.desc() if show in ("past", "open") else TrainingSession.starts_at
    )
    return query.order_by(order, TrainingSession.id)


# The most sessions one month or week of the calendar shows (a property runs a few a day).
CALENDAR_LIMIT = 500


def sessions_between(
    viewer: User,
    start: datetime,
    end: datetime,
    *,
    programme_id: int | None = None,
    department_id: int | None = None,
    limit: int = CALENDAR_LIMIT,
) -> list[tuple[TrainingSession, str | None]]:
    """The sessions of the viewer's property that overlap [start, end) (UTC; the calendar's
    month or week, from local_day_start), filtered as the list is, each with the viewer's own
    enrolment status, in start order; at most `limit` of them, in one query."""
    query = filter_sessions(
        _property_sessions(viewer).where(
            TrainingSession.starts_at < end, TrainingSession.ends_at > start
        ),
        programme_id=programme_id,
        department_id=department_id,
    )
    rows = db.session.execute(
        query.order_by(TrainingSession.starts_at, TrainingSession.id).limit(limit)
    ).all()
    return [(session, mine) for session, mine in rows]

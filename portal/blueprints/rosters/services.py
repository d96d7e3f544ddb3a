"""Rooms through the day: assigned to an attendant, started, ticked, finished, inspected.

Every status change is one conditional UPDATE on the room (portal.database.advance): a double
tap, a retried request or two people at once move the room once, and the loser is told what the
room is now. The moves allowed are the table MOVES; anything else is refused with a message
that names the room and its status.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from portal import audit
from portal.blueprints.people.models import Department, User
from portal.blueprints.rosters.checklist import checklist_for, checklist_of
from portal.blueprints.rosters.models import (
    Assignment,
    Cleaning,
    CleaningTick,
    Deferral,
    Inspection,
    Occupancy,
    Outcome,
    Room,
    RoomStatus,
)
from portal.blueprints.rosters.permissions import HOUSEKEEPING
from portal.database import advance, utcnow
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import gettext as _
from portal.i18n import local_today

# (from, to) -> the move's name. Nothing else is allowed.
MOVES = {
    (RoomStatus.DIRTY, RoomStatus.CLEANING): "start",
    (RoomStatus.CLEANING, RoomStatus.CLEAN): "finish",
    (RoomStatus.CLEAN, RoomStatus.INSPECTED): "pass",
    (RoomStatus.CLEAN, RoomStatus.DIRTY): "fail",
    (RoomStatus.INSPECTED, RoomStatus.DIRTY): "soil",
}


def can_move(before: str, after: str) -> bool:
    return (RoomStatus(before), RoomStatus(after)) in MOVES


def _move(room: Room, after: RoomStatus, **values) -> None:
    """Move the room from the status it was read with to `after`, or say why not."""
    before = room.status_enum
    if (before, after) not in MOVES:
        raise DomainError(_refusal(room, after))
    now = values.pop("changed_at", None) or utcnow()
    moved = advance(room, before, status=after, changed_at=now, version=Room.version + 1, **values)
    if not moved:  # someone moved it first: say what it is now
        raise DomainError(
            _(
                "Room %(room)s changed a moment ago: it is now %(status)s.",
                room=room.number,
                status=room.status_enum.label,
            )
        )


def _refusal(room: Room, after: RoomStatus) -> str:
    now = room.status_enum
    if after == RoomStatus.CLEANING:
        if now == RoomStatus.CLEANING:
            return _("Room %(room)s is already being cleaned.", room=room.number)
        return _(
            "Room %(room)s is %(status)s: there is nothing to clean.",
            room=room.number,
            status=now.label,
        )
    if after == RoomStatus.CLEAN:
        return _("Room %(room)s is not being cleaned: start it first.", room=room.number)
    if after in (RoomStatus.INSPECTED,) or now != RoomStatus.CLEAN:
        return _(
            "Room %(room)s is %(status)s: only a clean room can be inspected.",
            room=room.number,
            status=now.label,
        )
    return _(
        "Room %(room)s cannot go from %(before)s to %(after)s.",
        room=room.number,
        before=now.label,
        after=after.label,
    )


def _touch(room: Room) -> None:
    """The board shows who is on a room: a change of the list moves the room's stamp."""
    room.changed_at = utcnow()


# --- rooms ----------------------------------------------------------------------------------------
def get_room(room_id: int) -> Room | None:
    return db.session.get(Room, room_id)


def set_rush(room: Room, rush: bool, *, by: User) -> bool:
    """Front office: a guest is waiting for this room. False when it already said so."""
    if room.rush == rush:
        return False
    if rush and room.status_enum == RoomStatus.INSPECTED:
        raise DomainError(_("Room %(room)s is already inspected and ready.", room=room.number))
    room.rush = rush
    _touch(room)
    db.session.flush()
    audit.record(
        "rosters.rush" if rush else "rosters.rush_cleared",
        room,
        actor=by,
        summary=f"room={room.number}",
    )
    return True


def mark_dirty(room: Room, occupancy: Occupancy, *, by: User) -> None:
    """The guest has left (or stays on): an inspected or clean room needs cleaning again."""
    # Fix: _refusal() words a refused move to dirty as a failed inspection ("only a clean room
    # can be inspected"), which is wrong for front office marking a dirty room or one being
    # cleaned: say it in the words of this service.
    if not can_move(room.status, RoomStatus.DIRTY):
        raise DomainError(
            _(
                "Room %(room)s is %(status)s: only a clean or inspected room can be marked dirty.",
                room=room.number,
                status=room.status_enum.label,
            )
        )
    # A stay-over is one more night of the same guest (every N nights a full linen change); a
    # departure or a vacant room starts counting again.
    nights = room.occupied_nights + 1 if occupancy == Occupancy.STAYOVER else 0
    _move(room, RoomStatus.DIRTY, occupancy=occupancy, occupied_nights=nights)
    audit.record(
        "rosters.dirty", room, actor=by, summary=f"room={room.number} {occupancy} nights={nights}"
    )


# --- the day's roster -----------------------------------------------------------------------------
def attendants(property_id: int) -> list[User]:
    """The active employees of the property's housekeeping (one query)."""
    return list(
        db.session.scalars(
            select(User)
            .join(Department, Department.id == User.department_id)
            .where(
                User.property_id == property_id,
                User.active.is_(True),
                User.role == "employee",
                Department.code == HOUSEKEEPING,
            )
            .order_by(User.name_en, User.id)
        )
    )


def assignment_for(room: Room, day: date) -> Assignment | None:
    return db.session.scalar(
        select(Assignment).where(Assignment.room_id == room.id, Assignment.day == day)
    )


def check_attendant(person: User, property_id: int) -> None:
    department = person.department
    if (
        person.property_id != property_id
        or not person.active
        or person.role != "employee"
        or department is None
        or department.code != HOUSEKEEPING
    ):
        raise DomainError(
            _(
                "%(name)s is not a room attendant of this property's housekeeping.",
                name=person.name,
            ),
            "attendant_id",
        )


def needs_linen_change(room: Room) -> bool:
    every = room.room_type.linen_every_nights
    return (
        room.occupancy == Occupancy.STAYOVER
        and every > 0
        and room.occupied_nights > 0
        and room.occupied_nights % every == 0
    )


def assign(room: Room, attendant: User, day: date, *, by: User) -> Assignment:
    """Put a room at the end of an attendant's list for the day."""
    check_attendant(attendant, room.property_id)
    if not room.active:
        raise DomainError(_("Room %(room)s is out of use.", room=room.number), "room_ids")
    taken = assignment_for(room, day)
    if taken is not None:
        raise DomainError(
            _(
                "Room %(room)s is already on %(name)s's list.",
                room=room.number,
                name=taken.attendant.name,
            ),
            "room_ids",
        )
    last = db.session.scalar(
        select(func.max(Assignment.position)).where(
            Assignment.attendant_id == attendant.id, Assignment.day == day
        )
    )
    row = Assignment(
        property_id=room.property_id,
        day=day,
        room_id=room.id,
        attendant_id=attendant.id,
        position=(last or 0) + 1,
        occupancy=room.occupancy,
        credits=room.room_type.credits(room.occupancy),
        linen_change=needs_linen_change(room),
        assigned_by_id=by.id,
    )
    try:
        # Fix: the row is added and the room touched inside the savepoint. Added before it,
        # they were flushed by begin_nested() itself, outside the savepoint: a refusal left the
        # whole session in need of a rollback (PendingRollbackError) instead of as it was.
        with db.session.begin_nested():
            db.session.add(row)
            _touch(room)
            db.session.flush()
    # A supervisor at the next tablet assigned it first. Fix: on PostgreSQL the loser's flush
    # updates the room's row (its stamp, checked by the version column) before it inserts the
    # assignment: it waits for the winner's row lock and then matches no row (StaleDataError),
    # so the unique index is never reached and only IntegrityError was caught.
    except (IntegrityError, StaleDataError):
        raise DomainError(
            _("Room %(room)s was just given to someone else. Reload to see who.", room=room.number),
            "room_ids",
        ) from None
    audit.record(
        "rosters.assigned",
        row,
        actor=by,
        summary=f"room={room.number} attendant={attendant.id} day={day}",
    )
    return row


def _not_started(assignment: Assignment) -> None:
    started = db.session.scalar(
        select(func.count())
        .select_from(Cleaning)
        .where(
            Cleaning.room_id == assignment.room_id,
            Cleaning.day == assignment.day,
            Cleaning.attendant_id == assignment.attendant_id,
        )
    )
    if started:
        raise DomainError(
            _(
                "Room %(room)s has been started by %(name)s: it stays on their list.",
                room=assignment.room.number,
                name=assignment.attendant.name,
            )
        )


def move_assignment(assignment: Assignment, attendant: User, *, by: User) -> Assignment:
    """Give a room not yet started to another attendant (at the end of their list)."""
    if attendant.id == assignment.attendant_id:
        return assignment
    check_attendant(attendant, assignment.property_id)
    _not_started(assignment)
    last = db.session.scalar(
        select(func.max(Assignment.position)).where(
            Assignment.attendant_id == attendant.id, Assignment.day == assignment.day
        )
    )
    before = assignment.attendant_id
    assignment.attendant_id = attendant.id
    assignment.position = (last or 0) + 1
    _touch(assignment.room)
    db.session.flush()
    audit.record(
        "rosters.moved",
        assignment,
        actor=by,
        summary=f"room={assignment.room.number} from={before} to={attendant.id}",
    )
    return assignment


def remove_assignment(assignment: Assignment, *, by: User) -> None:
    _not_started(assignment)
    audit.record(
        "rosters.unassigned",
        assignment,
        actor=by,
        summary=f"room={assignment.room.number} attendant={assignment.attendant_id}",
    )
    _touch(assignment.room)
    db.session.delete(assignment)
    db.session.flush()


@dataclass(frozen=True)
class Proposal:
    """One room of a balance proposal, for the attendant it goes to."""

    room: Room
    attendant: User
    credits: Decimal


def rooms_to_assign(property_id: int, day: date) -> list[Room]:
    """Rooms that need cleaning and are on nobody's list for the day, by floor and number."""
    return list(
        db.session.scalars(
            select(Room)
            .outerjoin(Assignment, and_(Assignment.room_id == Room.id, Assignment.day == day))
            .where(
                Room.property_id == property_id,
                Room.active.is_(True),
                Room.status == RoomStatus.DIRTY,
                Assignment.id.is_(None),
            )
            .order_by(Room.floor, Room.number)
        )
    )


def loads(property_id: int, day: date) -> dict[int, Decimal]:
    """Credits already on each attendant's list for the day."""
    rows = db.session.execute(
        select(Assignment.attendant_id, func.sum(Assignment.credits))
        .where(Assignment.property_id == property_id, Assignment.day == day)
        .group_by(Assignment.attendant_id)
    )
    return {attendant_id: Decimal(total or 0) for attendant_id, total in rows}


def balance(rooms: list[Room], people: list[User], existing: dict[int, Decimal]) -> list[Proposal]:
    """A fair split of `rooms` between `people`, given what each already has.

    Everyone should end near the same total (the fair share of what they have and what is to
    assign). The rooms keep their floor order and are cut into consecutive runs, one per
    person, each as long as that person's room to the fair share: an attendant works rooms
    next to each other, and every total ends within one room of the fair share. A room goes to
    the person in whose run its middle falls."""
    if not rooms or not people:
        return []
    credits = [r.room_type.credits(r.occupancy) for r in rooms]
    have = {p.id: existing.get(p.id, Decimal(0)) for p in people}
    # Fix: someone who already has more than the fair share gets nothing, so the share is
    # worked out again among the others until nobody left is above it. Computed once over
    # everyone, the runs added up to more than there is to assign: the first people took it
    # all and the last ones ended far below the share.
    under = list(people)
    while True:
        fair = (sum(credits) + sum(have[p.id] for p in under)) / len(under)
        kept = [p for p in under if have[p.id] <= fair]
        if len(kept) == len(under):
            break
        under = kept  # never empty: the least loaded person is at or below the average
    room_for = [max(Decimal(0), fair - have[p.id]) for p in people]
    ends, total = [], Decimal(0)
    for share in room_for:
        total += share
        ends.append(total)
    proposals, so_far = [], Decimal(0)
    for room, credit in zip(rooms, credits, strict=True):
        middle = so_far + credit / 2
        index = next((i for i, end in enumerate(ends) if middle < end), len(people) - 1)
        proposals.append(Proposal(room, people[index], credit))
        so_far += credit
    return proposals


def assign_all(pairs: list[tuple[Room, User]], day: date, *, by: User) -> list[Assignment]:
    """Assign several rooms at once: all of them, or none (the first refusal is raised)."""
    return [assign(room, person, day, by=by) for room, person in pairs]


@dataclass
class ListRow:
    """A room on an attendant's list, in the order they work it."""

    assignment: Assignment
    room: Room
    cleaning: Cleaning | None  # the newest of the day

    @property
    def order(self) -> tuple:
        deferred = self.assignment.deferral is not None and self.room.status == RoomStatus.DIRTY
        done = self.room.status in (RoomStatus.CLEAN, RoomStatus.INSPECTED)
        return (done, deferred, not self.room.rush, self.assignment.position)


def day_list(attendant_id: int, day: date) -> list[ListRow]:
    """An attendant's rooms for the day: rush first, deferred rooms last, done ones at the end
    (one query)."""
    newest = (
        select(func.max(Cleaning.id))
        .where(Cleaning.room_id == Assignment.room_id, Cleaning.day == day)
        .correlate(Assignment)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Assignment, Room, Cleaning)
        .join(Room, Room.id == Assignment.room_id)
        .outerjoin(Cleaning, Cleaning.id == newest)
        .where(Assignment.attendant_id == attendant_id, Assignment.day == day)
    )
    items = [ListRow(a, r, c) for a, r, c in rows]
    return sorted(items, key=lambda row: row.order)


def defer(assignment: Assignment, reason: Deferral, *, by: User) -> None:
    """Do not disturb, no service, refused: noted with the time, the room goes to the end."""
    room = assignment.room
    if room.status_enum != RoomStatus.DIRTY:
        raise DomainError(
            _(
                "Room %(room)s is %(status)s: there is nothing to put off.",
                room=room.number,
                status=room.status_enum.label,
            )
        )
    assignment.deferral = reason
    assignment.deferred_at = utcnow()
    _touch(room)
    db.session.flush()
    audit.record("rosters.deferred", assignment, actor=by, summary=f"room={room.number} {reason}")


# --- cleaning -------------------------------------------------------------------------------------
def _failed_before(room: Room, day: date, attendant_id: int) -> bool:
    """Whether the attendant's latest cleaning of the room that day failed its inspection.

    Fix: it counted every failed inspection of the day, so once a room had failed, been
    cleaned again and passed, a later cleaning of it (the guest checked out, the room was
    marked dirty) was still called a re-clean. Only the attempt right after a fail is one."""
    return (
        db.session.scalar(
            select(Inspection.passed)
            .select_from(Cleaning)
            .outerjoin(Inspection, Inspection.cleaning_id == Cleaning.id)
            .where(
                Cleaning.room_id == room.id,
                Cleaning.day == day,
                Cleaning.attendant_id == attendant_id,
            )
            .order_by(Cleaning.id.desc())
            .limit(1)
        )
        is False
    )


def start(assignment: Assignment, *, by: User, today: date | None = None) -> Cleaning:
    """The attendant starts the room: cleaning, with the checklist in force now."""
    room = assignment.room
    today = today or local_today()
    if assignment.day != today:
        raise DomainError(_("This room is on the list of another day."))
    checklist = checklist_for(room.property_id, today)
    now = utcnow()
    _move(room, RoomStatus.CLEANING, changed_at=now)
    # Fix: a room put off (do not disturb) and started after all is no longer put off. The
    # deferral stayed: the board kept the room flagged "do not disturb" while it was cleaned
    # and after, and a re-clean after a failed inspection went to the end of the list as if
    # still put off. When it was put off stays in the audit trail (rosters.deferred).
    assignment.deferral = None
    assignment.deferred_at = None
    cleaning = Cleaning(
        property_id=room.property_id,
        room_id=room.id,
        day=today,
        attendant_id=assignment.attendant_id,
        sop_version_id=checklist.sop_version_id,
        steps=len(checklist),
        reclean=_failed_before(room, today, assignment.attendant_id),
        started_at=now,
    )
    db.session.add(cleaning)
    db.session.flush()
    audit.record("rosters.started", cleaning, actor=by, summary=f"room={room.number}")
    return cleaning


def open_cleaning(room: Room) -> Cleaning | None:
    """The cleaning under way in the room (the newest, unfinished)."""
    return db.session.scalar(
        select(Cleaning)
        .where(Cleaning.room_id == room.id, Cleaning.finished_at.is_(None))
        .order_by(Cleaning.id.desc())
        .limit(1)
    )


def ticked(cleaning: Cleaning) -> set[int]:
    return set(
        db.session.scalars(
            select(CleaningTick.position).where(CleaningTick.cleaning_id == cleaning.id)
        )
    )


def tick(cleaning: Cleaning, position: int, done: bool, *, by: User) -> bool:
    """A step ticked (or unticked while the cleaning is open). True when it changed."""
    if cleaning.finished_at is not None:
        raise DomainError(_("This cleaning is finished: its checklist can no longer change."))
    if not 1 <= position <= cleaning.steps:
        raise DomainError(_("This step is not on the checklist. Reload the page."))
    existing = db.session.scalar(
        select(CleaningTick).where(
            CleaningTick.cleaning_id == cleaning.id, CleaningTick.position == position
        )
    )
    if (existing is not None) == done:
        return False  # a double tap, a retried request
    if done:
        try:
            with db.session.begin_nested():
                db.session.add(CleaningTick(cleaning_id=cleaning.id, position=position))
                db.session.flush()
        except IntegrityError:  # the same tap twice at once
            return False
    else:
        db.session.delete(existing)
        db.session.flush()
    audit.record(
        "rosters.ticked" if done else "rosters.unticked",
        cleaning,
        actor=by,
        summary=f"room={cleaning.room.number} step={position}",
    )
    return True


def finish(cleaning: Cleaning, *, by: User) -> None:
    """Every step ticked: the room is clean (its finish time stored now)."""
    if cleaning.finished_at is not None:
        return  # finished already (a double tap)
    left = cleaning.steps - len(ticked(cleaning))
    if left > 0:
        raise DomainError(_("Tick every step first: %(n)s left.", n=left))
    now = utcnow()
    try:
        # A rush room stays rush while clean: it is the first to inspect (a guest is waiting).
        _move(cleaning.room, RoomStatus.CLEAN, changed_at=now)
    except DomainError:
        # Fix: the two taps of a double tap at the same moment (PostgreSQL runs them side by
        # side): the other one finished this cleaning a moment ago, a no-op as above rather
        # than "the room changed" for the attendant who tapped twice.
        db.session.refresh(cleaning)
        if cleaning.finished_at is not None:
            return
        raise
    cleaning.finished_at = now
    db.session.flush()
    audit.record("rosters.finished", cleaning, actor=by, summary=f"room={cleaning.room.number}")
    from portal.blueprints.rosters.policies import released_by_policy

    released = released_by_policy(cleaning)
    if released is not None:  # a trusted attendant, or a room the sample leaves out
        move_to_inspected(cleaning.room)
        cleaning.released = released
        db.session.flush()


def move_to_inspected(room: Room) -> None:
    """A clean room released as inspected (ready to sell) without an inspection."""
    _move(room, RoomStatus.INSPECTED, rush=False)


def newest_cleaning(room: Room) -> Cleaning | None:
    return db.session.scalar(
        select(Cleaning).where(Cleaning.room_id == room.id).order_by(Cleaning.id.desc()).limit(1)
    )


def score_of(items: dict[int, Outcome], weights: dict[int, int] | None = None) -> Decimal:
    """passed / (passed + failed), as a percent, each item counted by its weight (a key point
    of the SOP counts twice); 100 when every item was not applicable."""
    weights = weights or {}
    passed = sum(weights.get(k, 1) for k, v in items.items() if v == Outcome.PASS)
    failed = sum(weights.get(k, 1) for k, v in items.items() if v == Outcome.FAIL)
    if passed + failed == 0:
        return Decimal("100.00")
    return (Decimal(100) * passed / (passed + failed)).quantize(Decimal("0.01"))


def inspect(cleaning: Cleaning, items: dict[int, Outcome], note: str, *, by: User) -> Inspection:
    """Pass (-> inspected) when no item failed, else fail (-> dirty, back to the same
    attendant for a re-clean). One inspection per cleaning: of two inspectors at once, one
    wins and the other is told what the room is now."""
    room = cleaning.room
    if cleaning.finished_at is None:
        raise DomainError(_("Room %(room)s is still being cleaned.", room=room.number))
    if cleaning.attendant_id == by.id:
        raise DomainError(_("Someone else inspects the rooms you clean."))
    if set(items) != set(range(1, cleaning.steps + 1)):
        raise DomainError(_("Give every item a mark: pass, fail or not applicable."), "items")
    passed = not any(v == Outcome.FAIL for v in items.values())
    note = (note or "").strip()
    if not passed and not note:
        raise DomainError(_("Say what the attendant must put right."), "note")
    # Fix: asked of the database, not of `cleaning.inspection`: that relationship, loaded
    # (as None) before an inspection of this session, stays None after it, and a second
    # inspection then went on to move the inspected room to dirty (a move MOVES allows) before
    # its insert failed.
    inspected = db.session.scalar(
        select(func.count()).select_from(Inspection).where(Inspection.cleaning_id == cleaning.id)
    )
    if inspected or newest_cleaning(room).id != cleaning.id:
        raise DomainError(
            _(
                "Room %(room)s was inspected a moment ago: it is now %(status)s.",
                room=room.number,
                status=room.status_enum.label,
            )
        )
    # Fix: a pass clears the rush flag (set on the clean room while a guest waits for it): an
    # inspected room is ready, set_rush refuses to flag one, and the flag kept it at the top
    # of the lists and the board.
    if passed:
        _move(room, RoomStatus.INSPECTED, rush=False)
    else:
        _move(room, RoomStatus.DIRTY)
    inspection = Inspection(
        property_id=room.property_id,
        cleaning_id=cleaning.id,
        room_id=room.id,
        inspector_id=by.id,
        passed=passed,
        score=score_of(items, checklist_of(cleaning).weights),
        items={str(k): str(v) for k, v in items.items() if v != Outcome.PASS},
        note=note,
    )
    try:
        with db.session.begin_nested():  # Fix: added inside the savepoint (see assign)
            db.session.add(inspection)
            db.session.flush()
    except IntegrityError:
        raise DomainError(
            _("Room %(room)s was inspected a moment ago.", room=room.number)
        ) from None
    audit.record(
        "rosters.passed" if passed else "rosters.failed",
        inspection,
        actor=by,
        summary=f"room={room.number} score={inspection.score}",
    )
    return inspection


@dataclass(frozen=True)
class HistoryRow:
    cleaning: Cleaning
    attendant_name: str
    inspection: Inspection | None


def history(room: Room, limit: int = 10) -> list[HistoryRow]:
    """The room's latest cleanings with who did them and their inspection (one query)."""
    rows = db.session.execute(
        select(Cleaning, User, Inspection)
        .join(User, User.id == Cleaning.attendant_id)
        .outerjoin(Inspection, Inspection.cleaning_id == Cleaning.id)
        .where(Cleaning.room_id == room.id)
        .order_by(Cleaning.id.desc())
        .limit(limit)
    )
    return [HistoryRow(c, u.name, i) for c, u, i in rows]


# --- keeping the rooms ----------------------------------------------------------------------------
def room_types(property_id: int) -> list:
    from portal.blueprints.rosters.models import RoomType

    return list(
        db.session.scalars(
            select(RoomType).where(RoomType.property_id == property_id).order_by(RoomType.code)
        )
    )


def _check_room(property_id: int, number: str, room_type_id: int, room_id: int | None) -> None:
    from portal.blueprints.rosters.models import RoomType

    kind = db.session.get(RoomType, room_type_id)
    if kind is None or kind.property_id != property_id:
        raise DomainError(_("Choose the room type."), "room_type_id")
    clash = db.session.scalar(
        select(Room.id).where(Room.property_id == property_id, Room.number == number)
    )
    if clash is not None and clash != room_id:
        raise DomainError(_("Room %(room)s exists already.", room=number), "number")


def add_room(property_id: int, number: str, floor: int, room_type_id: int, *, by: User) -> Room:
    _check_room(property_id, number, room_type_id, None)
    room = Room(
        property_id=property_id,
        number=number,
        floor=floor,
        room_type_id=room_type_id,
        status=RoomStatus.DIRTY,
        occupancy=Occupancy.VACANT,
    )
    db.session.add(room)
    db.session.flush()
    audit.record("rosters.room_added", room, actor=by, summary=f"room={number} floor={floor}")
    return room


def update_room(room: Room, number: str, floor: int, room_type_id: int, *, by: User) -> Room:
    _check_room(room.property_id, number, room_type_id, room.id)
    before = f"{room.number}/{room.floor}/{room.room_type_id}"
    room.number, room.floor, room.room_type_id = number, floor, room_type_id
    _touch(room)
    db.session.flush()
    audit.record(
        "rosters.room_changed",
        room,
        actor=by,
        summary=f"{before} -> {number}/{floor}/{room_type_id}",
    )
    return room


def choose_checklist(property_id: int, sop_id: int | None, *, by: User) -> None:
    from portal.blueprints.rosters.checklist import settings_for, sop_ids

    if sop_id is not None and sop_id not in sop_ids(property_id):
        raise DomainError(_("Choose an SOP from the list."), "cleaning_sop_id")
    settings = settings_for(property_id)
    settings.cleaning_sop_id = sop_id
    db.session.flush()
    audit.record(
        "rosters.settings_changed",
        actor=by,
        property_id=property_id,
        object_type="roster_settings",
        object_id=property_id,
        summary=f"sop={sop_id}",
    )


def rooms_list(property_id: int) -> list[Room]:
    from sqlalchemy.orm import joinedload

    return list(
        db.session.scalars(
            select(Room)
            .options(joinedload(Room.room_type))
            .where(Room.property_id == property_id)
            .order_by(Room.floor, Room.number)
        )
    )

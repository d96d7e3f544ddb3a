"""Rooms through the day: the status machine, starting, ticking, finishing and inspecting a
cleaning, the day's roster (assigning, moving, balancing, the attendant's list), rush and dirty
flags, and the audit row each change writes."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update

from portal import modules
from portal.audit import AuditEvent
from portal.blueprints.people.models import User
from portal.blueprints.rosters import areas, finds, policies, services
from portal.blueprints.rosters.checklist import BUILT_IN, checklist_for, checklist_of
from portal.blueprints.rosters.models import (
    Assignment,
    Cleaning,
    CleaningTick,
    Deferral,
    Inspection,
    Occupancy,
    Outcome,
    Policy,
    Room,
    RoomStatus,
    RoomType,
    SkipReason,
)
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import local_today
from tests import factories
from tests.rosters import helpers

TABLES = (Assignment, Cleaning, CleaningTick, Inspection, AuditEvent)


def counts(db) -> dict[str, int]:
    return {t.__name__: db.session.scalar(select(func.count()).select_from(t)) for t in TABLES}


def actions(db) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def last_event(db) -> AuditEvent:
    return db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))


def status_of(db, room: Room) -> str:
    return db.session.scalar(select(Room.status).where(Room.id == room.id))


def force_status(db, room: Room, status: RoomStatus) -> None:
    """Put the room in `status` whatever its history (the guard under test is the status)."""
    db.session.execute(update(Room).where(Room.id == room.id).values(status=status))
    db.session.refresh(room)


@pytest.fixture
def prop(db, ctx):
    return factories.property_()


# --- the status machine ---------------------------------------------------------------------------
# Each move of MOVES is made by one service; a move to a status is tried through every service
# that moves a room there.
D, CG, C, INS = RoomStatus.DIRTY, RoomStatus.CLEANING, RoomStatus.CLEAN, RoomStatus.INSPECTED
SERVICES_TO = {CG: ["start"], C: ["finish"], INS: ["pass"], D: ["fail", "mark_dirty"]}
# What each service's move writes when it is allowed: (audit action, table that gains a row).
WRITES = {
    "start": ("rosters.started", "Cleaning"),
    "finish": ("rosters.finished", None),
    "pass": ("rosters.passed", "Inspection"),
    "fail": ("rosters.failed", "Inspection"),
    "mark_dirty": ("rosters.dirty", None),
}
CASES = [
    (before, after, service)
    for before in RoomStatus
    for after in RoomStatus
    for service in SERVICES_TO[after]
    # A room is inspected only by a pass of its newest cleaning, which then has its
    # inspection: inspecting it again is the second inspection refused (tested below).
    if not (service == "fail" and before == INS)
]


def _ready_for(service: str, prop):
    """A room with what the service needs (an assignment, an open fully ticked cleaning, a
    finished one), and the call that makes the service's move."""
    room = helpers.room(prop, occupancy=Occupancy.DEPARTURE)
    assignment = helpers.assign(room)
    if service == "start":
        return room, lambda: helpers.start(assignment)
    cleaning = helpers.tick_all(helpers.start(assignment))
    if service == "finish":
        return room, lambda: helpers.finish(cleaning)
    helpers.finish(cleaning)
    inspector = helpers.hk_supervisor(prop)
    if service in ("pass", "fail"):
        fail = (2,) if service == "fail" else ()
        return room, lambda: helpers.inspect(cleaning, fail=fail, by=inspector)
    helpers.inspect(cleaning, by=inspector)
    return room, lambda: services.mark_dirty(room, Occupancy.STAYOVER, by=inspector)


def test_every_move_of_the_table_is_made_by_a_service():
    allowed = {(b, a) for b, a, _service in CASES if (b, a) in services.MOVES}
    assert allowed == set(services.MOVES)
    assert all(services.can_move(b, a) == ((b, a) in services.MOVES) for b, a, _ in CASES)


@pytest.mark.parametrize(("before", "after", "service"), CASES, ids=lambda v: str(v))
def test_a_move_is_allowed_exactly_when_it_is_in_the_table(db, prop, before, after, service):
    room, move = _ready_for(service, prop)
    force_status(db, room, before)
    written = counts(db)
    if (before, after) in services.MOVES:
        move()
        db.session.expire_all()
        assert status_of(db, room) == after
        action, table = WRITES[service]
        assert last_event(db).action == action
        grown = {name for name, n in counts(db).items() if n != written[name]}
        assert grown == {"AuditEvent", table} - {None}
    else:
        with pytest.raises(DomainError) as refused:
            move()
        assert room.number in refused.value.message
        db.session.expire_all()
        assert status_of(db, room) == before
        assert counts(db) == written


# --- starting -------------------------------------------------------------------------------------
def test_start_makes_a_cleaning_of_the_built_in_checklist(db, prop):
    room = helpers.room(prop)
    assignment = helpers.assign(room)
    cleaning = helpers.start(assignment)
    assert room.status == RoomStatus.CLEANING
    assert cleaning.steps == len(BUILT_IN) == 13
    assert cleaning.sop_version_id is None and cleaning.reclean is False
    assert cleaning.day == local_today() and cleaning.attendant_id == assignment.attendant_id
    assert cleaning.finished_at is None and services.open_cleaning(room).id == cleaning.id
    assert checklist_of(cleaning) is BUILT_IN
    assert [s.position for s in BUILT_IN.steps] == list(range(1, 14))
    assert actions(db)[-1] == "rosters.started"


def test_start_follows_the_sop_chosen_with_a_version_in_force(db, prop):
    version = helpers.cleaning_sop(prop, steps=5)  # the first with a safety warning
    services.choose_checklist(prop.id, version.sop_id, by=helpers.manager(prop))
    assert actions(db)[-1] == "rosters.settings_changed"
    cleaning = helpers.start(helpers.assign(helpers.room(prop)))
    assert cleaning.steps == 5 and cleaning.sop_version_id == version.id
    checklist = checklist_of(cleaning)
    assert len(checklist) == 5 and checklist.sop_version_id == version.id
    assert [s.position for s in checklist.steps] == [1, 2, 3, 4, 5]
    assert [s.text_en for s in checklist.steps] == [f"Step {i} in English" for i in range(1, 6)]
    assert checklist.sop_label == f"{version.sop.number} v1.0"
    assert checklist_for(prop.id).steps == checklist.steps


def test_a_chosen_sop_not_yet_in_force_leaves_the_built_in_checklist(db, prop):
    later = local_today() + timedelta(days=3)
    version = helpers.cleaning_sop(prop, steps=5, effective=later)
    services.choose_checklist(prop.id, version.sop_id, by=helpers.manager(prop))
    assert checklist_for(prop.id) is BUILT_IN
    assert len(checklist_for(prop.id, later)) == 5
    assert helpers.start(helpers.assign(helpers.room(prop))).steps == 13


def test_only_an_sop_of_the_property_can_be_chosen(db, prop):
    other = helpers.cleaning_sop(factories.property_("OTH"))
    with pytest.raises(DomainError) as refused:
        services.choose_checklist(prop.id, other.sop_id, by=helpers.manager(prop))
    assert refused.value.field == "cleaning_sop_id"
    assert checklist_for(prop.id) is BUILT_IN


def test_a_room_is_started_only_on_the_day_of_its_list(db, prop):
    room = helpers.room(prop)
    assignment = helpers.assign(room, day=local_today() + timedelta(days=1))
    written = counts(db)
    with pytest.raises(DomainError, match="another day"):
        helpers.start(assignment)
    assert room.status == RoomStatus.DIRTY and counts(db) == written


def test_a_second_start_of_the_same_room_is_refused(db, prop):
    room = helpers.room(prop, number="305")
    assignment = helpers.assign(room)
    helpers.start(assignment)
    written = counts(db)
    with pytest.raises(DomainError, match=r"Room 305 is already being cleaned"):
        helpers.start(assignment)
    assert counts(db) == written


def test_the_cleaning_after_a_failed_inspection_is_a_reclean_and_only_that_one(db, prop):
    room = helpers.room(prop)
    assignment = helpers.assign(room)
    first = helpers.cleaned(assignment)
    helpers.inspect(first, fail=(3,))
    second = helpers.cleaned(assignment)
    assert first.reclean is False and second.reclean is True
    helpers.inspect(second)
    # Inspected, then the guest checks out: a new cleaning, not a re-clean of the failed one.
    services.mark_dirty(room, Occupancy.DEPARTURE, by=helpers.front_office(prop))
    assert helpers.start(assignment).reclean is False


# --- ticking --------------------------------------------------------------------------------------
def test_a_double_tap_ticks_once_and_an_untick_takes_it_back(db, prop):
    cleaning = helpers.start(helpers.assign(helpers.room(prop)))
    by = cleaning.attendant
    assert services.tick(cleaning, 4, True, by=by) is True
    assert services.tick(cleaning, 4, True, by=by) is False  # the double tap
    assert services.ticked(cleaning) == {4}
    assert db.session.scalar(select(func.count()).select_from(CleaningTick)) == 1
    assert actions(db).count("rosters.ticked") == 1
    assert services.tick(cleaning, 4, False, by=by) is True
    assert services.tick(cleaning, 4, False, by=by) is False
    assert services.ticked(cleaning) == set()
    assert actions(db).count("rosters.unticked") == 1
    assert last_event(db).summary.endswith("step=4")


@pytest.mark.parametrize("position", [0, -1, 14, 99])
def test_a_step_off_the_checklist_is_refused(db, prop, position):
    cleaning = helpers.start(helpers.assign(helpers.room(prop)))
    written = counts(db)
    with pytest.raises(DomainError, match="not on the checklist"):
        services.tick(cleaning, position, True, by=cleaning.attendant)
    assert counts(db) == written


@pytest.mark.parametrize("done", [True, False])
def test_a_finished_cleaning_can_no_longer_be_ticked(db, prop, done):
    cleaning = helpers.cleaned(helpers.assign(helpers.room(prop)))
    written = counts(db)
    with pytest.raises(DomainError, match="finished"):
        services.tick(cleaning, 1, done, by=cleaning.attendant)
    assert counts(db) == written and services.ticked(cleaning) == set(range(1, 14))


# --- finishing ------------------------------------------------------------------------------------
def test_finish_waits_for_every_step_then_the_room_is_clean_and_still_first_to_inspect(db, prop):
    room = helpers.room(prop)
    cleaning = helpers.start(helpers.assign(room))
    assert services.set_rush(room, True, by=helpers.front_office(prop)) is True
    for position in range(1, 11):
        services.tick(cleaning, position, True, by=cleaning.attendant)
    written = counts(db)
    with pytest.raises(DomainError, match="3 left"):
        helpers.finish(cleaning)
    assert counts(db) == written and cleaning.finished_at is None
    assert status_of(db, room) == RoomStatus.CLEANING
    for position in (11, 12, 13):
        services.tick(cleaning, position, True, by=cleaning.attendant)
    helpers.finish(cleaning)
    db.session.expire_all()
    assert room.status == RoomStatus.CLEAN and room.rush is True  # rush until it is ready
    assert cleaning.finished_at is not None and cleaning.minutes == 0
    assert services.open_cleaning(room) is None
    assert actions(db)[-1] == "rosters.finished"


def test_finishing_twice_is_a_no_op(db, prop):
    cleaning = helpers.cleaned(helpers.assign(helpers.room(prop)))
    finished_at, written = cleaning.finished_at, counts(db)
    assert services.finish(cleaning, by=cleaning.attendant) is None
    assert cleaning.finished_at == finished_at and counts(db) == written
    assert actions(db).count("rosters.finished") == 1


# --- inspecting -----------------------------------------------------------------------------------
def test_the_cleaner_never_inspects_their_own_room(db, prop):
    cleaning = helpers.cleaned(helpers.assign(helpers.room(prop)))
    written = counts(db)
    with pytest.raises(DomainError, match="Someone else inspects"):
        helpers.inspect(cleaning, by=cleaning.attendant)
    assert counts(db) == written and cleaning.room.status == RoomStatus.CLEAN


def test_a_room_still_being_cleaned_cannot_be_inspected(db, prop):
    cleaning = helpers.tick_all(helpers.start(helpers.assign(helpers.room(prop))))
    written = counts(db)
    with pytest.raises(DomainError, match="still being cleaned"):
        helpers.inspect(cleaning)
    assert counts(db) == written


@pytest.mark.parametrize("items", [{}, {1: Outcome.PASS}, "all but the last", "one more"])
def test_every_item_needs_a_mark(db, prop, items):
    cleaning = helpers.cleaned(helpers.assign(helpers.room(prop)))
    if items == "all but the last":
        items = {i: Outcome.PASS for i in range(1, 13)}
    elif items == "one more":
        items = {i: Outcome.PASS for i in range(1, 15)}
    written = counts(db)
    with pytest.raises(DomainError) as refused:
        services.inspect(cleaning, items, "", by=helpers.hk_supervisor(prop))
    assert refused.value.field == "items"
    assert counts(db) == written and cleaning.room.status == RoomStatus.CLEAN


@pytest.mark.parametrize("note", ["", "   \n"])
def test_a_fail_says_what_to_put_right(db, prop, note):
    cleaning = helpers.cleaned(helpers.assign(helpers.room(prop)))
    items = helpers.marks(cleaning, fail=(5,))
    written = counts(db)
    with pytest.raises(DomainError) as refused:
        services.inspect(cleaning, items, note, by=helpers.hk_supervisor(prop))
    assert refused.value.field == "note"
    assert counts(db) == written and cleaning.room.status == RoomStatus.CLEAN


@pytest.mark.parametrize(
    ("fail", "na", "score"),
    [
        ((), (), "100.00"),
        ((1,), (), "92.31"),  # 12 / 13
        ((2, 3), (4, 5, 6), "80.00"),  # 8 / 10: not applicable items do not count
        ((), tuple(range(1, 14)), "100.00"),  # every item not applicable
        (tuple(range(1, 14)), (), "0.00"),
        ((1,), tuple(range(4, 14)), "66.67"),  # 2 / 3
    ],
)
def test_the_score_is_passed_over_passed_and_failed(db, prop, fail, na, score):
    cleaning = helpers.cleaned(helpers.assign(helpers.room(prop)))
    inspection = helpers.inspect(cleaning, fail=fail, na=na)
    assert services.score_of(helpers.marks(cleaning, fail, na)) == Decimal(score)
    db.session.expire_all()
    stored = db.session.get(Inspection, inspection.id)
    assert stored.score == Decimal(score) and stored.passed is (not fail)
    assert stored.failed_positions == sorted(fail)
    # passes are left out of the stored items
    assert stored.items == {
        **{str(i): "fail" for i in fail},
        **{str(i): "na" for i in na if i not in fail},
    }


def test_a_pass_makes_the_room_inspected_and_clears_a_rush(db, prop):
    room = helpers.room(prop)
    cleaning = helpers.cleaned(helpers.assign(room))
    services.set_rush(room, True, by=helpers.front_office(prop))  # the guest is waiting
    inspector = helpers.hk_supervisor(prop)
    inspection = helpers.inspect(cleaning, na=(7,), note="  Well done  ", by=inspector)
    db.session.expire_all()
    assert room.status == RoomStatus.INSPECTED and room.rush is False
    assert inspection.passed is True and inspection.note == "Well done"
    assert inspection.inspector_id == inspector.id and inspection.room_id == room.id
    assert cleaning.inspection.id == inspection.id
    assert actions(db)[-1] == "rosters.passed"


def test_a_fail_sends_the_room_back_to_the_same_attendant_for_a_reclean(db, prop):
    room = helpers.room(prop)
    assignment = helpers.assign(room)
    person = assignment.attendant
    cleaning = helpers.cleaned(assignment)
    inspection = helpers.inspect(cleaning, fail=(2, 9), note="Mirror smeared")
    db.session.expire_all()
    assert room.status == RoomStatus.DIRTY and inspection.passed is False
    assert inspection.note == "Mirror smeared" and inspection.failed_positions == [2, 9]
    assert services.assignment_for(room, local_today()).attendant_id == person.id
    rows = services.day_list(person.id, local_today())
    assert [r.room.id for r in rows] == [room.id] and rows[0].cleaning.id == cleaning.id
    assert actions(db)[-1] == "rosters.failed"
    again = helpers.start(assignment)
    assert again.reclean is True and again.attendant_id == person.id


@pytest.mark.parametrize("first_fails", [False, True])
def test_a_cleaning_is_inspected_once(db, prop, first_fails):
    room = helpers.room(prop, number="412")
    cleaning = helpers.cleaned(helpers.assign(room))
    helpers.inspect(cleaning, fail=(1,) if first_fails else ())
    written = counts(db)
    with pytest.raises(DomainError, match="Room 412 was inspected a moment ago"):
        helpers.inspect(cleaning, fail=() if first_fails else (1,))
    assert counts(db) == written
    assert status_of(db, room) == (RoomStatus.DIRTY if first_fails else RoomStatus.INSPECTED)


def test_only_the_newest_cleaning_of_a_room_is_inspected(db, prop):
    room = helpers.room(prop)
    assignment = helpers.assign(room)
    first = helpers.cleaned(assignment)
    services.mark_dirty(room, Occupancy.STAYOVER, by=helpers.front_office(prop))
    helpers.cleaned(assignment)
    written = counts(db)
    with pytest.raises(DomainError, match="inspected a moment ago"):
        helpers.inspect(first)
    assert counts(db) == written


# --- the day's roster -----------------------------------------------------------------------------
def test_a_room_is_on_one_list_a_day(db, prop):
    room = helpers.room(prop, number="201")
    first = helpers.attendant(prop)
    helpers.assign(room, first)
    written = counts(db)
    with pytest.raises(DomainError) as refused:
        helpers.assign(room, helpers.attendant(prop))
    assert refused.value.field == "room_ids"
    assert "Room 201" in refused.value.message and first.name in refused.value.message
    assert counts(db) == written
    assert services.assignment_for(room, local_today()).attendant_id == first.id
    tomorrow = helpers.assign(room, helpers.attendant(prop), day=local_today() + timedelta(1))
    assert tomorrow.attendant_id != first.id  # another day's list


def test_a_room_given_away_at_the_next_tablet_a_moment_ago_is_refused_cleanly(
    db, prop, monkeypatch
):
    """The other tablet's assignment not yet seen when this one looked (the unique index says
    so at the insert): refused, and the session goes on as it was (no rollback needed)."""
    room = helpers.room(prop, number="214")
    first = helpers.assign(room)
    person, by = helpers.attendant(prop), helpers.hk_supervisor(prop)
    written, stamp = counts(db), room.changed_at
    monkeypatch.setattr(services, "assignment_for", lambda room, day: None)
    with pytest.raises(DomainError, match="Room 214 was just given to someone else") as refused:
        services.assign(room, person, local_today(), by=by)
    assert refused.value.field == "room_ids"
    assert counts(db) == written and room.changed_at == stamp
    assert db.session.get(Assignment, first.id).attendant_id == first.attendant_id


@pytest.mark.parametrize("who", ["front office", "other property", "inactive", "supervisor"])
def test_only_an_active_attendant_of_the_propertys_housekeeping_gets_rooms(db, prop, who):
    person = {
        "front office": lambda: helpers.front_office(prop),
        "other property": lambda: helpers.attendant(factories.property_("OTH")),
        "inactive": lambda: helpers.attendant(prop, active=False),
        "supervisor": lambda: helpers.hk_supervisor(prop),
    }[who]()
    room = helpers.room(prop)
    written = counts(db)
    with pytest.raises(DomainError) as refused:
        helpers.assign(room, person)
    assert refused.value.field == "attendant_id" and person.name in refused.value.message
    assert counts(db) == written
    assert person.id not in {p.id for p in services.attendants(prop.id)}


def test_a_room_out_of_use_is_not_assigned(db, prop):
    room = helpers.room(prop, active=False)
    with pytest.raises(DomainError, match="out of use"):
        helpers.assign(room)
    assert services.assignment_for(room, local_today()) is None


def test_rooms_go_to_the_end_of_the_list_with_the_credits_of_their_type(db, prop):
    kind = helpers.room_type(prop, departure="2.0", stayover="1.2", vacant="0.4")
    person, other = helpers.attendant(prop), helpers.attendant(prop)
    rooms = [
        helpers.room(prop, kind=kind, occupancy=occupancy)
        for occupancy in (Occupancy.DEPARTURE, Occupancy.STAYOVER, Occupancy.VACANT)
    ]
    rows = [helpers.assign(r, person) for r in rooms]
    assert [r.position for r in rows] == [1, 2, 3]
    assert [r.credits for r in rows] == [Decimal("2.0"), Decimal("1.2"), Decimal("0.4")]
    assert [r.occupancy for r in rows] == ["departure", "stayover", "vacant"]
    assert helpers.assign(helpers.room(prop, kind=kind), other).position == 1
    assert services.loads(prop.id, local_today()) == {
        person.id: Decimal("3.6"),
        other.id: Decimal("2.0"),
    }
    assert actions(db).count("rosters.assigned") == 4


@pytest.mark.parametrize(
    ("occupancy", "nights", "every", "linen"),
    [
        (Occupancy.STAYOVER, 3, 3, True),
        (Occupancy.STAYOVER, 6, 3, True),
        (Occupancy.STAYOVER, 2, 3, False),
        (Occupancy.STAYOVER, 4, 3, False),
        (Occupancy.STAYOVER, 0, 3, False),  # the first night
        (Occupancy.STAYOVER, 4, 0, False),  # this type never changes linen on a stay-over
        (Occupancy.STAYOVER, 1, 1, True),
        (Occupancy.DEPARTURE, 3, 3, False),  # a departure is stripped anyway
        (Occupancy.VACANT, 3, 3, False),
    ],
)
def test_linen_is_changed_every_so_many_nights_of_a_stay(db, prop, occupancy, nights, every, linen):
    kind = helpers.room_type(prop, linen_every_nights=every)
    room = helpers.room(prop, kind=kind, occupancy=occupancy, occupied_nights=nights)
    assert services.needs_linen_change(room) is linen
    assert helpers.assign(room).linen_change is linen


def test_a_room_not_started_moves_to_another_attendant_and_then_stays(db, prop):
    room = helpers.room(prop)
    first, second = helpers.attendant(prop), helpers.attendant(prop)
    helpers.assign(helpers.room(prop), second)
    assignment = helpers.assign(room, first)
    supervisor = helpers.hk_supervisor(prop)
    assert services.move_assignment(assignment, first, by=supervisor) is assignment  # no change
    assert actions(db).count("rosters.moved") == 0
    services.move_assignment(assignment, second, by=supervisor)
    assert assignment.attendant_id == second.id and assignment.position == 2
    assert actions(db)[-1] == "rosters.moved"
    with pytest.raises(DomainError) as refused:
        services.move_assignment(assignment, helpers.front_office(prop), by=supervisor)
    assert refused.value.field == "attendant_id"
    helpers.start(assignment)
    written = counts(db)
    with pytest.raises(DomainError, match="has been started"):
        services.move_assignment(assignment, first, by=supervisor)
    with pytest.raises(DomainError, match="has been started"):
        services.remove_assignment(assignment, by=supervisor)
    db.session.expire_all()
    assert counts(db) == written and assignment.attendant_id == second.id


def test_a_room_not_started_comes_off_the_list(db, prop):
    room = helpers.room(prop)
    assignment = helpers.assign(room)
    services.remove_assignment(assignment, by=helpers.hk_supervisor(prop))
    assert services.assignment_for(room, local_today()) is None
    assert actions(db)[-1] == "rosters.unassigned"
    assert [r.id for r in services.rooms_to_assign(prop.id, local_today())] == [room.id]


def test_the_rooms_to_assign_are_the_dirty_ones_on_no_list_by_floor_and_number(db, prop):
    made = [
        helpers.room(prop, number=number, floor=floor, status=status, active=active)
        for number, floor, status, active in [
            ("305", 3, D, True),
            ("102", 1, D, True),
            ("101", 1, D, True),
            ("201", 2, C, True),  # clean
            ("202", 2, INS, True),  # inspected
            ("103", 1, D, False),  # out of use
            ("104", 1, D, True),  # assigned below
        ]
    ]
    helpers.assign(made[-1])
    waiting = services.rooms_to_assign(prop.id, local_today())
    assert [r.number for r in waiting] == ["101", "102", "305"]
    tomorrow = services.rooms_to_assign(prop.id, local_today() + timedelta(days=1))
    assert [r.number for r in tomorrow] == ["101", "102", "104", "305"]


# --- balancing ------------------------------------------------------------------------------------
CREDITS = ["0.3", "0.5", "1.0", "1.5", "2.0", "2.5"]


def _rooms(credits: list[str]) -> list[Room]:
    """Rooms in floor order, each a departure of a type of the given credits (not stored)."""
    return [
        Room(
            id=i,
            number=f"{i:03d}",
            floor=i // 10,
            occupancy=Occupancy.DEPARTURE,
            room_type=RoomType(credits_departure=Decimal(c)),
        )
        for i, c in enumerate(credits, start=1)
    ]


def _people(n: int) -> list[User]:
    return [User(id=100 + i, name_en=f"Attendant {i}") for i in range(n)]


def _fair_share(total: Decimal, loads: list[Decimal]) -> Decimal:
    """The share that evens out those below it, by trying each number of people left out
    (the most loaded first): independent of the service's own way of working it out."""
    ordered = sorted(loads)
    for k in range(len(ordered), 0, -1):
        fair = (total + sum(ordered[:k])) / k
        if all(load <= fair for load in ordered[:k]) and all(x > fair for x in ordered[k:]):
            return fair
    raise AssertionError("no fair share")


def _check_balance(rooms, people, existing):
    proposals = services.balance(rooms, people, existing)
    assert proposals == services.balance(rooms, people, existing)  # deterministic
    # every room once, in floor order, with its credits
    assert [p.room for p in proposals] == rooms
    assert [p.credits for p in proposals] == [r.room_type.credits_departure for r in rooms]
    # each person's rooms are one consecutive run, the runs in the people's order
    index = {p.id: i for i, p in enumerate(people)}
    runs = [index[p.attendant.id] for p in proposals]
    assert runs == sorted(runs)
    # every total within one room of the fair share; who already has more gets nothing
    biggest = max(p.credits for p in proposals)
    loads = [existing.get(p.id, Decimal(0)) for p in people]
    fair = _fair_share(sum(p.credits for p in proposals), loads)
    for person, load in zip(people, loads, strict=True):
        given = sum((p.credits for p in proposals if p.attendant is person), Decimal(0))
        if load > fair:
            assert given == 0, (person.id, load, fair)
        else:
            # (a hair more for the share's last decimal: it is a division)
            assert abs(load + given - fair) <= biggest + Decimal("1e-9"), (load, given, fair)
    return proposals


@pytest.mark.parametrize("seed", range(300))
def test_a_balanced_roster_evens_out_the_loads_in_runs_of_neighbouring_rooms(seed):
    rng = random.Random(seed)
    rooms = _rooms([rng.choice(CREDITS) for _ in range(rng.randint(1, 30))])
    people = _people(rng.randint(1, 6))
    existing = {p.id: Decimal(rng.randint(0, 16)) / 2 for p in people if rng.random() < 0.6}
    _check_balance(rooms, people, existing)


def test_someone_with_more_than_the_share_gets_nothing_and_the_others_even_out():
    rooms, people = _rooms(["1.0"] * 6), _people(3)
    proposals = _check_balance(rooms, people, {people[0].id: Decimal(10)})
    given = [sum(1 for p in proposals if p.attendant is person) for person in people]
    assert given == [0, 3, 3]


def test_equal_rooms_split_evenly_in_floor_order():
    rooms, people = _rooms(["1.0"] * 9), _people(3)
    proposals = _check_balance(rooms, people, {})
    assert [p.attendant.id for p in proposals] == [100] * 3 + [101] * 3 + [102] * 3


def test_nothing_to_balance_proposes_nothing():
    assert services.balance([], _people(3), {}) == []
    assert services.balance(_rooms(["1.0", "1.5"]), [], {}) == []


# --- the attendant's list -------------------------------------------------------------------------
def test_the_list_has_rush_rooms_first_put_off_ones_after_the_others_done_ones_last(db, prop):
    person = helpers.attendant(prop)
    fo = helpers.front_office(prop)
    rooms = {n: helpers.room(prop, number=n) for n in ("1", "2", "3", "4", "5", "6", "7", "8")}
    assignments = {n: helpers.assign(rooms[n], person) for n in rooms}
    services.defer(assignments["2"], Deferral.DND, by=person)
    services.defer(assignments["7"], Deferral.REFUSED, by=person)
    services.set_rush(rooms["7"], True, by=fo)  # rush, but put off: with the put off ones
    helpers.cleaned(assignments["3"])  # clean
    helpers.inspect(helpers.cleaned(assignments["1"]))  # inspected
    services.set_rush(rooms["5"], True, by=fo)
    started = helpers.start(assignments["6"])  # under way: still to do
    services.defer(assignments["8"], Deferral.NO_SERVICE, by=person)
    rows = services.day_list(person.id, local_today())
    assert [r.room.number for r in rows] == ["5", "4", "6", "7", "2", "8", "1", "3"]
    by_number = {r.room.number: r for r in rows}
    assert by_number["6"].cleaning.id == started.id and by_number["4"].cleaning is None
    assert by_number["2"].assignment.deferral_enum is Deferral.DND
    assert by_number["2"].assignment.deferred_at is not None
    assert actions(db).count("rosters.deferred") == 3
    assert services.day_list(person.id, local_today() + timedelta(days=1)) == []


def test_a_room_put_off_and_started_after_all_is_no_longer_put_off(db, prop):
    person = helpers.attendant(prop)
    first, later, other = (helpers.room(prop, number=n) for n in ("1", "2", "3"))
    assignment = helpers.assign(first, person)
    helpers.assign(later, person)
    services.defer(helpers.assign(other, person), Deferral.DND, by=person)
    services.defer(assignment, Deferral.DND, by=person)  # the guest lets them in later on
    written = counts(db)
    helpers.inspect(helpers.cleaned(assignment), fail=(1,))  # and it must be done again
    assert assignment.deferral is None and assignment.deferred_at is None
    rows = services.day_list(person.id, local_today())
    assert [r.room.number for r in rows] == ["1", "2", "3"]  # the re-clean is not put off
    assert actions(db)[: written["AuditEvent"]].count("rosters.deferred") == 2


def test_only_a_dirty_room_is_put_off(db, prop):
    assignment = helpers.assign(helpers.room(prop, number="808"))
    helpers.start(assignment)
    with pytest.raises(DomainError, match="Room 808 is Cleaning"):
        services.defer(assignment, Deferral.DND, by=assignment.attendant)
    assert assignment.deferral is None


# --- rush and dirty -------------------------------------------------------------------------------
def test_rush_is_flagged_once_and_cleared_once(db, prop):
    room = helpers.room(prop)
    fo = helpers.front_office(prop)
    assert services.set_rush(room, True, by=fo) is True and room.rush is True
    assert services.set_rush(room, True, by=fo) is False
    assert actions(db) == ["rosters.rush"]
    assert services.set_rush(room, False, by=fo) is True and room.rush is False
    assert services.set_rush(room, False, by=fo) is False
    assert actions(db) == ["rosters.rush", "rosters.rush_cleared"]


def test_an_inspected_room_is_not_flagged_rush(db, prop):
    room = helpers.room(prop, number="707")
    helpers.inspect(helpers.cleaned(helpers.assign(room)))
    written = counts(db)
    with pytest.raises(DomainError, match="Room 707 is already inspected"):
        services.set_rush(room, True, by=helpers.front_office(prop))
    db.session.expire_all()
    assert room.rush is False and counts(db) == written


@pytest.mark.parametrize("before", [RoomStatus.INSPECTED, RoomStatus.CLEAN])
@pytest.mark.parametrize("occupancy", list(Occupancy))
def test_a_clean_or_inspected_room_is_marked_dirty_as_front_office_says(
    db, prop, before, occupancy
):
    room = helpers.room(prop, status=before, occupancy=Occupancy.VACANT)
    stamp = room.changed_at
    services.mark_dirty(room, occupancy, by=helpers.front_office(prop))
    db.session.expire_all()
    assert room.status == RoomStatus.DIRTY and room.occupancy == occupancy
    assert room.changed_at >= stamp
    assert actions(db) == ["rosters.dirty"]


@pytest.mark.parametrize("before", [RoomStatus.DIRTY, RoomStatus.CLEANING])
def test_a_room_dirty_or_being_cleaned_is_not_marked_dirty(db, prop, before):
    room = helpers.room(prop, number="909", status=before, occupancy=Occupancy.VACANT)
    with pytest.raises(DomainError) as refused:
        services.mark_dirty(room, Occupancy.DEPARTURE, by=helpers.front_office(prop))
    assert "Room 909" in refused.value.message and "marked dirty" in refused.value.message
    db.session.expire_all()
    assert room.status == before and room.occupancy == Occupancy.VACANT
    assert actions(db) == []


# --- the audit trail ------------------------------------------------------------------------------
def test_every_change_writes_its_audit_row(db, prop):
    """A day of one room, every service that changes something: one row each, by the person
    who acted, on the object changed, with an action the module names."""
    named = modules.audit_actions()
    manager, supervisor = helpers.manager(prop), helpers.hk_supervisor(prop)
    person, fo = helpers.attendant(prop), helpers.front_office(prop)
    kind = helpers.room_type(prop)
    version = helpers.cleaning_sop(prop, steps=2)
    seen = []

    def check(action, obj, actor, object_type=None):
        rows = list(
            db.session.scalars(select(AuditEvent).where(AuditEvent.id > (seen[-1] if seen else 0)))
        )
        assert [r.action for r in rows] == [action], rows
        row = rows[0]
        assert action in named
        assert row.actor_id == actor.id and row.property_id == prop.id
        assert row.object_type == (object_type or obj.__tablename__)
        assert row.object_id == (prop.id if object_type == "roster_settings" else obj.id)
        seen.append(row.id)

    seen.append(db.session.scalar(select(func.max(AuditEvent.id))))  # the SOP's own rows
    services.choose_checklist(prop.id, version.sop_id, by=manager)
    check("rosters.settings_changed", None, manager, "roster_settings")
    room = services.add_room(prop.id, "501", 5, kind.id, by=manager)
    check("rosters.room_added", room, manager)
    services.update_room(room, "502", 5, kind.id, by=manager)
    check("rosters.room_changed", room, manager)
    spare = services.add_room(prop.id, "503", 5, kind.id, by=manager)
    check("rosters.room_added", spare, manager)
    assignment = services.assign(room, person, local_today(), by=supervisor)
    check("rosters.assigned", assignment, supervisor)
    other = services.assign(spare, person, local_today(), by=supervisor)
    check("rosters.assigned", other, supervisor)
    services.move_assignment(other, helpers.attendant(prop), by=supervisor)
    check("rosters.moved", other, supervisor)
    services.remove_assignment(other, by=supervisor)
    check("rosters.unassigned", other, supervisor)
    services.defer(assignment, Deferral.DND, by=person)
    check("rosters.deferred", assignment, person)
    services.set_rush(room, True, by=fo)
    check("rosters.rush", room, fo)
    services.set_rush(room, False, by=fo)
    check("rosters.rush_cleared", room, fo)
    cleaning = services.start(assignment, by=person)
    check("rosters.started", cleaning, person)
    services.tick(cleaning, 1, True, by=person)
    check("rosters.ticked", cleaning, person)
    services.tick(cleaning, 1, False, by=person)
    check("rosters.unticked", cleaning, person)
    helpers.tick_all(cleaning)
    seen.append(db.session.scalar(select(func.max(AuditEvent.id))))
    services.finish(cleaning, by=person)
    check("rosters.finished", cleaning, person)
    failed = services.inspect(cleaning, helpers.marks(cleaning, fail=(1,)), "Again", by=supervisor)
    check("rosters.failed", failed, supervisor)
    again = helpers.tick_all(services.start(assignment, by=person))
    services.finish(again, by=person)
    seen.append(db.session.scalar(select(func.max(AuditEvent.id))))
    passed = services.inspect(again, helpers.marks(again), "", by=supervisor)
    check("rosters.passed", passed, supervisor)
    services.mark_dirty(room, Occupancy.DEPARTURE, by=fo)
    check("rosters.dirty", room, fo)
    policy = policies.set_policy(person, Policy.SAMPLE, 2, by=supervisor)
    check("rosters.policy_set", policy, supervisor)
    third = helpers.tick_all(services.start(assignment, by=person))
    services.finish(third, by=person)
    seen.append(db.session.scalar(select(func.max(AuditEvent.id))))
    policies.release(third, SkipReason.GUEST_WAITING, by=supervisor)
    check("rosters.released", third, supervisor)
    item = finds.record_found(room, "Watch", by=person)
    check("rosters.item_found", item, person)
    finds.close_found(item, "returned", "Mr Chen", by=fo)
    check("rosters.item_closed", item, fo)
    defect = finds.report_defect(room, "Tap drips", by=person)
    check("rosters.defect_reported", defect, person)
    finds.fix_defect(defect, "Washer", by=manager)
    check("rosters.defect_fixed", defect, manager)
    lobby = areas.add_area(
        prop.id, by=manager, code="LOBBY", name_en="Lobby", name_zh="大堂", kind="lobby"
    )
    check("rosters.area_added", lobby, manager)
    cleaned = areas.record_round(lobby, by=person)
    check("rosters.area_cleaned", cleaned, person)
    given = areas.give_area(lobby, person, local_today(), by=supervisor)
    check("rosters.area_assigned", given, supervisor)
    areas.give_area(lobby, None, local_today(), by=supervisor)
    check("rosters.area_unassigned", given, supervisor)
    assert areas.record_round(lobby, by=person) is None  # a double tap: the same round
    assert {a for a in named if a.startswith("rosters.")} <= set(actions(db))


def test_a_stay_over_counts_its_nights_and_a_departure_starts_again(ctx):
    prop = factories.property_()
    kind = helpers.room_type(prop, linen_every_nights=3)
    made = helpers.room(prop, "710", status=RoomStatus.INSPECTED, kind=kind)
    boss = helpers.hk_supervisor(prop)
    for night in (1, 2, 3):
        services.mark_dirty(made, Occupancy.STAYOVER, by=boss)
        assert made.occupied_nights == night
        made.status = RoomStatus.INSPECTED
        db.session.flush()
    assert services.needs_linen_change(made)
    services.mark_dirty(made, Occupancy.DEPARTURE, by=boss)
    assert made.occupied_nights == 0 and not services.needs_linen_change(made)


def test_a_key_point_of_the_sop_counts_twice_in_the_score(db, prop):
    assert services.score_of({1: Outcome.PASS, 2: Outcome.FAIL}) == Decimal("50.00")
    weighted = services.score_of({1: Outcome.PASS, 2: Outcome.FAIL}, {2: 2})
    assert weighted == Decimal("33.33")
    version = helpers.cleaning_sop(prop, steps=3)
    version.steps[1].key_point = True
    db.session.flush()
    services.choose_checklist(prop.id, version.sop_id, by=helpers.manager(prop))
    cleaning = helpers.finish(helpers.tick_all(helpers.start(helpers.assign(helpers.room(prop)))))
    assert checklist_of(cleaning).weights == {1: 1, 2: 2, 3: 1}
    inspection = helpers.inspect(cleaning, fail=(2,), note="Towels")
    assert inspection.score == Decimal("50.00")  # 2 of 4 by weight (the failed key point is 2)

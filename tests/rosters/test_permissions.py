"""Who may do what with the rooms: every can_* predicate of the rosters module for each kind of
person, at the rooms' property and at another one (a table: one row per person)."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin

from portal.blueprints.rosters import permissions as p
from tests import factories
from tests.rosters import helpers

# The predicates, each asked about the objects of the home property: a room, an assignment on
# the attendant's list and that attendant's cleaning of it.
CHECKS = {
    "view_board": lambda user, w: p.can_view_board(user),
    "view_room": lambda user, w: p.can_view_room(user, w["room"]),
    "keep_rooms": lambda user, w: p.can_keep_rooms(user),
    "keep_room": lambda user, w: p.can_keep_rooms(user, w["room"]),
    "build_roster": lambda user, w: p.can_build_roster(user),
    "change_assignment": lambda user, w: p.can_change_assignment(user, w["assignment"]),
    "see_my_rooms": lambda user, w: p.can_see_my_rooms(user),
    "clean": lambda user, w: p.can_clean(user, w["assignment"]),
    "tick": lambda user, w: p.can_tick(user, w["cleaning"]),
    "inspect": lambda user, w: p.can_inspect(user, w["cleaning"]),
    "flag_rush": lambda user, w: p.can_flag_rush(user, w["room"]),
    "mark_dirty": lambda user, w: p.can_mark_dirty(user, w["room"]),
}
NAMES = list(CHECKS)


def allowed(*names: str) -> dict[str, bool]:
    unknown = set(names) - set(NAMES)
    assert not unknown, unknown
    return {name: name in names for name in NAMES}


READS = ("view_board", "view_room")
FRONT_DESK = (*READS, "flag_rush", "mark_dirty")
RUNS = (*FRONT_DESK, "keep_rooms", "keep_room", "build_roster", "change_assignment", "inspect")
# At another property: their own board and roster, nothing of this property's rooms.
ELSEWHERE_RUNS = ("view_board", "keep_rooms", "build_roster")

# person -> (how to make them, what they may do)
TABLE = {
    "the attendant whose list it is": (
        lambda w: w["attendant"],
        allowed(*READS, "see_my_rooms", "clean", "tick"),
    ),
    "another attendant": (lambda w: helpers.attendant(w["prop"]), allowed(*READS, "see_my_rooms")),
    "an employee of another department": (
        lambda w: factories.person("employee", prop=w["prop"], dept="HR"),
        allowed(),
    ),
    "housekeeping's supervisor": (lambda w: helpers.hk_supervisor(w["prop"]), allowed(*RUNS)),
    # Any supervisor reads the board (the duty supervisor of the night, say); nothing more.
    "a supervisor of another department": (
        lambda w: factories.person("supervisor", prop=w["prop"], dept="HR"),
        allowed(*READS),
    ),
    "a front office employee": (lambda w: helpers.front_office(w["prop"]), allowed(*FRONT_DESK)),
    "front office's supervisor": (
        lambda w: factories.person("supervisor", prop=w["prop"], dept="FO"),
        allowed(*FRONT_DESK),
    ),
    "a manager": (lambda w: helpers.manager(w["prop"]), allowed(*RUNS)),
    "a group admin (of another property)": (
        lambda w: factories.person("admin", prop=w["other"], dept="FO"),
        allowed(*RUNS),
    ),
    "HR": (lambda w: factories.person("hr", prop=w["prop"], dept="HR"), allowed()),
    "an attendant of another property": (
        lambda w: helpers.attendant(w["other"]),
        allowed("view_board", "see_my_rooms"),
    ),
    "housekeeping's supervisor of another property": (
        lambda w: helpers.hk_supervisor(w["other"]),
        allowed(*ELSEWHERE_RUNS),
    ),
    "a manager of another property": (
        lambda w: helpers.manager(w["other"]),
        allowed(*ELSEWHERE_RUNS),
    ),
    "front office of another property": (
        lambda w: helpers.front_office(w["other"]),
        allowed("view_board"),
    ),
}


@pytest.fixture
def world(db, ctx):
    prop = factories.property_()
    attendant = helpers.attendant(prop)
    room = helpers.room(prop)
    assignment = helpers.assign(room, attendant)
    cleaning = helpers.start(assignment)
    return {
        "prop": prop,
        "other": factories.property_("OTH"),
        "attendant": attendant,
        "room": room,
        "assignment": assignment,
        "cleaning": cleaning,
    }


@pytest.mark.parametrize("who", list(TABLE))
def test_each_person_may_do_what_the_table_says(world, who):
    make, expected = TABLE[who]
    user = make(world)
    got = {name: bool(check(user, world)) for name, check in CHECKS.items()}
    assert got == expected, {n: got[n] for n in NAMES if got[n] != expected[n]}


def test_an_attendant_no_longer_active_cleans_no_more(world):
    attendant = world["attendant"]
    attendant.active = False
    assert p.is_attendant(attendant) is False
    assert p.can_see_my_rooms(attendant) is False
    assert p.can_clean(attendant, world["assignment"]) is False


def test_nobody_cleans_a_room_on_no_list(world):
    assert p.can_clean(world["attendant"], None) is False


@pytest.mark.parametrize("check", NAMES)
def test_someone_not_signed_in_may_do_none_of_it(world, check):
    assert CHECKS[check](AnonymousUserMixin(), world) is False


def test_the_cleaner_never_inspects_their_own_cleaning_whatever_their_role(world):
    """A supervisor who cleaned a room themselves (short of staff) does not inspect it."""
    supervisor = helpers.hk_supervisor(world["prop"])
    cleaning = world["cleaning"]
    assert p.can_inspect(supervisor, cleaning) is True
    cleaning.attendant_id = supervisor.id
    assert p.can_inspect(supervisor, cleaning) is False
    assert p.can_tick(supervisor, cleaning) is True

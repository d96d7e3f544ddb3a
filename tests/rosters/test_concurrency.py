"""Two tablets on one room at the same moment (SQLite and PostgreSQL:
PORTAL_TEST_DATABASE_URL): the room is inspected once and the other inspector is told what it
is now, it goes on one attendant's list, a double tap finishes a cleaning once, and two taps on
Start make one cleaning."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.blueprints.people.models import User
from portal.blueprints.rosters import services
from portal.blueprints.rosters.models import (
    Assignment,
    Cleaning,
    Inspection,
    Room,
    RoomStatus,
)
from portal.errors import DomainError
from portal.extensions import db as _db
from portal.i18n import local_today
from tests import factories
from tests.rosters import helpers
from tests.test_concurrency import run_together


def _setup(app, make):
    """make(prop) -> a dict of ids, committed."""
    with app.test_request_context():
        ids = make(factories.property_())
        _db.session.commit()
        _db.session.remove()
    return ids


def _at_once(app, step) -> dict:
    """step(i) in two workers at once, each in its own request and transaction: {i: what it
    returned, or the DomainError it raised (rolled back)}."""

    def work(i):
        with app.test_request_context():
            try:
                result = step(i)
                _db.session.commit()
                return result
            except DomainError as error:
                _db.session.rollback()
                return error
            finally:
                _db.session.remove()

    return run_together(work, 2)


def _refusals(results: dict) -> list[DomainError]:
    return [r for r in results.values() if isinstance(r, DomainError)]


def _count(app, model, *where) -> int:
    with app.app_context():
        n = _db.session.scalar(select(func.count()).select_from(model).where(*where))
        _db.session.remove()
    return n


def _audited(app, action: str) -> int:
    return _count(app, AuditEvent, AuditEvent.action == action)


def _room_status(app, room_id: int) -> str:
    with app.app_context():
        status = _db.session.get(Room, room_id).status
        _db.session.remove()
    return status


def _clean_room(prop) -> dict:
    room = helpers.room(prop, number="611")
    cleaning = helpers.cleaned(helpers.assign(room))
    inspectors = [helpers.hk_supervisor(prop) for _ in range(2)]
    return {"room": room.id, "cleaning": cleaning.id, "inspectors": [p.id for p in inspectors]}


def test_two_supervisors_inspecting_one_room_at_once_inspect_it_once(app, committed_db):
    ids = _setup(app, _clean_room)

    def inspect(i):
        cleaning = _db.session.get(Cleaning, ids["cleaning"])
        by = _db.session.get(User, ids["inspectors"][i])
        fail = (4,) if i else ()  # one passes it, the other fails it
        return helpers.inspect(cleaning, fail=fail, by=by).id

    results = _at_once(app, inspect)
    refused = _refusals(results)
    assert len(refused) == 1, results
    winner = next(i for i, r in results.items() if not isinstance(r, DomainError))
    now = RoomStatus.DIRTY if winner else RoomStatus.INSPECTED
    assert _room_status(app, ids["room"]) == now
    # the other is told what the room is now
    assert "Room 611" in refused[0].message and now.label in refused[0].message
    assert _count(app, Inspection) == 1
    assert _audited(app, "rosters.passed") + _audited(app, "rosters.failed") == 1
    with app.app_context():
        inspection = _db.session.scalar(select(Inspection))
        assert inspection.inspector_id == ids["inspectors"][winner]
        assert inspection.passed is (winner == 0)
        _db.session.remove()


def test_two_supervisors_assigning_one_room_at_once_put_it_on_one_list(app, committed_db):
    def make(prop):
        people = [helpers.attendant(prop) for _ in range(2)]
        bosses = [helpers.hk_supervisor(prop) for _ in range(2)]
        room = helpers.room(prop, number="612")
        return {"room": room.id, "people": [p.id for p in people], "by": [b.id for b in bosses]}

    ids = _setup(app, make)

    def assign(i):
        room = _db.session.get(Room, ids["room"])
        person = _db.session.get(User, ids["people"][i])
        by = _db.session.get(User, ids["by"][i])
        return services.assign(room, person, local_today(), by=by).attendant_id

    results = _at_once(app, assign)
    refused = _refusals(results)
    assert len(refused) == 1, results
    assert "Room 612" in refused[0].message and refused[0].field == "room_ids"
    winner = next(r for r in results.values() if not isinstance(r, DomainError))
    assert _count(app, Assignment) == 1
    assert _count(app, Assignment, Assignment.attendant_id == winner) == 1
    assert _audited(app, "rosters.assigned") == 1


def test_a_double_tap_on_finish_finishes_the_cleaning_once(app, committed_db):
    def make(prop):
        cleaning = helpers.tick_all(helpers.start(helpers.assign(helpers.room(prop))))
        return {"room": cleaning.room_id, "cleaning": cleaning.id, "by": cleaning.attendant_id}

    ids = _setup(app, make)

    def finish(i):
        cleaning = _db.session.get(Cleaning, ids["cleaning"])
        services.finish(cleaning, by=_db.session.get(User, ids["by"]))
        return cleaning.finished_at

    results = _at_once(app, finish)
    # a double tap: both taps answer as finished, nobody is told the room changed
    assert _refusals(results) == [], results
    assert _room_status(app, ids["room"]) == RoomStatus.CLEAN
    assert _audited(app, "rosters.finished") == 1
    with app.app_context():
        finished_at = _db.session.get(Cleaning, ids["cleaning"]).finished_at
        _db.session.remove()
    assert finished_at is not None and finished_at in results.values()


def test_a_double_tap_on_start_makes_one_cleaning(app, committed_db):
    def make(prop):
        assignment = helpers.assign(helpers.room(prop, number="613"))
        return {"room": assignment.room_id, "assignment": assignment.id}

    ids = _setup(app, make)

    def start(i):
        assignment = _db.session.get(Assignment, ids["assignment"])
        return services.start(assignment, by=assignment.attendant).id

    results = _at_once(app, start)
    refused = _refusals(results)
    assert len(refused) == 1, results
    assert "Room 613" in refused[0].message
    assert RoomStatus.CLEANING.label in refused[0].message or "already" in refused[0].message
    assert _room_status(app, ids["room"]) == RoomStatus.CLEANING
    assert _count(app, Cleaning) == 1 and _audited(app, "rosters.started") == 1

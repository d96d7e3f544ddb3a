"""The rosters demo, as `flask seed-demo` leaves it once the rosters seeder has run (the seeders
before it, then it, in their order): the hotel's rooms, its housekeeping team, sixty days of
rosters, cleanings and inspections, and today half done.

The demo is loaded once for this module, in a transaction rolled back at its end; the tests
only read it. (The training seeder, which runs after this one, adds a housekeeper hired two
days ago: she has no rooms yet.)
"""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy import event, func, select
from sqlalchemy.orm import scoped_session, sessionmaker

from portal import audit, modules
from portal.audit import AuditEvent
from portal.blueprints.people import services as people
from portal.blueprints.people.demo import DEMO_PASSWORD, DEMO_PIN
from portal.blueprints.people.models import Department, Property, Role
from portal.blueprints.rosters import demo as rosters_demo
from portal.blueprints.rosters import services
from portal.blueprints.rosters.checklist import checklist_for, checklist_of
from portal.blueprints.rosters.models import (
    Assignment,
    Cleaning,
    CleaningTick,
    Deferral,
    Inspection,
    Occupancy,
    Release,
    Room,
    RoomStatus,
    RoomType,
    RosterSettings,
    SkipReason,
)
from portal.database import utcnow
from portal.extensions import db as _db
from portal.i18n import local_day_start, local_today, to_local

CJK = re.compile(r"[\u4e00-\u9fff]")
ROSTER_TABLES = (RoomType, Room, RosterSettings, Assignment, Cleaning, CleaningTick, Inspection)


@pytest.fixture(scope="module")
def demo(app):
    """The seeded demo: the hotel, its housekeeping, today, and what the rosters seeder cost
    (seconds, SQL statements)."""
    with app.app_context():
        connection = _db.engine.connect()
        outer = connection.begin()
        original = _db.session
        _db.session = scoped_session(
            sessionmaker(bind=connection, join_transaction_mode="create_savepoint"),
            scopefunc=_app_ctx_id,
        )
        statements = []

        def count(conn, cursor, statement, params, context, executemany):
            if not re.match(r"\s*(SAVEPOINT|RELEASE|ROLLBACK TO)", statement, re.I):
                statements.append(statement)

        try:
            for name, seed in modules.seeders():
                if name == "rosters":
                    event.listen(connection, "before_cursor_execute", count)
                    started = time.perf_counter()
                    loaded = seed()
                    seconds = time.perf_counter() - started
                    event.remove(connection, "before_cursor_execute", count)
                    _db.session.commit()
                    break
                seed()
                _db.session.commit()
            hotel = _db.session.scalar(select(Property).where(Property.code == "HTL"))
            hk = _db.session.scalar(
                select(Department).where(
                    Department.property_id == hotel.id, Department.code == "HK"
                )
            )
            yield SimpleNamespace(
                loaded=loaded,
                seconds=seconds,
                statements=len(statements),
                hotel=hotel,
                hk=hk,
                today=local_today(),
                now=utcnow(),
            )
        finally:
            _db.session.remove()
            _db.session = original
            outer.rollback()
            connection.close()


def _all(statement):
    return list(_db.session.scalars(statement))


def _rows(model) -> int:
    return _db.session.scalar(select(func.count()).select_from(model))


def _today_assignments(demo) -> list[Assignment]:
    return _all(
        select(Assignment).where(
            Assignment.property_id == demo.hotel.id, Assignment.day == demo.today
        )
    )


def _cleanings(demo, *where) -> list[Cleaning]:
    return _all(select(Cleaning).where(Cleaning.property_id == demo.hotel.id, *where))


def _inspections_by_cleaning(demo) -> dict[int, Inspection]:
    rows = _all(select(Inspection).where(Inspection.property_id == demo.hotel.id))
    return {i.cleaning_id: i for i in rows}


def _first_pass(demo, *where) -> list[tuple[Cleaning, Inspection]]:
    inspections = _inspections_by_cleaning(demo)
    return [
        (c, inspections[c.id])
        for c in _cleanings(demo, Cleaning.reclean.is_(False), *where)
        if c.id in inspections
    ]


# --- loading --------------------------------------------------------------------------------
def test_the_demo_loads_in_bulk_and_only_once(demo):
    assert demo.loaded is True
    written = sum(_rows(model) for model in ROSTER_TABLES)
    assert written > 20_000
    # History goes in a statement per table: the statements are the people added, the day's
    # actions in the audit trail and a few reads, not one per row.
    assert demo.statements < 1_200
    assert demo.seconds < 10  # about 1.5 s on SQLite, 2.5 s on PostgreSQL
    before = _every_table()
    assert rosters_demo.seed_rosters() is False  # the hotel has rooms: nothing more is added
    assert _every_table() == before


def _every_table() -> dict[str, int]:
    return {
        table.name: _db.session.scalar(select(func.count()).select_from(table))
        for table in _db.metadata.sorted_tables
    }


# --- rooms and people -----------------------------------------------------------------------
def test_two_hundred_rooms_of_three_types(demo):
    types = {t.code: t for t in _all(select(RoomType).where(RoomType.property_id == demo.hotel.id))}
    assert {code: (t.name_en, t.name_zh) for code, t in types.items()} == {
        "STD": ("Standard room", "标准间"),
        "DLX": ("Deluxe room", "豪华间"),
        "STE": ("Suite", "套房"),
    }
    for t in types.values():
        assert isinstance(t.credits_departure, Decimal)
        assert t.credits_departure > t.credits_stayover > t.credits_vacant > 0
    for occupancy in Occupancy:
        std, dlx, ste = (types[c].credits(occupancy) for c in ("STD", "DLX", "STE"))
        assert std < dlx < ste
    assert [types[c].linen_every_nights for c in ("STD", "DLX", "STE")] == [3, 3, 2]

    rooms = services.rooms_list(demo.hotel.id)
    assert len(rooms) == 200 and all(r.active for r in rooms)
    by_floor = defaultdict(list)
    for room in rooms:
        by_floor[room.floor].append(room.number)
    assert sorted(by_floor) == list(range(3, 11))
    for floor, numbers in by_floor.items():
        assert numbers == [f"{floor}{i:02d}" for i in range(1, 26)]
    kinds = Counter(r.room_type.code for r in rooms)
    assert kinds["STD"] > 50 and kinds["DLX"] > 50 and 0 < kinds["STE"] <= 10
    for room in rooms:
        if room.room_type.code == "STE":  # at the ends of the upper floors
            assert room.floor >= 9 and int(room.number[-2:]) in (1, 2, 3, 23, 24, 25)


def test_twelve_room_attendants_and_two_housekeeping_supervisors(demo):
    attendants = services.attendants(demo.hotel.id)
    assert len(attendants) == 12
    assert len({a.staff_no for a in attendants}) == 12
    for person in attendants:
        assert person.active and person.role == Role.EMPLOYEE
        assert person.department.code == "HK" and person.property_id == demo.hotel.id
        assert re.fullmatch(r"[A-Za-z .·'-]+", person.name_en), person.name_en
        assert CJK.search(person.name_zh), person.name_zh
        assert person.pin_hash and person.username is None
    added = [p for p in attendants if p.staff_no.startswith("E11")]
    assert [p.staff_no for p in sorted(added, key=lambda p: p.staff_no)] == [
        "E1101",
        "E1102",
        "E1103",
    ]
    for person in added:
        assert person.check_pin(DEMO_PIN)
        assert person.job_title.title_en == "Room attendant"
        assert person.hire_date < demo.today - timedelta(days=60)  # there for all the history

    supervisors = people.supervisors_of(demo.hk.id)
    assert {s.username for s in supervisors} == {"supervisor", "hk.supervisor"}
    second = next(s for s in supervisors if s.username == "hk.supervisor")
    assert second.role == Role.SUPERVISOR and second.department.code == "HK"
    assert [d.code for d in second.supervises] == ["HK"]
    assert second.check_password(DEMO_PASSWORD)
    assert second.name_en == "Joyce Liang" and CJK.search(second.name_zh)
    assert second.job_title.title_en == "Housekeeping supervisor"
    created = _all(select(AuditEvent.object_id).where(AuditEvent.action == "person.created"))
    assert {p.id for p in [*added, second]} <= set(created)


def test_the_checklist_is_the_guest_room_cleaning_sop(demo):
    from portal.blueprints.sops.models import Sop

    sop = _db.session.scalar(
        select(Sop).where(Sop.property_id == demo.hotel.id, Sop.number == "HK-001")
    )
    settings = _db.session.get(RosterSettings, demo.hotel.id)
    assert settings is not None and settings.cleaning_sop_id == sop.id
    assert _db.session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(
            AuditEvent.action == "rosters.settings_changed", AuditEvent.object_id == demo.hotel.id
        )
    )
    # Every cleaning follows the checklist in force on its day: its SOP version, its steps.
    shapes = {
        (day, version, steps)
        for day, version, steps in _db.session.execute(
            select(Cleaning.day, Cleaning.sop_version_id, Cleaning.steps).distinct()
        )
    }
    assert len({day for day, _v, _s in shapes}) == 61
    for day, version, steps in shapes:
        checklist = checklist_for(demo.hotel.id, day)
        assert (version, steps) == (checklist.sop_version_id, len(checklist)), day
    versions = {version for _d, version, _s in shapes}
    assert None not in versions and len(versions) == 2  # HK-001 was revised a month ago


# --- sixty days -------------------------------------------------------------------------------
def test_sixty_days_of_rosters_no_room_on_two_lists(demo):
    attendants = {a.id for a in services.attendants(demo.hotel.id)}
    assignments = _all(select(Assignment).where(Assignment.property_id == demo.hotel.id))
    days = sorted({a.day for a in assignments})
    assert days == [demo.today - timedelta(days=n) for n in range(60, -1, -1)]
    per_day = defaultdict(list)
    for a in assignments:
        per_day[a.day].append(a)
    for day, rows in per_day.items():
        rooms = [a.room_id for a in rows]
        assert len(rooms) == len(set(rooms)), day  # one list per room and day
        people_on = {a.attendant_id for a in rows}
        assert people_on <= attendants
        if day < demo.today:
            assert 90 <= len(rows) <= 150, (day, len(rows))
            assert 9 <= len(people_on) <= 12, day
        for person in people_on:  # each list numbered 1, 2, 3...
            positions = sorted(a.position for a in rows if a.attendant_id == person)
            assert positions == list(range(1, len(positions) + 1))
    # Each past assignment was cleaned once, by the attendant whose list it was on.
    lists = {(a.day, a.room_id): a.attendant_id for a in assignments}
    cleanings = _cleanings(demo)
    for cleaning in cleanings:
        assert lists[(cleaning.day, cleaning.room_id)] == cleaning.attendant_id
    first = Counter((c.day, c.room_id) for c in cleanings if not c.reclean)
    assert all(first[(a.day, a.room_id)] == 1 for a in assignments if a.day < demo.today)
    assert max(first.values()) == 1


def test_cleanings_take_plausible_times(demo):
    cleanings = _cleanings(demo)
    ticks = _all(select(CleaningTick))
    for cleaning in cleanings:
        assert cleaning.started_at <= demo.now
        assert cleaning.finished_at is None or cleaning.started_at < cleaning.finished_at
        assert cleaning.finished_at is None or cleaning.finished_at <= demo.now
        if cleaning.day < demo.today:
            start, end = to_local(cleaning.started_at), to_local(cleaning.finished_at)
            assert start.date() == cleaning.day, cleaning.id
            assert start.hour >= 8 and end.hour < 18, cleaning.id  # the day shift
    assert all(t.ticked_at <= demo.now for t in ticks)
    # No ticks are kept for the finished history: only today's cleanings have them.
    ticked = {t.cleaning_id for t in ticks}
    assert ticked == {c.id for c in cleanings if c.day == demo.today}

    occupancy = {
        (a.day, a.room_id): a.occupancy
        for a in _all(select(Assignment).where(Assignment.day < demo.today))
    }
    minutes, by_attendant = defaultdict(list), defaultdict(list)
    for c in cleanings:
        if c.day < demo.today and not c.reclean:
            kind = occupancy[(c.day, c.room_id)]
            minutes[kind].append(c.minutes)
            if kind == Occupancy.STAYOVER:
                by_attendant[c.attendant_id].append(c.minutes)
    mean = {kind: sum(v) / len(v) for kind, v in minutes.items()}
    assert mean["departure"] > mean["stayover"] > mean["vacant"]
    assert 20 <= mean["departure"] <= 45 and 5 <= mean["vacant"] <= 15
    speeds = [sum(v) / len(v) for v in by_attendant.values()]
    assert len(speeds) == 12 and max(speeds) > 1.2 * min(speeds)  # attendants differ


def test_every_inspection_scores_its_items(demo):
    cleanings = {c.id: c for c in _cleanings(demo)}
    inspections = _all(select(Inspection).where(Inspection.property_id == demo.hotel.id))
    supervisors = {s.id for s in people.supervisors_of(demo.hk.id)}
    from portal.blueprints.rosters.checklist import checklist_of_version

    weights = {}  # by SOP version: a key point of the SOP counts twice
    for inspection in inspections:
        cleaning = cleanings[inspection.cleaning_id]
        assert inspection.room_id == cleaning.room_id
        assert inspection.inspector_id in supervisors
        assert cleaning.finished_at < inspection.inspected_at <= demo.now
        marks = inspection.items
        assert set(marks.values()) <= {"fail", "na"}
        assert all(1 <= int(k) <= cleaning.steps for k in marks)
        if cleaning.sop_version_id not in weights:
            weights[cleaning.sop_version_id] = checklist_of_version(cleaning.sop_version_id).weights
        weight = weights[cleaning.sop_version_id]
        failed = sum(weight.get(int(k), 1) for k, v in marks.items() if v == "fail")
        passed = sum(weight.get(p, 1) for p in range(1, cleaning.steps + 1) if str(p) not in marks)
        assert inspection.score == (Decimal(100) * passed / (passed + failed)).quantize(
            Decimal("0.01")
        )
        assert inspection.passed == (failed == 0)
        assert bool(inspection.note) == (failed > 0)
    finished = [c for c in cleanings.values() if c.finished_at is not None]
    assert len(inspections) >= 0.8 * len(finished)  # most cleanings are inspected


def test_a_room_not_inspected_was_released_when_no_inspector_was_free(demo):
    """Every room is inspected, except on a supervisor's day off: then the other inspects the
    rooms to sell and some stay-overs, and releases the others with the coded reason."""
    inspections = _inspections_by_cleaning(demo)
    supervisors = {s.id for s in people.supervisors_of(demo.hk.id)}
    occupancy = {(a.day, a.room_id): a.occupancy for a in _all(select(Assignment))}
    inspectors = defaultdict(set)
    for inspection in inspections.values():
        inspectors[to_local(inspection.inspected_at).date()].add(inspection.inspector_id)
    released = []
    for cleaning in _cleanings(demo, Cleaning.finished_at.is_not(None)):
        if cleaning.id in inspections:
            assert cleaning.released is None
            continue
        if cleaning.day == demo.today:  # clean, waiting for the supervisor
            assert cleaning.released is None
            continue
        released.append(cleaning)
        assert cleaning.released == Release.SKIPPED and not cleaning.reclean
        assert cleaning.release_reason == SkipReason.SHORT_STAFFED
        assert cleaning.released_by_id in supervisors
        assert occupancy[(cleaning.day, cleaning.room_id)] == Occupancy.STAYOVER
        assert inspectors[cleaning.day] == {cleaning.released_by_id}  # alone that day
    assert 0 < len(released) < 0.2 * len(inspections)


def test_some_attendants_fail_more_and_one_step_most(demo):
    first = _first_pass(demo, Cleaning.day < demo.today)
    failed = [(c, i) for c, i in first if not i.passed]
    assert 0.06 <= len(failed) / len(first) <= 0.10
    rates = defaultdict(lambda: [0, 0])
    for cleaning, inspection in first:
        rates[cleaning.attendant_id][0] += 1
        rates[cleaning.attendant_id][1] += not inspection.passed
    share = sorted(bad / total for total, bad in rates.values())
    assert len(share) == 12 and share[-1] > 3 * share[0]
    # The steps that fail, by their wording (positions differ between SOP versions).
    steps = {}
    for version in {c.sop_version_id for c, _i in failed}:
        steps[version] = checklist_of(SimpleNamespace(sop_version_id=version)).steps
    counts = Counter(
        steps[c.sop_version_id][int(k) - 1].text_en
        for c, i in failed
        for k, v in i.items.items()
        if v == "fail"
    )
    (top, most), (_second, next_most) = counts.most_common(2)
    assert most > 1.5 * next_most, counts.most_common(3)
    assert "bed" in top.lower() or "toilet" in top.lower()


def test_a_failed_room_is_cleaned_again_by_the_same_attendant_and_passes(demo):
    inspections = _inspections_by_cleaning(demo)
    past = _cleanings(demo, Cleaning.day < demo.today)
    recleans = defaultdict(list)
    for cleaning in past:
        if cleaning.reclean:
            recleans[(cleaning.day, cleaning.room_id)].append(cleaning)
    failed = [(c, inspections[c.id]) for c in past if c.id in inspections]
    failed = [(c, i) for c, i in failed if not i.passed]
    assert len(failed) > 100
    for cleaning, inspection in failed:
        (again,) = recleans.pop((cleaning.day, cleaning.room_id))
        assert again.attendant_id == cleaning.attendant_id
        assert again.started_at > inspection.inspected_at
        assert again.finished_at is not None
        assert inspections[again.id].passed and inspections[again.id].inspector_id == (
            inspection.inspector_id
        )
    assert not recleans  # a re-clean only after a failed inspection


# --- today ------------------------------------------------------------------------------------
def test_today_is_half_done(demo):
    today = _today_assignments(demo)
    assert 110 <= len(today) <= 130
    assert len({a.attendant_id for a in today}) == 10
    rooms = {r.id: r for r in services.rooms_list(demo.hotel.id)}
    cleanings = defaultdict(list)
    for cleaning in _cleanings(demo, Cleaning.day == demo.today):
        cleanings[cleaning.room_id].append(cleaning)
    inspections = _inspections_by_cleaning(demo)
    ticks = defaultdict(list)
    for tick in _all(select(CleaningTick)):
        ticks[tick.cleaning_id].append(tick)
    status = Counter(rooms[a.room_id].status for a in today)
    done = status[RoomStatus.CLEAN] + status[RoomStatus.INSPECTED]
    assert 0.3 <= done / len(today) <= 0.65
    assert status[RoomStatus.INSPECTED] >= 20 and status[RoomStatus.CLEAN] >= 3
    assert 2 <= status[RoomStatus.CLEANING] <= 3 and status[RoomStatus.DIRTY] >= 40
    failed_today = []
    for a in today:
        room, mine = rooms[a.room_id], cleanings.get(a.room_id, [])
        assert all(c.attendant_id == a.attendant_id for c in mine)
        assert room.occupancy == a.occupancy
        assert a.assigned_at <= room.changed_at <= demo.now
        assert all(room.changed_at >= c.started_at for c in mine)
        newest = max(mine, key=lambda c: c.id) if mine else None
        if room.status == RoomStatus.CLEANING:  # being cleaned now, steps ticked so far
            assert newest.finished_at is None and 1 <= len(ticks[newest.id]) < newest.steps
            assert all(newest.started_at <= t.ticked_at for t in ticks[newest.id])
        elif room.status == RoomStatus.CLEAN:  # waiting for the supervisor
            assert newest.finished_at is not None and newest.id not in inspections
        elif room.status == RoomStatus.INSPECTED:
            assert inspections[newest.id].passed
            assert room.changed_at >= inspections[newest.id].inspected_at
        elif mine:  # dirty again: failed, its attendant has not been back yet
            (only,) = mine
            assert not inspections[only.id].passed
            failed_today.append(a)
        if newest is not None and newest.finished_at is not None:
            assert sorted(t.position for t in ticks[newest.id]) == list(range(1, newest.steps + 1))
    assert len(failed_today) == 1  # on the same attendant's list, still to do
    assert rooms[failed_today[0].room_id].status == RoomStatus.DIRTY


def test_today_has_rush_rooms_a_do_not_disturb_and_linen_changes(demo):
    today = {a.room_id: a for a in _today_assignments(demo)}
    rooms = services.rooms_list(demo.hotel.id)
    rush = [r for r in rooms if r.rush]
    assert len(rush) == 2
    assert all(r.id in today and r.status == RoomStatus.DIRTY for r in rush)
    assert len({today[r.id].attendant_id for r in rush}) == 2
    deferred = [a for a in today.values() if a.deferral]
    (dnd,) = deferred
    assert dnd.deferral == Deferral.DND and dnd.occupancy == Occupancy.STAYOVER
    assert dnd.assigned_at < dnd.deferred_at <= demo.now
    assert dnd.room.status == RoomStatus.DIRTY
    assert not _cleanings(demo, Cleaning.room_id == dnd.room_id, Cleaning.day == demo.today)
    past_deferrals = _all(
        select(Assignment.id).where(Assignment.day < demo.today, Assignment.deferral.is_not(None))
    )
    assert past_deferrals == []
    for a in today.values():
        assert a.linen_change == services.needs_linen_change(a.room)
        if a.occupancy == Occupancy.STAYOVER:
            assert a.room.occupied_nights >= 1
    assert any(a.linen_change for a in today.values())
    # Rooms nobody has today are vacant and ready, as their last inspection left them.
    last = dict(
        _db.session.execute(
            select(Inspection.room_id, func.max(Inspection.inspected_at)).group_by(
                Inspection.room_id
            )
        ).all()
    )
    for room in rooms:
        if room.id not in today:
            assert room.status == RoomStatus.INSPECTED and room.occupancy == Occupancy.VACANT
            assert room.occupied_nights == 0 and not room.rush
            assert room.changed_at < local_day_start(demo.today)
            if room.id in last:
                assert room.changed_at == last[room.id]


def test_the_first_attendant_is_cleaning_a_room_with_a_rush_room_next(demo):
    first = min(services.attendants(demo.hotel.id), key=lambda u: u.staff_no)
    assert first.staff_no == "E1002" and "E1002" in rosters_demo.__doc__
    assert first.check_pin(DEMO_PIN)
    rows = services.day_list(first.id, demo.today)
    assert rows and rows[0].room.rush and rows[0].room.status == RoomStatus.DIRTY
    under_way = [r for r in rows if r.room.status == RoomStatus.CLEANING]
    assert len(under_way) == 1 and under_way[0].cleaning.finished_at is None
    assert services.ticked(under_way[0].cleaning)
    assert under_way[0].cleaning.attendant_id == first.id


def test_todays_actions_are_in_the_audit_trail(demo):
    events = _all(select(AuditEvent).where(AuditEvent.action.like("rosters.%")))
    by_action = defaultdict(list)
    for e in events:
        by_action[e.action].append(e)
    today = _today_assignments(demo)
    assert sorted(e.object_id for e in by_action["rosters.assigned"]) == sorted(a.id for a in today)
    cleanings = _cleanings(demo, Cleaning.day == demo.today)
    assert sorted(e.object_id for e in by_action["rosters.started"]) == sorted(
        c.id for c in cleanings
    )
    assert sorted(e.object_id for e in by_action["rosters.finished"]) == sorted(
        c.id for c in cleanings if c.finished_at is not None
    )
    inspections = _all(
        select(Inspection).where(Inspection.cleaning_id.in_([c.id for c in cleanings]))
    )
    for action, passed in (("rosters.passed", True), ("rosters.failed", False)):
        assert sorted(e.object_id for e in by_action[action]) == sorted(
            i.id for i in inspections if i.passed is passed
        )
    assert len(by_action["rosters.failed"]) == 1
    rush = {r.id for r in services.rooms_list(demo.hotel.id) if r.rush}
    assert {e.object_id for e in by_action["rosters.rush"]} == rush
    (deferred,) = by_action["rosters.deferred"]
    assert deferred.object_type == "room_assignments" and Deferral.DND in deferred.summary
    assert len(by_action["rosters.settings_changed"]) == 1
    assert all(e.property_id == demo.hotel.id for e in events)
    seeded = _all(select(AuditEvent.summary).where(AuditEvent.action == "demo.seeded"))
    assert any(s.startswith("rosters: room_types=3 rooms=200 attendants=12") for s in seeded)
    assert audit.verify(None).chain_intact


def test_the_public_areas_are_on_todays_lists_with_their_rounds(demo):
    from portal.blueprints.rosters import areas
    from portal.blueprints.rosters.models import Area, AreaAssignment, AreaRound
    from portal.database import utcnow

    assert _rows(Area) == 16 and _rows(AreaRound) == 16 and _rows(AreaAssignment) == 16
    rows = areas.area_rows(demo.hotel.id)
    due = [r.area.code for r in rows if r.overdue(utcnow())]
    assert set(due) == {"WC-1M", "WC-1W"}  # the restrooms' last round was over two hours ago
    lobby = _db.session.scalar(select(AreaAssignment).join(Area).where(Area.code == "LOBBY"))
    mine = areas.rows_of(lobby.attendant_id, demo.hotel.id, demo.today)
    assert "LOBBY" in [r.area.code for r in mine]

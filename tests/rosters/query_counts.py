"""The rosters pages and fragments in the fixed-query-count test (tests/test_query_counts.py):
the counts hold with more rooms, lists, cleanings and inspections (grow). The signed-in
manager runs housekeeping; the employee is an attendant of housekeeping."""

from decimal import Decimal
from itertools import count

from portal.blueprints.rosters.models import (
    Assignment,
    Cleaning,
    CleaningTick,
    Inspection,
    Room,
    RoomStatus,
    RoomType,
)
from portal.database import utcnow
from portal.extensions import db
from portal.i18n import local_today
from tests import factories
from tests.rosters import helpers
from tests.test_query_counts import Case

CASES = [
    Case("rosters.board", "manager", "/rosters/", 4, expect="Floor 5"),
    Case("rosters.board", "employee", "/rosters/?floor=5", 4, fragment=True, expect="501"),
    Case("rosters.mine", "employee", "/rosters/mine", 3, expect="My rooms"),
    Case("rosters.room", "manager", "/rosters/rooms/{rosters_room}", 9, expect="Checklist"),
    Case("rosters.room", "manager", "/rosters/rooms/{rosters_clean}", 8, expect="Inspect"),
    Case(
        "rosters.inspect",
        "manager",
        "/rosters/cleanings/{rosters_cleaning}/inspect",
        2,
        expect="Save inspection",
    ),
    Case("rosters.roster", "manager", "/rosters/day", 6, expect="Rooms to give out"),
    Case("rosters.room_list", "manager", "/rosters/rooms", 3, expect="501"),
    Case("rosters.new_room", "manager", "/rosters/rooms/new", 2, expect="Room number"),
    Case(
        "rosters.edit_room",
        "manager",
        "/rosters/rooms/{rosters_room}/edit",
        3,
        expect="Save room",
    ),
    Case("rosters.settings", "manager", "/rosters/settings", 3, expect="Cleaning checklist"),
    Case("rosters.history_view", "manager", "/rosters/history", 6, expect="Steps that fail most"),
    Case(
        "rosters.history_view",
        "manager",
        "/rosters/history?days=7",
        6,
        fragment=True,
        expect="By attendant",
    ),
    Case("rosters.area_list", "employee", "/rosters/areas", 2, expect="Main lobby"),
    Case("rosters.new_area", "manager", "/rosters/areas/new", 1, expect="Kind of area"),
    Case("rosters.found_list", "manager", "/rosters/found", 2, expect="Lost and found"),
    Case("rosters.found_list", "manager", "/rosters/found?show=all", 2, expect="Silver watch"),
    Case("rosters.defect_list", "manager", "/rosters/defects", 2, expect="Tap drips"),
    Case("rosters.policy_list", "manager", "/rosters/attendants", 3, expect="Trusted self-checker"),
]

NOT_PAGES = {
    "rosters.lists_pdf": "a document",
    "rosters.labels_pdf": "a document",
    "rosters.day_report_pdf": "a document",
}

# The ids tests/test_input.py gives the rosters routes' arguments (keys of world()).
ROUTE_ARGUMENTS = {"room_id": "rosters_room", "cleaning_id": "rosters_cleaning"}

_numbers = count(10)


def _kind(prop) -> RoomType:
    kind = db.session.query(RoomType).filter_by(property_id=prop.id, code="STD").one_or_none()
    if kind is None:
        kind = RoomType(property_id=prop.id, code="STD", name_en="Standard", name_zh="标准间")
        db.session.add(kind)
        db.session.flush()
    return kind


def _room(prop, number: str, status=RoomStatus.DIRTY) -> Room:
    room = Room(
        property_id=prop.id,
        number=number,
        floor=int(number[0]),
        room_type_id=_kind(prop).id,
        status=status,
        occupancy="departure",
    )
    db.session.add(room)
    db.session.flush()
    return room


def _on_list(room, person, position=1) -> Assignment:
    return helpers.listed(room, person, position)


def _cleaning(room, person, *, finished: bool, ticks: int = 0, passed=None) -> Cleaning:
    made = Cleaning(
        property_id=room.property_id,
        room_id=room.id,
        day=local_today(),
        attendant_id=person.id,
        steps=13,
        finished_at=utcnow() if finished else None,
    )
    db.session.add(made)
    db.session.flush()
    for position in range(1, ticks + 1):
        db.session.add(CleaningTick(cleaning_id=made.id, position=position))
    if passed is not None:
        inspector = factories.person("manager", prop=_prop(room), dept="HK")
        db.session.add(
            Inspection(
                property_id=room.property_id,
                cleaning_id=made.id,
                room_id=room.id,
                inspector_id=inspector.id,
                passed=passed,
                score=Decimal("100") if passed else Decimal("90"),
                items={} if passed else {"7": "fail"},
                note="" if passed else "Basin",
            )
        )
    db.session.flush()
    return made


def _prop(room):
    from portal.blueprints.people.models import Property

    return db.session.get(Property, room.property_id)


def world(prop, ids):
    attendant = factories.person("employee", prop=prop, dept="HK")
    cleaning_room = _room(prop, "501", RoomStatus.CLEANING)
    _on_list(cleaning_room, attendant)
    _cleaning(cleaning_room, attendant, finished=True, passed=False)  # failed, a re-clean now
    _cleaning(cleaning_room, attendant, finished=False, ticks=4)
    clean_room = _room(prop, "502", RoomStatus.CLEAN)
    _on_list(clean_room, attendant, 2)
    cleaning = _cleaning(clean_room, attendant, finished=True)
    _on_list(_room(prop, "503"), attendant, 3)
    _room(prop, "504")  # dirty, on nobody's list: to give out
    from portal.blueprints.rosters import finds

    _areas(prop, attendant, 1, give=True)
    finds.record_found(clean_room, "Silver watch", by=attendant)
    finds.report_defect(clean_room, "Tap drips", by=attendant)
    return {
        "rosters_room": cleaning_room.id,
        "rosters_clean": clean_room.id,
        "rosters_cleaning": cleaning.id,
    }


def grow(prop, n):
    """n more rooms on more floors, on lists, cleaned and inspected."""
    people = [factories.person("employee", prop=prop, dept="HK") for _ in range(2)]
    for i in range(n):
        number = f"{(i % 4) + 6}{next(_numbers):02d}"
        room = _room(prop, number, (RoomStatus.DIRTY, RoomStatus.INSPECTED)[i % 2])
        _on_list(room, people[i % 2], i + 1)
        if i % 2:
            _cleaning(room, people[1], finished=True, passed=True)
        from portal.blueprints.rosters import finds

        finds.record_found(room, f"Item {i}", by=people[0])
        finds.report_defect(room, f"Defect {i}", by=people[0])
    _areas(prop, people[0], n)


def _areas(prop, person, n, give=False):
    from portal.blueprints.rosters.models import Area, AreaAssignment, AreaRound

    for i in range(n):
        code = f"A{next(_numbers)}"
        area = Area(
            property_id=prop.id,
            code=code,
            name_en="Main lobby" if i == 0 else f"Area {code}",
            name_zh="大堂",
            kind="lobby",
            floor=1,
            every_minutes=120 if i % 2 == 0 else None,
        )
        db.session.add(area)
        db.session.flush()
        for _ in range(2):
            db.session.add(AreaRound(area_id=area.id, property_id=prop.id, done_by_id=person.id))
        if give or i % 2:
            db.session.add(
                AreaAssignment(
                    property_id=prop.id, day=local_today(), area_id=area.id, attendant_id=person.id
                )
            )
    db.session.flush()

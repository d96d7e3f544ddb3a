"""Who may reach each rosters endpoint: every role, anonymous, another property's rooms,
cleanings and lists (tests/access.py). The signed-in employee works in housekeeping: an
attendant, who cleans only the rooms on their own list."""

import re
from decimal import Decimal

from sqlalchemy import select

from portal.blueprints.rosters.models import (
    Area,
    AreaAssignment,
    AreaRound,
    Assignment,
    Cleaning,
    CleaningTick,
    Defect,
    FoundItem,
    Inspection,
    InspectionPolicy,
    Room,
    RoomStatus,
    RoomType,
    RosterSettings,
)
from tests import access, factories
from tests.access import ALL, Row, page, pdf, redirect
from tests.rosters import helpers

HOUSEKEEPING = frozenset({"supervisor", "manager", "admin"})  # the supervisor supervises HK
ATTENDANT = frozenset({"employee"})


def _cache(world) -> dict:
    return world.__dict__.setdefault("_rosters", {})


def _kind(world):
    cache = _cache(world)
    if "kind" not in cache:
        kind = RoomType(
            property_id=world.prop.id,
            code="STD",
            name_en="Standard room",
            name_zh="标准间",
            credits_departure=Decimal("1.5"),
            credits_stayover=Decimal("1.0"),
            credits_vacant=Decimal("0.3"),
        )
        factories.db.session.add(kind)
        factories.db.session.flush()
        cache["kind"] = kind
    return cache["kind"]


def _room(world, number: str, status=RoomStatus.DIRTY) -> Room:
    cache = _cache(world)
    if number not in cache:
        made = Room(
            property_id=world.prop.id,
            number=number,
            floor=int(number[0]),
            room_type_id=_kind(world).id,
            status=status,
            occupancy="departure",
        )
        factories.db.session.add(made)
        factories.db.session.flush()
        cache[number] = made
    return cache[number]


def _cleaner(ctx):
    """Whose list the room is on: the signed-in attendant at home, else the target person."""
    actor = ctx.actor
    if actor is not None and ctx.world is ctx.home and actor.role == "employee":
        return actor
    return ctx.world.person


def _on_list(ctx, room: Room, person=None) -> Assignment:
    key = f"list-{room.number}"
    cache = _cache(ctx.world)
    if key not in cache:
        cache[key] = helpers.listed(room, person or _cleaner(ctx))
    return cache[key]


def _cleaning(ctx, room: Room, *, finished: bool, ticks: int = 0, person=None) -> Cleaning:
    key = f"cleaning-{room.number}"
    cache = _cache(ctx.world)
    if key not in cache:
        assignment = _on_list(ctx, room, person)
        cache[key] = helpers.cleaning_row(
            room, assignment.attendant, finished=finished, ticks=ticks
        )
    return cache[key]


def room(ctx):
    return _room(ctx.world, "501")


def assignment(ctx):
    return _on_list(ctx, room(ctx))


def open_cleaning(ctx):
    """Room 502 being cleaned by the list's attendant, no step ticked yet."""
    return _cleaning(ctx, _room(ctx.world, "502", RoomStatus.CLEANING), finished=False)


def ready_cleaning(ctx):
    """Room 505 being cleaned with every step ticked: it can be finished."""
    return _cleaning(ctx, _room(ctx.world, "505", RoomStatus.CLEANING), finished=False, ticks=13)


def clean_cleaning(ctx):
    """Room 503 cleaned by the target person: waiting for inspection."""
    return _cleaning(
        ctx, _room(ctx.world, "503", RoomStatus.CLEAN), finished=True, person=ctx.world.person
    )


def inspected(ctx):
    return _room(ctx.world, "504", RoomStatus.INSPECTED)


def other_attendant(ctx):
    cache = _cache(ctx.world)
    if "other" not in cache:
        cache["other"] = factories.person(
            "employee", prop=ctx.world.prop, dept="HK", name_en="Lan Other", name_zh="兰"
        )
    return cache["other"]


def listed(ctx):
    """Room 501 on the target person's list, not started (to move or take off)."""
    return _on_list(ctx, room(ctx), ctx.world.person)


def _room_is(getter, status, **values):
    def check(ctx):
        ctx.db.session.expire_all()
        made = ctx.db.session.get(Room, getter(ctx).id)
        assert made.status == status
        for name, value in values.items():
            assert getattr(made, name) == value, name

    return check


def _cleaning_room(getter):
    return lambda c: c.db.session.get(Room, getter(c).room_id)


def started(ctx):
    _room_is(room, RoomStatus.CLEANING)(ctx)
    made = ctx.db.session.scalar(select(Cleaning).where(Cleaning.room_id == room(ctx).id))
    assert made is not None and made.attendant_id == ctx.actor.id and made.steps == 13


def ticked(ctx):
    made = ctx.db.session.scalar(
        select(CleaningTick).where(CleaningTick.cleaning_id == open_cleaning(ctx).id)
    )
    assert made is not None and made.position == 1


def deferred(ctx):
    ctx.db.session.expire_all()
    assert ctx.db.session.get(Assignment, assignment(ctx).id).deferral == "dnd"


def passed(ctx):
    made = ctx.db.session.scalar(select(Inspection))
    assert made is not None and made.passed and made.inspector_id == ctx.actor.id
    _room_is(_cleaning_room(clean_cleaning), RoomStatus.INSPECTED)(ctx)


def assigned(ctx):
    made = ctx.db.session.scalar(select(Assignment).where(Assignment.room_id == room(ctx).id))
    assert made is not None and made.attendant_id == ctx.world.person.id
    assert made.assigned_by_id == ctx.actor.id


def moved(ctx):
    ctx.db.session.expire_all()
    assert ctx.db.session.get(Assignment, listed(ctx).id).attendant_id == other_attendant(ctx).id


def removed(ctx):
    ctx.db.session.expire_all()
    left = select(Assignment).where(Assignment.room_id == room(ctx).id)
    assert ctx.db.session.scalars(left).all() == []


def room_added(ctx):
    made = ctx.db.session.scalar(select(Room).where(Room.number == "777"))
    assert made is not None and made.property_id == ctx.actor.property_id and made.floor == 7


def room_renamed(ctx):
    ctx.db.session.expire_all()
    assert ctx.db.session.get(Room, room(ctx).id).number == "501A"


def checklist_chosen(ctx):
    made = ctx.db.session.get(RosterSettings, ctx.actor.property_id)
    assert made is not None and made.cleaning_sop_id is None


def area(ctx):
    cache = _cache(ctx.world)
    if "area" not in cache:
        made = Area(
            property_id=ctx.world.prop.id,
            code="LOBBY",
            name_en="Main lobby",
            name_zh="大堂",
            kind="lobby",
            floor=1,
            every_minutes=120,
        )
        ctx.db.session.add(made)
        ctx.db.session.flush()
        cache["area"] = made
    return cache["area"]


def area_cleaned(ctx):
    made = ctx.db.session.scalar(select(AreaRound))
    assert made is not None and made.area_id == area(ctx).id and made.done_by_id == ctx.actor.id


def area_added(ctx):
    made = ctx.db.session.scalar(select(Area).where(Area.code == "GYM"))
    assert made is not None and made.property_id == ctx.actor.property_id
    assert made.every_minutes == 240


def found(ctx):
    cache = _cache(ctx.world)
    if "found" not in cache:
        from portal.blueprints.rosters import finds

        cache["found"] = finds.record_found(room(ctx), "Silver watch", by=ctx.world.person)
    return cache["found"]


def defect(ctx):
    cache = _cache(ctx.world)
    if "defect" not in cache:
        from portal.blueprints.rosters import finds

        cache["defect"] = finds.report_defect(room(ctx), "Tap drips", by=ctx.world.person)
    return cache["defect"]


def reported(model):
    def check(ctx):
        made = ctx.db.session.scalar(select(model))
        assert made is not None and made.room_id == room(ctx).id
        assert made.description == "Black charger"

    return check


def found_closed(ctx):
    ctx.db.session.expire_all()
    made = ctx.db.session.get(FoundItem, found(ctx).id)
    assert (made.status, made.closed_note, made.closed_by_id) == (
        "returned",
        "Mr Chen",
        ctx.actor.id,
    )


def defect_fixed(ctx):
    ctx.db.session.expire_all()
    made = ctx.db.session.get(Defect, defect(ctx).id)
    assert made.fixed_by_id == ctx.actor.id and made.fix_note == "New washer"


def policy_set(ctx):
    made = ctx.db.session.scalar(
        select(InspectionPolicy).where(InspectionPolicy.attendant_id == ctx.world.person.id)
    )
    assert made is not None and (made.rule, made.every_n, made.set_by_id) == (
        "sample",
        4,
        ctx.actor.id,
    )


def area_given(ctx):
    made = ctx.db.session.scalar(select(AreaAssignment))
    assert made is not None and made.area_id == area(ctx).id
    assert made.attendant_id == ctx.world.person.id and made.assigned_by_id == ctx.actor.id


DAY_AREAS = re.compile(r"/rosters/day\?day=\d{4}-\d{2}-\d{2}#areas")
DAY = re.compile(r"/rosters/day\?day=\d{4}-\d{2}-\d{2}")

ROWS = access.domain(
    "rosters",
    [
        Row("rosters.board", ALL, page("Room board", "501", "Floor 5"), given=room),
        Row("rosters.mine", ATTENDANT, page("My rooms", "501"), given=assignment),
        Row(
            "rosters.room",
            ALL,
            page("Room 501", "Standard room"),
            args=lambda c: {"room_id": room(c).id},
            obj=room,
        ),
        Row(
            "rosters.start",
            ATTENDANT,
            redirect(lambda c: f"/rosters/rooms/{room(c).id}#checklist", then=started),
            method="POST",
            args=lambda c: {"room_id": room(c).id},
            given=assignment,
            data=lambda c: {},
            obj=room,
            refused=403,
        ),
        Row(
            "rosters.defer",
            ATTENDANT,
            redirect("/rosters/mine", "moved to the end of your list", then=deferred),
            method="POST",
            args=lambda c: {"room_id": room(c).id},
            given=assignment,
            data=lambda c: {"reason": "dnd"},
            obj=room,
            refused=403,
        ),
        Row(
            "rosters.tick",
            ATTENDANT,
            redirect(lambda c: f"/rosters/rooms/{open_cleaning(c).room_id}#step-1", then=ticked),
            method="POST",
            args=lambda c: {"cleaning_id": open_cleaning(c).id, "position": 1},
            data=lambda c: {"done": "1"},
            obj=open_cleaning,
            refused=403,
        ),
        Row(
            "rosters.finish",
            ATTENDANT,
            redirect(
                "/rosters/mine",
                "Room 505 is clean.",
                then=_room_is(_cleaning_room(ready_cleaning), RoomStatus.CLEAN),
            ),
            method="POST",
            args=lambda c: {"cleaning_id": ready_cleaning(c).id},
            data=lambda c: {},
            obj=ready_cleaning,
            refused=403,
        ),
        Row(
            "rosters.rush",
            HOUSEKEEPING,
            redirect(
                lambda c: f"/rosters/rooms/{room(c).id}",
                "is a rush room",
                then=_room_is(room, RoomStatus.DIRTY, rush=True),
            ),
            method="POST",
            args=lambda c: {"room_id": room(c).id},
            data=lambda c: {"rush": "1"},
            obj=room,
            refused=403,
        ),
        Row(
            "rosters.dirty",
            HOUSEKEEPING,
            redirect(
                lambda c: f"/rosters/rooms/{inspected(c).id}",
                "Room 504 needs cleaning.",
                then=_room_is(inspected, RoomStatus.DIRTY, occupancy="stayover"),
            ),
            method="POST",
            args=lambda c: {"room_id": inspected(c).id},
            data=lambda c: {"occupancy": "stayover"},
            obj=inspected,
            refused=403,
        ),
        Row(
            "rosters.inspect",
            HOUSEKEEPING,
            page("Inspect room 503", "Save inspection"),
            args=lambda c: {"cleaning_id": clean_cleaning(c).id},
            obj=clean_cleaning,
            refused=403,
        ),
        Row(
            "rosters.inspect",
            HOUSEKEEPING,
            redirect("/rosters/", "Room 503 passed", then=passed),
            method="POST",
            args=lambda c: {"cleaning_id": clean_cleaning(c).id},
            data=lambda c: {f"item_{i}": "pass" for i in range(1, 14)},
            obj=clean_cleaning,
            refused=403,
        ),
        Row(
            "rosters.roster",
            HOUSEKEEPING,
            page("Roster for", "Rooms to give out", "501"),
            given=room,
        ),
        Row(
            "rosters.assign",
            HOUSEKEEPING,
            redirect(DAY, "rooms put on", then=assigned),
            method="POST",
            given=room,
            data=lambda c: {"room_ids": [str(room(c).id)], "attendant_id": str(c.world.person.id)},
        ),
        Row(
            "rosters.move",
            HOUSEKEEPING,
            redirect(DAY, then=moved),
            method="POST",
            args=lambda c: {"assignment_id": listed(c).id},
            given=other_attendant,
            data=lambda c: {"attendant_id": str(other_attendant(c).id)},
            obj=listed,
            refused=403,
        ),
        Row(
            "rosters.remove",
            HOUSEKEEPING,
            redirect(DAY, then=removed),
            method="POST",
            args=lambda c: {"assignment_id": listed(c).id},
            data=lambda c: {},
            obj=listed,
            refused=403,
        ),
        Row(
            "rosters.balance",
            HOUSEKEEPING,
            page("A fair split", "501", "Apply this split"),
            method="POST",
            given=room,
            data=lambda c: {"attendant_ids": [str(c.world.person.id)]},
        ),
        Row(
            "rosters.apply",
            HOUSEKEEPING,
            redirect(DAY, "1 rooms assigned.", then=assigned),
            method="POST",
            given=room,
            data=lambda c: {"pairs": [f"{room(c).id}:{c.world.person.id}"]},
        ),
        Row("rosters.room_list", HOUSEKEEPING, page("Rooms", "501", "Add a room"), given=room),
        Row("rosters.new_room", HOUSEKEEPING, page("Add a room", "Room number")),
        Row(
            "rosters.new_room",
            HOUSEKEEPING,
            redirect("/rosters/rooms", "Room 777 added.", then=room_added),
            method="POST",
            data=lambda c: {"number": "777", "floor": "7", "room_type_id": str(_kind(c.home).id)},
        ),
        Row(
            "rosters.edit_room",
            HOUSEKEEPING,
            page("Room 501", "Save room"),
            args=lambda c: {"room_id": room(c).id},
            obj=room,
            refused=403,
        ),
        Row(
            "rosters.edit_room",
            HOUSEKEEPING,
            redirect("/rosters/rooms", "Room 501A saved.", then=room_renamed),
            method="POST",
            args=lambda c: {"room_id": room(c).id},
            data=lambda c: {
                "number": "501a",
                "floor": "5",
                "room_type_id": str(_kind(c.world).id),
                "version": str(room(c).version),
            },
            obj=room,
            refused=403,
        ),
        Row("rosters.settings", HOUSEKEEPING, page("Cleaning checklist", "13 steps")),
        Row(
            "rosters.policy_list",
            HOUSEKEEPING,
            page("Inspection policies", "Mei Target"),
            given=lambda c: c.world.person,
        ),
        Row(
            "rosters.set_policy",
            HOUSEKEEPING,
            redirect(
                lambda c: f"/rosters/attendants#attendant-{c.world.person.id}",
                "Inspection policy of Mei Target saved.",
                then=policy_set,
            ),
            method="POST",
            args=lambda c: {"person_id": c.world.person.id},
            data=lambda c: {"rule": "sample", "every_n": "4"},
            obj=lambda c: c.world.person,
            refused=403,
        ),
        Row(
            "rosters.release",
            HOUSEKEEPING,
            redirect(
                "/rosters/",
                "released as ready without an inspection",
                then=_room_is(_cleaning_room(clean_cleaning), RoomStatus.INSPECTED),
            ),
            method="POST",
            args=lambda c: {"cleaning_id": clean_cleaning(c).id},
            data=lambda c: {"reason": "guest_waiting"},
            obj=clean_cleaning,
            refused=403,
        ),
        Row(
            "rosters.report_found",
            HOUSEKEEPING | ATTENDANT,
            redirect(
                lambda c: f"/rosters/rooms/{room(c).id}#reports",
                "handed to lost and found",
                then=reported(FoundItem),
            ),
            method="POST",
            args=lambda c: {"room_id": room(c).id},
            data=lambda c: {"description": "Black charger"},
            obj=room,
            refused=403,
        ),
        Row(
            "rosters.report_defect",
            HOUSEKEEPING | ATTENDANT,
            redirect(
                lambda c: f"/rosters/rooms/{room(c).id}#reports",
                "Reported to engineering",
                then=reported(Defect),
            ),
            method="POST",
            args=lambda c: {"room_id": room(c).id},
            data=lambda c: {"description": "Black charger"},
            obj=room,
            refused=403,
        ),
        Row(
            "rosters.found_list", HOUSEKEEPING, page("Lost and found", "Silver watch"), given=found
        ),
        Row(
            "rosters.close_found",
            HOUSEKEEPING,
            redirect("/rosters/found", "register updated", then=found_closed),
            method="POST",
            args=lambda c: {"item_id": found(c).id},
            data=lambda c: {"status": "returned", "note": "Mr Chen"},
            obj=found,
        ),
        Row("rosters.defect_list", HOUSEKEEPING, page("Room defects", "Tap drips"), given=defect),
        Row(
            "rosters.fix_defect",
            frozenset({"manager", "admin"}),
            redirect("/rosters/defects", "Marked fixed.", then=defect_fixed),
            method="POST",
            args=lambda c: {"defect_id": defect(c).id},
            data=lambda c: {"note": "New washer"},
            obj=defect,
            refused=403,
        ),
        Row(
            "rosters.area_list",
            HOUSEKEEPING | ATTENDANT,
            page("Public areas", "Main lobby"),
            given=area,
        ),
        Row(
            "rosters.area_done",
            HOUSEKEEPING | ATTENDANT,
            redirect(lambda c: f"/rosters/areas#area-{area(c).id}", then=area_cleaned),
            method="POST",
            args=lambda c: {"area_id": area(c).id},
            data=lambda c: {},
            obj=area,
            refused=403,
        ),
        Row(
            "rosters.give_area",
            HOUSEKEEPING,
            redirect(DAY_AREAS, "Main lobby given to Mei Target.", then=area_given),
            method="POST",
            args=lambda c: {"area_id": area(c).id},
            data=lambda c: {"attendant_id": str(c.world.person.id)},
            obj=area,
            refused=403,
        ),
        Row("rosters.new_area", HOUSEKEEPING, page("Add an area", "Cleaned every (minutes)")),
        Row(
            "rosters.new_area",
            HOUSEKEEPING,
            redirect("/rosters/areas", "Area GYM added.", then=area_added),
            method="POST",
            data=lambda c: {
                "code": "gym",
                "name_en": "Gym",
                "name_zh": "健身房",
                "kind": "gym",
                "every_minutes": "240",
            },
        ),
        Row("rosters.history_view", HOUSEKEEPING, page("Housekeeping history", "By attendant")),
        Row("rosters.lists_pdf", HOUSEKEEPING, pdf("Room list", "501"), given=assignment),
        Row(
            "rosters.day_report_pdf",
            HOUSEKEEPING,
            pdf("Housekeeping daily report", "Rooms on the roster"),
            given=assignment,
        ),
        Row("rosters.labels_pdf", HOUSEKEEPING, pdf("Door labels", "501"), given=room),
        Row(
            "rosters.settings",
            HOUSEKEEPING,
            redirect("/rosters/rooms", "Cleaning checklist saved.", then=checklist_chosen),
            method="POST",
            data=lambda c: {"cleaning_sop_id": ""},
        ),
    ],
)

globals().update(access.tests_for(ROWS))

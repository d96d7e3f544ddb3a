"""Room par kits and the top-up after a cleaning: the kit is set item by item (audited), the
proposal follows the kind of cleaning, and a top-up issues exactly what is short, from the
pantry of the room's floor, once per cleaning, all of it or nothing."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from portal.blueprints.inventory import stock, topups
from portal.blueprints.inventory.models import (
    Category,
    Kind,
    Movement,
    ParItem,
    StoreKind,
    TopUp,
    Unit,
)
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import fmt_time
from tests import factories
from tests.inventory import helpers as h
from tests.rosters import helpers as rosters


@pytest.fixture
def w(db, ctx):
    """A deluxe room type whose kit is 2 bath towels, 2 shampoos (both taken away at each
    departure) and a hair dryer (kept); room 305 on floor 3 (which has a pantry) and room 501
    on floor 5 (which has none); 10 of everything in the pantry and in the main store."""
    prop = factories.property_()
    keeper = h.storekeeper(prop, role="supervisor")
    main = h.store(prop, name_en="Main store")
    pantry = h.store(prop, StoreKind.PANTRY, floor=3)
    towel = h.item(prop, "Bath towel", code="LIN-BATH", unit_cost="2.50")
    shampoo = h.item(prop, "Shampoo", code="TOI-SHAM", category=Category.TOILETRIES)
    dryer = h.item(prop, "Hair dryer", code="AME-DRY", category=Category.AMENITIES)
    for store in (main, pantry):
        for item in (towel, shampoo, dryer):
            h.stocked(store, item, 10, by=keeper)
    deluxe = rosters.room_type(prop, "DLX")
    h.par_kit(deluxe, {towel: 2, shampoo: 2, dryer: 1}, by=keeper, refill=(towel, shampoo))
    attendant = rosters.attendant(prop)
    room = rosters.room(prop, "305", floor=3, kind=deluxe)
    upstairs = rosters.room(prop, "501", floor=5, kind=deluxe)
    return SimpleNamespace(
        prop=prop,
        keeper=keeper,
        main=main,
        pantry=pantry,
        towel=towel,
        shampoo=shampoo,
        dryer=dryer,
        deluxe=deluxe,
        attendant=attendant,
        room=room,
        upstairs=upstairs,
        cleaning=rosters.cleaning_row(room, attendant, finished=True),
        hk=factories.department(prop, "HK"),
    )


def kit(w, room_type=None) -> dict[str, tuple[Decimal, bool]]:
    return {
        par.item.code: (par.quantity, par.departure_refill)
        for par in topups.par_kit((room_type or w.deluxe).id)
    }


def stock_in(store, *items) -> list[Decimal]:
    return [h.on_hand(store, item) for item in items]


def refused(call, message: str) -> DomainError:
    before = h.written()
    with pytest.raises(DomainError) as caught:
        call()
    assert message in caught.value.message
    assert h.written() == before
    return caught.value


# --- the par kit --------------------------------------------------------------------------------
def test_the_kit_as_set(w):
    assert kit(w) == {
        "LIN-BATH": (2, True),
        "TOI-SHAM": (2, True),
        "AME-DRY": (1, False),
    }
    summaries = [e.summary for e in h.events("inventory.par_set")]
    assert summaries == ["LIN-BATH: 0 -> 2", "TOI-SHAM: 0 -> 2", "AME-DRY: 0 -> 1"]


def test_setting_a_par_adds_changes_and_removes_a_line_with_an_audit_row_each_time(w):
    twin = rosters.room_type(w.prop, "TWN")
    line = topups.set_par(twin, w.towel, Decimal("4"), by=w.keeper)
    assert (line.quantity, line.departure_refill, line.room_type_id) == (4, True, twin.id)
    changed = topups.set_par(twin, w.towel, 3, departure_refill=False, by=w.keeper)
    assert changed.id == line.id and kit(w, twin) == {"LIN-BATH": (3, False)}
    topups.set_par(twin, w.towel, 3, departure_refill=False, by=w.keeper)  # no change
    assert topups.set_par(twin, w.towel, 0, by=w.keeper) is None
    assert kit(w, twin) == {}
    assert topups.set_par(twin, w.towel, 0, by=w.keeper) is None  # not in the kit: nothing
    events = [e for e in h.events("inventory.par_set") if e.object_id == twin.id]
    assert [(e.object_type, e.actor_id, e.summary) for e in events] == [
        ("room_types", w.keeper.id, "LIN-BATH: 0 -> 4"),
        ("room_types", w.keeper.id, "LIN-BATH: 4 -> 3, departure refill: False"),
        ("room_types", w.keeper.id, "LIN-BATH: 3 -> 0"),
    ]
    assert all(e.property_id == w.prop.id for e in events)
    assert kit(w) == {"LIN-BATH": (2, True), "TOI-SHAM": (2, True), "AME-DRY": (1, False)}


def test_changing_only_what_is_taken_away_at_a_departure_is_audited(w):
    before = len(h.events("inventory.par_set"))
    topups.set_par(w.deluxe, w.dryer, 1, departure_refill=True, by=w.keeper)
    assert kit(w)["AME-DRY"] == (1, True)
    assert len(h.events("inventory.par_set")) == before + 1


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        (-1, "0 or more"),
        (None, "0 or more"),
        (Decimal("1.5"), "whole number"),
        (1000000, "at most 999,999"),
    ],
)
def test_a_bad_par_is_refused(w, quantity, message):
    refused(lambda: topups.set_par(w.deluxe, w.towel, quantity, by=w.keeper), message)
    assert kit(w)["LIN-BATH"] == (2, True)


def test_a_par_of_another_propertys_item_is_refused(w):
    other = factories.property_("OTH")
    theirs = h.item(other, "Their towel")
    refused(lambda: topups.set_par(w.deluxe, theirs, 2, by=w.keeper), "items this property")


def test_an_item_no_longer_stocked_leaves_the_kit(w):
    w.dryer.active = False
    db.session.flush()
    assert set(kit(w)) == {"LIN-BATH", "TOI-SHAM"}


# --- the proposal -------------------------------------------------------------------------------
def test_after_a_departure_the_items_taken_away_are_proposed(w):
    proposed = {line.item.code: line.short for line in topups.proposal(w.room, departure=True)}
    assert proposed == {"LIN-BATH": 2, "TOI-SHAM": 2, "AME-DRY": 0}


def test_after_a_stay_over_nothing_is_proposed(w):
    proposed = {line.item.code: line.short for line in topups.proposal(w.room, departure=False)}
    assert proposed == {"LIN-BATH": 0, "TOI-SHAM": 0, "AME-DRY": 0}


def test_the_store_of_a_floor_is_its_pantry_else_the_main_store(w):
    assert topups.store_for_floor(w.prop.id, 3) == w.pantry
    assert topups.store_for_floor(w.prop.id, 5) == w.main
    w.pantry.active = False
    db.session.flush()
    assert topups.store_for_floor(w.prop.id, 3) == w.main
    other = factories.property_("OTH")
    assert topups.store_for_floor(other.id, 3) is None


# --- the top-up ---------------------------------------------------------------------------------
def test_a_top_up_issues_exactly_what_is_short_from_the_floors_pantry(w):
    shorts = {w.towel.id: 2, w.shampoo.id: Decimal("1"), w.dryer.id: 0}
    record = topups.top_up(w.room, w.cleaning.id, shorts, by=w.attendant)
    assert (record.room_id, record.cleaning_id) == (w.room.id, w.cleaning.id)
    assert (record.store_id, record.by_id) == (w.pantry.id, w.attendant.id)
    assert stock_in(w.pantry, w.towel, w.shampoo, w.dryer) == [8, 9, 10]
    assert stock_in(w.main, w.towel, w.shampoo, w.dryer) == [10, 10, 10]
    rows = h.movements(Movement.room_id == w.room.id)
    assert [(m.item_id, m.quantity, m.change) for m in rows] == [
        (w.towel.id, 2, -2),
        (w.shampoo.id, 1, -1),
    ]
    for m in rows:
        assert (m.kind, m.store_id, m.department_id) == (Kind.TOP_UP, w.pantry.id, w.hk.id)
        assert (m.by_id, m.note, m.request_id) == (w.attendant.id, "305", None)
    assert rows[0].value == Decimal("5.00")
    assert h.actions()[-3:] == ["inventory.top_up", "inventory.top_up", "inventory.topped_up"]
    (event,) = h.events("inventory.topped_up")
    assert (event.object_type, event.object_id) == ("room_top_ups", record.id)
    assert event.summary == "305: LIN-BATH x 2, TOI-SHAM x 1"


def test_a_room_on_a_floor_without_a_pantry_is_topped_up_from_the_main_store(w):
    cleaning = rosters.cleaning_row(w.upstairs, w.attendant, finished=True)
    record = topups.top_up(w.upstairs, cleaning.id, {w.towel.id: 2}, by=w.attendant)
    assert record.store_id == w.main.id
    assert stock_in(w.main, w.towel) == [8] and stock_in(w.pantry, w.towel) == [10]


def test_a_cleaning_is_topped_up_once_and_the_second_is_told_when_and_by_whom(w):
    first = topups.top_up(w.room, w.cleaning.id, {w.towel.id: 2}, by=w.attendant)
    colleague = rosters.attendant(w.prop, name_en="Lee Colleague")
    error = refused(
        lambda: topups.top_up(w.room, w.cleaning.id, {w.towel.id: 1}, by=colleague),
        "This cleaning was topped up",
    )
    assert fmt_time(first.at) in error.message and w.attendant.name in error.message
    assert stock_in(w.pantry, w.towel) == [8]
    assert h.count(TopUp) == 1


def test_the_next_cleaning_of_the_room_is_topped_up_again(w):
    topups.top_up(w.room, w.cleaning.id, {w.towel.id: 2}, by=w.attendant)
    tomorrow = rosters.cleaning_row(w.room, w.attendant, finished=True)
    topups.top_up(w.room, tomorrow.id, {w.towel.id: 2}, by=w.attendant)
    assert stock_in(w.pantry, w.towel) == [6] and h.count(TopUp) == 2


@pytest.mark.parametrize(
    ("shorts", "message"),
    [
        ({"towel": 3}, "Bath towel: between 0 and the par of 2"),
        ({"towel": -1}, "Bath towel: between 0 and the par of 2"),
        ({"towel": Decimal("1.5")}, "whole number"),
        ({"soap": 1}, "Only the items of the room's par kit"),
        ({}, "Nothing is short"),
        ({"towel": 0, "shampoo": 0}, "Nothing is short"),
        ({"towel": None}, "Nothing is short"),
    ],
    ids=["over-par", "negative", "half", "not-in-kit", "none", "zeros", "blank"],
)
def test_a_wrong_top_up_is_refused_and_nothing_is_written(w, shorts, message):
    soap = h.item(w.prop, "Soap bar")
    ids = {"towel": w.towel.id, "shampoo": w.shampoo.id, "soap": soap.id}
    wanted = {ids[name]: quantity for name, quantity in shorts.items()}
    refused(lambda: topups.top_up(w.room, w.cleaning.id, wanted, by=w.attendant), message)
    assert stock_in(w.pantry, w.towel, w.shampoo) == [10, 10]


def test_a_room_type_without_a_kit_is_not_topped_up(w):
    bare = rosters.room(w.prop, "306", floor=3, kind=rosters.room_type(w.prop, "BARE"))
    refused(lambda: topups.top_up(bare, None, {w.towel.id: 1}, by=w.attendant), "no par kit")


def test_not_enough_in_the_pantry_refuses_the_whole_top_up(w):
    stock.issue(w.shampoo, w.pantry, 9, by=w.keeper, department=w.hk)
    db.session.commit()
    before = h.written()
    with pytest.raises(DomainError) as caught:
        topups.top_up(w.room, w.cleaning.id, {w.towel.id: 2, w.shampoo.id: 2}, by=w.attendant)
    assert "Only 1" in caught.value.message and "Shampoo" in caught.value.message
    db.session.rollback()  # as the view does
    assert h.written() == before
    assert stock_in(w.pantry, w.towel, w.shampoo) == [10, 1]
    assert topups.done_for(w.cleaning.id) is None
    # once the pantry is stocked again, the same cleaning is topped up
    stock.receive(w.shampoo, w.pantry, 5, Decimal("1"), by=w.keeper)
    topups.top_up(w.room, w.cleaning.id, {w.towel.id: 2, w.shampoo.id: 2}, by=w.attendant)
    assert stock_in(w.pantry, w.towel, w.shampoo) == [8, 4]


def test_a_top_up_against_another_rooms_cleaning_is_refused(w):
    theirs = rosters.cleaning_row(w.upstairs, w.attendant, finished=True)
    refused(
        lambda: topups.top_up(w.room, theirs.id, {w.towel.id: 1}, by=w.attendant),
        "cleaning",
    )


def test_a_nan_short_is_refused(w):
    refused(
        lambda: topups.top_up(w.room, w.cleaning.id, {w.towel.id: Decimal("NaN")}, by=w.attendant),
        "",
    )


def test_a_nan_par_is_refused(w):
    refused(lambda: topups.set_par(w.deluxe, w.towel, Decimal("NaN"), by=w.keeper), "")


def test_a_measured_item_is_topped_up_in_its_decimals(w):
    gel = h.item(w.prop, "Shower gel", code="TOI-GEL", unit=Unit.LITRE, unit_cost="6.00")
    h.stocked(w.pantry, gel, 5, by=w.keeper)
    topups.set_par(w.deluxe, gel, Decimal("0.25"), by=w.keeper)
    topups.top_up(w.room, w.cleaning.id, {gel.id: Decimal("0.25")}, by=w.attendant)
    (moved,) = h.movements(Movement.item_id == gel.id, Movement.kind == Kind.TOP_UP)
    assert (moved.quantity, moved.value) == (Decimal("0.25"), Decimal("1.50"))
    assert h.on_hand(w.pantry, gel) == Decimal("4.75")
    with pytest.raises(DomainError, match="three decimals"):
        topups.set_par(w.deluxe, gel, Decimal("0.2505"), by=w.keeper)


def test_the_kit_line_is_kept_as_one_row_per_item(w):
    assert h.count(ParItem, ParItem.room_type_id == w.deluxe.id) == 3

"""Movements, the only way stock changes: each kind changes the right store's stock by the right
amount and writes one movement and one audit row; what is refused writes nothing; a reversal
undoes a movement once, with a reason."""

from __future__ import annotations

import os
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from portal.blueprints.inventory import stock
from portal.blueprints.inventory.models import (
    Item,
    Kind,
    LossReason,
    Movement,
    PurchaseRequest,
    PurchaseStatus,
    StoreKind,
    Unit,
)
from portal.database import utcnow
from portal.errors import DomainError
from portal.extensions import db
from tests import factories
from tests.inventory import helpers as h

ON_POSTGRESQL = (os.environ.get("PORTAL_TEST_DATABASE_URL") or "").startswith("postgresql")


@pytest.fixture
def w(db, ctx):
    """A hotel with a main store (10 bath towels at 2.50) and the floor-3 pantry (4 towels)."""
    prop = factories.property_()
    keeper = h.storekeeper(prop)
    main = h.store(prop, name_en="Main store")
    pantry = h.store(prop, StoreKind.PANTRY, floor=3)
    towel = h.item(prop, "Bath towel", unit_cost="2.50")
    h.stocked(main, towel, 10, by=keeper)
    h.stocked(pantry, towel, 4, by=keeper)
    return SimpleNamespace(
        prop=prop,
        keeper=keeper,
        main=main,
        pantry=pantry,
        towel=towel,
        hk=factories.department(prop, "HK"),
        fo=factories.department(prop, "FO"),
    )


def refused(call, *, field: str | None = "quantity") -> DomainError:
    """call() raises a DomainError (on `field`) and writes nothing at all."""
    before = h.written()
    with pytest.raises(DomainError) as caught:
        call()
    assert h.written() == before
    if field is not None:
        assert caught.value.field == field, caught.value.message
    return caught.value


def stored(movement: Movement) -> Movement:
    """The movement as the database holds it."""
    db.session.expire(movement)
    return db.session.get(Movement, movement.id)


# --- each kind of movement ----------------------------------------------------------------------
# kind -> (make it with 3 towels, change of the main store, change of the pantry)
MOVES = {
    Kind.RECEIVE: (
        lambda w, q: stock.receive(w.towel, w.main, q, Decimal("2.50"), by=w.keeper),
        3,
        0,
    ),
    Kind.ISSUE: (
        lambda w, q: stock.issue(w.towel, w.main, q, by=w.keeper, department=w.hk),
        -3,
        0,
    ),
    Kind.TRANSFER: (lambda w, q: stock.transfer(w.towel, w.main, w.pantry, q, by=w.keeper), -3, 3),
    Kind.RETURN: (
        lambda w, q: stock.return_(w.towel, w.main, q, by=w.keeper, department=w.hk),
        3,
        0,
    ),
    Kind.LOSS: (
        lambda w, q: stock.loss(w.towel, w.main, q, LossReason.STAINED, by=w.keeper),
        -3,
        0,
    ),
}


@pytest.mark.parametrize("kind", list(MOVES), ids=str)
def test_each_movement_changes_its_stores_and_writes_one_movement_and_one_audit_row(w, kind):
    make, main_change, pantry_change = MOVES[kind]
    before = h.written()
    movement = make(w, Decimal("3"))
    assert h.on_hand(w.main, w.towel) == 10 + main_change
    assert h.on_hand(w.pantry, w.towel) == 4 + pantry_change
    after = h.written()
    assert after["stock_movements"] == before["stock_movements"] + 1
    assert after["audit_events"] == before["audit_events"] + 1
    movement = stored(movement)
    assert movement.kind == kind and movement.store_id == w.main.id
    assert movement.quantity == 3 and movement.change == main_change
    assert movement.by_id == w.keeper.id and movement.property_id == w.prop.id
    assert movement.value == Decimal("7.50") and isinstance(movement.value, Decimal)
    assert movement.to_store_id == (w.pantry.id if kind is Kind.TRANSFER else None)
    (event,) = h.events(f"inventory.{kind.value}")[-1:]
    assert (event.object_type, event.object_id) == ("stock_movements", movement.id)
    assert event.actor_id == w.keeper.id and event.property_id == w.prop.id
    assert event.summary == f"{w.towel.code} {main_change:+d} @ {w.main.code}".replace("+", "")


def test_an_issue_names_the_department_and_the_person_and_a_loss_its_reason(w):
    person = factories.person("employee", prop=w.prop, dept="FO")
    issued = stored(
        stock.issue(w.towel, w.main, 2, by=w.keeper, department=w.fo, person=person, note="Desk")
    )
    assert (issued.department_id, issued.person_id, issued.note) == (w.fo.id, person.id, "Desk")
    lost = stored(stock.loss(w.towel, w.main, 1, LossReason.GUEST_TOOK, by=w.keeper, note="1203"))
    assert (lost.reason, lost.note, lost.department_id) == ("guest_took", "1203", None)
    assert h.on_hand(w.main, w.towel) == 7


def test_an_unknown_loss_reason_is_refused(w):
    error = refused(lambda: stock.loss(w.towel, w.main, 1, "ate it", by=w.keeper), field="reason")
    assert "why" in error.message


# --- value and cost -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("unit", "quantity", "cost", "value"),
    [
        (Unit.PIECE, "12", "3.25", "39.00"),
        (Unit.LITRE, "1.255", "0.99", "1.24"),  # 1.24245
        (Unit.LITRE, "0.5", "0.25", "0.13"),  # 0.125: half a cent rounds up
        (Unit.KILOGRAM, "2.004", "0", "0.00"),
        (Unit.PIECE, "999999", "0.01", "9999.99"),
    ],
)
def test_a_receipts_value_is_quantity_times_unit_cost_in_cents(w, unit, quantity, cost, value):
    item = h.item(w.prop, "Something", unit=unit, unit_cost="1.00")
    movement = stored(stock.receive(item, w.main, Decimal(quantity), Decimal(cost), by=w.keeper))
    assert movement.value == Decimal(value) and isinstance(movement.value, Decimal)
    assert movement.unit_cost == Decimal(cost)
    assert h.on_hand(w.main, item) == Decimal(quantity)


def test_a_receipt_makes_its_cost_the_items_unit_cost_and_later_issues_use_it(w):
    movement = stock.receive(w.towel, w.main, 5, Decimal("3.10"), by=w.keeper, supplier="Acme")
    assert stored(movement).supplier == "Acme"
    assert db.session.scalar(select(Item.unit_cost).where(Item.id == w.towel.id)) == Decimal("3.10")
    db.session.commit()  # a later request
    issued = stored(stock.issue(w.towel, w.main, 2, by=w.keeper, department=w.hk))
    assert (issued.unit_cost, issued.value) == (Decimal("3.10"), Decimal("6.20"))


def test_an_issue_after_a_receipt_in_the_same_transaction_is_valued_at_the_new_cost(w):
    stock.receive(w.towel, w.main, 5, Decimal("3.10"), by=w.keeper)
    assert w.towel.unit_cost == Decimal("3.10")
    issued = stock.issue(w.towel, w.main, 2, by=w.keeper, department=w.hk)
    assert issued.value == Decimal("6.20")


@pytest.mark.parametrize(
    ("cost", "message"),
    [
        (None, "Give the cost"),
        (Decimal("-0.01"), "between 0 and 9,999,999"),
        (Decimal("10000000"), "between 0 and 9,999,999"),
        (Decimal("1.005"), "two decimals"),
        (Decimal("NaN"), "between 0 and 9,999,999"),
    ],
    ids=["none", "negative", "too-dear", "three-decimals", "nan"],
)
def test_a_bad_unit_cost_is_refused_and_nothing_is_written(w, cost, message):
    error = refused(lambda: stock.receive(w.towel, w.main, 1, cost, by=w.keeper), field="unit_cost")
    assert message in error.message


def test_the_largest_quantity_at_the_largest_cost_is_stored_or_refused_never_a_crash(w):
    try:
        movement = stock.receive(
            w.towel, w.main, Decimal("999999"), Decimal("9999999"), by=w.keeper
        )
    except DomainError:
        return
    assert stored(movement).value == Decimal("9999989000001.00")


def test_a_receipt_closes_the_open_purchase_request_of_its_item_and_store(w):
    def purchase(store):
        made = PurchaseRequest(
            property_id=w.prop.id,
            store_id=store.id,
            item_id=w.towel.id,
            quantity=Decimal("50"),
            raised_by_id=w.keeper.id,
            raised_at=utcnow(),
        )
        db.session.add(made)
        db.session.flush()
        return made

    main_order, pantry_order = purchase(w.main), purchase(w.pantry)
    stock.receive(w.towel, w.main, 50, Decimal("2.50"), by=w.keeper)
    db.session.expire_all()
    assert main_order.status == PurchaseStatus.RECEIVED and main_order.closed_at is not None
    assert pantry_order.status == PurchaseStatus.OPEN and pantry_order.closed_at is None


# --- quantities ---------------------------------------------------------------------------------
BAD_QUANTITIES = [
    (Unit.PIECE, 0, "more than 0"),
    (Unit.PIECE, -2, "more than 0"),
    (Unit.PIECE, Decimal("1.5"), "whole number"),
    (Unit.PAIR, 1.5, "whole number"),
    (Unit.LITRE, Decimal("1.2345"), "three decimals"),
    (Unit.KILOGRAM, Decimal("0.0005"), "three decimals"),
    (Unit.PIECE, 1000000, "at most 999,999"),
    (Unit.LITRE, Decimal("999999.001"), "at most 999,999"),
    (Unit.PIECE, None, "Give a quantity"),
    (Unit.LITRE, Decimal("NaN"), "more than 0"),
    (Unit.LITRE, Decimal("Infinity"), "more than 0"),
]


@pytest.mark.parametrize(
    ("unit", "quantity", "message"),
    BAD_QUANTITIES,
    ids=[f"{u.value}-{q}" for u, q, _ in BAD_QUANTITIES],
)
def test_a_bad_quantity_is_refused_by_every_movement_and_nothing_is_written(
    w, unit, quantity, message
):
    item = h.item(w.prop, "Measured", unit=unit, unit_cost="1.00")
    h.stocked(w.main, item, 100, by=w.keeper)
    with pytest.raises(DomainError) as caught:
        stock.check_quantity(item, quantity)
    assert message in caught.value.message and caught.value.field == "quantity"
    calls = [
        lambda: stock.receive(item, w.main, quantity, Decimal("1"), by=w.keeper),
        lambda: stock.issue(item, w.main, quantity, by=w.keeper, department=w.hk),
        lambda: stock.transfer(item, w.main, w.pantry, quantity, by=w.keeper),
        lambda: stock.return_(item, w.main, quantity, by=w.keeper, department=w.hk),
        lambda: stock.loss(item, w.main, quantity, LossReason.DAMAGED, by=w.keeper),
    ]
    for call in calls:
        assert message in refused(call).message
    assert h.on_hand(w.main, item) == 100


@pytest.mark.parametrize(
    ("unit", "quantity", "expected"),
    [
        (Unit.PIECE, "3.000", "3"),
        (Unit.PIECE, 999999, "999999"),
        (Unit.LITRE, "0.001", "0.001"),
        (Unit.KILOGRAM, "2.5", "2.5"),
    ],
)
def test_a_good_quantity_comes_back_as_a_decimal(w, unit, quantity, expected):
    item = h.item(w.prop, "Measured", unit=unit)
    checked = stock.check_quantity(item, quantity)
    assert isinstance(checked, Decimal) and checked == Decimal(expected)
    assert stock.quantity_text(checked) == expected


def test_measured_quantities_stay_exact_to_the_last_drop(w):
    soap = h.item(w.prop, "Liquid soap", unit=Unit.LITRE, unit_cost="4.00")
    h.stocked(w.main, soap, "0.3", by=w.keeper)
    for _ in range(3):
        stock.issue(soap, w.main, Decimal("0.1"), by=w.keeper, department=w.hk)
    assert h.on_hand(w.main, soap) == 0


# --- never below zero ---------------------------------------------------------------------------
def test_issuing_more_than_is_on_hand_is_refused_naming_what_is_left(w):
    stock.issue(w.towel, w.main, 8, by=w.keeper, department=w.hk)
    error = refused(lambda: stock.issue(w.towel, w.main, 3, by=w.keeper, department=w.hk))
    assert "Only 2" in error.message and "Bath towel" in error.message
    assert "Main store" in error.message and "not enough for 3" in error.message
    assert h.on_hand(w.main, w.towel) == 2


@pytest.mark.parametrize("kind", [Kind.ISSUE, Kind.TRANSFER, Kind.LOSS], ids=str)
def test_nothing_leaves_a_store_beyond_its_stock(w, kind):
    make = MOVES[kind][0]
    error = refused(lambda: make(w, Decimal("11")))
    assert "Only 10" in error.message
    assert h.on_hand(w.main, w.towel) == 10 and h.on_hand(w.pantry, w.towel) == 4


def test_an_item_never_received_in_a_store_has_none_to_issue(w):
    soap = h.item(w.prop, "Soap bar")
    error = refused(lambda: stock.issue(soap, w.main, 1, by=w.keeper, department=w.hk))
    assert "Only 0" in error.message and "Soap bar" in error.message
    assert h.level(w.main, soap) is None


def test_the_whole_stock_can_be_issued(w):
    stock.issue(w.towel, w.main, 10, by=w.keeper, department=w.hk)
    assert h.on_hand(w.main, w.towel) == 0


# --- where, what and who ------------------------------------------------------------------------
def _elsewhere(w):
    other = factories.property_("OTH")
    return other, h.store(other), h.item(other, "Their towel")


def test_an_item_of_another_property_is_refused_by_every_movement(w):
    _other, their_store, their_towel = _elsewhere(w)
    calls = {
        "receive": lambda: stock.receive(their_towel, w.main, 1, Decimal("1"), by=w.keeper),
        "issue": lambda: stock.issue(their_towel, w.main, 1, by=w.keeper, department=w.hk),
        "transfer": lambda: stock.transfer(their_towel, w.main, w.pantry, 1, by=w.keeper),
        "return": lambda: stock.return_(their_towel, w.main, 1, by=w.keeper, department=w.hk),
        "loss": lambda: stock.loss(their_towel, w.main, 1, LossReason.MISSING, by=w.keeper),
        "into their store": lambda: stock.transfer(w.towel, w.main, their_store, 1, by=w.keeper),
    }
    for name, call in calls.items():
        assert "this property's stores" in refused(call, field="store_id").message, name


def test_an_inactive_store_is_refused(w):
    closed = h.store(w.prop, StoreKind.LINEN, active=False)
    calls = [
        lambda: stock.receive(w.towel, closed, 1, Decimal("1"), by=w.keeper),
        lambda: stock.issue(w.towel, closed, 1, by=w.keeper, department=w.hk),
        lambda: stock.transfer(w.towel, w.main, closed, 1, by=w.keeper),
        lambda: stock.loss(w.towel, closed, 1, LossReason.MISSING, by=w.keeper),
    ]
    for call in calls:
        refused(call, field="store_id")
    assert h.on_hand(w.main, w.towel) == 10


def test_an_item_no_longer_stocked_is_refused(w):
    w.towel.active = False
    db.session.flush()
    error = refused(
        lambda: stock.issue(w.towel, w.main, 1, by=w.keeper, department=w.hk), field="item_id"
    )
    assert "no longer stocked" in error.message


def test_an_issue_or_return_needs_a_department_of_the_property(w):
    other, _store, _item = _elsewhere(w)
    theirs = factories.department(other, "HK")
    for department in (None, theirs):
        refused(
            lambda d=department: stock.issue(w.towel, w.main, 1, by=w.keeper, department=d),
            field="department_id",
        )
        refused(
            lambda d=department: stock.return_(w.towel, w.main, 1, by=w.keeper, department=d),
            field="department_id",
        )
    stranger = factories.person("employee", prop=other)
    refused(
        lambda: stock.issue(w.towel, w.main, 1, by=w.keeper, department=w.hk, person=stranger),
        field="person_id",
    )


def test_a_custodian_item_is_issued_by_its_custodian_or_a_manager_only(w):
    custodian = h.storekeeper(w.prop, name_en="Kim Custodian")
    drill = h.item(w.prop, "Cordless drill", unit_cost="899.00", custodian=custodian)
    h.stocked(w.main, drill, 3, by=custodian)
    error = refused(
        lambda: stock.issue(drill, w.main, 1, by=w.keeper, department=w.hk), field="item_id"
    )
    assert "Cordless drill" in error.message and "Kim Custodian" in error.message
    stock.issue(drill, w.main, 1, by=custodian, department=w.hk)
    stock.issue(drill, w.main, 1, by=h.manager(w.prop), department=w.hk)
    assert h.on_hand(w.main, drill) == 1
    assert h.count(Movement, Movement.item_id == drill.id, Movement.kind == Kind.ISSUE) == 2


def test_a_transfer_to_the_same_store_is_refused(w):
    error = refused(
        lambda: stock.transfer(w.towel, w.main, w.main, 1, by=w.keeper), field="to_store_id"
    )
    assert "another store" in error.message


# --- reversals ----------------------------------------------------------------------------------
def test_reversing_an_issue_puts_the_stock_back(w):
    issued = stock.issue(w.towel, w.main, 4, by=w.keeper, department=w.hk, note="Floor 2")
    boss = h.storekeeper(w.prop, role="supervisor")
    reversal = stored(stock.reverse(issued, "  Keyed twice  ", by=boss))
    assert h.on_hand(w.main, w.towel) == 10
    assert reversal.kind == Kind.REVERSAL and reversal.reverses_id == issued.id
    assert (reversal.quantity, reversal.change) == (4, 4)
    assert (reversal.unit_cost, reversal.value) == (Decimal("2.50"), Decimal("10.00"))
    assert (reversal.store_id, reversal.department_id) == (w.main.id, w.hk.id)
    assert (reversal.note, reversal.by_id) == ("Keyed twice", boss.id)
    (event,) = h.events("inventory.reversal")
    assert (event.object_id, event.actor_id) == (reversal.id, boss.id)
    assert stock.reversed_ids([issued.id, reversal.id]) == {issued.id}
    # the movement reversed is left as it was: history is not edited
    assert stored(issued).change == -4 and stored(issued).note == "Floor 2"


def test_reversing_a_receipt_takes_the_stock_back(w):
    received = stock.receive(w.towel, w.main, 6, Decimal("2.50"), by=w.keeper)
    stock.reverse(received, "Wrong delivery note", by=w.keeper)
    assert h.on_hand(w.main, w.towel) == 10
    (reversal,) = h.movements(Movement.reverses_id == received.id)
    assert reversal.change == -6


def test_a_receipt_already_issued_on_cannot_be_reversed(w):
    pillows = h.item(w.prop, "Pillow", unit_cost="12.00")
    received = stock.receive(pillows, w.main, 6, Decimal("12.00"), by=w.keeper)
    stock.issue(pillows, w.main, 2, by=w.keeper, department=w.hk)
    error = refused(lambda: stock.reverse(received, "Sent back", by=w.keeper))
    assert "Only 4" in error.message and "not enough for 6" in error.message
    assert h.on_hand(w.main, pillows) == 4
    assert stock.reversed_ids([received.id]) == set()


def test_reversing_a_transfer_moves_it_back(w):
    moved = stock.transfer(w.towel, w.main, w.pantry, 3, by=w.keeper)
    reversal = stored(stock.reverse(moved, "Wrong pantry", by=w.keeper))
    assert h.on_hand(w.main, w.towel) == 10 and h.on_hand(w.pantry, w.towel) == 4
    assert (reversal.change, reversal.to_store_id) == (3, w.pantry.id)


def test_a_transfer_already_issued_on_cannot_be_reversed(w):
    moved = stock.transfer(w.towel, w.main, w.pantry, 3, by=w.keeper)
    stock.issue(w.towel, w.pantry, 6, by=w.keeper, department=w.hk)
    db.session.commit()
    with pytest.raises(DomainError) as caught:
        stock.reverse(moved, "Wrong pantry", by=w.keeper)
    assert "Only 1" in caught.value.message
    db.session.rollback()  # as a view does
    assert h.on_hand(w.main, w.towel) == 7 and h.on_hand(w.pantry, w.towel) == 1
    assert stock.reversed_ids([moved.id]) == set()


def test_a_movement_is_reversed_once_and_a_reversal_never(w):
    issued = stock.issue(w.towel, w.main, 4, by=w.keeper, department=w.hk)
    reversal = stock.reverse(issued, "Keyed twice", by=w.keeper)
    again = refused(lambda: stock.reverse(issued, "Keyed twice", by=w.keeper), field=None)
    assert "reversed already" in again.message
    undo = refused(lambda: stock.reverse(reversal, "Oops", by=w.keeper), field=None)
    assert "A reversal is not reversed" in undo.message
    assert h.on_hand(w.main, w.towel) == 10


@pytest.mark.parametrize("why", ["", "   ", None])
def test_a_reversal_needs_a_reason(w, why):
    issued = stock.issue(w.towel, w.main, 4, by=w.keeper, department=w.hk)
    error = refused(lambda: stock.reverse(issued, why, by=w.keeper), field="why")
    assert "Say why" in error.message
    assert h.on_hand(w.main, w.towel) == 6


def test_what_a_store_has_of_several_items_is_read_at_once(w):
    never = h.item(w.prop, "Bath mat")
    stock.issue(w.towel, w.main, 3, by=w.keeper, department=w.hk)
    assert stock.on_hand_many(w.main.id, [w.towel.id, never.id]) == {w.towel.id: 7, never.id: 0}
    assert stock.on_hand_many(w.pantry.id, iter([w.towel.id])) == {w.towel.id: 4}
    assert stock.on_hand_many(w.main.id, []) == {}

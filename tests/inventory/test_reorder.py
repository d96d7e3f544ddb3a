"""The reorder list: what is at or below its reorder point once what is on order and what
approved requests still take are counted; purchase requests raised from it once per item,
closed by a receipt or cancelled once."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from portal.blueprints.inventory import reorder, requests, stock
from portal.blueprints.inventory.models import (
    Category,
    PurchaseRequest,
    PurchaseStatus,
    StoreKind,
)
from portal.errors import DomainError
from portal.extensions import db
from tests import factories
from tests.inventory import helpers as h


@pytest.fixture
def w(db, ctx):
    """The main store: 8 towels (order at 10, 50 at a time), 30 soap bars (order at 10), 5
    pillows with no reorder point."""
    prop = factories.property_()
    keeper = h.storekeeper(prop, role="supervisor")
    main = h.store(prop, name_en="Main store")
    towel = h.item(prop, "Bath towel", code="LIN-TOWEL")
    soap = h.item(prop, "Soap bar", code="TOI-SOAP", category=Category.TOILETRIES)
    pillow = h.item(prop, "Pillow", code="LIN-PILLOW")
    h.stocked(main, towel, 8, by=keeper, reorder_point=10, reorder_quantity=50)
    h.stocked(main, soap, 30, by=keeper, reorder_point=10, reorder_quantity=40)
    h.stocked(main, pillow, 5, by=keeper)
    return SimpleNamespace(
        prop=prop, keeper=keeper, main=main, towel=towel, soap=soap, pillow=pillow
    )


def listed(w) -> dict[str, tuple]:
    """item code -> (on hand, on order, requested, projected, suggested) of the reorder list,
    read afresh as by the next request (stock moves by UPDATEs the loaded rows do not see:
    test_the_reorder_list_right_after_a_movement_counts_it)."""
    db.session.expire_all()
    return {
        row.item.code: (
            row.level.on_hand,
            row.on_order,
            row.requested,
            row.projected,
            row.suggested,
        )
        for row in reorder.reorder_list(w.main)
    }


def purchases(w, *where) -> list[PurchaseRequest]:
    return list(
        db.session.scalars(
            db.select(PurchaseRequest)
            .where(PurchaseRequest.store_id == w.main.id, *where)
            .order_by(PurchaseRequest.id)
        )
    )


def test_an_item_below_its_reorder_point_is_listed_with_the_reorder_quantity(w):
    assert listed(w) == {"LIN-TOWEL": (8, 0, 0, 8, 50)}


def test_an_item_at_its_reorder_point_is_listed_and_one_above_is_not(w):
    stock.issue(w.soap, w.main, 20, by=w.keeper, department=factories.department(w.prop, "HK"))
    assert listed(w)["TOI-SOAP"] == (10, 0, 0, 10, 40)
    stock.receive(w.soap, w.main, 1, Decimal("2.50"), by=w.keeper)
    assert "TOI-SOAP" not in listed(w)


def test_the_suggestion_brings_the_projection_back_above_the_point(w):
    level = h.level(w.main, w.towel)
    level.reorder_point, level.reorder_quantity = Decimal("60"), Decimal("20")
    db.session.flush()
    # 8 + 20 would still be at or below 60: order 60 - 8 + 20 = 72
    assert listed(w)["LIN-TOWEL"] == (8, 0, 0, 8, 72)


def test_items_no_longer_stocked_or_without_a_point_are_not_listed(w):
    stock.issue(w.pillow, w.main, 5, by=w.keeper, department=factories.department(w.prop, "HK"))
    w.towel.active = False
    db.session.flush()
    assert listed(w) == {}


def test_what_is_on_order_counts_as_stock_to_come(w):
    (raised,) = reorder.raise_purchases(w.main, by=w.keeper)
    assert raised.quantity == 50
    assert "LIN-TOWEL" not in listed(w)  # 8 + 50 on order
    raised.quantity = Decimal("1")  # an order too small to lift it above the point
    db.session.flush()
    assert listed(w)["LIN-TOWEL"] == (8, 1, 0, 9, 0)  # listed, but nothing more to suggest
    (row,) = reorder.reorder_list(w.main)
    assert row.purchase is raised


def test_approved_requests_count_as_stock_already_gone(w):
    attendant = factories.person("employee", prop=w.prop, dept="HK")
    supervisor = factories.person("supervisor", prop=w.prop, dept="HK")
    asked = requests.create(attendant, w.main, "Floor 2", [(w.soap, 21)])
    assert "TOI-SOAP" not in listed(w)  # open: not counted until approved
    requests.approve(asked, {}, by=supervisor)
    assert listed(w)["TOI-SOAP"] == (30, 0, 21, 9, 40)
    assert requests.requested_quantities(w.main.id) == {w.soap.id: 21}
    requests.issue(asked, by=w.keeper)
    # issued: the stock is gone for real, and no longer counted twice
    assert listed(w)["TOI-SOAP"] == (9, 0, 0, 9, 40)


def test_a_store_lists_its_own_items_only(w):
    pantry = h.store(w.prop, StoreKind.PANTRY, floor=2)
    h.stocked(pantry, w.soap, 1, by=w.keeper, reorder_point=5, reorder_quantity=10)
    assert listed(w) == {"LIN-TOWEL": (8, 0, 0, 8, 50)}
    assert [row.item.code for row in reorder.reorder_list(pantry)] == ["TOI-SOAP"]


def test_raising_purchases_makes_one_per_item_and_a_second_time_none(w):
    stock.issue(w.soap, w.main, 25, by=w.keeper, department=factories.department(w.prop, "HK"))
    raised = reorder.raise_purchases(w.main, by=w.keeper)
    assert [(p.item_id, p.quantity, p.status) for p in raised] == [
        (w.towel.id, 50, PurchaseStatus.OPEN),
        (w.soap.id, 40, PurchaseStatus.OPEN),
    ]
    assert all(p.raised_by_id == w.keeper.id and p.raised_at for p in raised)
    events = h.events("inventory.purchase_raised")
    assert [(e.object_id, e.summary) for e in events] == [
        (raised[0].id, f"LIN-TOWEL x 50 @ {w.main.code}"),
        (raised[1].id, f"TOI-SOAP x 40 @ {w.main.code}"),
    ]
    assert reorder.raise_purchases(w.main, by=w.keeper) == []
    assert len(purchases(w)) == 2 and len(h.events("inventory.purchase_raised")) == 2
    assert reorder.open_purchase_list(w.main) == raised


def test_a_receipt_closes_the_purchase_and_a_later_shortage_raises_a_new_one(w):
    (raised,) = reorder.raise_purchases(w.main, by=w.keeper)
    stock.receive(w.towel, w.main, 50, Decimal("2.40"), by=w.keeper)
    db.session.expire_all()
    assert raised.status == PurchaseStatus.RECEIVED and raised.closed_at is not None
    assert reorder.open_purchase_list(w.main) == [] and listed(w) == {}
    stock.issue(w.towel, w.main, 50, by=w.keeper, department=factories.department(w.prop, "HK"))
    (again,) = reorder.raise_purchases(w.main, by=w.keeper)
    assert again.id != raised.id and again.status == PurchaseStatus.OPEN


def test_a_purchase_request_is_cancelled_once(w):
    (raised,) = reorder.raise_purchases(w.main, by=w.keeper)
    reorder.cancel_purchase(raised, by=w.keeper)
    assert raised.status == PurchaseStatus.CANCELLED and raised.closed_at is not None
    (event,) = h.events("inventory.purchase_cancelled")
    assert (event.object_id, event.actor_id) == (raised.id, w.keeper.id)
    with pytest.raises(DomainError) as caught:
        reorder.cancel_purchase(raised, by=w.keeper)
    assert "closed already" in caught.value.message
    assert len(h.events("inventory.purchase_cancelled")) == 1
    # the shortage is still there: a new request may be raised
    (again,) = reorder.raise_purchases(w.main, by=w.keeper)
    assert again.item_id == w.towel.id


def test_a_received_purchase_is_not_cancelled(w):
    (raised,) = reorder.raise_purchases(w.main, by=w.keeper)
    stock.receive(w.towel, w.main, 50, Decimal("2.40"), by=w.keeper)
    with pytest.raises(DomainError):
        reorder.cancel_purchase(raised, by=w.keeper)
    assert raised.status == PurchaseStatus.RECEIVED


def test_the_reorder_list_right_after_a_movement_counts_it(w):
    shown = h.level(w.main, w.soap)  # loaded by the request (the store's page, say)
    assert shown.on_hand == 30
    assert [row.item.code for row in reorder.reorder_list(w.main)] == ["LIN-TOWEL"]
    stock.issue(w.soap, w.main, 25, by=w.keeper, department=factories.department(w.prop, "HK"))
    rows = reorder.reorder_list(w.main)
    assert [(row.item.code, row.projected) for row in rows] == [("LIN-TOWEL", 8), ("TOI-SOAP", 5)]


def test_an_item_without_a_reorder_quantity_is_ordered_back_above_its_point(w):
    level = h.level(w.main, w.soap)
    level.reorder_point, level.reorder_quantity = Decimal("30"), None
    db.session.flush()
    ((on_hand, _on_order, _asked, projected, suggested),) = [
        row for code, row in listed(w).items() if code == "TOI-SOAP"
    ]
    assert (on_hand, projected) == (30, 30)
    assert projected + suggested > 30
    raised = reorder.raise_purchases(w.main, by=w.keeper)
    assert w.soap.id in [p.item_id for p in raised]

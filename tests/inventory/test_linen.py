"""The linen cycle: soiled linen sent from the linen room moves no stock; what comes back clean
goes into the linen room; rejected and missing pieces are the batch's losses at cost; bad counts
are said under their line; and each floor's linen against its par."""

from __future__ import annotations

import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from portal.blueprints.inventory import linen
from portal.blueprints.inventory.models import (
    Kind,
    LaundryBatch,
    LaundryLine,
    LaundryStatus,
    Movement,
    StoreKind,
)
from portal.blueprints.rosters.models import Room, RoomType
from portal.errors import DomainError
from portal.extensions import db
from tests import factories
from tests.conftest import text_of, visible_text
from tests.inventory import helpers as h

KEY = "laundry-test-key-000001"


@pytest.fixture
def w(db):
    """A linen room (40 bath towels at 38.00, 30 sheets) kept by housekeeping; floor 3 has two
    standard rooms (par: 2 bath towels, 1 sheet each) and a pantry with 3 towels."""
    prop = factories.property_()
    keeper = h.manager(prop)
    linen_room = h.store(prop, StoreKind.LINEN, name_en="Linen room")
    pantry = h.store(prop, StoreKind.PANTRY, floor=3, name_en="Pantry floor 3")
    towel = h.item(prop, "Bath towel", code="LIN-1", unit_cost="38.00")
    sheet = h.item(prop, "Bed sheet", code="LIN-2", unit_cost="60.00")
    soap = h.item(prop, "Soap", code="TOI-1", category="toiletries", unit_cost="0.80")
    h.stocked(linen_room, towel, 40, by=keeper)
    h.stocked(linen_room, sheet, 30, by=keeper)
    h.stocked(pantry, towel, 3, by=keeper)
    kind = RoomType(property_id=prop.id, code="STD", name_en="Standard", name_zh="标准间")
    db.session.add(kind)
    db.session.flush()
    for number in ("301", "302"):
        db.session.add(Room(property_id=prop.id, number=number, floor=3, room_type_id=kind.id))
    db.session.flush()
    h.par_kit(kind, {towel: 2, sheet: 1, soap: 2}, by=keeper)
    db.session.commit()
    return SimpleNamespace(
        prop=prop, keeper=keeper, room=linen_room, pantry=pantry, towel=towel, sheet=sheet
    )


def sent(w, towels=20, sheets=10) -> LaundryBatch:
    batch = linen.send(w.room, {w.towel.id: towels, w.sheet.id: sheets}, by=w.keeper)
    db.session.commit()
    return batch


def test_sending_soiled_linen_moves_no_stock(w, ctx):
    before = h.written()
    batch = sent(w)
    assert batch.status == LaundryStatus.OUT
    assert [(line.item_id, line.sent) for line in batch.lines] == [
        (w.towel.id, 20),
        (w.sheet.id, 10),
    ]
    assert h.on_hand(w.room, w.towel) == 40
    assert h.count(Movement) == before["stock_movements"]
    assert h.actions()[-1] == "inventory.laundry_sent"


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        ("none", "Count at least one piece of linen to send."),
        ("zero", "Count at least one piece of linen to send."),
        ("half", "Linen is counted piece by piece: give a whole number."),
        ("soap", "Only this property's linen goes to the laundry."),
    ],
)
def test_what_cannot_be_sent_is_refused(w, ctx, counts, message):
    soap = db.session.scalar(select(type(w.towel)).where(type(w.towel).code == "TOI-1"))
    counts = {
        "none": {},
        "zero": {w.towel.id: 0},
        "half": {w.towel.id: Decimal("2.5")},
        "soap": {soap.id: 3},
    }[counts]
    with pytest.raises(DomainError) as caught:
        linen.send(w.room, counts, by=w.keeper)
    assert message in caught.value.message
    with pytest.raises(DomainError):
        linen.send(w.pantry, {w.towel.id: 2}, by=w.keeper)  # not a linen room


def test_back_from_the_laundry_puts_the_clean_into_stock_and_counts_the_losses(w, ctx):
    batch = sent(w)
    lines = {line.item_id: line.id for line in batch.lines}
    moves = linen.back(batch, {lines[w.towel.id]: (17, 2), lines[w.sheet.id]: (10, 0)}, by=w.keeper)
    db.session.commit()
    assert h.on_hand(w.room, w.towel) == 57 and h.on_hand(w.room, w.sheet) == 40
    assert sorted((m.kind, m.item_id, m.change) for m in moves) == sorted(
        [(Kind.LAUNDRY, w.towel.id, 17), (Kind.LAUNDRY, w.sheet.id, 10)]
    )
    towel = db.session.get(LaundryLine, lines[w.towel.id])
    assert (towel.rejected, towel.missing, towel.lost_value) == (2, 1, Decimal("114.00"))
    assert db.session.get(LaundryBatch, batch.id).status == LaundryStatus.BACK
    assert "lost 114.00" in h.events("inventory.laundry_back")[-1].summary
    with pytest.raises(DomainError) as caught:  # booked back twice: once
        linen.back(batch, {lines[w.towel.id]: (1, 0), lines[w.sheet.id]: (1, 0)}, by=w.keeper)
    assert "booked back meanwhile" in caught.value.message


def test_more_back_than_was_sent_is_refused_under_its_line(w, ctx):
    batch = sent(w)
    lines = {line.item_id: line.id for line in batch.lines}
    with pytest.raises(DomainError) as caught:
        linen.back(batch, {lines[w.towel.id]: (19, 2), lines[w.sheet.id]: (10, 0)}, by=w.keeper)
    assert caught.value.field == f"returned-{lines[w.towel.id]}"
    assert "20 were sent" in caught.value.message
    db.session.rollback()
    assert h.on_hand(w.room, w.towel) == 40


def test_each_floor_against_its_par(w, ctx):
    rows = {(f.floor, f.item.code): f for f in linen.floor_par(w.prop.id)}
    towel, sheet = rows[(3, "LIN-1")], rows[(3, "LIN-2")]
    assert (towel.par, towel.on_hand, towel.pars) == (4, 3, Decimal("0.8"))
    assert (sheet.par, sheet.on_hand) == (2, 0)
    assert (3, "TOI-1") not in rows  # linen only


# --- the pages ----------------------------------------------------------------------------------
def test_a_keeper_sends_linen_and_books_it_back_through_the_pages(client, w, login_as):
    login_as("employee")  # housekeeping keeps the linen room
    page = text_of(client.get("/inventory/linen"))
    assert "Send soiled linen" in page and "Linen on each floor against its par" in page
    data = {"idempotency_key": KEY, "store_id": str(w.room.id), f"sent-{w.towel.id}": "12"}
    response = client.post_form("/inventory/linen/send", data)
    assert response.status_code == 303
    batch = db.session.scalar(select(LaundryBatch))
    assert response.headers["Location"] == f"/inventory/linen/batches/{batch.id}"
    again = client.post_form("/inventory/linen/send", data)  # a double tap: the same batch
    assert again.headers["Location"] == response.headers["Location"]
    assert h.count(LaundryBatch) == 1
    (line,) = batch.lines
    bad = client.post_form(
        f"/inventory/linen/batches/{batch.id}/back", {f"returned-{line.id}": "13"}
    )
    assert bad.status_code == 422
    shown = visible_text(
        re.search(
            rf'<tr id="laundry-line-{line.id}".*?</tr>', bad.get_data(as_text=True), re.S
        ).group(0)
    )
    assert "12 were sent; clean and rejected together cannot be more." in shown
    done = client.post_form(
        f"/inventory/linen/batches/{batch.id}/back",
        {f"returned-{line.id}": "11", f"rejected-{line.id}": "1"},
    )
    assert done.status_code == 303
    assert h.on_hand(w.room, w.towel) == 51
    summary = text_of(client.get("/inventory/linen"))
    assert "No linen is at the laundry." in summary and "38.00" in summary


def test_bad_counts_are_said_under_their_line_and_nothing_is_sent(client, w, login_as):
    login_as("employee")
    for typed, message in [
        ("lots", "Give a number such as 12 or 2.5 (digits only)."),
        ("2.5", "Linen is counted piece by piece: give a whole number."),
        ("-4", "Give a number such as 12 or 2.5 (digits only)."),
    ]:
        response = client.post_form(
            "/inventory/linen/send",
            {"idempotency_key": KEY, "store_id": str(w.room.id), f"sent-{w.towel.id}": typed},
        )
        assert response.status_code == 422, typed
        html = response.get_data(as_text=True)
        error = re.search(rf'<div id="sent-{w.towel.id}-error"[^>]*>(.*?)</div>', html, re.S)
        assert error and message in visible_text(error.group(1)), typed
    assert h.count(LaundryBatch) == 0


def test_who_may_not_send(client, w, login_as):
    login_as("supervisor", dept="FO")  # sees stock, does not keep the linen room
    page = text_of(client.get("/inventory/linen"))
    assert "Send soiled linen" not in page
    response = client.post_form(
        "/inventory/linen/send",
        {"idempotency_key": KEY, "store_id": str(w.room.id), f"sent-{w.towel.id}": "2"},
    )
    assert response.status_code == 403 and h.count(LaundryBatch) == 0
    assert client.get(f"/inventory/linen/batches/{2**63}").status_code == 404

"""Inventory pages through HTTP: bad input on every form is refused next to its field (422 for a
plain post, the fragment for htmx) with nothing written; every htmx action works as a plain post
with JavaScript off; a double tap applies once; guessed ids are not found; the stock list pages
and filters; the item's history downloads as a safe CSV; the purchase request prints in Chinese;
and the home page shows the cards of supplies."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from portal.blueprints.inventory import reorder, requests, stock, topups
from portal.blueprints.inventory.models import (
    Category,
    Item,
    Movement,
    ParItem,
    PurchaseRequest,
    RequestStatus,
    Store,
    StoreKind,
    SupplyRequest,
    TopUp,
    Unit,
)
from portal.extensions import db as _db
from tests import factories
from tests.conftest import text_of, visible_text
from tests.drills.test_documents import printed
from tests.inventory import helpers as h
from tests.rosters import helpers as rosters

KEY = "views-test-key-000001"
HUGE = 2**63


@pytest.fixture
def w(db):
    return hotel_world()


def hotel_world() -> SimpleNamespace:
    """The test hotel: a main store (kept by stores and purchasing: 40 bath towels, reorder at
    50, and 5 litres of shampoo), the floor-3 pantry and the linen room (kept by housekeeping:
    20 towels each), a HK attendant and their supervisor, and a storekeeper."""
    prop = factories.property_()
    keeper = h.storekeeper(prop, name_en="Wu Keeper")
    main = h.store(prop, code="MAIN", name_en="Main store")
    pantry = h.store(prop, StoreKind.PANTRY, floor=3, code="P3", name_en="Pantry floor 3")
    linen = h.store(prop, StoreKind.LINEN, code="LIN", name_en="Linen room")
    towel = h.item(prop, "Bath towel", code="LIN-BATH", unit_cost="2.50")
    towel.name_zh = "浴巾"
    shampoo = h.item(
        prop,
        "Shampoo",
        code="TOI-SHAM",
        unit=Unit.LITRE,
        category=Category.TOILETRIES,
        unit_cost="8.00",
    )
    h.stocked(main, towel, 40, by=keeper, reorder_point=50, reorder_quantity=100)
    h.stocked(main, shampoo, 5, by=keeper)
    h.stocked(pantry, towel, 20, by=keeper)
    h.stocked(linen, towel, 20, by=keeper)
    made = SimpleNamespace(
        prop=prop,
        keeper=keeper,
        main=main,
        pantry=pantry,
        linen=linen,
        towel=towel,
        shampoo=shampoo,
        attendant=factories.person("employee", prop=prop, name_en="Ana Attendant"),
        boss=factories.person("supervisor", prop=prop, name_en="Bo Supervisor"),
        hk=factories.department(prop, "HK"),
    )
    _db.session.commit()
    return made


# --- reading answers ---------------------------------------------------------------------------
def error_of(response, field_id: str) -> str | None:
    """The message shown under a field (the element its input is described by)."""
    html = response.get_data(as_text=True)
    found = re.search(rf'<div id="{re.escape(field_id)}-error"[^>]*>(.*?)</div>', html, re.S)
    return visible_text(found.group(1)) if found else None


def is_fragment(response, element_id: str) -> bool:
    html = response.get_data(as_text=True)
    return f'id="{element_id}"' in html and "<html" not in html


def is_page(response) -> bool:
    return "<html" in response.get_data(as_text=True)


def htmx_done(response, url: str, fragment: str) -> bool:
    """An htmx post that did its work: sent on to `url` (HX-Redirect), or answered with the
    fragment again in place (the next one to fill in)."""
    if response.status_code != 200:
        return False
    if "HX-Redirect" in response.headers:
        return response.headers["HX-Redirect"] == url
    return is_fragment(response, fragment)


def fresh(model, id_):
    _db.session.expire_all()
    return _db.session.get(model, id_)


def refused_both_ways(client, url, data, *, fragment: str, field: str | None, message: str):
    """A plain post is 422 and an htmx post the fragment (200), each with the message under
    `field` (or above the form), and neither writes anything."""
    before = h.written()
    for htmx in (False, True):
        response = client.post_form(url, data, htmx=htmx)
        assert response.status_code == (200 if htmx else 422), (htmx, text_of(response)[:400])
        if htmx:
            assert is_fragment(response, fragment), response.get_data(as_text=True)[:300]
        else:
            assert is_page(response)
        if field is None:
            assert message in text_of(response), text_of(response)[:600]
        else:
            assert message in (error_of(response, field) or ""), (field, text_of(response)[:600])
        _db.session.expire_all()
        assert h.written() == before
    return response


# --- movements ---------------------------------------------------------------------------------
def move_url(w, kind="issue"):
    return f"/inventory/items/{w.towel.id}/move?kind={kind}"


def move_data(w, quantity, **values):
    return {
        "idempotency_key": KEY,
        "store_id": str(w.pantry.id),
        "quantity": quantity,
        "department_id": str(w.hk.id),
        **values,
    }


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("abc", "Give a number such as 12 or 2.5 (digits only)."),
        ("", "Give a number."),
        ("0", "A quantity is more than 0."),
        ("-3", "Give a number such as 12 or 2.5 (digits only)."),
        ("1.5", "Give a whole number: this item is counted by the piece."),
        (str(HUGE), "Give a number such as 12 or 2.5 (digits only)."),
        ("999999999", "A quantity is at most 999,999."),
        ("25", "Only 20 piece of Bath towel in Pantry floor 3: not enough for 25."),
    ],
    ids=["letters", "empty", "zero", "negative", "half-a-towel", "2^63", "absurd", "too-many"],
)
def test_a_bad_quantity_is_refused_under_its_field(client, w, login_as, quantity, message):
    login_as("employee")  # housekeeping: keeps the pantry
    refused_both_ways(
        client,
        move_url(w),
        move_data(w, quantity),
        fragment="move-form",
        field="quantity",
        message=message,
    )
    assert h.on_hand(w.pantry, w.towel) == 20


def test_full_width_digits_are_a_number(client, w, login_as):
    me = login_as("employee")
    response = client.post_form(move_url(w), move_data(w, "１２"))
    assert response.status_code == 303
    (made,) = h.movements(Movement.by_id == me.id)
    assert made.quantity == Decimal(12) and made.change == Decimal(-12)
    assert h.on_hand(w.pantry, w.towel) == 8


def test_a_receipt_s_cost_and_a_litre_s_decimals(client, w, login_as):
    login_as("manager")
    url = f"/inventory/items/{w.shampoo.id}/move?kind=receive"
    data = {"idempotency_key": KEY, "store_id": str(w.main.id), "quantity": "2.5"}
    refused_both_ways(
        client,
        url,
        {**data, "unit_cost": "1.234"},
        fragment="move-form",
        field="unit_cost",
        message="A unit cost has at most two decimals.",
    )
    refused_both_ways(
        client,
        url,
        {**data, "quantity": "0.0005", "unit_cost": "8.00"},
        fragment="move-form",
        field="quantity",
        message="A quantity has at most three decimals.",
    )
    done = client.post_form(url, {**data, "unit_cost": "8.40"})
    assert done.status_code == 303
    assert h.on_hand(w.main, w.shampoo) == Decimal("7.5")
    assert fresh(Item, w.shampoo.id).unit_cost == Decimal("8.40")


def test_a_double_tap_moves_once(client, w, login_as):
    me = login_as("employee")
    answers = [client.post_form(move_url(w), move_data(w, "3")) for _ in range(2)]
    assert [a.status_code for a in answers] == [303, 303]
    assert {a.headers["Location"] for a in answers} == {f"/inventory/items/{w.towel.id}"}
    assert htmx_done(
        client.post_form(move_url(w), move_data(w, "3"), htmx=True),
        f"/inventory/items/{w.towel.id}",
        "move-form",
    )
    assert len(h.movements(Movement.by_id == me.id)) == 1
    assert h.on_hand(w.pantry, w.towel) == 17
    # a new key is a new movement
    client.post_form(move_url(w), move_data(w, "3", idempotency_key="another-key-0000001"))
    assert h.on_hand(w.pantry, w.towel) == 14


def test_a_move_without_its_key_is_refused(client, w, login_as):
    login_as("employee")
    data = move_data(w, "3")
    for key in ("short", "bad key with spaces!", "x" * 65):
        response = client.post_form(move_url(w), {**data, "idempotency_key": key})
        assert response.status_code == 422
        assert "Reload the page and try again." in text_of(response)
    assert h.on_hand(w.pantry, w.towel) == 20


def test_moves_work_with_javascript_off_and_as_htmx(client, w, login_as):
    login_as("employee")
    # the form: a whole page without JavaScript, the panel's fragment for htmx
    assert is_page(client.get(move_url(w)))
    assert is_fragment(client.hx_get(move_url(w)), "move-form")
    plain = client.post_form(move_url(w), move_data(w, "2"))
    assert (
        plain.status_code == 303 and plain.headers["Location"] == f"/inventory/items/{w.towel.id}"
    )
    landing = text_of(client.get(plain.headers["Location"]))
    assert "Issued: 2 piece of Bath towel. Pantry floor 3 has 18 now." in landing
    swapped = client.post_form(
        move_url(w), move_data(w, "2", idempotency_key="htmx-key-0000000001"), htmx=True
    )
    assert htmx_done(swapped, f"/inventory/items/{w.towel.id}", "move-form")
    assert "Issued: 2 piece of Bath towel. Pantry floor 3 has 16 now." in text_of(swapped)
    assert h.on_hand(w.pantry, w.towel) == 16


def test_an_attendant_moves_nothing_in_the_main_store(client, w, login_as):
    login_as("employee")
    before = h.written()
    response = client.post_form(move_url(w), move_data(w, "2", store_id=str(w.main.id)))
    assert response.status_code == 404
    assert h.actions("access.") == ["access.refused"]
    assert h.on_hand(w.main, w.towel) == 40
    after = h.written()
    assert after.pop("audit_events") == before.pop("audit_events") + 1 and after == before


def test_a_transfer_and_a_reversal_through_the_pages(client, w, login_as):
    login_as("manager")
    data = {"idempotency_key": KEY, "store_id": str(w.main.id), "quantity": "5"}
    same = client.post_form(move_url(w, "transfer"), {**data, "to_store_id": str(w.main.id)})
    assert same.status_code == 422
    assert "Choose another store to move it to." in (error_of(same, "to_store_id") or "")
    done = client.post_form(move_url(w, "transfer"), {**data, "to_store_id": str(w.pantry.id)})
    assert done.status_code == 303
    assert (h.on_hand(w.main, w.towel), h.on_hand(w.pantry, w.towel)) == (35, 25)
    (transfer,) = h.movements(Movement.kind == "transfer")
    # a reversal needs a reason; then it undoes the transfer, once
    url = f"/inventory/movements/{transfer.id}/reverse"
    assert client.post_form(url, {"why": ""}).status_code == 422
    assert client.post_form(url, {"why": "Wrong store"}).status_code == 303
    again = client.post_form(url, {"why": "Wrong store"})
    assert again.status_code == 409
    assert "This movement was reversed already." in text_of(again)
    assert (h.on_hand(w.main, w.towel), h.on_hand(w.pantry, w.towel)) == (40, 20)


# --- supply requests ---------------------------------------------------------------------------
def request_data(w, **values):
    return {
        "idempotency_key": KEY,
        "store_id": str(w.main.id),
        "for_where": "Room 305",
        "item_id-0": str(w.towel.id),
        "quantity-0": "4",
        **values,
    }


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"item_id-0": ""}, "line-0", "Choose the item."),
        ({"item_id-0": str(HUGE)}, "line-0", "Choose the item."),
        ({"quantity-0": "lots"}, "line-0", "Give a number such as 12 or 2.5 (digits only)."),
        ({"quantity-0": "99999999"}, "line-0", "A quantity is at most 999,999."),
        ({"item_id-0": "", "quantity-0": ""}, None, "Ask for at least one item."),
        ({"for_where": ""}, "for_where", "Say where it is needed (a room, an outlet, a desk)."),
        ({"store_id": ""}, "store_id", "Choose the store."),
        ({"store_id": "99999"}, "store_id", "Choose one of this property's stores."),
    ],
    ids=[
        "no-item",
        "item-2^63",
        "quantity-letters",
        "quantity-absurd",
        "no-lines",
        "no-for-where",
        "no-store",
        "guessed-store",
    ],
)
def test_a_bad_request_is_refused_where_it_was_typed(client, w, login_as, values, field, message):
    login_as("employee")
    refused_both_ways(
        client,
        "/inventory/requests/new",
        request_data(w, **values),
        fragment="request-form",
        field=field,
        message=message,
    )
    assert h.count(SupplyRequest) == 0


def test_a_request_is_sent_once_with_javascript_off_or_on(client, w, login_as):
    me = login_as("employee")
    assert is_page(client.get("/inventory/requests/new"))
    answers = [client.post_form("/inventory/requests/new", request_data(w)) for _ in range(2)]
    (made,) = _db.session.scalars(select(SupplyRequest)).all()
    assert made.requester_id == me.id and made.department_id == w.hk.id
    assert [a.status_code for a in answers] == [303, 303]
    assert {a.headers["Location"] for a in answers} == {f"/inventory/requests/{made.id}"}
    swapped = client.post_form(
        "/inventory/requests/new",
        request_data(w, idempotency_key="htmx-key-0000000001", for_where="Room 306"),
        htmx=True,
    )
    second = _db.session.scalar(select(SupplyRequest).where(SupplyRequest.for_where == "Room 306"))
    assert htmx_done(swapped, f"/inventory/requests/{second.id}", "request-form")
    assert h.count(SupplyRequest) == 2
    assert "Room 305" in text_of(client.get("/inventory/requests"))


def _asked(w, quantity=4, store=None):
    made = requests.create(w.attendant, store or w.main, "Room 305", [(w.towel, quantity)])
    _db.session.commit()
    return made


def test_a_supervisor_approves_less_but_never_more(client, w, login_as):
    asked = _asked(w)
    line = asked.lines[0]
    login_as("supervisor")  # supervises housekeeping
    url = f"/inventory/requests/{asked.id}/approve"
    refused_both_ways(
        client,
        url,
        {f"approved-{line.id}": "four"},
        fragment="request-panel",
        field=None,
        message="Bath towel: Give a number such as 12 or 2.5 (digits only).",
    )
    assert fresh(SupplyRequest, asked.id).status == RequestStatus.OPEN
    done = client.post_form(url, {f"approved-{line.id}": "3"})
    assert done.status_code == 303 and done.headers["Location"] == f"/inventory/requests/{asked.id}"
    made = fresh(SupplyRequest, asked.id)
    assert made.status == RequestStatus.APPROVED and made.lines[0].approved == 3


def test_approving_more_than_was_asked_is_bad_input(client, w, login_as):
    asked = _asked(w)
    login_as("supervisor")
    refused_both_ways(
        client,
        f"/inventory/requests/{asked.id}/approve",
        {f"approved-{asked.lines[0].id}": "5"},
        fragment="request-panel",
        field=None,
        message="Bath towel: at most the 4 asked for.",
    )


def test_approving_more_than_was_asked_writes_nothing(client, w, login_as):
    asked = _asked(w)
    login_as("supervisor")
    before = h.written()
    response = client.post_form(
        f"/inventory/requests/{asked.id}/approve", {f"approved-{asked.lines[0].id}": "5"}
    )
    assert response.status_code == 422
    assert "Bath towel: at most the 4 asked for." in text_of(response)
    assert h.written() == before
    assert fresh(SupplyRequest, asked.id).status == RequestStatus.OPEN


def test_not_approving_needs_a_note(client, w, login_as):
    asked = _asked(w)
    login_as("supervisor")
    url = f"/inventory/requests/{asked.id}/refuse"
    refused_both_ways(
        client,
        url,
        {"note": "  "},
        fragment="request-panel",
        field="note",
        message="Say why, so that the requester knows what to do.",
    )
    plain = client.post_form(url, {"note": "Take them from the pantry"})
    assert plain.status_code == 303
    made = fresh(SupplyRequest, asked.id)
    assert (
        made.status == RequestStatus.REJECTED and made.decision_note == "Take them from the pantry"
    )


def test_every_step_of_a_request_works_as_htmx_and_as_a_plain_post(client, w, login_as):
    # approve as htmx: the panel in place, saying where the request is now
    first = _asked(w)
    second = _asked(w, 2)
    login_as("supervisor")
    swapped = client.post_form(f"/inventory/requests/{first.id}/approve", {}, htmx=True)
    assert swapped.status_code == 200 and is_fragment(swapped, "request-panel")
    assert "Approved, waiting for the store" in text_of(swapped)
    refused = client.post_form(
        f"/inventory/requests/{second.id}/refuse", {"note": "Not now"}, htmx=True
    )
    assert is_fragment(refused, "request-panel") and "Not approved" in text_of(refused)
    # issue: the storekeeper, plain and htmx
    client.post_form("/auth/logout")
    login_as("employee", dept="STR")
    issued = client.post_form(f"/inventory/requests/{first.id}/issue", {}, htmx=True)
    assert issued.status_code == 200 and is_fragment(issued, "request-panel")
    assert fresh(SupplyRequest, first.id).status == RequestStatus.ISSUED
    # cancel: the requester, plain and htmx
    third, fourth = _asked(w), _asked(w)
    client.post_form("/auth/logout")
    me = login_as("employee")
    mine = requests.create(me, w.main, "Room 307", [(w.towel, 1)])
    other = requests.create(me, w.main, "Room 308", [(w.towel, 1)])
    _db.session.commit()
    plain = client.post_form(f"/inventory/requests/{mine.id}/cancel", {})
    assert plain.status_code == 303
    assert plain.headers["Location"] == f"/inventory/requests/{mine.id}"
    swapped = client.post_form(f"/inventory/requests/{other.id}/cancel", {}, htmx=True)
    assert is_fragment(swapped, "request-panel") and "Cancelled" in text_of(swapped)
    assert {fresh(SupplyRequest, r.id).status for r in (mine, other)} == {RequestStatus.CANCELLED}
    # someone else's request is not mine to cancel
    assert client.post_form(f"/inventory/requests/{third.id}/cancel", {}).status_code == 404
    assert fresh(SupplyRequest, fourth.id).status == RequestStatus.OPEN


def test_issuing_twice_issues_once_and_says_what_the_request_is_now(client, w, login_as):
    asked = _asked(w)
    requests.approve(asked, {}, by=w.boss)
    _db.session.commit()
    login_as("employee", dept="STR")  # stores and purchasing: keeps the main store
    url = f"/inventory/requests/{asked.id}/issue"
    first = client.post_form(url, {})
    assert (
        first.status_code == 303 and first.headers["Location"] == f"/inventory/requests/{asked.id}"
    )
    second = client.post_form(url, {})
    assert second.status_code == 409
    assert f"Request {asked.id} is now: Issued." in text_of(second)
    assert len(h.movements(Movement.request_id == asked.id)) == 1
    assert h.on_hand(w.main, w.towel) == 36


def test_a_request_short_of_stock_is_issued_not_at_all(client, w, login_as):
    asked = _asked(w, 30)
    requests.approve(asked, {}, by=w.boss)
    stock.issue(w.towel, w.main, Decimal(15), by=w.keeper, department=w.hk)
    _db.session.commit()
    login_as("employee", dept="STR")
    response = client.post_form(f"/inventory/requests/{asked.id}/issue", {})
    assert response.status_code == 409
    assert "Only 25 piece of Bath towel in Main store: not enough for 30." in text_of(response)
    assert fresh(SupplyRequest, asked.id).status == RequestStatus.APPROVED
    assert h.on_hand(w.main, w.towel) == 25


# --- the item list and the stores --------------------------------------------------------------
def item_data(**values):
    return {
        "code": "toi-soap",
        "name_en": "Soap bar",
        "name_zh": "香皂",
        "category": "toiletries",
        "unit": "piece",
        "unit_cost": "0.40",
        "custodian_id": "0",
        **values,
    }


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"code": "lin-bath"}, "code", "Another item has the code LIN-BATH."),
        ({"code": ""}, "code", "Give the item a code."),
        (
            {"name_zh": ""},
            "name_zh",
            "Give the item's name in English and in Chinese: both are printed.",
        ),
        ({"unit_cost": "cheap"}, "unit_cost", "Give a number such as 12 or 2.5 (digits only)."),
        ({"unit_cost": "0.405"}, "unit_cost", "A unit cost has at most two decimals."),
        ({"unit_cost": ""}, "unit_cost", "Give a number."),
        ({"category": "weapons"}, "category", "Not a valid choice."),
        ({"custodian_id": "99999"}, "custodian_id", "Choose an active person of this property."),
    ],
    ids=[
        "duplicate",
        "no-code",
        "no-chinese",
        "cost-words",
        "cost-cents",
        "no-cost",
        "category",
        "custodian",
    ],
)
def test_a_bad_item_is_refused_under_its_field(client, w, login_as, values, field, message):
    login_as("manager")
    refused_both_ways(
        client,
        "/inventory/items/new",
        item_data(**values),
        fragment="item-form",
        field=field,
        message=message,
    )
    assert h.count(Item) == 2


def test_an_item_is_added_and_changed(client, w, login_as):
    login_as("manager")
    added = client.post_form("/inventory/items/new", item_data())
    assert added.status_code == 303
    made = _db.session.scalar(select(Item).where(Item.code == "TOI-SOAP"))
    assert added.headers["Location"] == f"/inventory/items/{made.id}"
    changed = client.post_form(
        f"/inventory/items/{made.id}/edit", item_data(name_en="Soap bar, 40 g", unit_cost="0.45")
    )
    assert changed.status_code == 303
    made = fresh(Item, made.id)
    assert (made.name_en, made.unit_cost) == ("Soap bar, 40 g", Decimal("0.45"))
    # a unit in which stock has moved stays
    moved = client.post_form(
        f"/inventory/items/{w.towel.id}/edit",
        item_data(code="LIN-BATH", name_en="Bath towel", name_zh="浴巾", unit="pack"),
    )
    assert moved.status_code == 422
    assert "its unit stays" in (error_of(moved, "unit") or "")


def test_an_item_changed_meanwhile_is_not_overwritten(app, client, w, login_as):
    boss = login_as("manager")
    form = client.get(f"/inventory/items/{w.towel.id}/edit")
    assert form.status_code == 200
    loaded = fresh(Item, w.towel.id).version
    from portal.blueprints.inventory import catalogue

    with app.test_request_context():  # someone else saves the item meanwhile
        catalogue.update_item(
            fresh(Item, w.towel.id),
            catalogue.ItemData("LIN-BATH", "Bath sheet", "浴巾", "linen", "piece", Decimal("2.50")),
            by=boss,
        )
        _db.session.commit()
    stale = client.post_form(
        f"/inventory/items/{w.towel.id}/edit",
        item_data(
            code="LIN-BATH",
            name_en="Bath towel",
            name_zh="浴巾",
            category="linen",
            unit_cost="9.99",
            version=str(loaded),
        ),
    )
    assert stale.status_code == 422
    assert "Someone changed this item meanwhile" in text_of(stale)
    assert fresh(Item, w.towel.id).name_en == "Bath sheet"


def store_data(w, **values):
    return {
        "code": "p7",
        "name_en": "Pantry floor 7",
        "name_zh": "七楼布草间",
        "kind": "pantry",
        "department_id": str(w.hk.id),
        "floor": "7",
        **values,
    }


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"floor": ""}, "floor", "Give the floor the pantry serves."),
        ({"floor": "999"}, "floor", "A floor is between -5 and 200."),
        ({"code": "main"}, "code", "Another store has the code MAIN."),
        ({"department_id": ""}, "department_id", "Choose the department that keeps it."),
        ({"department_id": "99999"}, "department_id", "Choose one of this property's departments."),
        ({"name_zh": ""}, "name_zh", "Give the store's name in English and in Chinese."),
    ],
    ids=[
        "pantry-without-floor",
        "floor-999",
        "duplicate",
        "no-keeper",
        "guessed-keeper",
        "no-chinese",
    ],
)
def test_a_bad_store_is_refused_under_its_field(client, w, login_as, values, field, message):
    login_as("manager")
    refused_both_ways(
        client,
        "/inventory/stores/new",
        store_data(w, **values),
        fragment="store-form",
        field=field,
        message=message,
    )
    assert h.count(Store) == 3


def test_a_store_is_added(client, w, login_as):
    login_as("manager")
    added = client.post_form("/inventory/stores/new", store_data(w))
    assert added.status_code == 303 and added.headers["Location"] == "/inventory/stores"
    made = _db.session.scalar(select(Store).where(Store.code == "P7"))
    assert (made.kind, made.floor, made.department_id) == ("pantry", 7, w.hk.id)


def reorder_url(w):
    return f"/inventory/items/{w.towel.id}/reorder/{w.main.id}"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"reorder_point": "lots"}, "Give a number such as 12 or 2.5 (digits only)."),
        ({"reorder_quantity": ""}, "Give how much to order when it reaches the point."),
        ({"reorder_quantity": "1.5"}, "Give a whole number: this item is counted by the piece."),
        ({"reorder_point": "9999999"}, "A reorder point is between 0 and 999,999."),
    ],
    ids=["point-words", "no-quantity", "half-a-towel", "absurd-point"],
)
def test_a_bad_reorder_point_is_refused(client, w, login_as, values, message):
    login_as("manager")
    before = h.written()
    data = {"reorder_point": "30", "reorder_quantity": "100", **values}
    response = client.post_form(reorder_url(w), data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    row = re.search(rf'<tr id="level-{w.main.id}">.*?</tr>', html, re.S).group(0)
    assert message in visible_text(row), visible_text(row)
    assert h.written() == before
    _db.session.expire_all()
    level = h.level(w.main, w.towel)
    assert (level.reorder_point, level.reorder_quantity) == (50, 100)


def test_a_bad_reorder_point_is_shown_in_its_store_s_row(client, w, login_as):
    login_as("manager")
    response = client.post_form(reorder_url(w), {"reorder_point": "lots", "reorder_quantity": "1"})
    html = response.get_data(as_text=True)
    row = re.search(rf'<tr id="level-{w.main.id}">.*?</tr>', html, re.S).group(0)
    assert "Give a number such as 12 or 2.5 (digits only)." in visible_text(row)
    assert "is-invalid" in row


def test_a_reorder_point_is_set_and_cleared(client, w, login_as):
    login_as("manager")
    done = client.post_form(reorder_url(w), {"reorder_point": "30", "reorder_quantity": "120"})
    assert done.status_code == 303
    assert done.headers["Location"] == f"/inventory/items/{w.towel.id}#level-{w.main.id}"
    cleared = client.post_form(reorder_url(w), {"reorder_point": "", "reorder_quantity": ""})
    assert cleared.status_code == 303
    _db.session.expire_all()
    level = h.level(w.main, w.towel)
    assert (level.reorder_point, level.reorder_quantity) == (None, None)


# --- par kits and top-ups ----------------------------------------------------------------------
@pytest.fixture
def rooms(w):
    """Standard rooms hold 2 bath towels; rooms 305 and 306 (floor 3: its pantry) were cleaned
    after a departure by the attendant."""
    kind = rosters.room_type(w.prop, "STD", name_en="Standard room", name_zh="标准间")
    h.par_kit(kind, {w.towel: 2}, by=w.keeper)
    made = [rosters.room(w.prop, number, floor=3, kind=kind) for number in ("305", "306")]
    for room in made:
        rosters.cleaning_row(room, w.attendant, finished=True)
    _db.session.commit()
    return SimpleNamespace(kind=kind, room=made[0], other=made[1])


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"quantity": "two"}, "quantity", "Give a number such as 12 or 2.5 (digits only)."),
        (
            {"item_id": "TOWEL", "quantity": "1.5"},
            "quantity",
            "Give a whole number: this item is counted by the piece.",
        ),
        ({"quantity": "-1"}, "quantity", "Give a number such as 12 or 2.5 (digits only)."),
        ({"quantity": "9999999"}, "quantity", "A quantity is at most 999,999."),
        ({"item_id": ""}, "item_id", "Choose the item."),
        ({"item_id": str(HUGE)}, "item_id", "Choose the item."),
        ({"item_id": "99999"}, "item_id", "Choose items this property stocks."),
    ],
    ids=["words", "half-a-towel", "negative", "absurd", "no-item", "item-2^63", "guessed-item"],
)
def test_a_bad_par_is_refused_under_its_field(client, w, rooms, login_as, values, field, message):
    login_as("manager")
    data = {"item_id": str(w.shampoo.id), "quantity": "1", "departure_refill": "y", **values}
    if data["item_id"] == "TOWEL":
        data["item_id"] = str(w.towel.id)
    refused_both_ways(
        client,
        f"/inventory/par/{rooms.kind.id}",
        data,
        fragment="par-form",
        field=field,
        message=message,
    )
    assert h.count(ParItem) == 1


def test_a_par_is_set_with_javascript_off_and_as_htmx(client, w, rooms, login_as):
    login_as("manager")
    url = f"/inventory/par/{rooms.kind.id}"
    plain = client.post_form(url, {"item_id": str(w.shampoo.id), "quantity": "0.03"})
    assert plain.status_code == 303 and plain.headers["Location"] == url
    swapped = client.post_form(url, {"item_id": str(w.towel.id), "quantity": "0"}, htmx=True)
    assert htmx_done(swapped, url, "par-form")
    kit = {p.item_id: (p.quantity, p.departure_refill) for p in topups.par_kit(rooms.kind.id)}
    assert kit == {w.shampoo.id: (Decimal("0.03"), False)}


def test_a_top_up_with_words_is_refused_under_the_line(client, w, rooms, login_as):
    login_as("employee")
    refused_both_ways(
        client,
        f"/inventory/rooms/{rooms.room.id}/top-up",
        {f"short-{w.towel.id}": "a few"},
        fragment="top-up",
        field=f"short-{w.towel.id}",
        message="Give a number such as 12 or 2.5 (digits only).",
    )


def test_a_top_up_of_more_than_par_is_refused_under_the_line(client, w, rooms, login_as):
    login_as("employee")
    refused_both_ways(
        client,
        f"/inventory/rooms/{rooms.room.id}/top-up",
        {f"short-{w.towel.id}": "3"},
        fragment="top-up",
        field=f"short-{w.towel.id}",
        message="Bath towel: between 0 and the par of 2.",
    )


def test_a_top_up_of_more_than_par_writes_nothing(client, w, rooms, login_as):
    login_as("employee")
    before = h.written()
    response = client.post_form(
        f"/inventory/rooms/{rooms.room.id}/top-up", {f"short-{w.towel.id}": "3"}
    )
    assert response.status_code == 422
    assert "Bath towel: between 0 and the par of 2." in text_of(response)
    assert h.written() == before


def test_a_room_is_topped_up_once_with_javascript_off_or_on(client, w, rooms, login_as):
    me = login_as("employee")
    url = f"/inventory/rooms/{rooms.room.id}/top-up"
    page = client.get(url)
    assert "Top up room 305" in text_of(page) and "From Pantry floor 3." in text_of(page)
    plain = client.post_form(url, {f"short-{w.towel.id}": "2"})
    assert plain.status_code == 303 and plain.headers["Location"] == url
    assert "Room 305 topped up to par." in text_of(client.get(url))
    again = client.post_form(url, {f"short-{w.towel.id}": "2"})
    assert again.status_code == 409
    assert "Topped up at" in text_of(again) and f"by {me.name_en}" in text_of(again)
    other = f"/inventory/rooms/{rooms.other.id}/top-up"
    # as htmx the attendant's phone stays on the page: the panel says it is done
    swapped = client.post_form(other, {f"short-{w.towel.id}": "1"}, htmx=True)
    assert swapped.status_code == 200 and is_fragment(swapped, "top-up")
    assert "Topped up at" in text_of(swapped) and "Room 306 topped up to par." in text_of(swapped)
    assert h.count(TopUp) == 2 and h.on_hand(w.pantry, w.towel) == 17
    assert {m.by_id for m in h.movements(Movement.kind == "top_up")} == {me.id}


# --- guessed ids -------------------------------------------------------------------------------
@pytest.mark.parametrize("guess", [HUGE, 99999])
def test_guessed_ids_are_not_found(client, w, rooms, login_as, guess):
    login_as("admin")  # sees every property: nothing is hidden from them, a guess still misses
    t, m = w.towel.id, w.main.id
    gets = [
        f"/inventory/items/{guess}",
        f"/inventory/items/{guess}/history.csv",
        f"/inventory/items/{guess}/move?kind=issue",
        f"/inventory/items/{guess}/edit",
        f"/inventory/requests/{guess}",
        f"/inventory/stores/{guess}/reorder",
        f"/inventory/stores/{guess}/purchase.pdf",
        f"/inventory/stores/{guess}/edit",
        f"/inventory/rooms/{guess}/top-up",
        f"/inventory/par/{guess}",
        f"/inventory/items/{t}/move?kind=stolen",
    ]
    posts = [
        f"/inventory/items/{guess}/reorder/{m}",
        f"/inventory/items/{t}/reorder/{guess}",
        f"/inventory/movements/{guess}/reverse",
        f"/inventory/requests/{guess}/approve",
        f"/inventory/requests/{guess}/refuse",
        f"/inventory/requests/{guess}/cancel",
        f"/inventory/requests/{guess}/issue",
        f"/inventory/purchases/{guess}/cancel",
    ]
    if guess == 99999:
        posts += SHARED_WITH_A_GET
    before = h.written()
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post_form(url.format(guess), {"why": "x"}).status_code == 404, url
    assert h.written() == before


# The POST routes whose path is also a GET route's (another endpoint).
SHARED_WITH_A_GET = [
    "/inventory/items/{}/move?kind=issue",
    "/inventory/items/{}/edit",
    "/inventory/stores/{}/reorder",
    "/inventory/stores/{}/edit",
    "/inventory/rooms/{}/top-up",
    "/inventory/par/{}",
]


@pytest.mark.parametrize("url", SHARED_WITH_A_GET)
def test_a_post_with_an_id_beyond_any_column_is_not_found(client, w, login_as, url):
    login_as("admin")
    assert client.post_form(url.format(HUGE), {}).status_code == 404


# --- the stock list ----------------------------------------------------------------------------
def listed(response) -> list[str]:
    """The item names of a stock page, in order."""
    html = response.get_data(as_text=True)
    return re.findall(r'<a class="portal-row-link" href="/inventory/items/\d+">([^<]*)</a>', html)


def test_the_stock_list_pages_and_filters(client, w, login_as):
    login_as("manager")
    for n in range(28):
        pen = h.item(w.prop, f"Guest pen {n:02d}", code=f"STA-PEN{n:02d}", category="stationery")
        h.stocked(w.main, pen, 100, by=w.keeper)
    _db.session.commit()
    first = client.get(f"/inventory/?store={w.main.id}")
    assert first.status_code == 200 and len(listed(first)) == 25
    second = client.get(f"/inventory/?store={w.main.id}&page=2")
    assert len(listed(second)) == 5
    assert set(listed(first)).isdisjoint(listed(second))
    assert len(set(listed(first)) | set(listed(second))) == 30
    # past the end, or a page no database holds: the last page, never a 500
    assert listed(client.get(f"/inventory/?store={w.main.id}&page={HUGE}")) == listed(second)
    # each filter, and the store chosen
    base = f"/inventory/?store={w.main.id}"
    assert listed(client.get(f"/inventory/?store={w.pantry.id}")) == ["Bath towel"]
    assert listed(client.get(f"{base}&category=toiletries")) == ["Shampoo"]
    assert listed(client.get(f"{base}&q=sham")) == ["Shampoo"]
    assert listed(client.get(f"{base}&q=浴巾")) == ["Bath towel"]
    assert listed(client.get(f"{base}&q=PEN0&category=stationery")) == [
        f"Guest pen {n:02d}" for n in range(10)
    ]
    assert listed(client.get(f"{base}&below=1")) == ["Bath towel"]
    assert "No item matches “nothing like it” in Main store." in text_of(
        client.get(f"{base}&q=nothing like it")
    )
    # an unknown category is no filter; a percent sign is a character, not a wildcard
    assert len(listed(client.get(f"{base}&category=weapons"))) == 25
    assert listed(client.get(f"{base}&q=%25")) == []
    # htmx asks for the results alone
    fragment = client.hx_get(f"{base}&category=toiletries")
    assert is_fragment(fragment, "stock-results") and listed(fragment) == ["Shampoo"]


# --- the item's history as CSV -----------------------------------------------------------------
def csv_rows(response) -> list[list[str]]:
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_the_history_csv_holds_the_movements_and_no_formula(client, w, login_as):
    login_as("manager")
    stock.issue(w.towel, w.main, Decimal(3), by=w.keeper, department=w.hk, note="=SUM(A1:A9)")
    _db.session.commit()
    response = client.get(f"/inventory/items/{w.towel.id}/history.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="stock-LIN-BATH.csv"' in response.headers["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert header[:6] == ["Number", "When", "Movement", "Store", "To store", "Change"]
    assert len(rows) == 4  # three receipts and the issue, newest first
    issue = dict(zip(header, rows[0], strict=True))
    assert (issue["Movement"], issue["Store"], issue["Change"]) == ("Issued", "MAIN", "-3")
    assert (issue["Value"], issue["Department"], issue["By"]) == (
        "7.50",
        "Housekeeping",
        "Wu Keeper",
    )
    assert issue["Note"] == "'=SUM(A1:A9)"
    assert {r[2] for r in rows[1:]} == {"Received"}
    # the page's filters hold for the download
    only = csv_rows(client.get(f"/inventory/items/{w.towel.id}/history.csv?kind=issue"))
    assert [r[2] for r in only[1:]] == ["Issued"]
    pantry = csv_rows(client.get(f"/inventory/items/{w.towel.id}/history.csv?store={w.pantry.id}"))
    assert [r[3] for r in pantry[1:]] == ["P3"]


def test_a_store_code_that_looks_like_a_formula_stays_text(client, w, login_as):
    login_as("manager")
    odd = h.store(w.prop, code="=1+2", name_en="Odd store")
    h.stocked(odd, w.towel, 1, by=w.keeper)
    _db.session.commit()
    _header, newest, *_rest = csv_rows(client.get(f"/inventory/items/{w.towel.id}/history.csv"))
    assert newest[3] == "'=1+2"


def test_an_item_with_a_chinese_code_downloads(client, w, login_as):
    login_as("manager")
    towel = h.item(w.prop, "Hand towel", code="毛巾")
    _db.session.commit()
    response = client.get(f"/inventory/items/{towel.id}/history.csv")
    assert response.status_code == 200
    response.headers["Content-Disposition"].encode("latin-1")


# --- the purchase request --------------------------------------------------------------------
def test_the_purchase_request_prints_in_chinese_with_its_total(client, w, login_as):
    login_as("manager")
    reorder.raise_purchases(w.main, by=w.keeper)  # 100 towels at 2.50
    _db.session.commit()
    text = printed(client, f"/inventory/stores/{w.main.id}/purchase.pdf?lang=zh")
    assert "采购申请" in text and "Purchase request" not in text
    assert "浴巾" in text and "LIN-BATH" in text
    assert "250.00" in text  # the estimated value: 100 x 2.50
    both = printed(client, f"/inventory/stores/{w.main.id}/purchase.pdf?lang=both")
    assert "Purchase request" in both and "Bath towel" in both and "浴巾" in both
    assert client.get(f"/inventory/stores/{w.main.id}/purchase.pdf?lang=fr").status_code == 400
    # a store with nothing on order: said on its reorder list, not an empty document
    nothing = client.get(f"/inventory/stores/{w.pantry.id}/purchase.pdf?lang=zh")
    assert nothing.status_code == 303
    assert nothing.headers["Location"] == f"/inventory/stores/{w.pantry.id}/reorder"
    assert "No purchase request is open for this store" in text_of(
        client.get(nothing.headers["Location"])
    )
    assert h.count(PurchaseRequest) == 1


def test_the_reorder_list_has_a_plain_title(client, w, login_as):
    login_as("manager")
    html = client.get(f"/inventory/stores/{w.main.id}/reorder").get_data(as_text=True)
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title.strip() == "Reorder list · Main store · Staffroom"


# --- the home page -----------------------------------------------------------------------------
def card_text(client, card_id: str) -> str:
    html = client.get("/").get_data(as_text=True)
    found = re.search(
        rf'<section class="card portal-card" id="card-{card_id}".*?</section>', html, re.S
    )
    return visible_text(found.group(0)) if found else ""


def test_an_employee_with_an_open_request_sees_it_on_the_home_page(client, w, login_as):
    me = login_as("employee")
    assert "My supply requests" not in card_text(client, "my-supplies")
    requests.create(me, w.main, "Room 305", [(w.towel, 2)])
    _db.session.commit()
    card = card_text(client, "my-supplies")
    assert "My supply requests" in card and "Waiting for approval 1" in card


def test_a_supervisor_sees_the_requests_to_approve(client, w, login_as):
    _asked(w)
    _asked(w, 2)
    login_as("supervisor")
    card = card_text(client, "stores")
    assert "Supply requests to approve 2" in card
    # a supervisor of front office has none of housekeeping's to approve
    client.post_form("/auth/logout")
    login_as("supervisor", dept="FO")
    assert "Supply requests to approve 2" not in card_text(client, "stores")


def test_a_room_not_cleaned_yet_is_not_topped_up(client, w, rooms, login_as):
    login_as("employee")
    bare = rosters.room(w.prop, "307", floor=3, kind=rooms.kind)
    _db.session.commit()
    url = f"/inventory/rooms/{bare.id}/top-up"
    said = "A room is topped up after its cleaning: this one has none on record yet."
    assert said in text_of(client.get(url))  # the page says so instead of a form
    before = h.on_hand(w.pantry, w.towel)
    for _ in range(2):
        response = client.post_form(url, {f"short-{w.towel.id}": "2"})
        assert response.status_code == 409 and said in text_of(response)
    assert h.count(TopUp, TopUp.room_id == bare.id) == 0
    assert h.on_hand(w.pantry, w.towel) == before


def test_a_move_posted_without_its_key_is_refused(client, w, login_as):
    login_as("employee")
    data = move_data(w, "3")
    del data["idempotency_key"]
    response = client.post_form(move_url(w), data)
    assert response.status_code == 422
    assert "This form is missing its key." in text_of(response)


def test_what_the_queue_lists_to_issue_opens(client, w, login_as):
    asked = _asked(w, 2, store=w.linen)
    requests.approve(asked, {}, by=w.boss)
    _db.session.commit()
    login_as("employee")  # housekeeping: keeps the linen room
    queue = client.get("/inventory/requests/queue")
    assert f'href="/inventory/requests/{asked.id}"' in queue.get_data(as_text=True)
    assert client.get(f"/inventory/requests/{asked.id}").status_code == 200


def test_deliveries_come_into_the_main_store_not_a_pantry(client, w, login_as):
    """Housekeeping keeps the pantry: it moves stock there, but a delivery from a supplier
    comes into the main store; the pantry is stocked by a transfer."""
    login_as("employee")
    item_page = text_of(client.get(f"/inventory/items/{w.towel.id}"))
    assert "Issued" in item_page and "Received" not in item_page.split("Stock by store")[1][:200]
    before = h.written()
    response = client.post_form(
        f"/inventory/items/{w.towel.id}/move?kind=receive",
        {"idempotency_key": KEY, "store_id": str(w.pantry.id), "quantity": "5", "unit_cost": "1"},
    )
    assert response.status_code == 422
    message = "Deliveries come into the main store: stock Pantry floor 3 with a transfer."
    assert message in text_of(response)  # above the form: none of their stores takes deliveries
    assert h.written() == before and h.on_hand(w.pantry, w.towel) == 20

"""Supplies in a real browser: an attendant tops a room up to par on a phone, in place; an
employee asks for supplies on the terminal, the supervisor approves less on a tablet and the
store issues it, each step swapped into the page without a reload."""

import re
from decimal import Decimal

from sqlalchemy import select

from portal.blueprints.inventory.models import (
    Movement,
    RequestStatus,
    StockLevel,
    StoreKind,
    SupplyRequest,
)
from portal.blueprints.people.models import User
from portal.blueprints.rosters.models import Room, RoomType
from portal.extensions import db as _db
from tests import factories
from tests.browser.conftest import MEASURE, sign_in
from tests.inventory import helpers
from tests.rosters import helpers as rosters


def _on_hand(app, store_id: int, item_id: int) -> Decimal:
    with app.app_context():
        found = _db.session.scalar(
            select(StockLevel.on_hand).where(
                StockLevel.store_id == store_id, StockLevel.item_id == item_id
            )
        )
        _db.session.remove()
    return found


def test_an_attendant_tops_a_room_up_to_par_on_a_phone(app, live_server, new_page, people):
    with app.test_request_context():
        prop = factories.property_("BRW")
        keeper = helpers.manager(prop)
        pantry = helpers.store(prop, StoreKind.PANTRY, floor=3)
        towel = helpers.item(prop, "Bath towel")
        soap = helpers.item(prop, "Soap bar", category="toiletries", unit_cost="0.80")
        helpers.stocked(pantry, towel, 10, by=keeper)
        helpers.stocked(pantry, soap, 10, by=keeper)
        kind = RoomType(property_id=prop.id, code="STD", name_en="Standard room", name_zh="标准间")
        _db.session.add(kind)
        _db.session.flush()
        room = Room(
            property_id=prop.id, number="301", floor=3, room_type_id=kind.id, occupancy="departure"
        )
        _db.session.add(room)
        _db.session.flush()
        helpers.par_kit(kind, {towel: 2, soap: 2}, by=keeper)
        attendant = _db.session.get(User, people["employee"][0])
        rosters.cleaning_row(room, attendant, finished=True)  # just cleaned: now its top-up
        _db.session.commit()
        ids = (room.id, pantry.id, towel.id, soap.id)
        _db.session.remove()
    room_id, pantry_id, towel_id, soap_id = ids

    phone = new_page("phone")
    sign_in(phone, live_server, people["employee"][1], factories.PIN)
    phone.goto(f"{live_server}/inventory/rooms/{room_id}/top-up")
    found = phone.evaluate(MEASURE)
    assert found["overflow"] <= 0 and found["small"] == [], found
    # After a departure the whole kit is proposed; one soap is still there.
    assert phone.locator(f"#short-{towel_id}").input_value() == "2"
    phone.fill(f"#short-{soap_id}", "1")
    phone.evaluate("window.__sameDocument = true")
    phone.get_by_role("button", name="Top up to par").click()
    phone.get_by_text("Topped up at").wait_for()
    assert "Room 301 topped up to par." in phone.locator("#flash").inner_text()
    assert phone.evaluate("window.__sameDocument") is True
    assert _on_hand(app, pantry_id, towel_id) == 8
    assert _on_hand(app, pantry_id, soap_id) == 9
    # A second visit (or a colleague's) finds it done: nothing is issued twice.
    phone.goto(f"{live_server}/inventory/rooms/{room_id}/top-up")
    assert phone.get_by_text("Topped up at").is_visible()
    assert phone.get_by_role("button", name="Top up to par").count() == 0


def test_a_request_is_approved_for_less_and_issued_without_a_reload(
    app, live_server, new_page, people
):
    with app.test_request_context():
        prop = factories.property_("BRW")
        boss = factories.person("supervisor", prop=prop, username="b.hk", dept="HK")
        helpers.storekeeper(prop, staff_no="S7001", name_en="Wei Store")
        main = helpers.store(prop, StoreKind.MAIN, name_en="Main store")
        cloth = helpers.item(prop, "Microfibre cloth", category="chemicals", unit_cost="3.00")
        helpers.stocked(main, cloth, 40, by=helpers.manager(prop))
        _db.session.commit()
        ids = (main.id, cloth.id, boss.id)
        _db.session.remove()
    main_id, cloth_id, _boss_id = ids

    terminal = new_page("terminal")
    sign_in(terminal, live_server, people["employee"][1], factories.PIN)
    terminal.goto(f"{live_server}/inventory/requests/new")
    terminal.fill("#for_where", "Floor 3 trolley")
    terminal.select_option("#item_id-0", str(cloth_id))
    terminal.fill("#quantity-0", "12")
    terminal.get_by_role("button", name="Send the request").click()
    terminal.wait_for_url(re.compile(r".*/inventory/requests/\d+$"))
    assert "Your request is sent to your supervisor." in terminal.locator("#flash").inner_text()
    with app.app_context():
        request_id = _db.session.scalar(select(SupplyRequest.id))
        _db.session.remove()

    tablet = new_page("tablet")
    sign_in(tablet, live_server, "b.hk", factories.PASSWORD)
    tablet.goto(f"{live_server}/inventory/requests/{request_id}")
    found = tablet.evaluate(MEASURE)
    assert found["overflow"] <= 0 and found["small"] == [], found
    tablet.evaluate("window.__sameDocument = true")
    line = tablet.locator("input[name^=approved-]")
    line.fill("10")
    tablet.get_by_role("button", name="Approve", exact=True).click()
    tablet.get_by_text("Approved, waiting for the store").wait_for()
    assert tablet.evaluate("window.__sameDocument") is True
    assert "approved" in tablet.locator("#flash").inner_text()

    store = new_page("tablet")
    sign_in(store, live_server, "S7001", factories.PIN)
    store.goto(f"{live_server}/inventory/requests/queue")
    store.get_by_role("link", name=f"No. {request_id}").click()
    store.wait_for_url(f"{live_server}/inventory/requests/{request_id}")
    store.evaluate("window.__sameDocument = true")
    store.get_by_role("button", name="Issue from Main store").click()
    store.locator("#request-panel .badge", has_text="Issued").wait_for()
    assert store.evaluate("window.__sameDocument") is True
    # A double tap: the button is gone, the stock moved once.
    assert store.get_by_role("button", name="Issue from Main store").count() == 0
    assert _on_hand(app, main_id, cloth_id) == 30
    with app.app_context():
        made = _db.session.get(SupplyRequest, request_id)
        assert made.status == RequestStatus.ISSUED
        issued = _db.session.scalars(select(Movement).where(Movement.request_id == request_id))
        assert [(m.kind, m.quantity) for m in issued] == [("issue", 10)]
        _db.session.remove()


def test_a_pantry_is_counted_on_a_tablet_and_posted(app, live_server, new_page, people):
    """The attendant counts row by row on a tablet (each Save swaps its row and the progress
    above, no reload, nothing expected shown on a blind count); the manager posts."""
    from portal.blueprints.inventory import stocktake
    from portal.blueprints.inventory.models import Stocktake, StocktakeStatus

    with app.test_request_context():
        prop = factories.property_("BRW")
        keeper = helpers.manager(prop)
        pantry = helpers.store(prop, StoreKind.PANTRY, floor=4)
        towel = helpers.item(prop, "Bath towel")
        soap = helpers.item(prop, "Soap bar", category="toiletries", unit_cost="0.80")
        helpers.stocked(pantry, towel, 12, by=keeper)
        helpers.stocked(pantry, soap, 30, by=keeper)
        sheet = stocktake.freeze(pantry, by=keeper)
        lines = {line.item_id: line.id for line in sheet.lines}
        _db.session.commit()
        ids = (sheet.id, pantry.id, towel.id, soap.id)
        _db.session.remove()
    sheet_id, pantry_id, towel_id, soap_id = ids

    tablet = new_page("tablet", has_touch=True)
    sign_in(tablet, live_server, people["employee"][1], factories.PIN)
    tablet.goto(f"{live_server}/inventory/stocktakes/{sheet_id}")
    found = tablet.evaluate(MEASURE)
    assert found["overflow"] <= 0 and found["small"] == [], found
    assert tablet.get_by_text("Expected").count() == 0  # a blind count
    tablet.evaluate("window.__sameDocument = true")
    summary = tablet.locator("#stocktake-summary")
    for item_id, value, done in ((towel_id, "11", "1 of 2"), (soap_id, "30", "2 of 2")):
        row = tablet.locator(f"#line-{lines[item_id]}")
        row.locator("input[name=counted]").fill(value)
        row.get_by_role("button", name="Save").tap()
        tablet.locator(f"#line-{lines[item_id]}").get_by_text("Counted by").wait_for()
        summary.get_by_text(f"{done} items counted").wait_for()
    assert tablet.evaluate("window.__sameDocument") is True
    assert tablet.locator(f"#line-{lines[towel_id]} input[name=counted]").input_value() == "11"
    assert _on_hand(app, pantry_id, towel_id) == 12  # nothing moves before the posting

    boss = new_page("tablet", has_touch=True)
    sign_in(boss, live_server, "b.admin", factories.PASSWORD)
    boss.goto(f"{live_server}/inventory/stocktakes/{sheet_id}")
    assert (
        "1 items differ from what was expected, worth -2.50 in all."
        in boss.locator("#stocktake-summary").inner_text()
    )
    boss.get_by_role("button", name="Post the adjustments").tap()
    boss.get_by_text("Stocktake posted: the stock now is what was counted.").wait_for()
    assert _on_hand(app, pantry_id, towel_id) == 11 and _on_hand(app, pantry_id, soap_id) == 30
    with app.app_context():
        assert _db.session.get(Stocktake, sheet_id).status == StocktakeStatus.POSTED
        _db.session.remove()

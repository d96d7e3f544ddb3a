"""An attendant on a phone cleans a room through the checklist while the supervisor's board, on a
tablet, changes the room's colour by itself; a tick lost on weak Wi-Fi is shown as waiting and
sent again, and applied once."""

from decimal import Decimal

from sqlalchemy import func, select

from portal.blueprints.rosters.models import Assignment, CleaningTick, Room, RoomType
from portal.extensions import db as _db
from portal.i18n import local_today
from tests import factories
from tests.browser.conftest import MEASURE, sign_in


def _hotel():
    prop = factories.property_("BRW")
    kind = RoomType(property_id=prop.id, code="STD", name_en="Standard room", name_zh="标准间")
    _db.session.add(kind)
    _db.session.flush()
    rooms = []
    for number in ("301", "302"):
        room = Room(
            property_id=prop.id,
            number=number,
            floor=3,
            room_type_id=kind.id,
            occupancy="departure",
        )
        _db.session.add(room)
        rooms.append(room)
    _db.session.flush()
    boss = factories.person("supervisor", prop=prop, username="b.hk", dept="HK")
    boss.supervises = [factories.department(prop, "HK")]
    return prop, rooms


def test_an_attendant_cleans_a_room_while_the_board_follows(app, live_server, new_page, people):
    with app.test_request_context():
        prop, rooms = _hotel()
        attendant_id = people["employee"][0]
        _db.session.add(
            Assignment(
                property_id=prop.id,
                day=local_today(),
                room_id=rooms[0].id,
                attendant_id=attendant_id,
                position=1,
                occupancy="departure",
                credits=Decimal("1.5"),
            )
        )
        _db.session.commit()
        room_id = rooms[0].id
        _db.session.remove()

    board = new_page("tablet")
    sign_in(board, live_server, "b.hk", factories.PASSWORD)
    board.goto(f"{live_server}/rosters/")
    board.locator(f"#room-{room_id}.is-dirty").wait_for()
    board.evaluate("window.__sameDocument = true")

    phone = new_page("phone")
    sign_in(phone, live_server, people["employee"][1], factories.PIN)
    phone.goto(f"{live_server}/rosters/mine")
    phone.get_by_role("button", name="Start").click()
    phone.wait_for_url(f"{live_server}/rosters/rooms/{room_id}#checklist")
    phone.wait_for_load_state("load")
    found = phone.evaluate(MEASURE)
    assert found["overflow"] <= 0 and found["small"] == [], found
    # The board shows the room being cleaned, without a reload.
    board.locator(f"#room-{room_id}.is-cleaning").wait_for(timeout=15000)

    phone.evaluate("window.__sameDocument = true")
    # Step 3's first request is lost on the way: the tick waits, is sent again, lands once.
    lost = {"n": 0}

    def drop_once(route):
        if lost["n"] == 0:
            lost["n"] += 1
            route.abort("internetdisconnected")
        else:
            route.continue_()

    phone.route("**/steps/3", drop_once)
    for position in range(1, 14):
        phone.locator(f"#step-{position} button").click()
        phone.locator(f"#step-{position}.is-done").wait_for(timeout=15000)
    assert lost["n"] == 1
    assert "13 of 13 steps done" in phone.locator("#checklist-progress").inner_text()
    assert phone.evaluate("window.__sameDocument") is True
    phone.get_by_role("button", name="Finish: room clean").click()
    phone.wait_for_url(f"{live_server}/rosters/mine")
    assert "Room 301 is clean." in phone.locator("#flash").inner_text()

    board.locator(f"#room-{room_id}.is-clean").wait_for(timeout=15000)
    assert board.evaluate("window.__sameDocument") is True
    with app.app_context():
        ticks = _db.session.scalar(select(func.count()).select_from(CleaningTick))
        assert ticks == 13
        assert _db.session.get(Room, room_id).status == "clean"
        _db.session.remove()

"""Items left behind and things broken, reported from a room: to the lost-and-found register
and engineering's list with the room and the time; closed once, never edited; bad input is
refused where it was typed."""

from sqlalchemy import func, select

from portal.blueprints.rosters.models import Defect, FoundItem
from portal.extensions import db as _db
from tests.conftest import text_of
from tests.rosters import helpers


def count(model) -> int:
    return _db.session.scalar(select(func.count()).select_from(model))


def test_an_attendant_hands_in_an_item_and_reports_a_defect(client, db, login_as):
    me = login_as("employee", dept="HK", name_en="Ann Li")
    room = helpers.room(me.property, "301")
    cleaning = helpers.start(helpers.assign(room, me))
    db.session.commit()
    found = client.post_form(
        f"/rosters/rooms/{room.id}/found", {"description": "  Black   charger "}
    )
    assert found.status_code == 303 and found.headers["Location"].endswith("#reports")
    broken = client.post_form(
        f"/rosters/rooms/{room.id}/defect", {"description": "Lamp flickers"}, htmx=True
    )
    assert broken.headers["HX-Redirect"].endswith(f"/rosters/rooms/{room.id}#reports")
    item = _db.session.scalar(select(FoundItem))
    assert (item.description, item.room_id, item.cleaning_id) == (
        "Black charger",
        room.id,
        cleaning.id,
    )
    assert item.found_by_id == me.id and item.status == "kept"
    defect = _db.session.scalar(select(Defect))
    assert defect.description == "Lamp flickers" and defect.fixed_at is None
    page = text_of(client.get(f"/rosters/rooms/{room.id}"))
    assert "Black charger" in page and "Lamp flickers" in page
    # an empty report is refused, nothing written
    empty = client.post_form(f"/rosters/rooms/{room.id}/found", {"description": "   "})
    assert empty.status_code == 409 and "Say what it is." in text_of(empty)
    assert count(FoundItem) == 1


def test_front_office_returns_an_item_once(client, db, login_as):
    desk = login_as("employee", dept="FO")
    room = helpers.room(desk.property, "301")
    attendant = helpers.attendant(desk.property)
    from portal.blueprints.rosters import finds

    item = finds.record_found(room, "Silver watch", by=attendant)
    db.session.commit()
    assert "Silver watch" in text_of(client.get("/rosters/found"))
    nobody = client.post_form(f"/rosters/found/{item.id}/close", {"status": "returned"})
    assert nobody.status_code == 422
    assert "Say to whom it was returned." in text_of(nobody)
    done = client.post_form(
        f"/rosters/found/{item.id}/close", {"status": "returned", "note": "Mr Chen, room 301"}
    )
    assert done.status_code == 303
    again = client.post_form(f"/rosters/found/{item.id}/close", {"status": "disposed"})
    assert again.status_code == 422 and "closed already" in text_of(again)
    _db.session.expire_all()
    kept = _db.session.get(FoundItem, item.id)
    assert (kept.status, kept.closed_note, kept.closed_by_id) == (
        "returned",
        "Mr Chen, room 301",
        desk.id,
    )
    assert "Silver watch" not in text_of(client.get("/rosters/found"))
    assert "Silver watch" in text_of(client.get("/rosters/found?show=all"))


def test_engineering_marks_a_defect_fixed(client, db, login_as):
    fixer = login_as("employee", dept="HK")
    prop = fixer.property
    from portal.blueprints.people.models import Department

    eng = Department(property_id=prop.id, code="ENG", name_en="Engineering", name_zh="工程部")
    db.session.add(eng)
    db.session.flush()
    fixer.department_id = eng.id
    from portal.blueprints.rosters import finds

    defect = finds.report_defect(helpers.room(prop, "305"), "Tap drips", by=helpers.attendant(prop))
    db.session.commit()
    assert "Tap drips" in text_of(client.get("/rosters/defects"))
    fixed = client.post_form(f"/rosters/defects/{defect.id}/fix", {"note": "New washer"})
    assert fixed.status_code == 303
    _db.session.expire_all()
    assert _db.session.get(Defect, defect.id).fix_note == "New washer"
    twice = client.post_form(f"/rosters/defects/{defect.id}/fix", {"note": "again"})
    assert "marked fixed already" in text_of(client.get(twice.headers["Location"]))
    assert _db.session.get(Defect, defect.id).fix_note == "New washer"

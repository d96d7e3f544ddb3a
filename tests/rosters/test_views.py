"""Rosters pages: an attendant cleans a room through the checklist (htmx taps and plain posts),
a supervisor inspects it and builds the day's roster, the board polls with an ETag (304 when
nothing changed), and bad input is refused where it was typed, nothing written."""

from decimal import Decimal

from sqlalchemy import func, select

from portal.blueprints.rosters.models import (
    Assignment,
    Cleaning,
    CleaningTick,
    Inspection,
    Room,
    RoomStatus,
    RoomType,
)
from portal.extensions import db as _db
from portal.i18n import local_today
from tests import factories
from tests.conftest import text_of
from tests.rosters import helpers


def count(model) -> int:
    return _db.session.scalar(select(func.count()).select_from(model))


def hotel(prop=None, rooms=("301", "302", "303")):
    prop = prop or factories.property_()
    kind = RoomType(
        property_id=prop.id,
        code="STD",
        name_en="Standard room",
        name_zh="标准间",
        credits_departure=Decimal("1.5"),
        credits_stayover=Decimal("1.0"),
        credits_vacant=Decimal("0.3"),
    )
    _db.session.add(kind)
    _db.session.flush()
    made = []
    for number in rooms:
        room = Room(
            property_id=prop.id,
            number=number,
            floor=int(number[:-2]),
            room_type_id=kind.id,
            occupancy="departure",
        )
        _db.session.add(room)
        made.append(room)
    _db.session.flush()
    return prop, made


def on_list(room, attendant):
    return helpers.listed(room, attendant)


def test_an_attendant_cleans_a_room_through_the_checklist(client, db, login_as):
    me = login_as("employee", dept="HK")
    _prop, (room, *_rest) = hotel()
    on_list(room, me)
    _db.session.commit()
    page = client.get("/rosters/mine")
    assert page.status_code == 200
    assert "301" in text_of(page) and "0 of 1 done" in text_of(page)

    started = client.post_form(f"/rosters/rooms/{room.id}/start")
    assert started.status_code == 303
    assert started.headers["Location"].endswith(f"/rosters/rooms/{room.id}#checklist")
    cleaning = _db.session.scalar(select(Cleaning))
    assert cleaning.steps == 13
    page = client.get(f"/rosters/rooms/{room.id}")
    assert "0 of 13 steps done" in text_of(page)

    # a tap as htmx answers the step and the progress; a double tap writes one tick
    for _ in range(2):
        tapped = client.post_form(
            f"/rosters/cleanings/{cleaning.id}/steps/1", {"done": "1"}, htmx=True
        )
        assert tapped.status_code == 200
    html = tapped.get_data(as_text=True)
    assert 'id="step-1"' in html and "is-done" in html
    assert 'id="checklist-progress"' in html and "1 of 13 steps done" in html
    assert count(CleaningTick) == 1

    # finishing too early is refused with what is left, nothing written
    early = client.post_form(f"/rosters/cleanings/{cleaning.id}/finish")
    assert early.status_code == 409
    assert "Tick every step first: 12 left." in text_of(early)
    _db.session.expire_all()
    assert _db.session.get(Room, room.id).status == RoomStatus.CLEANING

    # without JavaScript each tick is a plain post that comes back to the step
    for position in range(2, 14):
        plain = client.post_form(
            f"/rosters/cleanings/{cleaning.id}/steps/{position}", {"done": "1"}
        )
        assert plain.status_code == 303
        assert plain.headers["Location"].endswith(f"#step-{position}")
    done = client.post_form(f"/rosters/cleanings/{cleaning.id}/finish")
    assert done.status_code == 303 and done.headers["Location"].endswith("/rosters/mine")
    _db.session.expire_all()
    assert _db.session.get(Room, room.id).status == RoomStatus.CLEAN
    assert "Room 301 is clean." in text_of(client.get("/rosters/mine"))


def test_a_tick_out_of_range_or_by_someone_else_changes_nothing(client, db, login_as):
    me = login_as("employee", dept="HK")
    prop, (room, other_room, _r) = hotel()
    other = factories.person(prop=prop, dept="HK")
    on_list(room, me)
    on_list(other_room, other)
    _db.session.commit()
    client.post_form(f"/rosters/rooms/{room.id}/start")
    cleaning = _db.session.scalar(select(Cleaning))
    far = client.post_form(f"/rosters/cleanings/{cleaning.id}/steps/99", {"done": "1"})
    assert far.status_code == 409
    assert "This step is not on the checklist." in text_of(far)
    huge = client.post_form(f"/rosters/cleanings/{2**63}/steps/1", {"done": "1"})
    assert huge.status_code == 404
    # another attendant's room: neither started nor put off by me
    refused = client.post_form(f"/rosters/rooms/{other_room.id}/start")
    assert refused.status_code == 403
    assert count(Cleaning) == 1 and count(CleaningTick) == 0


def test_a_supervisor_inspects_and_a_failed_room_goes_back(client, db, login_as):
    prop, (room, *_rest) = hotel()
    attendant = factories.person(prop=prop, dept="HK")
    on_list(room, attendant)
    cleaning = Cleaning(
        property_id=prop.id,
        room_id=room.id,
        day=local_today(),
        attendant_id=attendant.id,
        steps=13,
        finished_at=None,
    )
    _db.session.add(cleaning)
    _db.session.flush()
    from portal.database import utcnow

    cleaning.finished_at = utcnow()
    room.status = RoomStatus.CLEAN
    boss = login_as("supervisor", dept="HK")
    boss.supervises = [factories.department(prop, "HK")]
    _db.session.commit()
    form = client.get(f"/rosters/cleanings/{cleaning.id}/inspect")
    assert form.status_code == 200 and "Inspect room 301" in text_of(form)

    # a failed item needs a note: refused next to the field, nothing written
    items = {f"item_{i}": "pass" for i in range(1, 14)}
    bad = client.post_form(f"/rosters/cleanings/{cleaning.id}/inspect", {**items, "item_7": "fail"})
    assert bad.status_code == 422
    assert 'id="note-error"' in bad.get_data(as_text=True)
    assert count(Inspection) == 0
    # a mark that is not one of the three
    odd = client.post_form(f"/rosters/cleanings/{cleaning.id}/inspect", {**items, "item_2": "meh"})
    assert odd.status_code == 422 and count(Inspection) == 0

    failed = client.post_form(
        f"/rosters/cleanings/{cleaning.id}/inspect",
        {**items, "item_7": "fail", "item_9": "na", "note": "Hair in the basin"},
    )
    assert failed.status_code == 303
    inspection = _db.session.scalar(select(Inspection))
    assert not inspection.passed and inspection.score == Decimal("91.67")
    assert inspection.failed_positions == [7]
    _db.session.expire_all()
    assert _db.session.get(Room, room.id).status == RoomStatus.DIRTY
    # a second inspection of the same cleaning (a second tab): refused, the room as it is now
    again = client.post_form(f"/rosters/cleanings/{cleaning.id}/inspect", items)
    assert again.status_code == 422
    assert count(Inspection) == 1


def test_the_board_polls_and_answers_304_when_nothing_changed(client, db, login_as):
    boss = login_as("supervisor", dept="HK")
    prop, (room, *_rest) = hotel()
    boss.supervises = [factories.department(prop, "HK")]
    _db.session.commit()
    page = client.get("/rosters/")
    assert page.status_code == 200
    assert "301" in text_of(page) and "Floor 3" in text_of(page)
    tag = page.headers["ETag"]
    same = client.hx_get("/rosters/", headers={"If-None-Match": tag})
    assert same.status_code == 304 and same.get_data() == b""
    # a plain page load always gets the page
    assert client.get("/rosters/", headers={"If-None-Match": tag}).status_code == 200
    # a change moves the tag: the poll gets the board again
    room_ = _db.session.get(Room, room.id)
    client.post_form(f"/rosters/rooms/{room_.id}/rush", {"rush": "1"})
    changed = client.hx_get("/rosters/", headers={"If-None-Match": tag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != tag
    assert "Rush" in text_of(changed)
    # filters: another status shows nothing of it; a floor out of range is clamped, never a 500
    assert "301" not in text_of(client.get("/rosters/?status=inspected"))
    assert client.get(f"/rosters/?floor={2**63}&status=<x>").status_code == 200


def test_the_supervisor_balances_the_day_and_applies_it(client, db, login_as):
    boss = login_as("supervisor", dept="HK")
    prop, rooms = hotel(rooms=("301", "302", "303", "304"))
    boss.supervises = [factories.department(prop, "HK")]
    first = factories.person(prop=prop, dept="HK", name_en="Ann Li")
    second = factories.person(prop=prop, dept="HK", name_en="Bo Wang")
    _db.session.commit()
    page = client.get("/rosters/day")
    assert page.status_code == 200 and "Rooms to give out 4" in text_of(page)
    proposal = client.post_form(
        "/rosters/day/balance", {"attendant_ids": [str(first.id), str(second.id)]}
    )
    assert proposal.status_code == 200
    html = proposal.get_data(as_text=True)
    assert html.count('name="pairs"') == 4
    assert count(Assignment) == 0  # a proposal writes nothing
    pairs = [f"{rooms[0].id}:{first.id}", f"{rooms[1].id}:{first.id}"]
    pairs += [f"{rooms[2].id}:{second.id}", f"{rooms[3].id}:{second.id}"]
    applied = client.post_form("/rosters/day/apply", {"pairs": pairs})
    assert applied.status_code == 303
    assert count(Assignment) == 4
    # applying it again (a double tap): refused whole, nothing more written
    again = client.post_form("/rosters/day/apply", {"pairs": pairs})
    assert again.status_code == 409
    assert "already on Ann Li's list" in text_of(again)
    assert count(Assignment) == 4
    # a tampered pair is refused before anything is read
    tampered = client.post_form("/rosters/day/apply", {"pairs": ["1:x"]})
    assert tampered.status_code == 422 and count(Assignment) == 4


def test_assigning_by_hand_checks_every_field(client, db, login_as):
    boss = login_as("supervisor", dept="HK")
    prop, (room, *_rest) = hotel()
    boss.supervises = [factories.department(prop, "HK")]
    cook = factories.person(prop=prop, dept="FO")
    _db.session.commit()
    empty = client.post_form("/rosters/day/assign", {})
    assert empty.status_code == 422
    html = empty.get_data(as_text=True)
    assert 'id="room_ids-error"' in html and 'id="attendant_id-error"' in html
    wrong = client.post_form(
        "/rosters/day/assign", {"room_ids": [str(room.id)], "attendant_id": str(cook.id)}
    )
    assert wrong.status_code == 422  # a front-office person is not among the attendants offered
    assert 'id="attendant_id-error"' in wrong.get_data(as_text=True)
    assert count(Assignment) == 0


def test_a_start_sent_twice_opens_one_cleaning(client, db, login_as):
    """A retried start (weak Wi-Fi, the first one arrived) lands on the checklist again."""
    me = login_as("employee", dept="HK")
    _prop, (room, *_rest) = hotel()
    on_list(room, me)
    _db.session.commit()
    first = client.post_form(f"/rosters/rooms/{room.id}/start", htmx=True)
    again = client.post_form(f"/rosters/rooms/{room.id}/start", htmx=True)
    assert first.headers["HX-Redirect"] == again.headers["HX-Redirect"]
    assert again.headers["HX-Redirect"].endswith(f"/rosters/rooms/{room.id}#checklist")
    assert count(Cleaning) == 1


def test_the_rosters_pages_speak_chinese(client, db, login_as):
    from tests.test_i18n import english_words

    boss = login_as("supervisor", dept="HK", locale="zh_Hans", name_en="")
    prop, (room, second, _third) = hotel()
    prop.name_en = ""
    boss.supervises = [factories.department(prop, "HK")]
    attendant = factories.person(prop=prop, dept="HK", name_en="", name_zh="钱明")
    on_list(room, attendant)
    cleaning = Cleaning(
        property_id=prop.id,
        room_id=second.id,
        day=local_today(),
        attendant_id=attendant.id,
        steps=13,
    )
    _db.session.add(cleaning)
    _db.session.flush()
    from portal.database import utcnow

    cleaning.finished_at = utcnow()
    second.status = RoomStatus.CLEAN
    _db.session.commit()
    for path, phrase in [
        ("/rosters/", "房态板"),
        ("/rosters/day", "待分配客房"),
        (f"/rosters/rooms/{room.id}", "在钱明的清单中"),
        (f"/rosters/cleanings/{cleaning.id}/inspect", "查房：302"),
        ("/rosters/rooms", "添加客房"),
        ("/rosters/settings", "门户自带的 13 个步骤"),
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert phrase in text_of(response), path
        assert english_words(response) == set(), path


def test_a_policy_out_of_range_is_refused_next_to_its_field(client, db, login_as):
    from portal.blueprints.rosters.models import InspectionPolicy

    boss = login_as("supervisor", dept="HK")
    prop, _rooms = hotel()
    boss.supervises = [factories.department(prop, "HK")]
    person = factories.person(prop=prop, dept="HK")
    _db.session.commit()
    bad = client.post_form(
        f"/rosters/attendants/{person.id}/policy", {"rule": "sample", "every_n": "1"}
    )
    assert bad.status_code == 422
    assert 'id="every_n-error"' in bad.get_data(as_text=True)
    assert "Inspect every 2nd to every 20th room." in text_of(bad)
    odd = client.post_form(f"/rosters/attendants/{person.id}/policy", {"rule": "never"})
    assert odd.status_code == 422
    assert count(InspectionPolicy) == 0
    good = client.post_form(
        f"/rosters/attendants/{person.id}/policy", {"rule": "sample", "every_n": "5"}
    )
    assert good.status_code == 303
    assert "Every Nth room inspected" in text_of(client.get("/rosters/attendants"))


def test_a_release_needs_a_coded_reason(client, db, login_as):
    boss = login_as("supervisor", dept="HK")
    prop, (room, *_rest) = hotel()
    boss.supervises = [factories.department(prop, "HK")]
    attendant = factories.person(prop=prop, dept="HK")
    on_list(room, attendant)
    from portal.database import utcnow

    cleaning = Cleaning(
        property_id=prop.id,
        room_id=room.id,
        day=local_today(),
        attendant_id=attendant.id,
        steps=13,
        finished_at=utcnow(),
    )
    room.status = RoomStatus.CLEAN
    _db.session.add(cleaning)
    _db.session.commit()
    refused = client.post_form(f"/rosters/cleanings/{cleaning.id}/release", {"reason": "bored"})
    assert refused.status_code == 409
    assert "Choose why the room is released" in text_of(refused)
    _db.session.expire_all()
    assert _db.session.get(Room, room.id).status == RoomStatus.CLEAN
    done = client.post_form(
        f"/rosters/cleanings/{cleaning.id}/release", {"reason": "short_staffed"}
    )
    assert done.status_code == 303
    _db.session.expire_all()
    assert _db.session.get(Room, room.id).status == RoomStatus.INSPECTED


def test_a_public_area_round_is_tapped_done_once(client, db, login_as):
    from portal.blueprints.rosters.models import Area, AreaRound

    login_as("employee", dept="HK")
    prop = factories.property_()
    lobby = Area(
        property_id=prop.id,
        code="WC-1",
        name_en="Lobby restroom",
        name_zh="大堂洗手间",
        kind="restroom",
        floor=1,
        every_minutes=120,
    )
    _db.session.add(lobby)
    _db.session.commit()
    page = text_of(client.get("/rosters/areas"))
    assert "Lobby restroom" in page and "Due now" in page
    tapped = client.post_form(f"/rosters/areas/{lobby.id}/done", htmx=True)
    assert tapped.status_code == 200
    html = tapped.get_data(as_text=True)
    assert f'id="area-{lobby.id}"' in html and "Due now" not in html and "Next at" in html
    again = client.post_form(f"/rosters/areas/{lobby.id}/done")  # a double tap, JS off
    assert again.status_code == 303 and again.headers["Location"].endswith(f"#area-{lobby.id}")
    assert count(AreaRound) == 1


def test_an_area_with_bad_fields_is_refused_next_to_them(client, db, login_as):
    from portal.blueprints.rosters.models import Area

    login_as("manager", dept="HK")
    bad = client.post_form(
        "/rosters/areas/new",
        {"code": "", "name_en": "Spa", "name_zh": "", "kind": "sauna", "every_minutes": "5"},
    )
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    for field in ("code", "name_zh", "kind", "every_minutes"):
        assert f'id="{field}-error"' in html, field
    assert count(Area) == 0


def test_starting_or_putting_off_a_room_on_nobodys_list_is_refused(client, db, login_as):
    login_as("employee", dept="HK")
    _prop, (room, *_rest) = hotel()
    _db.session.commit()
    for action, data in (("start", {}), ("defer", {"reason": "dnd"})):
        response = client.post_form(f"/rosters/rooms/{room.id}/{action}", data)
        assert response.status_code == 403, action
    assert count(Cleaning) == 0


def test_a_public_area_goes_on_an_attendants_list(client, db, login_as):
    from portal.blueprints.rosters import areas
    from portal.blueprints.rosters.models import AreaAssignment

    boss = login_as("supervisor", dept="HK")
    prop = factories.property_()
    boss.supervises = [factories.department(prop, "HK")]
    ann = factories.person(prop=prop, dept="HK", name_en="Ann Li")
    cook = factories.person(prop=prop, dept="FO")
    lobby = areas.add_area(
        prop.id,
        by=boss,
        code="LOBBY",
        name_en="Main lobby",
        name_zh="大堂",
        kind="lobby",
        every_minutes=120,
    )
    _db.session.commit()
    assert "Main lobby" in text_of(client.get("/rosters/day"))
    given = client.post_form(f"/rosters/day/areas/{lobby.id}", {"attendant_id": str(ann.id)})
    assert given.status_code == 303 and given.headers["Location"].endswith("#areas")
    assert "Main lobby given to Ann Li." in text_of(client.get(given.headers["Location"]))
    wrong = client.post_form(f"/rosters/day/areas/{lobby.id}", {"attendant_id": str(cook.id)})
    assert "is not a room attendant" in text_of(client.get(wrong.headers["Location"]))
    odd = client.post_form(f"/rosters/day/areas/{lobby.id}", {"attendant_id": "9" * 40})
    assert "Choose the attendant." in text_of(client.get(odd.headers["Location"]))
    row = _db.session.scalar(select(AreaAssignment))
    assert row.attendant_id == ann.id
    cleared = client.post_form(f"/rosters/day/areas/{lobby.id}", {"attendant_id": ""})
    assert "on nobody's list" in text_of(client.get(cleared.headers["Location"]))
    assert count(AreaAssignment) == 0


def test_an_attendant_sees_their_areas_with_their_rooms(client, db, login_as):
    from portal.blueprints.rosters import areas

    me = login_as("employee", dept="HK")
    prop = me.property
    boss = factories.person("supervisor", prop=prop, dept="HK")
    lobby = areas.add_area(
        prop.id,
        by=boss,
        code="LOBBY",
        name_en="Main lobby",
        name_zh="大堂",
        kind="lobby",
        every_minutes=120,
    )
    areas.give_area(lobby, me, local_today(), by=boss)
    _db.session.commit()
    page = client.get("/rosters/mine")
    shown = text_of(page)
    assert "My public areas" in shown and "Main lobby" in shown and "Due now" in shown
    assert f"/rosters/areas/{lobby.id}/done" in page.get_data(as_text=True)

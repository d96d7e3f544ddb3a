"""Rosters documents read back from the PDF: each attendant's room list in their own language
(rooms in working order, rush and linen change), one attendant's list alone, and the door
labels with a QR code per room; nothing to print gives a message, not an empty PDF."""

from portal.blueprints.rosters.models import Occupancy
from portal.blueprints.rosters.pdf import labels_document
from tests import factories
from tests.drills.test_documents import printed
from tests.rosters import helpers


def _day(boss):
    prop = boss.property
    boss.supervises = [factories.department(prop, "HK")]
    kind = helpers.room_type(prop, "STD", name_en="Standard room", name_zh="标准间")
    li = helpers.attendant(prop, name_en="Li Na", name_zh="李娜", locale="zh_Hans")
    tom = helpers.attendant(prop, name_en="Tom Reed", name_zh="汤姆", locale="en")
    rooms = [helpers.room(prop, n, floor=3, kind=kind) for n in ("301", "302", "303")]
    rooms[1].occupancy = Occupancy.STAYOVER
    rooms[1].occupied_nights = 3  # every 3 nights: a full linen change today
    helpers.assign(rooms[0], li, by=boss)
    helpers.assign(rooms[1], li, by=boss)
    helpers.assign(rooms[2], tom, by=boss)
    rooms[1].rush = True
    return li, tom, rooms


def test_each_attendant_gets_their_list_in_their_language(client, db, login_as):
    boss = login_as("supervisor", dept="HK")
    _li, tom, _rooms = _day(boss)
    db.session.commit()
    text = printed(client, "/rosters/day/lists.pdf")
    # Li Na's page in Chinese: the rush room first, its linen change, then the other room
    assert "客房清单" in text and "李娜" in text
    chinese = text[text.index("李娜") :]
    assert chinese.index("302") < chinese.index("301")
    assert "急需：客人正在等候" in chinese and "全套更换布草" in chinese and "住客房" in chinese
    # Tom Reed's page in English
    assert "Room list · Tom Reed" in text and "303" in text and "Departure" in text
    alone = printed(client, f"/rosters/day/lists.pdf?attendant={tom.id}")
    assert "Tom Reed" in alone and "李娜" not in alone and "301" not in alone


def test_no_lists_yet_is_said_on_the_roster(client, db, login_as):
    login_as("supervisor", dept="HK")
    response = client.get("/rosters/day/lists.pdf?day=2026-01-01")
    assert response.status_code == 303
    assert "Nobody has rooms on this day" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )


def test_door_labels_carry_each_room_and_its_qr_code(client, db, login_as, app):
    boss = login_as("manager", dept="HK")
    _day(boss)
    from portal.blueprints.rosters import areas

    lobby = areas.add_area(
        boss.property_id, by=boss, code="LOBBY", name_en="Main lobby", name_zh="大堂", kind="lobby"
    )
    db.session.commit()
    text = printed(client, "/rosters/rooms/labels.pdf?lang=zh")
    assert "门牌标签" in text and "301" in text and "303" in text and "3 楼" in text
    assert "LOBBY" in text and "大堂" in text
    with app.test_request_context():
        document = labels_document(boss.property_id, "en")
        labels = document.context["labels"]
    assert [label.number for label in labels] == ["301", "302", "303", "LOBBY"]
    assert labels[-1].url.endswith(f"/rosters/areas#area-{lobby.id}")
    assert all(label.qr.startswith("<svg") and "<path" in label.qr for label in labels)
    assert labels[0].url.endswith(f"/rosters/rooms/{_room_id(db, '301')}")
    assert client.get("/rosters/rooms/labels.pdf?lang=fr").status_code == 400


def _room_id(db, number):
    from sqlalchemy import select

    from portal.blueprints.rosters.models import Room

    return db.session.scalar(select(Room.id).where(Room.number == number))


def test_the_daily_report_adds_up_the_day(client, db, login_as):
    boss = login_as("manager", dept="HK")
    prop = boss.property
    ann = helpers.attendant(prop, name_en="Ann Li", name_zh="李安")
    rooms = [helpers.room(prop, n, floor=3) for n in ("301", "302", "303")]
    for room in rooms[:2]:
        cleaning = helpers.finish(helpers.tick_all(helpers.start(helpers.assign(room, ann))))
        helpers.inspect(cleaning, fail=(7,) if room.number == "302" else (), note="Towels", by=boss)
    helpers.assign(rooms[2], ann)
    from portal.blueprints.rosters import finds

    finds.record_found(rooms[0], "Silver watch", by=ann)
    finds.report_defect(rooms[1], "Tap drips", by=ann)
    db.session.commit()
    text = printed(client, "/rosters/day/report.pdf?lang=en")
    assert "Housekeeping daily report" in text
    assert "Rooms on the roster 3" in text and "Rooms cleaned 2" in text
    assert "Inspections 2 (Failed: 1)" in text
    assert "Ann Li" in text and "50.0% (1/2)" in text
    assert "Silver watch" in text and "Tap drips" in text and "Not fixed yet" in text
    chinese = printed(client, "/rosters/day/report.pdf?lang=zh")
    assert "客房部日报" in chinese and "李安" in chinese and "Ann Li" not in chinese
    empty = client.get("/rosters/day/report.pdf?day=2026-01-01")
    assert empty.status_code == 303

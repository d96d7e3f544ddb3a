"""Following up who has read an SOP: reminders once a day, "remind everyone outstanding",
the viewer out of their own list, coverage levels, messages that do not move the table, and
the employee's card that says who reminded them and since when the SOP is due."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.blueprints.sops import cards, reading, services
from portal.blueprints.sops.models import SopAcknowledgement, SopReminder
from portal.database import utcnow
from portal.errors import DomainError
from portal.i18n import local_today
from tests import factories
from tests.conftest import text_of


def count(db, model, **where) -> int:
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return db.session.scalar(query)


def reminders_audited(db) -> int:
    return count(db, AuditEvent, action="sop.reminded")


@pytest.fixture
def hotel(ctx, db):
    """Housekeeping reads HK-001: a supervisor, two attendants who have not read it, one who
    has; Front Office has a receptionist and its own supervisor."""
    prop = factories.property_()
    hr = factories.person("hr", prop=prop, dept="HR")
    manager = factories.person("manager", prop=prop, dept="FO", name_en="Mark Manager")
    version = factories.sop(number="HK-001", prop=prop, dept="HK", author=hr, approver=manager)
    made = {
        "prop": prop,
        "hr": hr,
        "manager": manager,
        "version": version,
        "sop": version.sop,
        "supervisor": factories.person(
            "supervisor", prop=prop, dept="HK", name_en="Susan Wu", name_zh="吴淑珍"
        ),
        "anna": factories.person("employee", prop=prop, dept="HK", name_en="Anna Attendant"),
        "bo": factories.person("employee", prop=prop, dept="HK", name_en="Bo Attendant"),
        "done": factories.person("employee", prop=prop, dept="HK", name_en="Dana Done"),
        "receptionist": factories.person("employee", prop=prop, dept="FO", name_en="Ray Desk"),
        "fo_supervisor": factories.person("supervisor", prop=prop, dept="FO"),
    }
    reading.acknowledge(version.sop, version, made["done"])
    db.session.commit()
    return made


# --- reminding, once a day ----------------------------------------------------------------------
def test_a_person_is_reminded_once_a_day(hotel, db):
    sop, anna, sup = hotel["sop"], hotel["anna"], hotel["supervisor"]
    first = reading.remind(sop, anna, by=sup)
    assert first is not None and first.reminded_by_id == sup.id
    assert reading.remind(sop, anna, by=sup) is None  # a double tap, a retried request
    assert reading.remind(sop, anna, by=hotel["manager"]) is None  # anyone's reminder counts
    assert count(db, SopReminder, user_id=anna.id) == 1 and reminders_audited(db) == 1
    tomorrow = local_today() + timedelta(days=1)
    assert reading.remind(sop, anna, by=sup, today=tomorrow) is not None
    assert count(db, SopReminder, user_id=anna.id) == 2 and reminders_audited(db) == 2


def test_nobody_reminds_themselves_or_someone_who_has_read_it(hotel, db):
    sop = hotel["sop"]
    with pytest.raises(DomainError, match="You do not remind yourself"):
        reading.remind(sop, hotel["supervisor"], by=hotel["supervisor"])
    with pytest.raises(DomainError, match="has acknowledged it already"):
        reading.remind(sop, hotel["done"], by=hotel["supervisor"])
    with pytest.raises(DomainError, match="is not asked to read this SOP"):
        reading.remind(sop, hotel["receptionist"], by=hotel["manager"])
    assert count(db, SopReminder) == 0 and reminders_audited(db) == 0


# --- remind everyone outstanding ----------------------------------------------------------------
def test_remind_everyone_outstanding_reminds_each_once_and_audits_each(hotel, db):
    sop, sup = hotel["sop"], hotel["supervisor"]
    reading.remind(sop, hotel["bo"], by=hotel["manager"])  # Bo was reminded this morning
    done = reading.remind_outstanding(sop, by=sup)
    assert [p.id for p in done.to_remind] == [hotel["anna"].id]
    assert [p.id for p in done.reminded_today] == [hotel["bo"].id]
    # Each person their own audit row, naming them (and not the supervisor herself).
    summaries = db.session.scalars(
        select(AuditEvent.summary).where(AuditEvent.action == "sop.reminded")
    ).all()
    assert summaries == [
        f"HK-001 reminder to {hotel['bo'].staff_no}",
        f"HK-001 reminder to {hotel['anna'].staff_no}",
    ]
    again = reading.remind_outstanding(sop, by=sup)  # the same tap, again
    assert again.to_remind == [] and len(again.reminded_today) == 2
    assert count(db, SopReminder) == 2 and reminders_audited(db) == 2
    assert count(db, SopReminder, user_id=sup.id) == 0


def test_a_supervisor_reminds_everyone_of_her_departments_only(hotel, db):
    """An SOP both departments read: the front office supervisor reminds the front office."""
    sop = hotel["sop"]
    services.set_audience(
        sop,
        [
            factories.department(hotel["prop"], "HK").id,
            factories.department(hotel["prop"], "FO").id,
        ],
        [],
    )
    db.session.flush()
    front_office = [hotel["manager"].id, hotel["receptionist"].id]
    found = reading.outstanding(sop, by=hotel["fo_supervisor"])
    assert [p.id for p in found.to_remind] == front_office
    assert found.out_of_scope == 3  # Anna, Bo and Susan are for Housekeeping to follow up
    reading.remind_outstanding(sop, by=hotel["fo_supervisor"])
    assert sorted(db.session.scalars(select(SopReminder.user_id))) == sorted(front_office)


def test_asking_first_counts_what_reminding_everyone_would_do(hotel, db, monkeypatch):
    """The question before "remind everyone" is counted in SQL and names the first people: the
    same answer as the reminding itself, for a supervisor and for HR, with people reminded
    today, of other departments and more than the names shown."""
    sop = hotel["sop"]
    prop = hotel["prop"]
    services.set_audience(
        sop, [factories.department(prop, "HK").id, factories.department(prop, "FO").id], []
    )
    reading.remind(sop, hotel["bo"], by=hotel["manager"])
    for n in range(3):
        factories.person("employee", prop=prop, dept="HK", name_en=f"Extra {n}")
    db.session.flush()
    monkeypatch.setattr(reading, "SUMMARY_NAMES", 2)
    for viewer in (hotel["supervisor"], hotel["fo_supervisor"], hotel["hr"]):
        full = reading.outstanding(sop, by=viewer)
        summary = reading.outstanding_summary(sop, by=viewer)
        assert summary.to_remind == len(full.to_remind)
        assert summary.reminded_today == len(full.reminded_today)
        assert summary.out_of_scope == full.out_of_scope
        assert [p.id for p in summary.first] == [p.id for p in full.to_remind[:2]]
    housekeeping = reading.outstanding_summary(sop, by=hotel["supervisor"])
    assert (housekeeping.to_remind, housekeeping.reminded_today) == (4, 1)  # Anna, 3; Bo
    assert housekeeping.out_of_scope == 3  # the manager, the receptionist, their supervisor
    reading.remind_outstanding(sop, by=hotel["hr"])
    nobody = reading.outstanding_summary(sop, by=hotel["hr"])
    assert (nobody.to_remind, nobody.first) == (0, [])
    assert nobody.reminded_today == 9  # everyone of both departments but Dana, who read it


# --- the table: the viewer counted, not listed --------------------------------------------------
def test_the_viewer_is_counted_but_not_listed(hotel, db):
    sop, sup = hotel["sop"], hotel["supervisor"]
    table = reading.coverage(sop, viewer=sup, page=0)
    listed = {r.person_id for r in table.page.items}
    assert sup.id not in listed and {hotel["anna"].id, hotel["bo"].id} <= listed
    assert (table.done, table.total) == (1, 4)  # Susan reads it like anyone
    assert table.mine is not None and table.mine.acknowledged_at is None
    assert table.outstanding == 2  # Anna and Bo: whom she follows up
    assert reading.coverage(sop, viewer=sup, outstanding_only=True, page=0).page.total == 2
    reading.acknowledge(sop, hotel["version"], sup)
    assert reading.coverage(sop, viewer=sup, page=0).mine.acknowledged_at is not None
    # Someone not in the audience (a manager of another department) sees everyone.
    everyone = reading.coverage(sop, viewer=hotel["manager"], page=0)
    assert everyone.mine is None and len(everyone.page.items) == 4


def test_the_table_names_who_reminded_and_forgets_reminders_once_read(hotel, db):
    sop, anna, sup = hotel["sop"], hotel["anna"], hotel["supervisor"]
    reading.remind(sop, anna, by=sup)
    rows = {
        r.person_id: r for r in reading.coverage(sop, viewer=hotel["manager"], page=0).page.items
    }
    assert rows[anna.id].reminded_by == "Susan Wu" and rows[anna.id].reminded_today
    assert rows[hotel["bo"].id].reminded_at is None and not rows[hotel["bo"].id].reminded_today
    # A reminder that the person has acted on is not a reminder any more.
    reading.acknowledge(sop, hotel["version"], anna)
    assert reading.to_read_for(anna) == []


@pytest.mark.parametrize(
    ("done", "level"),
    [(0, "low"), (49, "low"), (50, "partial"), (89, "partial"), (90, "good"), (100, "good")],
)
def test_coverage_levels(done, level):
    assert reading.coverage_level(done, 100) == level


def test_nobody_asked_has_no_level():
    assert reading.coverage_level(0, 0) is None


def test_each_level_has_its_own_colour_icon_and_word(app):
    with app.test_request_context():
        looks = {cards.level_badge(d, 10)["level"]: cards.level_badge(d, 10) for d in (2, 6, 10)}
        assert {b["cls"] for b in looks.values()} == {
            "text-bg-danger",
            "text-bg-warning",
            "text-bg-success",
        }
        assert len({b["icon"] for b in looks.values()}) == 3
        assert looks["low"]["text"] == "20% · Low"
        assert looks["good"]["text"] == "100% · Good"
        assert cards.level_badge(6, 10, counts=True)["text"] == "6 of 10 · Partial"


# --- what the employee sees ---------------------------------------------------------------------
def test_the_reading_list_says_who_reminded_and_since_when(hotel, db):
    sop, anna = hotel["sop"], hotel["anna"]
    [item] = reading.to_read_for(anna)
    assert item.due_since == hotel["version"].effective_date and item.reminded_at is None
    reading.remind(sop, anna, by=hotel["supervisor"])
    [item] = reading.to_read_for(anna)
    assert item.reminded_by == "Susan Wu" and item.reminded_by_role == "supervisor"
    anna.hire_date = local_today() + timedelta(days=3)  # starting next week: due from then
    assert reading.to_read_for(anna)[0].due_since == anna.hire_date


def test_a_yearly_reading_is_due_since_the_last_one_ran_out(hotel, db):
    sop, anna = hotel["sop"], hotel["anna"]
    sop.yearly_ack = True
    reading.acknowledge(sop, hotel["version"], anna)
    later = local_today() + timedelta(days=400)
    [item] = reading.to_read_for(anna, today=later)
    assert item.due_since == local_today() + timedelta(days=365)


def test_reminded_first_then_the_longest_due(hotel, db):
    older = factories.sop(
        number="HK-000",
        prop=hotel["prop"],
        dept="HK",
        author=hotel["hr"],
        approver=hotel["manager"],
    )
    older.effective_date = local_today() - timedelta(days=30)
    later = factories.sop(
        number="HK-009",
        prop=hotel["prop"],
        dept="HK",
        author=hotel["hr"],
        approver=hotel["manager"],
    )
    reading.remind(later.sop, hotel["anna"], by=hotel["supervisor"])
    found = reading.to_read_for(hotel["anna"])
    assert [r.sop.number for r in found] == ["HK-009", "HK-000", "HK-001"]
    assert found[1].due_since == older.effective_date


# --- the pages ----------------------------------------------------------------------------------
def sign_in(client, person, secret=factories.PASSWORD):
    response = client.sign_in(person.staff_no, secret)
    assert response.status_code == 303


def test_the_supervisor_follows_up_the_others_and_has_no_remind_button_of_her_own(
    client, db, hotel
):
    sop, sup = hotel["sop"], hotel["supervisor"]
    sign_in(client, sup)
    response = client.get(f"/sops/{sop.id}/acknowledgements")
    html = response.get_data(as_text=True)
    body = text_of(response)
    assert "1 of 4 have acknowledged" in body
    assert "You are asked to read it too, and have not acknowledged it yet." in body
    assert f'id="coverage-{sup.id}"' not in html
    assert f"/remind/{sup.id}" not in html
    assert f"/remind/{hotel['anna'].id}" in html
    assert "Not yet only (2)" in body
    # The level: a colour, an icon and a word.
    assert re.search(r'class="badge text-bg-danger[^"]*portal-level-low"', html)
    assert "25% · Low" in body
    # Her own reminder is refused in words, and nothing is written.
    refused = client.post_form(f"/sops/{sop.id}/remind/{sup.id}", htmx=True)
    assert refused.status_code == 200
    assert "You do not remind yourself" in text_of(refused)
    assert count(db, SopReminder) == 0


def test_a_reminder_answers_in_the_fixed_status_area_not_above_the_table(client, db, hotel):
    sop, anna = hotel["sop"], hotel["anna"]
    sign_in(client, hotel["supervisor"])
    answer = client.post_form(f"/sops/{sop.id}/remind/{anna.id}?outstanding=1", htmx=True)
    html = answer.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="coverage-table"')
    status = re.search(
        r'<div id="coverage-status" hx-swap-oob="innerHTML">(.*?)</div>\s*<div', html, re.S
    )
    assert status and "Anna Attendant will see a reminder when they sign in." in status.group(1)
    # Nothing is flashed above the table (the flash area at the top stays empty) ...
    flash = re.search(r'<div id="flash"[^>]*>(.*?)</div>', html, re.S)
    assert flash and flash.group(1).strip() == ""
    # ... the "Not yet only" filter stays, and Anna's row says it.
    assert f'hx-get="/sops/{sop.id}/acknowledgements?outstanding=1"' in html
    row = re.search(rf'<tr id="coverage-{anna.id}">(.*?)</tr>', html, re.S).group(1)
    assert "reminded" in row and "Susan Wu" in row and "Reminded today" in row
    assert f"/remind/{anna.id}" not in row
    # The second tap: said in words, nothing more written.
    again = client.post_form(f"/sops/{sop.id}/remind/{anna.id}", htmx=True)
    assert "Anna Attendant was reminded today already." in text_of(again)
    assert count(db, SopReminder) == 1 and reminders_audited(db) == 1
    # A refresh of the table clears the message and leaves an open sheet alone.
    refresh = client.hx_get(f"/sops/{sop.id}/acknowledgements").get_data(as_text=True)
    assert re.search(r'<div id="coverage-status" hx-swap-oob="innerHTML">\s*</div>', refresh)
    assert 'id="coverage-sheet"' not in refresh


def test_remind_everyone_without_javascript(client, db, hotel):
    sop = hotel["sop"]
    reading.remind(sop, hotel["bo"], by=hotel["manager"])
    db.session.commit()
    sign_in(client, hotel["supervisor"])
    table = client.get(f"/sops/{sop.id}/acknowledgements").get_data(as_text=True)
    assert f'href="/sops/{sop.id}/remind-all"' in table  # a link that works without script
    asked = client.get(f"/sops/{sop.id}/remind-all")
    assert asked.status_code == 200
    page = text_of(asked)
    assert page.count("Staffroom") >= 1 and "Remind everyone who has not read HK-001" in page
    assert "1 person will see a reminder when they sign in: Anna Attendant" in page
    assert "1 person was reminded today already and is left out." in page
    assert count(db, SopReminder) == 1  # asking writes nothing
    done = client.post_form(f"/sops/{sop.id}/remind-all")
    assert done.status_code == 303
    assert done.headers["Location"] == f"/sops/{sop.id}/acknowledgements"
    landing = text_of(client.get(done.headers["Location"]))
    assert "Reminded 1 person. 1 person reminded today already was not reminded again." in landing
    retried = client.post_form(f"/sops/{sop.id}/remind-all")  # a slow connection's retry
    assert "Nobody was reminded. 2 people reminded today already were not reminded again." in (
        text_of(client.get(retried.headers["Location"]))
    )
    assert count(db, SopReminder) == 2 and reminders_audited(db) == 2


def test_remind_everyone_with_htmx_answers_in_place(client, db, hotel):
    sop = hotel["sop"]
    sign_in(client, hotel["manager"])
    sheet = client.hx_get(f"/sops/{sop.id}/remind-all?outstanding=1")
    html = sheet.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="remind-sheet"')
    assert "portal-header" not in html
    assert f'hx-post="/sops/{sop.id}/remind-all?outstanding=1"' in html
    assert "3 people will see a reminder" in text_of(sheet)  # Anna, Bo and Susan
    done = client.post_form(f"/sops/{sop.id}/remind-all?outstanding=1", htmx=True)
    answer = done.get_data(as_text=True)
    assert answer.lstrip().startswith('<div id="coverage-table"')
    assert "Reminded 3 people." in text_of(done)
    assert '<div id="coverage-sheet" hx-swap-oob="innerHTML"></div>' in answer
    double = client.post_form(f"/sops/{sop.id}/remind-all?outstanding=1", htmx=True)
    assert "Nobody was reminded." in text_of(double)
    assert count(db, SopReminder) == 3 and reminders_audited(db) == 3


def test_remind_everyone_refuses_a_post_without_its_token(client, db, hotel):
    sign_in(client, hotel["supervisor"])
    response = client.post(f"/sops/{hotel['sop'].id}/remind-all", data={})
    assert response.status_code == 400
    assert count(db, SopReminder) == 0


@pytest.mark.parametrize("sop_id", [str(2**63), str(2**31), "999999"])
def test_remind_everyone_of_no_sop_is_not_found(client, db, hotel, sop_id):
    sign_in(client, hotel["supervisor"])
    assert client.get(f"/sops/{sop_id}/remind-all").status_code == 404
    assert client.post_form(f"/sops/{sop_id}/remind-all").status_code == 404
    assert client.post_form(f"/sops/{hotel['sop'].id}/remind/{sop_id}").status_code == 404
    assert count(db, SopReminder) == 0


def test_remind_everyone_of_an_sop_not_in_force_is_not_found(client, db, hotel):
    draft = factories.sop(number="HK-002", prop=hotel["prop"], dept="HK", effective=False)
    db.session.commit()
    sign_in(client, hotel["manager"])
    assert client.post_form(f"/sops/{draft.sop.id}/remind-all").status_code == 404


def test_the_employee_card_says_who_reminded_and_since_when(client, db, hotel):
    sop, bo = hotel["sop"], hotel["bo"]
    reading.remind(sop, bo, by=hotel["supervisor"])
    db.session.commit()
    sign_in(client, bo, factories.PIN)
    body = text_of(client.get("/"))
    assert "HK-001 Guest-room cleaning (version 1.0)" in body
    assert "Reminded by your supervisor" in body
    assert "Susan Wu reminded you on" in body
    assert "Due since" in body
    bo.locale = "zh_Hans"
    db.session.commit()
    body = text_of(client.get("/"))
    assert "主管已提醒" in body and "吴淑珍 于" in body and "起待阅读" in body


def test_the_supervisor_card_shows_levels_and_links_its_numbers(client, db, hotel):
    sign_in(client, hotel["supervisor"])
    html = client.get("/").get_data(as_text=True)
    card = re.search(
        r'<section class="card portal-card" id="card-sop-coverage".*?</section>', html, re.S
    )
    assert card, "the coverage card"
    card = card.group(0)
    assert "text-bg-danger" in card and "1 of 4 · Low" in text_of_html(card)
    sop_id = hotel["sop"].id
    assert f'href="/sops/{sop_id}/acknowledgements"' in card
    assert f'href="/sops/{sop_id}/acknowledgements?outstanding=1"' in card
    assert "3 not yet" in text_of_html(card)


def test_the_supervisor_card_names_the_least_read_sops_and_links_the_rest(client, db, hotel):
    """A manual of many SOPs: the card names the six least read (HK-001, read by one of
    four, first), and links to the whole list."""
    prop, hr, manager = hotel["prop"], hotel["hr"], hotel["manager"]
    for n in range(7):
        version = factories.sop(number=f"HK-1{n:02d}", prop=prop, author=hr, approver=manager)
        for person in ("anna", "bo", "done"):
            reading.acknowledge(version.sop, version, hotel[person])
    db.session.commit()
    sign_in(client, hotel["supervisor"])
    html = client.get("/").get_data(as_text=True)
    card = re.search(
        r'<section class="card portal-card" id="card-sop-coverage".*?</section>', html, re.S
    ).group(0)
    shown = re.findall(r"HK-\d{3}", text_of_html(card))
    assert shown[0] == "HK-001" and len(set(shown)) == cards.COVERAGE_SHOWN
    assert "All 8 SOPs in force" in text_of_html(card)
    assert 'href="/sops/?scope=all"' in card


def text_of_html(html: str) -> str:
    from tests.conftest import visible_text

    return visible_text(html)


def test_acknowledging_ends_the_reminder(client, db, hotel):
    sop, anna = hotel["sop"], hotel["anna"]
    reading.remind(sop, anna, by=hotel["supervisor"])
    db.session.add(
        SopAcknowledgement(
            sop_id=sop.id,
            version_id=hotel["version"].id,
            version_key=hotel["version"].version_key,
            user_id=anna.id,
            acknowledged_at=utcnow(),
        )
    )
    db.session.commit()
    table = reading.coverage(sop, viewer=hotel["supervisor"], page=0)
    row = next(r for r in table.page.items if r.person_id == anna.id)
    assert row.acknowledged_at is not None and row.reminded_at is None


def test_remind_everyone_sent_several_times_at_once_reminds_each_person_once(app, committed_db):
    """A double tap and a retry on a slow connection arrive together, on several workers."""
    from portal.extensions import db as _db
    from tests.test_concurrency import run_together

    with app.app_context():
        prop = factories.property_()
        version = factories.sop(number="HK-001", prop=prop, dept="HK")
        supervisor = factories.person("supervisor", prop=prop, dept="HK")
        for _ in range(5):
            factories.person("employee", prop=prop, dept="HK")
        _db.session.commit()
        sop_id, staff_no = version.sop_id, supervisor.staff_no
        _db.session.remove()
    clients = []
    for _ in range(4):
        client = app.test_client()
        assert client.sign_in(staff_no, factories.PASSWORD).status_code == 303
        clients.append(client)

    def tap(i):
        response = clients[i].post_form(f"/sops/{sop_id}/remind-all", htmx=True)
        assert response.status_code == 200, response.get_data(as_text=True)[:300]

    run_together(tap, n=len(clients))
    with app.app_context():
        assert _db.session.scalar(select(func.count()).select_from(SopReminder)) == 5
        assert (
            _db.session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "sop.reminded")
            )
            == 5
        )
        _db.session.remove()


def test_a_long_reading_list_continues_in_the_library(client, db, hotel):
    for n in range(2, 9):
        factories.sop(
            number=f"HK-{n:03d}",
            prop=hotel["prop"],
            dept="HK",
            author=hotel["hr"],
            approver=hotel["manager"],
        )
    db.session.commit()
    sign_in(client, hotel["bo"], factories.PIN)
    html = client.get("/").get_data(as_text=True)
    card = re.search(r'id="card-sops-to-read".*?</section>', html, re.S).group(0)
    assert card.count('class="portal-row-link"') == cards.SHOWN_TO_READ
    assert 'href="/sops/?scope=mine"' in card and "All 8 SOPs to read" in text_of_html(card)


def test_the_sheet_names_eight_people_and_counts_the_rest_escaped(client, db, hotel):
    for n in range(8):
        factories.person("employee", prop=hotel["prop"], dept="HK", name_en=f"<b>Extra {n}</b>")
    db.session.commit()
    sign_in(client, hotel["manager"])
    html = client.get(f"/sops/{hotel['sop'].id}/remind-all").get_data(as_text=True)
    assert "<b>Extra" not in html and "&lt;b&gt;Extra 0&lt;/b&gt;" in html
    assert "11 people will see a reminder when they sign in:" in text_of_html(html)
    assert "and 3 more" in text_of_html(html)

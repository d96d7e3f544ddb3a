"""People admin: list, create, edit, deactivate, reset; bad input writes nothing."""

import re
import secrets
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.blueprints.people.models import User
from portal.database import utcnow
from portal.sessions import UserSession
from tests import factories
from tests.conftest import text_of


def valid_form(prop, **overrides):
    data = {
        "name_en": "Chen Jing",
        "name_zh": "陈静",
        "staff_no": "E3001",
        "department_id": str(factories.department(prop, "HK").id),
        "role": "employee",
        "grade": "junior",
        "pin": "482913",
        "email": "",
        "phone": "+86 139 0000 1111",
        "hire_date": "2026-10-01",
        "locale": "zh_Hans",
        "idempotency_key": secrets.token_urlsafe(18),  # as the form carries one
    }
    data.update(overrides)
    return data


def count_people(db) -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def listed(person, text: str) -> bool:
    """Whether a page's text shows this person's staff number (the list's own column)."""
    return re.search(rf"\b{re.escape(person.staff_no)}\b", text) is not None


def test_people_list_pages_searches_and_stays_in_the_property(client, db, login_as):
    hr = login_as("hr")
    for i in range(30):
        factories.person("employee", name_en=f"Walker {i:02d}", name_zh=f"沃克{i:02d}")
    other = factories.person("employee", prop=factories.property_("SPX"), name_en="Walker Far")
    page1 = text_of(client.get("/people/?q=walker"))
    assert "30 people" in page1
    assert "Walker 00" in page1 and "Walker Far" not in page1
    assert "Page 1 of 2" in page1
    page2 = text_of(client.get("/people/?q=walker&page=2"))
    assert "Walker 29" in page2 and "Walker 00" not in page2
    chinese = text_of(client.get("/people/?q=沃克0"))
    assert "10 people" in chinese
    assert "31 people" in text_of(client.get("/people/"))  # the 30 and HR, not the stranger
    assert not listed(hr, page1)  # the search narrowed the list
    assert listed(hr, text_of(client.get(f"/people/?q={hr.staff_no}")))
    elsewhere = text_of(client.get(f"/people/?q={other.staff_no}"))
    assert "0 people" in elsewhere and not listed(other, elsewhere)


def test_people_list_answers_htmx_with_the_results_fragment(client, db, login_as):
    login_as("hr")
    factories.person("employee", name_en="Fragment Person")
    response = client.hx_get("/people/?q=Fragment")
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<div id="people-results">')
    assert "Fragment Person" in body and "<html" not in body
    assert "HX-Request" in response.vary


def test_people_list_uses_a_fixed_number_of_queries(client, db, login_as, count_queries):
    login_as("hr")
    for _ in range(3):
        factories.person("employee")
    client.get("/people/")
    with count_queries() as few:
        client.get("/people/")
    for _ in range(40):
        factories.person("employee", dept="FO")
    with count_queries() as many:
        client.get("/people/")
    assert few.count == many.count, many.statements
    assert many.count <= 10


def test_hr_adds_an_employee(client, db, login_as):
    hr = login_as("hr")
    response = client.post_form("/people/new", valid_form(hr.property))
    assert response.status_code == 303
    person = db.session.scalar(select(User).where(User.staff_no == "E3001"))
    assert person.name_zh == "陈静" and person.check_pin("482913")
    assert person.property_id == hr.property_id
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "person.created"))
    assert event.actor_id == hr.id and event.object_id == person.id
    assert "482913" not in event.summary
    detail = client.get(response.headers["Location"])
    assert "was added" in text_of(detail)


def test_full_width_digits_in_pin_and_staff_number_count_as_digits(client, db, login_as):
    hr = login_as("hr")
    response = client.post_form(
        "/people/new", valid_form(hr.property, staff_no="Ｅ３００２", pin="４８２９１３")
    )
    assert response.status_code == 303
    person = db.session.scalar(select(User).where(User.staff_no == "E3002"))
    assert person.check_pin("482913")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("pin", "abcdef", "The PIN is exactly 6 digits."),
        ("pin", "12345", "The PIN is exactly 6 digits."),
        ("pin", "", "Employees sign in with a PIN: enter 6 digits."),
        ("staff_no", "", "Enter the staff number."),
        ("staff_no", "E 1", "Use 2 to 16 letters, digits or hyphens"),
        ("staff_no", "E3\u200b001", "Remove the invisible characters"),
        ("name_en", "x" * 121, "Field cannot be longer than 120 characters."),
        ("name_zh", "", None),  # with name_en empty too: see below
        ("email", "not-an-email", "Enter an email address."),
        ("phone", "call me", "Enter a phone number"),
        ("department_id", "999999", "Not a valid choice."),
        ("hire_date", "2026-13-45", "Not a valid date value."),
        ("role", "admin", "Not a valid choice."),  # HR cannot make a group admin
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_nothing_is_written(
    client, db, login_as, field, value, message
):
    hr = login_as("hr")
    data = valid_form(hr.property, **{field: value})
    if field == "name_zh":
        data["name_en"] = ""
        message = "Enter the name in Chinese, in English, or both."
    before = count_people(db)
    audit_before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    response = client.post_form("/people/new", data)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    field_id = "name_zh" if field == "name_zh" else field
    assert f'id="{field_id}-error"' in body
    assert message in text_of(response)
    assert count_people(db) == before
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == audit_before


def test_htmx_bad_input_returns_the_form_fragment_with_200(client, db, login_as):
    hr = login_as("hr")
    response = client.post_form("/people/new", valid_form(hr.property, pin="12ab"), htmx=True)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<form id="person-form"')
    assert 'data-focus="pin"' in body
    assert "The PIN is exactly 6 digits." in body


def test_duplicate_staff_number_is_refused(client, db, login_as):
    hr = login_as("hr")
    factories.person("employee", staff_no="E3001")
    before = count_people(db)
    response = client.post_form("/people/new", valid_form(hr.property))
    assert response.status_code == 422
    assert "Staff number E3001 is already used at this property." in text_of(response)
    assert 'id="staff_no-error"' in response.get_data(as_text=True)
    assert count_people(db) == before


def test_same_staff_number_may_exist_at_another_property(client, db, login_as):
    hr = login_as("hr")
    elsewhere = factories.person("employee", staff_no="E3001", prop=factories.property_("SPX"))
    assert client.post_form("/people/new", valid_form(hr.property)).status_code == 303
    holders = db.session.scalars(select(User).where(User.staff_no == "E3001"))
    assert sorted(u.property_id for u in holders) == sorted([elsewhere.property_id, hr.property_id])


def test_password_roles_need_a_user_name_and_a_long_password(client, db, login_as):
    hr = login_as("hr")
    data = valid_form(hr.property, role="supervisor", pin="", password="short")
    response = client.post_form("/people/new", data)
    assert response.status_code == 422
    text = text_of(response)
    assert "People who sign in with a password need a user name." in text
    assert "Field must be between 10 and 128 characters long." in text


def test_edit_saves_and_audits_what_changed(client, db, login_as):
    login_as("hr")
    person = factories.person("employee", name_en="Old Name")
    db.session.commit()
    form = client.get(f"/people/{person.id}/edit")
    assert 'value="Old Name"' in form.get_data(as_text=True)
    data = valid_form(
        person.property, staff_no=person.staff_no, name_en="New Name", version=str(person.version)
    )
    data.pop("pin")
    response = client.post_form(f"/people/{person.id}/edit", data)
    assert response.status_code == 303
    db.session.refresh(person)
    assert person.name_en == "New Name"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "person.updated"))
    assert "name_en: Old Name -> New Name" in event.summary


def test_stale_edit_is_refused_not_overwritten(client, db, login_as):
    login_as("hr")
    person = factories.person("employee", name_en="First")
    db.session.commit()
    stale_version = str(person.version)
    person.name_en = "Changed By Someone Else"
    db.session.commit()
    data = valid_form(
        person.property, staff_no=person.staff_no, name_en="Mine", version=stale_version
    )
    data.pop("pin")
    response = client.post_form(f"/people/{person.id}/edit", data)
    assert response.status_code == 422
    assert "Someone else changed this record" in text_of(response)
    db.session.refresh(person)
    assert person.name_en == "Changed By Someone Else"


def test_deactivate_signs_out_and_keeps_the_record(client, db, login_as, app):
    login_as("hr")
    person = factories.person("employee")
    db.session.commit()
    other = app.test_client()
    assert other.sign_in(person.staff_no, factories.PIN).status_code == 303
    assert other.get("/").status_code == 200
    response = client.post_form(f"/people/{person.id}/deactivate")
    assert response.status_code == 303
    db.session.refresh(person)
    assert person.active is False
    sessions = db.session.scalars(select(UserSession).where(UserSession.user_id == person.id))
    assert [(s.ended_at is not None, s.end_reason) for s in sessions] == [(True, "deactivated")]
    assert other.get("/").status_code == 303
    assert client.post_form(f"/people/{person.id}/reactivate").status_code == 303
    db.session.refresh(person)
    assert person.active is True


def test_nobody_deactivates_themselves(client, db, login_as):
    hr = login_as("hr")
    detail = client.get(f"/people/{hr.id}")
    assert detail.status_code == 200 and hr.name_en in text_of(detail)
    assert "Deactivate" not in text_of(detail)
    refused = client.post_form(f"/people/{hr.id}/deactivate")  # the button's request, forged
    assert refused.status_code == 409
    assert "Location" not in refused.headers  # a browser shows a 409's page, never follows it
    shown = text_of(refused)
    assert "You cannot deactivate your own account." in shown and hr.staff_no in shown
    fragment = client.post_form(f"/people/{hr.id}/deactivate", htmx=True)
    assert fragment.status_code == 409 and "HX-Redirect" not in fragment.headers
    assert fragment.headers["HX-Reswap"] == "none"  # only the message, out of band
    body = fragment.get_data(as_text=True)
    assert 'id="flash"' in body and 'hx-swap-oob="true"' in body
    assert "You cannot deactivate your own account." in body
    db.session.refresh(hr)
    assert hr.active is True


def test_reset_pin_ends_sessions_and_the_new_pin_works(client, db, login_as, app):
    login_as("hr")
    person = factories.person("employee")
    db.session.commit()
    other = app.test_client()
    assert other.sign_in(person.staff_no, factories.PIN).status_code == 303
    assert other.get("/").status_code == 200
    bad = client.post_form(f"/people/{person.id}/reset", {"secret": "12345a", "confirm": "x"})
    assert bad.status_code == 422
    assert "The PIN is exactly 6 digits." in text_of(bad)
    mismatch = client.post_form(
        f"/people/{person.id}/reset", {"secret": "111222", "confirm": "111333"}
    )
    assert mismatch.status_code == 422
    assert "The two entries are not the same." in text_of(mismatch)
    assert other.get("/").status_code == 200  # the refused resets changed nothing
    ok = client.post_form(f"/people/{person.id}/reset", {"secret": "111222", "confirm": "111222"})
    assert ok.status_code == 303
    assert other.get("/").status_code == 303
    assert other.sign_in(person.staff_no, factories.PIN).status_code == 422
    assert other.sign_in(person.staff_no, "111222").status_code == 303
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "person.pin_reset"))
    assert event.object_id == person.id and "111222" not in event.summary


def test_over_long_form_body_is_413(client, db, login_as):
    login_as("hr")
    before = count_people(db)
    response = client.post_form("/people/new", {"name_en": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert "What you sent is too large. Send something smaller." in text_of(response)
    assert count_people(db) == before


def test_a_double_tap_adds_the_person_once(client, db, login_as):
    hr = login_as("hr")
    data = valid_form(hr.property, idempotency_key="tap-tap-key-0123456789")
    first = client.post_form("/people/new", data)
    second = client.post_form("/people/new", data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    count = db.session.scalar(
        select(func.count()).select_from(User).where(User.staff_no == "E3001")
    )
    assert count == 1


def test_the_form_carries_a_fresh_idempotency_key(client, db, login_as):
    login_as("hr")
    keys = [
        re.search(
            r'name="idempotency_key" type="hidden" value="([^"]+)"',
            client.get("/people/new").get_data(as_text=True),
        ).group(1)
        for _ in range(2)
    ]
    assert keys[0] != keys[1] and len(keys[0]) >= 16


def test_resetting_a_pin_asks_for_the_password_again_after_15_minutes(client, db, login_as):
    hr = login_as("hr")
    person = factories.person("employee")
    db.session.commit()
    start = utcnow()
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        assert client.get("/").status_code == 200  # still busy, not idle
    with time_machine.travel(start + timedelta(minutes=20), tick=False):
        asked = client.get(f"/people/{person.id}/reset")
        assert asked.status_code == 303
        assert asked.headers["Location"].startswith("/auth/confirm?next=")
        page = client.get(asked.headers["Location"])
        assert "Enter your password again" in text_of(page)
        wrong = client.post_form(
            "/auth/confirm", {"secret": "not-it-at-all", "next": f"/people/{person.id}/reset"}
        )
        assert wrong.status_code == 422
        assert "That is not your password." in text_of(wrong)
        right = client.post_form(
            "/auth/confirm", {"secret": factories.PASSWORD, "next": f"/people/{person.id}/reset"}
        )
        assert right.headers["Location"] == f"/people/{person.id}/reset"
        assert client.get(f"/people/{person.id}/reset").status_code == 200
    actions = list(
        db.session.scalars(
            select(AuditEvent.action).where(
                AuditEvent.object_id == hr.id, AuditEvent.object_type == "users"
            )
        )
    )
    assert "auth.reauthenticated" in actions and "auth.sign_in_failed" in actions

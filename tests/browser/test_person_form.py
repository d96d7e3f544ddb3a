"""The person form in a real browser: the role swaps its fields in (htmx), a refused form keeps
the PIN, the full form works without script, and deactivating asks first."""

import re

import pytest

from portal.blueprints.people.models import JobTitle, User
from portal.extensions import db as _db
from tests import factories
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def titles(app, people):
    with app.app_context():
        prop = factories.property_("BRW")
        for dept, en, zh in [("HK", "Room attendant", "客房服务员"), ("FO", "Concierge", "礼宾员")]:
            _db.session.add(
                JobTitle(
                    property_id=prop.id,
                    department_id=factories.department(prop, dept).id,
                    title_en=en,
                    title_zh=zh,
                    grade="junior",
                )
            )
        _db.session.commit()
        _db.session.remove()


def test_the_role_swaps_its_fields_and_a_refused_form_keeps_the_pin(
    app, live_server, new_page, people, titles
):
    page = new_page("tablet")
    sign_in(page, live_server, people["hr"][2], factories.PASSWORD)
    page.goto(f"{live_server}/people/new")
    assert page.locator("#pin").is_visible()
    assert page.locator("#username").count() == 0  # the others wait in <noscript>
    page.select_option("#role", "supervisor")
    page.wait_for_selector("#username")
    assert page.locator("#pin").count() == 0
    assert page.locator("#password").is_visible()
    assert page.locator("input[name=supervises]").count() == 3
    page.select_option("#role", "employee")
    page.wait_for_selector("#pin")
    assert page.locator("#username").count() == 0
    page.select_option("#department_id", label="Housekeeping")
    page.wait_for_function("() => document.querySelectorAll('#job_title_id option').length === 2")
    assert "Concierge" not in page.inner_text("#job_title_id")
    page.select_option("#job_title_id", label="Room attendant · Junior service specialist")
    page.fill("#name_en", "Browser Person")
    page.fill("#staff_no", "E 12")  # wrong
    page.fill("#pin", "246813")
    page.click("#person-form button[type=submit]")
    page.wait_for_selector("#staff_no-error")
    assert page.locator("#pin-kept").is_visible()
    assert page.input_value("#pin") == ""
    assert "246813" not in page.content()
    assert page.evaluate("document.activeElement.id") == "staff_no"  # the wrong field focused
    page.fill("#staff_no", "E7301")
    page.click("#person-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/people/\d+$"))
    assert "Browser Person was added." in page.inner_text("body")
    assert page.locator("header.portal-header").count() == 1
    with app.app_context():
        made = _db.session.query(User).filter_by(staff_no="E7301").one()
        assert made.check_pin("246813") and made.job_title.title_en == "Room attendant"
        _db.session.remove()


def test_without_script_the_full_form_works(app, live_server, new_page, people):
    page = new_page("terminal", java_script_enabled=False)
    sign_in_no_script(page, live_server, people["hr"][2])
    page.goto(f"{live_server}/people/new")
    assert page.locator("#username").is_visible() and page.locator("#pin").is_visible()
    page.fill("#name_en", "Plain Supervisor")
    page.fill("#staff_no", "S7302")
    page.select_option("#department_id", label="Housekeeping")
    page.select_option("#role", "supervisor")
    page.fill("#username", "plain.supervisor")
    page.fill("#password", "plain-password-2026")
    page.check("input[name=supervises] >> nth=1")
    page.click("#person-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/people/\d+$"))
    with app.app_context():
        made = _db.session.query(User).filter_by(staff_no="S7302").one()
        assert made.role == "supervisor" and made.check_password("plain-password-2026")
        assert made.pin_hash is None and [d.code for d in made.supervises] == ["HK"]
        _db.session.remove()


def sign_in_no_script(page, base, identifier):
    page.goto(f"{base}/auth/login")
    page.fill("#identifier", identifier)
    page.fill("#secret", factories.PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_deactivating_asks_in_place_first(app, live_server, new_page, people):
    page = new_page("tablet-portrait")
    sign_in(page, live_server, people["hr"][2], factories.PASSWORD)
    person_id = people["employee"][0]
    page.goto(f"{live_server}/people/{person_id}")
    page.click("text=Deactivate…")
    page.wait_for_selector("#deactivate-title")
    assert page.url == f"{live_server}/people/{person_id}"  # asked in place
    assert page.locator("header.portal-header").count() == 1
    page.click("#account-actions button[type=submit]")
    page.wait_for_selector("text=was deactivated and signed out everywhere")
    with app.app_context():
        assert _db.session.get(User, person_id).active is False
        _db.session.remove()

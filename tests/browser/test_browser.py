"""What only a browser shows: idle sign-out on a terminal, layouts, htmx swaps, accessibility."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import AXE, MEASURE, SIZES, sign_in


@pytest.fixture
def short_terminal_timeouts(app):
    saved = {k: app.config[k] for k in ("TERMINAL_IDLE_TIMEOUT", "IDLE_WARNING")}
    app.config.update(TERMINAL_IDLE_TIMEOUT=9, IDLE_WARNING=5)
    yield
    app.config.update(saved)


def test_terminal_idle_warning_and_automatic_sign_out(
    live_server, new_page, people, short_terminal_timeouts
):
    page = new_page("terminal")
    # An admin enrols this browser as a shared terminal, then hands it over.
    sign_in(page, live_server, "b.admin", factories.PASSWORD)
    page.goto(f"{live_server}/terminals/")
    page.fill("#name", "Staff room B1")
    page.fill("#location", "Basement, next to the lockers")
    page.click("#enrol-form button[type=submit]")
    page.wait_for_selector("text=This device is the terminal")
    page.click("button.portal-signout")  # on a terminal, signing out hands it over
    page.wait_for_url(re.compile(r".*/auth/login\?ended=switched"))
    assert "Shared terminal: Staff room B1" in page.inner_text("main")

    # An employee signs in with staff number and PIN.
    sign_in(page, live_server, "E7001", factories.PIN)
    assert page.locator("header button.portal-signout").count() == 1  # one button on a terminal
    warning = page.locator("#idle-warning")
    assert warning.is_hidden()
    # The warning comes; a touch dismisses it and the session goes on.
    warning.wait_for(state="visible", timeout=10000)
    assert re.search(r"signed out in \d+ seconds", warning.inner_text())
    page.mouse.click(5, 300)
    warning.wait_for(state="hidden", timeout=5000)
    assert page.url == f"{live_server}/"
    # Untouched, the warning comes back and then the sign-in page, with the reason.
    warning.wait_for(state="visible", timeout=10000)
    page.wait_for_url(re.compile(r".*/auth/login\?ended=idle"), timeout=15000)
    assert "nobody used this screen" in page.inner_text("main")
    # Nothing of the person is left: going back does not show their page.
    page.go_back()
    page.wait_for_load_state()
    assert "Li Na" not in page.inner_text("body")


def test_back_button_after_sign_out_shows_nothing(live_server, new_page, people):
    page = new_page("terminal")
    sign_in(page, live_server, "b.hr", factories.PASSWORD)
    page.goto(f"{live_server}/people/")
    assert "Li Na" in page.inner_text("main")
    page.click("button.portal-signout")
    page.wait_for_url(re.compile(r".*/auth/login.*"))
    page.go_back()
    page.wait_for_load_state()
    assert "Li Na" not in page.inner_text("body")
    assert page.locator("#login-form").is_visible()


@pytest.mark.parametrize("size", list(SIZES))
def test_layout_at_each_screen_size(live_server, new_page, people, size, tmp_path):
    page = new_page(size)
    page.goto(f"{live_server}/auth/login")
    found = page.evaluate(MEASURE)
    assert found["overflow"] <= 0, f"sign-in scrolls sideways at {size}"
    assert found["small"] == [], found["small"]
    sign_in(page, live_server, "b.hr", factories.PASSWORD)
    sop_id = people["sop"][0]
    paths = (
        "/",
        "/people/",
        f"/people/{people['employee'][0]}",
        "/people/new",
        "/audit/",
        "/sops/",
        f"/sops/{sop_id}",
        f"/sops/{sop_id}/acknowledgements",
        "/sops/new",
    )
    for path in paths:
        page.goto(f"{live_server}{path}")
        shot = tmp_path / f"{size}-{path.strip('/').replace('/', '-') or 'home'}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 5000
        found = page.evaluate(MEASURE)
        assert found["overflow"] <= 0, f"{path} scrolls sideways at {size}"
        assert found["small"] == [], (path, size, found["small"])


def test_people_search_updates_in_place(live_server, new_page, people):
    page = new_page("tablet")
    sign_in(page, live_server, "b.hr", factories.PASSWORD)
    page.goto(f"{live_server}/people/")
    page.evaluate("window.__notReloaded = true")
    page.fill("#q", "Attendant 11")
    expect(page.locator("#people-results p[role=status]")).to_have_text("1 person")
    assert "Guest Room Attendant 11" in page.inner_text("#people-results")
    assert page.evaluate("window.__notReloaded") is True
    assert "q=Attendant" in page.url


def test_bad_input_shows_the_message_by_the_field_without_reload(live_server, new_page, people):
    page = new_page("tablet-portrait")
    sign_in(page, live_server, "b.hr", factories.PASSWORD)
    page.goto(f"{live_server}/people/new")
    page.evaluate("window.__notReloaded = true")
    page.fill("#name_zh", "周杰")
    page.fill("#staff_no", "E7001")  # taken
    page.select_option("#department_id", index=1)  # swaps in the department's job titles
    page.wait_for_load_state("networkidle")
    page.fill("#pin", "12ab56")
    page.click("#person-form button[type=submit]")
    page.wait_for_selector("#pin-error")
    assert "exactly 6 digits" in page.inner_text("#pin-error")
    assert page.evaluate("document.activeElement.id") == "pin"
    assert page.evaluate("window.__notReloaded") is True


@pytest.mark.parametrize(
    "path",
    [
        "/auth/login",
        "/",
        "/people/",
        "/people/new",
        "/sops/",
        "/sops/{sop}",
        "/sops/{sop}/acknowledgements",
        "/sops/new",
    ],
)
def test_no_serious_accessibility_violations(live_server, new_page, people, path):
    path = path.format(sop=people["sop"][0])
    page = new_page("terminal", bypass_csp=True)  # to inject axe-core; the portal keeps its CSP
    if path != "/auth/login":
        sign_in(page, live_server, "b.hr", factories.PASSWORD)
    page.goto(f"{live_server}{path}")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document)")
    bad = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}) {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == []


def test_chinese_terminal_session(live_server, new_page, people):
    page = new_page("terminal", locale="en-GB")
    sign_in(page, live_server, "E7002", factories.PIN)  # this person chose Chinese
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert "张伟" in page.inner_text("header")
    assert "退出登录" in page.inner_text("header")


def test_employee_acknowledges_in_chinese_and_the_supervisor_sees_it(live_server, new_page, people):
    sop_id = people["sop"][0]
    supervisor = new_page("tablet")
    sign_in(supervisor, live_server, "b.sup", factories.PASSWORD)
    supervisor.goto(f"{live_server}/sops/{sop_id}/acknowledgements")
    row = supervisor.locator(f"#coverage-{people['zh_employee'][0]}")
    expect(row).to_contain_text("Not yet")
    supervisor.evaluate("window.__notReloaded = true")

    terminal = new_page("terminal")
    sign_in(terminal, live_server, "E7002", factories.PIN)
    terminal.goto(f"{live_server}/sops/")
    terminal.get_by_role("link", name="客房清洁").click()
    expect(terminal.locator("h1")).to_have_text("客房清洁")
    assert "第1步中文" in terminal.inner_text("article")
    terminal.get_by_role("button", name=re.compile("1.0")).click()
    expect(terminal.locator("#ack-box .portal-ack-done")).to_contain_text("1.0")
    assert terminal.locator("#ack-box button").count() == 0

    # The supervisor's table catches up by itself, without a reload.
    expect(row).to_contain_text("Acknowledged", timeout=15000)
    assert supervisor.evaluate("window.__notReloaded") is True


def test_printing_a_binder_says_it_is_being_prepared(live_server, new_page, people):
    page = new_page("terminal")
    sign_in(page, live_server, "b.sup", factories.PASSWORD)
    page.goto(f"{live_server}/sops/")
    note = page.locator("#binder-preparing")
    assert note.is_hidden()
    with page.context.expect_page() as opened:
        page.click(".portal-binder button[type=submit]")
    expect(note).to_be_visible()
    opened.value.close()

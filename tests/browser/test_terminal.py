"""The shared terminal in a browser: use of the page keeps the idle warning away (and the server's
clock follows), a background poll does not; the PIN pad (touch, mouse, physical keyboard, and
no script at all); number keys for a PIN elsewhere; one sign-out button; and links inside every
htmx-swapped region navigate as whole pages (never a page drawn inside a table)."""

from __future__ import annotations

import itertools
import re
import time
from pathlib import Path
from urllib.parse import urljoin

import pytest
from flask import template_rendered
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect
from sqlalchemy import select

from portal import sessions
from portal.blueprints.people.models import Property, User
from portal.extensions import db as _db
from tests import factories
from tests.browser.conftest import AXE, MEASURE, SIZES, sign_in

TEMPLATES = Path(__file__).resolve().parents[2] / "portal" / "templates"
PORTAL = TEMPLATES.parent


def make_terminal(app, page, base: str, *, locale: str | None = None) -> None:
    """What an admin's enrolment leaves in the browser: the terminal's signed cookie."""
    with app.app_context():
        prop = _db.session.scalar(select(Property).where(Property.code == "BRW"))
        term, key = factories.terminal(prop, name="Staff room B1", default_locale=locale)
        _db.session.commit()
        with app.test_request_context():
            value = sessions.terminal_cookie_value(term, key)
        _db.session.remove()
    page.context.add_cookies(
        [{"name": app.config["TERMINAL_COOKIE_NAME"], "value": value, "url": base}]
    )


@pytest.fixture
def timeouts(app):
    saved = {k: app.config[k] for k in ("TERMINAL_IDLE_TIMEOUT", "IDLE_TIMEOUT", "IDLE_WARNING")}

    def set_(**values):
        app.config.update(values)

    yield set_
    app.config.update(saved)


# --- the idle clock ------------------------------------------------------------------------------
def test_reading_and_scrolling_keeps_the_warning_away_and_the_server_follows(
    live_server, new_page, people, app, timeouts
):
    # Short clocks: 12 s idle, warned 4 s before; use is then reported every 6 s (once a
    # minute with the real two minutes, see tests/auth/test_terminal_sign_in.py).
    timeouts(TERMINAL_IDLE_TIMEOUT=12, IDLE_WARNING=4)
    page = new_page("terminal", has_touch=True)
    make_terminal(app, page, live_server)
    sign_in(page, live_server, people["employee"][1], factories.PIN)
    sop = f"{live_server}/sops/{people['sop'][0]}"
    page.goto(sop)
    assert page.get_attribute("#session-info", "data-activity-every") == "6"
    reports = []
    page.on(
        "request",
        lambda r: r.url.endswith("/auth/keepalive") and reports.append(time.monotonic()),
    )
    warning = page.locator("#idle-warning")
    start = time.monotonic()
    # 16 s of reading, longer than the idle timeout: the wheel, then keys, then touches.
    while (elapsed := time.monotonic() - start) < 16:
        if elapsed < 6:
            page.mouse.move(700, 500)
            page.mouse.wheel(0, 120 if int(elapsed) % 2 else -120)
        elif elapsed < 11:
            page.keyboard.press("ArrowDown" if int(elapsed) % 2 else "ArrowUp")
        else:
            page.touchscreen.tap(1340, 740)  # an empty spot beside the text
        assert warning.is_hidden(), f"warned while in use, after {elapsed:.1f} s"
        page.wait_for_timeout(500)
    # Reported, but not on every movement: at most once per interval.
    assert 2 <= len(reports) <= 3, reports
    gaps = [b - a for a, b in itertools.pairwise(reports)]
    assert all(gap >= 5.5 for gap in gaps), gaps
    # The server's clock followed: 16 s after the page was drawn, still signed in.
    page.reload()
    assert page.url == sop and page.locator("#session-info").count() == 1
    # Left alone, the warning comes and then the sign-in page.
    warning.wait_for(state="visible", timeout=12000)
    page.wait_for_url(re.compile(r".*/auth/login\?ended=idle"), timeout=12000)


def test_a_background_poll_neither_hides_the_warning_nor_keeps_the_session(
    live_server, new_page, people, timeouts
):
    """The acknowledgement table polls every 10 s; that is not use (the server says how long
    is left in every htmx answer, and the page believes it)."""
    timeouts(IDLE_TIMEOUT=14, IDLE_WARNING=6)
    page = new_page("tablet")
    sign_in(page, live_server, "b.sup", factories.PASSWORD)
    polls = []
    page.on(
        "request",
        lambda r: (
            "/acknowledgements" in r.url
            and r.headers.get("hx-request") == "true"
            and polls.append(r.url)
        ),
    )
    page.goto(f"{live_server}/sops/{people['sop'][0]}/acknowledgements")
    warning = page.locator("#idle-warning")
    warning.wait_for(state="visible", timeout=12000)  # about 8 s after the page was drawn
    page.wait_for_timeout(3500)  # the poll at 10 s has come and gone
    assert polls, "the table did not poll"
    assert warning.is_visible()
    page.wait_for_url(re.compile(r".*/auth/login\?ended=idle"), timeout=10000)


# --- signing in on a terminal --------------------------------------------------------------------
def test_the_pin_pad_works_with_touch_mouse_and_keyboard(live_server, new_page, people, app):
    page = new_page("terminal", has_touch=True)
    make_terminal(app, page, live_server)
    page.goto(f"{live_server}/auth/login")
    assert "Employees: staff number and 6-digit PIN." in page.inner_text("main")
    pad = page.locator("#pin-pad")
    expect(pad).to_be_visible()
    secret = page.locator("#secret")
    # The system's on-screen keyboard stays closed: the pad is the keyboard.
    assert secret.get_attribute("inputmode") == "none"
    for key in page.locator("[data-pin-key]").all():
        box = key.bounding_box()
        assert box["height"] >= 56 and box["width"] >= 56, box
    page.fill("#identifier", people["employee"][1])
    page.tap('[data-pin-key="2"]')
    page.tap('[data-pin-key="4"]')
    page.tap('[data-pin-key="clear"]')
    expect(secret).to_have_value("")
    page.tap('[data-pin-key="1"]')  # touch
    page.tap('[data-pin-key="3"]')
    page.click('[data-pin-key="5"]')  # mouse
    page.click('[data-pin-key="7"]')
    assert page.evaluate("document.activeElement.id") == "secret"
    page.keyboard.type("98")  # the physical keyboard types where the pad left the focus
    page.click('[data-pin-key="back"]')
    # Keyboard only: a key of the pad with the focus, Space presses it, digits type.
    page.focus('[data-pin-key="0"]')
    page.keyboard.press("Space")
    page.keyboard.press("Backspace")
    page.keyboard.type("0")
    expect(secret).to_have_value(factories.PIN)
    # A password needs letters: the system's keyboard comes back, and goes again.
    toggle = page.locator("#pin-pad [data-keys-toggle]")
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    assert secret.get_attribute("inputmode") is None
    toggle.click()
    assert secret.get_attribute("inputmode") == "none"
    secret.press("Enter")
    page.wait_for_url(f"{live_server}/")
    assert "Li Na" in page.inner_text("header")


def test_the_terminal_sign_in_works_without_script(live_server, new_page, people, app):
    page = new_page("terminal", java_script_enabled=False)
    make_terminal(app, page, live_server)
    page.goto(f"{live_server}/auth/login")
    assert page.locator("#pin-pad").is_hidden()
    assert page.get_attribute("#secret", "inputmode") == "numeric"
    page.fill("#identifier", people["employee"][1])
    page.fill("#secret", factories.PIN)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{live_server}/")
    assert "Li Na" in page.inner_text("header")


def test_elsewhere_a_staff_number_brings_number_keys(live_server, new_page, people):
    page = new_page("phone", has_touch=True)
    page.goto(f"{live_server}/auth/login")
    assert page.locator("#pin-pad").count() == 0
    secret = page.locator("#secret")
    toggle = page.locator('[data-keys-toggle="secret"]')
    page.fill("#identifier", "b.hr")
    assert secret.get_attribute("inputmode") is None and toggle.is_hidden()
    page.fill("#identifier", people["employee"][1])
    assert secret.get_attribute("inputmode") == "numeric"
    expect(toggle).to_be_visible()
    box = toggle.bounding_box()
    assert box["height"] >= 44
    # A user name that looks like a staff number, with a password: all keys, for good.
    page.tap('[data-keys-toggle="secret"]')
    assert secret.get_attribute("inputmode") is None and toggle.is_hidden()
    page.fill("#identifier", people["zh_employee"][1])
    assert secret.get_attribute("inputmode") is None
    page.fill("#identifier", people["employee"][1])
    page.fill("#secret", factories.PIN)
    page.tap("#login-form button[type=submit]")
    page.wait_for_url(f"{live_server}/")


def test_the_terminal_sign_in_has_no_serious_accessibility_violations(
    live_server, new_page, people, app
):
    page = new_page("terminal", bypass_csp=True)  # to inject axe-core; the portal keeps its CSP
    make_terminal(app, page, live_server)
    page.goto(f"{live_server}/auth/login")
    page.fill("#identifier", "E0000")
    page.click('[data-pin-key="1"]')
    page.click("#login-form button[type=submit]")  # the page again, with its message
    page.wait_for_selector("#secret-error")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document)")
    bad = [
        f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == []


@pytest.mark.parametrize("size", list(SIZES))
def test_terminal_sign_in_and_header_at_each_size(live_server, new_page, people, app, size):
    for lang in ("en-GB", "zh-CN"):
        page = new_page(size, has_touch=size != "terminal", locale=lang)
        make_terminal(app, page, live_server)
        page.goto(f"{live_server}/auth/login")
        found = page.evaluate(MEASURE)
        assert found["overflow"] <= 0 and found["small"] == [], (size, lang, found)
        if size == "terminal":  # the whole sign-in, pad included, without scrolling
            submit = page.locator("#login-form button[type=submit]").bounding_box()
            last = page.locator("#pin-pad [data-keys-toggle]").bounding_box()
            assert max(submit["y"] + submit["height"], last["y"] + last["height"]) <= 768
        sign_in(page, live_server, people["employee"][1], factories.PIN)
        header = page.locator("header.portal-header")
        # One button that signs out (and hands over), beside the language.
        assert header.locator("button").count() == 2
        assert header.locator("form[action='/auth/switch'] button").count() == 1
        page.goto(f"{live_server}/sops/{people['sop'][0]}")
        found = page.evaluate(MEASURE)
        assert found["overflow"] <= 0 and found["small"] == [], (size, lang, found)
        header.locator("button.portal-signout").click()
        page.wait_for_url(re.compile(r".*/auth/login\?ended=switched"))
        page.context.close()


# --- links inside swapped regions ----------------------------------------------------------------
# Every element that asks for a swap, and the region it swaps, found in the page itself; one
# source per region (a poll or a GET form before a POST). POST forms are sent with their text
# fields empty (the form comes back with its errors).
FIND_REGIONS = """() => {
  const sources = [...document.querySelectorAll('[hx-get], [hx-post]')];
  const rank = (el) => el.hasAttribute('hx-get') ? (el.tagName === 'A' ? 1 : 0) : 2;
  const regions = {};
  sources.forEach((el, index) => {
    const spec = el.getAttribute('hx-target');
    const target = !spec || spec === 'this' ? el : document.querySelector(spec);
    if (!target || !target.id) return;
    const found = regions[target.id];
    if (!found || rank(el) < found.rank) {
      regions[target.id] = {target: target.id, index, rank: rank(el)};
    }
  });
  return Object.values(regions);
}"""

TRIGGER = """async ({index, target}) => {
  const el = [...document.querySelectorAll('[hx-get], [hx-post]')][index];
  const verb = el.hasAttribute('hx-get') ? 'GET' : 'POST';
  if (verb === 'POST' && el.tagName === 'FORM') {
    const text = 'input[type=text], input[type=search], input[type=password], input:not([type])';
    el.querySelectorAll(text + ', textarea').forEach((field) => { field.value = ''; });
  }
  await htmx.ajax(verb, el.getAttribute('hx-' + verb.toLowerCase()), {
    source: el, target: '#' + target, swap: el.getAttribute('hx-swap') || 'innerHTML'});
  await new Promise((done) => setTimeout(done, 50));
  const region = document.getElementById(target);
  if (!region) return null;
  const links = [...region.querySelectorAll('a[href]')].filter((a) =>
    !a.getAttribute('href').startsWith('#') && !a.hasAttribute('download') &&
    (a.target === '' || a.target === '_self') && a.getAttribute('hx-boost') !== 'false' &&
    !a.hasAttribute('hx-get') &&  // an action of its own (a pager, a sheet), not a way out
    a.getClientRects().length > 0);
  links.forEach((a, i) => a.setAttribute('data-region-link', String(i)));
  return links.map((a) => a.href);
}"""


def swap(page, region) -> list[str]:
    """Trigger the region's swap; the hrefs of the links inside it afterwards (none when the
    answer was a redirect to a whole page, as a valid form's is)."""
    try:
        return page.evaluate(TRIGGER, region) or []
    except PlaywrightError as error:
        if "context was destroyed" not in str(error):
            raise
        page.wait_for_load_state("networkidle")
        expect(page.locator(".portal-header")).to_have_count(1)
        return []


def walk(people, draft_id, prop_id, training=None, drill_id=None, room_id=None, inventory=None):
    sop, emp = people["sop"][0], people["employee"][0]
    # The inventory module's pages, where it is registered: stock, an item and its movement
    # form, a request, a new request, the room's top-up, its room type's par kit, a count.
    item_id, request_id, room_type_id, stocktake_id = inventory or (None, None, None, None)
    stores = [
        "/inventory/",
        f"/inventory/items/{item_id}",
        f"/inventory/items/{item_id}/move?kind=issue",
        f"/inventory/requests/{request_id}",
        "/inventory/requests/new",
        f"/inventory/rooms/{room_id}/top-up",
        f"/inventory/par/{room_type_id}",
        f"/inventory/stocktakes/{stocktake_id}",
    ]
    # The training module's pages, where it is registered (its ids made by the test).
    session_id, programme_id = training or (None, None)
    sup_training = [
        "/training/",
        f"/training/sessions/{session_id}",
        "/training/sessions/new",
        "/training/calendar?view=week",
    ]
    hr_training = [
        "/training/programmes",
        f"/training/programmes/{programme_id}/edit",
        "/training/compliance",
        "/training/certificates?show=all",
        "/training/certificates/new",
    ]
    return {
        "b.sup": [
            "/",
            f"/sops/{sop}/acknowledgements",
            f"/sops/{sop}/remind-all",
            "/sops/",
            f"/sops/{sop}",
            *(sup_training if training else []),
        ],
        "b.hr": [
            "/people/",
            "/people/new",
            f"/people/{emp}",
            f"/people/{emp}/edit",
            f"/people/{emp}/reset",
            "/audit/",
            "/sops/new",
            f"/sops/versions/{draft_id}/edit",
            "/people/job-titles/new",
            *(hr_training if training else []),
        ],
        "b.admin": [
            "/terminals/",
            f"/sops/settings/{prop_id}",
            # The drills module's pages, where it is registered (a group admin runs drills).
            *(
                [
                    f"/drills/{drill_id}",
                    "/drills/new",
                    "/drills/plans/new",
                    "/drills/actions",
                    "/drills/calendar?view=week",
                ]
                if drill_id
                else []
            ),
            # The rosters module's pages, where it is registered (a group admin runs
            # housekeeping): the board (its tiles inside the polled region), a room, history.
            *(
                ["/rosters/", f"/rosters/rooms/{room_id}", "/rosters/history", "/rosters/areas"]
                if room_id
                else []
            ),
            *(stores if inventory else []),
        ],
        people["employee"][1]: [f"/sops/{sop}", *(["/rosters/mine"] if room_id else [])],
    }


def templates_with_regions() -> set[str]:
    """Page templates with an element that swaps a region, that some view renders."""
    code = "\n".join(p.read_text() for p in PORTAL.rglob("*.py"))
    found = set()
    for path in TEMPLATES.rglob("*.html"):
        name = path.relative_to(TEMPLATES).as_posix()
        if name.startswith("_"):
            continue
        if re.search(r"\bhx-(get|post)=", path.read_text()) and f'"{name}"' in code:
            found.add(name)
    return found


# Reached only while a document renders in the background; its one link is not boosted.
NOT_WALKED = {"pdf/preparing.html"}


def test_links_inside_swapped_regions_open_whole_pages(live_server, new_page, people, app):
    with app.app_context():
        prop = _db.session.scalar(select(Property).where(Property.code == "BRW"))
        draft = factories.sop(number="HK-090", prop=prop, title="Linen par", effective=False)
        training = None
        if "training" in app.blueprints:
            from tests.training import helpers as training_helpers

            hr = _db.session.scalar(select(User).where(User.username == "b.hr"))
            running = training_helpers.running_session(prop, by=hr)
            for staff_no in ("E7001", "E7002"):
                person = _db.session.scalar(select(User).where(User.staff_no == staff_no))
                training_helpers.seat(running, person)
            training = (running.id, running.programme_id)
        drill_id = None
        if "drills" in app.blueprints:
            from tests.drills import helpers as drill_helpers

            admin = _db.session.scalar(select(User).where(User.username == "b.admin"))
            with app.test_request_context():
                drill_id = drill_helpers.running(prop, by=admin).id
        room_id = None
        if "rosters" in app.blueprints:
            from tests.rosters import helpers as roster_helpers

            attendant = _db.session.scalar(select(User).where(User.staff_no == "E7001"))
            with app.test_request_context():
                room = roster_helpers.room(prop, "301", floor=3)
                roster_helpers.listed(room, attendant)
                room_id = room.id
        inventory = None
        if "inventory" in app.blueprints and room_id:
            from portal.blueprints.inventory import requests as supply
            from portal.blueprints.inventory.models import StoreKind
            from tests.inventory import helpers as inventory_helpers

            admin = _db.session.scalar(select(User).where(User.username == "b.admin"))
            with app.test_request_context():
                main = inventory_helpers.store(prop, StoreKind.MAIN, name_en="Main store")
                pantry = inventory_helpers.store(prop, StoreKind.PANTRY, floor=3)
                towel = inventory_helpers.item(prop, "Bath towel")
                inventory_helpers.stocked(main, towel, 40, by=admin)
                inventory_helpers.stocked(pantry, towel, 20, by=admin)
                inventory_helpers.par_kit(room.room_type, {towel: 2}, by=admin)
                roster_helpers.cleaning_row(room, attendant, finished=True)
                asked = supply.create(attendant, main, "Room 301", [(towel, 2)])
                from portal.blueprints.inventory import stocktake

                sheet = stocktake.freeze(pantry, by=admin)
                inventory = (towel.id, asked.id, room.room_type_id, sheet.id)
        _db.session.commit()
        draft_id, prop_id = draft.id, prop.id
        _db.session.remove()
    rendered = set()

    def record(sender, template, context, **extra):
        rendered.add(template.name)

    template_rendered.connect(record, app)
    checked = []
    try:
        for who, paths in walk(
            people, draft_id, prop_id, training, drill_id, room_id, inventory
        ).items():
            page = new_page("tablet", has_touch=True)
            secret = factories.PIN if who.startswith("E") else factories.PASSWORD
            sign_in(page, live_server, who, secret)
            for path in paths:
                url = f"{live_server}{path}"
                page.goto(url)
                for region in page.evaluate(FIND_REGIONS):
                    page.goto(url)
                    links = swap(page, region)
                    for i, href in enumerate(links):
                        if i:  # the page and the swap again, then the next link
                            page.goto(url)
                            swap(page, region)
                        page.tap(f'[data-region-link="{i}"]')
                        page.wait_for_url(href)
                        page.wait_for_load_state("networkidle")
                        where = (path, region["target"], href)
                        assert page.locator(".portal-header").count() == 1, where
                        assert page.locator("#main").count() == 1, where
                        checked.append(where)
            page.context.close()
    finally:
        template_rendered.disconnect(record, app)
    targets = {target for _path, target, _href in checked}
    assert {"coverage-table", "people-results", "sop-results"} <= targets, targets
    assert any("/sops/people/" in href for _p, t, href in checked if t == "coverage-table")
    missing = templates_with_regions() - rendered - NOT_WALKED
    assert not missing, f"pages with swapped regions this test does not visit: {missing}"


def test_a_name_in_the_acknowledgement_table_opens_its_page(live_server, new_page, people):
    """The case that was seen: on a tablet, after the table refreshed itself."""
    page = new_page("tablet", has_touch=True)
    sign_in(page, live_server, "b.sup", factories.PASSWORD)
    page.goto(f"{live_server}/sops/{people['sop'][0]}/acknowledgements")
    with page.expect_response(lambda r: "/acknowledgements" in r.url):
        page.evaluate("htmx.trigger(document.body, 'sops:acknowledged')")
    page.wait_for_timeout(100)
    row = page.locator(f"#coverage-{people['employee'][0]}")
    row.get_by_role("link", name="Li Na").tap()
    page.wait_for_url(urljoin(live_server, f"/sops/people/{people['employee'][0]}"))
    assert page.locator(".portal-header").count() == 1
    assert page.locator("#coverage-table").count() == 0

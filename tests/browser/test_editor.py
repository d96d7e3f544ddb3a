"""The SOP editor in a browser: leaving with unsaved changes asks first (not after a save),
steps move with their buttons and by drag and keep what was typed, a new step gets the focus,
the Save stays in reach on a phone without covering the last field, and text areas grow."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.blueprints.people.models import Property
from portal.blueprints.sops import services
from portal.blueprints.sops.models import SopVersion
from portal.extensions import db as _db
from tests import factories
from tests.browser.conftest import AXE, MEASURE, SIZES, sign_in

STEPS = 8


@pytest.fixture
def draft(app, people):
    """Version 1.1 of HK-001 being written: eight steps, long enough to scroll on any screen."""
    with app.app_context():
        prop = _db.session.scalar(select(Property).where(Property.code == "BRW"))
        first = factories.sop(number="HK-080", prop=prop, dept="HK", title="Linen par", steps=STEPS)
        version = services.new_version(first.sop, by=first.author, major=False)
        _db.session.commit()
        version_id = version.id
        _db.session.remove()
    return version_id


def editor(page, base: str, version_id: int) -> None:
    sign_in(page, base, "b.hr", factories.PASSWORD)
    page.goto(f"{base}/sops/versions/{version_id}/edit")
    expect(page.locator("#sop-form")).to_be_visible()


def texts(page) -> list[str]:
    """The English texts of the steps as the form would send them: in the order of their names."""
    return page.evaluate(
        """() => [...document.querySelectorAll('#sop-form textarea[name$="-text_en"]')]
          .sort((a, b) => parseInt(a.name.split('-')[1]) - parseInt(b.name.split('-')[1]))
          .map((t) => t.value)"""
    )


def settle(page) -> None:
    """Wait until a smooth scroll has come to rest."""
    last = None
    page.wait_for_timeout(200)
    for _ in range(50):
        now = page.evaluate("window.scrollY")
        if now == last:
            return
        last = now
        page.wait_for_timeout(100)


def saved_texts(app, version_id: int) -> list[str]:
    with app.app_context():
        version = _db.session.get(SopVersion, version_id)
        found = [step.text_en for step in version.steps]
        _db.session.remove()
    return found


def test_leaving_with_unsaved_changes_asks_first_and_a_save_does_not(
    live_server, new_page, draft, app
):
    page = new_page("terminal")
    editor(page, live_server, draft)
    url = page.url
    asked: list[str] = []
    answers = iter([False, False])

    def answer(dialog):
        asked.append(dialog.type)
        if next(answers, True):
            dialog.accept()
        else:
            dialog.dismiss()

    page.on("dialog", answer)
    # Nothing typed yet: a link leaves without a question.
    page.get_by_role("link", name="SOP library").first.click()
    page.wait_for_url(f"{live_server}/sops/")
    assert asked == []
    page.goto(url)

    page.locator("#steps-2-text_en").fill("Count the towels twice")
    expect(page.locator("[data-unsaved-state]")).to_be_visible()  # "Not saved yet"
    # A boosted link (htmx): the portal asks; staying keeps the page and what was typed.
    page.get_by_role("link", name="Home").click()
    page.wait_for_timeout(300)
    assert asked == ["confirm"] and page.url == url
    assert page.locator("#steps-2-text_en").input_value() == "Count the towels twice"
    # A plain navigation (signing out is a plain form post): the browser asks.
    page.click("button.portal-signout")
    page.wait_for_timeout(300)
    assert asked == ["confirm", "beforeunload"] and page.url == url
    assert page.locator("#steps-2-text_en").input_value() == "Count the towels twice"
    # Saving leaves for the version's page without a question.
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(rf".*/sops/versions/{draft}$"))
    assert asked == ["confirm", "beforeunload"]
    assert "Draft saved." in page.inner_text("main")
    assert saved_texts(app, draft)[2] == "Count the towels twice"
    # Leaving the editor after the answer: asked again, and this time we go.
    page.goto(url)
    page.locator("#title_en").fill("Linen par levels")
    page.get_by_role("link", name="Home").click()
    page.wait_for_url(f"{live_server}/")
    assert asked == ["confirm", "beforeunload", "confirm"]


@pytest.mark.parametrize("size", ["tablet", "phone"])
def test_steps_move_up_and_down_and_by_drag_keeping_the_text(
    live_server, new_page, draft, app, size
):
    page = new_page(size)
    editor(page, live_server, draft)
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator("#steps-1-text_en").fill("Typed into step 2")
    page.locator("#steps-1-text_zh").fill("第二步新写的")
    # "Down": htmx swaps the form, step 2 is third now, with its text and its focus.
    page.evaluate("window.__notReloaded = true")
    page.get_by_role("button", name="Move step 2 down").click()
    expect(page.locator("#steps-2-text_en")).to_have_value("Typed into step 2")
    assert page.locator("#steps-2-text_zh").input_value() == "第二步新写的"
    assert page.evaluate("document.activeElement.id") == "move-down-2"
    assert page.locator("#step-3 .portal-step-title").inner_text() == "Step 3"
    assert page.locator("#sop-form").get_attribute("data-unsaved") == "true"
    assert page.evaluate("window.__notReloaded") is True  # the form swapped, not the page
    assert page.locator(".portal-header").count() == 1
    # "Up" brings it back.
    page.get_by_role("button", name="Move step 3 up").click()
    expect(page.locator("#steps-1-text_en")).to_have_value("Typed into step 2")
    expected = ["Step 1 in English", "Typed into step 2"] + [
        f"Step {n} in English" for n in range(3, STEPS + 1)
    ]
    assert texts(page) == expected

    # Drag step 3 by its handle to the top of the screen: the page scrolls up while the finger
    # (here the mouse) waits there, and step 3 becomes the first. The fields follow.
    handle = page.locator("#step-3 [data-drag-handle]")
    expect(handle).to_be_visible()
    handle.scroll_into_view_if_needed()
    page.evaluate(
        "window.scrollBy({top: -40, behavior: 'instant'})"
    )  # the handle clear of the top edge
    assert page.evaluate("window.scrollY") > 0
    box = handle.bounding_box()
    x = box["x"] + box["width"] / 2
    page.mouse.move(x, box["y"] + box["height"] / 2)
    page.mouse.down()
    for y in (box["y"] - 20, box["y"] / 2, 20):
        page.mouse.move(x, y)
    for _ in range(100):  # the page scrolls by itself while the pointer waits at the edge
        if page.evaluate("window.scrollY") == 0:
            break
        page.wait_for_timeout(100)
    page.mouse.move(x, 15)
    page.mouse.up()
    moved = ["Step 3 in English", "Step 1 in English", "Typed into step 2", *expected[3:]]
    assert texts(page) == moved
    assert page.locator("#step-1 .portal-step-title").inner_text() == "Step 1"
    assert page.locator("#step-1 #steps-0-text_en").input_value() == "Step 3 in English"
    assert page.locator("#step-3 [name=move][value=up-2]").count() == 1
    assert page.locator("#step-1 [data-move=up]").is_disabled()
    assert not page.locator("#step-3 [data-move=up]").is_disabled()
    assert page.locator("[data-step-status]").inner_text() == "Step 3 moved to place 1."
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
        "Drag step 1 to another place"
    )
    # The handle keeps the focus; arrow keys move the step too.
    page.keyboard.press("ArrowDown")
    moved = ["Step 1 in English", "Step 3 in English", "Typed into step 2", *expected[3:]]
    assert texts(page) == moved
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
        "Drag step 2 to another place"
    )
    # Saved, the server has them in that order.
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(rf".*/sops/versions/{draft}$"))
    assert saved_texts(app, draft) == moved


def test_a_new_step_has_the_focus(live_server, new_page, draft):
    page = new_page("tablet-portrait")
    editor(page, live_server, draft)
    page.get_by_role("button", name="Add a step").click()
    new = page.locator(f"#steps-{STEPS}-text_en")
    expect(new).to_be_focused()
    box = new.bounding_box()
    bar = page.locator(".portal-savebar").bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= bar["y"]  # in sight, above the bar
    page.keyboard.type("Close the door gently")
    assert page.locator("#sop-form").get_attribute("data-unsaved") == "true"


@pytest.mark.parametrize("size", list(SIZES))
def test_the_save_stays_in_reach_and_covers_no_field(live_server, new_page, draft, size):
    page = new_page(size)
    editor(page, live_server, draft)
    height = SIZES[size][1]
    save = page.get_by_role("button", name="Save draft")
    total = page.evaluate("document.documentElement.scrollHeight")
    assert total > 2 * height  # a long page: the point of the bar
    for where in (0, total // 3, total // 2):
        page.evaluate(f"window.scrollTo({{top: {where}, behavior: 'instant'}})")
        box = save.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44
        assert box["y"] >= 0 and box["y"] + box["height"] <= height, (where, box)
    # At the end of the page the bar sits below the last field, covering none of it.
    page.evaluate(
        "window.scrollTo({top: document.documentElement.scrollHeight, behavior: 'instant'})"
    )
    bar = page.locator(".portal-savebar").bounding_box()
    last = page.locator("#sop-form .portal-kind").last.bounding_box()
    assert last["y"] + last["height"] <= bar["y"]
    # A field reached with the keyboard is not hidden under the bar.
    page.evaluate("window.scrollTo({top: 0, behavior: 'instant'})")
    page.locator(f"#steps-{STEPS - 1}-note_en").focus()  # then Tab, as a person does
    page.evaluate("window.scrollTo({top: 0, behavior: 'instant'})")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == f"steps-{STEPS - 1}-note_zh"
    settle(page)  # the page scrolls smoothly to the focused field
    field = page.locator(f"#steps-{STEPS - 1}-note_zh").bounding_box()
    bar = page.locator(".portal-savebar").bounding_box()
    assert field["y"] + field["height"] <= bar["y"]
    found = page.evaluate(MEASURE)
    assert found["overflow"] <= 0 and found["small"] == [], found


def test_text_areas_grow_with_their_text(live_server, new_page, draft):
    page = new_page("phone")
    editor(page, live_server, draft)
    cut = page.evaluate(
        """() => [...document.querySelectorAll('#sop-form textarea')]
          .filter((t) => t.scrollHeight > t.clientHeight + 1).map((t) => t.id)"""
    )
    assert cut == []  # no text is cut off when the page opens
    area = page.locator("#purpose_en")
    before = area.bounding_box()["height"]
    area.fill("\n".join(f"Line {n} of a purpose that takes many lines." for n in range(1, 9)))
    grown = page.evaluate(
        "() => { const t = document.getElementById('purpose_en');"
        " return [t.getBoundingClientRect().height, t.scrollHeight, t.clientHeight]; }"
    )
    assert grown[0] > before * 2
    assert grown[1] <= grown[2] + 1  # all of it shows


def test_the_editor_and_an_overdue_version_have_no_serious_accessibility_violations(
    live_server, new_page, draft, app
):
    with app.app_context():
        version = _db.session.get(SopVersion, draft)
        first = next(v for v in version.sop.versions if v.number == "1.0")
        first.review_date = first.effective_date - timedelta(days=1)  # a review overdue
        _db.session.commit()
        first_id = first.id
        _db.session.remove()
    page = new_page("terminal", bypass_csp=True)  # to inject axe-core; the portal keeps its CSP
    sign_in(page, live_server, "b.admin", factories.PASSWORD)
    for path in (f"/sops/versions/{draft}/edit", f"/sops/versions/{first_id}"):
        page.goto(f"{live_server}{path}")
        if "edit" not in path:
            expect(page.locator("#review-due")).to_contain_text("Review overdue")
            expect(page.get_by_role("button", name="Reviewed, still valid")).to_be_visible()
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document)")
        bad = [
            f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert bad == [], path

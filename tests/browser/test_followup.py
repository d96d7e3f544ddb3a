"""A supervisor follows up an SOP on a tablet: reminding moves nothing under the finger,
"remind everyone outstanding" asks in a sheet and answers in place, coverage badges show their
level in a colour and a word, and every link and button of home cards and tables is 44 px tall."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from portal.blueprints.people.models import User
from portal.blueprints.sops import reading
from portal.blueprints.sops.models import Sop
from portal.extensions import db as _db
from tests import factories
from tests.browser.conftest import SIZES, sign_in


def tap(page, locator) -> None:
    """A finger on the middle of the control, where it is now (no scrolling first)."""
    box = locator.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


BOXES = """(ids) => ids.map(id => {
  const el = document.getElementById(id);
  const r = el.getBoundingClientRect();
  return [Math.round(r.x), Math.round(r.y), Math.round(r.width), Math.round(r.height)];
})"""

TOUCH = """(root) => {
  const small = [];
  for (const scope of document.querySelectorAll(root)) {
    for (const el of scope.querySelectorAll('a[href], button')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.height < 44 || r.width < 44) {
        const label = (el.innerText || '').trim().slice(0, 30);
        small.push(`${el.tagName} ${label} ${Math.round(r.width)}x${Math.round(r.height)}`);
      }
    }
  }
  return small;
}"""


@pytest.fixture
def follow_up(app, people):
    """Three SOPs of Housekeeping: HK-001 nobody has read (low), HK-002 about half (partial),
    HK-003 all but one (good); Zhang Wei was reminded of HK-001 by the supervisor."""
    with app.app_context():
        prop_id = _db.session.get(User, people["supervisor"][0]).property_id
        first = _db.session.get(Sop, people["sop"][0])
        prop = first.property
        readers = list(
            _db.session.scalars(
                _db.select(User)
                .where(User.property_id == prop_id, User.department_id == first.department_id)
                .order_by(User.staff_no)
            )
        )
        partial = factories.sop(number="HK-002", prop=prop, dept="HK", title="Towel change")
        good = factories.sop(number="HK-003", prop=prop, dept="HK", title="Lost and found")
        for person in readers[: len(readers) // 2 + 1]:
            reading.acknowledge(partial.sop, partial, person)
        for person in readers[1:]:
            reading.acknowledge(good.sop, good, person)
        supervisor = _db.session.get(User, people["supervisor"][0])
        zhang = _db.session.get(User, people["zh_employee"][0])
        reading.remind(first, zhang, by=supervisor)
        _db.session.commit()
        _db.session.remove()
    return people


def open_table(page, live_server, people):
    sign_in(page, live_server, "b.sup", factories.PASSWORD)
    page.goto(f"{live_server}/sops/{people['sop'][0]}/acknowledgements")
    expect(page.locator("#coverage-table")).to_be_visible()


def remindable_rows(page) -> list[str]:
    return page.eval_on_selector_all(
        "#coverage-table tbody tr",
        "rows => rows.filter(r => r.querySelector('form button')).map(r => r.id)",
    )


@pytest.mark.parametrize("size", ["tablet", "tablet-portrait", "phone"])
def test_reminding_moves_no_row_under_the_finger(live_server, new_page, follow_up, size):
    page = new_page(size)
    open_table(page, live_server, follow_up)
    supervisor_row = f"coverage-{follow_up['supervisor'][0]}"
    assert page.locator(f"#{supervisor_row}").count() == 0  # she follows the others up
    rows = remindable_rows(page)
    tapped, below = rows[2], rows[3]
    # The tapped button a little below the top of the screen, the next one in view under it.
    page.eval_on_selector(
        f"#{tapped} form button",
        "b => { b.scrollIntoView({block: 'start', behavior: 'instant'});"
        " window.scrollBy({top: -120, behavior: 'instant'}); }",
    )
    ids = [tapped, below, "coverage-table"]
    before = page.evaluate(BOXES, ids)
    next_button = page.locator(f"#{below} form button").bounding_box()
    assert next_button["y"] + next_button["height"] <= SIZES[size][1], "the next button in view"

    tap(page, page.locator(f"#{tapped} form button"))
    toast = page.locator("#coverage-status .alert")
    expect(toast).to_contain_text("will see a reminder when they sign in")
    expect(page.locator(f"#{tapped}")).to_contain_text("Reminded today")

    after = page.evaluate(BOXES, ids)
    # The tapped row, the next one and the table are exactly where they were (x, y, size).
    assert after == before, (before, after)
    assert page.locator(f"#{below} form button").bounding_box() == next_button
    # The message floats in a fixed place: nothing was put above the table.
    assert page.eval_on_selector("#coverage-status", "e => getComputedStyle(e).position") == "fixed"
    assert page.inner_text("#flash").strip() == ""
    assert page.locator("header.portal-header").count() == 1
    # The toast does not catch taps: the next person is reminded through it, and still
    # nothing moves.
    tap(page, page.locator(f"#{below} form button"))
    expect(page.locator(f"#{below}")).to_contain_text("Reminded today")
    assert page.evaluate(BOXES, ids) == before


@pytest.mark.parametrize("size", ["tablet", "phone"])
def test_remind_everyone_asks_in_a_sheet_and_answers_in_place(
    live_server, new_page, follow_up, size
):
    page = new_page(size)
    open_table(page, live_server, follow_up)
    rows = remindable_rows(page)
    ids = [rows[0], rows[-1], "coverage-table"]
    # The button in view first, as a thumb finds it: the click would scroll to it, and the
    # boxes are measured in the viewport.
    page.locator("#remind-all").scroll_into_view_if_needed()
    before = page.evaluate(BOXES, ids)

    page.click("#remind-all")
    sheet = page.locator("#remind-sheet")
    expect(sheet).to_be_visible()
    # Zhang Wei was reminded today already: everyone else who has not read it (the supervisor
    # herself left out) is asked about.
    expect(sheet).to_contain_text(f"{len(rows)} people will see a reminder")
    expect(sheet).to_contain_text("1 person was reminded today already and is left out.")
    assert page.eval_on_selector("#coverage-sheet", "e => getComputedStyle(e).position") == "fixed"
    assert page.evaluate(BOXES, ids) == before  # the sheet covers, it does not push

    sheet.get_by_role("button", name=re.compile(r"Remind \d+ people")).click()
    expect(page.locator("#coverage-status .alert")).to_contain_text(f"Reminded {len(rows)} people.")
    expect(page.locator("#remind-sheet")).to_have_count(0)
    assert page.evaluate(BOXES, ids) == before
    assert remindable_rows(page) == []  # everyone reminded today

    # A second tap (or a retry): nobody is reminded twice, and the sheet says so.
    page.click("#remind-all")
    expect(page.locator("#remind-sheet")).to_contain_text("Nobody is left to remind now.")
    page.locator("#remind-sheet").get_by_role("link", name="Close").click()
    expect(page.locator("#remind-sheet")).to_have_count(0)
    assert page.locator("header.portal-header").count() == 1


def test_coverage_badges_show_the_level_in_colour_and_words(live_server, new_page, follow_up):
    page = new_page("tablet")
    sign_in(page, live_server, "b.sup", factories.PASSWORD)
    card = page.locator("#card-sop-coverage")
    looks = {}
    for number, word in (("HK-001", "Low"), ("HK-002", "Partial"), ("HK-003", "Good")):
        entry = card.locator("li").filter(has_text=number)
        badge = entry.locator(".badge")
        expect(badge).to_contain_text(word)
        assert badge.locator("svg").count() == 1  # an icon too
        looks[word] = badge.evaluate("e => getComputedStyle(e).backgroundColor")
    assert len(set(looks.values())) == 3, looks
    # The count is a link to who has not read it.
    entry = card.locator("li").filter(has_text="HK-001")
    entry.get_by_role("link", name=re.compile("not yet")).click()
    page.wait_for_url(re.compile(r".*/acknowledgements\?outstanding=1$"))
    expect(page.locator("#coverage-table .badge.portal-level-low")).to_contain_text("Low")


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_links_and_buttons_of_cards_and_tables_are_44px(
    live_server, new_page, follow_up, size, locale
):
    for who, secret, paths in (
        ("b.sup", factories.PASSWORD, ["/", f"/sops/{follow_up['sop'][0]}/acknowledgements"]),
        ("E7002", factories.PIN, ["/"]),
        ("b.hr", factories.PASSWORD, ["/", f"/sops/people/{follow_up['employee'][0]}"]),
    ):
        page = new_page(size, locale=locale)
        sign_in(page, live_server, who, secret)
        for path in paths:
            page.goto(f"{live_server}{path}")
            small = page.evaluate(TOUCH, ".portal-card, table, #coverage-table")
            assert small == [], (who, path, size, locale, small)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, (who, path, size, locale)
        page.context.close()


def test_the_employee_sees_who_reminded_them_in_chinese(live_server, new_page, follow_up):
    page = new_page("terminal")
    sign_in(page, live_server, "E7002", factories.PIN)  # Zhang Wei reads Chinese
    card = page.locator("#card-sops-to-read")
    entry = card.locator("li").filter(has_text="HK-001")
    expect(entry.locator(".badge")).to_have_text(re.compile(r"\s*主管已提醒\s*"))
    expect(entry).to_contain_text("提醒您阅读")
    expect(entry).to_contain_text("起待阅读")

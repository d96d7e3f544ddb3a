"""A marshal on a 1024x768 tablet runs a drill from the alarm to the all-clear: the timer runs
from the alarm time the server stored, so a reload mid-drill shows the same running time; roll
call taps swap their rows without reloading the page; the record shows the evacuation time."""

import re

from sqlalchemy import select

from portal.blueprints.drills.models import Drill, RollCall
from portal.extensions import db as _db
from tests import factories
from tests.browser.conftest import MEASURE, sign_in
from tests.drills import helpers


def _seconds(text: str) -> int:
    minutes, seconds = re.fullmatch(r"\s*(\d+):(\d\d)\s*", text).groups()
    return int(minutes) * 60 + int(seconds)


def test_a_marshal_runs_a_drill_from_alarm_to_all_clear(app, live_server, new_page, people):
    with app.test_request_context():
        prop = factories.property_("BRW")
        keeper = factories.person("manager", prop=prop, username="b.security", dept="FO")
        drill = helpers.drill(prop, helpers.plan(prop, by=keeper, code="FIRE-B1"), by=keeper)
        _db.session.commit()
        drill_id = drill.id
        _db.session.remove()

    page = new_page("tablet")
    sign_in(page, live_server, "b.security", factories.PASSWORD)
    page.goto(f"{live_server}/drills/{drill_id}")
    page.get_by_role("button", name="Start drill: alarm now").click()
    timer = page.locator(".portal-timer")
    timer.wait_for()
    page.wait_for_load_state("load")  # the page after the alarm, with its styles
    found = page.evaluate(MEASURE)
    assert found["overflow"] <= 0 and found["small"] == [], found
    page.wait_for_function(
        "() => { const t = document.querySelector('.portal-timer').textContent;"
        " return parseInt(t.split(':')[1], 10) >= 2; }"
    )
    before = _seconds(timer.inner_text())
    # The tablet reloads (or wakes from sleep): the time is the server's, it goes on from there.
    page.reload()
    assert _seconds(page.locator(".portal-timer").inner_text()) >= before
    # Roll call: each tap swaps its row in place, and the count follows.
    page.evaluate("window.__sameDocument = true")
    rows = page.locator(".portal-roll-row")
    first_ids = [rows.nth(i).get_attribute("id") for i in range(3)]
    for row_id in first_ids:
        page.locator(f"#{row_id} button", has_text="Accounted for").click()
        page.locator(f"#{row_id}.is-marked").wait_for()
    assert "3 of" in page.locator("#roll-count").inner_text()
    assert page.evaluate("window.__sameDocument") is True
    page.get_by_role("button", name="All clear: everyone is out").click()
    result = page.locator("#evacuation-time")
    result.wait_for()
    assert re.search(r"0 min 0[2-9] s|0 min [1-5]\d s", result.inner_text()), result.inner_text()
    assert page.locator("#record-form").is_visible()
    with app.app_context():
        stored = _db.session.get(Drill, drill_id)
        assert stored.all_clear_at > stored.alarm_at
        shown = _seconds_of(result.inner_text())
        assert shown == int((stored.all_clear_at - stored.alarm_at).total_seconds())
        taps = _db.session.scalars(select(RollCall).where(RollCall.drill_id == drill_id)).all()
        assert len(taps) == 3 and all(t.accounted for t in taps)
        _db.session.remove()


def _seconds_of(label: str) -> int:
    minutes, seconds = re.search(r"(\d+) min (\d+) s", label).groups()
    return int(minutes) * 60 + int(seconds)

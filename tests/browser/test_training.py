"""A supervisor on a 1024x768 tablet calls the roll of a whole session by tapping: each tap
swaps its row in place, the page is never reloaded, and the marks are stored."""

from sqlalchemy import select

from portal.blueprints.training.models import Attendance
from portal.extensions import db as _db
from tests import factories
from tests.browser.conftest import MEASURE, sign_in
from tests.training import helpers


def test_supervisor_marks_a_whole_session_on_a_tablet(app, live_server, new_page, people):
    with app.test_request_context():
        prop = factories.property_("BRW")
        session = helpers.running_session(prop, capacity=12)
        attendees = [
            factories.person("employee", prop=prop, name_en=f"Trainee {i}", name_zh=f"学员{i}")
            for i in range(6)
        ]
        seats = [helpers.seat(session, person) for person in attendees]
        _db.session.commit()
        session_id, seat_ids = session.id, [s.id for s in seats]
        _db.session.remove()

    page = new_page("tablet")
    sign_in(page, live_server, people["supervisor"][2], factories.PASSWORD)
    page.goto(f"{live_server}/training/sessions/{session_id}")
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads
    found = page.evaluate(MEASURE)
    assert found["overflow"] <= 0 and found["small"] == [], found
    marks = ["present", "present", "late", "absent", "excused", "present"]
    labels = {"present": "Present", "late": "Late", "absent": "Absent", "excused": "Excused"}
    for seat_id, mark in zip(seat_ids, marks, strict=True):
        row = page.locator(f"#enrolment-{seat_id}")
        row.locator(f".portal-mark-{mark}").click()
        page.locator(f"#enrolment-{seat_id} .portal-mark-{mark}.is-current").wait_for()
        assert labels[mark] in page.locator(f"#enrolment-{seat_id} [data-state]").inner_text()
    assert page.evaluate("window.__sameDocument") is True
    assert page.locator(".portal-roll-row.is-marked").count() == 6
    # A score for someone present, in place too.
    first = page.locator(f"#enrolment-{seat_ids[0]}")
    first.locator("input[name=score]").fill("84")
    first.locator("button", has_text="Save score").click()
    page.locator(f"#enrolment-{seat_ids[0]} [data-state]", has_text="Score 84").wait_for()
    assert page.evaluate("window.__sameDocument") is True
    with app.app_context():
        stored = {
            a.enrolment_id: a.mark
            for a in _db.session.scalars(select(Attendance).order_by(Attendance.id))
        }
        _db.session.remove()
    assert [stored[i] for i in seat_ids] == marks

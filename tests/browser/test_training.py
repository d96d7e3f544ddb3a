"""A supervisor on a 1024x768 tablet calls the roll of a whole session by tapping: each tap
swaps its row in place, the page is never reloaded, the marks are stored, and the compliance
matrix shows who has now done the programme."""

from datetime import timedelta

from sqlalchemy import select

from portal.blueprints.training.models import Attendance
from portal.extensions import db as _db
from tests import factories
from tests.browser.conftest import MEASURE, sign_in
from tests.training import helpers


def test_supervisor_marks_a_whole_session_on_a_tablet(app, live_server, new_page, people):
    with app.test_request_context():
        prop = factories.property_("BRW")
        # The roll of a session that ended an hour ago (called afterwards, as often happens).
        programme = helpers.programme(
            prop, title_en="Roll-call briefing", roles=["employee"], pass_mark=60
        )
        session = helpers.session(
            prop, programme_=programme, starts_in=timedelta(hours=-3), hours=2, capacity=12
        )
        attendees = [
            factories.person("employee", prop=prop, name_en=f"Trainee {i}", name_zh=f"学员{i}")
            for i in range(6)
        ]
        seats = [helpers.seat(session, person) for person in attendees]
        _db.session.commit()
        session_id, seat_ids = session.id, [s.id for s in seats]
        person_ids = [p.id for p in attendees]
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
    # Scores for those who came, in place too; pass or fail follows the pass mark (60).
    scores = {0: "84", 1: "72", 2: "45", 5: "90"}
    for index, score in scores.items():
        row = page.locator(f"#enrolment-{seat_ids[index]}")
        row.locator("input[name=score]").fill(score)
        row.locator("button", has_text="Save score").click()
        page.locator(
            f"#enrolment-{seat_ids[index]} [data-state]", has_text=f"Score {score}"
        ).wait_for()
    assert page.evaluate("window.__sameDocument") is True
    with app.app_context():
        stored = {
            a.enrolment_id: a.mark
            for a in _db.session.scalars(select(Attendance).order_by(Attendance.id))
        }
        _db.session.remove()
    assert [stored[i] for i in seat_ids] == marks
    # The compliance matrix: those who came and passed have done it; the one who failed, the
    # absent and the excused have not.
    page.goto(f"{live_server}/training/compliance")
    heads = page.locator("#compliance-matrix thead tr").first.locator("th").all_inner_texts()
    column = [h.strip() for h in heads].index("Roll-call briefing") - 1  # after the names
    for index, person_id in enumerate(person_ids):
        cell = page.locator(f"#person-{person_id} td").nth(column).inner_text()
        assert ("Done" in cell) is (index in (0, 1, 5)), (index, cell)

"""Training's home cards: compliance per department (HR, managers) kept until something
changes, the learner's reminder of their next sessions, the supervisor's week ahead."""

from datetime import date, timedelta

from portal import memo
from portal.blueprints.training import cards
from portal.i18n import fmt_datetime
from tests import factories
from tests.conftest import text_of
from tests.training import helpers
from tests.training.test_compliance import backdate, took


def veteran(prop, dept="HK", **kw):
    return factories.person(
        "employee", prop=prop, dept=dept, hire_date=date.today() - timedelta(800), **kw
    )


def card_of(html: str, card_id: str) -> str:
    start = html.index(f'id="card-{card_id}"')
    return html[start:].split("</section>")[0]


def _world(prop):
    hr = factories.person("hr", prop=prop, dept="HR")
    programme = helpers.programme(prop, by=hr, title_en="Hand hygiene", roles=["employee"])
    backdate(programme, 400)
    hk_done, hk_never = veteran(prop), veteran(prop)
    fo_done = veteran(prop, dept="FO")
    took(programme, hk_done, days_ago=3, score=90)
    took(programme, fo_done, days_ago=3, score=90)
    return programme, hk_never


def test_hr_sees_compliance_per_department_the_worst_first(client, db, login_as):
    hr = login_as("hr", dept="HR")
    _world(hr.property)
    db.session.commit()
    html = client.get("/").get_data(as_text=True)
    card = card_of(html, "training-compliance")
    assert "Training compliance by department" in card
    hk = factories.department(hr.property, "HK")
    fo = factories.department(hr.property, "FO")
    # Housekeeping (one of two behind) comes before Front Office (all done).
    assert card.index(hk.name_en) < card.index(fo.name_en)
    assert "50% compliant" in card and "1 of 2 people behind" in card
    assert "100% compliant" in card and "Everyone up to date" in card
    assert f"/training/compliance?department={hk.id}" in card
    assert "People behind on training" in text_of(client.get("/"))


def test_the_card_is_kept_until_the_property_changes(client, db, login_as, count_queries):
    hr = login_as("hr", dept="HR")
    programme, behind = _world(hr.property)
    db.session.commit()
    client.get("/")  # computed and kept
    with count_queries() as kept:
        html = client.get("/").get_data(as_text=True)
    assert "1 of 2 people behind" in card_of(html, "training-compliance")
    assert not any("WITH person AS" in q for q in kept.statements)
    # Attendance is marked (the audit trail moves): the next home page counts it at once.
    took(programme, behind, days_ago=1, score=95)
    db.session.commit()
    with count_queries() as recomputed:
        html = client.get("/").get_data(as_text=True)
    assert any("WITH person AS" in q for q in recomputed.statements)
    assert recomputed.count == kept.count + 4
    card = card_of(html, "training-compliance")
    assert "1 of 2 people behind" not in card and "Everyone up to date" in card


def test_the_memo_keeps_a_key_once_and_drops_the_oldest(app):
    kept = memo.Memo(size=2)
    calls = []
    with app.app_context():
        for key in ("a", "b", "a", "c", "b"):
            kept.get(key, lambda key=key: calls.append(key) or key.upper())
    assert calls == ["a", "b", "c", "b"]  # "a" kept; "c" pushed the oldest ("b") out
    assert len(kept) == 2


def test_nothing_required_no_compliance_card(client, db, login_as):
    login_as("hr", dept="HR")
    db.session.commit()
    assert 'id="card-training-compliance"' not in client.get("/").get_data(as_text=True)


def test_a_supervisor_has_no_compliance_card(client, db, login_as):
    supervisor = login_as("supervisor", dept="HK")
    _world(supervisor.property)
    db.session.commit()
    html = client.get("/").get_data(as_text=True)
    assert 'id="card-training-today"' in html  # their own card
    assert 'id="card-training-compliance"' not in html


def test_the_card_speaks_chinese(client, db, login_as):
    hr = login_as("hr", dept="HR", locale="zh_Hans")
    _world(hr.property)
    db.session.commit()
    card = card_of(client.get("/").get_data(as_text=True), "training-compliance")
    hk = factories.department(hr.property, "HK")
    assert hk.name_zh in card and "各部门培训达标情况" in card


def test_a_learner_is_reminded_of_their_next_sessions(client, db, login_as):
    employee = login_as("employee", dept="HK")
    prop = employee.property
    soon = helpers.session(prop, starts_in=timedelta(days=1), room="Ballroom B")
    later = helpers.session(prop, starts_in=timedelta(days=9), room="Room 12")
    elsewhere = helpers.session(prop, starts_in=timedelta(days=2), room="Not mine")
    helpers.seat(soon, employee)
    helpers.seat(later, employee)
    db.session.commit()
    card = card_of(client.get("/").get_data(as_text=True), "my-training")
    assert "Ballroom B" in card and "Room 12" in card and "Not mine" not in card
    assert card.index("Ballroom B") < card.index("Room 12")
    assert f"/training/sessions/{soon.id}" in card
    assert f"/training/sessions/{elsewhere.id}" not in card
    assert "Tomorrow" in card  # 24 hours from now is tomorrow in the property's zone


def test_a_course_of_several_days_says_the_day_it_ends(client, app, db, login_as):
    employee = login_as("employee", dept="HK")
    course = helpers.session(employee.property, starts_in=timedelta(days=4), hours=50)
    helpers.seat(course, employee)
    db.session.commit()
    card = text_of(client.get("/"))
    with app.test_request_context():
        with_date = fmt_datetime(course.ends_at)  # "7 Dec 2026, 14:00": the day too
    assert f"until {with_date}" in " ".join(card.split())


def test_a_learner_without_a_seat_is_told_where_to_find_one(client, db, login_as):
    login_as("employee", dept="HK")
    db.session.commit()
    card = card_of(client.get("/").get_data(as_text=True), "my-training")
    assert "You are not enrolled in any session" in card


def test_the_reminder_shows_at_most_three_and_a_running_one_first(client, db, login_as):
    employee = login_as("employee", dept="HK")
    prop = employee.property
    running = helpers.running_session(prop, room="Now room")
    helpers.seat(running, employee)
    for days in (3, 4, 5):
        helpers.seat(helpers.session(prop, starts_in=timedelta(days=days)), employee)
    db.session.commit()
    card = card_of(client.get("/").get_data(as_text=True), "my-training")
    assert card.count("/training/sessions/") == cards.SESSIONS_SHOWN
    assert "Now room" in card and "Running now" in card


def test_a_supervisor_sees_their_peoples_week_ahead(client, db, login_as):
    supervisor = login_as("supervisor", dept="HK")
    prop = supervisor.property
    hk, fo = veteran(prop), veteran(prop, dept="FO")
    this_week = helpers.session(prop, starts_in=timedelta(days=3))
    next_month = helpers.session(prop, starts_in=timedelta(days=20))
    helpers.seat(this_week, hk)
    helpers.seat(this_week, fo)  # not one of theirs
    helpers.seat(next_month, hk)  # beyond the week
    db.session.commit()
    card = text_of(client.get("/"))
    assert "My people booked in the next 7 days 1" in " ".join(card.split())

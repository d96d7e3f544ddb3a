"""Training pages: bad input (message next to the field, 422, nothing written), fragments vs
pages, plain posts without JavaScript, a double tap, ids out of range."""

from datetime import timedelta

from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.blueprints.training.models import Attendance, Enrolment, Programme, TrainingSession
from tests import factories
from tests.conftest import text_of
from tests.training import helpers


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_programme_with_bad_fields_is_refused_next_to_them(client, db, login_as):
    login_as("hr", dept="HR")
    response = client.post_form(
        "/training/programmes/new",
        {
            "title_en": "",
            "title_zh": "",
            "kind": "picnic",
            "method": "classroom",
            "cadence": "monthly",
            "pass_mark": "101",
            "cost_per_session": "-5",
            "idempotency_key": "bad-programme-key-000001",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for field in ("title_zh", "kind", "pass_mark", "cost_per_session"):
        assert f'id="{field}-error"' in html, field
    assert "A pass mark is between 0 and 100." in text_of(response)
    assert count(db, Programme) == 0


def test_a_session_ending_before_it_starts_or_clashing_is_refused(client, db, login_as):
    hr = login_as("hr", dept="HR")
    programme = helpers.programme(hr.property, by=hr)
    existing = helpers.session(hr.property, programme_=programme, by=hr, room="Ballroom")
    db.session.commit()
    local = existing.starts_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai"))
    form = {
        "programme_id": str(programme.id),
        "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": local.strftime("%Y-%m-%dT%H:%M"),
        "room": "Ballroom",
        "trainer_id": str(factories.person("supervisor", prop=hr.property).id),
        "capacity": "9223372036854775808",
        "idempotency_key": "bad-session-key-00000001",
    }
    db.session.commit()
    response = client.post_form("/training/sessions/new", form)
    assert response.status_code == 422
    page = text_of(response)
    assert "The end must be after the start." in page and "between 1 and 200 seats" in page
    an_hour_later = local + timedelta(hours=1)  # past midnight too
    form.update(ends_at=an_hour_later.strftime("%Y-%m-%dT%H:%M"))
    form.update(capacity="5")
    response = client.post_form("/training/sessions/new", form)
    assert response.status_code == 422
    assert "Ballroom is taken by" in text_of(response)
    assert 'id="room-error"' in response.get_data(as_text=True)
    assert count(db, TrainingSession) == 1


def test_enrol_twice_with_a_double_tap_applies_once(client, db, login_as):
    employee = login_as("employee")
    session = helpers.session(employee.property)
    db.session.commit()
    form = {"idempotency_key": "double-tap-enrol-0000001"}
    first = client.post_form(f"/training/sessions/{session.id}/enrol", form)
    second = client.post_form(f"/training/sessions/{session.id}/enrol", form)
    assert first.status_code == second.status_code == 303
    assert count(db, Enrolment) == 1
    again = client.post_form(
        f"/training/sessions/{session.id}/enrol", {"idempotency_key": "another-key-enrol-000001"}
    )
    assert again.status_code == 422
    assert "is already enrolled in this session" in text_of(again)
    assert "You are enrolled." in text_of(client.get(f"/training/sessions/{session.id}"))


def test_a_full_session_offers_the_waiting_list(client, db, login_as):
    employee = login_as("employee")
    session = helpers.session(employee.property, capacity=1)
    helpers.seat(session, factories.person("employee", prop=employee.property))
    db.session.commit()
    page = text_of(client.get(f"/training/sessions/{session.id}"))
    assert "Full: join the waiting list" in page
    response = client.post_form(
        f"/training/sessions/{session.id}/enrol",
        {"idempotency_key": "waiting-list-key-0000001", "waiting_list": "1"},
    )
    assert response.status_code == 303
    assert "number 1 on the waiting list" in text_of(client.get(response.headers["Location"]))


def test_huge_ids_are_404(client, db, login_as):
    login_as("hr", dept="HR")
    huge = 2**63
    for url in (
        f"/training/sessions/{huge}",
        f"/training/sessions/{huge}/edit",
        f"/training/programmes/{huge}/edit",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post_form(f"/training/enrolments/{huge}/mark", {"mark": "present"}).status_code
        == 404
    )
    response = client.post_form(
        f"/training/sessions/{helpers.session(factories.property_()).id}/enrol",
        {"person_id": str(huge), "idempotency_key": "huge-person-key-00000001"},
    )
    assert response.status_code in (404, 422)


def _roll(db, prop):
    supervisor = factories.person("supervisor", prop=prop)
    session = helpers.running_session(prop)
    seat = helpers.seat(session, factories.person("employee", prop=prop, name_en="Ann Row"))
    db.session.commit()
    return supervisor, session, seat


def test_a_tap_with_htmx_swaps_the_row(client, db, login_as):
    supervisor = login_as("supervisor")
    _, _session, seat = _roll(db, supervisor.property)
    response = client.post_form(f"/training/enrolments/{seat.id}/mark", {"mark": "late"}, htmx=True)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith(
        f'<div class="portal-roll-row is-marked" id="enrolment-{seat.id}"'
    )
    assert "portal-header" not in html and "Ann Row: Late" in html  # the toast, out of band
    assert count(db, Attendance) == 1
    # A tap on the same button again changes nothing; a correction is a new row.
    client.post_form(f"/training/enrolments/{seat.id}/mark", {"mark": "late"}, htmx=True)
    client.post_form(f"/training/enrolments/{seat.id}/mark", {"mark": "present"}, htmx=True)
    rows = db.session.scalars(select(Attendance).order_by(Attendance.id)).all()
    assert [r.mark for r in rows] == ["late", "present"] and rows[1].corrects_id == rows[0].id


def test_a_tap_reads_again_only_the_new_mark(client, db, login_as, count_queries):
    """The row answered after a tap is the row as it now stands, in a fixed number of
    queries: nothing this request loaded is read twice (database.commit_keeping_loaded)."""
    supervisor = login_as("supervisor")
    _, _session, seat = _roll(db, supervisor.property)
    client.post_form(f"/training/enrolments/{seat.id}/mark", {"mark": "late"}, htmx=True)
    with count_queries() as tap:
        response = client.post_form(
            f"/training/enrolments/{seat.id}/mark", {"mark": "absent"}, htmx=True
        )
    html = response.get_data(as_text=True)
    assert "portal-mark-absent is-current" in html and "portal-mark-late is-current" not in html
    assert "text-bg-danger" in html and "corrected" in html  # the new mark, a correction
    assert "Ann Row: Absent" in html
    # session (with the supervisor's departments), enrolment, current mark, attendance row, lock
    # (PostgreSQL only), last audit hash, audit row, the row's mark again.
    assert tap.count <= 8, "\n".join(tap.statements)
    assert sum("FROM users" in q and "user_sessions" not in q for q in tap.statements) <= 1


def test_marks_and_scores_without_javascript(client, db, login_as):
    supervisor = login_as("supervisor")
    _, session, seat = _roll(db, supervisor.property)
    response = client.post_form(f"/training/enrolments/{seat.id}/mark", {"mark": "present"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/training/sessions/{session.id}#enrolment-{seat.id}"
    assert "Ann Row: Present" in text_of(client.get(response.headers["Location"]))
    bad = client.post_form(f"/training/enrolments/{seat.id}/score", {"score": "150"})
    assert bad.status_code == 422
    assert f'id="score-{seat.id}-error"' in bad.get_data(as_text=True)
    good = client.post_form(f"/training/enrolments/{seat.id}/score", {"score": "91"})
    assert good.status_code == 303
    latest = db.session.scalar(select(Attendance).order_by(Attendance.id.desc()).limit(1))
    assert (latest.score, latest.passed) == (91, True)
    audited = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action.like("training.%"))
    ).all()
    assert audited[-2:] == ["training.attendance_marked", "training.score_recorded"]


def test_cancel_without_javascript_moves_the_waiting_list_up(client, db, login_as):
    employee = login_as("employee")
    session = helpers.session(employee.property, capacity=1)
    mine = helpers.seat(session, employee)
    from portal.blueprints.training import services

    other = factories.person("employee", prop=employee.property, name_en="Next In Line")
    waiting = services.enrol(session, other, by=other, waiting_list=True)
    db.session.commit()
    response = client.post_form(f"/training/enrolments/{mine.id}/cancel")
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Enrolment, waiting.id).status == "enrolled"


def test_the_list_answers_htmx_with_its_table(client, db, login_as):
    employee = login_as("employee")
    helpers.session(employee.property)
    db.session.commit()
    fragment = client.hx_get("/training/?show=upcoming")
    assert fragment.get_data(as_text=True).lstrip().startswith('<div id="session-results">')
    assert "portal-header" in client.get("/training/").get_data(as_text=True)


def test_two_people_editing_one_session_the_second_is_told_to_reload(client, db, login_as):
    hr = login_as("hr", dept="HR")
    session = helpers.session(hr.property, by=hr, capacity=6, room="Ballroom")
    db.session.commit()
    local = session.starts_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai"))
    form = {
        "programme_id": str(session.programme_id),
        "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (local + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "trainer_id": str(session.trainer_id),
        "version": str(session.version),  # both forms were read at this version
    }
    first = client.post_form(
        f"/training/sessions/{session.id}/edit", {**form, "room": "Garden", "capacity": "8"}
    )
    assert first.status_code == 303
    second = client.post_form(
        f"/training/sessions/{session.id}/edit", {**form, "room": "Library", "capacity": "9"}
    )
    assert second.status_code == 422
    assert "Someone else changed this session while you were editing" in text_of(second)
    db.session.expire_all()
    saved = db.session.get(TrainingSession, session.id)
    assert (saved.room, saved.capacity, saved.version) == ("Garden", 8, 2)

"""Sign-in for shared terminals and tablets: PIN and password, lockout, rate limits, sessions."""

from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.database import utcnow
from portal.sessions import UserSession
from tests import factories
from tests.conftest import text_of

GENERIC = "Those sign-in details did not work."


def audit_actions(db, **where):
    query = select(AuditEvent.action).order_by(AuditEvent.id)
    for key, value in where.items():
        query = query.where(getattr(AuditEvent, key) == value)
    return list(db.session.scalars(query))


def test_employee_signs_in_with_staff_number_and_pin(client, db):
    person = factories.person("employee")
    response = client.sign_in(person.staff_no, factories.PIN)
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert person.name_en in text_of(home)
    assert "auth.sign_in" in audit_actions(db, object_id=person.id, object_type="users")


def test_staff_number_is_matched_whatever_the_case_and_width(client, db):
    factories.person("employee", staff_no="E2001")
    response = client.sign_in("ｅ２００１", "１３５７９０")  # full-width letters and digits
    assert response.status_code == 303


def test_manager_signs_in_with_user_name_and_password(client, db):
    person = factories.person("manager", username="fo.manager")
    assert client.sign_in("FO.Manager", factories.PASSWORD).status_code == 303
    assert person.name_en in text_of(client.get("/"))


def test_employee_pin_is_not_accepted_as_a_managers_secret(client, db):
    factories.person("manager", username="mgr")
    response = client.sign_in("mgr", factories.PIN)
    assert response.status_code == 422
    assert GENERIC in text_of(response)


def test_wrong_secret_and_unknown_user_get_the_same_generic_message(client, db):
    person = factories.person("employee")
    wrong_pin = client.sign_in(person.staff_no, "000000")
    unknown = client.sign_in("NOBODY", "000000")
    for response in (wrong_pin, unknown):
        assert response.status_code == 422
        body = text_of(response)
        assert GENERIC in body
        assert "PIN is wrong" not in body and "not found" not in body.lower()
    assert "auth.sign_in_failed" in audit_actions(db)


def test_failed_sign_in_never_writes_the_secret_to_the_audit_trail(client, db):
    person = factories.person("employee")
    assert client.sign_in(person.staff_no, "987654").status_code == 422
    failures = list(
        db.session.scalars(
            select(AuditEvent.summary).where(
                AuditEvent.action == "auth.sign_in_failed", AuditEvent.object_id == person.id
            )
        )
    )
    assert failures == ["failures=1"]  # the failure is recorded, without what was typed
    summaries = " ".join(db.session.scalars(select(AuditEvent.summary)))
    assert "987654" not in summaries


def test_empty_fields_get_messages_next_to_them(client, db):
    response = client.sign_in("", "")
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert 'id="identifier-error"' in body and 'id="secret-error"' in body
    assert "Enter your staff number or user name." in body


def test_htmx_sign_in_failure_returns_the_form_fragment(client, db):
    response = client.sign_in("NOBODY", "000000", htmx=True)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith("<form")
    assert "<html" not in body
    assert GENERIC in body


def test_account_locks_after_ten_failures_in_a_row(client, db):
    person = factories.person("employee")
    locked_at = utcnow()
    with time_machine.travel(locked_at, tick=False):
        for _ in range(9):
            assert client.sign_in(person.staff_no, "000000").status_code == 422
        db.session.refresh(person)
        assert person.failed_logins == 9 and person.locked_until is None
        client.sign_in(person.staff_no, "000000")
    db.session.refresh(person)
    assert person.locked_until == locked_at + timedelta(minutes=15)
    # A wrong PIN while locked gets the generic message: nothing says the account is locked.
    with time_machine.travel(locked_at + timedelta(minutes=5), tick=False):
        response = client.sign_in(person.staff_no, "111111")
    assert response.status_code == 422 and GENERIC in text_of(response)
    assert "locked" not in text_of(response)
    # The right PIN is refused while locked, to the last second; who gave it may know why.
    with time_machine.travel(locked_at + timedelta(minutes=15, seconds=-1), tick=False):
        response = client.sign_in(person.staff_no, factories.PIN)
    assert response.status_code == 422 and GENERIC not in text_of(response)
    assert "This account is locked. Try again in 1 minute or ask your supervisor." in text_of(
        response
    )
    actions = audit_actions(db, object_id=person.id, object_type="users")
    assert "auth.locked" in actions and "auth.sign_in_refused_locked" in actions
    # After 15 minutes the account opens again.
    with time_machine.travel(locked_at + timedelta(minutes=15, seconds=1), tick=False):
        assert client.sign_in(person.staff_no, factories.PIN).status_code == 303


def test_a_success_resets_the_failure_count(client, db):
    person = factories.person("employee")
    for _ in range(5):
        client.sign_in(person.staff_no, "000000")
    assert client.sign_in(person.staff_no, factories.PIN).status_code == 303
    db.session.refresh(person)
    assert person.failed_logins == 0


def test_rate_limit_per_account_answers_429(client, db, rate_limits):
    person = factories.person("employee")
    statuses = [client.sign_in(person.staff_no, "000000").status_code for _ in range(13)]
    assert statuses[:12] == [422] * 12
    assert statuses[12] == 429
    page = client.sign_in(person.staff_no, "000000")
    assert page.status_code == 429
    assert "Too many attempts" in text_of(page)


def test_rate_limit_per_address_covers_many_accounts(client, db, rate_limits):
    responses = [client.sign_in(f"GUESS{i}", "000000") for i in range(31)]
    assert [r.status_code for r in responses[:30]] == [422] * 30
    assert responses[30].status_code == 429
    assert "Too many attempts" in text_of(responses[30])


def test_deactivated_person_cannot_sign_in(client, db):
    person = factories.person("employee", active=False)
    response = client.sign_in(person.staff_no, factories.PIN)
    assert response.status_code == 422 and GENERIC in text_of(response)


def test_sign_in_rotates_the_session_and_drops_what_was_there(client, db):
    person = factories.person("employee")
    with client.session_transaction() as session:
        session["anon_locale"] = "zh_Hans"
        session["_flashes"] = [("info", "left over from someone else")]
        session["sid"] = "a-forged-token"
    client.sign_in(person.staff_no, factories.PIN)
    with client.session_transaction() as session:
        assert "anon_locale" not in session
        assert "_flashes" not in session
        assert session["sid"] != "a-forged-token"
        first_sid = session["sid"]
    client.post_form("/auth/logout")
    client.sign_in(person.staff_no, factories.PIN)
    with client.session_transaction() as session:
        assert session["sid"] != first_sid


def test_open_redirect_is_refused(client, db):
    person = factories.person("employee")
    for target in ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"]:
        client.post_form("/auth/logout")
        response = client.post_form(
            "/auth/login",
            {"identifier": person.staff_no, "secret": factories.PIN, "next": target},
        )
        assert response.status_code == 303
        assert response.headers["Location"] == "/", target


def test_local_next_is_followed(client, db):
    person = factories.person("hr")
    response = client.post_form(
        "/auth/login",
        {"identifier": person.username, "secret": factories.PASSWORD, "next": "/people/?q=li"},
    )
    assert response.headers["Location"] == "/people/?q=li"


def test_anonymous_visitor_is_sent_to_sign_in_with_next(client, db):
    response = client.get("/people/?page=2")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/auth/login?next=")


def test_htmx_request_of_anonymous_visitor_gets_hx_redirect(client, db):
    response = client.hx_get("/people/")
    assert response.headers["HX-Redirect"].startswith("/auth/login")


def test_sign_out_ends_the_session_on_the_server(client, db):
    person = factories.person("employee")
    client.sign_in(person.staff_no, factories.PIN)
    with client.session_transaction() as session:
        stolen = dict(session)  # what someone could have copied from the cookie
    response = client.post_form("/auth/logout")
    assert response.status_code == 303
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    row = db.session.scalar(select(UserSession).where(UserSession.user_id == person.id))
    assert row.ended_at is not None and row.end_reason == "signed_out"
    # The copied cookie replayed: the sign-in page, not the person's page.
    with client.session_transaction() as session:
        session.update(stolen)
    replay = client.get("/")
    assert replay.status_code == 303
    assert replay.headers["Location"].startswith("/auth/login")


def test_back_button_after_sign_out_shows_sign_in(client, db):
    person = factories.person("hr")
    client.sign_in(person.username, factories.PASSWORD)
    page = client.get("/people/")
    assert page.headers["Cache-Control"] == "no-store"
    client.post_form("/auth/logout")
    again = client.get("/people/", follow_redirects=True)
    body = text_of(again)
    assert "Sign in" in body and person.name_en not in body


def test_idle_timeout_is_enforced_by_the_server(client, db):
    person = factories.person("employee")
    client.sign_in(person.staff_no, factories.PIN)
    with time_machine.travel(utcnow() + timedelta(minutes=14), tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel(utcnow() + timedelta(minutes=14 + 16), tick=False):
        response = client.get("/")
        assert response.status_code == 303
        assert "ended=idle" in response.headers["Location"]
        notice = client.get(response.headers["Location"])
        assert "signed out because nobody used this screen" in text_of(notice)
    row = db.session.scalar(select(UserSession).where(UserSession.user_id == person.id))
    db.session.refresh(row)
    assert row.end_reason == "idle"


def test_background_polling_does_not_keep_a_session_alive(client, db):
    person = factories.person("employee")
    client.sign_in(person.staff_no, factories.PIN)
    start = utcnow()
    for minutes in (5, 10, 14):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get("/auth/session").status_code == 200
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        assert client.get("/").status_code == 303


def test_keepalive_is_a_real_post_that_counts_as_activity(client, db):
    person = factories.person("employee")
    client.sign_in(person.staff_no, factories.PIN)
    start = utcnow()
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        response = client.post_form("/auth/keepalive")
        assert response.json["seconds_left"] == 15 * 60
    with time_machine.travel(start + timedelta(minutes=20), tick=False):
        assert client.get("/").status_code == 200
    assert client.post("/auth/keepalive").status_code == 400  # no CSRF token


def test_absolute_lifetime_is_twelve_hours(client, db):
    person = factories.person("employee")
    start = utcnow()
    with time_machine.travel(start, tick=False):
        assert client.sign_in(person.staff_no, factories.PIN).status_code == 303
    # Busy all day: a request every 10 minutes keeps it from going idle, up to 11:50.
    for minutes in range(10, 12 * 60, 10):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get("/").status_code == 200, minutes
    with time_machine.travel(start + timedelta(hours=12, seconds=-1), tick=False):
        assert client.get("/").status_code == 200  # the last second of the twelve hours
    with time_machine.travel(start + timedelta(hours=12, seconds=1), tick=False):
        response = client.get("/")
        assert response.status_code == 303
        assert "ended=expired" in response.headers["Location"]
    row = db.session.scalar(select(UserSession).where(UserSession.user_id == person.id))
    db.session.refresh(row)
    assert row.end_reason == "expired"


def test_deactivation_ends_open_sessions(client, db, app):
    person = factories.person("employee")
    hr = factories.person("hr")
    client.sign_in(person.staff_no, factories.PIN)
    assert client.get("/").status_code == 200
    hr_client = app.test_client()
    hr_client.sign_in(hr.username, factories.PASSWORD)
    response = hr_client.post_form(f"/people/{person.id}/deactivate")
    assert response.status_code == 303
    assert client.get("/").status_code == 303
    row = db.session.scalar(select(UserSession).where(UserSession.user_id == person.id))
    assert row.end_reason == "deactivated"


def test_terminal_session_times_out_after_two_minutes(client, db, app):
    term, key = factories.terminal()
    person = factories.person("employee")
    client.use_terminal(term, key)
    client.sign_in(person.staff_no, factories.PIN)
    row = db.session.scalar(select(UserSession).where(UserSession.user_id == person.id))
    assert row.terminal_id == term.id and row.idle_timeout == 120
    start = utcnow()
    with time_machine.travel(start + timedelta(seconds=100), tick=False):
        home = client.get("/")
        assert home.status_code == 200
        assert "Sign out" in text_of(home) and "Switch user" not in text_of(home)
    with time_machine.travel(start + timedelta(seconds=100 + 121), tick=False):
        assert "ended=idle" in client.get("/").headers["Location"]


def test_a_session_started_on_a_terminal_dies_when_the_cookie_moves(client, db, app):
    term, key = factories.terminal()
    person = factories.person("employee")
    client.use_terminal(term, key)
    assert client.sign_in(person.staff_no, factories.PIN).status_code == 303
    assert client.get("/").status_code == 200
    client.delete_cookie(app.config["TERMINAL_COOKIE_NAME"])
    moved = client.get("/")
    assert moved.status_code == 303 and moved.headers["Location"].startswith("/auth/login")
    row = db.session.scalar(select(UserSession).where(UserSession.user_id == person.id))
    db.session.refresh(row)
    assert row.ended_at is not None and row.end_reason == "device"


def test_switch_user_ends_the_session_at_once(client, db):
    person = factories.person("employee")
    client.sign_in(person.staff_no, factories.PIN)
    response = client.post_form("/auth/switch")
    assert "ended=switched" in response.headers["Location"]
    notice = client.get(response.headers["Location"])
    assert "The next person can sign in now" in text_of(notice)
    assert client.get("/").status_code == 303


def test_forged_terminal_cookie_is_ignored(client, db, app):
    factories.terminal()
    client.set_cookie(app.config["TERMINAL_COOKIE_NAME"], "eyJ0IjoxLCJrIjoieCJ9.forged")
    person = factories.person("employee")
    client.sign_in(person.staff_no, factories.PIN)
    row = db.session.scalar(select(UserSession).where(UserSession.user_id == person.id))
    assert row.terminal_id is None


def test_sessions_table_keeps_one_row_per_sign_in(client, db):
    person = factories.person("employee")
    for _ in range(3):
        client.sign_in(person.staff_no, factories.PIN)
        client.post_form("/auth/logout")
    count = db.session.scalar(
        select(func.count()).select_from(UserSession).where(UserSession.user_id == person.id)
    )
    assert count == 3


def test_signing_in_again_after_the_session_ran_out_works(client, db):
    """The sign-in form sent with the cookie of a session that has just ended is accepted:
    ending the session forgets the sign-in, not the form's CSRF secret."""
    person = factories.person("employee")
    start = utcnow()
    with time_machine.travel(start, tick=False):
        assert client.sign_in(person.staff_no, factories.PIN).status_code == 303
        token = client.csrf_token()
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        response = client.post_form(
            "/auth/login",
            {"identifier": person.staff_no, "secret": factories.PIN, "csrf_token": token},
        )
        assert response.status_code == 303, text_of(response)[:300]
        assert client.get("/").status_code == 200

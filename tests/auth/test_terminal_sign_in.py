"""The sign-in page on a shared terminal and elsewhere; what a locked account is told, and to
whom; one sign-out button on a terminal; the session clock that htmx answers carry."""

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from portal.audit import AuditEvent
from portal.blueprints.auth import services
from portal.database import utcnow
from tests import factories
from tests.auth.dom import page as soup
from tests.conftest import text_of

HINT = "Employees: staff number and 6-digit PIN. Office staff: user name and password."
HINT_ZH = "员工：使用工号和 6 位 PIN 码。"
GENERIC = "Those sign-in details did not work."


@pytest.fixture
def on_terminal(client, db):
    term, key = factories.terminal(name="Staff room B1")
    client.use_terminal(term, key)
    return term


def lock(person, minutes: int = 15):
    from sqlalchemy import update

    from portal.blueprints.people.models import User
    from portal.extensions import db

    db.session.execute(
        update(User)
        .where(User.id == person.id)
        .values(locked_until=utcnow() + timedelta(minutes=minutes))
    )
    db.session.commit()


# --- the page ------------------------------------------------------------------------------------
def test_a_plain_pc_shows_the_hint_and_no_pad(client, db):
    page = soup(client.get("/auth/login"))
    assert HINT in page.text
    assert page.find(id="pin-pad") is None
    secret = page.find(id="secret")
    # The same field takes passwords: the page shows number keys only for a staff number.
    assert secret.get("inputmode") is None and secret["data-pin-field"] == "guess"
    assert secret["autocomplete"] == "current-password"
    toggle = page.find(data_keys_toggle="secret")
    assert toggle.has("hidden") and toggle["type"] == "button"


def test_an_enrolled_terminal_keeps_the_hint_and_has_a_pin_pad(client, on_terminal):
    page = soup(client.get("/auth/login"))
    text = page.text
    assert HINT in text and "Shared terminal: Staff room B1" in text
    pad = page.find(id="pin-pad")
    # Hidden until script shows it: without script the form is a plain form.
    assert pad.has("hidden") and pad["data-for"] == "secret"
    assert pad["role"] == "group" and pad["aria-label"] == "PIN pad"
    keys = [b["data-pin-key"] for b in [n for n in pad.find_all("button") if n.has("data-pin-key")]]
    assert sorted(keys) == sorted([*"0123456789", "clear", "back"])
    assert all(b["type"] == "button" for b in pad.find_all("button"))  # none of them submits
    assert pad.find(data_keys_toggle="secret")["aria-pressed"] == "false"
    secret = page.find(id="secret")
    assert secret["inputmode"] == "numeric" and secret["autocomplete"] == "off"
    # Nobody's staff number is offered to the next person.
    assert page.find(id="identifier")["autocomplete"] == "off"
    form = page.find(id="login-form")
    assert form["method"] == "post" and form.find("button", type="submit") is not None


def test_the_hint_in_chinese_on_a_terminal_and_elsewhere(client, db, app):
    zh = {"Accept-Language": "zh-CN,zh;q=0.9"}
    assert HINT_ZH in text_of(client.get("/auth/login", headers=zh))
    term, key = factories.terminal(default_locale="zh_Hans")
    client.use_terminal(term, key)
    page = client.get("/auth/login")
    assert HINT_ZH in text_of(page) and "PIN 码键盘" in page.get_data(as_text=True)


def test_a_failed_sign_in_on_a_terminal_shows_the_pad_again(client, on_terminal):
    person = factories.person("employee")
    response = client.sign_in(person.staff_no, "000000")
    assert response.status_code == 422
    page = soup(response)
    assert page.find(id="pin-pad") is not None and GENERIC in text_of(response)
    fragment = client.sign_in(person.staff_no, "000000", htmx=True)
    assert fragment.get_data(as_text=True).lstrip().startswith("<form")
    assert soup(fragment).find(id="pin-pad") is not None


def test_sign_in_works_on_a_terminal(client, on_terminal):
    person = factories.person("employee")
    assert client.sign_in(person.staff_no, factories.PIN).status_code == 303
    assert person.name_en in text_of(client.get("/"))


# --- a locked account ----------------------------------------------------------------------------
def test_a_locked_account_is_told_so_only_after_the_right_pin(client, db):
    person = factories.person("employee")
    lock(person, minutes=12)
    wrong = client.sign_in(person.staff_no, "000000")
    assert wrong.status_code == 422 and GENERIC in text_of(wrong)
    assert "locked" not in text_of(wrong).lower()
    right = client.sign_in(person.staff_no, factories.PIN)
    assert right.status_code == 422
    body = text_of(right)
    assert "This account is locked. Try again in 12 minutes or ask your supervisor." in body
    assert GENERIC not in body
    assert client.get("/").status_code == 303  # not signed in
    summaries = list(
        db.session.scalars(
            select(AuditEvent.summary)
            .where(AuditEvent.action == "auth.sign_in_refused_locked")
            .order_by(AuditEvent.id)
        )
    )
    assert summaries == ["", "secret=right"]
    # The right PIN neither lifts the lock nor counts as a failure.
    db.session.refresh(person)
    assert person.locked_until is not None and person.failed_logins == 0


def test_a_locked_password_account_is_told_too(client, db):
    person = factories.person("supervisor", username="hk.sup")
    lock(person, minutes=1)
    body = text_of(client.sign_in("hk.sup", factories.PASSWORD))
    assert "This account is locked. Try again in 1 minute or ask your supervisor." in body


def test_the_lock_message_in_chinese_and_as_a_fragment(client, db):
    person = factories.person("employee", locale="zh_Hans")
    lock(person, minutes=3)
    response = client.sign_in(
        person.staff_no, factories.PIN, htmx=True, headers={"Accept-Language": "zh-CN"}
    )
    assert response.status_code == 200
    assert "此账号已锁定，请 3 分钟后再试，或联系您的主管。" in text_of(response)


def test_the_lock_ends_on_time_and_the_right_pin_signs_in(client, db):
    person = factories.person("employee")
    start = utcnow()
    with time_machine.travel(start, tick=False):
        lock(person, minutes=2)
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert "Try again in 1 minute" in text_of(client.sign_in(person.staff_no, factories.PIN))
    with time_machine.travel(start + timedelta(minutes=2, seconds=1), tick=False):
        assert client.sign_in(person.staff_no, factories.PIN).status_code == 303


def test_a_deactivated_account_is_never_told_anything_but_the_generic_message(client, db):
    person = factories.person("employee", active=False)
    lock(person)
    body = text_of(client.sign_in(person.staff_no, factories.PIN))
    assert GENERIC in body and "locked" not in body.lower()


@pytest.mark.parametrize("kind", ["unknown", "wrong", "locked-wrong", "locked-right", "inactive"])
def test_every_refusal_costs_one_hash_check(client, db, monkeypatch, kind):
    """What keeps refusals equally slow (bench/run.py measures the time itself)."""
    person = factories.person("employee", active=kind != "inactive")
    if kind.startswith("locked"):
        lock(person)
    calls = []
    real = services.check_password_hash
    monkeypatch.setattr(services, "check_password_hash", lambda h, s: calls.append(1) or real(h, s))
    identifier = "NOBODY" if kind == "unknown" else person.staff_no
    secret = factories.PIN if kind in ("locked-right", "inactive") else "000000"
    assert client.sign_in(identifier, secret).status_code == 422
    assert len(calls) == 1


# --- one button on a terminal --------------------------------------------------------------------
def test_a_terminal_has_one_sign_out_button_that_hands_over(client, on_terminal):
    person = factories.person("employee")
    client.sign_in(person.staff_no, factories.PIN)
    header = soup(client.get("/")).find("header", cls="portal-header")
    forms = [f for f in header.find_all("form") if "portal-lang" not in f.classes]
    assert len(forms) == 1
    assert forms[0]["action"] == "/auth/switch"
    assert forms[0].text == "Sign out"
    response = client.post_form("/auth/switch")
    notice = client.get(response.headers["Location"])
    assert "Signed out. The next person can sign in now." in text_of(notice)
    assert client.get("/").status_code == 303


def test_elsewhere_sign_out_is_the_plain_one(client, db):
    person = factories.person("employee")
    client.sign_in(person.staff_no, factories.PIN)
    header = soup(client.get("/")).find("header", cls="portal-header")
    actions = [f["action"] for f in header.find_all("form")]
    assert actions == ["/auth/language", "/auth/logout"]
    assert "Switch user" not in header.text


# --- the idle clock -------------------------------------------------------------------------------
def test_htmx_answers_carry_the_seconds_the_session_has_left(client, db, app):
    person = factories.person("employee")
    start = utcnow()
    with time_machine.travel(start, tick=False):
        client.sign_in(person.staff_no, factories.PIN)
    # A background poll (passive) does not move the server's clock, and says so.
    with time_machine.travel(start + timedelta(seconds=100), tick=False):
        polled = client.hx_get("/auth/session")
        assert polled.headers["X-Session-Seconds-Left"] == str(15 * 60 - 100)
    # A real request does.
    with time_machine.travel(start + timedelta(seconds=200), tick=False):
        used = client.hx_get("/")
        assert used.headers["X-Session-Seconds-Left"] == str(15 * 60)
    assert "X-Session-Seconds-Left" not in client.get("/").headers  # whole pages say it inside
    client.post_form("/auth/logout")
    assert "X-Session-Seconds-Left" not in client.hx_get("/auth/login").headers


def test_the_page_reports_use_at_most_once_a_minute(client, db, app):
    """#session-info tells portal.js how often it may report scrolling and typing."""
    person = factories.person("employee")
    client.sign_in(person.staff_no, factories.PIN)
    info = soup(client.get("/")).find(id="session-info")
    assert info["data-activity-every"] == "60"
    assert info["data-keepalive-url"] == "/auth/keepalive"
    saved = app.config["IDLE_TIMEOUT"]
    app.config["IDLE_TIMEOUT"] = 40  # too short for once a minute: before the warning, then
    try:
        client.post_form("/auth/logout")
        client.sign_in(person.staff_no, factories.PIN)
        info = soup(client.get("/")).find(id="session-info")
        assert info["data-activity-every"] == "6"  # just over the server's touch interval
    finally:
        app.config["IDLE_TIMEOUT"] = saved


def test_on_a_terminal_the_report_interval_is_a_minute_too(client, on_terminal):
    person = factories.person("employee")
    client.sign_in(person.staff_no, factories.PIN)
    info = soup(client.get("/")).find(id="session-info")
    assert info["data-activity-every"] == "60"  # 2 minutes idle, warned 30 s before


def test_a_keepalive_always_counts_even_just_after_a_request(client, on_terminal):
    """The server touches a session at most every few seconds; "continue" touches it anyway,
    so the warning goes away with a whole idle period ahead."""
    person = factories.person("employee")
    start = utcnow()
    with time_machine.travel(start, tick=False):
        client.sign_in(person.staff_no, factories.PIN)
    with time_machine.travel(start + timedelta(seconds=3), tick=False):
        assert client.post_form("/auth/keepalive").json["seconds_left"] == 120
    with time_machine.travel(start + timedelta(seconds=3 + 119), tick=False):
        assert client.get("/").status_code == 200


def test_after_a_failed_sign_in_the_pin_field_has_the_focus(client, on_terminal):
    first = soup(client.get("/auth/login"))
    assert first.find(id="identifier").has("autofocus")
    assert not first.find(id="secret").has("autofocus")
    again = soup(client.sign_in("E0000", "000000"))
    assert again.find(id="identifier")["value"] == "E0000"
    assert again.find(id="secret").has("autofocus")
    assert not again.find(id="identifier").has("autofocus")

"""Who may reach each sign-in endpoint: every role and anonymous visitors (see tests/access.py).

These endpoints act only on the signed-in person's own session and settings: there is no record
of another property or department to try."""

from sqlalchemy import select

from portal.audit import AuditEvent
from portal.blueprints.people.models import User
from portal.sessions import UserSession
from tests import access, factories
from tests.access import ALL, PUBLIC, Row, json_seconds_left, page, redirect
from tests.conftest import text_of


def secret_of(person) -> str:
    return factories.PIN if person.role == "employee" else factories.PASSWORD


def signed_out(ctx):
    assert ctx.client.get("/").status_code == 303  # the session really ended
    row = ctx.db.session.scalar(select(UserSession).where(UserSession.user_id == ctx.actor.id))
    ctx.db.session.refresh(row)
    assert row.ended_at is not None


def target_signed_in(ctx):
    person = ctx.world.person
    assert ctx.db.session.scalar(select(UserSession).where(UserSession.user_id == person.id))
    assert person.staff_no in text_of(ctx.client.get("/"))


def language_kept(ctx):
    if ctx.actor is None:
        assert "登录" in text_of(ctx.client.get("/auth/login"))
    else:
        person = ctx.db.session.get(User, ctx.actor.id)
        ctx.db.session.refresh(person)
        assert person.locale == "zh_Hans"


def confirmed(ctx):
    assert ctx.db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "auth.reauthenticated", AuditEvent.actor_id == ctx.actor.id
        )
    )


ROWS = access.domain(
    "auth",
    [
        Row(
            "auth.login",
            PUBLIC,
            redirect("/"),  # signed in already: straight home
            anonymous=page("Sign in", "Staff number or user name"),
        ),
        Row(
            "auth.login",
            PUBLIC,
            redirect("/"),
            method="POST",
            data=lambda c: {"identifier": c.world.person.staff_no, "secret": factories.PIN},
            anonymous=redirect("/", then=target_signed_in),
        ),
        Row(
            "auth.set_language",
            PUBLIC,
            redirect("/", then=language_kept),
            method="POST",
            data=lambda c: {"locale": "zh_Hans", "next": "/"},
        ),
        Row(
            "auth.logout",
            ALL,
            redirect("/auth/login?ended=signed_out", "You have signed out.", then=signed_out),
            method="POST",
        ),
        Row(
            "auth.switch_user",
            ALL,
            redirect(
                "/auth/login?ended=switched",
                "Signed out. The next person can sign in now.",
                then=signed_out,
            ),
            method="POST",
        ),
        Row("auth.keepalive", ALL, json_seconds_left(), method="POST"),
        Row("auth.session_status", ALL, json_seconds_left()),
        Row("auth.confirm_identity", ALL, page("Confirm it is you", "Enter your password again")),
        Row(
            "auth.confirm_identity",
            ALL,
            redirect("/people/", then=confirmed),
            method="POST",
            data=lambda c: {"secret": secret_of(c.actor) if c.actor else "", "next": "/people/"},
        ),
    ],
)

globals().update(access.tests_for(ROWS))

"""Who may reach each terminal endpoint: every role, anonymous and another property's terminal
(see tests/access.py). Terminals are the group admin's: no other role manages one, at home or
elsewhere; a group admin manages those of every property."""

from sqlalchemy import select

from portal.sessions import Terminal
from tests import access
from tests.access import Row, page, redirect

ADMIN = frozenset({"admin"})


def target(ctx):
    return ctx.world.terminal


def enrolled(ctx):
    terminal = ctx.db.session.scalar(select(Terminal).where(Terminal.name == "Lobby kiosk"))
    assert terminal is not None and terminal.active
    cookie = ctx.client.get_cookie(ctx.client.application.config["TERMINAL_COOKIE_NAME"])
    assert cookie is not None


def revoked(ctx):
    ctx.db.session.refresh(target(ctx))
    assert target(ctx).active is False


ROWS = access.domain(
    "terminals",
    [
        Row("terminals.index", ADMIN, page("Shared terminals", "Target kiosk"), given=target),
        Row(
            "terminals.index",
            ADMIN,
            redirect(
                "/terminals/", "This device is now the terminal “Lobby kiosk”.", then=enrolled
            ),
            method="POST",
            data=lambda c: {
                "name": "Lobby kiosk",
                "location": "Lobby",
                "property_id": str(c.home.prop.id),
                "default_locale": "",
            },
        ),
        Row(
            "terminals.revoke",
            ADMIN,
            redirect(
                "/terminals/",
                "Terminal “Target kiosk” can no longer be used as a terminal.",
                then=revoked,
            ),
            method="POST",
            args=lambda c: {"terminal_id": target(c).id},
            obj=target,
        ),
    ],
)

globals().update(access.tests_for(ROWS))

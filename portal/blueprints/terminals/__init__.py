"""Shared staff-room terminals: enrol this device, revoke one."""

from flask import Blueprint

from portal.i18n import lazy_gettext as _l
from portal.modules import Card, Module, NavEntry
from portal.roles import Role

bp = Blueprint("terminals", __name__, url_prefix="/terminals")


def module() -> Module:
    from portal.blueprints.terminals import cards, views  # noqa: F401 - attaches the routes
    from portal.blueprints.terminals.permissions import can_manage_terminals

    return Module(
        name="terminals",
        blueprint=bp,
        nav=[NavEntry("terminals.index", _l("Terminals"), "display", can_manage_terminals, 95)],
        audit_actions={
            "terminal.enrolled": _l("Terminal enrolled"),
            "terminal.revoked": _l("Terminal revoked"),
        },
        audit_objects={"terminals": _l("Terminal")},
        cards=[
            Card(
                cards.terminals,
                frozenset({Role.ADMIN}),
                order=90,
                numbers=cards.terminal_numbers,
                numbers_sql=cards.terminal_numbers_sql,
            )
        ],
    )

"""The audit trail's pages: filter, read, export (the trail itself is written by the core)."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal.modules import Card, Module, NavEntry
from portal.roles import Role

bp = Blueprint("audit", __name__, url_prefix="/audit")


def module() -> Module:
    from portal.blueprints.audit import cards, views  # noqa: F401 - attaches the routes
    from portal.blueprints.audit.permissions import can_view_audit

    return Module(
        name="audit",
        blueprint=bp,
        nav=[NavEntry("audit.index", _l("Audit trail"), "journal-check", can_view_audit, 90)],
        audit_actions={"audit.exported": _l("Audit trail downloaded")},
        cards=[Card(cards.audit_today, frozenset({Role.HR, Role.ADMIN}), order=80)],
    )

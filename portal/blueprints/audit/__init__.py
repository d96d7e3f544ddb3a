"""The audit trail's pages: filter, read, export (the trail itself is written by the core)."""

from flask import Blueprint, url_for

from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l
from portal.modules import Card, Link, Module, NavEntry
from portal.permissions import in_property
from portal.roles import Role

bp = Blueprint("audit", __name__, url_prefix="/audit")


def person_history(viewer, person) -> Link | None:
    """On a person's page, for those who read the trail: what was done to this person."""
    from portal.blueprints.audit.permissions import can_view_audit

    if not (can_view_audit(viewer) and in_property(viewer, person.property_id)):
        return None
    return Link(
        url_for("audit.index", object_type="users", object_id=person.id),
        _("Audit trail"),
        "journal-check",
    )


def module() -> Module:
    from portal.blueprints.audit import cards, views  # noqa: F401 - attaches the routes
    from portal.blueprints.audit.permissions import can_view_audit

    return Module(
        name="audit",
        blueprint=bp,
        nav=[NavEntry("audit.index", _l("Audit trail"), "journal-check", can_view_audit, 90)],
        audit_actions={"audit.exported": _l("Audit trail downloaded")},
        cards=[
            Card(
                cards.audit_today,
                frozenset({Role.HR, Role.ADMIN}),
                order=80,
                numbers=cards.audit_numbers,
                numbers_sql=cards.audit_numbers_sql,
            )
        ],
        person_links=[person_history],
    )

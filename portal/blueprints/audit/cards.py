"""The audit trail's home-page card."""

from __future__ import annotations

from datetime import timedelta

from flask import url_for
from sqlalchemy import bindparam, func, select

from portal.audit import AuditEvent
from portal.blueprints.audit.services import FAILED_SIGN_INS
from portal.database import utcnow
from portal.i18n import gettext as _
from portal.modules import Numbers
from portal.permissions import property_clause_of, property_shape


def audit_numbers(user) -> Numbers:
    """What the trail recorded in the last 24 hours at the viewer's properties, read with every
    other card's numbers in one query."""
    return Numbers(property_shape(user), {"audit_since": utcnow() - timedelta(hours=24)})


def audit_numbers_sql(shape: str) -> dict:
    def count(*where):
        return (
            select(func.count(AuditEvent.id))
            .where(
                property_clause_of(shape, AuditEvent.property_id),
                AuditEvent.occurred_at >= bindparam("audit_since"),
                *where,
            )
            .scalar_subquery()
        )

    return {
        "total": count(),
        "failed": count(AuditEvent.action.in_(FAILED_SIGN_INS)),
        "refused": count(AuditEvent.action == "access.refused"),
    }


def audit_today(user, numbers: dict) -> dict:
    return {
        "id": "audit",
        "icon": "journal-check",
        "title": _("Audit trail, last 24 hours"),
        "numbers": [
            (_("Recorded events"), numbers["total"] or 0, url_for("audit.index")),
            (_("Failed sign-ins"), numbers["failed"] or 0, url_for("audit.index")),
            (_("Refused access"), numbers["refused"] or 0, url_for("audit.index")),
        ],
        "link": (url_for("audit.index"), _("Open the audit trail")),
    }

"""The audit trail's home-page card."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from portal.blueprints.audit import services


def audit_today(user) -> dict:
    counts = services.last_day_counts(user)
    return {
        "id": "audit",
        "icon": "journal-check",
        "title": _("Audit trail, last 24 hours"),
        "numbers": [
            (_("Recorded events"), counts.total),
            (_("Failed sign-ins"), counts.failed_sign_ins),
            (_("Refused access"), counts.refused),
        ],
        "link": (url_for("audit.index"), _("Open the audit trail")),
    }

"""The terminals module's home-page card."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import func, select

from portal.i18n import gettext as _
from portal.modules import Numbers
from portal.sessions import Terminal


def terminal_numbers(user) -> Numbers:
    """Enrolled terminals, read with every other card's numbers in one query."""
    return Numbers()


def terminal_numbers_sql(_shape) -> dict:
    return {
        "enrolled": select(func.count(Terminal.id))
        .where(Terminal.active.is_(True))
        .scalar_subquery()
    }


def terminals(user, numbers: dict) -> dict:
    return {
        "id": "terminals",
        "icon": "display",
        "title": _("Shared terminals"),
        "numbers": [(_("Enrolled"), numbers["enrolled"] or 0, url_for("terminals.index"))],
        "link": (url_for("terminals.index"), _("Manage terminals")),
    }

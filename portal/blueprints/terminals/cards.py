"""The terminals module's home-page card."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from portal import sessions


def terminals(user) -> dict:
    return {
        "id": "terminals",
        "icon": "display",
        "title": _("Shared terminals"),
        "numbers": [(_("Enrolled"), sessions.active_terminal_count())],
        "link": (url_for("terminals.index"), _("Manage terminals")),
    }

"""The people module's home-page cards."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from portal import sessions
from portal.blueprints.people import services
from portal.blueprints.people.models import User


def my_details(user: User) -> dict:
    return {
        "id": "me",
        "icon": "person-badge",
        "title": _("My details"),
        "rows": [
            (_("Staff number"), user.staff_no),
            (_("Department"), user.department.name if user.department else "—"),
            (_("Job title"), user.grade_enum.label),
        ],
        "datetime_rows": [(_("Previous sign-in"), sessions.previous_sign_in(user))],
    }


def people_counts(user: User) -> dict:
    counts = services.head_counts(user)
    return {
        "id": "people",
        "icon": "people",
        "title": _("People"),
        "numbers": [
            (_("Active"), counts.active),
            (_("Deactivated"), counts.inactive),
            (_("Locked out now"), counts.locked),
        ],
        "link": (url_for("people.index"), _("Open the people list")),
    }


def my_team(user: User) -> dict:
    rows = services.team_sizes(user)
    if not rows:
        return {
            "id": "team",
            "icon": "people",
            "title": _("My team"),
            "empty": _("No departments are assigned to you yet. Ask HR to add them."),
        }
    return {
        "id": "team",
        "icon": "people",
        "title": _("My team"),
        "numbers": [(department.name, count) for department, count in rows],
    }

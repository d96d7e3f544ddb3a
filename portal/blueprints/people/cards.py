"""The people module's home-page cards."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import bindparam, func, select

from portal import sessions
from portal.blueprints.people import services
from portal.blueprints.people.models import User
from portal.blueprints.people.permissions import can_list_people
from portal.i18n import gettext as _
from portal.modules import Numbers
from portal.permissions import property_clause_of, property_shape


def my_details(user: User) -> dict:
    return {
        "id": "me",
        "icon": "person-badge",
        "title": _("My details"),
        "rows": [
            (_("Staff number"), user.staff_no),
            (_("Department"), user.department.name if user.department else "—"),
            (_("Job title"), user.title_label),
        ],
        "datetime_rows": [(_("Previous sign-in"), sessions.previous_sign_in(user))],
    }


def people_numbers(user: User) -> Numbers:
    """The People card's numbers, read with every other card's in one query."""
    return Numbers(property_shape(user))


def people_numbers_sql(shape: str) -> dict:
    def count(*where):
        return (
            select(func.count(User.id))
            .where(property_clause_of(shape, User.property_id), *where)
            .scalar_subquery()
        )

    return {
        "active": count(User.active.is_(True)),
        "inactive": count(User.active.is_(False)),
        "locked": count(User.locked_until > bindparam("card_now")),
    }


def people_counts(user: User, numbers: dict) -> dict:
    return {
        "id": "people",
        "icon": "people",
        "title": _("People"),
        "numbers": [
            (_("Active"), numbers["active"] or 0, url_for("people.index", status="active")),
            (
                _("Deactivated"),
                numbers["inactive"] or 0,
                url_for("people.index", status="inactive"),
            ),
            (_("Locked out now"), numbers["locked"] or 0),
        ],
        "link": (url_for("people.index"), _("Open the people list")),
    }


def my_team(user: User) -> dict:
    rows = services.team_sizes(user)
    may_list = can_list_people(user)
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
        "numbers": [
            (
                department.name,
                count,
                url_for("people.index", department=department.id) if may_list else None,
            )
            for department, count in rows
        ],
    }

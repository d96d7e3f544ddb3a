"""'What needs me today': the cards of each role's home page.

Each card is a small dict built by one function; later modules add their own card functions to
CARDS, keyed by role, so the home page grows without this file knowing every module.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.blueprints.audit.models import AuditEvent
from portal.blueprints.auth.models import Terminal, UserSession
from portal.blueprints.people.models import Department, Role, User
from portal.database import utcnow
from portal.extensions import db

Card = dict
CARDS: dict[Role, list[Callable[[User], Card | None]]] = {role: [] for role in Role}


def card(*roles: Role):
    def register(fn):
        for role in roles:
            CARDS[role].append(fn)
        return fn

    return register


def cards_for(user: User) -> list[Card]:
    return [c for fn in CARDS[Role(user.role)] if (c := fn(user)) is not None]


def _property_filter(user: User, column):
    return True if user.role == Role.ADMIN else column == user.property_id


@card(*Role)
def my_details(user: User) -> Card:
    previous = db.session.scalar(
        select(UserSession.created_at)
        .where(UserSession.user_id == user.id)
        .order_by(UserSession.created_at.desc())
        .offset(1)
        .limit(1)
    )
    return {
        "id": "me",
        "icon": "person-badge",
        "title": _("My details"),
        "rows": [
            (_("Staff number"), user.staff_no),
            (_("Department"), user.department.name if user.department else "—"),
            (_("Job title"), user.grade_enum.label),
        ],
        "datetime_rows": [(_("Previous sign-in"), previous)],
    }


@card(Role.HR, Role.ADMIN, Role.MANAGER)
def people_counts(user: User) -> Card:
    rows = db.session.execute(
        select(User.active, func.count())
        .where(_property_filter(user, User.property_id))
        .group_by(User.active)
    ).all()
    counts = dict(rows)
    locked = db.session.scalar(
        select(func.count())
        .select_from(User)
        .where(_property_filter(user, User.property_id), User.locked_until > utcnow())
    )
    return {
        "id": "people",
        "icon": "people",
        "title": _("People"),
        "numbers": [
            (_("Active"), counts.get(True, 0)),
            (_("Deactivated"), counts.get(False, 0)),
            (_("Locked out now"), locked or 0),
        ],
        "link": (url_for("people.index"), _("Open the people list")),
    }


@card(Role.HR, Role.ADMIN)
def audit_today(user: User) -> Card:
    since = utcnow() - timedelta(hours=24)
    base = (
        select(func.count())
        .select_from(AuditEvent)
        .where(_property_filter(user, AuditEvent.property_id), AuditEvent.occurred_at >= since)
    )
    total = db.session.scalar(base) or 0
    failed = (
        db.session.scalar(base.where(AuditEvent.action.in_(["auth.sign_in_failed", "auth.locked"])))
        or 0
    )
    refused = db.session.scalar(base.where(AuditEvent.action == "access.refused")) or 0
    return {
        "id": "audit",
        "icon": "journal-check",
        "title": _("Audit trail, last 24 hours"),
        "numbers": [
            (_("Recorded events"), total),
            (_("Failed sign-ins"), failed),
            (_("Refused access"), refused),
        ],
        "link": (url_for("audit.index"), _("Open the audit trail")),
    }


@card(Role.ADMIN)
def terminals(user: User) -> Card:
    active = (
        db.session.scalar(
            select(func.count()).select_from(Terminal).where(Terminal.active.is_(True))
        )
        or 0
    )
    return {
        "id": "terminals",
        "icon": "display",
        "title": _("Shared terminals"),
        "numbers": [(_("Enrolled"), active)],
        "link": (url_for("terminals.index"), _("Manage terminals")),
    }


@card(Role.SUPERVISOR, Role.MANAGER)
def my_team(user: User) -> Card | None:
    if user.role == Role.SUPERVISOR:
        department_ids = [d.id for d in user.supervises]
    else:
        department_ids = list(
            db.session.scalars(
                select(Department.id).where(Department.property_id == user.property_id)
            )
        )
    if not department_ids:
        return {
            "id": "team",
            "icon": "people",
            "title": _("My team"),
            "empty": _("No departments are assigned to you yet. Ask HR to add them."),
        }
    rows = db.session.execute(
        select(Department, func.count(User.id))
        .outerjoin(User, (User.department_id == Department.id) & User.active.is_(True))
        .where(Department.id.in_(department_ids))
        .group_by(Department.id)
        .order_by(Department.position)
    ).all()
    return {
        "id": "team",
        "icon": "people",
        "title": _("My team"),
        "numbers": [(department.name, count) for department, count in rows],
    }

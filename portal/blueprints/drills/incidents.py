"""Security incidents: reported by anyone of the property (what, where, when, who was involved,
how serious), triaged by security (the severity confirmed or changed, a note) and closed with
the actions taken; closing may name a plan the incident shows must change. Each step one
conditional UPDATE from the step before, audited. Plain functions; never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, select
from sqlalchemy.orm import joinedload

from portal import audit
from portal.blueprints.drills.models import Incident, IncidentStatus, Plan, Severity
from portal.blueprints.people.models import User
from portal.database import advance, utcnow
from portal.errors import DomainError, FieldErrors
from portal.extensions import db
from portal.i18n import gettext as _

CLOCK_SLACK = timedelta(minutes=5)  # a terminal's clock a little ahead is no "future"


@dataclass
class Report:
    occurred_at: datetime | None  # UTC
    location: str
    what: str
    involved: str
    severity: str


def report(property_id: int, data: Report, *, by: User, now: datetime | None = None) -> Incident:
    now = now or utcnow()
    errors = {}
    if data.occurred_at is None:
        errors["occurred_at"] = _("Give the date and time it happened.")
    elif data.occurred_at > now + CLOCK_SLACK:
        errors["occurred_at"] = _("An incident is reported after it happened: check the time.")
    elif data.occurred_at < now - timedelta(days=366):
        errors["occurred_at"] = _("Give a time within the last year.")
    if not data.location:
        errors["location"] = _("Say where it happened.")
    if not data.what:
        errors["what"] = _("Say what happened.")
    if data.severity not in set(Severity):
        errors["severity"] = _("Choose how serious it is.")
    if errors:
        raise FieldErrors(errors)
    incident = Incident(
        property_id=property_id,
        occurred_at=data.occurred_at,
        location=data.location,
        what=data.what,
        involved=data.involved,
        severity=data.severity,
        reported_by_id=by.id,
        reported_at=now,
    )
    db.session.add(incident)
    db.session.flush()
    audit.record(
        "drills.incident_reported",
        incident,
        actor=by,
        summary=f"severity={incident.severity} location={incident.location[:80]}",
    )
    return incident


def triage(incident: Incident, severity: str, note: str, *, by: User) -> bool:
    if incident.status != IncidentStatus.REPORTED:
        if incident.status == IncidentStatus.IN_HAND:
            return False
        raise DomainError(_("This incident is closed."))
    errors = {}
    if severity not in set(Severity):
        errors["severity"] = _("Choose how serious it is.")
    if not note:
        errors["triage_note"] = _("Say what security is doing about it.")
    if errors:
        raise FieldErrors(errors)
    before = incident.severity
    if not advance(
        incident,
        IncidentStatus.REPORTED,
        status=IncidentStatus.IN_HAND,
        severity=severity,
        triage_note=note,
        triaged_by_id=by.id,
        triaged_at=utcnow(),
    ):
        return False
    audit.record(
        "drills.incident_triaged", incident, actor=by, summary=f"severity={before}->{severity}"
    )
    return True


def close(incident: Incident, actions_taken: str, plan: Plan | None, *, by: User) -> bool:
    if incident.status == IncidentStatus.CLOSED:
        return False
    if incident.status != IncidentStatus.IN_HAND:
        raise DomainError(_("Triage the incident before closing it."))
    if not actions_taken:
        raise DomainError(_("Say what was done."), "actions_taken")
    if plan is not None and plan.property_id != incident.property_id:
        raise DomainError(_("Choose a plan of this property."), "plan_id")
    if not advance(
        incident,
        IncidentStatus.IN_HAND,
        status=IncidentStatus.CLOSED,
        actions_taken=actions_taken,
        plan_id=plan.id if plan is not None else None,
        closed_by_id=by.id,
        closed_at=utcnow(),
    ):
        return False
    audit.record(
        "drills.incident_closed",
        incident,
        actor=by,
        summary=f"plan={plan.code if plan is not None else '-'}",
    )
    return True


def get(incident_id: int) -> Incident | None:
    return db.session.get(
        Incident,
        incident_id,
        options=[
            joinedload(Incident.reported_by),
            joinedload(Incident.triaged_by),
            joinedload(Incident.closed_by),
            joinedload(Incident.plan),
        ],
    )


def listed(property_id: int, reporter: User | None = None, open_only: bool = False):
    """The property's incidents (or one reporter's), a select to page: open ones first,
    newest first."""
    query = (
        select(Incident)
        .where(Incident.property_id == property_id)
        .options(joinedload(Incident.reported_by))
    )
    if reporter is not None:
        query = query.where(Incident.reported_by_id == reporter.id)
    if open_only:
        query = query.where(Incident.status != IncidentStatus.CLOSED)
    closed_last = case((Incident.status == IncidentStatus.CLOSED, 1), else_=0)
    return query.order_by(closed_last, Incident.occurred_at.desc(), Incident.id.desc())

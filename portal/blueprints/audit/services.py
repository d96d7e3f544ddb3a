"""Reading the audit trail (writing is portal.audit.record)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import selectinload

from portal import audit
from portal.audit import AuditEvent
from portal.blueprints.people import services as people
from portal.database import utcnow
from portal.extensions import db
from portal.i18n import local_day_start
from portal.permissions import property_clause

FAILED_SIGN_INS = ("auth.sign_in_failed", "auth.locked")


def events_query(
    viewer,
    *,
    person: str | None = None,
    object_type: str | None = None,
    object_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
):
    query = (
        select(AuditEvent)
        .options(selectinload(AuditEvent.actor))
        .where(property_clause(viewer, AuditEvent.property_id))
    )
    if person:
        actors = people.matching_ids(person)
        query = query.where(
            or_(
                AuditEvent.actor_id.in_(actors),
                (AuditEvent.object_type == "users") & AuditEvent.object_id.in_(actors),
            )
        )
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    if object_id:
        query = query.where(AuditEvent.object_id == object_id)
    if date_from:
        query = query.where(AuditEvent.occurred_at >= local_day_start(date_from))
    if date_to:
        query = query.where(AuditEvent.occurred_at < local_day_start(date_to + timedelta(days=1)))
    return query.order_by(AuditEvent.id.desc())


@dataclass
class DayCounts:
    total: int
    failed_sign_ins: int
    refused: int


def last_day_counts(viewer) -> DayCounts:
    """What the trail recorded in the last 24 hours at the viewer's properties (one query)."""
    since = utcnow() - timedelta(hours=24)
    total, failed, refused = db.session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((AuditEvent.action.in_(FAILED_SIGN_INS), 1), else_=0)), 0),
            func.coalesce(func.sum(case((AuditEvent.action == "access.refused", 1), else_=0)), 0),
        ).where(property_clause(viewer, AuditEvent.property_id), AuditEvent.occurred_at >= since)
    ).one()
    return DayCounts(total or 0, failed or 0, refused or 0)


def record_export(*, by, filters: str) -> None:
    """A download of the trail is itself written to the trail, with the filters used."""
    audit.record("audit.exported", actor=by, summary=filters[:400])

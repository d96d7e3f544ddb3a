"""Reading the audit trail (writing is portal.audit.record)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from portal.blueprints.audit.models import AuditEvent
from portal.blueprints.people.models import Role, User


def local_day_start(day: date, tz: str) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(tz))


def events_query(
    viewer: User,
    *,
    tz: str,
    person: str | None = None,
    object_type: str | None = None,
    object_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
):
    query = select(AuditEvent).options(selectinload(AuditEvent.actor))
    if viewer.role != Role.ADMIN:
        query = query.where(AuditEvent.property_id == viewer.property_id)
    if person:
        like = f"%{person.replace('%', '').replace('_', '')}%"
        actors = select(User.id).where(
            or_(
                User.staff_no.ilike(like),
                User.name_en.ilike(like),
                User.name_zh.like(like),
                User.username.ilike(like),
            )
        )
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
        query = query.where(AuditEvent.occurred_at >= local_day_start(date_from, tz))
    if date_to:
        query = query.where(
            AuditEvent.occurred_at < local_day_start(date_to + timedelta(days=1), tz)
        )
    return query.order_by(AuditEvent.id.desc())

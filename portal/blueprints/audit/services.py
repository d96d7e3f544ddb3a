"""Reading the audit trail (writing is portal.audit.record)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal import audit
from portal.audit import AuditEvent
from portal.blueprints.people import services as people
from portal.i18n import local_day_start
from portal.permissions import property_clause

FAILED_SIGN_INS = ("auth.sign_in_failed", "auth.locked")
# The kind of record people are in the trail (the people module's table).
PERSON = "users"


def events_query(
    viewer,
    *,
    actor: str | None = None,
    subject: str | None = None,
    object_type: str | None = None,
    object_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
):
    """The viewer's properties' events, newest first: done by a person whose name or staff
    number holds `actor`, done to one whose holds `subject`, on a kind of record, in dates."""
    query = (
        select(AuditEvent)
        .options(selectinload(AuditEvent.actor))
        .where(property_clause(viewer, AuditEvent.property_id))
    )
    if actor:
        query = query.where(AuditEvent.actor_id.in_(people.matching_ids(actor)))
    if subject:
        query = query.where(
            AuditEvent.object_type == PERSON,
            AuditEvent.object_id.in_(people.matching_ids(subject)),
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


def people_acted_on(events) -> dict:
    """The people the events were done to, by id (one query for a page of events)."""
    ids = {e.object_id for e in events if e.object_type == PERSON and e.object_id}
    return people.get_people(ids)


def record_export(*, by, filters: str) -> None:
    """A download of the trail is itself written to the trail, with the filters used."""
    audit.record("audit.exported", actor=by, summary=filters[:400])

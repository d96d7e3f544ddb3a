"""Writing and verifying the audit trail.

record() is called by every service that changes something, inside the same transaction, so the
change and its audit row commit or roll back together. Rows form a hash chain: a row edited or
deleted outside the portal is found by `flask audit verify`; on PostgreSQL a trigger refuses
UPDATE and DELETE on the table (see the migration).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from flask import has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import UTCDateTime, advisory_lock, utcnow
from portal.extensions import db

GENESIS = "0" * 64


class AuditEvent(db.Model):
    """One row of the append-only trail. Each row carries the hash of the previous one."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_property_occurred", "property_id", "occurred_at"),
        Index("ix_audit_events_object", "object_type", "object_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    property_id: Mapped[int | None] = mapped_column(ForeignKey("properties.id"))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None]
    summary: Mapped[str] = mapped_column(String(500), default="")
    ip: Mapped[str | None] = mapped_column(String(45))
    prev_hash: Mapped[str] = mapped_column(String(64))
    row_hash: Mapped[str] = mapped_column(String(64), unique=True)

    # The people module maps "users"; the core names it without importing it.
    actor = relationship("User")


# What the core itself writes; each module adds the labels of its own actions.
CORE_ACTIONS = {
    "access.refused": _l("Access refused"),
    "demo.seeded": _l("Demo data loaded"),
}


def _digest(prev_hash: str, event: AuditEvent) -> str:
    payload = json.dumps(
        [
            prev_hash,
            event.occurred_at.isoformat(),
            event.actor_id,
            event.property_id,
            event.action,
            event.object_type,
            event.object_id,
            event.summary,
            event.ip,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(
    action: str,
    obj=None,
    *,
    actor,
    summary: str = "",
    property_id: int | None = None,
    object_type: str | None = None,
    object_id: int | None = None,
) -> AuditEvent:
    """Append one audit row for `action` on `obj` (a model instance) and flush.

    `actor` is the person who acted, passed by the caller (None only when nobody is known, as
    for a failed sign-in with an unknown name); the trail never guesses it from the request.
    """
    if obj is not None:
        if obj.id is None:
            db.session.flush([obj])
        object_type = object_type or obj.__tablename__
        object_id = object_id if object_id is not None else obj.id
        if property_id is None:
            property_id = getattr(obj, "property_id", None)
    if property_id is None and actor is not None:
        property_id = actor.property_id
    event = AuditEvent(
        occurred_at=utcnow(),
        actor_id=actor.id if actor is not None else None,
        property_id=property_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=summary[:500],
        ip=request.remote_addr if has_request_context() else None,
    )
    advisory_lock("audit_events")
    last = db.session.scalar(select(AuditEvent.row_hash).order_by(AuditEvent.id.desc()).limit(1))
    event.prev_hash = last or GENESIS
    event.row_hash = _digest(event.prev_hash, event)
    db.session.add(event)
    db.session.flush([event])
    return event


def describe_changes(before: dict, after: dict) -> str:
    """A short 'field: old -> new' summary; secrets never appear (callers pass no secrets)."""
    parts = [
        f"{key}: {before.get(key)!s} -> {after.get(key)!s}"
        for key in after
        if before.get(key) != after.get(key)
    ]
    return "; ".join(parts)


@dataclass
class VerifyResult:
    checked: int
    first_bad_id: int | None
    reason: str = ""


def verify() -> VerifyResult:
    """Walk the chain in order; report the first row whose hash or link does not match."""
    prev = GENESIS
    checked = 0
    query = select(AuditEvent).order_by(AuditEvent.id).execution_options(yield_per=500)
    with db.session.scalars(query) as rows:  # a server-side cursor on PostgreSQL: close it
        for event in rows:
            checked += 1
            if event.prev_hash != prev:
                return VerifyResult(checked, event.id, "link to the previous row is broken")
            if _digest(prev, event) != event.row_hash:
                return VerifyResult(checked, event.id, "row content does not match its hash")
            prev = event.row_hash
    return VerifyResult(checked, None)


def action_label(action: str) -> str:
    """The readable name of an audit action; the raw code when no module names it."""
    from portal import modules

    label = CORE_ACTIONS.get(action) or modules.audit_actions().get(action)
    return str(label) if label is not None else action


def object_label(object_type: str | None) -> str:
    from portal import modules

    label = modules.audit_objects().get(object_type or "")
    return str(label) if label is not None else (object_type or "")

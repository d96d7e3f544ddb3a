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

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import select

from portal.blueprints.audit.models import AuditEvent
from portal.database import advisory_lock, utcnow
from portal.extensions import db

GENESIS = "0" * 64


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


def _current_actor():
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def record(
    action: str,
    obj=None,
    *,
    summary: str = "",
    actor=None,
    property_id: int | None = None,
    object_type: str | None = None,
    object_id: int | None = None,
) -> AuditEvent:
    """Append one audit row for `action` on `obj` (a model instance) and flush."""
    actor = actor if actor is not None else _current_actor()
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

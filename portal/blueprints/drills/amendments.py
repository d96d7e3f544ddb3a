"""Amendments of a closed drill record. A closed record is never edited: a correction is a new
row per field changed, with the value it had, the value it has now, who made it, when and why.
The page and the report show the record as amended and list every amendment under it, so an
inspector sees both what was written on the day and what was corrected later.

Plain functions that take the acting person, audit and flush; never commit."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from portal import audit
from portal.blueprints.drills.models import Amendment, Drill, DrillStatus
from portal.blueprints.drills.services import (
    RECORD_FIELDS,
    RecordValues,
    _check_record,
    missing_in,
)
from portal.blueprints.people.models import User
from portal.database import utcnow
from portal.errors import DomainError, FieldErrors
from portal.extensions import db
from portal.i18n import gettext as _

REASON_MAX = 500


def _stored(name: str, value):
    """A field's value as the amendment row keeps it (JSON: text, number, yes/no, ISO day)."""
    if name == "notice_given_on" and value is not None:
        return value.isoformat()
    return value


def _typed(name: str, value):
    if name == "notice_given_on" and value is not None:
        return date.fromisoformat(value)
    return value


def of_drill(drill: Drill) -> list[Amendment]:
    """Every amendment of the record, oldest first (one query)."""
    return list(
        db.session.scalars(
            select(Amendment)
            .where(Amendment.drill_id == drill.id)
            .options(joinedload(Amendment.by))
            .order_by(Amendment.at, Amendment.id)
        )
    )


def record_values(drill: Drill, amendments: list[Amendment] | None = None) -> dict:
    """The record as amended: each field's newest amended value, or the value it was closed
    with."""
    values = {name: getattr(drill, name) for name in RECORD_FIELDS}
    for row in amendments if amendments is not None else of_drill(drill):
        values[row.field] = _typed(row.field, row.after)
    return values


def amend(
    drill: Drill, values: dict, reason: str, *, by: User, expected_version: int | None
) -> list[Amendment]:
    """Record what changed between the record as amended so far and `values` (every record
    field), with `reason`. Refused, with nothing written, when the drill is not closed, when
    nothing changed, without a reason, when the amended record breaks a rule of the record (the
    same checks as before closing), or when someone amended it meanwhile."""
    if drill.status != DrillStatus.CLOSED:
        raise DomainError(_("Only a closed record is amended; until then, edit the record."))
    current = record_values(drill)
    changed = [name for name in RECORD_FIELDS if values[name] != current[name]]
    errors = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("Say why the record is amended.")
    elif len(reason) > REASON_MAX:
        errors["reason"] = _("Keep the reason under 500 characters.")
    if not changed:
        errors.setdefault("reason", _("Nothing differs from the record: change a field first."))
    if errors:
        raise FieldErrors(errors)
    _check_record(drill, values)
    missing = missing_in(RecordValues(values), drill.plan)
    if missing:
        raise FieldErrors(missing)
    # One conditional UPDATE: two people amending at once, the second learns it and writes
    # nothing (their "before" values would be stale).
    bumped = db.session.execute(
        update(Drill)
        .where(
            Drill.id == drill.id,
            Drill.status == DrillStatus.CLOSED,
            Drill.version == (expected_version if expected_version is not None else drill.version),
        )
        .values(version=Drill.version + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not bumped:
        db.session.refresh(drill)
        raise DomainError(
            _("Someone else amended this record while you were writing. Reload and try again.")
        )
    db.session.refresh(drill)
    now = utcnow()
    rows = [
        Amendment(
            drill_id=drill.id,
            field=name,
            before=_stored(name, current[name]),
            after=_stored(name, values[name]),
            reason=reason,
            by_id=by.id,
            at=now,
        )
        for name in changed
    ]
    db.session.add_all(rows)
    db.session.flush()
    audit.record(
        "drills.record_amended",
        drill,
        actor=by,
        summary=audit.describe_changes(
            {n: str(current[n]) for n in changed}, {n: str(values[n]) for n in changed}
        )
        + f" reason={reason[:120]}",
    )
    return rows

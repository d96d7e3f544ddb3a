"""How each attendant's rooms are inspected: every room, every Nth room, or none (a trusted
self-checker), and the inspector's release of a clean room without inspecting it, which needs a
coded reason. A re-clean after a failed inspection is always inspected, whatever the policy.

A room released without an inspection is inspected (ready to sell); its cleaning records how
(`released`) and, for a skip, why and by whom. Inspections alone count for first-pass rates.
"""

from __future__ import annotations

from sqlalchemy import func, select

from portal import audit
from portal.blueprints.people.models import User
from portal.blueprints.rosters.models import (
    Cleaning,
    InspectionPolicy,
    Policy,
    Release,
    SkipReason,
)
from portal.database import utcnow
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import gettext as _


def policy_for(attendant_id: int) -> InspectionPolicy | None:
    return db.session.scalar(
        select(InspectionPolicy).where(InspectionPolicy.attendant_id == attendant_id)
    )


def policies(property_id: int) -> dict[int, InspectionPolicy]:
    """Every attendant's policy at the property that is not the default (one query)."""
    rows = db.session.scalars(
        select(InspectionPolicy).where(InspectionPolicy.property_id == property_id)
    )
    return {row.attendant_id: row for row in rows}


def set_policy(attendant: User, rule: Policy, every_n: int, *, by: User) -> InspectionPolicy:
    from portal.blueprints.rosters.services import check_attendant

    check_attendant(attendant, attendant.property_id)
    if rule == Policy.SAMPLE and not 2 <= every_n <= 20:
        raise DomainError(_("Inspect every 2nd to every 20th room."), "every_n")
    row = policy_for(attendant.id)
    if row is None:
        row = InspectionPolicy(property_id=attendant.property_id, attendant_id=attendant.id)
        db.session.add(row)
    before = (row.rule, row.every_n) if row.id else (Policy.EVERY.value, None)
    row.rule = rule
    row.every_n = every_n if rule == Policy.SAMPLE else (row.every_n or 3)
    row.set_by_id = by.id
    row.set_at = utcnow()
    db.session.flush()
    audit.record(
        "rosters.policy_set",
        row,
        actor=by,
        summary=f"attendant={attendant.id} {before[0]} -> {rule}"
        + (f" every {every_n}" if rule == Policy.SAMPLE else ""),
    )
    return row


def released_by_policy(cleaning: Cleaning) -> Release | None:
    """Whether a cleaning just finished goes straight to inspected, by its attendant's policy."""
    if cleaning.reclean:
        return None
    policy = policy_for(cleaning.attendant_id)
    if policy is None or policy.rule == Policy.EVERY:
        return None
    if policy.rule == Policy.SELF:
        return Release.SELF
    # Every Nth: the Nth, 2Nth... room the attendant finishes today is inspected.
    done = db.session.scalar(
        select(func.count())
        .select_from(Cleaning)
        .where(
            Cleaning.attendant_id == cleaning.attendant_id,
            Cleaning.day == cleaning.day,
            Cleaning.finished_at.is_not(None),
            Cleaning.reclean.is_(False),
        )
    )
    return None if done % policy.every_n == 0 else Release.SAMPLE


def release(cleaning: Cleaning, reason: SkipReason, *, by: User) -> None:
    """An inspector releases a clean room without inspecting it, for a coded reason."""
    from portal.blueprints.rosters import services

    room = cleaning.room
    if cleaning.finished_at is None:
        raise DomainError(_("Room %(room)s is still being cleaned.", room=room.number))
    if cleaning.attendant_id == by.id:
        raise DomainError(_("Someone else inspects the rooms you clean."))
    if cleaning.reclean:
        raise DomainError(
            _("Room %(room)s is a re-clean: it is inspected before it is sold.", room=room.number)
        )
    services.move_to_inspected(room)
    cleaning.released = Release.SKIPPED
    cleaning.release_reason = reason
    cleaning.released_by_id = by.id
    db.session.flush()
    audit.record(
        "rosters.released", cleaning, actor=by, summary=f"room={room.number} reason={reason}"
    )

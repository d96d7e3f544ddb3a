"""Corrective actions after a drill: each with an owner of the property and a due day, marked
done by its owner (or security) with a note, then verified by security, by someone other than
who did it. Plain functions that take the acting person, audit and flush; never commit."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import case, select
from sqlalchemy.orm import joinedload

from portal import audit
from portal.blueprints.drills.models import ActionStatus, CorrectiveAction, Drill, DrillStatus
from portal.blueprints.people.models import User
from portal.database import advance, utcnow
from portal.errors import DomainError, FieldErrors
from portal.extensions import db
from portal.i18n import gettext as _
from portal.i18n import is_chinese, local_today


def add(
    drill: Drill, description: str, owner: User | None, due_on: date | None, *, by: User
) -> CorrectiveAction:
    if drill.status not in (DrillStatus.ENDED, DrillStatus.CLOSED):
        raise DomainError(_("Corrective actions are added after the all-clear."))
    errors = {}
    if not description:
        errors["description"] = _("Say what must be done.")
    if owner is None or owner.property_id != drill.property_id or not owner.active:
        errors["owner_id"] = _("Choose who owns this action (someone of this property).")
    if due_on is None:
        errors["due_on"] = _("Give the day it is due.")
    elif due_on < local_today():
        errors["due_on"] = _("Choose today or a later day.")
    if errors:
        raise FieldErrors(errors)
    action = CorrectiveAction(
        property_id=drill.property_id,
        drill_id=drill.id,
        description=description,
        owner_id=owner.id,
        due_on=due_on,
        created_by_id=by.id,
    )
    db.session.add(action)
    db.session.flush()
    audit.record(
        "drills.action_added",
        action,
        actor=by,
        summary=f"drill={drill.id} owner={owner.id} due_on={due_on.isoformat()}",
    )
    return action


def mark_done(
    action: CorrectiveAction, note: str, *, by: User, now: datetime | None = None
) -> bool:
    if action.status != ActionStatus.OPEN:
        return False  # done already (a double tap, or someone else at the same moment)
    if not note:
        raise DomainError(_("Say what was done."), "done_note")
    if not advance(
        action,
        ActionStatus.OPEN,
        status=ActionStatus.DONE,
        done_note=note[:500],
        done_at=now or utcnow(),
        done_by_id=by.id,
    ):
        return False
    audit.record("drills.action_done", action, actor=by, summary=note[:200])
    return True


def verify(action: CorrectiveAction, *, by: User, now: datetime | None = None) -> bool:
    if action.status == ActionStatus.VERIFIED:
        return False
    if action.status != ActionStatus.DONE:
        raise DomainError(_("An action is verified once it is done."))
    if action.done_by_id == by.id:
        raise DomainError(_("Someone other than who did it verifies it."))
    if not advance(
        action,
        ActionStatus.DONE,
        status=ActionStatus.VERIFIED,
        verified_at=now or utcnow(),
        verified_by_id=by.id,
    ):
        return False
    audit.record("drills.action_verified", action, actor=by)
    return True


def of_drill(drill: Drill) -> list[CorrectiveAction]:
    return list(
        db.session.scalars(
            select(CorrectiveAction)
            .where(CorrectiveAction.drill_id == drill.id)
            .options(
                joinedload(CorrectiveAction.owner),
                joinedload(CorrectiveAction.done_by),
                joinedload(CorrectiveAction.verified_by),
            )
            .order_by(CorrectiveAction.due_on, CorrectiveAction.id)
        )
    )


SHOWS = ("open", "mine", "all")


def listed(property_id: int, viewer: User, show: str):
    """The property's actions (a select to page): open ones (overdue first), the viewer's
    own, or all."""
    query = (
        select(CorrectiveAction)
        .where(CorrectiveAction.property_id == property_id)
        .options(
            joinedload(CorrectiveAction.owner),
            joinedload(CorrectiveAction.drill).joinedload(Drill.plan),
        )
    )
    if show == "open":
        query = query.where(CorrectiveAction.status != ActionStatus.VERIFIED)
    elif show == "mine":
        query = query.where(CorrectiveAction.owner_id == viewer.id)
    order = case((CorrectiveAction.status == ActionStatus.OPEN, 0), else_=1)
    return query.order_by(order, CorrectiveAction.due_on, CorrectiveAction.id)


def owner_choices(property_id: int) -> list[tuple[int, str]]:
    """Who may own an action: the active people of the property (one query)."""
    rows = db.session.execute(
        select(User.id, User.name_en, User.name_zh, User.staff_no)
        .where(User.property_id == property_id, User.active.is_(True))
        .order_by(User.name_en, User.id)
    )
    chinese = is_chinese()
    return [
        (pid, f"{(zh or en) if chinese else (en or zh)} ({staff_no})")
        for pid, en, zh, staff_no in rows
    ]

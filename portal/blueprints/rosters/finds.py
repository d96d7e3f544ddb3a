"""What an attendant reports from a room: an item a guest left behind (to the lost-and-found
register, with the room and the time) and something broken (to engineering's list, with the
room). Both are rows that are only added to and closed, never edited or deleted."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal import audit
from portal.blueprints.people.models import User
from portal.blueprints.rosters.models import Defect, FoundItem, Room
from portal.database import utcnow
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import gettext as _

LIST_LIMIT = 300
CLOSED = ("returned", "disposed")


def _text(value: str, field: str) -> str:
    text = " ".join((value or "").split())
    if not text:
        raise DomainError(_("Say what it is."), field)
    if len(text) > 300:
        raise DomainError(_("Say it in at most 300 characters."), field)
    return text


def record_found(room: Room, description: str, *, by: User, cleaning_id: int | None = None):
    item = FoundItem(
        property_id=room.property_id,
        room_id=room.id,
        cleaning_id=cleaning_id,
        description=_text(description, "description"),
        found_by_id=by.id,
    )
    db.session.add(item)
    db.session.flush()
    audit.record("rosters.item_found", item, actor=by, summary=f"room={room.number}")
    return item


def close_found(item: FoundItem, status: str, note: str, *, by: User) -> FoundItem:
    if status not in CLOSED:
        raise DomainError(_("Choose returned or disposed of."), "status")
    if item.status != "kept":
        raise DomainError(_("This item was closed already."))
    note = " ".join((note or "").split())
    if status == "returned" and not note:
        raise DomainError(_("Say to whom it was returned."), "note")
    item.status, item.closed_note = status, note[:300]
    item.closed_at, item.closed_by_id = utcnow(), by.id
    db.session.flush()
    audit.record("rosters.item_closed", item, actor=by, summary=f"{status} {note[:80]}")
    return item


def report_defect(room: Room, description: str, *, by: User, cleaning_id: int | None = None):
    defect = Defect(
        property_id=room.property_id,
        room_id=room.id,
        cleaning_id=cleaning_id,
        description=_text(description, "description"),
        reported_by_id=by.id,
    )
    db.session.add(defect)
    db.session.flush()
    audit.record("rosters.defect_reported", defect, actor=by, summary=f"room={room.number}")
    return defect


def fix_defect(defect: Defect, note: str, *, by: User) -> Defect:
    if defect.fixed_at is not None:
        raise DomainError(_("This was marked fixed already."))
    defect.fixed_at, defect.fixed_by_id = utcnow(), by.id
    defect.fix_note = " ".join((note or "").split())[:300]
    db.session.flush()
    audit.record("rosters.defect_fixed", defect, actor=by, summary=defect.fix_note[:80])
    return defect


def found_items(property_id: int, *, kept_only: bool = True) -> list[FoundItem]:
    query = (
        select(FoundItem)
        .options(joinedload(FoundItem.room), joinedload(FoundItem.found_by))
        .where(FoundItem.property_id == property_id)
        .order_by(FoundItem.found_at.desc())
        .limit(LIST_LIMIT)
    )
    if kept_only:
        query = query.where(FoundItem.status == "kept")
    return list(db.session.scalars(query))


def defects(property_id: int, *, open_only: bool = True) -> list[Defect]:
    query = (
        select(Defect)
        .options(joinedload(Defect.room), joinedload(Defect.reported_by))
        .where(Defect.property_id == property_id)
        .order_by(Defect.reported_at.desc())
        .limit(LIST_LIMIT)
    )
    if open_only:
        query = query.where(Defect.fixed_at.is_(None))
    return list(db.session.scalars(query))


def of_room(room: Room) -> tuple[list[FoundItem], list[Defect]]:
    """What was found in and reported of the room, the newest first (two queries)."""
    items = db.session.scalars(
        select(FoundItem).where(FoundItem.room_id == room.id).order_by(FoundItem.id.desc()).limit(5)
    )
    broken = db.session.scalars(
        select(Defect)
        .where(Defect.room_id == room.id, Defect.fixed_at.is_(None))
        .order_by(Defect.id.desc())
        .limit(10)
    )
    return list(items), list(broken)

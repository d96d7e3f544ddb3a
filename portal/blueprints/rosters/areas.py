"""Public areas and their cleaning rounds: each area's last round, when the next is due (every
N minutes), and a round tapped done. An area cleaned "after each service" is due once its
service ends, which the portal does not know: it shows its last round, never overdue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal import audit
from portal.blueprints.people.models import User
from portal.blueprints.rosters.models import Area, AreaAssignment, AreaRound
from portal.database import utcnow
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import gettext as _

DOUBLE_TAP = timedelta(seconds=60)  # a second "done" within a minute is the same round


@dataclass(frozen=True)
class AreaRow:
    area: Area
    last_done: datetime | None
    last_by_en: str | None
    last_by_zh: str | None

    @property
    def due_at(self) -> datetime | None:
        if self.area.every_minutes is None:
            return None
        if self.last_done is None:
            return None  # never cleaned through the portal: due now
        return self.last_done + timedelta(minutes=self.area.every_minutes)

    def overdue(self, now: datetime) -> bool:
        if self.area.every_minutes is None:
            return False
        return self.last_done is None or self.due_at <= now

    @property
    def last_by(self) -> str:
        from portal.i18n import is_chinese

        en, zh = self.last_by_en or "", self.last_by_zh or ""
        return (zh or en) if is_chinese() else (en or zh)


def area_rows(property_id: int) -> list[AreaRow]:
    """Every active area with its last round and who did it (one query), overdue ones first."""
    last = (
        select(AreaRound.area_id, func.max(AreaRound.id).label("round_id"))
        .where(AreaRound.property_id == property_id)
        .group_by(AreaRound.area_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Area, AreaRound.done_at, User.name_en, User.name_zh)
        .outerjoin(last, last.c.area_id == Area.id)
        .outerjoin(AreaRound, AreaRound.id == last.c.round_id)
        .outerjoin(User, User.id == AreaRound.done_by_id)
        .where(Area.property_id == property_id, Area.active.is_(True))
        .order_by(Area.floor, Area.code)
    )
    items = [AreaRow(*row) for row in rows]
    now = utcnow()
    return sorted(
        items, key=lambda r: (not r.overdue(now), r.area.floor is None, r.area.floor or 0)
    )


def record_round(area: Area, *, by: User, note: str = "") -> AreaRound | None:
    """A round done now; None when the same person tapped it done a moment ago."""
    recent = db.session.scalar(
        select(AreaRound)
        .where(
            AreaRound.area_id == area.id,
            AreaRound.done_by_id == by.id,
            AreaRound.done_at > utcnow() - DOUBLE_TAP,
        )
        .limit(1)
    )
    if recent is not None:
        return None
    row = AreaRound(
        area_id=area.id, property_id=area.property_id, done_by_id=by.id, note=" ".join(note.split())
    )
    db.session.add(row)
    db.session.flush()
    audit.record("rosters.area_cleaned", row, actor=by, summary=f"area={area.code}")
    return row


def add_area(property_id: int, *, by: User, **values) -> Area:
    """A public area (code, names, kind, floor, every_minutes: None for after each service)."""
    clash = db.session.scalar(
        select(Area.id).where(Area.property_id == property_id, Area.code == values["code"])
    )
    if clash is not None:
        raise DomainError(_("An area with this code exists already."), "code")
    area = Area(property_id=property_id, **values)
    db.session.add(area)
    db.session.flush()
    audit.record("rosters.area_added", area, actor=by, summary=area.code)
    return area


def assignments(property_id: int, day) -> dict[int, AreaAssignment]:
    """{area id: its assignment} for the day (one query)."""
    rows = db.session.scalars(
        select(AreaAssignment).where(
            AreaAssignment.property_id == property_id, AreaAssignment.day == day
        )
    )
    return {row.area_id: row for row in rows}


def give_area(area: Area, person: User | None, day, *, by: User) -> AreaAssignment | None:
    """Put the area on the person's list for the day (None: on nobody's). One attendant per
    area and day: giving it to another moves it."""
    from portal.blueprints.rosters.services import check_attendant

    row = db.session.scalar(
        select(AreaAssignment).where(AreaAssignment.area_id == area.id, AreaAssignment.day == day)
    )
    if person is None:
        if row is not None:
            audit.record("rosters.area_unassigned", row, actor=by, summary=f"area={area.code}")
            db.session.delete(row)
            db.session.flush()
        return None
    check_attendant(person, area.property_id)
    if row is not None and row.attendant_id == person.id:
        return row
    if row is None:
        row = AreaAssignment(property_id=area.property_id, day=day, area_id=area.id)
        db.session.add(row)
    row.attendant_id, row.assigned_by_id, row.assigned_at = person.id, by.id, utcnow()
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # given at the next tablet a moment ago
        raise DomainError(
            _("Area %(code)s was just given to someone else. Reload to see who.", code=area.code)
        ) from None
    audit.record(
        "rosters.area_assigned", row, actor=by, summary=f"area={area.code} attendant={person.id}"
    )
    return row


def rows_of(attendant_id: int, property_id: int, day) -> list[AreaRow]:
    """The areas on an attendant's list for the day, with their last round (two queries)."""
    mine = set(
        db.session.scalars(
            select(AreaAssignment.area_id).where(
                AreaAssignment.attendant_id == attendant_id, AreaAssignment.day == day
            )
        )
    )
    if not mine:
        return []
    return [row for row in area_rows(property_id) if row.area.id in mine]


def area_list_of(property_id: int) -> list[Area]:
    """The property's active areas, by floor and code (one query)."""
    return list(
        db.session.scalars(
            select(Area)
            .where(Area.property_id == property_id, Area.active.is_(True))
            .order_by(Area.floor, Area.code)
        )
    )

"""The room-status board: every room by floor with its status and who is on it today.

The board polls. Its ETag is built from the rooms' newest change stamp (Room.changed_at moves on
every status change, assignment and rush flag) and the viewer's filters, read by one indexed
query, so a poll when nothing changed answers 304 without building the board.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, bindparam, func, select

from portal.blueprints.people.models import User
from portal.blueprints.rosters.models import Assignment, Room, RoomStatus, RoomType
from portal.database import built_once
from portal.extensions import db
from portal.i18n import is_chinese

BOARD_LIMIT = 2000  # rooms of one property shown at once


@dataclass(frozen=True)
class Tile:
    id: int
    number: str
    floor: int
    status: str
    rush: bool
    room_type: str
    attendant_en: str | None
    attendant_zh: str | None
    deferral: str | None

    @property
    def attendant(self) -> str:
        en, zh = self.attendant_en or "", self.attendant_zh or ""
        return (zh or en) if is_chinese() else (en or zh)

    @property
    def status_enum(self) -> RoomStatus:
        return RoomStatus(self.status)


@built_once
def _stamp_statement():
    return select(func.max(Room.changed_at), func.count()).where(
        Room.property_id == bindparam("property_id"), Room.active.is_(True)
    )


def stamp(property_id: int) -> tuple[datetime | None, int]:
    changed, count = db.session.execute(_stamp_statement(), {"property_id": property_id}).one()
    return changed, count


def etag(property_id: int, day: date, viewer_id: int, locale: str, *filters) -> str:
    changed, count = stamp(property_id)
    raw = "|".join(str(x) for x in (property_id, day, viewer_id, locale, changed, count, *filters))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


@built_once
def _tiles_statement(by_floor: bool, by_status: bool):
    query = (
        select(
            Room.id,
            Room.number,
            Room.floor,
            Room.status,
            Room.rush,
            RoomType.code,
            User.name_en,
            User.name_zh,
            Assignment.deferral,
        )
        .join(RoomType, RoomType.id == Room.room_type_id)
        .outerjoin(
            Assignment,
            and_(Assignment.room_id == Room.id, Assignment.day == bindparam("day")),
        )
        .outerjoin(User, User.id == Assignment.attendant_id)
        .where(Room.property_id == bindparam("property_id"), Room.active.is_(True))
        .order_by(Room.floor.desc(), Room.number)
        .limit(BOARD_LIMIT)
    )
    if by_floor:
        query = query.where(Room.floor == bindparam("floor"))
    if by_status:
        query = query.where(Room.status == bindparam("status"))
    return query


def tiles(
    property_id: int, day: date, floor: int | None = None, status: str | None = None
) -> dict[int, list[Tile]]:
    """The rooms by floor, the top floor first (one query)."""
    values = {"property_id": property_id, "day": day}
    if floor is not None:
        values["floor"] = floor
    if status is not None:
        values["status"] = status
    floors: dict[int, list[Tile]] = {}
    for row in db.session.execute(_tiles_statement(floor is not None, status is not None), values):
        tile = Tile(*row)
        floors.setdefault(tile.floor, []).append(tile)
    return floors


@built_once
def _floors_statement():
    return (
        select(Room.floor, Room.status, func.count())
        .where(Room.property_id == bindparam("property_id"), Room.active.is_(True))
        .group_by(Room.floor, Room.status)
        .order_by(Room.floor.desc())
    )


def floor_counts(property_id: int) -> tuple[list[int], dict[str, int]]:
    """The property's floors (top first) and how many rooms are in each status (one query)."""
    floors: list[int] = []
    counts = {s.value: 0 for s in RoomStatus}
    for floor, status, n in db.session.execute(_floors_statement(), {"property_id": property_id}):
        if floor not in floors:
            floors.append(floor)
        counts[status] = counts.get(status, 0) + n
    return floors, counts

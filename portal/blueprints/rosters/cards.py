"""Rosters cards of the home page: an attendant's rooms today; for housekeeping, the rooms
waiting for inspection, the rush rooms and the day's progress (the board shows it by floor).

The numbers are scalar SQL read in the home page's one statement of numbers: the cards add no
query to the home page.
"""

from __future__ import annotations

from flask import url_for
from sqlalchemy import bindparam, func, select

from portal.blueprints.rosters.models import Assignment, Room, RoomStatus
from portal.blueprints.rosters.permissions import is_attendant, runs_housekeeping
from portal.i18n import gettext as _
from portal.modules import Numbers

DONE = (RoomStatus.CLEAN, RoomStatus.INSPECTED)


def _count(*where):
    return (
        select(func.count())
        .select_from(Assignment)
        .join(Room, Room.id == Assignment.room_id)
        .where(*where)
        .scalar_subquery()
    )


def my_rooms_numbers(user) -> Numbers:
    return Numbers()


def my_rooms_numbers_sql(_shape) -> dict:
    mine = (
        Assignment.attendant_id == bindparam("card_user_id"),
        Assignment.day == bindparam("card_today"),
    )
    return {
        "rooms_mine": _count(*mine),
        "rooms_mine_done": _count(*mine, Room.status.in_(DONE)),
        "rooms_mine_rush": _count(*mine, Room.rush.is_(True), Room.status.not_in(DONE)),
    }


def my_rooms_card(user, values: dict) -> dict | None:
    if not is_attendant(user) or not values["rooms_mine"]:
        return None
    url = url_for("rosters.mine")
    numbers = [
        (_("Rooms on my list"), values["rooms_mine"], url),
        (_("Done"), values["rooms_mine_done"], url),
    ]
    if values["rooms_mine_rush"]:
        numbers.append((_("Rush: a guest is waiting"), values["rooms_mine_rush"], url))
    return {
        "id": "my-rooms",
        "icon": "grid-3x3-gap-fill",
        "title": _("My rooms today"),
        "numbers": numbers,
        "link": (url, _("My rooms")),
    }


def housekeeping_numbers(user) -> Numbers:
    return Numbers()


def housekeeping_numbers_sql(_shape) -> dict:
    here = Room.property_id == bindparam("card_property_id")
    today = (
        Assignment.property_id == bindparam("card_property_id"),
        Assignment.day == bindparam("card_today"),
    )

    def rooms(*where):
        return (
            select(func.count()).select_from(Room).where(here, Room.active.is_(True), *where)
        ).scalar_subquery()

    return {
        "rooms_to_inspect": rooms(Room.status == RoomStatus.CLEAN),
        "rooms_rush": rooms(Room.rush.is_(True), Room.status != RoomStatus.INSPECTED),
        "rooms_assigned": _count(*today),
        "rooms_done": _count(*today, Room.status.in_(DONE)),
        "rooms_floors_open": (
            select(func.count(func.distinct(Room.floor)))
            .select_from(Assignment)
            .join(Room, Room.id == Assignment.room_id)
            .where(*today, Room.status.not_in(DONE))
            .scalar_subquery()
        ),
    }


def housekeeping_card(user, values: dict) -> dict | None:
    if not runs_housekeeping(user) or not (values["rooms_assigned"] or values["rooms_to_inspect"]):
        return None
    board = url_for("rosters.board")
    numbers = [
        (
            _("Waiting for inspection"),
            values["rooms_to_inspect"],
            url_for("rosters.board", status=RoomStatus.CLEAN.value),
        ),
        (_("Rush rooms not ready"), values["rooms_rush"], board),
        (
            _("Cleaned today, of %(n)s on the roster", n=values["rooms_assigned"]),
            values["rooms_done"],
            url_for("rosters.roster"),
        ),
        (_("Floors still being cleaned"), values["rooms_floors_open"], board),
    ]
    card = {
        "id": "housekeeping",
        "icon": "grid-3x3-gap-fill",
        "title": _("Rooms today"),
        "numbers": numbers,
        "link": (board, _("Room board")),
    }
    return card

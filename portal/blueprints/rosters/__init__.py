"""Cleaning rosters: rooms and their status, the day's roster of each attendant, cleaning on a
tablet through the checklist of the guest-room cleaning SOP, and the supervisor's inspection."""

from flask import Blueprint

from portal.i18n import lazy_gettext as _l
from portal.modules import Card, Module, NavEntry
from portal.roles import Role

bp = Blueprint("rosters", __name__, url_prefix="/rosters")


def module() -> Module:
    from portal.blueprints.rosters import (  # noqa: F401 - the routes
        area_views,
        cards,
        demo,
        finds_views,
        history_views,
        policy_views,
        print_views,
        room_views,
        roster_views,
        views,
    )
    from portal.blueprints.rosters.permissions import can_view_board

    return Module(
        name="rosters",
        blueprint=bp,
        nav=[NavEntry("rosters.board", _l("Rooms"), "grid-3x3-gap-fill", can_view_board, 35)],
        audit_actions={
            "rosters.room_added": _l("Room added"),
            "rosters.room_changed": _l("Room changed"),
            "rosters.settings_changed": _l("Cleaning checklist chosen"),
            "rosters.assigned": _l("Room put on an attendant's list"),
            "rosters.moved": _l("Room moved to another attendant"),
            "rosters.unassigned": _l("Room taken off an attendant's list"),
            "rosters.deferred": _l("Room put off (do not disturb, no service)"),
            "rosters.started": _l("Room cleaning started"),
            "rosters.ticked": _l("Cleaning step ticked"),
            "rosters.unticked": _l("Cleaning step unticked"),
            "rosters.finished": _l("Room cleaning finished"),
            "rosters.passed": _l("Room inspection passed"),
            "rosters.failed": _l("Room inspection failed"),
            "rosters.rush": _l("Room flagged rush"),
            "rosters.rush_cleared": _l("Room rush flag cleared"),
            "rosters.dirty": _l("Room marked dirty"),
            "rosters.policy_set": _l("Inspection policy set"),
            "rosters.released": _l("Room released without an inspection"),
            "rosters.item_found": _l("Item left behind handed in"),
            "rosters.item_closed": _l("Lost-and-found item returned or disposed of"),
            "rosters.defect_reported": _l("Room defect reported"),
            "rosters.defect_fixed": _l("Room defect fixed"),
            "rosters.area_added": _l("Public area added"),
            "rosters.area_cleaned": _l("Public area cleaned"),
            "rosters.area_assigned": _l("Public area put on an attendant's list"),
            "rosters.area_unassigned": _l("Public area taken off the roster"),
        },
        audit_objects={
            "rooms": _l("Room"),
            "room_assignments": _l("Room on a roster"),
            "room_cleanings": _l("Room cleaning"),
            "room_inspections": _l("Room inspection"),
            "roster_settings": _l("Rosters settings"),
            "room_inspection_policies": _l("Inspection policy"),
            "room_found_items": _l("Lost-and-found item"),
            "room_defects": _l("Room defect"),
            "public_areas": _l("Public area"),
            "public_area_rounds": _l("Public area cleaning"),
            "public_area_assignments": _l("Public area on a roster"),
        },
        seeder=demo.seed_rosters,
        seed_after=("people", "sops"),
        cards=[
            Card(
                cards.my_rooms_card,
                frozenset({Role.EMPLOYEE}),
                order=11,
                numbers=cards.my_rooms_numbers,
                numbers_sql=cards.my_rooms_numbers_sql,
            ),
            Card(
                cards.housekeeping_card,
                frozenset({Role.MANAGER, Role.ADMIN, Role.SUPERVISOR}),
                order=21,
                numbers=cards.housekeeping_numbers,
                numbers_sql=cards.housekeeping_numbers_sql,
            ),
        ],
    )

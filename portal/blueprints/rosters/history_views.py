"""Housekeeping's history: attendants' figures, times by room type, the steps that fail most."""

from __future__ import annotations

from flask_login import current_user

from portal.blueprints.rosters import bp, history
from portal.blueprints.rosters.permissions import can_build_roster
from portal.htmx import render
from portal.i18n import local_today
from portal.pagination import int_arg
from portal.security import require

PERIODS = (7, 30, 60, 90)


@bp.get("/history")
def history_view():
    require(can_build_roster)
    days = int_arg("days", default=30, low=1, high=history.MAX_DAYS)
    since, until = history.period_of(days, local_today())
    property_id = current_user.property_id
    return render(
        "rosters/history.html",
        block="figures",
        days=days,
        periods=PERIODS,
        since=since,
        until=until,
        people=history.by_attendant(property_id, since, until),
        types=history.by_room_type(property_id, since, until),
        steps=history.failing_steps(property_id, since, until),
    )

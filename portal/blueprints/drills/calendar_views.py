"""The drill calendar: a month or week of the property's drills on their planned days, each
with its plan, shift and state, filtered by plan and shift. Everyone of the property reads it
(people must know what to do when the alarm sounds); security and the overseers of compliance
also see each plan and shift that is due with no drill planned for it, on its due day (or
on today, once overdue)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import request, url_for
from flask_login import current_user

from portal.blueprints.drills import bp, compliance, plans, services
from portal.blueprints.drills.compliance import STANDING_ICONS, Cell, Standing
from portal.blueprints.drills.models import SHIFT_LABELS, Drill, DrillStatus, Shift
from portal.blueprints.drills.permissions import (
    can_list_drills,
    can_schedule_drill,
    can_view_compliance,
)
from portal.calendar import Calendar
from portal.htmx import render
from portal.pagination import int_arg
from portal.security import require

STATUS_FLAGS = {  # icon and the flag's class (portal.css .portal-cal-flag.is-*)
    DrillStatus.PLANNED: ("calendar-event", "is-planned"),
    DrillStatus.RUNNING: ("megaphone", "is-running"),
    DrillStatus.ENDED: ("pencil", "is-waiting"),
    DrillStatus.CLOSED: ("check-circle-fill", "is-mine"),
}


@dataclass
class Due:
    """A plan and shift due on this day with no drill planned or running for it."""

    cell: Cell

    @property
    def overdue(self) -> bool:
        return self.cell.standing in (Standing.OVERDUE, Standing.NEVER)


def _link(**args) -> str:
    """A calendar URL without the filters that are "all"."""
    return url_for("drills.calendar", **{k: v for k, v in args.items() if v})


def _shift_arg() -> str:
    shift = request.args.get("shift", "")
    return shift if shift in {s.value for s in Shift} else ""


@bp.get("/calendar")
def calendar():
    require(can_list_drills)
    property_id = current_user.property_id
    plan_id = int_arg("plan", 0)
    shift = _shift_arg()
    cal = Calendar(lambda **a: _link(**a, plan=plan_id, shift=shift))
    drills = services.between(
        property_id,
        cal.start,
        cal.end,
        plan_id=plan_id or None,
        shift=shift or None,
        limit=services.CALENDAR_LIMIT + 1,
    )
    for drill in drills[: services.CALENDAR_LIMIT]:
        cal.put(drill, drill.planned_on)
    overseer = can_view_compliance(current_user)
    if overseer:
        for cell in compliance.overview(property_id):
            if cell.planned or cell.running_id:
                continue
            if (plan_id and cell.plan.id != plan_id) or (shift and cell.shift != shift):
                continue
            # What is owed is shown on its due day, or today once that day has gone by.
            cal.put(Due(cell), max(cell.due, cal.today))
    return render(
        "drills/calendar.html",
        block="calendar",
        cal=cal,
        cut_short=len(drills) > services.CALENDAR_LIMIT,
        limit=services.CALENDAR_LIMIT,
        plan_id=plan_id,
        shift=shift,
        plan_choices=plans.plan_choices(property_id),
        shift_choices=[(s.value, str(label)) for s, label in SHIFT_LABELS.items()],
        flags=STATUS_FLAGS,
        standing_icons=STANDING_ICONS,
        is_drill=lambda entry: isinstance(entry, Drill),
        overseer=overseer,
        may_schedule=can_schedule_drill(current_user),
    )

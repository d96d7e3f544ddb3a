"""Whether each shift has drilled each plan as often as the plan asks.

The rule, written once (`standing`): a shift's next drill is due the plan's number of months
after its last closed drill (the same day of the month, or the month's last day); a shift that
never drilled is due that long after the plan was made. Overdue from the day after the due day;
due soon within DUE_SOON_DAYS. The view reads every plan, shift and last drill in one query
whatever the number of drills.
"""

from __future__ import annotations

import calendar
import enum
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from portal.blueprints.drills.models import (
    SHIFT_ORDER,
    Drill,
    DrillStatus,
    Plan,
    PlanShift,
    PlanVersion,
    Shift,
)
from portal.blueprints.drills.plans import in_force_join
from portal.extensions import db
from portal.i18n import _local, local_today, localized
from portal.i18n import lazy_gettext as _l

DUE_SOON_DAYS = 30


class Standing(enum.StrEnum):
    OK = "ok"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    NEVER = "never"  # never drilled and past due

    @property
    def label(self) -> str:
        return str(STANDING_LABELS[self])


STANDING_LABELS = {
    Standing.OK: _l("Up to date"),
    Standing.DUE_SOON: _l("Due soon"),
    Standing.OVERDUE: _l("Overdue"),
    Standing.NEVER: _l("Never drilled"),
}
STANDING_ICONS = {
    Standing.OK: ("check-circle-fill", "text-bg-success"),
    Standing.DUE_SOON: ("clock", "text-bg-warning"),
    Standing.OVERDUE: ("exclamation-triangle-fill", "text-bg-danger"),
    Standing.NEVER: ("x-circle-fill", "text-bg-danger"),
}


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_on(last: date | None, plan_made: date, every_months: int) -> date:
    return add_months(last if last is not None else plan_made, every_months)


def standing(last: date | None, plan_made: date, every_months: int, today: date) -> Standing:
    due = due_on(last, plan_made, every_months)
    if today > due:
        return Standing.NEVER if last is None else Standing.OVERDUE
    if today >= due - timedelta(days=DUE_SOON_DAYS):
        return Standing.DUE_SOON
    return Standing.OK


@dataclass
class Cell:
    plan: Plan
    title_en: str
    title_zh: str
    shift: Shift
    last: date | None
    last_drill_id: int | None
    due: date
    standing: Standing
    planned: date | None  # the next drill on the calendar for this plan and shift
    running_id: int | None = None  # a drill of this plan and shift running now

    @property
    def title(self) -> str:
        return localized(self, "title")


def overview(property_id: int, today: date | None = None) -> list[Cell]:
    """Every plan x required shift of the property, worst first (one query: each plan and
    shift with its newest closed drill, next planned drill and the drill running now)."""
    today = today or local_today()
    closed = Drill.status == DrillStatus.CLOSED
    facts = (
        select(
            Drill.plan_id,
            Drill.shift,
            func.max(Drill.alarm_at).filter(closed).label("last_at"),
            func.max(Drill.id).filter(closed).label("last_id"),
            func.min(Drill.planned_on)
            .filter(Drill.status == DrillStatus.PLANNED, Drill.planned_on >= today)
            .label("planned"),
            func.max(Drill.id).filter(Drill.status == DrillStatus.RUNNING).label("running_id"),
        )
        .where(Drill.property_id == property_id)
        .group_by(Drill.plan_id, Drill.shift)
        .subquery()
    )
    rows = db.session.execute(
        select(
            Plan,
            PlanVersion.title_en,
            PlanVersion.title_zh,
            PlanShift.shift,
            facts.c.last_at,
            facts.c.last_id,
            facts.c.planned,
            facts.c.running_id,
        )
        .join(PlanShift, PlanShift.plan_id == Plan.id)
        .join(PlanVersion, in_force_join())
        .outerjoin(facts, (facts.c.plan_id == Plan.id) & (facts.c.shift == PlanShift.shift))
        .where(Plan.property_id == property_id)
    ).all()
    cells = []
    for plan, title_en, title_zh, shift, last_at, last_id, planned, running_id in rows:
        last = _local(last_at).date() if last_at is not None else None
        made = _local(plan.created_at).date()
        cells.append(
            Cell(
                plan=plan,
                title_en=title_en,
                title_zh=title_zh,
                shift=Shift(shift),
                last=last,
                last_drill_id=last_id,
                due=due_on(last, made, plan.every_months),
                standing=standing(last, made, plan.every_months, today),
                planned=planned,
                running_id=running_id,
            )
        )
    worst = {Standing.NEVER: 0, Standing.OVERDUE: 1, Standing.DUE_SOON: 2, Standing.OK: 3}
    cells.sort(key=lambda c: (worst[c.standing], c.due, c.plan.code, SHIFT_ORDER[c.shift]))
    return cells


def counts(cells: list[Cell]) -> dict[Standing, int]:
    tally = dict.fromkeys(Standing, 0)
    for cell in cells:
        tally[cell.standing] += 1
    return tally

"""Evacuation times of a plan's drills, as a server-drawn bar chart (SVG) and its table.

One bar per closed drill, oldest on the left, coloured by shift; a dashed line at the plan's
target time. The geometry is worked out here, the template draws it; the same numbers are in a
table beside the chart (UI.md: charts readable in print, their numbers available)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from portal.blueprints.drills.models import Drill, DrillStatus, Plan, Shift
from portal.extensions import db
from portal.i18n import _local

SHOWN = 24  # the newest drills: six years of one shift quarterly, two of three shifts
WIDTH, HEIGHT = 600, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 28, 10, 28  # room for the axis labels


@dataclass(frozen=True)
class Point:
    drill_id: int
    day: date
    shift: Shift
    seconds: int


@dataclass(frozen=True)
class Bar:
    point: Point
    x: float
    y: float
    width: float
    height: float
    label: bool  # its date is written under the axis


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    ticks: list[tuple[float, int]]  # (y, minutes)
    target_y: float | None
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom_y: float = HEIGHT - BOTTOM


def points(plan: Plan, limit: int = SHOWN) -> list[Point]:
    """The newest closed drills of the plan with their evacuation time, oldest first (one
    query)."""
    rows = db.session.execute(
        select(Drill.id, Drill.alarm_at, Drill.all_clear_at, Drill.shift)
        .where(Drill.plan_id == plan.id, Drill.status == DrillStatus.CLOSED)
        .order_by(Drill.alarm_at.desc())
        .limit(limit)
    ).all()
    return [
        Point(drill_id, _local(alarm).date(), Shift(shift), int((clear - alarm).total_seconds()))
        for drill_id, alarm, clear, shift in reversed(rows)
    ]


def chart(found: list[Point], target_seconds: int | None) -> Chart | None:
    if not found:
        return None
    top_value = max([p.seconds for p in found] + [target_seconds or 0])
    minutes = max(1, -(-top_value // 60))  # the axis ends on a whole minute above the top
    step = 1 if minutes <= 6 else 2 if minutes <= 12 else 5
    minutes = -(-minutes // step) * step
    plot_h = HEIGHT - TOP - BOTTOM
    plot_w = WIDTH - LEFT - RIGHT
    scale = plot_h / (minutes * 60)
    slot = plot_w / len(found)
    every = max(1, len(found) // 6)  # about six dates under the axis
    bars = []
    for i, point in enumerate(found):
        h = point.seconds * scale
        bars.append(
            Bar(
                point,
                x=LEFT + i * slot + slot * 0.15,
                y=TOP + plot_h - h,
                width=slot * 0.7,
                height=h,
                label=(len(found) - 1 - i) % every == 0,
            )
        )
    ticks = [(TOP + plot_h - m * 60 * scale, m) for m in range(0, minutes + 1, step)]
    target_y = TOP + plot_h - target_seconds * scale if target_seconds else None
    return Chart(bars, ticks, target_y)

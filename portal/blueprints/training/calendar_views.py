"""The training calendar: a month (a grid of the weeks that cover it) or a week of the viewer's
property's sessions, filtered as the list is (programme, department that must take it).

Days are local days of the properties' time zone: the bounds come from local_day_start() and a
session is placed on the local date of each day it covers (a multi-day course, one session from
its start to its end, shows on every one of its days). The month and week themselves, their
links and day names are portal.calendar's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import url_for
from flask_login import current_user

from portal.blueprints.people import services as people
from portal.blueprints.training import bp, services
from portal.blueprints.training.models import TrainingSession
from portal.blueprints.training.permissions import can_list_training, can_schedule
from portal.calendar import Calendar, Day, covering, days_between
from portal.htmx import render
from portal.i18n import local_day_start
from portal.pagination import int_arg
from portal.security import require

_LAST_MOMENT = timedelta(microseconds=1)


@dataclass
class Entry:
    """A session on one day it covers: day `n` of `days` (1 of 1 for most)."""

    session: TrainingSession
    mine: str | None
    n: int
    days: int

    @property
    def first(self) -> bool:
        return self.n == 1

    @property
    def last(self) -> bool:
        return self.n == self.days


def place(rows, first: date, last: date, *, in_range, today: date, wide_names) -> list[Day]:
    """The days first..last, each with the sessions that cover it (rows in start order)."""
    days = days_between(first, last, in_range=in_range, today=today, wide_names=wide_names)
    _put(days, rows)
    return days


def _put(days: list[Day], rows) -> None:
    for session, mine in rows:
        starts = services.to_local(session.starts_at).date()
        ends = services.to_local(session.ends_at - _LAST_MOMENT).date()  # midnight: the day before
        for day, n, span in covering(days, starts, ends):
            day.entries.append(Entry(session, mine, n, span))


def _link(**args) -> str:
    """A calendar URL without the filters that are "all" (0)."""
    return url_for("training.calendar", **{k: v for k, v in args.items() if v})


@bp.get("/calendar")
def calendar():
    require(can_list_training)
    programme_id = int_arg("programme", 0)
    department_id = int_arg("department", 0)
    cal = Calendar(lambda **a: _link(**a, programme=programme_id, department=department_id))
    rows = services.sessions_between(
        current_user,
        local_day_start(cal.start),
        local_day_start(cal.end),
        programme_id=programme_id or None,
        department_id=department_id or None,
        limit=services.CALENDAR_LIMIT + 1,
    )
    _put(cal.days, rows[: services.CALENDAR_LIMIT])
    return render(
        "training/calendar.html",
        block="calendar",
        cal=cal,
        cut_short=len(rows) > services.CALENDAR_LIMIT,
        limit=services.CALENDAR_LIMIT,
        programme_id=programme_id,
        department_id=department_id,
        programmes=services.list_programmes(current_user.property_id),
        departments=people.property_departments(current_user.property_id),
        may_schedule=can_schedule(current_user),
    )

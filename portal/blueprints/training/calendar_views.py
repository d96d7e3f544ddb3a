"""The training calendar: a month (a grid of the weeks that cover it) or a week of the viewer's
property's sessions, filtered as the list is (programme, department that must take it).

Days are local days of the properties' time zone: the bounds come from local_day_start() and a
session is placed on the local date of each day it covers (a multi-day course, one session from
its start to its end, shows on every one of its days). Weeks start on Monday.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from babel import Locale
from babel.dates import format_skeleton
from flask import request, url_for
from flask_babel import get_locale
from flask_login import current_user

from portal.blueprints.people import services as people
from portal.blueprints.training import bp, services
from portal.blueprints.training.models import TrainingSession
from portal.blueprints.training.permissions import can_list_training, can_schedule
from portal.htmx import render
from portal.i18n import fmt_date, local_day_start, local_today
from portal.i18n import gettext as _
from portal.pagination import int_arg
from portal.security import require

VIEWS = ("month", "week")
SHOWN_PER_DAY = 3  # sessions a day of the month grid lists before "+N more"
# The days the calendar goes to; any other `day` (and anything that is not YYYY-MM-DD) is today.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_LAST_MOMENT = timedelta(microseconds=1)


def day_arg(name: str, default: date) -> date:
    """A date (YYYY-MM-DD) from the query string; `default` when absent, malformed or outside
    FIRST_DAY..LAST_DAY (as int_arg clamps numbers: never an error)."""
    raw = (request.args.get(name) or "").strip()
    if not _ISO_DAY.fullmatch(raw):  # also bounds the length: no long string is parsed
        return default
    try:
        value = date.fromisoformat(raw)
    except ValueError:  # 9999-99-99
        return default
    return value if FIRST_DAY <= value <= LAST_DAY else default


@functools.cache
def _day_names(locale: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Babel's abbreviated and wide weekday names of a locale, Monday first."""
    days = Locale.parse(locale).days["format"]
    return (
        tuple(days["abbreviated"][i] for i in range(7)),
        tuple(days["wide"][i] for i in range(7)),
    )


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


@dataclass
class Day:
    date: date
    label: str  # "Monday, 23 Nov 2026"
    in_range: bool  # in the month shown (the grid's other days are muted)
    today: bool
    entries: list[Entry] = field(default_factory=list)

    @property
    def iso(self) -> str:
        return self.date.isoformat()

    @property
    def more(self) -> int:
        return max(0, len(self.entries) - SHOWN_PER_DAY)


def _bounds(view: str, anchor: date) -> tuple[date, date, date, date]:
    """(first day shown, last day shown, first day of the range, last day of the range): for a
    month the grid runs from the Monday on or before its first day to the Sunday on or after
    its last day."""
    if view == "week":
        monday = anchor - timedelta(days=anchor.weekday())
        return monday, monday + timedelta(days=6), monday, monday + timedelta(days=6)
    first = anchor.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return (
        first - timedelta(days=first.weekday()),
        last + timedelta(days=6 - last.weekday()),
        first,
        last,
    )


def place(rows, first: date, last: date, *, in_range, today: date, wide_names) -> list[Day]:
    """The days first..last, each with the sessions that cover it (rows in start order)."""
    label = _("%(weekday)s, %(date)s")
    days = [
        Day(
            day,
            label % {"weekday": wide_names[day.weekday()], "date": fmt_date(day)},
            in_range(day),
            day == today,
        )
        for day in (first + timedelta(days=i) for i in range((last - first).days + 1))
    ]
    for session, mine in rows:
        starts = services.to_local(session.starts_at).date()
        ends = services.to_local(session.ends_at - _LAST_MOMENT).date()  # midnight: the day before
        span = (ends - starts).days + 1
        for i in range(max((starts - first).days, 0), min((ends - first).days, len(days) - 1) + 1):
            days[i].entries.append(Entry(session, mine, (days[i].date - starts).days + 1, span))
    return days


def _link(**args) -> str:
    """A calendar URL without the filters that are "all" (0)."""
    return url_for("training.calendar", **{k: v for k, v in args.items() if v})


@bp.get("/calendar")
def calendar():
    require(can_list_training)
    view = request.args.get("view", "month")
    view = view if view in VIEWS else "month"
    today = local_today()
    anchor = day_arg("day", today)
    programme_id = int_arg("programme", 0)
    department_id = int_arg("department", 0)
    first, last, range_first, range_last = _bounds(view, anchor)
    rows = services.sessions_between(
        current_user,
        local_day_start(first),
        local_day_start(last + timedelta(days=1)),
        programme_id=programme_id or None,
        department_id=department_id or None,
        limit=services.CALENDAR_LIMIT + 1,
    )
    locale = str(get_locale())
    short_names, wide_names = _day_names(locale)
    days = place(
        rows[: services.CALENDAR_LIMIT],
        first,
        last,
        in_range=lambda d: range_first <= d <= range_last,
        today=today,
        wide_names=wide_names,
    )
    filters = {"programme": programme_id, "department": department_id}

    def to(view_: str, day: date | None) -> str | None:
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            return None  # the edge of the calendar: no link further
        return _link(view=view_, day=day.isoformat() if day else None, **filters)

    if view == "week":
        title = f"{fmt_date(first)} – {fmt_date(last)}"
        before, after = first - timedelta(days=7), first + timedelta(days=7)
        # Back to the month of the day the week was opened from.
        switch = {"month": to("month", anchor), "week": to("week", anchor)}
    else:
        title = format_skeleton("yMMMM", range_first, locale=locale)
        before = (range_first - timedelta(days=1)).replace(day=1)
        after = range_last + timedelta(days=1)
        in_month = range_first <= today <= range_last
        switch = {"month": to("month", anchor), "week": to("week", today if in_month else anchor)}
    return render(
        "training/calendar.html",
        block="calendar",
        view=view,
        anchor=anchor,
        title=title,
        days=days,
        weekdays=short_names,
        shown_per_day=SHOWN_PER_DAY,
        any_session=any(d.entries for d in days if d.in_range),
        cut_short=len(rows) > services.CALENDAR_LIMIT,
        limit=services.CALENDAR_LIMIT,
        previous_url=to(view, before),
        today_url=to(view, None),
        next_url=to(view, after),
        switch=switch,
        week_url=lambda day: to("week", day),
        programme_id=programme_id,
        department_id=department_id,
        programmes=services.list_programmes(current_user.property_id),
        departments=people.property_departments(current_user.property_id),
        may_schedule=can_schedule(current_user),
    )

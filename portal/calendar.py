"""A month or week calendar of local days, for any module that shows dated things on one
(training sessions, drills): which days a view covers, their names in the viewer's language,
the links to the previous and next month or week, and each day's entries. The module puts its
own entries on the days (`Calendar.put`) and renders them inside the macros of
templates/_macros/calendar.html.

Days are local days of the properties' time zone. Weeks start on Monday. A `day` in the query
string that is malformed or outside FIRST_DAY..LAST_DAY is today (as int_arg clamps numbers:
never an error).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from babel import Locale
from babel.dates import format_skeleton
from flask import request
from flask_babel import get_locale

from portal.i18n import fmt_date, local_today
from portal.i18n import gettext as _

VIEWS = ("month", "week")
SHOWN_PER_DAY = 3  # entries a day of the month grid lists before "+N more"
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


def day_arg(name: str, default: date) -> date:
    """A date (YYYY-MM-DD) from the query string; `default` when absent, malformed or outside
    FIRST_DAY..LAST_DAY."""
    raw = (request.args.get(name) or "").strip()
    if not _ISO_DAY.fullmatch(raw):  # also bounds the length: no long string is parsed
        return default
    try:
        value = date.fromisoformat(raw)
    except ValueError:  # 9999-99-99
        return default
    return value if FIRST_DAY <= value <= LAST_DAY else default


@functools.cache
def day_names(locale: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Babel's abbreviated and wide weekday names of a locale, Monday first."""
    days = Locale.parse(locale).days["format"]
    return (
        tuple(days["abbreviated"][i] for i in range(7)),
        tuple(days["wide"][i] for i in range(7)),
    )


@dataclass
class Day:
    date: date
    label: str  # "Monday, 23 Nov 2026"
    in_range: bool  # in the month shown (the grid's other days are muted)
    today: bool
    entries: list = field(default_factory=list)

    @property
    def iso(self) -> str:
        return self.date.isoformat()

    @property
    def more(self) -> int:
        return max(0, len(self.entries) - SHOWN_PER_DAY)


def days_between(first: date, last: date, *, in_range, today: date, wide_names) -> list[Day]:
    """The days first..last, without entries."""
    label = _("%(weekday)s, %(date)s")
    return [
        Day(
            day,
            label % {"weekday": wide_names[day.weekday()], "date": fmt_date(day)},
            in_range(day),
            day == today,
        )
        for day in (first + timedelta(days=i) for i in range((last - first).days + 1))
    ]


def covering(days: list[Day], first: date, last: date):
    """The days of `days` (consecutive) from `first` to `last`, each with its number in that
    span (1 on `first`) and the span's length: a three-day course is day 2 of 3 on its second
    day, also when the view starts after its first day."""
    if not days:
        return
    span = (last - first).days + 1
    start = max((first - days[0].date).days, 0)
    stop = min((last - days[0].date).days, len(days) - 1)
    for i in range(start, stop + 1):
        yield days[i], (days[i].date - first).days + 1, span


def bounds(view: str, anchor: date) -> tuple[date, date, date, date]:
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


class Calendar:
    """The month or week the request asks for (`view`, `day`), its days and its links.

    `link(view, day)` makes the module's calendar URL with its filters; `day` is None for
    today."""

    def __init__(self, link: Callable[..., str], *, view: str | None = None):
        view = view or request.args.get("view", "month")
        self.view = view if view in VIEWS else "month"
        self.today = local_today()
        self.anchor = day_arg("day", self.today)
        self._link = link
        self.first, self.last, self.range_first, self.range_last = bounds(self.view, self.anchor)
        locale = str(get_locale())
        self.weekdays, wide_names = day_names(locale)
        self.days = days_between(
            self.first,
            self.last,
            in_range=lambda d: self.range_first <= d <= self.range_last,
            today=self.today,
            wide_names=wide_names,
        )
        self.shown_per_day = SHOWN_PER_DAY
        if self.view == "week":
            self.title = f"{fmt_date(self.first)} – {fmt_date(self.last)}"
            before, after = self.first - timedelta(days=7), self.first + timedelta(days=7)
            # Back to the month of the day the week was opened from.
            self.switch = {
                "month": self.to("month", self.anchor),
                "week": self.to("week", self.anchor),
            }
        else:
            self.title = format_skeleton("yMMMM", self.range_first, locale=locale)
            before = (self.range_first - timedelta(days=1)).replace(day=1)
            after = self.range_last + timedelta(days=1)
            in_month = self.range_first <= self.today <= self.range_last
            self.switch = {
                "month": self.to("month", self.anchor),
                "week": self.to("week", self.today if in_month else self.anchor),
            }
        self.previous_url = self.to(self.view, before)
        self.today_url = self.to(self.view, None)
        self.next_url = self.to(self.view, after)

    def to(self, view: str, day: date | None) -> str | None:
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            return None  # the edge of the calendar: no link further
        return self._link(view=view, day=day.isoformat() if day else None)

    def week_url(self, day: date) -> str | None:
        return self.to("week", day)

    @property
    def start(self) -> date:
        """The first day shown (a query's lower bound)."""
        return self.first

    @property
    def end(self) -> date:
        """The day after the last day shown (a query's upper bound, exclusive)."""
        return self.last + timedelta(days=1)

    def put(self, entry, first: date, last: date | None = None) -> None:
        """Put an entry on each shown day from `first` to `last` (one day when no `last`)."""
        for day, _n, _span in covering(self.days, first, last or first):
            day.entries.append(entry)

    @property
    def any_entry(self) -> bool:
        return any(d.entries for d in self.days if d.in_range)

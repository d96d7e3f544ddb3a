"""The training calendar: sessions on the local days they cover (month grid and week), only the
viewer's property, the list's filters, a bad `day` falling back to today, fragment vs page,
the today marker, "+N more", both languages. Its query counts are in query_counts.py."""

import re
from datetime import date, datetime, time, timedelta

import pytest

from portal.blueprints.training import services
from portal.i18n import local_today
from tests import factories
from tests.conftest import visible_text
from tests.training import helpers

DAY = date(2026, 11, 10)  # a Tuesday


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return services.to_utc(datetime.combine(day, time(hour, minute)), "starts_at")


_rooms = iter(range(10_000))


def make(prop, starts: datetime, ends: datetime, *, programme_=None, capacity=5, by=None):
    """A session from `starts` to `ends` (UTC) with its own trainer and room (no clash)."""
    by = by or factories.person("hr", prop=prop, dept="HR")
    return services.schedule_session(
        prop.id,
        services.SessionData(
            programme_id=(programme_ or helpers.programme(prop, by=by)).id,
            starts_at=starts,
            ends_at=ends,
            room=f"Calendar room {next(_rooms)}",
            trainer_id=factories.person("supervisor", prop=prop).id,
            capacity=capacity,
        ),
        by=by,
    )


def month_cells(html: str) -> dict[str, str]:
    """The month grid's days by their whole date ("Tuesday, 10 Nov 2026"): each day's markup."""
    cells = {}
    for part in html.split('<li class="portal-cal-day')[1:]:
        label = re.search(r'<span class="portal-cal-long">([^<]+)</span>', part).group(1)
        cells[label] = part
    return cells


def week_cells(html: str) -> dict[str, str]:
    cells = {}
    for part in html.split('<li class="portal-cal-wday')[1:]:
        label = re.search(r'<h3 class="portal-cal-wdate">([^<]+?)\s*(<|$)', part).group(1)
        cells[label.strip()] = part
    return cells


def title_of(html: str) -> str:
    return re.search(r'id="calendar-title">([^<]+)<', html).group(1)


def test_a_session_shows_on_its_local_day_in_the_month_and_the_week(client, db, login_as):
    employee = login_as("employee")
    prop = employee.property
    towels = helpers.programme(prop, title_en="Towel folding")
    make(prop, _at(DAY, 10), _at(DAY, 12), programme_=towels)
    # 00:30 on the 11th in the hotel is still the 10th in UTC: it belongs to the 11th.
    night = helpers.programme(prop, title_en="Night audit")
    make(
        prop, _at(DAY + timedelta(days=1), 0, 30), _at(DAY + timedelta(days=1), 2), programme_=night
    )
    db.session.commit()

    month = client.get(f"/training/calendar?day={DAY.isoformat()}")
    assert month.status_code == 200
    html = month.get_data(as_text=True)
    assert title_of(html) == "November 2026"
    cells = month_cells(html)
    assert len(cells) == 42  # Monday 26 Oct to Sunday 6 Dec: six weeks (the 1st is a Sunday)
    assert "Towel folding" in cells["Tuesday, 10 Nov 2026"]
    assert "10:00" in visible_text(cells["Tuesday, 10 Nov 2026"])
    assert "Night audit" not in cells["Tuesday, 10 Nov 2026"]
    assert "Night audit" in cells["Wednesday, 11 Nov 2026"]
    assert sum("Towel folding" in cell for cell in cells.values()) == 1
    assert "is-other" in cells["Monday, 26 Oct 2026"]  # the grid's days of another month
    assert "is-other" not in cells["Sunday, 1 Nov 2026"]

    week = client.get(f"/training/calendar?view=week&day={DAY.isoformat()}")
    assert week.status_code == 200
    days = week_cells(week.get_data(as_text=True))
    assert [*days][::6] == ["Monday, 9 Nov 2026", "Sunday, 15 Nov 2026"]
    tuesday = visible_text(days["Tuesday, 10 Nov 2026"])
    assert "Towel folding" in tuesday and "10:00–12:00" in tuesday
    assert "Night audit" in days["Wednesday, 11 Nov 2026"]
    assert "No sessions" in visible_text(days["Monday, 9 Nov 2026"])


def test_a_multi_day_course_shows_on_every_day_it_covers(client, db, login_as):
    employee = login_as("employee")
    prop = employee.property
    induction = helpers.programme(prop, title_en="Induction week", kind="induction")
    monday = date(2026, 11, 30)  # into December
    make(prop, _at(monday, 9), _at(monday + timedelta(days=4), 17), programme_=induction)
    # Ending at midnight: the day after is not one of its days.
    late = helpers.programme(prop, title_en="Late shift briefing")
    make(prop, _at(DAY, 22), _at(DAY + timedelta(days=1), 0), programme_=late)
    db.session.commit()

    html = client.get(f"/training/calendar?view=week&day={monday.isoformat()}").get_data(
        as_text=True
    )
    days = week_cells(html)
    shown = [label for label, cell in days.items() if "Induction week" in cell]
    assert shown == [
        "Monday, 30 Nov 2026",
        "Tuesday, 1 Dec 2026",
        "Wednesday, 2 Dec 2026",
        "Thursday, 3 Dec 2026",
        "Friday, 4 Dec 2026",
    ]
    assert "from 09:00 · Day 1 of 5" in visible_text(days["Monday, 30 Nov 2026"])
    assert "Day 3 of 5" in visible_text(days["Wednesday, 2 Dec 2026"])
    assert "until 17:00 · Day 5 of 5" in visible_text(days["Friday, 4 Dec 2026"])

    cells = month_cells(client.get("/training/calendar?day=2026-12-15").get_data(as_text=True))
    assert [label for label, cell in cells.items() if "Induction week" in cell] == shown
    assert "Day 2 of 5" in visible_text(cells["Tuesday, 1 Dec 2026"])

    cells = month_cells(client.get(f"/training/calendar?day={DAY}").get_data(as_text=True))
    assert [label for label, cell in cells.items() if "Late shift briefing" in cell] == [
        "Tuesday, 10 Nov 2026"
    ]
    assert "Induction week" in cells["Monday, 30 Nov 2026"]  # the last week of November


@pytest.mark.parametrize("role", ["employee", "admin"])
def test_another_propertys_session_never_shows(client, db, login_as, role):
    user = login_as(role)
    other = factories.property_("SPX")
    elsewhere = helpers.programme(other, title_en="Elsewhere only")
    make(other, _at(DAY, 10), _at(DAY, 12), programme_=elsewhere)
    make(user.property, _at(DAY, 14), _at(DAY, 15), programme_=helpers.programme(user.property))
    db.session.commit()
    for url, cells in (
        (f"/training/calendar?day={DAY}", month_cells),
        (f"/training/calendar?view=week&day={DAY}", week_cells),
    ):
        page = client.get(url).get_data(as_text=True)
        days = "".join(cells(page).values())
        assert "Towel folding" in days and "Elsewhere only" not in page, url
    # Not even by asking for its programme.
    page = client.get(f"/training/calendar?day={DAY}&programme={elsewhere.id}")
    assert "Elsewhere only" not in page.get_data(as_text=True)


def test_the_programme_and_department_filters_are_the_lists(client, db, login_as):
    employee = login_as("employee")
    prop = employee.property
    housekeeping = factories.department(prop, "HK")
    beds = helpers.programme(prop, title_en="Bed making", department_ids=[housekeeping.id])
    desk = helpers.programme(prop, title_en="Check-in desk")
    make(prop, _at(DAY, 9), _at(DAY, 10), programme_=beds)
    make(prop, _at(DAY, 11), _at(DAY, 12), programme_=desk)
    db.session.commit()

    def shown(query: str) -> set[str]:
        page = client.get(f"/training/calendar?view=week&day={DAY}&{query}")
        assert page.status_code == 200
        days = "".join(week_cells(page.get_data(as_text=True)).values())  # not the options
        return {title for title in ("Bed making", "Check-in desk") if title in days}

    assert shown("") == {"Bed making", "Check-in desk"}
    assert shown(f"programme={desk.id}") == {"Check-in desk"}
    assert shown(f"department={housekeeping.id}") == {"Bed making"}
    assert shown(f"department={factories.department(prop, 'FO').id}") == set()
    assert shown(f"programme={2**63}&department=-4") == set()  # clamped like the list's
    assert "No session matches these filters." in visible_text(
        client.get(f"/training/calendar?view=week&day={DAY}&programme={2**31}").get_data(
            as_text=True
        )
    )
    # The same rule as the list (services.filter_sessions): the list shows the same ones.
    listed = "".join(
        re.search(r'<div id="session-results">.*', page.get_data(as_text=True), re.S).group(0)
        for page in (
            client.get(f"/training/?show=past&department={housekeeping.id}"),
            client.get(f"/training/?department={housekeeping.id}"),
        )
    )
    assert "Bed making" in listed and "Check-in desk" not in listed


def test_the_filters_and_links_keep_the_view_the_day_and_the_filters(client, db, login_as):
    employee = login_as("employee")
    programme = helpers.programme(employee.property)
    db.session.commit()
    html = client.get(f"/training/calendar?day={DAY}&programme={programme.id}").get_data(
        as_text=True
    )
    assert '<input type="hidden" name="view" value="month">' in html
    assert f'<input type="hidden" name="day" value="{DAY}">' in html
    for day in ("2026-10-01", "2026-12-01"):  # previous and next month
        url = f"/training/calendar?view=month&amp;day={day}&amp;programme={programme.id}"
        assert f'href="{url}" hx-get="{url}" hx-target="#calendar"' in html, day
    # Today: no day in the link; the week of today when the month shown is another.
    assert f'href="/training/calendar?view=month&amp;programme={programme.id}"' in html
    assert f"/training/calendar?view=week&amp;day={DAY}&amp;programme={programme.id}" in html
    week = client.get(f"/training/calendar?view=week&day={DAY}").get_data(as_text=True)
    assert 'href="/training/calendar?view=week&amp;day=2026-11-02"' in week
    assert 'href="/training/calendar?view=week&amp;day=2026-11-16"' in week
    assert 'href="/training/calendar?view=month&amp;day=2026-11-10"' in week
    # At the edge of the calendar there is no link further.
    first = client.get("/training/calendar?day=2000-01-15").get_data(as_text=True)
    assert "Previous month" not in first and "Next month" in first


BAD_DAYS = [
    "tomorrow",
    "9" * 30,
    str(2**63),
    "9999-99-99",
    "2026-02-30",
    "1999-12-31",
    "2101-01-01",
    "20261110",
    "2026-11-10T00:00",
    "٢٠٢٦-١١-١٠",  # digits of another script
    "",
]


@pytest.mark.parametrize("view", ["month", "week"])
def test_a_bad_day_falls_back_to_today(client, db, login_as, view):
    login_as("employee")
    today_title = title_of(client.get(f"/training/calendar?view={view}").get_data(as_text=True))
    for bad in BAD_DAYS:
        response = client.get("/training/calendar", query_string={"view": view, "day": bad})
        assert response.status_code == 200, bad
        assert title_of(response.get_data(as_text=True)) == today_title, bad
    assert client.get("/training/calendar?view=year").status_code == 200  # a month


def test_htmx_gets_the_calendar_alone_and_a_plain_request_the_page(client, db, login_as):
    login_as("employee")
    fragment = client.hx_get(f"/training/calendar?view=week&day={DAY}")
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200
    assert body.lstrip().startswith('<div id="calendar" class="portal-calendar">')
    assert "<html" not in body and "portal-header" not in body
    assert "HX-Request" in fragment.headers.get("Vary", "")
    page = client.get(f"/training/calendar?view=week&day={DAY}").get_data(as_text=True)
    assert "<html" in page and "portal-header" in page and 'id="calendar"' in page
    # A boosted link (whole-page navigation) gets the page.
    boosted = client.get("/training/calendar", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "portal-header" in boosted.get_data(as_text=True)


@pytest.mark.parametrize("role", ["employee", "supervisor"])
def test_staff_open_the_calendar(client, db, login_as, role):
    login_as(role)
    response = client.get("/training/calendar")
    assert response.status_code == 200
    assert "Training calendar" in visible_text(response.get_data(as_text=True))


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get("/training/calendar?view=week")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/auth/login?next=")


def test_the_list_and_the_calendar_link_to_each_other(client, db, login_as):
    login_as("employee")
    assert 'href="/training/calendar"' in client.get("/training/").get_data(as_text=True)
    assert 'href="/training/"' in client.get("/training/calendar").get_data(as_text=True)


def test_chinese_month_and_weekday_names_come_from_babel(client, db, login_as):
    employee = login_as("employee")  # no saved language: the browser's counts
    make(employee.property, _at(DAY, 10), _at(DAY, 12))
    db.session.commit()
    chinese = {"Accept-Language": "zh-CN"}
    html = client.get(f"/training/calendar?day={DAY}", headers=chinese).get_data(as_text=True)
    assert '<html lang="zh-Hans">' in html
    assert title_of(html) == "2026年11月"
    names = re.search(r'<div class="portal-cal-weekdays"[^>]*>(.*?)</div>\s*<ol', html, re.S)
    assert re.findall(r"<div>([^<]+)</div>", names.group(1)) == [
        "周一", "周二", "周三", "周四", "周五", "周六", "周日",
    ]  # fmt: skip
    cell = next(c for label, c in month_cells(html).items() if "2026-11-10" in label)
    assert "星期二" in cell and "毛巾折叠" in cell
    week = client.get(f"/training/calendar?view=week&day={DAY}", headers=chinese)
    text = visible_text(week.get_data(as_text=True))
    assert "2026-11-09 – 2026-11-15" in text and "星期日" in text


def test_today_is_marked(client, db, login_as):
    login_as("employee")
    today = local_today()
    for view in ("month", "week"):
        html = client.get(f"/training/calendar?view={view}").get_data(as_text=True)
        assert html.count('aria-current="date"') == 1, view
        cells = month_cells(html) if view == "month" else week_cells(html)
        marked = [label for label, cell in cells.items() if 'aria-current="date"' in cell]
        assert len(marked) == 1 and str(today.day) in marked[0], (view, marked)
        assert "is-today" in cells[marked[0]]
    other = client.get(f"/training/calendar?day={today + timedelta(days=70)}")
    assert 'aria-current="date"' not in other.get_data(as_text=True)


def test_a_busy_day_shows_three_and_links_the_rest_to_its_week(client, db, login_as):
    employee = login_as("employee")
    prop = employee.property
    for hour in range(8, 13):  # five sessions on the 10th
        programme = helpers.programme(prop, title_en=f"Busy {hour}")
        make(prop, _at(DAY, hour), _at(DAY, hour, 45), programme_=programme)
    db.session.commit()
    html = client.get(f"/training/calendar?day={DAY}").get_data(as_text=True)
    cell = month_cells(html)["Tuesday, 10 Nov 2026"]
    assert [f"Busy {h}" in cell for h in range(8, 13)] == [True, True, True, False, False]
    assert "+2 more" in visible_text(cell)
    more = "/training/calendar?view=week&amp;day=2026-11-10"
    assert f'<a class="portal-cal-more" href="{more}" hx-get="{more}"' in cell
    week = client.get(f"/training/calendar?view=week&day={DAY}").get_data(as_text=True)
    assert all(f"Busy {h}" in week for h in range(8, 13))
    assert "more" not in visible_text(week_cells(week)["Tuesday, 10 Nov 2026"])


def test_full_and_my_places_are_marked(client, db, login_as):
    employee = login_as("employee")
    prop = employee.property
    soon = local_today() + timedelta(days=3)
    full = make(
        prop, _at(soon, 9), _at(soon, 10), capacity=1,
        programme_=helpers.programme(prop, title_en="Full one"),
    )  # fmt: skip
    helpers.seat(full, factories.person("employee", prop=prop))
    mine = make(prop, _at(soon, 11), _at(soon, 12), programme_=helpers.programme(prop))
    services.enrol(mine, employee, by=employee)
    db.session.commit()
    html = client.get(f"/training/calendar?day={soon}").get_data(as_text=True)
    cell = next(c for c in month_cells(html).values() if "Full one" in c)
    text = visible_text(cell)
    assert "Full one Full" in text and "Towel folding Enrolled" in text
    week = visible_text(
        client.get(f"/training/calendar?view=week&day={soon}").get_data(as_text=True)
    )
    assert "Seats left Full" in week and "Seats left 4 of 5" in week and "Enrolled" in week


def test_placing_sessions_on_days_is_by_local_date(app, ctx, db):
    """place() straight: the days of the range, the entries of each, day n of m."""
    from portal.blueprints.training import calendar_views

    prop = factories.property_()
    course = make(prop, _at(DAY, 9), _at(DAY + timedelta(days=2), 17))
    first, last = DAY - timedelta(days=1), DAY + timedelta(days=1)
    days = calendar_views.place(
        [(course, "waiting")],
        first,
        last,
        in_range=lambda d: True,
        today=DAY,
        wide_names=("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    )
    assert [d.date for d in days] == [first, DAY, last]
    assert [[(e.n, e.days, e.mine) for e in d.entries] for d in days] == [
        [],
        [(1, 3, "waiting")],
        [(2, 3, "waiting")],
    ]
    assert [d.today for d in days] == [False, True, False]

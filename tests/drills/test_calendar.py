"""The drill calendar: drills on their planned day (month and week) with their state, only the
viewer's property, the plan and shift filters, what is due shown to overseers only (on its due
day, or today once overdue), a bad `day` falling back to today, fragment vs page, both
languages. Its query counts are in query_counts.py."""

from datetime import timedelta

from portal.blueprints.drills import compliance, services
from portal.i18n import local_today
from tests import factories
from tests.conftest import visible_text
from tests.drills import helpers
from tests.training.test_calendar import BAD_DAYS, month_cells, title_of, week_cells


def _label(day) -> str:
    return f"{day:%A}, {day.day} {day:%b %Y}"


def test_drills_show_on_their_day_with_their_state(client, db, login_as):
    employee = login_as("employee")
    prop = employee.property
    keeper = helpers.keeper(prop)
    fire = helpers.plan(prop, by=keeper, code="FIRE-CAL")
    later = local_today() + timedelta(days=2)
    helpers.drill(prop, fire, shift="night", day=later, by=keeper)
    done = helpers.closed(prop, fire, by=keeper)  # today, closed, 4:00 to evacuate
    other = factories.property_("SPX")
    helpers.drill(other, helpers.plan(other, code="FIRE-SPX"), day=later)
    db.session.commit()

    html = client.get(f"/drills/calendar?day={later}").get_data(as_text=True)
    cells = month_cells(html)
    night = visible_text(cells[_label(later)])
    assert "Night shift" in night and "FIRE-CAL" in night and "Planned" in night
    assert "FIRE-SPX" not in html  # another property's drill never shows
    this_month = month_cells(client.get(f"/drills/calendar?day={done.planned_on}").text)
    assert "Closed" in visible_text(this_month[_label(done.planned_on)])
    assert "Drill due" not in html and "Overdue" not in html  # what is owed is security's

    week = week_cells(client.get(f"/drills/calendar?view=week&day={done.planned_on}").text)
    today = visible_text(week[_label(done.planned_on)])
    assert "FIRE-CAL · Fire and evacuation" in today and "Time to evacuate 4 min 00 s" in today
    assert f'href="/drills/{done.id}"' in week[_label(done.planned_on)]


def test_the_plan_and_shift_filters_keep_to_what_is_asked(client, db, login_as):
    keeper = login_as("manager", dept="FO")
    prop = keeper.property
    fire = helpers.plan(prop, by=keeper, code="FIRE-A")
    bomb = helpers.plan(prop, by=keeper, code="BOMB-B", kind="intruder")
    day = local_today() + timedelta(days=1)
    helpers.drill(prop, fire, shift="morning", day=day, by=keeper)
    helpers.drill(prop, bomb, shift="evening", day=day, by=keeper)
    db.session.commit()

    def shown(query: str) -> str:  # the days only, not the filters' options
        html = client.get(f"/drills/calendar?view=week&day={day}{query}").text
        return visible_text(html.split('class="portal-cal-week"')[1])

    both = shown("")
    assert "FIRE-A" in both and "BOMB-B" in both
    assert shown(f"&plan={bomb.id}").count("BOMB-B") == 1 and "FIRE-A" not in shown(
        f"&plan={bomb.id}"
    )
    html = client.get(f"/drills/calendar?view=week&day={day}&plan={bomb.id}").text
    assert f'<option value="{bomb.id}" selected>' in html
    evening = shown("&shift=evening")
    assert "BOMB-B" in evening and "FIRE-A" not in evening
    # the links keep the filters; a shift that is not one is all shifts
    html = client.get(f"/drills/calendar?day={day}&plan={fire.id}&shift=evening").text
    assert f"plan={fire.id}&amp;shift=evening" in html
    junk = shown("&shift=%27x")
    assert "FIRE-A" in junk and "BOMB-B" in junk
    assert client.get(f"/drills/calendar?plan={2**63}").status_code == 200  # nothing matches


def test_security_sees_what_is_owed_on_its_due_day_or_today_once_overdue(client, db, login_as):
    keeper = login_as("manager", dept="FO")
    prop = keeper.property
    plan = helpers.plan(prop, by=keeper, code="FIRE-DUE", shifts=["morning", "night"])
    plan.created_at = plan.created_at - timedelta(days=200)
    helpers.closed(prop, plan, by=keeper)  # the morning shift is drilled today
    db.session.commit()
    cells = {(c.plan.code, c.shift.value): c for c in compliance.overview(prop.id)}
    morning, night = cells["FIRE-DUE", "morning"], cells["FIRE-DUE", "night"]
    assert night.due < local_today() < morning.due
    week = week_cells(client.get("/drills/calendar?view=week").text)
    today = visible_text(week[_label(local_today())])
    assert "Night shift" in today and "FIRE-DUE" in today
    assert f"Overdue since {night.due.day} {night.due:%b %Y}" in today
    assert "Schedule it." in today
    month = client.get(f"/drills/calendar?day={morning.due}").text
    assert "Drill due" in visible_text(month_cells(month)[_label(morning.due)])
    # scheduling it from the calendar opens the form on that plan, shift and day
    form = client.get(
        f"/drills/new?plan={plan.id}&shift=night&day={local_today() + timedelta(days=3)}"
    ).text
    assert f'<option selected value="{plan.id}">' in form
    assert 'value="night" checked' in form or '<option selected value="night">' in form
    assert f'value="{local_today() + timedelta(days=3)}"' in form
    # once planned, the night shift is no longer owed
    services.schedule(plan, "night", local_today() + timedelta(days=3), by=keeper)
    db.session.commit()
    today = visible_text(
        week_cells(client.get("/drills/calendar?view=week").text)[_label(local_today())]
    )
    assert "Overdue" not in today


def test_a_bad_day_falls_back_to_today_and_htmx_gets_the_calendar_alone(client, db, login_as):
    login_as("employee")
    today_title = title_of(client.get("/drills/calendar").text)
    for bad in BAD_DAYS:
        response = client.get("/drills/calendar", query_string={"day": bad})
        assert response.status_code == 200, bad
        assert title_of(response.text) == today_title, bad
    fragment = client.hx_get("/drills/calendar?view=week").text
    assert fragment.lstrip().startswith('<div id="calendar" class="portal-calendar">')
    assert "portal-header" not in fragment
    assert "portal-header" in client.get("/drills/calendar").text


def test_the_calendar_speaks_chinese(client, db, login_as):
    employee = login_as("employee")  # no saved language: the browser's counts
    keeper = helpers.keeper(employee.property)
    day = local_today() + timedelta(days=1)
    helpers.drill(employee.property, helpers.plan(employee.property, by=keeper), day=day, by=keeper)
    db.session.commit()
    chinese = {"Accept-Language": "zh-CN"}
    html = visible_text(client.get(f"/drills/calendar?view=week&day={day}", headers=chinese).text)
    assert "演练日历" in html and "早班" in html and "已计划" in html
    assert "计划支出" not in html  # the budget's "planned", not the drill's


def test_the_index_links_the_calendar(client, db, login_as):
    login_as("employee")
    assert 'href="/drills/calendar"' in client.get("/drills/").text

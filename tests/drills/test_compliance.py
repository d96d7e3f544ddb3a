"""The cadence rule, table by table: when each shift's next drill is due, and how it stands."""

from datetime import date, timedelta

import pytest

from portal.blueprints.drills import compliance
from portal.blueprints.drills.compliance import Standing, add_months, due_on, standing
from portal.blueprints.drills.models import Drill, DrillStatus
from portal.extensions import db as db_
from portal.i18n import local_day_start, local_today
from tests import factories
from tests.drills import helpers

MADE = date(2025, 1, 10)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 3, date(2026, 4, 30)),  # no 31 April: the month's last day
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),  # leap year
        (date(2026, 8, 15), 6, date(2027, 2, 15)),
        (date(2026, 3, 1), 12, date(2027, 3, 1)),
    ],
)
def test_months_are_added_as_calendars_count_them(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("last", "months", "today", "expected"),
    [
        # quarterly, drilled on 1 March: due 1 June
        (date(2026, 3, 1), 3, date(2026, 4, 1), Standing.OK),
        (date(2026, 3, 1), 3, date(2026, 5, 2), Standing.DUE_SOON),  # 30 days before
        (date(2026, 3, 1), 3, date(2026, 5, 1), Standing.OK),  # 31 days before
        (date(2026, 3, 1), 3, date(2026, 6, 1), Standing.DUE_SOON),  # the due day itself
        (date(2026, 3, 1), 3, date(2026, 6, 2), Standing.OVERDUE),
        # every six months and yearly
        (date(2026, 3, 1), 6, date(2026, 7, 31), Standing.OK),  # due 1 Sep
        (date(2026, 3, 1), 6, date(2026, 9, 2), Standing.OVERDUE),
        (date(2026, 3, 1), 12, date(2027, 2, 1), Standing.DUE_SOON),
        # a shift that never drilled: due the plan's months after the plan was made
        (None, 3, date(2025, 2, 1), Standing.OK),
        (None, 3, date(2025, 4, 10), Standing.DUE_SOON),
        (None, 3, date(2025, 4, 11), Standing.NEVER),
        (None, 12, date(2026, 1, 11), Standing.NEVER),
    ],
)
def test_a_shift_stands_by_its_last_drill(last, months, today, expected):
    assert standing(last, MADE, months, today) is expected


def test_due_day_of_a_shift_that_never_drilled_counts_from_the_plan():
    assert due_on(None, MADE, 6) == date(2025, 7, 10)


def _closed_on(plan, shift, day):
    d = Drill(
        property_id=plan.property_id,
        plan_id=plan.id,
        plan_version_id=plan.versions[0].id,
        shift=shift,
        planned_on=day,
        status=DrillStatus.CLOSED,
        alarm_at=local_day_start(day) + timedelta(hours=10),
        all_clear_at=local_day_start(day) + timedelta(hours=10, minutes=4),
    )
    db_.session.add(d)
    db_.session.flush()
    return d


def test_the_overview_has_every_plan_and_shift_worst_first(db, ctx, count_queries):
    prop = factories.property_()
    plan = helpers.plan(prop, code="FIRE-01")
    other = helpers.plan(prop, code="SEC-02", kind="intruder", every_months=6, shifts=["night"])
    today = local_today()
    # morning drilled last month, evening four months ago (overdue), night never;
    # the intruder plan's night shift drilled twice: the newer one counts.
    _closed_on(plan, "morning", today - timedelta(days=30))
    old = _closed_on(plan, "evening", today - timedelta(days=125))
    _closed_on(other, "night", today - timedelta(days=300))
    newer = _closed_on(other, "night", today - timedelta(days=20))
    # an open drill does not count as drilled, and is shown as the next on the calendar
    helpers.drill(prop, plan, shift="evening", day=today + timedelta(days=3))
    plan.created_at = local_day_start(today - timedelta(days=400))
    db.session.flush()
    with count_queries() as queries:
        cells = compliance.overview(prop.id, today=today)
    assert queries.count == 1
    got = [(c.plan.code, c.shift.value, c.standing) for c in cells]
    assert got == [
        ("FIRE-01", "night", Standing.NEVER),
        ("FIRE-01", "evening", Standing.OVERDUE),
        ("FIRE-01", "morning", Standing.OK),
        ("SEC-02", "night", Standing.OK),
    ]
    evening = cells[1]
    assert evening.last_drill_id == old.id and evening.planned == today + timedelta(days=3)
    assert cells[3].last_drill_id == newer.id
    assert compliance.counts(cells)[Standing.OK] == 2


def test_the_overview_of_another_property_is_its_own(db, ctx):
    home, other = factories.property_("TST"), factories.property_("SPX")
    helpers.plan(home, code="FIRE-01")
    assert compliance.overview(other.id) == []


def test_five_plans_three_shifts_three_years_in_one_query(db, ctx, count_queries):
    """The issue's volume: 5 plans x 3 shifts x 3 years of quarterly drills (180 closed)."""
    prop = factories.property_()
    today = local_today()
    made = [helpers.plan(prop, code=f"PLAN-{n}") for n in range(5)]
    for plan in made:
        plan.created_at = local_day_start(today - timedelta(days=3 * 365 + 30))
        for shift in ("morning", "evening", "night"):
            for quarter in range(12):
                _closed_on(plan, shift, today - timedelta(days=20 + 91 * quarter))
    db.session.flush()
    with count_queries() as queries:
        cells = compliance.overview(prop.id, today=today)
    assert queries.count == 1
    assert len(cells) == 15 and all(c.standing is Standing.OK for c in cells)
    assert {c.last for c in cells} == {today - timedelta(days=20)}

"""The evacuation-time chart of a plan: one bar per closed drill, oldest first, heights in
proportion, the target line where the target is; and the same numbers as a table."""

from datetime import timedelta

from portal.blueprints.drills import trend
from portal.blueprints.drills.models import Shift
from portal.i18n import local_today
from tests.conftest import text_of
from tests.drills import helpers


def _point(i, seconds, shift=Shift.MORNING):
    return trend.Point(i, local_today() - timedelta(days=100 - i), shift, seconds)


def test_bars_are_in_proportion_and_the_target_sits_between_them(ctx):
    chart = trend.chart([_point(1, 400), _point(2, 200), _point(3, 300)], target_seconds=300)
    heights = [bar.height for bar in chart.bars]
    assert heights[0] == 2 * heights[1] and heights[2] == 1.5 * heights[1]
    assert [b.point.drill_id for b in chart.bars] == [1, 2, 3]
    xs = [bar.x for bar in chart.bars]
    assert xs == sorted(xs)
    # the axis ends on a whole step above the longest time (400 s: 7 min, by 2 -> 8)
    assert [minutes for _y, minutes in chart.ticks] == [0, 2, 4, 6, 8]
    third = chart.bars[2]
    assert abs(chart.target_y - third.y) < 0.01  # the 300 s bar reaches the 300 s line
    for bar in chart.bars:
        assert abs(bar.y + bar.height - chart.bottom_y) < 0.01  # every bar stands on the axis


def test_no_chart_without_a_closed_drill_and_no_line_without_a_target(ctx):
    assert trend.chart([], 300) is None
    assert trend.chart([_point(1, 90)], None).target_y is None


def test_the_plan_page_draws_the_chart_and_its_table(client, db, login_as, app):
    employee = login_as("employee")
    keeper = helpers.keeper(employee.property)
    plan = helpers.plan(employee.property, by=keeper)
    with app.test_request_context():
        drill = helpers.closed(employee.property, plan, by=keeper)
    db.session.commit()
    response = client.get(f"/drills/plans/{plan.id}")
    html = response.get_data(as_text=True)
    assert '<rect class="portal-trend-morning"' in html and "portal-trend-target" in html
    assert f'href="/drills/{drill.id}"' in html
    assert "4 min 00 s" in text_of(response)

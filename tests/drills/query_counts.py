"""The drills pages and fragments in the fixed-query-count test (tests/test_query_counts.py):
the counts hold with more plans, drills, roll-call taps and people (grow)."""

from datetime import timedelta
from itertools import count

from portal.blueprints.drills import actions, amendments, incidents, roles, services
from portal.database import utcnow
from portal.i18n import local_today
from tests import factories
from tests.drills import helpers
from tests.test_query_counts import Case

CASES = [
    Case("drills.index", "manager", "/drills/", 4, expect="Running and planned"),
    Case("drills.index", "employee", "/drills/", 3, expect="Recent drills"),
    Case("drills.compliance_view", "manager", "/drills/compliance", 2, expect="FIRE-Q1"),
    Case("drills.calendar", "manager", "/drills/calendar", 4, expect="FIRE-Q1"),
    Case("drills.calendar", "employee", "/drills/calendar?view=week", 3, expect="FIRE-Q1"),
    Case(
        "drills.calendar",
        "supervisor",
        "/drills/calendar?shift=night",
        4,
        fragment=True,
        expect="Night shift",
    ),
    Case("drills.plan_list", "employee", "/drills/plans", 4, expect="FIRE-Q1"),
    Case("drills.plan", "employee", "/drills/plans/{drill_plan}", 8, expect="Evacuation times"),
    Case("drills.plan", "manager", "/drills/plans/{drill_plan}", 9, expect="Read by"),
    Case("drills.create_plan", "manager", "/drills/plans/new", 2, expect="Plan code"),
    Case(
        "drills.revise_plan",
        "manager",
        "/drills/plans/{drill_plan}/revise",
        6,
        expect="What changed and why",
    ),
    Case("drills.schedule", "manager", "/drills/new", 2, expect="FIRE-Q1"),
    Case("drills.detail", "supervisor", "/drills/{drill_running}", 5, expect="Floor warden"),
    Case("drills.detail", "manager", "/drills/{drill_running}", 7, expect="Give a role"),
    Case(
        "drills.detail",
        "supervisor",
        "/drills/{drill_running}?department={drill_department}",
        4,
        fragment=True,
        expect="accounted for",
    ),
    Case("drills.detail", "hr", "/drills/{drill_closed}", 5, expect="Amendments"),
    Case("drills.detail", "manager", "/drills/{drill_closed}", 6, expect="Add action"),
    Case("drills.amend", "manager", "/drills/{drill_closed}/amend", 3, expect="Gate log"),
    Case("drills.action_list", "manager", "/drills/actions", 2, expect="Fix the sounder"),
    Case("drills.report_incident", "employee", "/drills/incidents/new", 1, expect="Where"),
    Case("drills.incident_list", "manager", "/drills/incidents", 2, expect="Gate left open"),
    Case("drills.incident_list", "employee", "/drills/incidents", 2, expect="My incident"),
    Case(
        "drills.incident",
        "manager",
        "/drills/incidents/{drill_incident}",
        2,
        expect="Take it in hand",
    ),
    Case(
        "drills.action_list",
        "manager",
        "/drills/actions?show=all",
        2,
        fragment=True,
        expect="Fix the sounder",
    ),
]

NOT_PAGES = {"drills.plan_pdf": "a document", "drills.report_pdf": "a document"}

# The ids tests/test_input.py gives the drills routes' arguments (keys of world()).
ROUTE_ARGUMENTS = {
    "plan_id": "drill_plan",
    "drill_id": "drill_running",
    "incident_id": "drill_incident",
}

_codes = count(1)


def world(prop, ids):
    keeper = helpers.keeper(prop)
    plan = helpers.plan(prop, by=keeper, code="FIRE-Q1")
    closed = helpers.closed(prop, plan, by=keeper)
    owner = factories.person("employee", prop=prop, dept="HK")
    actions.add(closed, "Fix the sounder", owner, local_today(), by=keeper)
    for weather in ("Light rain", "Gate log says drizzle"):
        amendments.amend(
            closed,
            {**amendments.record_values(closed), "weather": weather},
            "Gate log",
            by=keeper,
            expected_version=closed.version,
        )
    running = helpers.drill(prop, plan, shift="night", by=keeper)
    roles.assign(running, owner, "floor_warden", "Level 3", by=keeper)
    services.start(running, by=keeper)
    for i in range(3):
        person = factories.person("employee", prop=prop, dept=("HK", "FO")[i % 2])
        services.account_for(running, person, True, by=keeper)
    incident = incidents.report(
        prop.id,
        incidents.Report(utcnow() - timedelta(hours=1), "Dock", "Gate left open", "", "low"),
        by=owner,
    )
    return {
        "drill_incident": incident.id,
        "drill_plan": plan.id,
        "drill_running": running.id,
        "drill_closed": closed.id,
        "drill_department": factories.department(prop, "HK").id,
    }


def grow(prop, n):
    """n more of what the pages list; plans with a whole drill each (a dozen audited steps)
    a third as many: any N+1 shows at four as at twelve."""
    keeper = helpers.keeper(prop)
    for _ in range(max(2, n // 3)):
        plan = helpers.plan(prop, by=keeper, code=f"GROW-{next(_codes)}")
        closed = helpers.closed(prop, plan, by=keeper)
        actions.add(closed, f"Action {n}", keeper, local_today(), by=keeper)
        helpers.drill(prop, plan, shift="evening", by=keeper)
    for _ in range(n):
        incidents.report(
            prop.id,
            incidents.Report(utcnow() - timedelta(hours=2), "Dock", "More", "", "high"),
            by=keeper,
        )
    # More actions and taps on the drills the pages show (the world's).
    for drill in _closed(prop)[:1]:
        for i in range(n):
            actions.add(drill, f"Action {i}", keeper, local_today(), by=keeper)
    for drill in _running(prop):
        for i in range(n):
            person = factories.person("employee", prop=prop, dept=("HK", "FO")[i % 2])
            services.account_for(drill, person, bool(i % 3), by=keeper)
            roles.assign(drill, person, "assembly_marshal", f"Point {i}", by=keeper)


def _closed(prop):
    from sqlalchemy import select

    from portal.blueprints.drills.models import Drill, DrillStatus
    from portal.extensions import db

    return list(
        db.session.scalars(
            select(Drill).where(Drill.property_id == prop.id, Drill.status == DrillStatus.CLOSED)
        )
    )


def _running(prop):
    from sqlalchemy import select

    from portal.blueprints.drills.models import Drill, DrillStatus
    from portal.extensions import db

    return list(
        db.session.scalars(
            select(Drill).where(Drill.property_id == prop.id, Drill.status == DrillStatus.RUNNING)
        )
    )

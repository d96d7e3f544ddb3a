"""Security incidents: anyone reports one (every field checked at once, nothing in the future);
security triages and closes it; a reporter sees their own and nobody else's; closing with a
plan opens that plan's revision; each step once."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.blueprints.drills import incidents
from portal.blueprints.drills.models import Incident, IncidentStatus
from portal.database import utcnow
from portal.errors import DomainError, FieldErrors
from portal.i18n import to_local
from tests import factories
from tests.conftest import text_of
from tests.drills import helpers


def count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Incident))


def reported(prop, by, **kw):
    data = incidents.Report(
        occurred_at=kw.pop("occurred_at", utcnow() - timedelta(hours=2)),
        location=kw.pop("location", "Car park B2"),
        what=kw.pop("what", "A car window broken"),
        involved=kw.pop("involved", ""),
        severity=kw.pop("severity", "medium"),
    )
    return incidents.report(prop.id, data, by=by)


def test_a_report_needs_when_where_what_and_how_serious(db, ctx):
    prop = factories.property_()
    person = factories.person(prop=prop)
    with pytest.raises(FieldErrors) as error:
        reported(prop, person, occurred_at=utcnow() + timedelta(hours=1), location="", what="",
                 severity="apocalyptic")  # fmt: skip
    assert set(error.value.errors) == {"occurred_at", "location", "what", "severity"}
    with pytest.raises(FieldErrors) as error:
        reported(prop, person, occurred_at=utcnow() - timedelta(days=400))
    assert set(error.value.errors) == {"occurred_at"}
    assert count(db) == 0


def test_security_triages_then_closes_each_once(db, ctx):
    prop = factories.property_()
    keeper = helpers.keeper(prop)
    incident = reported(prop, factories.person(prop=prop))
    with pytest.raises(DomainError, match="Triage the incident before closing"):
        incidents.close(incident, "Police called", None, by=keeper)
    with pytest.raises(FieldErrors) as error:
        incidents.triage(incident, "high", "", by=keeper)
    assert set(error.value.errors) == {"triage_note"}
    assert incidents.triage(incident, "high", "CCTV checked", by=keeper) is True
    assert incidents.triage(incident, "low", "again", by=keeper) is False
    assert incident.severity == "high" and incident.status == IncidentStatus.IN_HAND
    other_plan = helpers.plan(factories.property_("SPX"))
    with pytest.raises(DomainError) as error:
        incidents.close(incident, "Police called", other_plan, by=keeper)
    assert error.value.field == "plan_id"
    plan = helpers.plan(prop)
    assert incidents.close(incident, "Police called; lock changed", plan, by=keeper) is True
    assert incidents.close(incident, "again", None, by=keeper) is False
    assert incident.plan_id == plan.id and incident.status == IncidentStatus.CLOSED
    with pytest.raises(DomainError, match="closed"):
        incidents.triage(incident, "low", "late", by=keeper)


def test_an_employee_reports_from_the_terminal_without_javascript(client, db, login_as):
    employee = login_as("employee")
    when = to_local(utcnow() - timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M")
    form = {
        "occurred_at": when,
        "location": "Staff entrance",
        "what": "The door was propped open with a chair",
        "severity": "low",
        "idempotency_key": "incident-report-key-0001",
    }
    first = client.post_form("/drills/incidents/new", form)
    again = client.post_form("/drills/incidents/new", form)  # a double tap
    assert first.status_code == again.status_code == 303
    assert first.headers["Location"] == again.headers["Location"]
    assert count(db) == 1
    page = text_of(client.get(first.headers["Location"]))
    assert "The door was propped open with a chair" in page and employee.name_en in page
    assert "Take it in hand" not in page  # only security triages


def test_a_bad_report_is_refused_next_to_its_fields(client, db, login_as):
    login_as("employee")
    response = client.post_form(
        "/drills/incidents/new",
        {
            "occurred_at": "2026-02-30T25:61",
            "location": "",
            "what": "",
            "severity": "x",
            "idempotency_key": "incident-bad-key-0000001",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for field in ("occurred_at", "location", "what", "severity"):
        assert f'id="{field}-error"' in html, field
    assert count(db) == 0


def test_a_reporter_sees_their_own_reports_and_nobody_elses(client, db, login_as, app):
    reporter = login_as("employee")
    with app.test_request_context():
        mine = reported(reporter.property, reporter, what="Mine")
        theirs = reported(
            reporter.property, factories.person(prop=reporter.property), what="Theirs"
        )
    db.session.commit()
    listing = text_of(client.get("/drills/incidents"))
    assert "Mine" in listing and "Theirs" not in listing and "My incident reports" in listing
    assert client.get(f"/drills/incidents/{mine.id}").status_code == 200
    assert client.get(f"/drills/incidents/{theirs.id}").status_code == 404


def test_closing_with_a_plan_opens_its_revision(client, db, login_as, app):
    keeper = login_as("manager", dept="FO")
    plan = helpers.plan(keeper.property, by=keeper)
    with app.test_request_context():
        incident = reported(keeper.property, factories.person(prop=keeper.property))
        incidents.triage(incident, "medium", "Checking CCTV", by=keeper)
    db.session.commit()
    empty = client.post_form(
        f"/drills/incidents/{incident.id}/close", {"actions_taken": "", "plan_id": "0"}
    )
    assert empty.status_code == 422 and 'id="actions_taken-error"' in empty.get_data(as_text=True)
    done = client.post_form(
        f"/drills/incidents/{incident.id}/close",
        {"actions_taken": "Door closer fixed", "plan_id": str(plan.id)},
    )
    assert done.status_code == 303
    assert done.headers["Location"] == f"/drills/plans/{plan.id}/revise"
    db.session.expire_all()
    assert db.session.get(Incident, incident.id).status == IncidentStatus.CLOSED


def test_a_long_incident_list_is_paged_and_nothing_falls_off(client, db, login_as, app):
    keeper = login_as("manager", dept="FO")
    per_page = app.config["PER_PAGE"]
    with app.test_request_context():
        for n in range(per_page + 2):
            reported(
                keeper.property,
                keeper,
                what=f"Incident number {n:03d}",
                occurred_at=utcnow() - timedelta(hours=n + 1),
            )
    db.session.commit()
    first = text_of(client.get("/drills/incidents"))
    assert "Page 1 of 2" in first and "Incident number 000" in first
    last = f"Incident number {per_page + 1:03d}"
    assert last not in first
    second = client.hx_get("/drills/incidents?page=2")
    html = second.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="incident-results">')  # the list alone
    assert last in html and "Incident number 000" not in html

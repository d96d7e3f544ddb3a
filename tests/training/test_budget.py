"""The training budget: spent (sessions held) and planned (the year's sessions) against the
property's annual budget; HR sets it; bad amounts are refused next to the field."""

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from portal.audit import AuditEvent
from portal.blueprints.training import budget
from portal.blueprints.training.models import TrainingSettings
from portal.i18n import local_today
from tests import factories
from tests.conftest import text_of
from tests.training import helpers


def test_spent_and_planned_against_the_budget(ctx):
    prop = factories.property_()
    hr = factories.person("hr", prop=prop, dept="HR")
    dear = helpers.programme(prop, by=hr, title_en="Wine service", cost=Decimal("5000"))
    cheap = helpers.programme(prop, by=hr, title_en="Greeting", cost=Decimal("800"))
    held = helpers.session(prop, programme_=dear, by=hr, starts_in=timedelta(hours=-5))
    helpers.session(prop, programme_=dear, by=hr, starts_in=timedelta(hours=2))
    helpers.session(prop, programme_=cheap, by=hr, starts_in=timedelta(hours=5))
    year = budget.year_of(prop.id, held.starts_at.astimezone(helpers.services.zone()).year)
    assert y_numbers(year) == (Decimal("60000"), Decimal("5000"), Decimal("10800"), 3)
    assert [line.title_en for line in year.lines] == ["Wine service", "Greeting"]
    assert year.share(year.planned) == 18 and not year.over
    budget.set_annual_budget(prop.id, Decimal("10000"), by=hr)
    again = budget.year_of(prop.id, year.year)
    assert again.budget == Decimal("10000") and again.over
    assert budget.year_of(prop.id, year.year - 1).lines == []


def y_numbers(year):
    return (year.budget, year.spent, year.planned, year.sessions)


def test_hr_sets_the_budget_and_bad_amounts_are_refused(client, db, login_as):
    hr = login_as("hr", dept="HR")
    refused = client.post_form("/training/budget", {"annual_budget": "-5"})
    assert refused.status_code == 422
    assert 'id="annual_budget-error"' in refused.get_data(as_text=True)
    assert "A budget is between 0 and 9,999,999,999." in text_of(refused)
    huge = client.post_form("/training/budget", {"annual_budget": "9" * 30})
    assert huge.status_code == 422
    assert db.session.get(TrainingSettings, hr.property_id) is None
    saved = client.post_form("/training/budget", {"annual_budget": "72000.50"})
    assert saved.status_code == 303
    page = text_of(client.get(saved.headers["Location"]))
    assert "Budget saved." in page and "72,000.50" in page
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "training.budget_changed")
    )
    assert "60000 -> 72000.50" in event.summary
    home = text_of(client.get("/"))
    assert "Training budget this year" in home and "72,000.50" in home


def test_who_sees_and_sets_the_budget(client, db, login_as):
    login_as("manager", dept="FO")
    assert "Annual budget" in text_of(client.get("/training/budget"))
    assert client.post_form("/training/budget", {"annual_budget": "1"}).status_code == 403
    client.post_form("/auth/logout")
    login_as("supervisor")
    assert client.get("/training/budget").status_code == 403
    this_year = local_today().year
    client.post_form("/auth/logout")
    login_as("hr", dept="HR")
    far = text_of(client.get(f"/training/budget?year={2**63}"))
    assert f"Training budget {this_year + 5}" in far

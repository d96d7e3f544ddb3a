"""Everyone of the property reads and confirms the version of each plan in force: a revision
asks everyone again; a double tap confirms once; a page left open on an old version does not
confirm the new one; the home card counts what is still to read."""

import pytest
from sqlalchemy import func, select

from portal.blueprints.drills import plans
from portal.blueprints.drills.models import PlanRead
from portal.errors import DomainError
from tests import factories
from tests.conftest import text_of
from tests.drills import helpers


def reads(db) -> int:
    return db.session.scalar(select(func.count()).select_from(PlanRead))


def _revise(plan, keeper):
    data = plans.PlanData(
        plan.code, plan.kind, plan.every_months, [s.shift for s in plan.shifts],
        texts=helpers.texts(), change_note="After the drill",
    )  # fmt: skip
    plans.revise_plan(plan, data, by=keeper, expected_version=plan.version)


def test_a_revision_asks_everyone_again(db, ctx):
    prop = factories.property_()
    keeper = helpers.keeper(prop)
    person = factories.person(prop=prop)
    plan = helpers.plan(prop, by=keeper)
    assert plans.to_read_ids(person) == {plan.id}
    first = plans.current_version(plan)
    assert plans.confirm_read(plan, first, person) is not None
    assert plans.confirm_read(plan, first, person) is None  # a double tap
    assert plans.to_read_ids(person) == set()
    assert plans.readers(first, prop.id)[0] == 1
    _revise(plan, keeper)
    assert plans.to_read_ids(person) == {plan.id}
    with pytest.raises(DomainError, match="newer version"):
        plans.confirm_read(plan, first, person)
    assert reads(db) == 1


def test_another_propertys_person_cannot_confirm(db, ctx):
    plan = helpers.plan(factories.property_())
    stranger = factories.person(prop=factories.property_("SPX"))
    with pytest.raises(DomainError, match="another property"):
        plans.confirm_read(plan, plans.current_version(plan), stranger)


def test_an_employee_reads_and_confirms_from_the_home_card(client, db, login_as):
    employee = login_as("employee")
    plan = helpers.plan(employee.property, code="FIRE-01")
    db.session.commit()
    home = text_of(client.get("/"))
    assert "Emergency plans to read" in home
    listing = text_of(client.get("/drills/plans"))
    assert "To read" in listing
    page = text_of(client.get(f"/drills/plans/{plan.id}"))
    assert "I have read version 1" in page and "Read by" not in page  # counts are security's
    done = client.post_form(f"/drills/plans/{plan.id}/read", {"version": "1"})
    assert done.status_code == 303
    assert "Thank you: you have read version 1." in text_of(client.get(done.headers["Location"]))
    again = client.post_form(f"/drills/plans/{plan.id}/read", {"version": "1"})
    assert again.status_code == 303 and reads(db) == 1
    assert "Emergency plans to read" not in text_of(client.get("/"))


def test_a_page_left_open_on_an_old_version_confirms_nothing(client, db, login_as, app):
    employee = login_as("employee")
    keeper = helpers.keeper(employee.property)
    plan = helpers.plan(employee.property, by=keeper)
    with app.test_request_context():
        _revise(plan, keeper)
    db.session.commit()
    response = client.post_form(f"/drills/plans/{plan.id}/read", {"version": "1"})
    assert response.status_code == 303
    assert "A newer version of this plan is in force" in text_of(
        client.get(response.headers["Location"])
    )
    assert reads(db) == 0
    assert client.post_form(f"/drills/plans/{plan.id}/read", {"version": "x"}).status_code == 400


def test_security_sees_how_many_have_read_the_version(client, db, login_as):
    keeper = login_as("manager", dept="FO")
    plan = helpers.plan(keeper.property, by=keeper)
    for _ in range(3):
        plans.confirm_read(
            plan, plans.current_version(plan), factories.person(prop=keeper.property)
        )
    db.session.commit()
    assert "Read by 3 of" in text_of(client.get(f"/drills/plans/{plan.id}"))


def test_a_group_admin_of_another_property_reads_but_does_not_confirm(client, db, login_as):
    login_as("admin", dept="HR")
    plan = helpers.plan(factories.property_("SPX"))
    db.session.commit()
    page = text_of(client.get(f"/drills/plans/{plan.id}"))
    assert "Measures, phase by phase" in page and "I have read version" not in page
    assert client.post_form(f"/drills/plans/{plan.id}/read", {"version": "1"}).status_code == 403
    assert reads(db) == 0

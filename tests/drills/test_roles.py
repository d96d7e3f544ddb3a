"""Drill roles: security gives each person one duty per drill (a new duty replaces the old),
only to people of the drill's property and only before the drill ends; the person sees it on
their home page; every change is audited; bad input writes nothing."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.blueprints.drills import roles, services
from portal.blueprints.drills.models import DrillRole
from portal.database import utcnow
from portal.errors import DomainError, FieldErrors
from portal.i18n import local_today
from tests import factories
from tests.conftest import text_of
from tests.drills import helpers


def switch(client, user, secret) -> None:
    assert client.post_form("/auth/logout", {}).status_code in (302, 303)
    assert client.sign_in(user.staff_no, secret).status_code == 303


def count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(DrillRole))


@pytest.fixture
def planned(ctx):
    prop = factories.property_()
    keeper = helpers.keeper(prop)
    return helpers.drill(prop, by=keeper, day=local_today() + timedelta(days=5)), keeper


def test_a_new_duty_replaces_the_old_one_and_each_change_is_audited(db, planned):
    drill, keeper = planned
    warden = factories.person(prop=keeper.property, dept="HK")
    roles.assign(drill, warden, "floor_warden", " Level 3 ", by=keeper)
    role = roles.assign(drill, warden, "assembly_marshal", "Car park", by=keeper)
    assert count(db) == 1
    assert (role.duty, role.area, role.assigned_by_id) == (
        "assembly_marshal",
        "Car park",
        keeper.id,
    )
    summaries = db.session.scalars(
        select(AuditEvent.summary)
        .where(AuditEvent.action == "drills.role_assigned")
        .order_by(AuditEvent.id)
    ).all()
    assert summaries[0].endswith("duty=floor_warden area=Level 3")
    assert "was=floor_warden Level 3" in summaries[1]
    roles.remove(role, by=keeper)
    assert count(db) == 0
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "drills.role_removed"))


def test_a_role_is_given_to_someone_of_the_property_with_a_duty_from_the_list(db, planned):
    drill, keeper = planned
    stranger = factories.person(prop=factories.property_("SPX"))
    left = factories.person(prop=keeper.property)
    left.active = False
    here = factories.person(prop=keeper.property)
    for person, duty, area, field in [
        (stranger, "first_aid", "", "person_id"),
        (left, "first_aid", "", "person_id"),
        (None, "first_aid", "", "person_id"),
        (here, "chief", "", "duty"),
        (here, "first_aid", "x" * 121, "area"),
    ]:
        with pytest.raises(FieldErrors) as refused:
            roles.assign(drill, person, duty, area, by=keeper)
        assert field in refused.value.errors
    assert count(db) == 0


def test_an_ended_drill_takes_no_roles(db, ctx):
    prop = factories.property_()
    keeper = helpers.keeper(prop)
    drill = helpers.running(prop, by=keeper)
    person = factories.person(prop=prop)
    role = roles.assign(drill, person, "roll_call", "", by=keeper)  # someone stepping in
    services.all_clear(drill, by=keeper)
    with pytest.raises(DomainError, match="before the drill ends"):
        roles.assign(drill, factories.person(prop=prop), "observer", "", by=keeper)
    with pytest.raises(DomainError, match="before the drill ends"):
        roles.remove(role, by=keeper)
    assert count(db) == 1


def test_security_gives_a_role_and_the_person_sees_it_at_home(client, db, login_as):
    keeper = login_as("manager", dept="FO")
    day = local_today() + timedelta(days=3)
    drill = helpers.drill(keeper.property, by=keeper, day=day)
    warden = factories.person(prop=keeper.property, dept="HK")
    db.session.commit()
    page = client.get(f"/drills/{drill.id}").get_data(as_text=True)
    assert 'id="role-form"' in page and f'value="{warden.id}"' in page
    assert '<option selected value="">Choose someone</option>' in page  # nobody by default
    # nobody chosen (a careless tap): said next to the field, nothing written
    blank = client.post_form(
        f"/drills/{drill.id}/roles", {"person_id": "", "duty": "first_aid", "area": ""}
    )
    assert blank.status_code == 422
    assert "Choose someone of this property." in text_of(blank)
    assert 'id="person_id-error"' in blank.get_data(as_text=True)
    # a duty not on the list: said next to its field, nothing written
    bad = client.post_form(
        f"/drills/{drill.id}/roles", {"person_id": str(warden.id), "duty": "chief", "area": ""}
    )
    assert bad.status_code == 422 and 'id="duty-error"' in bad.get_data(as_text=True)
    assert count(db) == 0
    given = client.post_form(
        f"/drills/{drill.id}/roles",
        {"person_id": str(warden.id), "duty": "floor_warden", "area": "Level 3"},
    )
    assert given.status_code == 303
    assert given.headers["Location"] == f"/drills/{drill.id}#roles"
    shown = text_of(client.get(f"/drills/{drill.id}"))
    assert f"{warden.name_en} {warden.staff_no} Floor warden · Level 3" in shown
    switch(client, warden, factories.PIN)
    home = text_of(client.get("/"))
    assert "My role at the next drill" in home
    assert "Floor warden · Level 3" in home and drill.plan.code in home
    # taken back: gone from the drill and from the home page
    switch(client, keeper, factories.PASSWORD)
    role_id = db.session.scalar(select(DrillRole.id))
    taken = client.post_form(f"/drills/roles/{role_id}/remove", {})
    assert taken.status_code == 303 and count(db) == 0
    switch(client, warden, factories.PIN)
    assert "My role at the next drill" not in text_of(client.get("/"))


def test_a_running_drill_comes_first_on_the_card(client, db, login_as):
    person = login_as("employee")
    keeper = helpers.keeper(person.property)
    later = helpers.drill(person.property, by=keeper, day=local_today() + timedelta(days=9))
    roles.assign(later, person, "observer", "", by=keeper)
    now = helpers.running(person.property, by=keeper)
    roles.assign(now, person, "guest_liaison", "Lobby", by=keeper)
    past = helpers.drill(person.property, by=keeper)
    past.planned_on = local_today() - timedelta(days=2)  # planned, its day gone by
    roles.assign(past, person, "first_aid", "", by=keeper)
    db.session.commit()
    home = text_of(client.get("/"))
    assert "Guest liaison · Lobby" in home and "Running now" in home
    assert "Observer" not in home and "First aid" not in home
    services.all_clear(now, by=keeper)
    db.session.commit()
    home = text_of(client.get("/"))
    assert "Observer" in home and "Guest liaison" not in home


def test_a_guessed_or_huge_role_id_is_not_found(client, db, login_as):
    login_as("manager", dept="FO")
    assert client.post_form(f"/drills/roles/{2**63}/remove", {}).status_code == 404
    assert client.post_form("/drills/roles/999999/remove", {}).status_code == 404


def test_the_report_lists_who_did_what_in_the_language_asked(client, db, login_as):
    from tests.drills.test_documents import printed

    keeper = login_as("manager", dept="FO")
    drill = helpers.drill(keeper.property, by=keeper)
    warden = factories.person(prop=keeper.property, name_en="Li Ming", name_zh="李明")
    roles.assign(drill, warden, "floor_warden", "Level 3", by=keeper)
    services.start(drill, by=keeper, now=utcnow() - timedelta(minutes=6))
    services.all_clear(drill, by=keeper, now=utcnow() - timedelta(minutes=2))
    services.save_record(drill, helpers.COMPLETE, by=keeper, expected_version=None)
    services.close(drill, by=keeper)
    db.session.commit()
    shown = text_of(client.get(f"/drills/{drill.id}"))
    assert "Drill roles" in shown and "Floor warden · Level 3" in shown
    assert "Give a role" not in shown and "Take back" not in shown  # the drill has ended
    english = printed(client, f"/drills/{drill.id}/report.pdf?lang=en")
    assert "Drill roles" in english and "Li Ming" in english and "Floor warden" in english
    chinese = printed(client, f"/drills/{drill.id}/report.pdf?lang=zh")
    assert "李明" in chinese and "楼层疏散员" in chinese and "Level 3" in chinese

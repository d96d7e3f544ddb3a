"""Who gives which role: HR gives employee, supervisor and HR; only a group admin gives manager
or group admin. Every account records when and by whom it got its role."""

import re
import secrets
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.blueprints.people import services
from portal.blueprints.people.models import User
from portal.database import utcnow
from portal.errors import DomainError
from tests import factories
from tests.conftest import text_of


def account_form(prop, role: str, **overrides) -> dict:
    data = {
        "name_en": "Wu Lei",
        "name_zh": "吴磊",
        "staff_no": "M4001",
        "department_id": str(factories.department(prop, "FO").id),
        "role": role,
        "grade": "manager",
        "username": "wu.lei",
        "password": "chosen-by-hr-2026",
        "email": "",
        "phone": "",
        "hire_date": "",
        "locale": "",
        "idempotency_key": secrets.token_urlsafe(18),  # as the form carries one
    }
    data.update(overrides)
    return data


def counts(db) -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count()).select_from(User)),
        db.session.scalar(select(func.count()).select_from(AuditEvent)),
    )


def test_hr_is_not_offered_the_manager_or_admin_role(client, db, login_as):
    login_as("hr")
    html = client.get("/people/new").get_data(as_text=True)
    select_ = re.search(r'<select[^>]*name="role".*?</select>', html, re.S).group(0)
    assert re.findall(r'value="([a-z]+)"', select_) == ["employee", "supervisor", "hr"]


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_hr_cannot_create_a_manager_or_admin_account(client, db, login_as, role):
    hr = login_as("hr")
    before = counts(db)
    response = client.post_form("/people/new", account_form(hr.property, role))
    assert response.status_code == 422
    assert 'id="role-error"' in response.get_data(as_text=True)
    assert "Not a valid choice." in text_of(response)
    assert counts(db) == before
    assert db.session.scalar(select(User).where(User.username == "wu.lei")) is None


def test_hr_cannot_promote_an_account_to_manager(client, db, login_as):
    login_as("hr")
    supervisor = factories.person("supervisor", dept="FO")
    db.session.commit()
    _, audit_before = counts(db)
    form = account_form(
        supervisor.property,
        "manager",
        staff_no=supervisor.staff_no,
        username=supervisor.username,
        version=str(supervisor.version),
    )
    form.pop("password")
    response = client.post_form(f"/people/{supervisor.id}/edit", form)
    assert response.status_code == 422
    assert 'id="role-error"' in response.get_data(as_text=True)
    db.session.refresh(supervisor)
    assert supervisor.role == "supervisor"
    assert counts(db)[1] == audit_before


def test_hr_cannot_edit_or_reset_a_manager(client, db, login_as):
    """Setting a manager's password would let HR sign in as one."""
    login_as("hr")
    manager = factories.person("manager", dept="FO")
    db.session.commit()
    assert client.get(f"/people/{manager.id}").status_code == 200
    assert client.get(f"/people/{manager.id}/edit").status_code == 403
    assert client.get(f"/people/{manager.id}/reset").status_code == 403
    assert client.post_form(f"/people/{manager.id}/deactivate").status_code == 403


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_the_service_refuses_hr_giving_the_role_too(ctx, db, role):
    hr = factories.person("hr", dept="HR")
    prop = hr.property
    data = services.PersonData(
        name_en="Wu Lei",
        name_zh="",
        staff_no="M4002",
        property_id=prop.id,
        department_id=factories.department(prop, "FO").id,
        role=role,
        grade="manager",
        username="wu.lei2",
    )
    with pytest.raises(DomainError, match="Only a group admin") as error:
        services.create_person(data, pin=None, password="chosen-by-hr-2026", by=hr)
    assert error.value.field == "role"
    supervisor = factories.person("supervisor", dept="FO")
    data.staff_no, data.username = supervisor.staff_no, supervisor.username
    with pytest.raises(DomainError, match="Only a group admin"):
        services.update_person(supervisor, data, expected_version=None, by=hr)
    assert supervisor.role == "supervisor"


def test_an_admin_creates_a_manager_and_the_grant_is_recorded(client, db, login_as):
    admin = login_as("admin")
    form = account_form(admin.property, "manager", property_id=str(admin.property_id))
    response = client.post_form("/people/new", form)
    assert response.status_code == 303, text_of(response)[:500]
    manager = db.session.scalar(select(User).where(User.username == "wu.lei"))
    assert manager.role == "manager" and manager.check_password("chosen-by-hr-2026")
    assert manager.role_granted_by_id == admin.id
    assert abs(manager.role_granted_at - utcnow()) < timedelta(minutes=1)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "person.created"))
    assert event.actor_id == admin.id and event.object_id == manager.id
    assert "role=manager" in event.summary


def test_a_role_change_records_the_grant_and_audits_old_and_new_role(client, db, login_as):
    admin = login_as("admin")
    supervisor = factories.person("supervisor", dept="FO")
    supervisor.role_granted_at = utcnow() - timedelta(days=400)
    db.session.commit()
    form = account_form(
        supervisor.property,
        "manager",
        staff_no=supervisor.staff_no,
        username=supervisor.username,
        property_id=str(supervisor.property_id),
        version=str(supervisor.version),
    )
    form.pop("password")
    response = client.post_form(f"/people/{supervisor.id}/edit", form)
    assert response.status_code == 303, text_of(response)[:500]
    db.session.refresh(supervisor)
    assert supervisor.role == "manager"
    assert supervisor.role_granted_by_id == admin.id
    assert abs(supervisor.role_granted_at - utcnow()) < timedelta(minutes=1)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "person.updated"))
    assert event.actor_id == admin.id
    assert "role: supervisor -> manager" in event.summary


def test_an_edit_that_keeps_the_role_keeps_the_grant(ctx, db):
    admin = factories.person("admin", dept="HR")
    hr = factories.person("hr", dept="HR")
    person = factories.person("employee")
    granted_at = person.role_granted_at
    data = services.PersonData(
        name_en="Renamed",
        name_zh=person.name_zh,
        staff_no=person.staff_no,
        property_id=person.property_id,
        department_id=person.department_id,
        role="employee",
        grade="junior",
    )
    services.update_person(person, data, expected_version=None, by=hr)
    assert person.role_granted_at == granted_at and person.role_granted_by_id is None
    data.role = "hr"
    data.username = "renamed.hr"
    person.set_password("a-long-password-2026")
    services.update_person(person, data, expected_version=None, by=admin)
    assert person.role_granted_by_id == admin.id

"""The approver is not the author, nor an account the author created or gave its role in the
last 24 hours (the button and the approval itself follow one rule)."""

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from portal.blueprints.people import services as people
from portal.blueprints.people.models import User
from portal.blueprints.sops import services
from portal.blueprints.sops.models import VersionStatus
from portal.blueprints.sops.permissions import can_approve_version
from portal.errors import DomainError
from portal.i18n import local_today
from tests import factories
from tests.conftest import text_of


def in_review(author):
    version = factories.sop(author=author, effective=False)
    services.submit_for_review(version, by=author)
    return version


def manager_made_by(by, staff_no="M5001", **kw):
    prop = by.property
    return people.create_person(
        people.PersonData(
            name_en="Made Manager",
            name_zh="",
            staff_no=staff_no,
            property_id=prop.id,
            department_id=factories.department(prop, "FO").id,
            role="manager",
            grade="manager",
            username=staff_no.lower(),
            **kw,
        ),
        pin=None,
        password="chosen-by-author-2026",
        by=by,
    )


@pytest.fixture
def author(ctx, db):
    return factories.person("admin", dept="HR")


def test_a_manager_the_author_created_cannot_approve_for_24_hours(author):
    version = in_review(author)
    manager = manager_made_by(author)
    granted = manager.role_granted_at
    with time_machine.travel(granted + timedelta(hours=24, seconds=-1), tick=False):
        assert not can_approve_version(manager, version)
        with pytest.raises(DomainError, match="less than 24 hours ago"):
            services.approve(version, approver=manager, effective_date=local_today())
        assert version.status == VersionStatus.IN_REVIEW
    with time_machine.travel(granted + timedelta(hours=24), tick=False):
        assert can_approve_version(manager, version)
        services.approve(version, approver=manager, effective_date=local_today())
    assert version.status == VersionStatus.APPROVED and version.approver_id == manager.id


def test_a_manager_the_author_promoted_lately_cannot_approve(author):
    version = in_review(author)
    supervisor = factories.person("supervisor", dept="FO")
    assert can_approve_version(factories.person("manager", dept="FO"), version)
    data = people.PersonData(
        name_en=supervisor.name_en,
        name_zh=supervisor.name_zh,
        staff_no=supervisor.staff_no,
        property_id=supervisor.property_id,
        department_id=supervisor.department_id,
        role="manager",
        grade="manager",
        username=supervisor.username,
    )
    people.update_person(supervisor, data, expected_version=None, by=author)
    assert not can_approve_version(supervisor, version)
    with pytest.raises(DomainError, match="less than 24 hours ago"):
        services.approve(version, approver=supervisor, effective_date=local_today())


def test_a_manager_someone_else_created_approves_at_once(author):
    version = in_review(author)
    other_admin = factories.person("admin", dept="HR")
    manager = manager_made_by(other_admin)
    assert can_approve_version(manager, version)
    services.approve(version, approver=manager, effective_date=local_today())
    assert version.status == VersionStatus.APPROVED


def test_the_author_s_creation_approves_other_authors_versions(author):
    manager = manager_made_by(author)
    version = in_review(factories.person("hr", dept="HR"))
    assert can_approve_version(manager, version)


def test_through_the_pages_no_button_and_refused_then_another_manager_approves(
    client, db, login_as, app
):
    author = login_as("admin")
    version = in_review(author)
    form = {
        "name_en": "Wu Lei",
        "name_zh": "吴磊",
        "staff_no": "M4001",
        "property_id": str(author.property_id),
        "department_id": str(factories.department(author.property, "FO").id),
        "role": "manager",
        "grade": "manager",
        "username": "wu.lei",
        "password": "chosen-by-author-2026",
        "idempotency_key": "approver-independence-key-01",
    }
    db.session.commit()
    assert client.post_form("/people/new", form).status_code == 303
    made = app.test_client()
    assert made.sign_in("wu.lei", "chosen-by-author-2026").status_code == 303
    page = made.get(f"/sops/versions/{version.id}")
    assert page.status_code == 200 and "Review this version" not in text_of(page)
    today = local_today().isoformat()
    refused = made.post_form(f"/sops/versions/{version.id}/approve", {"effective_date": today})
    assert refused.status_code == 403
    db.session.refresh(version)
    assert version.status == VersionStatus.IN_REVIEW
    other = app.test_client()
    independent = factories.person("manager", dept="FO")
    db.session.commit()
    assert other.sign_in(independent.username, factories.PASSWORD).status_code == 303
    assert "Review this version" in text_of(other.get(f"/sops/versions/{version.id}"))
    ok = other.post_form(f"/sops/versions/{version.id}/approve", {"effective_date": today})
    assert ok.status_code == 303
    db.session.refresh(version)
    assert version.status == VersionStatus.APPROVED and version.approver_id == independent.id
    assert db.session.scalar(select(User.role).where(User.username == "wu.lei")) == "manager"

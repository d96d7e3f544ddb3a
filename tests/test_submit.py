"""The shared POST bodies (portal/submit.py): create once, save with a stale check, and a
hidden version that was tampered with."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.blueprints.people import services
from tests import factories
from tests.conftest import text_of
from tests.people.test_people import valid_form


def _edit_data(person, **overrides):
    data = valid_form(person.property, staff_no=person.staff_no, **overrides)
    data.pop("pin")
    return data


def _audit_rows(db, action: str) -> int:
    return db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
    )


@pytest.mark.parametrize("version", ["abc", "1; DROP TABLE users", "-1", "9" * 30])
def test_a_tampered_version_is_a_message_on_the_form_not_an_error_page(
    client, db, login_as, version
):
    login_as("hr")
    person = factories.person("employee", name_en="Kept")
    db.session.commit()
    response = client.post_form(
        f"/people/{person.id}/edit", _edit_data(person, name_en="Changed", version=version)
    )
    assert response.status_code == 422
    assert "Reload the page and try again." in text_of(response)
    db.session.refresh(person)
    assert person.name_en == "Kept"
    assert _audit_rows(db, "person.updated") == 0


def test_a_value_error_inside_a_service_is_a_bug_not_a_concurrent_edit(
    client, db, login_as, monkeypatch
):
    """Only a moved row version means 'someone else changed it'; other errors are not hidden."""
    login_as("hr")
    person = factories.person("employee")
    db.session.commit()

    def broken(*args, **kwargs):
        raise ValueError("a bug in the service")

    monkeypatch.setattr(services, "update_person", broken)
    with pytest.raises(ValueError, match="a bug in the service"):
        client.post_form(
            f"/people/{person.id}/edit", _edit_data(person, version=str(person.version))
        )


def test_a_stale_sop_draft_lock_is_refused_with_the_stale_message(client, db, login_as):
    from tests.sops.test_views import editor_form

    hr = login_as("hr")
    draft = factories.sop(number="HK-051", effective=False, prop=hr.property)
    db.session.commit()
    title = draft.title_en
    form = editor_form(number=None, title_en="Mine")
    form.pop("number")
    form["lock"] = str(draft.lock_version + 5)
    response = client.post_form(f"/sops/versions/{draft.id}/edit", form)
    assert response.status_code == 422
    assert "Someone else changed this draft" in text_of(response)
    db.session.expire_all()
    assert draft.title_en == title
    assert _audit_rows(db, "sop.draft_saved") == 0

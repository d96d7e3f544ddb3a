"""Every htmx action of the SOP pages also works with JavaScript off.

Each test sends what the browser sends without htmx (no HX-Request header) for one element of
templates/sops/ that carries hx-post or hx-get, and checks the plain answer: a 303 to the page
that shows the result, with the message on it, or the whole page; and that the change happened
exactly once.
"""

from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.blueprints.sops import services
from portal.blueprints.sops.models import Sop, SopAcknowledgement, SopReminder, SopVersion
from tests import factories
from tests.conftest import text_of
from tests.sops.test_views import editor_form


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def audited(db, action: str) -> int:
    return db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
    )


def test_acknowledge_without_javascript(client, db, login_as):
    version = factories.sop(dept="HK")
    login_as("employee", dept="HK")
    response = client.post_form(f"/sops/{version.sop.id}/acknowledge", {"version_id": version.id})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/sops/{version.sop.id}"
    page = text_of(client.get(response.headers["Location"]))
    assert "Thank you: you acknowledged HK-001 version 1.0." in page
    assert "You have acknowledged version 1.0." in page
    assert count(db, SopAcknowledgement) == 1
    again = client.post_form(f"/sops/{version.sop.id}/acknowledge", {"version_id": version.id})
    assert again.status_code == 303
    assert count(db, SopAcknowledgement) == 1 and audited(db, "sop.acknowledged") == 1


def test_remind_without_javascript(client, db, login_as):
    version = factories.sop(dept="HK")
    waiting = factories.person("employee", dept="HK", name_en="Not Yet Read")
    db.session.commit()
    login_as("supervisor", dept="HK")
    response = client.post_form(f"/sops/{version.sop.id}/remind/{waiting.id}")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/sops/{version.sop.id}/acknowledgements"
    page = text_of(client.get(response.headers["Location"]))
    assert "Not Yet Read will see a reminder when they sign in." in page
    assert "reminded" in page
    assert count(db, SopReminder) == 1 and audited(db, "sop.reminded") == 1


def test_coverage_refresh_without_javascript_is_the_whole_page(client, db, login_as):
    version = factories.sop(dept="HK")
    login_as("supervisor", dept="HK")
    response = client.get(f"/sops/{version.sop.id}/acknowledgements")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert 'id="coverage-table"' in html
    assert "Who has read HK-001 version 1.0" in text_of(response)


def test_search_without_javascript_is_the_whole_page(client, db, login_as):
    factories.sop(number="HK-001", title="Guest-room cleaning", title_zh="客房清洁")
    factories.sop(number="FO-003", dept="FO", title="Complaint handling", title_zh="投诉处理")
    login_as("employee", dept="HK")
    response = client.get("/sops/?scope=all&q=投诉")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert 'id="sop-results"' in html and 'value="投诉"' in html
    body = text_of(response)
    assert "FO-003" in body and "Complaint handling" in body and "HK-001" not in body


def test_new_sop_without_javascript(client, db, login_as):
    hr = login_as("hr")
    dept = factories.department(hr.property, "HK")
    response = client.post_form("/sops/new", editor_form(dept_id=dept.id))
    assert response.status_code == 303
    version = db.session.scalar(select(SopVersion))
    assert response.headers["Location"] == f"/sops/versions/{version.id}"
    assert "Draft HK-020 saved." in text_of(client.get(response.headers["Location"]))
    assert count(db, Sop) == 1 and audited(db, "sop.created") == 1


def test_new_sop_with_bad_input_without_javascript(client, db, login_as):
    hr = login_as("hr")
    dept = factories.department(hr.property, "HK")
    response = client.post_form("/sops/new", editor_form(dept_id=dept.id, number="hk 3"))
    assert response.status_code == 422
    assert response.get_data(as_text=True).lstrip().lower().startswith("<!doctype html>")
    assert "Use letters, a hyphen and digits" in text_of(response)
    assert count(db, Sop) == 0


def test_add_a_step_without_javascript(client, db, login_as):
    hr = login_as("hr")
    dept = factories.department(hr.property, "HK")
    response = client.post_form("/sops/new", {**editor_form(dept_id=dept.id), "add_step": "1"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert 'name="steps-2-text_en"' in html and "Knock three times" in html
    assert count(db, Sop) == 0


def test_edit_a_draft_without_javascript(client, db, login_as):
    hr = login_as("hr")
    draft = factories.sop(number="HK-050", effective=False, prop=hr.property)
    db.session.commit()
    form = editor_form(steps=("Knock", "Wait", "Enter"))
    form.pop("number")
    form["lock"] = str(draft.lock_version)
    response = client.post_form(f"/sops/versions/{draft.id}/edit", form)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/sops/versions/{draft.id}"
    assert "Draft saved." in text_of(client.get(response.headers["Location"]))
    db.session.expire_all()
    assert [s.text_en for s in draft.steps] == ["Knock", "Wait", "Enter"]
    assert audited(db, "sop.draft_saved") == 1


def test_a_stale_edit_without_javascript_changes_nothing(client, db, login_as):
    hr = login_as("hr")
    draft = factories.sop(number="HK-050", effective=False, prop=hr.property)
    db.session.commit()
    form = editor_form(steps=("Knock",))
    form.pop("number")
    form["lock"] = str(draft.lock_version)
    services.update_draft(draft, factories.version_data(steps=2), by=hr)  # someone else saved
    db.session.commit()
    response = client.post_form(f"/sops/versions/{draft.id}/edit", form)
    assert response.status_code == 422
    assert "Someone else changed this draft while you were editing" in text_of(response)
    db.session.expire_all()
    assert [s.text_en for s in draft.steps] == ["Step 1 in English", "Step 2 in English"]

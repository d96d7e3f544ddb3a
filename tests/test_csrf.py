"""A POST without the CSRF token is refused, plain or htmx, and writes nothing."""

from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.blueprints.people.models import User
from portal.sessions import UserSession
from tests import factories
from tests.conftest import text_of

REFUSED = "This form has expired or was not sent from the portal. Reload and try again."


def _count(db):
    return db.session.scalar(select(func.count()).select_from(User))


def _audit_rows(db):
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


def test_plain_post_without_token_is_refused(client, db, login_as):
    hr = login_as("hr")
    dept = factories.department(hr.property, "HK")
    before, audit_before = _count(db), _audit_rows(db)
    response = client.post(
        "/people/new",
        data={
            "name_en": "Sneaky",
            "staff_no": "E9999",
            "department_id": dept.id,
            "role": "employee",
            "grade": "junior",
            "pin": "123456",
        },
    )
    assert response.status_code == 400
    assert REFUSED in text_of(response)
    assert _count(db) == before
    assert _audit_rows(db) == audit_before


def test_htmx_post_without_token_is_refused_into_the_flash_area(client, db, login_as):
    login_as("hr")
    person = factories.person("employee")
    audit_before = _audit_rows(db)
    response = client.post(f"/people/{person.id}/deactivate", headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert response.headers["HX-Retarget"] == "#flash"
    body = response.get_data(as_text=True)
    assert 'data-error-code="400"' in body and "<html" not in body
    assert REFUSED in text_of(response)
    db.session.refresh(person)
    assert person.active is True
    assert _audit_rows(db) == audit_before  # no "person.deactivated", nothing at all


def test_wrong_token_is_refused(client, db, login_as):
    login_as("hr")
    person = factories.person("employee")
    audit_before = _audit_rows(db)
    response = client.post(f"/people/{person.id}/deactivate", data={"csrf_token": "forged"})
    assert response.status_code == 400
    assert REFUSED in text_of(response)
    db.session.refresh(person)
    assert person.active is True
    assert _audit_rows(db) == audit_before


def test_sign_out_without_token_does_not_sign_out(client, db, login_as):
    me = login_as("employee")
    response = client.post("/auth/logout")
    assert response.status_code == 400
    assert REFUSED in text_of(response)
    row = db.session.scalar(select(UserSession).where(UserSession.user_id == me.id))
    assert row.ended_at is None
    home = client.get("/")
    assert home.status_code == 200 and me.name_en in text_of(home)


def test_token_travels_in_hx_headers_of_the_page(client, db, login_as):
    login_as("employee")
    body = client.get("/").get_data(as_text=True)
    assert 'hx-headers=\'{"X-CSRFToken": "' in body


def test_a_refusal_is_shown_in_the_signed_in_persons_language_and_page(client, db, login_as):
    """The CSRF check runs once the sign-in is known: the person's language, their header."""
    hr = login_as("hr", locale="zh_Hans")
    response = client.post("/people/new", data={"name_en": "No token"})
    assert response.status_code == 400
    text = text_of(response)
    assert "此表单已过期，或不是从员工之家提交的。请刷新后重试。" in text
    assert REFUSED not in text
    assert hr.name_zh in text  # the signed-in header, not the signed-out one


def test_a_too_large_form_is_shown_in_the_signed_in_persons_language(client, db, login_as):
    hr = login_as("hr", locale="zh_Hans")
    response = client.post_form("/people/new", {"name_en": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    text = text_of(response)
    assert "提交的内容过大，请缩小后再提交。" in text
    assert hr.name_zh in text

"""A POST without the CSRF token is refused, plain or htmx, and writes nothing."""

from sqlalchemy import func, select

from portal.blueprints.people.models import User
from tests import factories
from tests.conftest import text_of


def _count(db):
    return db.session.scalar(select(func.count()).select_from(User))


def test_plain_post_without_token_is_refused(client, db, login_as):
    hr = login_as("hr")
    dept = factories.department(hr.property, "HK")
    before = _count(db)
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
    assert "This form has expired or was not sent from the portal" in text_of(response)
    assert _count(db) == before


def test_htmx_post_without_token_is_refused_into_the_flash_area(client, db, login_as):
    hr = login_as("hr")
    person = factories.person("employee")
    response = client.post(f"/people/{person.id}/deactivate", headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert response.headers["HX-Retarget"] == "#flash"
    assert 'data-error-code="400"' in response.get_data(as_text=True)
    db.session.refresh(person)
    assert person.active is True
    assert hr.id


def test_wrong_token_is_refused(client, db, login_as):
    login_as("hr")
    person = factories.person("employee")
    response = client.post(f"/people/{person.id}/deactivate", data={"csrf_token": "forged"})
    assert response.status_code == 400
    db.session.refresh(person)
    assert person.active is True


def test_sign_out_without_token_does_not_sign_out(client, db, login_as):
    login_as("employee")
    assert client.post("/auth/logout").status_code == 400
    assert client.get("/").status_code == 200


def test_token_travels_in_hx_headers_of_the_page(client, db, login_as):
    login_as("employee")
    body = client.get("/").get_data(as_text=True)
    assert 'hx-headers=\'{"X-CSRFToken": "' in body

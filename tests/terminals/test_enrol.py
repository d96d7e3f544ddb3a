"""Enrolling this device as a terminal: only the terminal takes the terminal's language."""

from portal.blueprints.people.models import User
from tests import factories
from tests.conftest import text_of

EN = {"Accept-Language": "en-GB,en;q=0.9"}


def enrol(client, prop, locale="zh_Hans", **kw):
    return client.post_form(
        "/terminals/",
        {
            "name": "Staff room B1",
            "location": "Basement",
            "property_id": str(prop.id),
            "default_locale": locale,
        },
        headers=EN,
        **kw,
    )


def sign_in_admin(client, **kw):
    admin = factories.person("admin", username="it.admin", **kw)
    assert client.sign_in("it.admin", factories.PASSWORD, headers=EN).status_code == 303
    return admin


def test_the_admins_screen_keeps_its_language_after_enrolling_a_chinese_terminal(client, db):
    admin = sign_in_admin(client)
    response = enrol(client, admin.property)
    assert response.status_code == 303
    page = client.get(response.headers["Location"], headers=EN)
    body = text_of(page)
    assert "This device is now the terminal “Staff room B1”." in body
    assert 'lang="en"' in page.get_data(as_text=True) and "Sign out" in body
    # Nothing was saved on the person: they chose no language.
    db.session.refresh(admin)
    assert admin.locale is None
    # The next person at the terminal gets its language.
    client.post_form("/auth/switch", headers=EN)
    login = client.get("/auth/login", headers=EN)
    assert 'lang="zh-Hans"' in login.get_data(as_text=True)
    assert "共享终端：Staff room B1" in text_of(login)


def test_the_same_through_htmx(client, db):
    admin = sign_in_admin(client)
    response = enrol(client, admin.property, htmx=True)
    assert response.headers["HX-Redirect"] == "/terminals/"
    assert 'lang="en"' in client.get("/terminals/", headers=EN).get_data(as_text=True)


def test_an_admin_who_chose_a_language_keeps_it(client, db):
    admin = sign_in_admin(client, locale="zh_Hans")
    enrol(client, admin.property, locale="en")
    page = client.get("/terminals/", headers=EN)
    assert 'lang="zh-Hans"' in page.get_data(as_text=True)
    assert db.session.get(User, admin.id).locale == "zh_Hans"


def test_a_person_who_signs_in_on_the_terminal_gets_its_language(client, db):
    admin = sign_in_admin(client)
    enrol(client, admin.property)
    client.post_form("/auth/switch", headers=EN)
    person = factories.person("employee", prop=admin.property)
    assert client.sign_in(person.staff_no, factories.PIN, headers=EN).status_code == 303
    assert 'lang="zh-Hans"' in client.get("/", headers=EN).get_data(as_text=True)


def test_bad_enrolment_changes_nothing(client, db):
    admin = sign_in_admin(client)
    response = client.post_form(
        "/terminals/",
        {"name": "", "location": "", "property_id": str(admin.property.id)},
        headers=EN,
    )
    assert response.status_code == 422
    assert "Give the terminal a name." in text_of(response)
    assert client.get_cookie(client.application.config["TERMINAL_COOKIE_NAME"]) is None

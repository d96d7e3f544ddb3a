"""Every registered endpoint, for every role: who gets in, who is refused, and how.

A new route must be added to EXPECTED (the first test fails otherwise), and a view that answers
without calling require() fails closed, so no route can forget its check.
"""

import pytest
from sqlalchemy import select

from portal.blueprints.audit.models import AuditEvent
from tests import factories

ROLES = ["employee", "supervisor", "hr", "manager", "admin"]
ALL = set(ROLES)

# endpoint -> (method, roles allowed on the target object in their own property).
# The target is an employee of the Housekeeping department, which the supervisor supervises.
EXPECTED = {
    "auth.login": ("GET", "public"),
    "auth.set_language": ("POST", "public"),
    "auth.logout": ("POST", ALL),
    "auth.switch_user": ("POST", ALL),
    "auth.keepalive": ("POST", ALL),
    "auth.session_status": ("GET", ALL),
    "auth.confirm_identity": ("GET", ALL),
    "home.index": ("GET", ALL),
    "people.index": ("GET", {"hr", "manager", "admin"}),
    "people.create": ("GET", {"hr", "admin"}),
    "people.detail": ("GET", {"supervisor", "hr", "manager", "admin"}),
    "people.edit": ("GET", {"hr", "admin"}),
    "people.deactivate": ("POST", {"hr", "admin"}),
    "people.reactivate": ("POST", {"hr", "admin"}),
    "people.reset_secret": ("GET", {"hr", "admin"}),
    "people.staff_record_pdf": ("GET", {"hr", "manager", "admin"}),
    "terminals.index": ("GET", {"admin"}),
    "terminals.revoke": ("POST", {"admin"}),
    "audit.index": ("GET", {"hr", "admin"}),
    "audit.export_csv": ("GET", {"hr", "admin"}),
}

OBJECT_ENDPOINTS = {
    "people.detail",
    "people.edit",
    "people.deactivate",
    "people.reactivate",
    "people.reset_secret",
    "people.staff_record_pdf",
    "terminals.revoke",
}


def test_every_endpoint_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - {"static"}
    assert endpoints == set(EXPECTED), "add new endpoints to EXPECTED with who may use them"


def _url(app, endpoint, target, terminal):
    from flask import url_for

    args = {}
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    if "person_id" in rule.arguments:
        args["person_id"] = target.id
    if "terminal_id" in rule.arguments:
        args["terminal_id"] = terminal.id
    with app.test_request_context():
        return url_for(endpoint, **args)


def _request(client, method, url):
    if method == "POST":
        return client.post_form(url)
    return client.get(url)


@pytest.mark.parametrize("endpoint", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_access_by_role(app, client, db, login_as, endpoint, role):
    method, allowed = EXPECTED[endpoint]
    target = factories.person("employee", dept="HK")
    terminal, _key = factories.terminal()
    login_as(role, dept="HK")
    response = _request(client, method, _url(app, endpoint, target, terminal))
    if allowed == "public" or role in allowed:
        assert response.status_code not in (403, 404, 500), response.get_data(as_text=True)[:300]
    else:
        assert response.status_code == refusal_code(endpoint, role), (role, endpoint)


def refusal_code(endpoint: str, role: str) -> int:
    """404 where the person must not learn the object exists; 403 where they can see it."""
    if endpoint not in OBJECT_ENDPOINTS:
        return 403
    if endpoint.startswith("people.") and endpoint != "people.detail":
        may_see_person = role in EXPECTED["people.detail"][1]
        return 403 if may_see_person else 404
    return 404


@pytest.mark.parametrize("endpoint", sorted(EXPECTED))
def test_anonymous_visitors_are_sent_to_sign_in(app, client, db, endpoint):
    method, allowed = EXPECTED[endpoint]
    target = factories.person("employee")
    terminal, _key = factories.terminal()
    response = _request(client, method, _url(app, endpoint, target, terminal))
    if allowed == "public":
        assert response.status_code in (200, 303, 400)
    else:
        assert response.status_code == 303
        assert response.headers["Location"].startswith("/auth/login")


@pytest.mark.parametrize("endpoint", sorted(e for e in OBJECT_ENDPOINTS if e.startswith("people.")))
def test_other_property_records_are_not_found(app, client, db, login_as, endpoint):
    method, _allowed = EXPECTED[endpoint]
    spa = factories.property_("SPX")
    stranger = factories.person("employee", prop=spa)
    terminal, _key = factories.terminal()
    login_as("hr")
    response = _request(client, method, _url(app, endpoint, stranger, terminal))
    assert response.status_code == 404
    refusal = db.session.scalar(
        select(AuditEvent)
        .where(AuditEvent.action == "access.refused")
        .order_by(AuditEvent.id.desc())
    )
    assert refusal is not None and refusal.object_id == stranger.id


def test_group_admin_reaches_every_property(app, client, db, login_as):
    spa = factories.property_("SPX")
    stranger = factories.person("employee", prop=spa)
    login_as("admin")
    response = client.get(f"/people/{stranger.id}")
    assert response.status_code == 200
    assert stranger.name_en in response.get_data(as_text=True)


def test_hr_cannot_edit_a_group_admin(app, client, db, login_as):
    admin = factories.person("admin")
    login_as("hr")
    assert client.get(f"/people/{admin.id}").status_code == 200
    assert client.get(f"/people/{admin.id}/edit").status_code == 403


def test_a_view_without_an_access_check_fails_closed(app, client, db, login_as):
    login_as("admin")
    view = app.view_functions["home.index"]
    app.view_functions["home.index"] = lambda: "no check here"
    try:
        with pytest.raises(AssertionError, match="without an access check"):
            client.get("/")
    finally:
        app.view_functions["home.index"] = view

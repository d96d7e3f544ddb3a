"""Every registered endpoint, for every role: who gets in, who is refused, and how.

A new route must be added to EXPECTED (the first test fails otherwise), and a view that answers
without calling require() fails closed, so no route can forget its check.
"""

import pytest
from sqlalchemy import select

from portal.audit import AuditEvent
from tests import factories

ROLES = ["employee", "supervisor", "hr", "manager", "admin"]
ALL = set(ROLES)
WRITERS = {"hr", "manager", "admin"}

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
    "sops.index": ("GET", ALL),
    "sops.create": ("GET", WRITERS),
    "sops.detail": ("GET", ALL),
    "sops.version": ("GET", ALL),  # the version in force
    "sops.edit": ("GET", WRITERS),  # a draft
    "sops.submit": ("POST", WRITERS),  # a draft
    "sops.approve": ("POST", {"manager", "admin"}),  # in review, written by someone else
    "sops.return_draft": ("POST", {"manager", "admin"}),
    "sops.new_version": ("POST", WRITERS),
    "sops.retire": ("POST", WRITERS),
    "sops.acknowledge": ("POST", ALL),
    "sops.coverage": ("GET", {"supervisor", "hr", "manager", "admin"}),
    "sops.remind": ("POST", {"supervisor", "hr", "manager", "admin"}),
    "sops.print_pdf": ("GET", ALL),  # the version in force
    "sops.binder_pdf": ("GET", ALL),
    "sops.compare": ("GET", WRITERS),
    "sops.person_status": ("GET", {"supervisor", "hr", "manager", "admin"}),
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
    "sops.edit",
    "sops.submit",
    "sops.approve",
    "sops.return_draft",
    "sops.new_version",
    "sops.retire",
    "sops.coverage",
    "sops.remind",
    "sops.compare",
    "sops.person_status",
}
# Refusals where the person may see the object but not act on it: "not allowed", not "not found".
VISIBLE_REFUSALS = {
    "sops.new_version": ALL,
    "sops.retire": ALL,
    "sops.coverage": ALL,
    "sops.remind": ALL,
    "sops.compare": ALL,
    "sops.approve": WRITERS,
    "sops.return_draft": WRITERS,
}


def test_every_endpoint_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - {"static"}
    assert endpoints == set(EXPECTED), "add new endpoints to EXPECTED with who may use them"


class Objects:
    """One of each kind of object the routes take, in the signed-in person's property."""

    def __init__(self, prop=None):
        from portal.blueprints.sops import services

        self.person = factories.person("employee", dept="HK", prop=prop)
        self.terminal, _key = factories.terminal(prop=prop)
        self.in_force = factories.sop(number="HK-900", dept="HK", prop=prop)
        self.draft = factories.sop(number="HK-901", dept="HK", prop=prop, effective=False)
        self.in_review = factories.sop(number="HK-902", dept="HK", prop=prop, effective=False)
        services.submit_for_review(self.in_review, by=self.in_review.author)

    def version_for(self, endpoint: str):
        if endpoint in {"sops.edit", "sops.submit"}:
            return self.draft
        if endpoint in {"sops.approve", "sops.return_draft"}:
            return self.in_review
        return self.in_force


def _url(app, endpoint, objects: Objects):
    from flask import url_for

    args = {}
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    if "person_id" in rule.arguments:
        args["person_id"] = objects.person.id
    if "user_id" in rule.arguments:
        args["user_id"] = objects.person.id
    if "terminal_id" in rule.arguments:
        args["terminal_id"] = objects.terminal.id
    if "sop_id" in rule.arguments:
        args["sop_id"] = objects.in_force.sop_id
    if "version_id" in rule.arguments:
        args["version_id"] = objects.version_for(endpoint).id
    if endpoint == "sops.binder_pdf":
        args["department"] = objects.in_force.sop.department_id
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
    objects = Objects()
    login_as(role, dept="HK")
    response = _request(client, method, _url(app, endpoint, objects))
    if allowed == "public" or role in allowed:
        assert response.status_code not in (403, 404, 500), response.get_data(as_text=True)[:300]
    else:
        assert response.status_code == refusal_code(endpoint, role), (role, endpoint)


def refusal_code(endpoint: str, role: str) -> int:
    """404 where the person must not learn the object exists; 403 where they can see it."""
    if endpoint not in OBJECT_ENDPOINTS:
        return 403
    if role in VISIBLE_REFUSALS.get(endpoint, ()):
        return 403
    if endpoint == "sops.person_status":
        return 404  # the same rule as seeing the person's record
    if endpoint.startswith("people.") and endpoint != "people.detail":
        may_see_person = role in EXPECTED["people.detail"][1]
        return 403 if may_see_person else 404
    return 404


@pytest.mark.parametrize("endpoint", sorted(EXPECTED))
def test_anonymous_visitors_are_sent_to_sign_in(app, client, db, endpoint):
    method, allowed = EXPECTED[endpoint]
    response = _request(client, method, _url(app, endpoint, Objects()))
    if allowed == "public":
        assert response.status_code in (200, 303, 400)
    else:
        assert response.status_code == 303
        assert response.headers["Location"].startswith("/auth/login")


@pytest.mark.parametrize("endpoint", sorted(e for e in OBJECT_ENDPOINTS if e.startswith("people.")))
def test_other_property_records_are_not_found(app, client, db, login_as, endpoint):
    method, _allowed = EXPECTED[endpoint]
    objects = Objects(prop=factories.property_("SPX"))
    stranger = objects.person
    login_as("hr")
    response = _request(client, method, _url(app, endpoint, objects))
    assert response.status_code == 404
    refusal = db.session.scalar(
        select(AuditEvent)
        .where(AuditEvent.action == "access.refused")
        .order_by(AuditEvent.id.desc())
    )
    assert refusal is not None
    if endpoint.startswith("people."):
        assert refusal.object_id == stranger.id


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

"""The load benchmark (bench/load.py) drives every page and htmx fragment of the app: each GET
endpoint is in its route list (bench/routes.py) or excluded there with a reason, and each route
of the list answers, for its role, the page or fragment it is meant to measure."""

from __future__ import annotations

import pytest
from werkzeug.security import generate_password_hash

from bench import routes as bench_routes
from bench.load import BenchFailure, check_answer


def _get_endpoints(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}


def test_every_get_endpoint_is_benchmarked_or_excluded(app):
    gets = _get_endpoints(app)
    covered = bench_routes.covered_endpoints()
    excluded = set(bench_routes.EXCLUDED)
    missing = sorted(gets - covered - excluded)
    assert not missing, (
        f"GET endpoints missing from the load benchmark: {missing}. Add a Route to "
        "bench/routes.py (the role that uses it, a fragment route when the page answers htmx "
        "with a block), or an entry in EXCLUDED with the reason."
    )
    assert not sorted((covered | excluded) - gets), "bench/routes.py names endpoints that are gone"
    assert not covered & excluded, "an endpoint is both measured and excluded"
    assert all(reason.strip() for reason in bench_routes.EXCLUDED.values())


def test_every_role_of_the_benchmark_has_a_demo_account():
    for role in bench_routes.ROLES:
        identifier, secret = bench_routes.credentials(role)
        assert identifier and secret
    assert {route.role for route in bench_routes.ROUTES} <= set(bench_routes.ROLES)
    assert len({route.key + str(route.htmx) for route in bench_routes.ROUTES}) == len(
        bench_routes.ROUTES
    ), "two routes of the benchmark have the same label and role"


class _Response:
    """A test client response seen as the benchmark's Answer."""

    def __init__(self, response):
        self.status = response.status_code
        self.headers = {k.lower(): v for k, v in response.headers.items()}
        self.body = response.data

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@pytest.fixture
def demo(app, db, monkeypatch):
    """The demo data (cheap hashes: the secrets stay the demo's), a draft, the route ids."""
    from portal import modules
    from portal.blueprints.people import models

    cheap = {}

    def hash_secret(secret: str) -> str:
        if secret not in cheap:
            cheap[secret] = generate_password_hash(secret, method="pbkdf2:sha256:1000")
        return cheap[secret]

    monkeypatch.setattr(models, "hash_secret", hash_secret)
    with app.app_context():
        for _name, seed in modules.seeders():
            seed()
            db.session.commit()
        bench_routes.prepare()
        ids = bench_routes.resolve()
    return ids


def test_each_route_answers_its_page_or_fragment_for_its_role(app, demo):
    clients = {}
    for role in bench_routes.ROLES:
        client = app.test_client()
        identifier, secret = bench_routes.credentials(role)
        assert client.sign_in(identifier, secret).status_code == 303, role
        clients[role] = client
    with app.test_request_context():
        paths = {route: route.path(demo) for route in bench_routes.ROUTES}
    fragments = bench_routes.fragment_endpoints()
    unmeasured = []
    for route, path in paths.items():
        client = clients[route.role]
        answer = client.get(path, headers={"HX-Request": "true"} if route.htmx else {})
        check_answer(_Response(answer), f"{route.key} {path}", route.kind)
        if route.kind == bench_routes.PAGE and route.endpoint not in fragments:
            # A page that answers htmx with a block has a fragment the benchmark must drive.
            asked = client.get(path, headers={"HX-Request": "true"})
            whole = "<html" in asked.get_data(as_text=True)[:2000].lower()
            if not whole and route.endpoint not in bench_routes.FRAGMENT_EXCLUDED:
                unmeasured.append(route.endpoint)
    assert not unmeasured, (
        f"these pages answer htmx with a fragment that the load benchmark does not drive: "
        f"{sorted(set(unmeasured))} (add a FRAGMENT route to bench/routes.py)"
    )


def test_a_sign_in_page_or_an_error_is_never_measured():
    def answer(status=200, body="<html><body>page</body></html>", **headers):
        class A:
            pass

        a = A()
        a.status, a.body = status, body.encode()
        a.headers = {k.lower().replace("_", "-"): v for k, v in headers.items()}
        a.text = lambda: body
        return a

    check_answer(answer(), "a page", bench_routes.PAGE)
    check_answer(answer(body="<div id='x'>rows</div>"), "a fragment", bench_routes.FRAGMENT)
    refused = [
        answer(status=403),
        answer(status=303, location="/auth/login"),
        answer(hx_redirect="/auth/login?next=/"),
        answer(body='<html><form id="login-form"></form></html>'),
        answer(body="<div>a fragment where a page was asked</div>"),
    ]
    for bad in refused:
        with pytest.raises(BenchFailure):
            check_answer(bad, "a route", bench_routes.PAGE)
    with pytest.raises(BenchFailure):
        check_answer(answer(), "a whole page to htmx", bench_routes.FRAGMENT)

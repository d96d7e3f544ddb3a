"""Health probes, request ids, the JSON request log and the trusted proxy: what a load balancer,
a log collector and nginx in front rely on."""

import json
import logging

from sqlalchemy import text

from portal import create_app, health
from tests.conftest import TEST_SECRET


def test_healthz_answers_without_a_session_a_query_or_anything_to_learn(client, db, count_queries):
    with count_queries() as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert queries.count == 0
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
    assert len(response.headers["X-Request-ID"]) == 32


def test_readyz_checks_the_database_and_its_migrations(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "checks": {"database": "ok"}}
    (head,) = health._head_revisions(client.application.root_path)
    db.session.execute(text("UPDATE alembic_version SET version_num = 'b0a1'"))
    behind = client.get("/readyz")
    assert behind.status_code == 503
    assert behind.get_json() == {"status": "not ready", "checks": {"database": "behind"}}
    assert head not in behind.get_data(as_text=True) and "b0a1" not in behind.get_data(
        as_text=True
    )  # no revision ids for outsiders


def test_readyz_says_failing_when_redis_does_not_answer_and_shows_no_address(client, db, app):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get("/readyz")
    finally:
        app.config["REDIS_URL"] = None
    assert response.status_code == 503
    assert response.get_json()["checks"] == {"database": "ok", "redis": "failing"}
    assert "127.0.0.1" not in response.get_data(as_text=True)


def test_probes_are_not_rate_limited_and_need_no_sign_in(client, db, app):
    from portal.extensions import limiter

    limiter.enabled = True
    try:
        answers = {client.get("/healthz").status_code for _ in range(60)}
    finally:
        limiter.enabled = False
    assert answers == {200}


def test_every_answer_has_a_request_id_the_proxys_when_well_formed(client, db):
    given = client.get("/auth/login", headers={"X-Request-ID": "nginx-4f0c1a2b3c4d"})
    assert given.headers["X-Request-ID"] == "nginx-4f0c1a2b3c4d"
    for bad in ("short", "x" * 65, "<script>alert(1)</script>", "id with spaces 1234"):
        ours = client.get("/auth/login", headers={"X-Request-ID": bad})
        assert ours.headers["X-Request-ID"] != bad and len(ours.headers["X-Request-ID"]) == 32
    one, two = client.get("/healthz"), client.get("/healthz")
    assert one.headers["X-Request-ID"] != two.headers["X-Request-ID"]


def test_the_request_log_is_json_with_ids_queries_and_no_query_string(client, db, login_as, caplog):
    person = login_as("hr")
    with caplog.at_level(logging.INFO, logger="portal.request"):
        response = client.get("/people/?q=Wang+Wei", headers={"X-Request-ID": "trace-12345678"})
    assert response.status_code == 200
    (record,) = [r for r in caplog.records if r.name == "portal.request"]
    line = json.loads(health_format(record))
    assert line["request_id"] == "trace-12345678"
    assert line["method"] == "GET" and line["path"] == "/people/" and line["status"] == 200
    assert line["endpoint"] == "people.index"
    assert line["user"] == person.id and line["property"] == person.property_id
    assert line["queries"] >= 2 and line["ms"] > 0
    assert "Wang" not in health_format(record) and "slow" not in line


def test_a_slow_request_is_a_warning_with_its_query_count(client, db, app, caplog):
    from portal import requestlog

    fresh = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": TEST_SECRET,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SLOW_REQUEST_MS": -1,  # every request is slow
        }
    )
    with caplog.at_level(logging.INFO, logger="portal.request"):
        fresh.test_client().get("/readyz")
    (record,) = [r for r in caplog.records if r.name == "portal.request"]
    assert record.levelno == logging.WARNING
    line = json.loads(requestlog.JsonLines().format(record))
    assert line["slow"] is True and line["queries"] >= 1 and line["endpoint"] == "health.readyz"
    assert line["user"] is None


def health_format(record) -> str:
    from portal.requestlog import JsonLines

    return JsonLines().format(record)


def test_behind_one_proxy_the_clients_address_is_the_forwarded_one(app, db):
    """With PORTAL_PROXY_COUNT=1 the audit trail and the rate limits see the guest's address
    and scheme, not nginx's; without it a forged X-Forwarded-For changes nothing."""
    from flask import request

    from portal.security import public

    def seen_through(proxies: int) -> str:
        fresh = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": TEST_SECRET,
                "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                "PROXY_COUNT": proxies,
            }
        )

        @fresh.get("/_seen")
        @public
        def seen():
            return f"{request.remote_addr} {request.scheme}"

        browser = fresh.test_client()
        browser.environ_base["REMOTE_ADDR"] = "127.0.0.1"  # nginx
        forwarded = {"X-Forwarded-For": "198.51.100.9, 203.0.113.7", "X-Forwarded-Proto": "https"}
        return browser.get("/_seen", headers=forwarded).get_data(as_text=True)

    assert seen_through(1) == "203.0.113.7 https"  # the hop nginx added, not one the client wrote
    assert seen_through(0) == "127.0.0.1 http"


def _sample(text: str, name: str, **labels) -> float:
    """The value of one series in Prometheus' text format (0 when it is not there)."""
    want = ",".join(f'{k}="{v}"' for k, v in labels.items())
    for line in text.splitlines():
        if line.startswith(f"{name}{{{want}}} ") or (not labels and line.startswith(f"{name} ")):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_count_requests_and_failed_sign_ins_for_the_internal_network_only(client, db):
    before = client.get("/metrics").get_data(as_text=True)
    client.get("/healthz")
    client.get("/healthz")
    client.sign_in("nobody-at-all", "wrong-secret-1")
    after = client.get("/metrics")
    assert after.status_code == 200 and after.mimetype == "text/plain"
    text = after.get_data(as_text=True)
    series = {"endpoint": "health.healthz", "method": "GET", "status": "200"}
    assert _sample(text, "staffroom_requests_total", **series) == (
        _sample(before, "staffroom_requests_total", **series) + 2
    )
    assert _sample(text, "staffroom_sign_in_failures_total", kind="unknown") == (
        _sample(before, "staffroom_sign_in_failures_total", kind="unknown") + 1
    )
    assert "staffroom_request_seconds_bucket" in text
    assert "nobody-at-all" not in text  # labels are endpoints and kinds, never what was typed
    # From outside: the same 404 as any page that does not exist, and nothing counted in it.
    outside = client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert outside.status_code == 404 and "staffroom_" not in outside.get_data(as_text=True)
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 200

"""Who may reach the platform's own endpoints (portal/health.py, portal/metrics.py): everyone,
signed in or not, as a load balancer and Prometheus do (see tests/access.py). The metrics'
refusal of addresses outside the internal network is in tests/test_health.py."""

from tests import access
from tests.access import PUBLIC, Row


def probe(expected: dict) -> access.Check:
    """The same JSON for everyone."""

    def check(ctx) -> None:
        assert ctx.status == 200, ctx.snippet()
        assert ctx.response.get_json() == expected

    return check


def scraped(ctx) -> None:
    """The test client asks from 127.0.0.1: the internal network."""
    assert ctx.status == 200, ctx.snippet()
    assert "staffroom_requests_total" in ctx.text


# Domains of the shared core, not modules (tests/test_access_matrix.py knows them).
PLATFORM = ("health", "metrics")

HEALTH = access.domain(
    "health",
    [
        Row("health.healthz", PUBLIC, probe({"status": "ok"})),
        Row("health.readyz", PUBLIC, probe({"status": "ready", "checks": {"database": "ok"}})),
    ],
)
METRICS = access.domain("metrics", [Row("metrics.metrics", PUBLIC, scraped)])

globals().update(access.tests_for(HEALTH + METRICS))

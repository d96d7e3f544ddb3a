"""Prometheus metrics at /metrics, for the monitoring network only.

What is counted: requests by endpoint, method and status; their time by endpoint (a histogram);
documents rendered by outcome, with their time; failed sign-ins by kind. Labels are endpoint
names, never paths or ids, so the number of series stays fixed whatever is asked.

Under gunicorn each worker counts in its own process; deploy/gunicorn.conf.py points
PROMETHEUS_MULTIPROC_DIR at a directory every worker writes and /metrics adds them up
(prometheus_client's multiprocess mode), so one scrape sees the whole server.

Who may read it: addresses in PORTAL_METRICS_NETWORKS (loopback and the private ranges by
default), as the client address is seen after the trusted proxies (PORTAL_PROXY_COUNT); anyone
else gets the same 404 as for a page that does not exist. nginx refuses it from outside too
(deploy/nginx.conf).
"""

from __future__ import annotations

import functools
import ipaddress
import os

from flask import Blueprint, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

from portal.extensions import limiter
from portal.security import public

bp = Blueprint("metrics", __name__)
ENDPOINT = "metrics.metrics"
DEFAULT_NETWORKS = "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7"

REQUESTS = Counter("staffroom_requests", "Requests answered", ["endpoint", "method", "status"])
LATENCY = Histogram(
    "staffroom_request_seconds",
    "Time to answer a request",
    ["endpoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
PDF_RENDERS = Counter("staffroom_pdf_renders", "Documents rendered", ["outcome"])
PDF_SECONDS = Histogram(
    "staffroom_pdf_render_seconds",
    "Time WeasyPrint took for a document",
    buckets=(0.25, 0.5, 1, 2, 5, 10, 20, 40, 60),
)
SIGN_IN_FAILURES = Counter("staffroom_sign_in_failures", "Sign-ins refused", ["kind"])


def observe_request(endpoint: str | None, method: str, status: int, seconds: float) -> None:
    name = endpoint or "unmatched"  # a 404 of no route: one series, not one per path
    REQUESTS.labels(name, method, str(status)).inc()
    LATENCY.labels(name).observe(seconds)


def pdf_rendered(outcome: str, seconds: float | None = None) -> None:
    PDF_RENDERS.labels(outcome).inc()
    if seconds is not None:
        PDF_SECONDS.observe(seconds)


def sign_in_failed(kind: str) -> None:
    SIGN_IN_FAILURES.labels(kind).inc()


@functools.cache
def _networks(spec: str) -> tuple:
    return tuple(ipaddress.ip_network(part.strip()) for part in spec.split(",") if part.strip())


def _allowed(address: str | None) -> bool:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    networks = _networks(current_app.config.get("METRICS_NETWORKS") or DEFAULT_NETWORKS)
    return any(ip in network for network in networks if network.version == ip.version)


@bp.get("/metrics")
@public
@limiter.exempt
def metrics():
    g.access_checked = True  # the address decides
    if not _allowed(request.remote_addr):
        abort(404)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY as registry
    return (
        generate_latest(registry),
        200,
        {
            "Content-Type": CONTENT_TYPE_LATEST,
            "Cache-Control": "no-store",
        },
    )

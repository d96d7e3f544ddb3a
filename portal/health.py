"""Health probes for the load balancer, the container runtime and monitoring; no sign-in.

- /healthz: the process answers (liveness). Touches nothing else, so a slow database never
  gets a healthy process restarted.
- /readyz: this server can take traffic (readiness): the database answers, its schema is at the
  migrations' head (a server started before `flask db upgrade` finished is not ready), and
  Redis answers when PORTAL_REDIS_URL is set. 503 with the failing checks otherwise.

Neither says anything an outsider could use: no versions, URLs, host names or error texts, only
each check's name and "ok" or "failing" (the reason goes to the log). Both are exempt from rate
limits and load no session: a probe every few seconds costs one cheap query at most.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from flask import Blueprint, current_app, g, jsonify
from sqlalchemy import text

from portal.extensions import db, limiter
from portal.security import public

bp = Blueprint("health", __name__)
log = logging.getLogger("portal.health")
ENDPOINTS = frozenset({"health.healthz", "health.readyz"})


def _answer(body: dict, status: int):
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    g.access_checked = True  # public, nothing to check
    return response


@bp.get("/healthz")
@public
@limiter.exempt
def healthz():
    return _answer({"status": "ok"}, 200)


@functools.cache
def _head_revisions(root: str) -> frozenset[str]:
    """The migrations' head revision(s), read once per process from migrations/."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(Path(root).parent / "migrations"))
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def _check_database() -> str:
    current = set(db.session.scalars(text("SELECT version_num FROM alembic_version")))
    db.session.rollback()
    heads = _head_revisions(current_app.root_path)
    if current != heads:
        log.warning("readyz: database at %s, migrations at %s", sorted(current), sorted(heads))
        return "behind"
    return "ok"


def _check_redis(url: str) -> str:
    import redis  # the production extra; only asked for when PORTAL_REDIS_URL is set

    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    finally:
        client.close()
    return "ok"


@bp.get("/readyz")
@public
@limiter.exempt
def readyz():
    checks = {"database": _check_database}
    redis_url = current_app.config.get("REDIS_URL")
    if redis_url:
        checks["redis"] = lambda: _check_redis(redis_url)
    results = {}
    for name, check in checks.items():
        try:
            results[name] = check()
        except Exception:  # any failure is "not ready"; the reason is logged, not shown
            log.exception("readyz: %s check failed", name)
            db.session.rollback()
            results[name] = "failing"
    ready = all(value == "ok" for value in results.values())
    return _answer(
        {"status": "ready" if ready else "not ready", "checks": results}, 200 if ready else 503
    )

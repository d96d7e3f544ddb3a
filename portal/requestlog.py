"""Request ids and the request log: one JSON line per request, slow ones with their query count
(and each request's endpoint, status and time into the metrics).

Every answer carries `X-Request-ID`: the proxy's id when it sends a well-formed one (nginx:
`proxy_set_header X-Request-ID $request_id;`), else one of our own, so a user's "it went wrong
at 10:42" is found in nginx's log, ours and the audit trail by one id.

With PORTAL_REQUEST_LOG=1 (deploy/gunicorn.conf.py sets it) each request writes to the logger
`portal.request` a line such as

    {"ts": "2026-12-04T10:42:07.123Z", "request_id": "4f0c...", "method": "POST",
     "path": "/drills/12/roll/40", "endpoint": "drills.account", "status": 200, "ms": 8.4,
     "queries": 9, "user": 17, "property": 1}

Requests slower than PORTAL_SLOW_REQUEST_MS (500) are logged at WARNING with "slow": true.
The path never has its query string (a search for a person's name is not logged), and the user
is an id, never a name. Queries are counted for every request (a counter on the engine), so a
slow request says whether it was the database or the Python.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_app_context, request
from sqlalchemy import event

from portal import metrics
from portal.extensions import db

log = logging.getLogger("portal.request")
HEADER = "X-Request-ID"
_WELL_FORMED = re.compile(r"[A-Za-z0-9._-]{8,64}", re.ASCII)


def request_id() -> str | None:
    return g.get("request_id")


class JsonLines(logging.Formatter):
    """A record's message is already the JSON object; other records become one too."""

    def format(self, record: logging.LogRecord) -> str:
        if isinstance(record.msg, dict):
            return json.dumps(record.msg, ensure_ascii=False, separators=(",", ":"))
        return json.dumps(
            {"ts": _now(), "level": record.levelname, "logger": record.name,
             "message": record.getMessage()},
            ensure_ascii=False,
        )  # fmt: skip


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def init_app(app: Flask) -> None:
    slow_ms = app.config.get("SLOW_REQUEST_MS", 500)
    enabled = app.config.get("REQUEST_LOG", False)
    if enabled and not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonLines())
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _count(conn, cursor, statement, parameters, context, executemany):
        if has_app_context():  # not a pool's own statements outside any request
            g.query_count = g.get("query_count", 0) + 1

    @app.before_request
    def _start():
        g.request_started = time.perf_counter()
        g.query_count = 0
        incoming = request.headers.get(HEADER, "")
        g.request_id = incoming if _WELL_FORMED.fullmatch(incoming) else uuid.uuid4().hex

    @app.after_request
    def _finish(response):
        rid = g.get("request_id")
        if rid:
            response.headers[HEADER] = rid
        if request.endpoint == "static":
            return response
        ms = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
        metrics.observe_request(request.endpoint, request.method, response.status_code, ms / 1000)
        if not (enabled or log.isEnabledFor(logging.INFO)):
            return response
        user = g.get("_login_user")  # as loaded by the request (a probe loads none)
        user = user if user is not None and user.is_authenticated else None
        line = {
            "ts": _now(),
            "request_id": rid,
            "method": request.method,
            "path": request.path,
            "endpoint": request.endpoint,
            "status": response.status_code,
            "ms": round(ms, 1),
            "queries": g.get("query_count", 0),
            "user": user.id if user else None,
            "property": user.property_id if user else None,
        }
        if ms > slow_ms:
            line["slow"] = True
            log.warning(line)
        else:
            log.info(line)
        return response

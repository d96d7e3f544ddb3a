"""Fixtures: one app and one migrated database per test session; each test runs inside a
transaction that is rolled back at its end (the request's commit releases a savepoint only).

PORTAL_TEST_DATABASE_URL selects the database (PostgreSQL in CI's second run); the default is a
SQLite file in a temporary folder. Tests that need real commits seen by other connections (the
browser and concurrency tests) use the `committed_db` fixture, which empties the tables after.
"""

from __future__ import annotations

import contextvars
import os
import re
import secrets
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from flask_sqlalchemy.session import _app_ctx_id
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import event, text
from sqlalchemy.orm import scoped_session, sessionmaker

from portal import create_app
from portal.extensions import db as _db
from portal.extensions import limiter

ROOT = Path(__file__).resolve().parent.parent
TEST_SECRET = "test-secret-key-not-for-production"


def _on_postgresql() -> bool:
    return (os.environ.get("PORTAL_TEST_DATABASE_URL") or "").startswith("postgresql")


def pytest_collection_modifyitems(config, items):
    """Tests of PostgreSQL-only behaviour (marked pg) belong to the PostgreSQL run: on SQLite
    they are deselected, not skipped (CI's second pass, make test-pg, runs them)."""
    if _on_postgresql():
        return
    kept = [item for item in items if item.get_closest_marker("pg") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


def _database_url(tmp: Path) -> str:
    return os.environ.get("PORTAL_TEST_DATABASE_URL") or f"sqlite:///{tmp / 'test.db'}"


def _reset_schema(app) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        engine = _db.engine
        if engine.dialect.name == "postgresql":
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade(directory=str(ROOT / "migrations"))
        _db.session.remove()


@pytest.fixture(scope="session")
def instance_dir():
    with tempfile.TemporaryDirectory(prefix="staffroom-test-") as tmp:
        yield Path(tmp)


@pytest.fixture(scope="session")
def app(instance_dir):
    os.environ["PORTAL_INSTANCE_PATH"] = str(instance_dir)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": TEST_SECRET,
            "SQLALCHEMY_DATABASE_URI": _database_url(instance_dir),
            "SERVER_NAME": None,
        }
    )
    app.test_client_class = PortalClient
    limiter.enabled = False  # switched on by the tests that are about it (rate_limits)
    _reset_schema(app)
    yield app
    with app.app_context():
        _db.engine.dispose()  # close pooled connections before the interpreter collects them


@pytest.fixture(autouse=True)
def _fresh_pdf_cache():
    """Each test starts with an empty document cache and memos (ids repeat once a test rolls
    back)."""
    from portal import memo, pdf

    pdf._cache.clear()
    memo.clear_all()


@pytest.fixture
def db(app):
    """A clean database for one test: everything it writes is rolled back at the end."""
    with app.app_context():
        connection = _db.engine.connect()
        outer = connection.begin()
        original = _db.session
        # A plain SQLAlchemy session bound to the test's connection: Flask-SQLAlchemy's own
        # Session.get_bind() would pick the engine and bypass the outer transaction.
        _db.session = scoped_session(
            sessionmaker(bind=connection, join_transaction_mode="create_savepoint"),
            scopefunc=_app_ctx_id,
        )
        try:
            yield _db
        finally:
            _db.session.remove()
            _db.session = original
            outer.rollback()
            connection.close()


def empty_tables(app) -> None:
    from portal.audit import append_only_suspended

    with app.app_context():
        engine = _db.engine
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                conn.execute(text("SET LOCAL session_replication_role = replica"))
            with append_only_suspended(conn):  # the trail's triggers refuse DELETE otherwise
                for table in reversed(_db.metadata.sorted_tables):  # children before parents
                    conn.execute(table.delete())


@pytest.fixture
def committed_db(app):
    """Real commits (for a live server or concurrent workers); tables emptied afterwards."""
    empty_tables(app)
    try:
        yield _db
    finally:
        with app.app_context():
            _db.session.remove()
        empty_tables(app)


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture
def ctx(app, db):
    """A request context for calling services directly."""
    with app.test_request_context():
        yield


@pytest.fixture
def rate_limits(app):
    limiter.enabled = True
    limiter.reset()
    try:
        yield
    finally:
        limiter.reset()
        limiter.enabled = False


class PortalClient(FlaskClient):
    """A test client that can send the CSRF token like the portal's own pages do.

    Each request runs in a fresh context, as in a real server: without it the request would
    reuse the test's app context and share `g` (the signed-in user) and the session with it.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)

    def csrf_token(self) -> str:
        with self.session_transaction() as session:
            raw = session.setdefault("csrf_token", secrets.token_hex(20))
        return URLSafeTimedSerializer(TEST_SECRET, salt="wtf-csrf-token").dumps(raw)

    def post_form(self, url: str, data: dict | None = None, *, htmx: bool = False, **kw):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        headers = dict(kw.pop("headers", {}))
        if htmx:
            headers["HX-Request"] = "true"
        return self.post(url, data=data, headers=headers, **kw)

    def hx_get(self, url: str, **kw):
        headers = {"HX-Request": "true", **kw.pop("headers", {})}
        return self.get(url, headers=headers, **kw)

    def use_terminal(self, terminal, key: str) -> None:
        """Make this client a shared terminal (the signed cookie an admin's enrolment sets)."""
        from portal import sessions

        app = self.application
        with app.test_request_context():
            value = sessions.terminal_cookie_value(terminal, key)
        self.set_cookie(app.config["TERMINAL_COOKIE_NAME"], value)

    def sign_in(self, identifier: str, secret: str, **kw):
        return self.post_form("/auth/login", {"identifier": identifier, "secret": secret}, **kw)


@pytest.fixture
def login_as(client, db):
    """login_as("hr") -> the signed-in user (a new person of that role at the test hotel)."""
    from tests import factories

    def sign_in(role: str = "employee", **overrides):
        user = factories.person(role=role, **overrides)
        _db.session.commit()
        secret = factories.PIN if role == "employee" else factories.PASSWORD
        response = client.sign_in(user.staff_no, secret)
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        return user

    return sign_in


@pytest.fixture
def count_queries(app):
    """with count_queries() as queries: ...  -> queries.count (savepoints not counted)."""

    class Counter:
        count = 0
        statements: list[str] = []

    @contextmanager
    def counting():
        counter = Counter()
        counter.statements = []

        def before(conn, cursor, statement, params, context, executemany):
            if not re.match(r"\s*(SAVEPOINT|RELEASE|ROLLBACK TO|BEGIN|COMMIT)", statement, re.I):
                counter.count += 1
                counter.statements.append(statement)

        with app.app_context():
            engine = _db.engine
        event.listen(engine, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", before)

    return counting


def text_of(response) -> str:
    """The visible words of an HTML response (tags and scripts removed, spaces folded)."""
    return visible_text(response.get_data(as_text=True))


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    import html as _html

    return re.sub(r"\s+", " ", _html.unescape(html)).strip()


@pytest.fixture
def listener():
    """A web server on 127.0.0.1 (a free port) that counts the requests it receives:
    (base URL, paths asked). It answers a stylesheet that would add FETCHED-OVER-HTTP to the
    page for paths ending in .css, and a PNG header for anything else."""
    import http.server
    import threading

    asked: list[str] = []

    class Counting(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            if self.path.endswith(".css"):
                body, kind = b'p::after { content: "FETCHED-OVER-HTTP" }', "text/css"
            else:
                body, kind = b"\x89PNG\r\n\x1a\n", "image/png"
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Counting)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", asked
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextmanager
def gunicorn(env: dict, log_path: Path, *args: str):
    """A real gunicorn serving the portal (2 sync workers, `args` added) with `env`: yields its
    base URL once it answers, and stops it at the end."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = ["-m", "gunicorn", "-w", "2", "-k", "sync", "-b", f"127.0.0.1:{port}", *args]
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, *command, "app:app"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(f"{base}/auth/login", timeout=2).close()  # noqa: S310
                    break
                except OSError:
                    assert time.monotonic() < deadline, "the server did not start"
                    time.sleep(0.2)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=30)

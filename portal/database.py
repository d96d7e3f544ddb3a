"""The one place that knows which database we are on.

- SQLite: WAL, foreign keys, busy timeout; transactions that will write begin IMMEDIATE so that
  concurrent writers wait for each other instead of failing half-way.
- PostgreSQL: transaction-scoped advisory locks, retry of serialization failures.
- UTCDateTime: every timestamp is stored as naive UTC and read back as an aware UTC datetime.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import hashlib
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import DateTime, TextClause, event, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from portal.extensions import db

_write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar("write_intent", default=True)

T = TypeVar("T")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in Python, naive UTC in the database (the same on both engines)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def set_write_intent(value: bool) -> contextvars.Token:
    """Whether the next transaction will write (SQLite: BEGIN IMMEDIATE instead of BEGIN)."""
    return _write_intent.set(value)


@contextlib.contextmanager
def write_intent() -> Iterator[None]:
    token = _write_intent.set(True)
    try:
        yield
    finally:
        _write_intent.reset(token)


def is_sqlite(engine: Engine | None = None) -> bool:
    engine = engine or db.engine
    return engine.dialect.name == "sqlite"


def configure_engine(engine: Engine) -> None:
    """Install the per-connection settings (idempotent per engine): SQLite's pragmas and
    BEGIN, and on both engines the watch on whether a transaction wrote (end_request)."""
    if getattr(engine, "_portal_configured", False):
        return
    engine._portal_configured = True
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)

    @event.listens_for(engine, "before_cursor_execute")
    def _note_write(conn, _cursor, statement, _parameters, context, _executemany):
        if not conn.info.get(_WROTE) and _writes(statement, context):
            conn.info[_WROTE] = True


_WROTE = "portal_wrote"


@event.listens_for(Session, "after_begin")
def _on_session_begin(_session, _transaction, connection):
    connection.info[_WROTE] = False  # what the session's transaction writes is watched from here


_READ_PREFIXES = ("SELECT", "BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK")


def _writes(statement: str, context) -> bool:
    """Whether a statement may change data: SQLAlchemy's own flags for a statement it compiled,
    and for SQL text anything that does not begin as a read."""
    compiled = getattr(context, "compiled", None)
    if compiled is not None and not isinstance(compiled.statement, TextClause):
        return context.isinsert or context.isupdate or context.isdelete or context.isddl
    return not statement.lstrip()[:9].upper().startswith(_READ_PREFIXES)


def end_request(response):
    """after_request: a transaction that wrote nothing ends with COMMIT, not ROLLBACK.

    The same for the data, not for PostgreSQL's psycopg: a rollback makes it forget the
    statements it had prepared on that connection, so with every request ending in one, no
    statement was ever prepared and PostgreSQL planned every query of every page again
    (planning was 2.3 of the 3.1 ms of the SOPs-to-read card). A transaction that wrote, or
    holds changes not yet flushed, is left to the usual rollback: nothing a request did not
    commit itself is ever kept."""
    session = db.session()
    if not session.in_transaction() or session.new or session.dirty or session.deleted:
        return response
    if not session.connection().info.get(_WROTE, True):
        commit_keeping_loaded()  # the answer is rendered: nothing to load again
    return response


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not pysqlite, decide when a transaction begins (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _write_intent.get() else "BEGIN")


def commit_keeping_loaded() -> None:
    """Commit without expiring what the request has loaded (the signed-in person, their
    session record, the objects of the operation).

    A plain commit expires every object, and the answer rendered after it loads each of them
    again: an htmx action that answers one row paid four more round trips to the database for
    rows it had read a moment before and had not changed. Use it only where the answer reads
    again, with a query, whatever the operation changed (the row's new mark); what else it
    shows was loaded in this request, as it would have been had the answer come first."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def advisory_lock(name: str) -> None:
    """Serialise writers of one kind until the end of the transaction.

    PostgreSQL: pg_advisory_xact_lock. SQLite: writers are already serialised by BEGIN IMMEDIATE.
    """
    if is_sqlite():
        return
    key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
    db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def _is_retryable(exc: BaseException) -> bool:
    orig = getattr(exc, "orig", None)
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if sqlstate in {"40001", "40P01"}:  # serialization failure, deadlock detected
        return True
    return isinstance(exc, OperationalError) and "database is locked" in str(exc)


def run_with_retry(fn: Callable[[], T], attempts: int = 3) -> T:
    """Run fn() and commit; retry a bounded number of times on serialization errors.

    For a transaction that can meet a deadlock (40P01) on PostgreSQL: one that takes a row lock
    after the audit chain's advisory lock, while another takes them the other way round, as a
    failed sign-in on two accounts at once does (auth.views.login). fn() must be safe to run
    again from the start: everything it did is rolled back before the next try."""
    for attempt in range(1, attempts + 1):
        try:
            result = fn()
            db.session.commit()
            return result
        except DBAPIError as exc:
            db.session.rollback()
            if attempt == attempts or not _is_retryable(exc):
                raise
            time.sleep(0.05 * attempt)
    raise AssertionError("unreachable")


LIKE_ESCAPE = "\\"


def like_pattern(text_: str) -> str:
    """The LIKE pattern of "contains `text_` as typed": % and _ are matched literally."""
    escaped = text_.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def contains(column, text_):
    """SQL: `column` contains `text_` as typed, case-insensitive on both engines.

    % and _ are matched literally (escaped), so a search for "50%" finds "50%" only. A statement
    built once passes a bound parameter instead, whose value is like_pattern(text)."""
    pattern = like_pattern(text_) if isinstance(text_, str) else text_
    return column.ilike(pattern, escape=LIKE_ESCAPE)


def built_once(builder):
    """A statement builder whose result depends on its arguments only (the shape of the query:
    which filters apply), every value being a bound parameter given at execution.

    Building a composed SELECT and computing its cache key costs more than running it; built
    once, later requests only bind their values (SQLAlchemy's compiled cache does the rest)."""
    return functools.lru_cache(maxsize=256)(builder)


def advance(obj, before, **values) -> bool:
    """Move a row with a `status` column on from status `before`, setting `values`, by one
    conditional UPDATE (`WHERE status = before`): a double tap or two people at once move it
    once, and the loser learns it (False). The row is read again either way."""
    from portal.extensions import db

    model = type(obj)
    moved = db.session.execute(
        update(model)
        .where(model.id == obj.id, model.status == before)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(obj)
    return bool(moved)

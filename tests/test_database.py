"""The database helpers the modules rely on: bounded retries, UTC columns, advisory locks."""

import hashlib
from datetime import datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from portal import database


class _DriverError(Exception):
    def __init__(self, sqlstate):
        super().__init__(f"sqlstate {sqlstate}")
        self.sqlstate = sqlstate


def _failing(sqlstate, times):
    calls = []

    def work():
        calls.append(1)
        if len(calls) <= times:
            raise DBAPIError("UPDATE stock", {}, _DriverError(sqlstate))
        return "done"

    return work, calls


def test_serialization_failures_are_retried(ctx, db, monkeypatch):
    monkeypatch.setattr(database.time, "sleep", lambda s: None)
    work, calls = _failing("40001", times=2)
    assert database.run_with_retry(work, attempts=3) == "done"
    assert len(calls) == 3


def test_retries_are_bounded(ctx, db, monkeypatch):
    monkeypatch.setattr(database.time, "sleep", lambda s: None)
    work, calls = _failing("40P01", times=5)  # deadlock detected, again and again
    with pytest.raises(DBAPIError):
        database.run_with_retry(work, attempts=3)
    assert len(calls) == 3


def test_other_errors_are_not_retried(ctx, db):
    work, calls = _failing("23505", times=1)  # unique violation: retrying cannot help
    with pytest.raises(DBAPIError):
        database.run_with_retry(work)
    assert len(calls) == 1


def test_utc_columns_refuse_naive_datetimes():
    column = database.UTCDateTime()
    with pytest.raises(ValueError, match="naive"):
        column.process_bind_param(datetime(2026, 11, 23, 8, 0), None)


def _lock_key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def test_advisory_lock_serialises_writers(ctx, db, count_queries):
    """PostgreSQL: a second connection cannot take the same lock (another name it can).
    SQLite: nothing is sent; writers are serialised by BEGIN IMMEDIATE instead."""
    if db.engine.dialect.name == "sqlite":
        with count_queries() as queries:
            database.advisory_lock("stock:42")
        assert queries.statements == []
        return
    database.advisory_lock("stock:42")
    with db.engine.connect() as other:  # a second writer, on its own connection
        try_lock = text("SELECT pg_try_advisory_xact_lock(:key)")
        assert other.scalar(try_lock, {"key": _lock_key("stock:42")}) is False
        assert other.scalar(try_lock, {"key": _lock_key("stock:43")}) is True
        other.rollback()

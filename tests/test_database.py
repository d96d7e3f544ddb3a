"""The database helpers the modules rely on: bounded retries, UTC columns, advisory locks."""

from datetime import datetime

import pytest
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


def test_advisory_lock_serialises_on_postgresql_and_is_free_on_sqlite(ctx, db):
    database.advisory_lock("stock:42")  # must not fail on either database
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy import text

        held = db.session.scalar(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"))
        assert held >= 1

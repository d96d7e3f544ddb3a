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


# --- a request that only read ends with COMMIT ----------------------------------------------
@pytest.fixture
def commits():
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    seen = []

    def note(session):
        seen.append(session)

    event.listen(Session, "after_commit", note)
    try:
        yield seen
    finally:
        event.remove(Session, "after_commit", note)


def test_a_page_that_only_read_ends_with_a_commit(client, login_as, commits, db):
    """PostgreSQL's driver forgets its prepared statements at every rollback: a page that read
    ends with a commit, so the sixth time a statement runs it is prepared and no longer
    planned again (seen on the connection that every request of a test shares)."""
    login_as("employee")
    commits.clear()
    for _ in range(6):
        assert "My details" in client.get("/").get_data(as_text=True)
    assert len(commits) == 6
    if db.engine.dialect.name == "postgresql":
        prepared = db.session.scalar(text("SELECT count(*) FROM pg_prepared_statements"))
        assert prepared > 0


def test_a_request_that_read_commits_and_one_that_wrote_does_not(ctx, db):
    from sqlalchemy import update

    from portal.blueprints.people.models import Property
    from tests import factories

    prop = factories.property_()
    db.session.commit()
    name = prop.name_en
    response = object()

    db.session.execute(text("SELECT 1"))
    assert database.end_request(response) is response
    assert not db.session().in_transaction()  # committed

    db.session.execute(update(Property).where(Property.id == prop.id).values(name_en="Changed"))
    database.end_request(response)
    assert db.session().in_transaction()  # left to the request's end: rolled back
    db.session.rollback()
    assert db.session.get(Property, prop.id).name_en == name

    db.session.get(Property, prop.id).name_en = "Pending"  # a change never flushed
    database.end_request(response)
    assert db.session().in_transaction()
    db.session.rollback()
    assert db.session.get(Property, prop.id).name_en == name

    db.session.execute(
        text("UPDATE properties SET name_en = 'Text' WHERE id = :id"), {"id": prop.id}
    )
    database.end_request(response)
    assert db.session().in_transaction()  # SQL text that is not a read counts as a write
    db.session.rollback()
    assert db.session.get(Property, prop.id).name_en == name

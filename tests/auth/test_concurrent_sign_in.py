"""Sign-ins at the same moment on PostgreSQL: a deadlock between two of them is retried.

A failed sign-in counts the failure on the account's row (UPDATE users) and then writes the
audit row, which takes the audit chain's advisory lock. A staff number may exist at two
properties; typed where no terminal narrows it down, one failed sign-in counts a failure on both
accounts: row 1, the audit lock, row 2. A failed sign-in on the second account alone at the same
moment (at its property's terminal) holds row 2 and waits for the audit lock: each waits for the
other, and PostgreSQL ends one of them with a deadlock error (40P01). The portal runs the sign-in
again (portal.database.run_with_retry) instead of answering 500.
"""

from __future__ import annotations

import hashlib
import threading
import time

import pytest
from sqlalchemy import select, text

from portal import audit, database
from portal.blueprints.people.models import User
from portal.extensions import db as _db
from tests import factories

STAFF_NO = "E0777"
AUDIT_LOCK = int.from_bytes(hashlib.sha256(b"audit_events").digest()[:8], "big", signed=True)


def _waiting_for_a_lock(connection, but_not_pid: int) -> bool:
    waiting = connection.scalar(
        text(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE wait_event_type = 'Lock' AND pid <> :pid AND datname = current_database()"
        ),
        {"pid": but_not_pid},
    )
    connection.rollback()  # the activity view is read once per transaction
    return bool(waiting)


@pytest.mark.pg  # SQLite runs one writer at a time (BEGIN IMMEDIATE): no deadlock there
def test_a_sign_in_that_meets_a_deadlock_is_run_again(app, committed_db, monkeypatch):
    with app.app_context():
        hotel = factories.person("employee", prop=factories.property_("TST"), staff_no=STAFF_NO)
        spa = factories.person("employee", prop=factories.property_("SPX"), staff_no=STAFF_NO)
        _db.session.commit()
        hotel_id, spa_id = hotel.id, spa.id
        engine = _db.engine
        _db.session.remove()
    assert hotel_id < spa_id  # the sign-in counts the hotel's account first

    retries = []
    real_sleep = time.sleep
    monkeypatch.setattr(database.time, "sleep", lambda s: (retries.append(s), real_sleep(s)))

    answers = []

    def sign_in():
        client = app.test_client()
        try:
            answers.append(client.sign_in(STAFF_NO, "000000").status_code)
        except Exception as exc:  # the test client re-raises what the view did not handle
            answers.append(repr(exc))

    with engine.connect() as spa_terminal, engine.connect() as watcher:
        # The other sign-in, statement by statement: the spa account's failure is counted...
        spa_terminal.execute(text("SET deadlock_timeout = '20s'"))  # the portal's ends first
        spa_terminal.execute(
            text("UPDATE users SET failed_logins = failed_logins + 1 WHERE id = :id"),
            {"id": spa_id},
        )
        pid = spa_terminal.scalar(text("SELECT pg_backend_pid()"))
        worker = threading.Thread(target=sign_in)
        worker.start()
        deadline = time.monotonic() + 10
        while not _waiting_for_a_lock(watcher, pid):  # the portal holds the audit lock now
            assert time.monotonic() < deadline, "the sign-in never waited for the spa's row"
            real_sleep(0.02)
        # ... then its audit row is written: it waits for the portal's audit lock, which waits
        # for this row. PostgreSQL ends the portal's transaction; the portal runs it again.
        spa_terminal.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_LOCK})
        spa_terminal.commit()
        worker.join(timeout=30)

    assert answers == [422]  # the generic "did not work" form, not a 500
    assert retries == [0.05]  # exactly one retry, after the deadlock
    with app.app_context():
        failures = dict(
            _db.session.execute(select(User.id, User.failed_logins).order_by(User.id)).all()
        )
        assert failures[hotel_id] == 1  # counted once: the first try was rolled back
        assert failures[spa_id] == 2  # the spa's own failure and this one
        assert audit.verify().first_bad_id is None

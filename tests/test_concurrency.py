"""Concurrent writers against a real database file (or PostgreSQL): nothing lost, nothing twice.

Workers start together at a barrier; the totals must come out exact.
"""

import threading

from sqlalchemy import func, select

from portal import audit
from portal.audit import AuditEvent
from portal.blueprints.people.models import User
from portal.database import write_intent
from portal.extensions import db as _db
from tests import factories

WORKERS = 8


def run_together(target, n=WORKERS) -> dict:
    """Run target(i) for i in range(n) in threads released at one barrier; {i: its result}."""
    barrier = threading.Barrier(n)
    results, errors = {}, []

    def work(i):
        try:
            barrier.wait(timeout=10)
            results[i] = target(i)
        except Exception as exc:  # reported below, with the worker's number
            errors.append((i, repr(exc)))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return results


def _setup(app, **kw):
    with app.app_context():
        person = factories.person("employee", **kw)
        hr = factories.person("hr")
        _db.session.commit()
        ids = person.id, person.staff_no, hr.username, person.property_id
        _db.session.remove()
    return ids


def test_failed_sign_ins_are_all_counted(app, committed_db):
    _person_id, staff_no, _hr, _prop = _setup(app)

    def attempt(i):
        client = app.test_client()
        assert client.sign_in(staff_no, f"00000{i}").status_code == 422

    run_together(attempt)
    with app.app_context():
        person = _db.session.scalar(select(User).where(User.staff_no == staff_no))
        assert person.failed_logins == WORKERS
        assert audit.verify().first_bad_id is None


def test_the_audit_chain_stays_whole_under_concurrent_writers(app, committed_db):
    _setup(app)

    def write(i):
        with app.app_context():
            for n in range(5):
                with write_intent():
                    audit.record("test.concurrent", actor=None, summary=f"worker {i} row {n}")
                    _db.session.commit()
            _db.session.remove()

    run_together(write)
    with app.app_context():
        count = _db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "test.concurrent")
        )
        assert count == WORKERS * 5
        result = audit.verify()
        assert result.first_bad_id is None, result


def test_the_same_button_pressed_twice_at_once_adds_one_person(app, committed_db):
    _person_id, _no, hr_username, _prop = _setup(app)
    with app.app_context():
        from portal.blueprints.people.models import Department

        department_id = _db.session.scalar(select(Department.id).where(Department.code == "HK"))
        _db.session.remove()
    clients = []
    for _ in range(2):
        client = app.test_client()
        assert client.sign_in(hr_username, factories.PASSWORD).status_code == 303
        clients.append(client)
    form = {
        "name_zh": "并发",
        "staff_no": "E8800",
        "department_id": str(department_id),
        "role": "employee",
        "grade": "junior",
        "pin": "123456",
        "idempotency_key": "same-key-pressed-twice-000",
    }
    statuses = []

    def press(i):
        statuses.append(clients[i].post_form("/people/new", form).status_code)

    run_together(press, n=2)
    assert statuses == [303, 303]
    with app.app_context():
        count = _db.session.scalar(
            select(func.count()).select_from(User).where(User.staff_no == "E8800")
        )
        assert count == 1

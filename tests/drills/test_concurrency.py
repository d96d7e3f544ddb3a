"""Two tablets at one drill at the same moment (SQLite and PostgreSQL:
PORTAL_TEST_DATABASE_URL): the alarm is given once and keeps the first time, the all-clear and
the closing apply once, and two marshals tapping the same person leave them accounted for."""

from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.blueprints.drills import services
from portal.blueprints.drills.models import Drill, DrillStatus
from portal.blueprints.people.models import User
from portal.extensions import db as _db
from tests import factories
from tests.drills import helpers
from tests.test_concurrency import run_together


def _setup(app, make):
    with app.test_request_context():
        prop = factories.property_()
        keepers = [helpers.keeper(prop) for _ in range(2)]
        drill = make(prop, keepers[0])
        person = factories.person(prop=prop)
        _db.session.commit()
        ids = drill.id, [k.id for k in keepers], person.id
        _db.session.remove()
    return ids


def _step(app, step, drill_id, keeper_id):
    with app.test_request_context():
        try:
            drill = services.get_drill(drill_id)
            applied = step(drill, by=_db.session.get(User, keeper_id))
            _db.session.commit()
            return applied
        finally:
            _db.session.remove()


def _audited(app, action) -> int:
    with app.app_context():
        n = _db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
        )
        _db.session.remove()
    return n


def test_two_tablets_giving_the_alarm_at_once_start_the_drill_once(app, committed_db):
    drill_id, keepers, _person = _setup(app, lambda prop, k: helpers.drill(prop, by=k))
    results = run_together(lambda i: _step(app, services.start, drill_id, keepers[i]), 2)
    assert sorted(results.values()) == [False, True]
    assert _audited(app, "drills.started") == 1
    with app.app_context():
        drill = _db.session.get(Drill, drill_id)
        assert drill.status == DrillStatus.RUNNING
        winner = keepers[next(i for i, r in results.items() if r)]
        assert drill.led_by_id == winner
        _db.session.remove()


def test_two_all_clears_and_two_closings_at_once_apply_once(app, committed_db):
    drill_id, keepers, _person = _setup(app, lambda prop, k: helpers.running(prop, by=k))
    results = run_together(lambda i: _step(app, services.all_clear, drill_id, keepers[i]), 2)
    assert sorted(results.values()) == [False, True]
    with app.test_request_context():
        drill = services.get_drill(drill_id)
        services.save_record(
            drill, helpers.COMPLETE, by=_db.session.get(User, keepers[0]), expected_version=None
        )
        _db.session.commit()
        _db.session.remove()
    results = run_together(lambda i: _step(app, services.close, drill_id, keepers[i]), 2)
    assert sorted(results.values()) == [False, True]
    assert _audited(app, "drills.all_clear") == 1 and _audited(app, "drills.closed") == 1


def test_two_marshals_tapping_one_person_leave_them_accounted_for(app, committed_db):
    drill_id, keepers, person_id = _setup(app, lambda prop, k: helpers.running(prop, by=k))

    def tap(i):
        with app.test_request_context():
            try:
                drill = services.get_drill(drill_id)
                person = _db.session.get(User, person_id)
                services.account_for(drill, person, True, by=_db.session.get(User, keepers[i]))
                _db.session.commit()
            finally:
                _db.session.remove()

    run_together(tap, 2)
    with app.test_request_context():
        drill = services.get_drill(drill_id)
        assert services.roll_state(drill, person_id).accounted is True
        assert services.accounted_count(drill)[0] == 1
        _db.session.remove()

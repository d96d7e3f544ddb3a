"""Two people take the last seat at the same moment: one is enrolled, the other gets a clear
message; a cancellation and an enrolment at once keep the count exact (SQLite and PostgreSQL:
PORTAL_TEST_DATABASE_URL)."""

from sqlalchemy import func, select

from portal.blueprints.people.models import User
from portal.blueprints.training import services
from portal.blueprints.training.models import Enrolment, EnrolmentStatus, TrainingSession
from portal.errors import DomainError
from portal.extensions import db as _db
from tests import factories
from tests.test_concurrency import run_together
from tests.training import helpers


def _setup(app, capacity, people):
    with app.app_context():
        prop = factories.property_()
        session = helpers.session(prop, capacity=capacity)
        ids = [factories.person("employee", prop=prop).id for _ in range(people)]
        _db.session.commit()
        session_id = session.id
        _db.session.remove()
    return session_id, ids


def _enrol(app, session_id, person_id):
    with app.test_request_context():
        try:
            session = _db.session.get(TrainingSession, session_id)
            person = _db.session.get(User, person_id)
            enrolment = services.enrol(session, person, by=person)
            _db.session.commit()
            return enrolment.status
        except DomainError as error:
            _db.session.rollback()
            return error.message
        finally:
            _db.session.remove()


def test_two_people_taking_the_last_seat(app, committed_db):
    session_id, people = _setup(app, capacity=1, people=2)
    results = run_together(lambda i: _enrol(app, session_id, people[i]), 2)
    assert sorted(map(str, results.values())) == [
        "The last seat was just taken. Join the waiting list to move up when a seat frees.",
        EnrolmentStatus.ENROLLED.value,
    ]
    with app.app_context():
        session = _db.session.get(TrainingSession, session_id)
        assert session.seats_taken == 1
        assert _db.session.scalar(select(func.count(Enrolment.id))) == 1


def test_many_at_once_never_oversell(app, committed_db):
    session_id, people = _setup(app, capacity=3, people=8)
    results = run_together(lambda i: _enrol(app, session_id, people[i]), 8)
    assert list(results.values()).count(EnrolmentStatus.ENROLLED) == 3
    with app.app_context():
        assert _db.session.get(TrainingSession, session_id).seats_taken == 3
        seated = _db.session.scalar(
            select(func.count(Enrolment.id)).where(Enrolment.status == EnrolmentStatus.ENROLLED)
        )
        assert seated == 3


def test_a_cancellation_and_two_enrolments_at_once_keep_the_count(app, committed_db):
    session_id, people = _setup(app, capacity=2, people=4)
    for person_id in people[:2]:
        assert _enrol(app, session_id, person_id) == EnrolmentStatus.ENROLLED

    def act(i):
        if i == 0:
            with app.test_request_context():
                enrolment = _db.session.scalar(
                    select(Enrolment).where(Enrolment.person_id == people[0])
                )
                services.cancel_enrolment(enrolment, by=enrolment.person)
                _db.session.commit()
                _db.session.remove()
            return "cancelled"
        return _enrol(app, session_id, people[i + 1])

    run_together(act, 3)
    with app.app_context():
        seats = _db.session.get(TrainingSession, session_id).seats_taken
        seated = _db.session.scalar(
            select(func.count(Enrolment.id)).where(Enrolment.status == EnrolmentStatus.ENROLLED)
        )
        # Whoever came first, the count is the seats held: 2 when an enrolment came after the
        # cancellation, 1 when both came before it (the session was full then).
        assert seats == seated and seats in (1, 2)

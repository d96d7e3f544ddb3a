"""Training rules without HTTP: clashes, seats, the waiting list, attendance history."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.blueprints.training import services
from portal.blueprints.training.models import Attendance, EnrolmentStatus
from portal.errors import DomainError
from tests import factories
from tests.training import helpers


@pytest.fixture
def hotel(ctx):
    return factories.property_()


def test_a_trainer_or_room_cannot_be_in_two_sessions_at_once(hotel):
    hr = factories.person("hr", prop=hotel, dept="HR")
    first = helpers.session(hotel, by=hr, room="Training room 1")
    other_trainer = factories.person("supervisor", prop=hotel)
    with pytest.raises(DomainError, match="is already training") as same_trainer:
        helpers.session(hotel, by=hr, room="Room 9", starts_in=timedelta(days=2, minutes=30))
    assert same_trainer.value.field == "trainer_id"
    with pytest.raises(DomainError, match="Training room 1 is taken") as same_room:
        helpers.session(
            hotel,
            by=hr,
            trainer=other_trainer,
            room="training ROOM 1",
            starts_in=timedelta(days=2, hours=1),
        )
    assert same_room.value.field == "room"
    # Back to back is no clash.
    helpers.session(hotel, by=hr, room="Training room 1", starts_in=timedelta(days=2, hours=2))
    assert first.id


def test_multi_day_kinds_last_their_days(hotel):
    programme = helpers.programme(hotel, kind="skill_upgrade")
    start = services.to_utc(datetime(2027, 3, 1, 9, 0), "starts_at")
    data = services.SessionData(
        programme.id,
        start,
        start + timedelta(days=1, hours=8),
        "Room 1",
        programme.created_by_id,
        5,
    )
    with pytest.raises(DomainError, match="at least 3 days"):
        services.schedule_session(hotel.id, data, by=factories.person("hr", prop=hotel))
    data.ends_at = start + timedelta(days=2, hours=8)
    session = services.schedule_session(hotel.id, data, by=factories.person("hr", prop=hotel))
    assert services.days_spanned(session.starts_at, session.ends_at) == 3


def test_local_times_are_stored_in_utc(hotel, app):
    # Asia/Shanghai (UTC+8): 09:00 local is 01:00 UTC, also across midnight.
    assert (
        services.to_utc(datetime(2027, 1, 1, 7, 30), "x").isoformat() == "2026-12-31T23:30:00+00:00"
    )


def test_a_time_that_does_not_exist_is_refused(hotel, app):
    app.config["PORTAL_TIMEZONE"] = "Europe/London"
    try:
        with pytest.raises(DomainError, match="does not exist"):
            services.to_utc(datetime(2027, 3, 28, 1, 30), "starts_at")  # clocks go 01:00 -> 02:00
        assert services.to_utc(datetime(2027, 7, 1, 9, 0), "x").hour == 8  # summer time
    finally:
        app.config["PORTAL_TIMEZONE"] = "Asia/Shanghai"


def test_seats_are_counted_and_the_waiting_list_moves_up(hotel):
    session = helpers.session(hotel, capacity=2)
    a, b, c, d = (factories.person("employee", prop=hotel) for _ in range(4))
    services.enrol(session, a, by=a)
    services.enrol(session, b, by=b)
    with pytest.raises(DomainError, match="last seat was just taken"):
        services.enrol(session, c, by=c)
    waiting_c = services.enrol(session, c, by=c, waiting_list=True)
    waiting_d = services.enrol(session, d, by=d, waiting_list=True)
    assert waiting_c.status == EnrolmentStatus.WAITING
    assert services.waiting_position(waiting_d) == 2
    services.cancel_enrolment(services.enrolment_of(session, a), by=a)
    assert waiting_c.status == EnrolmentStatus.ENROLLED and session.seats_taken == 2
    assert services.waiting_position(waiting_d) == 1
    # Cancelling twice changes nothing; a waiting person cancelling frees no seat.
    services.cancel_enrolment(services.enrolment_of(session, a), by=a)
    services.cancel_enrolment(waiting_d, by=d)
    assert session.seats_taken == 2
    actions = [e.action for e in select_events()]
    assert actions.count("training.moved_up") == 1 and actions.count("training.cancelled") == 2


def select_events():
    from portal.extensions import db

    return db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))


def test_enrolment_refusals_write_nothing(hotel):
    from portal.extensions import db

    session = helpers.session(hotel)
    person = factories.person("employee", prop=hotel)
    services.enrol(session, person, by=person)
    elsewhere = factories.person("employee", prop=factories.property_("OTH"))
    admin = factories.person("admin", prop=hotel)
    past = helpers.running_session(hotel)
    before = db.session.scalar(select(func.count(AuditEvent.id)))
    with pytest.raises(DomainError, match="already enrolled"):
        services.enrol(session, person, by=person)
    with pytest.raises(DomainError, match="another property"):
        services.enrol(session, elsewhere, by=admin)
    with pytest.raises(DomainError, match="enrolment is closed"):
        services.enrol(past, person, by=person)
    assert session.seats_taken == 1
    assert db.session.scalar(select(func.count(AuditEvent.id))) == before


def test_capacity_never_below_the_seats_taken_and_more_seats_fill_from_the_list(hotel):
    hr = factories.person("hr", prop=hotel, dept="HR")
    session = helpers.session(hotel, capacity=1, by=hr)
    first, second = (factories.person("employee", prop=hotel) for _ in range(2))
    services.enrol(session, first, by=first)
    waiting = services.enrol(session, second, by=second, waiting_list=True)
    data = services.SessionData(
        session.programme_id,
        session.starts_at,
        session.ends_at,
        session.room,
        session.trainer_id,
        0,
    )
    with pytest.raises(DomainError):
        services.update_session(session, data, by=hr)
    data.capacity = 2
    services.update_session(session, data, by=hr)
    assert waiting.status == EnrolmentStatus.ENROLLED and session.seats_taken == 2


def test_attendance_and_scores_are_history(hotel):
    from portal.extensions import db

    supervisor = factories.person("supervisor", prop=hotel)
    session = helpers.running_session(hotel)
    seat = helpers.seat(session, factories.person("employee", prop=hotel))
    first = services.record_attendance(seat, by=supervisor, mark="absent")
    with pytest.raises(DomainError, match="present or late"):
        services.record_attendance(seat, by=supervisor, score=80)
    second = services.record_attendance(seat, by=supervisor, mark="present", reason="came late")
    assert second.corrects_id == first.id and second.recorded_by_id == supervisor.id
    assert services.record_attendance(seat, by=supervisor, mark="present") is second  # double tap
    scored = services.record_attendance(seat, by=supervisor, score=69)
    assert (scored.mark, scored.score, scored.passed) == ("present", 69, False)
    passed = services.record_attendance(seat, by=supervisor, score=70)
    assert passed.passed is True and passed.corrects_id == scored.id
    with pytest.raises(DomainError, match="between 0 and 100"):
        services.record_attendance(seat, by=supervisor, score=101)
    rows = db.session.scalars(select(Attendance).where(Attendance.enrolment_id == seat.id)).all()
    assert len(rows) == 4 and services.current_mark(seat).id == passed.id
    actions = [e.action for e in select_events() if e.action.startswith("training.")]
    assert actions[-4:] == [
        "training.attendance_marked",
        "training.attendance_corrected",
        "training.score_recorded",
        "training.score_recorded",
    ]


def test_a_future_session_is_not_marked(hotel):
    session = helpers.session(hotel)
    seat = helpers.seat(session, factories.person("employee", prop=hotel))
    with pytest.raises(DomainError, match="when the session starts"):
        services.record_attendance(seat, by=factories.person("hr", prop=hotel), mark="present")

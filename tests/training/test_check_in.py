"""Self check-in on a staff-room terminal: only while the session runs, only oneself, once;
late after ten minutes; a mark the trainer gave stands."""

from datetime import timedelta

from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.blueprints.training import services
from portal.blueprints.training.models import Attendance
from tests import factories
from tests.conftest import text_of
from tests.training import helpers


def marks(db):
    return db.session.scalars(select(Attendance).order_by(Attendance.id)).all()


def test_an_employee_checks_in_once_and_late_after_ten_minutes(client, db, login_as):
    employee = login_as("employee")
    session = helpers.running_session(employee.property)  # began half an hour ago
    seat = helpers.seat(session, employee)
    db.session.commit()
    page = client.get(f"/training/sessions/{session.id}")
    assert "Check me in" in text_of(page)
    first = client.post_form(f"/training/enrolments/{seat.id}/check-in")
    assert first.status_code == 303
    assert "You are checked in: Late." in text_of(client.get(first.headers["Location"]))
    again = client.post_form(f"/training/enrolments/{seat.id}/check-in")  # a double tap
    assert again.status_code == 303
    (row,) = marks(db)
    assert (row.mark, row.recorded_by_id, row.reason) == ("late", employee.id, "self check-in")
    audit = db.session.scalar(
        select(func.count()).where(AuditEvent.action == "training.checked_in")
    )
    assert audit == 1
    assert "Your attendance: Late" in text_of(client.get(f"/training/sessions/{session.id}"))


def test_on_time_is_present(db, ctx):
    prop = factories.property_()
    person = factories.person(prop=prop)
    session = helpers.session(prop, starts_in=timedelta(minutes=5))
    seat = helpers.seat(session, person)
    assert services.check_in(seat, by=person).mark == "present"


def test_no_check_in_before_or_after_the_session(client, db, login_as):
    employee = login_as("employee")
    future = helpers.session(employee.property, starts_in=timedelta(hours=2))
    over = helpers.session(employee.property, starts_in=timedelta(hours=-4), hours=2)
    early, late = helpers.seat(future, employee), helpers.seat(over, employee)
    db.session.commit()
    assert "Check me in" not in text_of(client.get(f"/training/sessions/{future.id}"))
    refused = client.post_form(f"/training/enrolments/{early.id}/check-in")
    assert refused.status_code == 409
    assert "Check-in opens 15 minutes before the session starts." in text_of(refused)
    after = client.post_form(f"/training/enrolments/{late.id}/check-in")
    assert after.status_code == 409 and "This session is over" in text_of(after)
    assert marks(db) == []


def test_the_trainers_mark_stands(client, db, login_as):
    employee = login_as("employee")
    session = helpers.running_session(employee.property)
    seat = helpers.seat(session, employee)
    hr = factories.person("hr", prop=employee.property, dept="HR")
    services.record_attendance(seat, by=hr, mark="absent")
    db.session.commit()
    refused = client.post_form(f"/training/enrolments/{seat.id}/check-in")
    assert refused.status_code == 409
    assert "Your attendance is already recorded" in text_of(refused)
    assert [m.mark for m in marks(db)] == ["absent"]


def test_nobody_checks_in_someone_else(client, db, login_as):
    employee = login_as("employee")
    session = helpers.running_session(employee.property)
    colleague = factories.person(prop=employee.property)
    seat = helpers.seat(session, colleague)
    away = factories.property_("OTH")
    elsewhere = helpers.seat(helpers.running_session(away), factories.person(prop=away))
    db.session.commit()
    assert client.post_form(f"/training/enrolments/{seat.id}/check-in").status_code == 403
    assert client.post_form(f"/training/enrolments/{elsewhere.id}/check-in").status_code == 404
    assert client.post_form(f"/training/enrolments/{2**63}/check-in").status_code == 404
    assert marks(db) == []

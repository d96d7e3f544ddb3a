"""Training objects for tests, in one line each."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from portal.blueprints.training import services
from portal.blueprints.training.models import Enrolment, EnrolmentStatus, TrainingSession
from portal.database import utcnow
from portal.extensions import db
from tests import factories


def programme(prop, by=None, **kw):
    by = by or factories.person("hr", prop=prop, dept="HR")
    data = services.ProgrammeData(
        title_en=kw.pop("title_en", "Towel folding"),
        title_zh=kw.pop("title_zh", "毛巾折叠"),
        kind=kw.pop("kind", "monthly_service"),
        method=kw.pop("method", "classroom"),
        cadence=kw.pop("cadence", "monthly"),
        pass_mark=kw.pop("pass_mark", 70),
        cost_per_session=kw.pop("cost", Decimal("5000")),
        department_ids=kw.pop("department_ids", []),
        roles=kw.pop("roles", []),
    )
    return services.create_programme(prop.id, data, by=by)


_rooms = iter(range(10_000))


def session(
    prop,
    *,
    starts_in=timedelta(days=2),
    hours=2,
    capacity=5,
    programme_=None,
    by=None,
    trainer=None,
    room=None,
):
    by = by or factories.person("hr", prop=prop, dept="HR")
    programme_ = programme_ or programme(prop, by=by)
    trainer = trainer or by
    starts = (utcnow() + starts_in).replace(microsecond=0)
    return services.schedule_session(
        prop.id,
        services.SessionData(
            programme_id=programme_.id,
            starts_at=starts,
            ends_at=starts + timedelta(hours=hours),
            room=room or f"Room {next(_rooms)}",
            trainer_id=trainer.id,
            capacity=capacity,
        ),
        by=by,
    )


def running_session(prop, **kw):
    """A session that began half an hour ago (its roll call is open)."""
    return session(prop, starts_in=timedelta(minutes=-30), **kw)


def seat(session_: TrainingSession, person, by=None) -> Enrolment:
    """A seat taken before the session started (enrol() refuses a started session)."""
    enrolment = Enrolment(
        session_id=session_.id,
        person_id=person.id,
        status=EnrolmentStatus.ENROLLED,
        enrolled_by_id=(by or person).id,
        seated_at=utcnow(),
    )
    session_.seats_taken += 1
    db.session.add(enrolment)
    db.session.flush()
    return enrolment

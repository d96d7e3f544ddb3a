"""Programmes assigned because something happened: a new hire gets the induction their
audience names; a new version of an SOP gets the briefing of every programme that covers it,
for everyone who must follow the SOP.

These are the listeners of portal/events.py: they run inside the operation that caused them
(the person's creation, the version's approval), flush and never commit, so an assignment is
written with its cause or not at all. `source` (unique per person and programme) makes an
event assign once however often it is delivered.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import exists, func, insert, literal, or_, select

from portal import audit
from portal.blueprints.people.models import User
from portal.blueprints.training.models import (
    Assignment,
    AssignmentReason,
    Kind,
    Programme,
    ProgrammeRole,
    programme_departments,
    programme_sops,
)
from portal.database import utcnow
from portal.extensions import db
from portal.i18n import local_today

INDUCTION_DAYS = 7
BRIEFING_DAYS = 14  # after the version takes effect


def _for_person(person: User):
    """SQL: the programme's audience names this person (their role, and department if any)."""
    departments = programme_departments.c
    return (
        exists().where(
            ProgrammeRole.programme_id == Programme.id, ProgrammeRole.role == person.role
        ),
        or_(
            ~exists().where(departments.programme_id == Programme.id),
            exists().where(
                departments.programme_id == Programme.id,
                departments.department_id == person.department_id,
            ),
        ),
    )


def on_person_created(person: User, by: User) -> None:
    """Assign the inductions of the new person's property that their audience names, due in
    their first week."""
    programmes = db.session.scalars(
        select(Programme)
        .where(
            Programme.property_id == person.property_id,
            Programme.kind == Kind.INDUCTION,
            *_for_person(person),
        )
        .order_by(Programme.id)
    ).all()
    due = (person.hire_date or local_today()) + timedelta(days=INDUCTION_DAYS)
    for programme in programmes:
        assignment = Assignment(
            property_id=person.property_id,
            person_id=person.id,
            programme_id=programme.id,
            reason=AssignmentReason.HIRE,
            source=AssignmentReason.HIRE.value,
            due_on=due,
            assigned_by_id=by.id,
        )
        db.session.add(assignment)
        db.session.flush()
        audit.record(
            "training.assigned",
            assignment,
            actor=by,
            property_id=person.property_id,
            summary=f"person={person.staff_no} programme={programme.id} reason=hire "
            f"due={due.isoformat()}",
        )


def on_sop_version_approved(version, by: User) -> None:
    """Assign the briefings that cover the SOP to its audience (a correction assigns none: it
    changes no practice). One statement per programme, one audit row per programme."""
    if not version.minor_edit:
        assign_briefings(version, by=by)


def assign_briefings(version, *, by: User) -> None:
    """Assign the briefings covering the version's SOP to everyone who must follow it."""
    from portal.blueprints.sops import reading  # the SOP library says who must follow it

    sop = version.sop
    programmes = db.session.scalars(
        select(Programme)
        .join(programme_sops, programme_sops.c.programme_id == Programme.id)
        .where(
            programme_sops.c.sop_id == sop.id,
            Programme.property_id == sop.property_id,
            Programme.kind == Kind.SOP_BRIEFING,
        )
        .order_by(Programme.id)
    ).all()
    if not programmes:
        return
    due = max(version.effective_date, local_today()) + timedelta(days=BRIEFING_DAYS)
    source = f"sop_version:{version.id}"
    now = utcnow()
    audience = reading.audience_query(sop).with_only_columns(User.id).order_by(None).subquery()
    for programme in programmes:
        rows = select(
            literal(sop.property_id),
            audience.c.id,
            literal(programme.id),
            literal(AssignmentReason.SOP_VERSION.value),
            literal(source),
            literal(version.id),
            literal(now, type_=Assignment.__table__.c.assigned_at.type),
            literal(due, type_=Assignment.__table__.c.due_on.type),
            literal(by.id),
        ).where(
            ~exists().where(
                Assignment.person_id == audience.c.id,
                Assignment.programme_id == programme.id,
                Assignment.source == source,
            )
        )
        db.session.execute(
            insert(Assignment).from_select(
                [
                    "property_id",
                    "person_id",
                    "programme_id",
                    "reason",
                    "source",
                    "sop_version_id",
                    "assigned_at",
                    "due_on",
                    "assigned_by_id",
                ],
                rows,
            )
        )
        count = db.session.scalar(
            select(func.count(Assignment.id)).where(
                Assignment.programme_id == programme.id, Assignment.source == source
            )
        )
        audit.record(
            "training.briefing_assigned",
            programme,
            actor=by,
            summary=f"sop={sop.number} version={version.number} people={count} "
            f"due={due.isoformat()}",
        )

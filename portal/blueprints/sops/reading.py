"""Reading SOPs: the library list and search, what a person must read, acknowledging, who has
read an SOP, reminders, the counts per department and the binder of a department.

Every list and count here composes the rules of rules.py, so they agree with each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import and_, exists, func, or_, select, true
from sqlalchemy.orm import selectinload

from portal import audit
from portal.blueprints.people import services as people
from portal.blueprints.people.models import User
from portal.blueprints.sops import rules
from portal.blueprints.sops.models import (
    TEXT_FIELDS,
    Sop,
    SopAcknowledgement,
    SopReminder,
    SopStep,
    SopVersion,
    Stage,
    VersionStatus,
)
from portal.database import contains, utcnow
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import local_today


# --- the library --------------------------------------------------------------------------------
@dataclass
class SopRow:
    sop: Sop
    version: SopVersion | None  # in force, or None
    latest: SopVersion | None  # newest version of any status (for writers)
    acknowledged: bool | None  # None when the person is not in the audience


def list_sops(
    viewer: User,
    *,
    q: str = "",
    department_id: int | None = None,
    mine: bool = False,
    include_unpublished: bool = False,
    sop_id: int | None = None,
    today: date | None = None,
) -> list[SopRow]:
    """SOPs of the viewer's property, with the version in force and the viewer's
    acknowledgement state, in a fixed number of queries whatever their number."""
    today = today or local_today()
    current = rules.current_versions_subquery(today)
    baseline = rules.baseline_subquery(today)
    audience = rules.in_audience(viewer.department_id, viewer.role)
    acked = rules.acknowledged(viewer.id, Sop.id, baseline.c.baseline_key, Sop.yearly_ack, today)
    query = (
        select(Sop, SopVersion, audience.label("audience"), acked.label("acked"))
        .outerjoin(current, current.c.sop_id == Sop.id)
        .outerjoin(SopVersion, SopVersion.id == current.c.version_id)
        .outerjoin(baseline, baseline.c.sop_id == Sop.id)
        .where(Sop.property_id == viewer.property_id)
        .options(selectinload(Sop.department))
        .order_by(Sop.number)
    )
    if not include_unpublished:
        query = query.where(current.c.version_id.is_not(None))
    if department_id:
        query = query.where(Sop.department_id == department_id)
    if sop_id:
        query = query.where(Sop.id == sop_id)
    if mine:
        query = query.where(audience)
    if q:
        query = query.where(Sop.id.in_(search_sop_ids(q)))
    rows = db.session.execute(query).all()
    latest_by_sop = {}
    if include_unpublished and rows:
        newest = (
            select(SopVersion.sop_id, func.max(SopVersion.version_key).label("key"))
            .group_by(SopVersion.sop_id)
            .subquery()
        )
        for version in db.session.scalars(
            select(SopVersion)
            .join(
                newest,
                and_(newest.c.sop_id == SopVersion.sop_id, newest.c.key == SopVersion.version_key),
            )
            .where(SopVersion.sop_id.in_([r[0].id for r in rows]))
        ):
            latest_by_sop[version.sop_id] = version
    return [
        SopRow(
            sop,
            version,
            latest_by_sop.get(sop.id),
            (bool(ack) if version is not None else None) if in_audience else None,
        )
        for sop, version, in_audience, ack in rows
    ]


def row_for(sop: Sop, user: User, today: date | None = None) -> SopRow | None:
    """One SOP as `user` sees it (version in force, acknowledged or not)."""
    rows = list_sops(user, sop_id=sop.id, today=today)
    return rows[0] if rows else None


def search_sop_ids(q: str):
    """SOPs whose number, title or any text (either language, any version) contains q, as typed.
    Substring search: Chinese needs no spaces between words."""
    text_match = or_(
        *[contains(getattr(SopVersion, name), q) for name in TEXT_FIELDS if "change" not in name]
    )
    step_match = exists(
        select(SopStep.id).where(
            SopStep.version_id == SopVersion.id,
            or_(
                contains(SopStep.text_en, q),
                contains(SopStep.text_zh, q),
                contains(SopStep.note_en, q),
                contains(SopStep.note_zh, q),
            ),
        )
    )
    return (
        select(Sop.id)
        .join(SopVersion, SopVersion.sop_id == Sop.id)
        .where(or_(contains(Sop.number, q), text_match, step_match))
    )


def pending_for(user: User, today: date | None = None) -> list[tuple[Sop, SopVersion, bool]]:
    """SOPs in force that this person must (re-)acknowledge: (sop, version, reminded)."""
    rows = [r for r in list_sops(user, mine=True, today=today) if r.acknowledged is False]
    if not rows:
        return []
    reminded = set(
        db.session.scalars(
            select(SopReminder.sop_id).where(
                SopReminder.user_id == user.id,
                SopReminder.sop_id.in_([r.sop.id for r in rows]),
            )
        )
    )
    return [(r.sop, r.version, r.sop.id in reminded) for r in rows]


def overdue_reviews(property_id: int, today: date | None = None) -> list[SopVersion]:
    today = today or local_today()
    current = rules.current_versions_subquery(today)
    return list(
        db.session.scalars(
            select(SopVersion)
            .join(current, current.c.version_id == SopVersion.id)
            .join(Sop, Sop.id == SopVersion.sop_id)
            .where(Sop.property_id == property_id, SopVersion.review_date < today)
            .options(selectinload(SopVersion.sop))
            .order_by(SopVersion.review_date)
        )
    )


def awaiting_approval(viewer: User) -> list[SopVersion]:
    return list(
        db.session.scalars(
            select(SopVersion)
            .join(Sop, Sop.id == SopVersion.sop_id)
            .where(
                Sop.property_id == viewer.property_id,
                SopVersion.status == VersionStatus.IN_REVIEW,
                SopVersion.author_id != viewer.id,
            )
            .options(selectinload(SopVersion.sop), selectinload(SopVersion.author))
            .order_by(SopVersion.submitted_at)
        )
    )


# --- acknowledging ------------------------------------------------------------------------------
def acknowledge(
    sop: Sop, version: SopVersion, user: User, today: date | None = None
) -> SopAcknowledgement | None:
    """Record 'I have read and understood version X'. None when already acknowledged."""
    current = rules.current_version(sop, today)
    if current is None or current.id != version.id:
        raise DomainError(_("This version is not in force any more. Read the current one."))
    mine = row_for(sop, user, today)
    if mine is not None and mine.acknowledged:
        return None
    ack = SopAcknowledgement(
        sop_id=sop.id,
        version_id=version.id,
        version_key=version.version_key,
        user_id=user.id,
        acknowledged_at=utcnow(),
    )
    db.session.add(ack)
    db.session.flush()
    audit.record(
        "sop.acknowledged", sop, actor=user, summary=f"{sop.number} version {version.number}"
    )
    return ack


# --- following up -------------------------------------------------------------------------------
def audience_query(sop: Sop):
    """SQL select of the active people of the SOP's property whom its audience names."""
    return people.people_at(sop.property_id).where(
        rules.in_audience(User.department_id, User.role, sop.id)
    )


def audience_people(sop: Sop) -> list[User]:
    """The people who must read the SOP, by department and staff number."""
    return list(
        db.session.scalars(
            audience_query(sop)
            .options(selectinload(User.department))
            .order_by(User.department_id, User.staff_no)
        )
    )


@dataclass
class CoverageRow:
    person: User
    acknowledged_at: datetime | None  # the acknowledgement that counts
    version_number: str | None
    reminded_at: datetime | None


def coverage(sop: Sop, today: date | None = None) -> list[CoverageRow]:
    """Who has and has not acknowledged the version in force (five queries)."""
    today = today or local_today()
    audience = audience_people(sop)
    baseline = rules.baseline_subquery(today)
    acks = {}
    for ack in db.session.scalars(
        select(SopAcknowledgement)
        .join(Sop, Sop.id == SopAcknowledgement.sop_id)
        .join(baseline, baseline.c.sop_id == Sop.id)
        .where(
            SopAcknowledgement.sop_id == sop.id,
            rules.still_counts(SopAcknowledgement, baseline.c.baseline_key, Sop.yearly_ack, today),
        )
        .order_by(SopAcknowledgement.acknowledged_at)
        .options(selectinload(SopAcknowledgement.version))
    ):
        acks[ack.user_id] = ack  # the latest one
    reminders = dict(
        db.session.execute(
            select(SopReminder.user_id, func.max(SopReminder.reminded_at))
            .where(SopReminder.sop_id == sop.id)
            .group_by(SopReminder.user_id)
        ).all()
    )
    return [
        CoverageRow(
            p,
            acks[p.id].acknowledged_at if p.id in acks else None,
            acks[p.id].version.number if p.id in acks else None,
            reminders.get(p.id),
        )
        for p in audience
    ]


def remind(sop: Sop, person: User, *, by: User) -> SopReminder:
    """A reminder to read the SOP, for someone its audience names."""
    asked = person.property_id == sop.property_id and db.session.scalar(
        select(rules.in_audience(person.department_id, person.role, sop.id))
    )
    if not asked:
        raise DomainError(_("%(name)s is not asked to read this SOP.", name=person.name))
    reminder = SopReminder(sop_id=sop.id, user_id=person.id, reminded_by_id=by.id)
    db.session.add(reminder)
    db.session.flush()
    audit.record(
        "sop.reminded", sop, actor=by, summary=f"{sop.number} reminder to {person.staff_no}"
    )
    return reminder


@dataclass
class DepartmentCoverage:
    sop: Sop
    version: SopVersion
    done: int
    total: int


def department_coverage(
    property_id: int, department_ids: list[int], today: date | None = None
) -> list[DepartmentCoverage]:
    """For SOPs in force: how many active people of these departments must read each one, and
    how many of them hold an acknowledgement that counts. One query whatever the numbers."""
    today = today or local_today()
    if not department_ids:
        return []
    staff = people.people_at(property_id).where(User.department_id.in_(department_ids)).subquery()
    baseline = rules.baseline_subquery(today)
    done = rules.acknowledged(staff.c.id, Sop.id, baseline.c.baseline_key, Sop.yearly_ack, today)
    asked = (
        select(Sop.id.label("sop_id"), done.label("done"))
        .join(baseline, baseline.c.sop_id == Sop.id)
        .join(staff, true())
        .where(
            Sop.property_id == property_id,
            rules.in_audience(staff.c.department_id, staff.c.role),
        )
        .subquery()
    )
    counts = (
        select(
            asked.c.sop_id,
            func.count().filter(asked.c.done).label("done"),
            func.count().label("total"),
        )
        .group_by(asked.c.sop_id)
        .subquery()
    )
    current = rules.current_versions_subquery(today)
    rows = db.session.execute(
        select(Sop, SopVersion, counts.c.done, counts.c.total)
        .join(current, current.c.sop_id == Sop.id)
        .join(SopVersion, SopVersion.id == current.c.version_id)
        .join(counts, counts.c.sop_id == Sop.id)
        .order_by(Sop.number)
    ).all()
    return [DepartmentCoverage(sop, version, done, total) for sop, version, done, total in rows]


# --- print --------------------------------------------------------------------------------------
def binder_entries(
    property_id: int, department_id: int, today: date | None = None
) -> list[tuple[Sop, SopVersion, Stage]]:
    """The SOPs in force that a department owns, in number order, ready to print."""
    today = today or local_today()
    current = rules.current_versions_subquery(today)
    rows = db.session.execute(
        select(Sop, SopVersion)
        .join(current, current.c.sop_id == Sop.id)
        .join(SopVersion, SopVersion.id == current.c.version_id)
        .where(Sop.property_id == property_id, Sop.department_id == department_id)
        .options(
            selectinload(SopVersion.steps),
            selectinload(SopVersion.approver),
            selectinload(Sop.department),
            selectinload(Sop.property),
        )
        .order_by(Sop.number)
    ).all()
    return [(sop, version, Stage.EFFECTIVE) for sop, version in rows]

"""SOP operations and queries. Plain functions: they check the business rules, audit, flush."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import selectinload

from portal import audit
from portal.blueprints.people.models import Department, User
from portal.blueprints.sops.models import (
    Sop,
    SopAcknowledgement,
    SopAudience,
    SopReminder,
    SopStep,
    SopVersion,
    Stage,
    StepKind,
    VersionStatus,
)
from portal.database import utcnow
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import local_today
from portal.roles import Role

TEXT_FIELDS = (
    "title_en",
    "title_zh",
    "purpose_en",
    "purpose_zh",
    "scope_en",
    "scope_zh",
    "responsibilities_en",
    "responsibilities_zh",
    "change_summary_en",
    "change_summary_zh",
)


@dataclass
class StepData:
    text_en: str = ""
    text_zh: str = ""
    note_en: str = ""
    note_zh: str = ""
    kind: str = StepKind.STEP
    key_point: bool = False


@dataclass
class VersionData:
    title_en: str = ""
    title_zh: str = ""
    purpose_en: str = ""
    purpose_zh: str = ""
    scope_en: str = ""
    scope_zh: str = ""
    responsibilities_en: str = ""
    responsibilities_zh: str = ""
    change_summary_en: str = ""
    change_summary_zh: str = ""
    minor_edit: bool = False
    minor_edit_reason: str = ""
    steps: list[StepData] = field(default_factory=list)


def key_of(major: int, minor: int) -> int:
    return major * 1000 + minor


# --- queries ------------------------------------------------------------------------------------
def current_versions_subquery(today: date | None = None):
    """(sop_id, version_id) of the version in force for every SOP: the approved version with
    the latest effective date on or before today (the highest number on a tie)."""
    today = today or local_today()
    ranked = (
        select(
            SopVersion.sop_id.label("sop_id"),
            SopVersion.id.label("version_id"),
            func.row_number()
            .over(
                partition_by=SopVersion.sop_id,
                order_by=(SopVersion.effective_date.desc(), SopVersion.version_key.desc()),
            )
            .label("rank"),
        )
        .join(Sop, Sop.id == SopVersion.sop_id)
        .where(
            SopVersion.status == VersionStatus.APPROVED,
            SopVersion.effective_date <= today,
            or_(Sop.retired_on.is_(None), Sop.retired_on > today),
        )
        .subquery()
    )
    return select(ranked.c.sop_id, ranked.c.version_id).where(ranked.c.rank == 1).subquery()


def current_version(sop: Sop, today: date | None = None) -> SopVersion | None:
    current = current_versions_subquery(today)
    return db.session.scalar(
        select(SopVersion)
        .join(current, current.c.version_id == SopVersion.id)
        .where(current.c.sop_id == sop.id)
        .options(selectinload(SopVersion.steps))
    )


def stage_of(version: SopVersion, today: date | None = None) -> Stage:
    today = today or local_today()
    sop = version.sop
    if sop.retired_on is not None and sop.retired_on <= today:
        return Stage.RETIRED
    if version.status == VersionStatus.DRAFT:
        return Stage.DRAFT
    if version.status == VersionStatus.IN_REVIEW:
        return Stage.IN_REVIEW
    if version.effective_date is None or version.effective_date > today:
        return Stage.SCHEDULED
    current = current_version(sop, today)
    return Stage.EFFECTIVE if current and current.id == version.id else Stage.SUPERSEDED


def ack_baseline_key(sop_id: int, current: SopVersion) -> int:
    """The oldest version whose acknowledgement still counts: the latest version in force so
    far that was not a minor edit (minor edits do not ask everyone again)."""
    if not current.minor_edit:
        return current.version_key
    key = db.session.scalar(
        select(func.max(SopVersion.version_key)).where(
            SopVersion.sop_id == sop_id,
            SopVersion.status == VersionStatus.APPROVED,
            SopVersion.minor_edit.is_(False),
            SopVersion.version_key <= current.version_key,
        )
    )
    return key if key is not None else current.version_key


def _valid_ack_clause(user_id_column, sop_id_column, baseline_column, yearly_column, today):
    """SQL: this person holds an acknowledgement that still counts for this SOP."""
    year_ago = today - timedelta(days=365)
    return exists(
        select(SopAcknowledgement.id).where(
            SopAcknowledgement.sop_id == sop_id_column,
            SopAcknowledgement.user_id == user_id_column,
            SopAcknowledgement.version_key >= baseline_column,
            or_(
                yearly_column.is_(False),
                SopAcknowledgement.acknowledged_at >= datetime.combine(year_ago, time.min, UTC),
            ),
        )
    )


def _in_audience_clause(user: User):
    """SQL: the SOP's audience includes this person (by department and role)."""
    return exists(
        select(SopAudience.id).where(
            SopAudience.sop_id == Sop.id,
            or_(
                SopAudience.department_id.is_(None), SopAudience.department_id == user.department_id
            ),
            or_(SopAudience.role.is_(None), SopAudience.role == user.role),
        )
    )


def _baseline_subquery(today: date):
    """(sop_id, baseline_key) for SOPs in force: what an acknowledgement must be at least."""
    current = current_versions_subquery(today)
    cur = (
        select(SopVersion.sop_id, SopVersion.version_key, SopVersion.minor_edit)
        .join(current, current.c.version_id == SopVersion.id)
        .subquery()
    )
    major = (
        select(SopVersion.sop_id, func.max(SopVersion.version_key).label("key"))
        .join(cur, cur.c.sop_id == SopVersion.sop_id)
        .where(
            SopVersion.status == VersionStatus.APPROVED,
            SopVersion.minor_edit.is_(False),
            SopVersion.version_key <= cur.c.version_key,
        )
        .group_by(SopVersion.sop_id)
        .subquery()
    )
    return (
        select(
            cur.c.sop_id,
            func.coalesce(major.c.key, cur.c.version_key).label("baseline_key"),
        )
        .outerjoin(major, major.c.sop_id == cur.c.sop_id)
        .subquery()
    )


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
    current = current_versions_subquery(today)
    baseline = _baseline_subquery(today)
    acked = _valid_ack_clause(viewer.id, Sop.id, baseline.c.baseline_key, Sop.yearly_ack, today)
    query = (
        select(Sop, SopVersion, _in_audience_clause(viewer).label("audience"), acked.label("acked"))
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
        query = query.where(_in_audience_clause(viewer))
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
            (bool(ack) if version is not None else None) if audience else None,
        )
        for sop, version, audience, ack in rows
    ]


def row_for(sop: Sop, user: User, today: date | None = None) -> SopRow | None:
    """One SOP as `user` sees it (version in force, acknowledged or not)."""
    rows = list_sops(user, sop_id=sop.id, today=today)
    return rows[0] if rows else None


def search_sop_ids(q: str):
    """SOPs whose number, title or any text (either language, any version) contains q.
    Substring search: Chinese needs no spaces between words."""
    like = f"%{q.replace('%', '').replace('_', '')}%"
    text_match = or_(
        *[getattr(SopVersion, name).ilike(like) for name in TEXT_FIELDS if "change" not in name]
    )
    step_match = exists(
        select(SopStep.id).where(
            SopStep.version_id == SopVersion.id,
            or_(
                SopStep.text_en.ilike(like),
                SopStep.text_zh.ilike(like),
                SopStep.note_en.ilike(like),
                SopStep.note_zh.ilike(like),
            ),
        )
    )
    return (
        select(Sop.id)
        .join(SopVersion, SopVersion.sop_id == Sop.id)
        .where(or_(Sop.number.ilike(like), text_match, step_match))
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


def audience_people(sop: Sop) -> list[User]:
    """Active people of the property the SOP's audience names."""
    conditions = [
        and_(
            User.department_id == a.department_id if a.department_id else True,
            User.role == a.role if a.role else True,
        )
        for a in sop.audience
    ]
    if not conditions:
        return []
    return list(
        db.session.scalars(
            select(User)
            .where(User.property_id == sop.property_id, User.active.is_(True), or_(*conditions))
            .options(selectinload(User.department))
            .order_by(User.department_id, User.staff_no)
        )
    )


@dataclass
class CoverageRow:
    person: User
    acknowledged_at: object | None  # the valid acknowledgement's time
    version_number: str | None
    reminded_at: object | None


def coverage(sop: Sop, version: SopVersion, today: date | None = None) -> list[CoverageRow]:
    """Who has and has not acknowledged the version in force (three queries)."""
    today = today or local_today()
    people = audience_people(sop)
    baseline = ack_baseline_key(sop.id, version)
    year_ago = today - timedelta(days=365)
    acks = {}
    for ack in db.session.scalars(
        select(SopAcknowledgement)
        .where(SopAcknowledgement.sop_id == sop.id, SopAcknowledgement.version_key >= baseline)
        .order_by(SopAcknowledgement.acknowledged_at)
        .options(selectinload(SopAcknowledgement.version))
    ):
        if sop.yearly_ack and ack.acknowledged_at.date() < year_ago:
            continue
        acks[ack.user_id] = ack
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
        for p in people
    ]


def overdue_reviews(property_id: int, today: date | None = None) -> list[SopVersion]:
    today = today or local_today()
    current = current_versions_subquery(today)
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


def get_version(version_id: int) -> SopVersion | None:
    return db.session.get(
        SopVersion,
        version_id,
        options=[selectinload(SopVersion.steps), selectinload(SopVersion.sop)],
    )


def open_draft(sop: Sop) -> SopVersion | None:
    return db.session.scalar(
        select(SopVersion).where(
            SopVersion.sop_id == sop.id,
            SopVersion.status.in_([VersionStatus.DRAFT, VersionStatus.IN_REVIEW]),
        )
    )


# --- operations ---------------------------------------------------------------------------------
def _check_content(data: VersionData) -> None:
    if not (data.title_en or data.title_zh):
        raise DomainError(_("Give the SOP a title, in English, Chinese or both."), "title_en")
    if not data.steps:
        raise DomainError(_("An SOP needs at least one step."))
    for position, step in enumerate(data.steps, start=1):
        if not (step.text_en or step.text_zh):
            raise DomainError(_("Step %(n)s is empty: write it or remove it.", n=position))


def _write_content(version: SopVersion, data: VersionData) -> None:
    for name in TEXT_FIELDS:
        setattr(version, name, getattr(data, name))
    version.minor_edit = data.minor_edit
    version.minor_edit_reason = data.minor_edit_reason if data.minor_edit else ""
    version.steps.clear()
    db.session.flush()
    version.steps.extend(
        SopStep(
            position=position,
            kind=step.kind,
            key_point=step.key_point,
            text_en=step.text_en,
            text_zh=step.text_zh,
            note_en=step.note_en,
            note_zh=step.note_zh,
        )
        for position, step in enumerate(data.steps, start=1)
    )


def create_sop(
    *,
    property_id: int,
    department_id: int,
    number: str,
    data: VersionData,
    author: User,
    audience_departments: list[int] | None = None,
    audience_roles: list[str] | None = None,
    yearly_ack: bool = False,
) -> SopVersion:
    taken = db.session.scalar(
        select(Sop.id).where(Sop.property_id == property_id, Sop.number == number)
    )
    if taken:
        raise DomainError(
            _("SOP number %(no)s is already used at this property.", no=number), "number"
        )
    department = db.session.get(Department, department_id)
    if department is None or department.property_id != property_id:
        raise DomainError(_("Choose a department of this property."), "department_id")
    _check_content(data)
    if data.minor_edit:
        raise DomainError(_("The first version of an SOP cannot be a minor edit."), "minor_edit")
    sop = Sop(
        property_id=property_id, department_id=department_id, number=number, yearly_ack=yearly_ack
    )
    set_audience(sop, audience_departments or [department_id], audience_roles or [])
    db.session.add(sop)
    version = SopVersion(sop=sop, major=1, minor=0, version_key=key_of(1, 0), author=author)
    db.session.add(version)
    _write_content(version, data)
    db.session.flush()
    audit.record("sop.created", sop, actor=author, summary=f"{number} version 1.0 drafted")
    return version


def set_audience(sop: Sop, department_ids: list[int], roles: list[str]) -> None:
    """Every pair of (department, role) named; an empty list means 'all'."""
    sop.audience.clear()
    for department_id in department_ids or [None]:
        for role in roles or [None]:
            sop.audience.append(SopAudience(department_id=department_id, role=role))


def update_draft(
    version: SopVersion, data: VersionData, *, by: User, expected_lock: int | None = None
) -> SopVersion:
    if version.status != VersionStatus.DRAFT:
        raise DomainError(_("Only a draft can be changed. Start a new version instead."))
    if expected_lock is not None and expected_lock != version.lock_version:
        raise DomainError(
            _("Someone else changed this draft while you were editing. Reload and try again.")
        )
    _check_content(data)
    if data.minor_edit and version.version_key == key_of(1, 0):
        raise DomainError(_("The first version of an SOP cannot be a minor edit."), "minor_edit")
    if data.minor_edit and not data.minor_edit_reason:
        raise DomainError(
            _("Say why staff need not acknowledge this version again."), "minor_edit_reason"
        )
    _write_content(version, data)
    db.session.flush()
    audit.record(
        "sop.draft_saved",
        version.sop,
        actor=by,
        summary=f"{version.sop.number} {version.number}: {len(data.steps)} steps",
    )
    return version


def submit_for_review(version: SopVersion, *, by: User) -> SopVersion:
    if version.status != VersionStatus.DRAFT:
        raise DomainError(_("This version has already been sent for review."))
    if not version.steps:
        raise DomainError(_("An SOP needs at least one step."))
    version.status = VersionStatus.IN_REVIEW
    version.submitted_at = utcnow()
    db.session.flush()
    audit.record(
        "sop.submitted",
        version.sop,
        actor=by,
        summary=f"{version.sop.number} {version.number} sent for review",
    )
    return version


def return_to_draft(version: SopVersion, *, by: User, reason: str) -> SopVersion:
    if version.status != VersionStatus.IN_REVIEW:
        raise DomainError(_("Only a version in review can be sent back."))
    version.status = VersionStatus.DRAFT
    version.submitted_at = None
    db.session.flush()
    audit.record(
        "sop.returned",
        version.sop,
        actor=by,
        summary=f"{version.sop.number} {version.number}: {reason[:300]}",
    )
    return version


def approve(
    version: SopVersion,
    *,
    approver: User,
    effective_date: date,
    review_date: date | None = None,
    today: date | None = None,
) -> SopVersion:
    today = today or local_today()
    if version.status != VersionStatus.IN_REVIEW:
        raise DomainError(_("Only a version in review can be approved."))
    if version.author_id == approver.id:
        raise DomainError(_("You wrote this version: another manager must approve it."))
    if approver.role not in (Role.MANAGER, Role.ADMIN):
        raise DomainError(_("Only a manager can approve an SOP."))
    if effective_date < today:
        raise DomainError(
            _("The effective date cannot be before the approval date."), "effective_date"
        )
    review_date = review_date or _one_year_after(effective_date)
    if review_date <= effective_date:
        raise DomainError(_("The review date must be after the effective date."), "review_date")
    latest_approved = db.session.scalar(
        select(func.max(SopVersion.effective_date)).where(
            SopVersion.sop_id == version.sop_id,
            SopVersion.status == VersionStatus.APPROVED,
        )
    )
    if latest_approved is not None and effective_date < latest_approved:
        raise DomainError(
            _(
                "An earlier version takes effect on %(date)s: this one cannot start before it.",
                date=latest_approved.isoformat(),
            ),
            "effective_date",
        )
    version.status = VersionStatus.APPROVED
    version.approver = approver
    version.approved_at = utcnow()
    version.effective_date = effective_date
    version.review_date = review_date
    db.session.flush()
    audit.record(
        "sop.approved",
        version.sop,
        actor=approver,
        summary=(
            f"{version.sop.number} {version.number} effective {effective_date.isoformat()}"
            f" review {review_date.isoformat()}" + (" minor edit" if version.minor_edit else "")
        ),
    )
    return version


def _one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def new_version(sop: Sop, *, by: User, major: bool) -> SopVersion:
    """A new draft copied from the newest approved version (1.0 -> 1.1 or 2.0)."""
    if sop.retired_on is not None:
        raise DomainError(_("This SOP is retired."))
    if open_draft(sop) is not None:
        raise DomainError(_("This SOP already has a version being written or reviewed."))
    base = db.session.scalar(
        select(SopVersion)
        .where(SopVersion.sop_id == sop.id, SopVersion.status == VersionStatus.APPROVED)
        .order_by(SopVersion.version_key.desc())
        .limit(1)
    )
    if base is None:
        raise DomainError(_("There is no approved version to start from."))
    number = (base.major + 1, 0) if major else (base.major, base.minor + 1)
    draft = SopVersion(
        sop=sop, major=number[0], minor=number[1], version_key=key_of(*number), author=by
    )
    db.session.add(draft)
    data = VersionData(
        **{name: getattr(base, name) for name in TEXT_FIELDS if "change" not in name},
        steps=[
            StepData(s.text_en, s.text_zh, s.note_en, s.note_zh, s.kind, s.key_point)
            for s in base.steps
        ],
    )
    _write_content(draft, data)
    db.session.flush()
    audit.record(
        "sop.version_started",
        sop,
        actor=by,
        summary=f"{sop.number} {draft.number} drafted from {base.number}",
    )
    return draft


def retire_sop(sop: Sop, *, by: User, on: date) -> Sop:
    if sop.retired_on is not None:
        raise DomainError(_("This SOP is already retired."))
    sop.retired_on = on
    db.session.flush()
    audit.record(
        "sop.retired", sop, actor=by, summary=f"{sop.number} retired from {on.isoformat()}"
    )
    return sop


def acknowledge(
    sop: Sop, version: SopVersion, user: User, today: date | None = None
) -> SopAcknowledgement | None:
    """Record 'I have read and understood version X'. None when already acknowledged."""
    current = current_version(sop, today)
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


def remind(sop: Sop, person: User, *, by: User) -> SopReminder:
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
    """For SOPs in force: how many people of these departments who must read each one have a
    valid acknowledgement. Four queries whatever the numbers."""
    today = today or local_today()
    if not department_ids:
        return []
    current = current_versions_subquery(today)
    baseline = _baseline_subquery(today)
    rows = db.session.execute(
        select(Sop, SopVersion, baseline.c.baseline_key)
        .join(current, current.c.sop_id == Sop.id)
        .join(SopVersion, SopVersion.id == current.c.version_id)
        .join(baseline, baseline.c.sop_id == Sop.id)
        .where(Sop.property_id == property_id)
        .options(selectinload(Sop.audience))
        .order_by(Sop.number)
    ).all()
    people = list(
        db.session.execute(
            select(User.id, User.department_id, User.role).where(
                User.property_id == property_id,
                User.active.is_(True),
                User.department_id.in_(department_ids),
            )
        )
    )
    year_ago = datetime.combine(today - timedelta(days=365), time.min, UTC)
    acks = db.session.execute(
        select(
            SopAcknowledgement.sop_id,
            SopAcknowledgement.user_id,
            SopAcknowledgement.version_key,
            SopAcknowledgement.acknowledged_at,
        )
        .join(Sop, Sop.id == SopAcknowledgement.sop_id)
        .where(
            Sop.property_id == property_id,
            SopAcknowledgement.user_id.in_([p.id for p in people] or [0]),
        )
    ).all()
    result = []
    for sop, version, baseline_key in rows:

        def addressed(person, sop=sop):
            return any(
                (a.department_id in (None, person.department_id))
                and (a.role in (None, person.role))
                for a in sop.audience
            )

        asked = {p.id for p in people if addressed(p)}
        if not asked:
            continue
        done = {
            a.user_id
            for a in acks
            if a.sop_id == sop.id
            and a.user_id in asked
            and a.version_key >= baseline_key
            and (not sop.yearly_ack or a.acknowledged_at >= year_ago)
        }
        result.append(DepartmentCoverage(sop, version, len(done), len(asked)))
    return result


def binder_entries(
    property_id: int, department_id: int, today: date | None = None
) -> list[tuple[Sop, SopVersion, Stage]]:
    """The SOPs in force that a department owns, in number order, ready to print."""
    today = today or local_today()
    current = current_versions_subquery(today)
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


@dataclass
class StepChange:
    kind: str  # "same", "changed", "added", "removed"
    old: SopStep | None
    new: SopStep | None


@dataclass
class Comparison:
    fields: list[tuple[str, str, str, str]]  # (field, language, old text, new text)
    steps: list[StepChange]

    @property
    def changed_steps(self) -> int:
        return sum(1 for s in self.steps if s.kind != "same")


def compare_versions(old: SopVersion, new: SopVersion) -> Comparison:
    """What changed between two versions, step by step (both languages count)."""
    import difflib

    fields = [
        (name.rsplit("_", 1)[0], name.rsplit("_", 1)[1], getattr(old, name), getattr(new, name))
        for name in TEXT_FIELDS
        if "change" not in name and getattr(old, name) != getattr(new, name)
    ]

    def signature(step: SopStep):
        return (step.text_en, step.text_zh, step.note_en, step.note_zh, step.kind, step.key_point)

    matcher = difflib.SequenceMatcher(
        a=[signature(s) for s in old.steps],
        b=[signature(s) for s in new.steps],
        autojunk=False,
    )
    steps: list[StepChange] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        olds, news = old.steps[i1:i2], new.steps[j1:j2]
        if tag == "equal":
            steps += [StepChange("same", o, n) for o, n in zip(olds, news, strict=True)]
        elif tag == "replace":
            paired = min(len(olds), len(news))
            steps += [StepChange("changed", olds[k], news[k]) for k in range(paired)]
            steps += [StepChange("removed", o, None) for o in olds[paired:]]
            steps += [StepChange("added", None, n) for n in news[paired:]]
        elif tag == "delete":
            steps += [StepChange("removed", o, None) for o in olds]
        else:
            steps += [StepChange("added", None, n) for n in news]
    return Comparison(fields, steps)


def update_audience(
    sop: Sop, *, department_ids: list[int], roles: list[str], yearly_ack: bool, by: User
) -> Sop:
    """Change who must read the SOP; audited when anything changed."""
    valid = set(
        db.session.scalars(select(Department.id).where(Department.property_id == sop.property_id))
    )
    if not set(department_ids) <= valid:
        raise DomainError(_("Choose departments of this property."), "audience_departments")
    before = (
        sorted(str(a.department_id) for a in sop.audience),
        sorted(str(a.role) for a in sop.audience),
        sop.yearly_ack,
    )
    set_audience(sop, department_ids or [sop.department_id], roles)
    sop.yearly_ack = yearly_ack
    db.session.flush()
    after = (
        sorted(str(a.department_id) for a in sop.audience),
        sorted(str(a.role) for a in sop.audience),
        sop.yearly_ack,
    )
    if before != after:
        audit.record(
            "sop.audience_changed",
            sop,
            actor=by,
            summary=f"{sop.number}: departments {sorted(set(after[0]))} roles "
            f"{sorted(set(after[1]))} yearly={yearly_ack}",
        )
    return sop

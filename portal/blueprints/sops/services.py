"""Writing SOPs: drafts, review, approval, new versions, retirement, who must read them.

Plain functions: they check the business rules, write the audit row and flush; the caller
commits. Reading and acknowledging are in reading.py, the shared rules in rules.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm.attributes import flag_modified

from portal import audit
from portal.blueprints.people import services as people
from portal.blueprints.people.models import User
from portal.blueprints.sops import permissions
from portal.blueprints.sops.models import (
    TEXT_FIELDS,
    Sop,
    SopAudience,
    SopStep,
    SopVersion,
    StepKind,
    VersionStatus,
)
from portal.database import utcnow
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import local_today


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
    # Every save moves the version's lock, also when only its steps change: a concurrent editor
    # is told, and a printed draft is not served from the cache of the text before.
    flag_modified(version, "title_en")
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
    department = people.get_department(department_id)
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
    if not permissions.is_independent_approver(approver, version):
        raise DomainError(
            _(
                "The author of this version created your account or gave you your role less "
                "than 24 hours ago: another manager must approve it."
            )
        )
    if not permissions.approves(approver):
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


def update_audience(
    sop: Sop, *, department_ids: list[int], roles: list[str], yearly_ack: bool, by: User
) -> Sop:
    """Change who must read the SOP; audited when anything changed."""
    valid = {d.id for d in people.property_departments(sop.property_id)}
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

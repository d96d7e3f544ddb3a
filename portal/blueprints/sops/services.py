"""Writing SOPs: drafts, review, approval, new versions, periodic reviews ("reviewed, still
valid"), retirement, who must read them, and the library's settings (the languages every version
must have).

Plain functions: they check the business rules, write the audit row and flush; the caller
commits. Reading and acknowledging are in reading.py, the shared rules in rules.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import flag_modified, set_committed_value

from portal import audit, events
from portal.blueprints.people import services as people
from portal.blueprints.people.models import User
from portal.blueprints.sops import permissions, rules
from portal.blueprints.sops.models import (
    LANGUAGE_NAMES,
    LANGUAGES,
    TEXT_FIELDS,
    ChangeKind,
    Sop,
    SopAudience,
    SopReview,
    SopSettings,
    SopStep,
    SopVersion,
    Stage,
    StepKind,
    VersionStatus,
    other,
)
from portal.database import advisory_lock, utcnow
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import fmt_date, local_today
from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l


@dataclass
class StepData:
    text_en: str = ""
    text_zh: str = ""
    note_en: str = ""
    note_zh: str = ""
    kind: str = StepKind.STEP
    key_point: bool = False
    # The saved step this one was edited from (the editor sends it back), and the languages
    # the person confirmed are still correct although only the other one changed.
    origin: int | None = None
    confirmed: tuple[str, ...] = ()


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
    minor_edit: bool = False  # a correction: no one is asked to acknowledge it again
    minor_edit_reason: str = ""
    steps: list[StepData] = field(default_factory=list)
    # A new edition (x.0) or not (the next minor number); None keeps the draft's number.
    new_edition: bool | None = None

    @classmethod
    def kind(cls, kind: ChangeKind | None, **fields) -> VersionData:
        """The data of a version of this kind of change (None: a first version)."""
        return cls(
            minor_edit=kind is ChangeKind.CORRECTION,
            new_edition=None if kind is None else kind is ChangeKind.EDITION,
            **fields,
        )


def key_of(major: int, minor: int) -> int:
    return major * 1000 + minor


def newest_approved(sop: Sop) -> SopVersion | None:
    """The version a new one is numbered from (and, for a new version, copied from)."""
    return db.session.scalar(
        select(SopVersion)
        .where(SopVersion.sop_id == sop.id, SopVersion.status == VersionStatus.APPROVED)
        .order_by(SopVersion.version_key.desc())
        .limit(1)
    )


def next_number(base: SopVersion, kind: ChangeKind) -> tuple[int, int]:
    """The number a version of this kind gets after `base`: 1.0 -> 1.1, or 1.0 -> 2.0."""
    if kind is ChangeKind.EDITION:
        return base.major + 1, 0
    return base.major, base.minor + 1


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


STEP_PARTS = ("text", "note")


def _marks(before: SopStep | None, after: StepData) -> dict[str, bool]:
    """Which languages of the step as saved now need updating.

    A part of the step (its text, its note) reworded in one language alone while the other
    language has that part too: the other needs updating. Where the other has no such part it
    is missing, not out of date; a part emptied is missing as well, and a part written where
    there was none is a translation, which marks nothing. An edit of a language that was
    marked is its update (the mark goes, and it marks nothing). A language the person
    confirmed is still correct is never marked."""
    marks = {lang: False for lang in LANGUAGES}
    if before is not None:
        marks = {lang: before.needs_update(lang) for lang in LANGUAGES}
        changed = {
            (part, lang): getattr(before, f"{part}_{lang}") != getattr(after, f"{part}_{lang}")
            for part in STEP_PARTS
            for lang in LANGUAGES
        }
        updated = {
            lang: marks[lang] and any(changed[(part, lang)] for part in STEP_PARTS)
            for lang in LANGUAGES
        }
        for lang in LANGUAGES:
            if updated[lang]:
                marks[lang] = False
        for lang in LANGUAGES:
            changer = other(lang)
            if updated[changer]:
                continue
            if any(
                changed[(part, changer)]
                and not changed[(part, lang)]
                and getattr(before, f"{part}_{changer}")  # a rewording, not a translation
                and getattr(after, f"{part}_{changer}")
                and getattr(after, f"{part}_{lang}")
                for part in STEP_PARTS
            ):
                marks[lang] = True
    for lang in after.confirmed:
        if lang in marks:
            marks[lang] = False
    return marks


def _previous_steps(old: list[SopStep], steps: list[StepData]) -> list[SopStep | None]:
    """The saved step each new one was edited from: the one it names (of this version only,
    each one once); a step that names none takes the saved step at its position, if no other
    step claimed it."""
    by_id = {step.id: step for step in old}
    claimed = {step.origin for step in steps if step.origin in by_id}
    used: set[int] = set()
    previous: list[SopStep | None] = []
    for index, step in enumerate(steps):
        before = None
        if step.origin in by_id and step.origin not in used:
            before = by_id[step.origin]
        elif step.origin is None and index < len(old) and old[index].id not in claimed | used:
            before = old[index]
        if before is not None:
            used.add(before.id)
        previous.append(before)
    return previous


def _write_content(version: SopVersion, data: VersionData, *, track: bool = False) -> list[str]:
    """Write the texts and steps. With `track`, a step whose one language changed alone marks
    the other "needs updating" (see _marks); returns what changed in the marks and the order,
    for the audit trail."""
    for name in TEXT_FIELDS:
        setattr(version, name, getattr(data, name))
    # Every save moves the version's lock, also when only its steps change: a concurrent editor
    # is told, and a printed draft is not served from the cache of the text before.
    flag_modified(version, "title_en")
    version.minor_edit = data.minor_edit
    version.minor_edit_reason = data.minor_edit_reason if data.minor_edit else ""
    old = list(version.steps) if track else []
    previous = _previous_steps(old, data.steps) if track else [None] * len(data.steps)
    marks = [_marks(before, step) for before, step in zip(previous, data.steps, strict=True)]
    notes = []
    kept = [before.position for before in previous if before is not None]
    if kept != sorted(kept):
        notes.append("steps reordered")
    for position, (before, mark, step) in enumerate(
        zip(previous, marks, data.steps, strict=True), start=1
    ):
        for lang in LANGUAGES:
            was = before.needs_update(lang) if before is not None else False
            if mark[lang] and not was:
                notes.append(f"step {position}: {lang} needs updating")
            elif was and not mark[lang]:
                how = "confirmed" if lang in step.confirmed else "updated"
                notes.append(f"step {position}: {lang} {how}")
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
            needs_update_en=mark["en"],
            needs_update_zh=mark["zh"],
        )
        for position, (step, mark) in enumerate(zip(data.steps, marks, strict=True), start=1)
    )
    return notes


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
    notes = _renumber(version, data)
    if data.minor_edit and version.version_key == key_of(1, 0):
        raise DomainError(_("The first version of an SOP cannot be a minor edit."), "change_kind")
    if data.minor_edit and version.minor == 0:
        raise DomainError(
            _("A new edition is read again by everyone: it cannot be a correction."),
            "change_kind",
        )
    if data.minor_edit and not data.minor_edit_reason:
        raise DomainError(str(REASON_MISSING), "minor_edit_reason")
    notes += _write_content(version, data, track=True)
    db.session.flush()
    audit.record(
        "sop.draft_saved",
        version.sop,
        actor=by,
        summary="; ".join(
            [f"{version.sop.number} {version.number}: {len(data.steps)} steps", *notes]
        ),
    )
    return version


REASON_MISSING = _l("Say why no one needs to read this correction again.")


def _renumber(version: SopVersion, data: VersionData) -> list[str]:
    """A draft's number follows the kind of change chosen (1.1 for a correction or a change,
    2.0 for a new edition, counted from the newest approved version); a first version keeps
    1.0. Returns the note for the audit trail."""
    if data.new_edition is None or version.version_key == key_of(1, 0):
        return []
    base = newest_approved(version.sop)
    if base is None:
        return []
    kind = ChangeKind.EDITION if data.new_edition else ChangeKind.CHANGE
    major, minor = next_number(base, kind)
    if (major, minor) == (version.major, version.minor):
        return []
    was = version.number
    version.major, version.minor, version.version_key = major, minor, key_of(major, minor)
    return [f"numbered {version.number} (was {was})"]


# --- the languages a version must have ---------------------------------------------------------
def get_settings(property_id: int) -> SopSettings:
    """The property's SOP library settings (both languages required until someone decides)."""
    return db.session.get(SopSettings, property_id) or SopSettings(
        property_id=property_id, require_en=True, require_zh=True
    )


def required_languages(property_id: int) -> tuple[str, ...]:
    return get_settings(property_id).required_languages


def update_settings(property_id: int, *, languages: list[str], by: User) -> SopSettings:
    """Which languages every version must have before review and approval (at least one)."""
    chosen = [lang for lang in LANGUAGES if lang in set(languages)]
    if not chosen:
        raise DomainError(_("Choose at least one language."), "required_languages")
    advisory_lock(f"sop_settings:{property_id}")  # two managers saving at once: one row
    settings = db.session.get(SopSettings, property_id)
    before = settings.required_languages if settings is not None else LANGUAGES
    if settings is None:
        settings = SopSettings(property_id=property_id)
        db.session.add(settings)
    for lang in LANGUAGES:
        setattr(settings, f"require_{lang}", lang in chosen)
    db.session.flush()
    if tuple(chosen) != tuple(before):
        audit.record(
            "sop.settings_changed",
            actor=by,
            property_id=property_id,
            object_type=SopSettings.__tablename__,
            object_id=property_id,  # the settings' key
            summary=f"required languages: {' '.join(before)} -> {' '.join(chosen)}",
        )
    return settings


def _languages_named(stored: str | None, event) -> str:
    return rules.join_list([str(LANGUAGE_NAMES[code]) for code in (stored or "").split()])


# How the settings' audit summary reads in the trail ("Required languages: 英文、中文 → 中文").
audit.name_details(
    {"required languages": audit.DetailKey(_l("Required languages"), _languages_named)}
)


def _check_ready(version: SopVersion, action: str) -> None:
    """Refuse to send for review (or approve) a version that lacks a required language or has a
    step whose translation needs updating; the message names every text concerned."""
    state = rules.review_state(version, required_languages(version.sop.property_id))
    if state.ready:
        return
    if action == "approve":
        lead = _("This version cannot be approved yet.")
    else:
        lead = _("This version cannot be sent for review yet.")
    raise DomainError(f"{lead} {state.refusal()}")


def submit_for_review(version: SopVersion, *, by: User) -> SopVersion:
    if version.status != VersionStatus.DRAFT:
        raise DomainError(_("This version has already been sent for review."))
    if not version.steps:
        raise DomainError(_("An SOP needs at least one step."))
    if version.minor_edit and not version.minor_edit_reason:
        raise DomainError(str(REASON_MISSING))
    _check_ready(version, "submit")
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
    _check_ready(version, "approve")
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
            f" review {review_date.isoformat()}" + (" correction" if version.minor_edit else "")
        ),
    )
    events.emit(events.SOP_VERSION_APPROVED, version=version, by=approver)
    return version


def _one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def new_version(sop: Sop, *, by: User, major: bool, correction: bool = False) -> SopVersion:
    """A new draft copied from the newest approved version: a correction (1.0 -> 1.1, no one
    is asked to read it again), a change (1.0 -> 1.1) or a new edition (`major`, 1.0 -> 2.0).
    The kind can still be changed in the editor."""
    if major and correction:
        raise DomainError(_("A new edition is read again by everyone: it cannot be a correction."))
    if sop.retired_on is not None:
        raise DomainError(_("This SOP is retired."))
    if open_draft(sop) is not None:
        raise DomainError(_("This SOP already has a version being written or reviewed."))
    base = newest_approved(sop)
    if base is None:
        raise DomainError(_("There is no approved version to start from."))
    number = next_number(base, ChangeKind.EDITION if major else ChangeKind.CHANGE)
    draft = SopVersion(
        sop=sop,
        major=number[0],
        minor=number[1],
        version_key=key_of(*number),
        author=by,
        minor_edit=correction,
    )
    db.session.add(draft)
    data = VersionData(
        **{name: getattr(base, name) for name in TEXT_FIELDS if "change" not in name},
        minor_edit=correction,
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
        summary=f"{sop.number} {draft.number} drafted from {base.number}"
        + (" as a correction" if correction else ""),
    )
    return draft


# --- periodic review: "reviewed, still valid" ----------------------------------------------------
REVIEW_HORIZON = timedelta(days=5 * 365 + 1)  # the next review is at most five years ahead


def next_review_default(today: date | None = None) -> date:
    """What the review form proposes: one year after today."""
    return _one_year_after(today or local_today())


def review_overdue(version: SopVersion, today: date | None = None) -> bool:
    """The version's review date has passed (the rule of reading.overdue_reviews: due before
    today)."""
    today = today or local_today()
    return version.review_date is not None and version.review_date < today


def record_review(
    version: SopVersion,
    *,
    by: User,
    next_review: date,
    was_due: date | None,
    note: str = "",
    today: date | None = None,
) -> SopReview:
    """'Reviewed, still valid': the version in force stays as it is and its next review is
    `next_review` (after today). `was_due` is the review date the reviewer saw: when someone
    recorded a review in the meantime (or this is a second tap), nothing is recorded twice."""
    today = today or local_today()
    advisory_lock(f"sop_review:{version.id}")  # two reviewers at once: one after the other
    db.session.refresh(version)  # the review date as it is now, after anyone before us
    if rules.stage_of(version, today) != Stage.EFFECTIVE:
        raise DomainError(_("Only the version in force can be reviewed."))
    if version.review_date != was_due:
        latest = db.session.scalar(
            select(SopReview)
            .where(SopReview.version_id == version.id)
            .order_by(SopReview.id.desc())
            .limit(1)
        )
        if latest is not None:
            raise DomainError(
                _(
                    "%(name)s has already recorded this review: the next review is due on "
                    "%(date)s.",
                    name=latest.reviewed_by.name,
                    date=fmt_date(latest.next_review),
                )
            )
        raise DomainError(_("The review date changed while you were looking. Reload the page."))
    if next_review <= today:
        raise DomainError(_("The next review must be after today."), "next_review")
    if next_review > today + REVIEW_HORIZON:
        raise DomainError(
            _(
                "Choose a date within five years: %(date)s at the latest.",
                date=fmt_date(today + REVIEW_HORIZON),
            ),
            "next_review",
        )
    review = SopReview(
        version=version,
        reviewed_by=by,
        reviewed_at=utcnow(),
        was_due=version.review_date,
        next_review=next_review,
        note=note,
    )
    db.session.add(review)
    version.review_date = next_review  # the one date the lists of reviews due read
    db.session.flush()
    summary = (
        f"{version.sop.number} {version.number} reviewed, still valid; next review "
        f"{next_review.isoformat()} (was due {was_due.isoformat() if was_due else 'never'})"
    )
    audit.record(
        "sop.reviewed",
        version.sop,
        actor=by,
        summary=summary + (f"; note: {note}" if note else ""),
    )
    return review


def history_of(sop: Sop) -> list[SopVersion]:
    """The SOP's versions, oldest first, each with its periodic reviews and who recorded them:
    one query (it loads sop.versions as well)."""
    versions = list(
        db.session.scalars(
            select(SopVersion)
            .where(SopVersion.sop_id == sop.id)
            .order_by(SopVersion.version_key)
            .options(joinedload(SopVersion.reviews).joinedload(SopReview.reviewed_by))
        ).unique()
    )
    set_committed_value(sop, "versions", versions)
    return versions


_REVIEWED = (
    r"(?P<no>\S+) (?P<v>\d+\.\d+) reviewed, still valid; next review (?P<next>[0-9-]+)"
    r" \(was due (?P<was>[0-9-]+|never)\)"
)
audit.name_details(
    phrases={
        _REVIEWED + "$": _l(
            "%(no)s version %(v)s reviewed, still valid; next review %(next)s (was due %(was)s)"
        ),
        _REVIEWED + r"; note: (?P<note>.*)": _l(
            "%(no)s version %(v)s reviewed, still valid; next review %(next)s (was due "
            "%(was)s); note: %(note)s"
        ),
    }
)


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

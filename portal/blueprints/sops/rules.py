"""The SOP library's rules, each written once, in the SQL that every list and count composes.

- in force: the approved version with the latest effective date on or before today, unless the
  SOP is retired (current_versions_subquery, current_version, stage_of);
- the baseline: the oldest version whose acknowledgement still counts, that is the latest
  version in force so far that was not a minor edit, a correction (baseline_subquery);
- an acknowledgement still counts when it is of the baseline or later and, for an SOP read
  again every year, was made in the last 365 days of the property's calendar (still_counts,
  acknowledged);
- who is in the audience: a person whose department and role one of the SOP's audience rows
  names, an empty department or role meaning every one (in_audience);
- ready for review: every text the version has is there in each language the property requires,
  and no step is marked "needs updating" (review_state).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import and_, bindparam, exists, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from portal.blueprints.sops.models import (
    FIELD_LABELS,
    LANGUAGE_NAMES,
    LANGUAGES,
    Sop,
    SopAcknowledgement,
    SopAudience,
    SopVersion,
    Stage,
    StepKind,
    VersionStatus,
    other,
)
from portal.database import built_once
from portal.extensions import db
from portal.i18n import gettext as _
from portal.i18n import is_chinese, local_day_start, local_today
from portal.i18n import lazy_gettext as _l

# A yearly acknowledgement made on local day D counts on D and the 364 days after; on the
# anniversary (D + 365) the person is asked to read the SOP again.
YEARLY_DAYS = 365


# --- the version in force -----------------------------------------------------------------------
def in_force_scalar(sop_id, today, column=None):
    """SQL: the id (or another `column` name) of the version in force of the SOP `sop_id` (a
    column), found through the SOP's own versions (a few rows by the sop_id index); the SOP's
    retirement is checked by the caller."""
    v = aliased(SopVersion)
    return (
        select(getattr(v, column or "id"))
        .where(
            v.sop_id == sop_id,
            v.status == VersionStatus.APPROVED,
            v.effective_date <= today,
        )
        .order_by(v.effective_date.desc(), v.version_key.desc())
        .limit(1)
        .scalar_subquery()
    )


def current_versions_subquery(today: date | None = None):
    """(sop_id, version_id) of the version in force for every SOP: the approved version with
    the latest effective date on or before today (the highest number on a tie). `today` may be
    a bound parameter (a statement built once).

    Written as a lookup per SOP, not a window over every version: a subquery that ranks all
    versions is materialised, and the database then scans it once per SOP of the outer query
    (SQLite: 300 SOPs took 40-80 ms); this one is flattened into the outer query."""
    today = local_today() if today is None else today
    sop = aliased(Sop)
    version_id = in_force_scalar(sop.id, today)
    return (
        select(sop.id.label("sop_id"), version_id.label("version_id"))
        .where(or_(sop.retired_on.is_(None), sop.retired_on > today), version_id.is_not(None))
        .subquery()
    )


def current_version(sop: Sop, today: date | None = None) -> SopVersion | None:
    """The version in force of one SOP, with its steps."""
    return db.session.scalar(
        _current_version_statement(), {"sop_id": sop.id, "today": today or local_today()}
    )


def current_version_id(sop: Sop, today: date | None = None) -> int | None:
    """The id of the version in force of one SOP (one small query)."""
    return db.session.scalar(
        _current_version_id_statement(), {"sop_id": sop.id, "today": today or local_today()}
    )


@built_once
def _current_version_statement():
    current = current_versions_subquery(bindparam("today"))
    return (
        select(SopVersion)
        .join(current, current.c.version_id == SopVersion.id)
        .where(current.c.sop_id == bindparam("sop_id"))
        .options(selectinload(SopVersion.steps))
    )


@built_once
def _current_version_id_statement():
    current = current_versions_subquery(bindparam("today"))
    return select(current.c.version_id).where(current.c.sop_id == bindparam("sop_id"))


_UNKNOWN = object()


def stage_of(version: SopVersion, today: date | None = None, current_id=_UNKNOWN) -> Stage:
    """Where the version stands today. A caller that already read the id of the version in
    force (or None: none is) passes it as `current_id`, and no query is made."""
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
    if current_id is _UNKNOWN:
        current_id = current_version_id(sop, today)
    return Stage.EFFECTIVE if current_id == version.id else Stage.SUPERSEDED


# --- the acknowledgement baseline ---------------------------------------------------------------
def baseline_subquery(today: date | None = None):
    """(sop_id, baseline_key) for the SOPs in force: what an acknowledgement must be at least.

    The latest approved version up to the one in force that was not a minor edit (minor edits do
    not ask everyone again); the version in force itself when there is none. A lookup per SOP,
    as current_versions_subquery."""
    today = local_today() if today is None else today
    sop = aliased(Sop)
    current_key = in_force_scalar(sop.id, today, "version_key")
    v = aliased(SopVersion)
    major = (
        select(func.max(v.version_key))
        .where(
            v.sop_id == sop.id,
            v.status == VersionStatus.APPROVED,
            v.minor_edit.is_(False),
            # Two levels down, the lookup names the SOP of the outer query: said explicitly,
            # or SQLAlchemy gives it a FROM of its own and compares with any SOP in force.
            v.version_key <= current_key.correlate(sop),
        )
        .scalar_subquery()
    )
    return (
        select(sop.id.label("sop_id"), func.coalesce(major, current_key).label("baseline_key"))
        .where(or_(sop.retired_on.is_(None), sop.retired_on > today), current_key.is_not(None))
        .subquery()
    )


# --- an acknowledgement still counts ------------------------------------------------------------
def yearly_cutoff(today: date) -> datetime:
    """The first moment (UTC) of the oldest local day whose yearly acknowledgement still counts."""
    return local_day_start(today - timedelta(days=YEARLY_DAYS - 1))


def still_counts(ack, baseline_key, yearly, today: date | None, cutoff=None):
    """SQL: the acknowledgement row `ack` (SopAcknowledgement or an alias) still counts, given
    the columns of the SOP's baseline key and of its yearly flag. A statement built once passes
    `cutoff` (yearly_cutoff of the day) as a bound parameter instead of `today`."""
    cutoff = yearly_cutoff(today) if cutoff is None else cutoff
    return and_(
        ack.version_key >= baseline_key,
        or_(yearly.is_(False), ack.acknowledged_at >= cutoff),
    )


def acknowledged(user_id, sop_id, baseline_key, yearly, today: date | None, cutoff=None):
    """SQL: the person `user_id` (a column or a value) holds an acknowledgement of the SOP
    `sop_id` that still counts; `baseline_key` and `yearly` are columns, as for still_counts."""
    return exists(
        select(SopAcknowledgement.id).where(
            SopAcknowledgement.sop_id == sop_id,
            SopAcknowledgement.user_id == user_id,
            still_counts(SopAcknowledgement, baseline_key, yearly, today, cutoff),
        )
    )


# --- who is in the audience ---------------------------------------------------------------------
def in_audience(department_id, role, sop_id=Sop.id):
    """SQL: the SOP's audience names a person of this department and role (columns or values)."""
    return exists(
        select(SopAudience.id).where(
            SopAudience.sop_id == sop_id,
            or_(SopAudience.department_id.is_(None), SopAudience.department_id == department_id),
            or_(SopAudience.role.is_(None), SopAudience.role == role),
        )
    )


# --- ready for review: the languages a version must have -----------------------------------
VERSION_TEXTS = ("title", "purpose", "scope", "responsibilities", "change_summary")
STEP_PART_LABELS = {
    "text": _l("step %(n)s text"),
    "note": _l("step %(n)s note"),
    "warning": _l("step %(n)s warning"),
}


@dataclass(frozen=True)
class Gap:
    """A text the version has in one language and not in `lang`."""

    lang: str
    part: str  # a VERSION_TEXTS name, or "text" / "note" / "warning" of step `step`
    step: int | None = None

    @property
    def label(self) -> str:
        if self.step is None:
            return str(FIELD_LABELS[self.part])
        return str(STEP_PART_LABELS[self.part]) % {"n": self.step}


def translation_gaps(version: SopVersion) -> list[Gap]:
    """Every text filled in one language and empty in the other, in the order of the page:
    the version's texts, then each step's text and its note or warning."""
    gaps = []

    def check(obj, name: str, part: str, step: int | None = None) -> None:
        for lang in LANGUAGES:
            if not getattr(obj, f"{name}_{lang}") and getattr(obj, f"{name}_{other(lang)}"):
                gaps.append(Gap(lang, part, step))

    for name in VERSION_TEXTS:
        check(version, name, name)
    for step in version.steps:
        check(step, "text", "text", step.position)
        note = "warning" if step.kind == StepKind.WARNING else "note"
        check(step, "note", note, step.position)
    return gaps


@dataclass
class ReviewState:
    """What stands between a version and its review, for the version page and the refusals."""

    required: tuple[str, ...]
    gaps: list[Gap] = field(default_factory=list)
    to_update: list[tuple[int, str]] = field(default_factory=list)  # (step, language)

    def missing_in(self, lang: str) -> list[str]:
        return [gap.label for gap in self.gaps if gap.lang == lang]

    @property
    def blocking_gaps(self) -> list[Gap]:
        return [gap for gap in self.gaps if gap.lang in self.required]

    @property
    def ready(self) -> bool:
        return not self.blocking_gaps and not self.to_update

    def refusal(self) -> str:
        """Why the version cannot be sent for review or approved, in full."""
        sentences = []
        for lang in LANGUAGES:
            labels = [gap.label for gap in self.blocking_gaps if gap.lang == lang]
            if labels:
                sentences.append(
                    _(
                        "%(language)s is missing: %(texts)s.",
                        language=str(LANGUAGE_NAMES[lang]),
                        texts=join_list(labels),
                    )
                )
        for position, lang in self.to_update:
            sentences.append(
                _(
                    "Step %(n)s: the %(language)s needs updating after the %(changed)s changed. "
                    "Update it, or confirm in the editor that it is still correct.",
                    n=position,
                    language=str(LANGUAGE_NAMES[lang]),
                    changed=str(LANGUAGE_NAMES[other(lang)]),
                )
            )
        return " ".join(sentences)


def join_list(labels: list[str]) -> str:
    """A list in a sentence: joined with 、 in Chinese, with commas in English."""
    return ("、" if is_chinese() else ", ").join(labels)


def review_state(version: SopVersion, required: tuple[str, ...]) -> ReviewState:
    return ReviewState(
        required=required,
        gaps=translation_gaps(version),
        to_update=[
            (step.position, lang) for step in version.steps for lang in step.languages_to_update
        ],
    )

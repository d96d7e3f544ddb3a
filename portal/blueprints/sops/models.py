"""Standard operating procedures: controlled, versioned, bilingual documents.

An Sop is the document (number, owner department, who must read it). Each SopVersion is one
issue of it with its own bilingual texts and ordered steps. A version is written as a draft,
sent for review, approved by a manager who is not its author, and takes effect on a date; from
then on it is frozen. Which version is in force, and which are superseded, follows from the
approved versions' effective dates (see rules.current_version), so nothing has to be
switched over at midnight.

A new version is one of three kinds of change (ChangeKind): a correction (1.0 -> 1.1, staff who
acknowledged before are not asked again: minor_edit), a change (1.0 -> 1.1) or a new edition
(1.0 -> 2.0), both read again by everyone. The version in force is reviewed periodically: a
review that finds it still valid (SopReview) moves its review_date on, without a new version.

Texts are bilingual: each has an English and a Chinese column. Which languages a version must
have before it is sent for review is the property's setting (SopSettings); a step whose one
language changed alone carries a "needs updating" mark on the other until someone confirms it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.blueprints.people.models import Department, Property, User
from portal.database import UTCDateTime, utcnow
from portal.extensions import db
from portal.i18n import is_chinese
from portal.i18n import lazy_gettext as _l


class VersionStatus(enum.StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"


class Stage(enum.StrEnum):
    """What a reader needs to know about a version today (derived, never stored)."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    SCHEDULED = "scheduled"
    EFFECTIVE = "effective"
    SUPERSEDED = "superseded"
    RETIRED = "retired"

    @property
    def label(self) -> str:
        return str(STAGE_LABELS[self])


STAGE_LABELS = {
    Stage.DRAFT: _l("Draft"),
    Stage.IN_REVIEW: _l("In review"),
    Stage.SCHEDULED: _l("Approved, not yet in force"),
    Stage.EFFECTIVE: _l("In force"),
    Stage.SUPERSEDED: _l("Superseded"),
    Stage.RETIRED: _l("Retired"),
}

FIELD_LABELS = {
    "title": _l("title"),
    "purpose": _l("purpose"),
    "scope": _l("scope"),
    "responsibilities": _l("responsibilities"),
    "change_summary": _l("what changed"),
}

# The audit trail's names of what the models below add (to go with the module's other names).
AUDIT_ACTIONS = {
    "sop.settings_changed": _l("SOP library settings changed"),
    "sop.reviewed": _l("SOP reviewed, still valid"),
}
AUDIT_OBJECTS = {"sop_settings": _l("SOP library settings")}

# The two languages of every text: the suffix of its columns, and their names.
LANGUAGES = ("en", "zh")
LANGUAGE_NAMES = {"en": _l("English"), "zh": _l("Chinese")}
HTML_LANG = {"en": "en", "zh": "zh-Hans"}
# A text shown in the other language, marked in the language that was asked for ...
FALLBACK_LABELS = {
    "zh": _l("English text, no Chinese translation"),
    "en": _l("Chinese text, no English translation"),
}
# ... or, where both languages are shown, the place of the missing one.
NO_TRANSLATION_LABELS = {
    "zh": _l("No Chinese translation"),
    "en": _l("No English translation"),
}

# The bilingual texts of a version, in the order the editor shows them.
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

TEXT_MAX = 2000
STEP_MAX = 1000


def pick(obj, field: str) -> str:
    """The reader's language of a bilingual text (`field`_en, `field`_zh), else the other."""
    en = getattr(obj, f"{field}_en") or ""
    zh = getattr(obj, f"{field}_zh") or ""
    return (zh or en) if is_chinese() else (en or zh)


def other(lang: str) -> str:
    return "en" if lang == "zh" else "zh"


@dataclass(frozen=True)
class Shown:
    """A text as shown in the language asked for (`wanted`): its own text, or the other
    language's marked as such (a fallback), or nothing where the other language is shown
    beside it anyway (`missing`: say so in its place)."""

    text: str
    lang: str  # the language of `text`
    wanted: str
    missing: bool = False  # no text in `wanted`, the other language has one

    @property
    def fallback(self) -> bool:
        return bool(self.text) and self.lang != self.wanted

    @property
    def html_lang(self) -> str:
        return HTML_LANG[self.lang]

    @property
    def marker(self):
        """What to print beside a fallback or in place of a missing text (lazy: it is
        rendered in the language of the document it is printed in)."""
        if self.fallback:
            return FALLBACK_LABELS[self.wanted]
        return NO_TRANSLATION_LABELS[self.wanted] if self.missing else ""


def shown(obj, field: str, lang: str | None = None, *, fallback: bool = True) -> Shown:
    """`field` of `obj` in `lang` (default: the reader's language). Without its own text, the
    other language's (fallback=True) or an empty, `missing` text (fallback=False)."""
    lang = lang or ("zh" if is_chinese() else "en")
    own = getattr(obj, f"{field}_{lang}") or ""
    if own:
        return Shown(own, lang, lang)
    theirs = getattr(obj, f"{field}_{other(lang)}") or ""
    if theirs and fallback:
        return Shown(theirs, other(lang), lang)
    return Shown("", lang, lang, missing=bool(theirs))


class Sop(db.Model):
    __tablename__ = "sops"
    __table_args__ = (UniqueConstraint("property_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    number: Mapped[str] = mapped_column(String(16))
    yearly_ack: Mapped[bool] = mapped_column(default=False)
    retired_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    property: Mapped[Property] = relationship()
    department: Mapped[Department] = relationship()
    versions: Mapped[list[SopVersion]] = relationship(
        back_populates="sop", order_by="SopVersion.version_key"
    )
    audience: Mapped[list[SopAudience]] = relationship(
        back_populates="sop", cascade="all, delete-orphan"
    )


class SopAudience(db.Model):
    """Who must read and acknowledge an SOP: a department and/or a role (empty means all)."""

    __tablename__ = "sop_audiences"

    id: Mapped[int] = mapped_column(primary_key=True)
    sop_id: Mapped[int] = mapped_column(ForeignKey("sops.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    role: Mapped[str | None] = mapped_column(String(16))

    sop: Mapped[Sop] = relationship(back_populates="audience")
    department: Mapped[Department | None] = relationship()


class SopVersion(db.Model):
    __tablename__ = "sop_versions"
    __table_args__ = (
        UniqueConstraint("sop_id", "major", "minor"),
        Index("ix_sop_versions_status_effective", "status", "effective_date"),
        # The version in force of each SOP (rules.in_force_scalar), found by its own versions.
        Index("ix_sop_versions_in_force", "sop_id", "status", "effective_date", "version_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sop_id: Mapped[int] = mapped_column(ForeignKey("sops.id"), index=True)
    major: Mapped[int]
    minor: Mapped[int]
    version_key: Mapped[int]  # major * 1000 + minor: orders versions in SQL
    status: Mapped[str] = mapped_column(String(16), default=VersionStatus.DRAFT)
    title_en: Mapped[str] = mapped_column(String(200), default="")
    title_zh: Mapped[str] = mapped_column(String(200), default="")
    purpose_en: Mapped[str] = mapped_column(Text, default="")
    purpose_zh: Mapped[str] = mapped_column(Text, default="")
    scope_en: Mapped[str] = mapped_column(Text, default="")
    scope_zh: Mapped[str] = mapped_column(Text, default="")
    responsibilities_en: Mapped[str] = mapped_column(Text, default="")
    responsibilities_zh: Mapped[str] = mapped_column(Text, default="")
    change_summary_en: Mapped[str] = mapped_column(Text, default="")
    change_summary_zh: Mapped[str] = mapped_column(Text, default="")
    # A correction ("minor edit"): staff who acknowledged the version before are not asked
    # again (rules.baseline_subquery); the reason is recorded. Never on an x.0 version.
    minor_edit: Mapped[bool] = mapped_column(default=False)
    minor_edit_reason: Mapped[str] = mapped_column(String(500), default="")
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    effective_date: Mapped[date | None]
    # The next periodic review: set at approval, moved on by each review recorded (SopReview).
    review_date: Mapped[date | None]
    lock_version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def number(self) -> str:
        return f"{self.major}.{self.minor}"

    @property
    def title(self) -> str:
        return pick(self, "title")

    def text(self, field: str) -> str:
        return pick(self, field)

    def shown(self, field: str, lang: str | None = None, *, fallback: bool = True) -> Shown:
        return shown(self, field, lang, fallback=fallback)

    sop: Mapped[Sop] = relationship(back_populates="versions")
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    approver: Mapped[User | None] = relationship(foreign_keys=[approver_id])
    steps: Mapped[list[SopStep]] = relationship(
        back_populates="version", order_by="SopStep.position", cascade="all, delete-orphan"
    )
    # Its periodic reviews, newest first (the history shows them; see services.history_of).
    reviews: Mapped[list[SopReview]] = relationship(
        back_populates="version",
        order_by="(SopReview.reviewed_at.desc(), SopReview.id.desc())",
        viewonly=True,
    )


class ChangeKind(enum.StrEnum):
    """What a new version is, as the person writing it chooses it: the version number it gets
    and whether everyone who must read the SOP is asked to acknowledge it again."""

    CORRECTION = "correction"  # 1.0 -> 1.1, no one is asked again (minor_edit)
    CHANGE = "change"  # 1.0 -> 1.1, everyone is asked again
    EDITION = "edition"  # 1.0 -> 2.0, everyone is asked again

    @classmethod
    def of(cls, version: SopVersion) -> ChangeKind | None:
        """The kind of an existing version (None for a first version, 1.0)."""
        if version.major == 1 and version.minor == 0:
            return None
        if version.minor == 0:
            return cls.EDITION
        return cls.CORRECTION if version.minor_edit else cls.CHANGE

    @property
    def asks_again(self) -> bool:
        return self is not ChangeKind.CORRECTION


class StepKind(enum.StrEnum):
    STEP = "step"
    WARNING = "warning"


class SopStep(db.Model):
    __tablename__ = "sop_steps"
    __table_args__ = (UniqueConstraint("version_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("sop_versions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16), default=StepKind.STEP)
    key_point: Mapped[bool] = mapped_column(default=False)
    text_en: Mapped[str] = mapped_column(Text, default="")
    text_zh: Mapped[str] = mapped_column(Text, default="")
    note_en: Mapped[str] = mapped_column(Text, default="")
    note_zh: Mapped[str] = mapped_column(Text, default="")
    # The other language changed alone at a save: this one may no longer say the same.
    needs_update_en: Mapped[bool] = mapped_column(default=False)
    needs_update_zh: Mapped[bool] = mapped_column(default=False)

    version: Mapped[SopVersion] = relationship(back_populates="steps")

    @property
    def text(self) -> str:
        return pick(self, "text")

    @property
    def note(self) -> str:
        return pick(self, "note")

    @property
    def has_note(self) -> bool:
        return bool(self.note_en or self.note_zh)

    def shown(self, field: str, lang: str | None = None, *, fallback: bool = True) -> Shown:
        return shown(self, field, lang, fallback=fallback)

    def needs_update(self, lang: str) -> bool:
        return bool(getattr(self, f"needs_update_{lang}"))

    @property
    def languages_to_update(self) -> list[str]:
        return [lang for lang in LANGUAGES if self.needs_update(lang)]


class SopAcknowledgement(db.Model):
    """'I have read and understood version X': append-only."""

    __tablename__ = "sop_acknowledgements"
    __table_args__ = (
        UniqueConstraint("version_id", "user_id", "acknowledged_at"),
        Index("ix_sop_acknowledgements_user_sop", "user_id", "sop_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sop_id: Mapped[int] = mapped_column(ForeignKey("sops.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("sop_versions.id"))
    version_key: Mapped[int]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    version: Mapped[SopVersion] = relationship()
    user: Mapped[User] = relationship()


class SopReminder(db.Model):
    """A supervisor's reminder to read an SOP; shown to the person until they acknowledge."""

    __tablename__ = "sop_reminders"

    id: Mapped[int] = mapped_column(primary_key=True)
    sop_id: Mapped[int] = mapped_column(ForeignKey("sops.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reminded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reminded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SopReview(db.Model):
    """'Reviewed, still valid': a periodic review of the version in force that changes nothing
    in it but its next review date. Append-only; the version's review_date is the one that
    counts (the overdue list reads it), each review keeps the date it moved it from."""

    __tablename__ = "sop_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("sop_versions.id", ondelete="CASCADE"), index=True
    )
    reviewed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    was_due: Mapped[date | None]  # the review date before this review
    next_review: Mapped[date]
    note: Mapped[str] = mapped_column(String(500), default="")

    version: Mapped[SopVersion] = relationship(back_populates="reviews")
    reviewed_by: Mapped[User] = relationship()


class SopSettings(db.Model):
    """A property's rules for its SOP library: the languages every version must have before
    it is sent for review and approved. No row: both languages are required."""

    __tablename__ = "sop_settings"

    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"), primary_key=True)
    require_en: Mapped[bool] = mapped_column(default=True)
    require_zh: Mapped[bool] = mapped_column(default=True)

    @property
    def required_languages(self) -> tuple[str, ...]:
        return tuple(lang for lang in LANGUAGES if getattr(self, f"require_{lang}"))

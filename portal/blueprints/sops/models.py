"""Standard operating procedures: controlled, versioned, bilingual documents.

An Sop is the document (number, owner department, who must read it). Each SopVersion is one
issue of it with its own bilingual texts and ordered steps. A version is written as a draft,
sent for review, approved by a manager who is not its author, and takes effect on a date; from
then on it is frozen. Which version is in force, and which are superseded, follows from the
approved versions' effective dates (see rules.current_version), so nothing has to be
switched over at midnight.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.blueprints.people.models import Department, Property, User
from portal.database import UTCDateTime, utcnow
from portal.extensions import db
from portal.i18n import is_chinese


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


def _pick(obj, field: str) -> str:
    en = getattr(obj, f"{field}_en") or ""
    zh = getattr(obj, f"{field}_zh") or ""
    return (zh or en) if is_chinese() else (en or zh)


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
    # A minor edit does not ask staff to acknowledge again; the reason is recorded.
    minor_edit: Mapped[bool] = mapped_column(default=False)
    minor_edit_reason: Mapped[str] = mapped_column(String(500), default="")
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    effective_date: Mapped[date | None]
    review_date: Mapped[date | None]
    lock_version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def number(self) -> str:
        return f"{self.major}.{self.minor}"

    @property
    def title(self) -> str:
        return _pick(self, "title")

    def text(self, field: str) -> str:
        return _pick(self, field)

    def missing_translations(self) -> list[str]:
        """Fields filled in one language only (shown to authors and reviewers)."""
        missing = []
        for field, label in FIELD_LABELS.items():
            if bool(getattr(self, f"{field}_en")) != bool(getattr(self, f"{field}_zh")):
                missing.append(str(label))
        for step in self.steps:
            if bool(step.text_en) != bool(step.text_zh) or bool(step.note_en) != bool(step.note_zh):
                missing.append(str(_l("step %(n)s", n=step.position)))
        return missing

    sop: Mapped[Sop] = relationship(back_populates="versions")
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    approver: Mapped[User | None] = relationship(foreign_keys=[approver_id])
    steps: Mapped[list[SopStep]] = relationship(
        back_populates="version", order_by="SopStep.position", cascade="all, delete-orphan"
    )


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

    version: Mapped[SopVersion] = relationship(back_populates="steps")

    @property
    def text(self) -> str:
        return _pick(self, "text")

    @property
    def note(self) -> str:
        return _pick(self, "note")


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

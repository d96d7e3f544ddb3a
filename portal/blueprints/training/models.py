"""Training programmes, their sessions, who enrols and who attended.

Seats are counted on the session row (`seats_taken`) and change only by one conditional UPDATE
(services.enrol); attendance and scores are history: each mark is a new row pointing at the row it
corrects, and the newest row of an enrolment is the one that counts.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Numeric,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import UTCDateTime, utcnow
from portal.extensions import db
from portal.i18n import lazy_gettext as _l
from portal.i18n import localized


class Kind(enum.StrEnum):
    MONTHLY_SERVICE = "monthly_service"
    QUARTERLY_ALL_STAFF = "quarterly_all_staff"
    INDUCTION = "induction"
    SKILL_UPGRADE = "skill_upgrade"
    SOP_BRIEFING = "sop_briefing"

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self])


KIND_LABELS = {
    Kind.MONTHLY_SERVICE: _l("Monthly service training"),
    Kind.QUARTERLY_ALL_STAFF: _l("Quarterly all-staff training"),
    Kind.INDUCTION: _l("New-hire induction (one week)"),
    Kind.SKILL_UPGRADE: _l("Skill upgrade (at least three days)"),
    Kind.SOP_BRIEFING: _l("SOP briefing"),
}
# How many days a session of each kind lasts at least (local calendar days it covers).
MIN_DAYS = {Kind.INDUCTION: 5, Kind.SKILL_UPGRADE: 3}


class Method(enum.StrEnum):
    CLASSROOM = "classroom"
    ROLE_PLAY = "role_play"
    SIMULATION = "simulation"
    CASE_STUDY = "case_study"

    @property
    def label(self) -> str:
        return str(METHOD_LABELS[self])


METHOD_LABELS = {
    Method.CLASSROOM: _l("Classroom"),
    Method.ROLE_PLAY: _l("Role play"),
    Method.SIMULATION: _l("Simulation drill"),
    Method.CASE_STUDY: _l("Case study"),
}


class Cadence(enum.StrEnum):
    ONCE = "once"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"

    @property
    def label(self) -> str:
        return str(CADENCE_LABELS[self])


CADENCE_LABELS = {
    Cadence.ONCE: _l("Once"),
    Cadence.MONTHLY: _l("Every month"),
    Cadence.QUARTERLY: _l("Every quarter"),
    Cadence.YEARLY: _l("Every year"),
}


class EnrolmentStatus(enum.StrEnum):
    ENROLLED = "enrolled"
    WAITING = "waiting"
    CANCELLED = "cancelled"


class Mark(enum.StrEnum):
    PRESENT = "present"
    LATE = "late"
    ABSENT = "absent"
    EXCUSED = "excused"

    @property
    def label(self) -> str:
        return str(MARK_LABELS[self])


MARK_LABELS = {
    Mark.PRESENT: _l("Present"),
    Mark.LATE: _l("Late"),
    Mark.ABSENT: _l("Absent"),
    Mark.EXCUSED: _l("Excused"),
}
# Who took part: a score is entered for them only.
ATTENDED = (Mark.PRESENT, Mark.LATE)


programme_departments = Table(
    "training_programme_departments",
    db.metadata,
    Column(
        "programme_id",
        ForeignKey("training_programmes.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("department_id", ForeignKey("departments.id", ondelete="CASCADE"), primary_key=True),
)


# The SOPs a programme covers: a new version of one of them assigns the programme's briefing.
programme_sops = Table(
    "training_programme_sops",
    db.metadata,
    Column(
        "programme_id",
        ForeignKey("training_programmes.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("sop_id", ForeignKey("sops.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class ProgrammeRole(db.Model):
    """A role that must take the programme (with its departments: e.g. employees of HK)."""

    __tablename__ = "training_programme_roles"

    programme_id: Mapped[int] = mapped_column(
        ForeignKey("training_programmes.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(16), primary_key=True)


class Programme(db.Model):
    __tablename__ = "training_programmes"
    __table_args__ = (
        CheckConstraint(
            "pass_mark IS NULL OR (pass_mark >= 0 AND pass_mark <= 100)",
            name="ck_training_programmes_pass_mark",
        ),
        Index("ix_training_programmes_property_title", "property_id", "title_en"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    title_en: Mapped[str] = mapped_column(String(160), default="")
    title_zh: Mapped[str] = mapped_column(String(160), default="")
    kind: Mapped[str] = mapped_column(String(24))
    method: Mapped[str] = mapped_column(String(16))
    cadence: Mapped[str] = mapped_column(String(12))
    pass_mark: Mapped[int | None]
    cost_per_session: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    departments = relationship(
        "Department", secondary=programme_departments, order_by="Department.position"
    )
    roles: Mapped[list[ProgrammeRole]] = relationship(
        cascade="all, delete-orphan", order_by=ProgrammeRole.role
    )
    sops = relationship("Sop", secondary=programme_sops, order_by="Sop.number")

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def kind_enum(self) -> Kind:
        return Kind(self.kind)

    @property
    def method_enum(self) -> Method:
        return Method(self.method)

    @property
    def cadence_enum(self) -> Cadence:
        return Cadence(self.cadence)

    @property
    def role_names(self) -> list[str]:
        return [r.role for r in self.roles]

    def passes(self, score: int | None) -> bool | None:
        if self.pass_mark is None or score is None:
            return None
        return score >= self.pass_mark


class TrainingSession(db.Model):
    """One run of a programme: a room and a trainer from start to end (a multi-day course is
    one session spanning its days, so that its seats and waiting list are the course's)."""

    __tablename__ = "training_sessions"
    __table_args__ = (
        CheckConstraint("capacity >= 1", name="ck_training_sessions_capacity"),
        CheckConstraint(
            "seats_taken >= 0 AND seats_taken <= capacity", name="ck_training_sessions_seats"
        ),
        CheckConstraint("ends_at > starts_at", name="ck_training_sessions_order"),
        Index("ix_training_sessions_property_starts", "property_id", "starts_at"),
        Index("ix_training_sessions_trainer_starts", "trainer_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    programme_id: Mapped[int] = mapped_column(ForeignKey("training_programmes.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    room: Mapped[str] = mapped_column(String(80))
    trainer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    capacity: Mapped[int]
    seats_taken: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Bumped by every edit of the session (services.update_session, in the same conditional
    # UPDATE as the capacity): two people editing at once, the second is told to reload.
    version: Mapped[int] = mapped_column(default=1)

    programme: Mapped[Programme] = relationship()
    trainer = relationship("User", foreign_keys=[trainer_id])

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.seats_taken)


class Enrolment(db.Model):
    __tablename__ = "training_enrolments"
    __table_args__ = (
        UniqueConstraint("session_id", "person_id", name="uq_training_enrolments_person"),
        Index("ix_training_enrolments_person_status", "person_id", "status"),
        Index("ix_training_enrolments_session_status", "session_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(12))
    enrolled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When the person took a seat (from the waiting list: when they moved up).
    seated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    session: Mapped[TrainingSession] = relationship()
    person = relationship("User", foreign_keys=[person_id])


class Attendance(db.Model):
    """One mark of an enrolment (attendance and score together); a change is a new row that
    points at the one it corrects. The newest row of an enrolment counts."""

    __tablename__ = "training_attendance"
    __table_args__ = (
        CheckConstraint(
            "score IS NULL OR (score >= 0 AND score <= 100)", name="ck_training_attendance_score"
        ),
        Index("ix_training_attendance_enrolment", "enrolment_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("training_enrolments.id", ondelete="CASCADE")
    )
    session_id: Mapped[int] = mapped_column(
        ForeignKey("training_sessions.id", ondelete="CASCADE"), index=True
    )
    mark: Mapped[str | None] = mapped_column(String(12))
    score: Mapped[int | None]
    passed: Mapped[bool | None]
    # Unique: a row is corrected once; two supervisors correcting it at once, one wins.
    corrects_id: Mapped[int | None] = mapped_column(
        ForeignKey("training_attendance.id"), unique=True
    )
    reason: Mapped[str] = mapped_column(String(200), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    recorded_by = relationship("User", foreign_keys=[recorded_by_id])

    @property
    def mark_enum(self) -> Mark | None:
        return Mark(self.mark) if self.mark else None


class AssignmentReason(enum.StrEnum):
    HIRE = "hire"
    SOP_VERSION = "sop_version"

    @property
    def label(self) -> str:
        return str(REASON_LABELS[self])


REASON_LABELS = {
    AssignmentReason.HIRE: _l("New hire"),
    AssignmentReason.SOP_VERSION: _l("New SOP version"),
}


class Assignment(db.Model):
    """A programme someone must take once by a date, because something happened to them: they
    were hired (induction) or an SOP they follow has a new version (its briefing). Any
    completion of the programme after `assigned_at` fulfils it; the rows are history and are
    never changed. `source` names the event ("hire", "sop_version:<id>") so that the same event
    never assigns twice."""

    __tablename__ = "training_assignments"
    __table_args__ = (
        UniqueConstraint(
            "person_id", "programme_id", "source", name="uq_training_assignments_source"
        ),
        Index("ix_training_assignments_programme", "programme_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("training_programmes.id", ondelete="CASCADE")
    )
    reason: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(40))
    sop_version_id: Mapped[int | None] = mapped_column(ForeignKey("sop_versions.id"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    due_on: Mapped[date]
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    programme: Mapped[Programme] = relationship()

    @property
    def reason_enum(self) -> AssignmentReason:
        return AssignmentReason(self.reason)


DEFAULT_ANNUAL_BUDGET = Decimal("60000")


class TrainingSettings(db.Model):
    """A property's training budget for a year (no row: the usual 60,000)."""

    __tablename__ = "training_settings"
    __table_args__ = (CheckConstraint("annual_budget >= 0", name="ck_training_settings_budget"),)

    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"), primary_key=True)
    annual_budget: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=DEFAULT_ANNUAL_BUDGET)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Certificate(db.Model):
    """A certificate someone holds for a programme (first aid, food hygiene, fire warden...),
    issued by the hotel's course or an outside body, valid until its expiry date. While a
    person holds one for a programme, its newest expiry decides their standing in it (an
    expired one makes them non-compliant, whatever the courses say). Rows are history: a
    renewal is a new row."""

    __tablename__ = "training_certificates"
    __table_args__ = (
        CheckConstraint("expires_on > issued_on", name="ck_training_certificates_dates"),
        Index("ix_training_certificates_person", "person_id", "programme_id", "expires_on"),
        Index("ix_training_certificates_property_expiry", "property_id", "expires_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("training_programmes.id", ondelete="CASCADE")
    )
    number: Mapped[str] = mapped_column(String(60), default="")
    issuer: Mapped[str] = mapped_column(String(120), default="")
    issued_on: Mapped[date]
    expires_on: Mapped[date]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    person = relationship("User", foreign_keys=[person_id])
    programme: Mapped[Programme] = relationship()

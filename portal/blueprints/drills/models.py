"""Emergency plans, their drills and the roll call of each drill.

A plan is versioned: its content (scope, goals, the measures of each phase) is a new
`PlanVersion` row on every revision, never an edit; the plan row carries what the schedule needs
(how often, which shifts, the target evacuation time). A drill stores the times tapped on the
tablet (alarm, all-clear) as the server saw them, so the evacuation time is computed, never typed.
The roll call is history too: each tap is a new row and the newest row of a person counts.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import UTCDateTime, utcnow
from portal.extensions import db
from portal.i18n import lazy_gettext as _l
from portal.i18n import lazy_pgettext as pgettext  # lazy; named so that extraction finds it
from portal.i18n import localized


class PlanKind(enum.StrEnum):
    FIRE = "fire"
    NATURAL_DISASTER = "natural_disaster"
    ACCIDENT = "accident"
    PUBLIC_HEALTH = "public_health"
    INTRUDER = "intruder"
    FOOD_SAFETY = "food_safety"

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self])


KIND_LABELS = {
    PlanKind.FIRE: _l("Fire"),
    PlanKind.NATURAL_DISASTER: _l("Natural disaster"),
    PlanKind.ACCIDENT: _l("Accident"),
    PlanKind.PUBLIC_HEALTH: _l("Public-health event"),
    PlanKind.INTRUDER: _l("Intruder"),
    PlanKind.FOOD_SAFETY: _l("Food safety"),
}
KIND_ICONS = {
    PlanKind.FIRE: "fire",
    PlanKind.NATURAL_DISASTER: "tornado",
    PlanKind.ACCIDENT: "bandaid",
    PlanKind.PUBLIC_HEALTH: "heart-pulse",
    PlanKind.INTRUDER: "shield-exclamation",
    PlanKind.FOOD_SAFETY: "egg-fried",
}


class Shift(enum.StrEnum):
    MORNING = "morning"
    EVENING = "evening"
    NIGHT = "night"

    @property
    def label(self) -> str:
        return str(SHIFT_LABELS[self])


SHIFT_LABELS = {
    Shift.MORNING: _l("Morning shift"),
    Shift.EVENING: _l("Evening shift"),
    Shift.NIGHT: _l("Night shift"),
}
SHIFT_ORDER = {shift: n for n, shift in enumerate(Shift)}

# How often a plan is drilled: the local rules the issue names (quarterly on every shift as the
# US fire code asks, every six months for China's key fire-safety units, twice a year with notice
# to the fire department in Japan), and yearly for the plans no code sets a cadence for.
EVERY_MONTHS = (3, 6, 12)
EVERY_LABELS = {
    3: _l("Every quarter"),
    6: _l("Every six months"),
    12: _l("Every year"),
}

# The measures of a plan, phase by phase, in the order an emergency goes through them.
PHASES = ("warning", "response", "rescue", "recovery")
PHASE_LABELS = {
    "warning": _l("Warning"),
    "response": _l("Response"),
    "rescue": _l("Rescue"),
    "recovery": _l("Recovery"),
}


class DrillStatus(enum.StrEnum):
    PLANNED = "planned"  # on the calendar
    RUNNING = "running"  # the alarm was given; the roll call is open
    ENDED = "ended"  # all clear; the record is being written
    CLOSED = "closed"  # the record is complete and can no longer change

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


STATUS_LABELS = {
    DrillStatus.PLANNED: pgettext("drill status", "Planned"),
    DrillStatus.RUNNING: _l("Running"),
    DrillStatus.ENDED: _l("Record open"),
    DrillStatus.CLOSED: _l("Closed"),
}


class Duty(enum.StrEnum):
    """What one person does at a drill, given before the alarm."""

    FLOOR_WARDEN = "floor_warden"  # sweeps a floor or area and reports it clear
    ASSEMBLY_MARSHAL = "assembly_marshal"  # runs an assembly point
    ROLL_CALL = "roll_call"  # accounts for a department with the tablet
    FIRST_AID = "first_aid"
    LIFTS_AND_DOORS = "lifts_and_doors"  # holds lifts at ground, doors open, no re-entry
    GUEST_LIAISON = "guest_liaison"  # guides guests and visitors, checks the guest list
    OBSERVER = "observer"  # times and notes what to improve

    @property
    def label(self) -> str:
        return str(DUTY_LABELS[self])


DUTY_LABELS = {
    Duty.FLOOR_WARDEN: _l("Floor warden"),
    Duty.ASSEMBLY_MARSHAL: _l("Assembly point marshal"),
    Duty.ROLL_CALL: _l("Roll call"),
    Duty.FIRST_AID: _l("First aid"),
    Duty.LIFTS_AND_DOORS: _l("Lifts and doors"),
    Duty.GUEST_LIAISON: _l("Guest liaison"),
    Duty.OBSERVER: _l("Observer"),
}


plan_sops = Table(
    "drill_plan_sops",
    db.metadata,
    Column("plan_id", ForeignKey("drill_plans.id", ondelete="CASCADE"), primary_key=True),
    Column("sop_id", ForeignKey("sops.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class PlanShift(db.Model):
    """A shift that must drill the plan on its own (every one named here, at the plan's cadence)."""

    __tablename__ = "drill_plan_shifts"

    plan_id: Mapped[int] = mapped_column(
        ForeignKey("drill_plans.id", ondelete="CASCADE"), primary_key=True
    )
    shift: Mapped[str] = mapped_column(String(12), primary_key=True)


class Plan(db.Model):
    __tablename__ = "drill_plans"
    __table_args__ = (
        UniqueConstraint("property_id", "code", name="uq_drill_plans_code"),
        CheckConstraint("every_months IN (3, 6, 12)", name="ck_drill_plans_every"),
        CheckConstraint(
            "target_seconds IS NULL OR (target_seconds > 0 AND target_seconds <= 7200)",
            name="ck_drill_plans_target",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"), index=True)
    code: Mapped[str] = mapped_column(String(24))
    kind: Mapped[str] = mapped_column(String(20))
    every_months: Mapped[int] = mapped_column(default=3)
    # Japan: the fire department is told before each drill; the record then says when.
    notice_required: Mapped[bool] = mapped_column(default=False)
    target_seconds: Mapped[int | None]
    current_number: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    shifts: Mapped[list[PlanShift]] = relationship(
        cascade="all, delete-orphan", order_by=PlanShift.shift
    )
    sops = relationship("Sop", secondary=plan_sops, order_by="Sop.number")
    versions: Mapped[list[PlanVersion]] = relationship(
        back_populates="plan", order_by="PlanVersion.number.desc()", cascade="all"
    )

    @property
    def kind_enum(self) -> PlanKind:
        return PlanKind(self.kind)

    @property
    def shift_list(self) -> list[Shift]:
        return sorted((Shift(s.shift) for s in self.shifts), key=SHIFT_ORDER.get)

    @property
    def every_label(self) -> str:
        return str(EVERY_LABELS[self.every_months])


class PlanVersion(db.Model):
    """What a plan says, as of one revision (each revision a new row; the newest is in force)."""

    __tablename__ = "drill_plan_versions"
    __table_args__ = (UniqueConstraint("plan_id", "number", name="uq_drill_plan_versions_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("drill_plans.id", ondelete="CASCADE"))
    number: Mapped[int]
    title_en: Mapped[str] = mapped_column(String(160), default="")
    title_zh: Mapped[str] = mapped_column(String(160), default="")
    scope_en: Mapped[str] = mapped_column(Text, default="")
    scope_zh: Mapped[str] = mapped_column(Text, default="")
    goals_en: Mapped[str] = mapped_column(Text, default="")
    goals_zh: Mapped[str] = mapped_column(Text, default="")
    warning_en: Mapped[str] = mapped_column(Text, default="")
    warning_zh: Mapped[str] = mapped_column(Text, default="")
    response_en: Mapped[str] = mapped_column(Text, default="")
    response_zh: Mapped[str] = mapped_column(Text, default="")
    rescue_en: Mapped[str] = mapped_column(Text, default="")
    rescue_zh: Mapped[str] = mapped_column(Text, default="")
    recovery_en: Mapped[str] = mapped_column(Text, default="")
    recovery_zh: Mapped[str] = mapped_column(Text, default="")
    change_note: Mapped[str] = mapped_column(String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    plan: Mapped[Plan] = relationship(back_populates="versions")
    created_by = relationship("User", foreign_keys=[created_by_id])

    @property
    def title(self) -> str:
        return localized(self, "title")

    def text(self, field: str) -> str:
        return localized(self, field)

    def phases(self) -> list[tuple[str, str]]:
        """(label, text) of each phase, in the screen's language."""
        return [(str(PHASE_LABELS[p]), localized(self, p)) for p in PHASES]


class Drill(db.Model):
    __tablename__ = "drills"
    __table_args__ = (
        CheckConstraint(
            "all_clear_at IS NULL OR (alarm_at IS NOT NULL AND all_clear_at > alarm_at)",
            name="ck_drills_order",
        ),
        CheckConstraint(
            "staff_count >= 0 AND guest_count >= 0 AND visitor_count >= 0 "
            "AND contractor_count >= 0 AND staff_on_duty >= 0 AND staff_taking_part >= 0 "
            "AND evacuated_count >= 0",
            name="ck_drills_counts",
        ),
        Index("ix_drills_property_planned", "property_id", "planned_on"),
        Index("ix_drills_plan_shift_alarm", "plan_id", "shift", "alarm_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    plan_id: Mapped[int] = mapped_column(ForeignKey("drill_plans.id"))
    # The plan as it stood when the drill ran (the newest version when it was scheduled, until
    # the alarm is given).
    plan_version_id: Mapped[int] = mapped_column(ForeignKey("drill_plan_versions.id"))
    shift: Mapped[str] = mapped_column(String(12))
    planned_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(10), default=DrillStatus.PLANNED)
    alarm_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    all_clear_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    led_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The record (fire-code fields).
    alert_method: Mapped[str] = mapped_column(String(200), default="")
    alarm_audible: Mapped[bool | None]
    exits_used: Mapped[str] = mapped_column(String(300), default="")
    staff_count: Mapped[int] = mapped_column(default=0)
    guest_count: Mapped[int] = mapped_column(default=0)
    visitor_count: Mapped[int] = mapped_column(default=0)
    contractor_count: Mapped[int] = mapped_column(default=0)
    staff_on_duty: Mapped[int] = mapped_column(default=0)
    staff_taking_part: Mapped[int] = mapped_column(default=0)
    evacuated_count: Mapped[int] = mapped_column(default=0)
    special_conditions: Mapped[str] = mapped_column(Text, default="")
    weather: Mapped[str] = mapped_column(String(120), default="")
    problems: Mapped[str] = mapped_column(Text, default="")
    strengths: Mapped[str] = mapped_column(Text, default="")
    improvements: Mapped[str] = mapped_column(Text, default="")
    notice_given_on: Mapped[date | None]
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    plan: Mapped[Plan] = relationship()
    plan_version: Mapped[PlanVersion] = relationship()
    led_by = relationship("User", foreign_keys=[led_by_id])
    closed_by = relationship("User", foreign_keys=[closed_by_id])

    @property
    def status_enum(self) -> DrillStatus:
        return DrillStatus(self.status)

    @property
    def shift_enum(self) -> Shift:
        return Shift(self.shift)

    @property
    def evacuation_time(self) -> timedelta | None:
        """From the alarm to the all-clear, as the server recorded both taps."""
        if self.alarm_at is None or self.all_clear_at is None:
            return None
        return self.all_clear_at - self.alarm_at

    @property
    def head_count(self) -> int:
        return self.staff_count + self.guest_count + self.visitor_count + self.contractor_count

    def within_target(self) -> bool | None:
        took = self.evacuation_time
        target = self.plan.target_seconds
        if took is None or target is None:
            return None
        return took.total_seconds() <= target


class RollCall(db.Model):
    """One tap of the roll call: a person accounted for (or, tapped again, not after all)."""

    __tablename__ = "drill_roll_calls"
    __table_args__ = (Index("ix_drill_roll_calls_drill_person", "drill_id", "person_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    drill_id: Mapped[int] = mapped_column(ForeignKey("drills.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    accounted: Mapped[bool]
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ActionStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"  # the owner says it is done
    VERIFIED = "verified"  # security checked it (someone other than who did it)

    @property
    def label(self) -> str:
        return str(ACTION_LABELS[self])


ACTION_LABELS = {
    ActionStatus.OPEN: _l("Open"),
    ActionStatus.DONE: _l("Done, to verify"),
    ActionStatus.VERIFIED: _l("Verified"),
}


class CorrectiveAction(db.Model):
    """What a drill showed must change, with an owner and a due day, tracked until verified.
    Each step is one conditional UPDATE from the step before (a double tap applies once)."""

    __tablename__ = "drill_actions"
    __table_args__ = (
        Index("ix_drill_actions_property_status_due", "property_id", "status", "due_on"),
        Index("ix_drill_actions_owner_status", "owner_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    drill_id: Mapped[int] = mapped_column(ForeignKey("drills.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    due_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(10), default=ActionStatus.OPEN)
    done_note: Mapped[str] = mapped_column(String(500), default="")
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    drill: Mapped[Drill] = relationship()
    owner = relationship("User", foreign_keys=[owner_id])
    done_by = relationship("User", foreign_keys=[done_by_id])
    verified_by = relationship("User", foreign_keys=[verified_by_id])

    @property
    def status_enum(self) -> ActionStatus:
        return ActionStatus(self.status)

    def overdue(self, today: date) -> bool:
        return self.status == ActionStatus.OPEN and self.due_on < today


class DrillRole(db.Model):
    """Who does what at one drill (a floor warden for level 3, the marshal of the car-park
    assembly point), set by security before the alarm. One duty per person per drill."""

    __tablename__ = "drill_roles"
    __table_args__ = (
        UniqueConstraint("drill_id", "person_id", name="uq_drill_roles_person"),
        Index("ix_drill_roles_person", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    drill_id: Mapped[int] = mapped_column(ForeignKey("drills.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    duty: Mapped[str] = mapped_column(String(20))
    area: Mapped[str] = mapped_column(String(120), default="")
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    person = relationship("User", foreign_keys=[person_id])

    @property
    def duty_enum(self) -> Duty:
        return Duty(self.duty)


class Amendment(db.Model):
    """One field of a closed drill record corrected after closing: the value it had, the value
    it has now, who, when and why. Rows are only ever added; the drill row keeps what was
    closed."""

    __tablename__ = "drill_amendments"

    id: Mapped[int] = mapped_column(primary_key=True)
    drill_id: Mapped[int] = mapped_column(ForeignKey("drills.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(40))
    before: Mapped[object | None] = mapped_column(JSON)
    after: Mapped[object | None] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(String(500))
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    by = relationship("User", foreign_keys=[by_id])


class Severity(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def label(self) -> str:
        return str(SEVERITY_LABELS[self])

    @property
    def short(self) -> str:
        return str(SEVERITY_SHORT[self])


SEVERITY_LABELS = {
    Severity.LOW: _l("Low: no harm, no loss"),
    Severity.MEDIUM: _l("Medium: minor harm or loss"),
    Severity.HIGH: _l("High: someone hurt, or a serious loss"),
    Severity.CRITICAL: _l("Critical: life in danger, police or fire service called"),
}
SEVERITY_SHORT = {
    Severity.LOW: pgettext("severity", "Low"),
    Severity.MEDIUM: pgettext("severity", "Medium"),
    Severity.HIGH: pgettext("severity", "High"),
    Severity.CRITICAL: pgettext("severity", "Critical"),
}
SEVERITY_BADGES = {
    Severity.LOW: "text-bg-secondary",
    Severity.MEDIUM: "text-bg-warning",
    Severity.HIGH: "text-bg-danger",
    Severity.CRITICAL: "text-bg-danger",
}


class IncidentStatus(enum.StrEnum):
    REPORTED = "reported"
    IN_HAND = "in_hand"  # security has triaged it and is dealing with it
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return str(INCIDENT_STATUS_LABELS[self])


INCIDENT_STATUS_LABELS = {
    IncidentStatus.REPORTED: _l("Reported"),
    IncidentStatus.IN_HAND: _l("In hand"),
    IncidentStatus.CLOSED: _l("Closed"),
}


class Incident(db.Model):
    """A security incident any employee reports; security triages it (its severity, a note)
    and closes it with the actions taken, and may name a plan the incident shows must change."""

    __tablename__ = "security_incidents"
    __table_args__ = (
        Index("ix_security_incidents_property_status", "property_id", "status", "occurred_at"),
        Index("ix_security_incidents_reporter", "reported_by_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    location: Mapped[str] = mapped_column(String(120))
    what: Mapped[str] = mapped_column(Text)
    involved: Mapped[str] = mapped_column(Text, default="")
    severity: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default=IncidentStatus.REPORTED)
    reported_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    triage_note: Mapped[str] = mapped_column(Text, default="")
    triaged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    triaged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    actions_taken: Mapped[str] = mapped_column(Text, default="")
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("drill_plans.id"))

    reported_by = relationship("User", foreign_keys=[reported_by_id])
    triaged_by = relationship("User", foreign_keys=[triaged_by_id])
    closed_by = relationship("User", foreign_keys=[closed_by_id])
    plan = relationship("Plan")

    @property
    def severity_enum(self) -> Severity:
        return Severity(self.severity)

    @property
    def status_enum(self) -> IncidentStatus:
        return IncidentStatus(self.status)


class PlanRead(db.Model):
    """Someone confirmed they have read a version of a plan. The version in force asks everyone
    of the property, so a revision (after a drill, or an incident) asks everyone again."""

    __tablename__ = "drill_plan_reads"
    __table_args__ = (
        UniqueConstraint("plan_version_id", "person_id", name="uq_drill_plan_reads_person"),
        Index("ix_drill_plan_reads_person", "person_id", "plan_version_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_version_id: Mapped[int] = mapped_column(
        ForeignKey("drill_plan_versions.id", ondelete="CASCADE")
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    read_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

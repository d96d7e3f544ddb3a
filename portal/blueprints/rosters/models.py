"""Rooms, the day's cleaning roster, each cleaning with its checklist ticks, and inspections.

A room carries its status now (dirty -> cleaning -> clean -> inspected) and `changed_at`, which
moves on every change the board shows (status, who is on it, rush), so the board's poll knows
with one indexed query whether anything changed. History is rows that are only added: a
cleaning per attempt (a re-clean is a new cleaning marked as such), a tick per checklist step,
an inspection per cleaning. The checklist is the one of the guest-room cleaning SOP in force when
the cleaning started (its version is kept on the cleaning), or the portal's own steps when the
property has none.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import UTCDateTime, utcnow
from portal.extensions import db
from portal.i18n import lazy_gettext as _l
from portal.i18n import lazy_pgettext as pgettext  # lazy; named so that extraction finds it
from portal.i18n import localized


class RoomStatus(enum.StrEnum):
    DIRTY = "dirty"
    CLEANING = "cleaning"
    CLEAN = "clean"
    INSPECTED = "inspected"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


STATUS_LABELS = {
    RoomStatus.DIRTY: pgettext("room status", "Dirty"),
    RoomStatus.CLEANING: pgettext("room status", "Cleaning"),
    RoomStatus.CLEAN: pgettext("room status", "Clean"),
    RoomStatus.INSPECTED: pgettext("room status", "Inspected"),
}


class Occupancy(enum.StrEnum):
    """What the room needs today, as front office says: its credits differ."""

    DEPARTURE = "departure"
    STAYOVER = "stayover"
    VACANT = "vacant"

    @property
    def label(self) -> str:
        return str(OCCUPANCY_LABELS[self])


OCCUPANCY_LABELS = {
    Occupancy.DEPARTURE: _l("Departure"),
    Occupancy.STAYOVER: _l("Stay-over"),
    Occupancy.VACANT: _l("Vacant"),
}


class Deferral(enum.StrEnum):
    """Why an attendant could not clean an assigned room now: it goes to the end of the list."""

    DND = "dnd"
    NO_SERVICE = "no_service"
    REFUSED = "refused"

    @property
    def label(self) -> str:
        return str(DEFERRAL_LABELS[self])


DEFERRAL_LABELS = {
    Deferral.DND: _l("Do not disturb"),
    Deferral.NO_SERVICE: _l("No service wanted"),
    Deferral.REFUSED: _l("Guest refused service"),
}


class Outcome(enum.StrEnum):
    """One inspection item: the checklist step as the inspector found it."""

    PASS = "pass"  # noqa: S105 - an inspection mark, not a secret
    FAIL = "fail"
    NA = "na"

    @property
    def label(self) -> str:
        return str(OUTCOME_LABELS[self])


OUTCOME_LABELS = {
    Outcome.PASS: pgettext("inspection item", "Pass"),
    Outcome.FAIL: pgettext("inspection item", "Fail"),
    Outcome.NA: pgettext("inspection item", "Not applicable"),
}


class Policy(enum.StrEnum):
    """How an attendant's rooms are inspected, as leading housekeeping systems do it."""

    EVERY = "every"  # every room is inspected
    SAMPLE = "sample"  # every Nth room; the others are released as inspected
    SELF = "self"  # a trusted self-checker: their rooms go straight to inspected

    @property
    def label(self) -> str:
        return str(POLICY_LABELS[self])


POLICY_LABELS = {
    Policy.EVERY: _l("Every room inspected"),
    Policy.SAMPLE: _l("Every Nth room inspected"),
    Policy.SELF: _l("Trusted self-checker"),
}


class Release(enum.StrEnum):
    """How a clean room became inspected without an inspection."""

    SELF = "self"
    SAMPLE = "sample"
    SKIPPED = "skipped"


RELEASE_LABELS = {
    Release.SELF: _l("Released by a trusted self-checker"),
    Release.SAMPLE: _l("Released, not in the inspection sample"),
    Release.SKIPPED: _l("Released by an inspector with a reason"),
}


class SkipReason(enum.StrEnum):
    """The coded reasons an inspector may release a room without inspecting it."""

    GUEST_WAITING = "guest_waiting"
    CHECKED_DURING = "checked_during"
    SHORT_STAFFED = "short_staffed"

    @property
    def label(self) -> str:
        return str(SKIP_LABELS[self])


SKIP_LABELS = {
    SkipReason.GUEST_WAITING: _l("A guest is waiting at the desk"),
    SkipReason.CHECKED_DURING: _l("Checked while it was being cleaned"),
    SkipReason.SHORT_STAFFED: _l("No inspector free on this shift"),
}


class RoomType(db.Model):
    __tablename__ = "room_types"
    __table_args__ = (UniqueConstraint("property_id", "code", name="uq_room_types_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"), index=True)
    code: Mapped[str] = mapped_column(String(16))
    name_en: Mapped[str] = mapped_column(String(80))
    name_zh: Mapped[str] = mapped_column(String(80))
    # Workload credits by what the room needs today (a departure takes longest).
    credits_departure: Mapped[Decimal] = mapped_column(Numeric(4, 1), default=Decimal("1.5"))
    credits_stayover: Mapped[Decimal] = mapped_column(Numeric(4, 1), default=Decimal("1.0"))
    credits_vacant: Mapped[Decimal] = mapped_column(Numeric(4, 1), default=Decimal("0.3"))
    # A stay-over room's full linen change every this many occupied nights.
    linen_every_nights: Mapped[int] = mapped_column(default=3)

    @property
    def name(self) -> str:
        return localized(self)

    def credits(self, occupancy: str) -> Decimal:
        return getattr(self, f"credits_{occupancy}")


class Room(db.Model):
    __tablename__ = "rooms"
    __table_args__ = (
        UniqueConstraint("property_id", "number", name="uq_rooms_number"),
        Index("ix_rooms_board", "property_id", "floor", "number"),
        Index("ix_rooms_changed", "property_id", "changed_at"),
        CheckConstraint("status IN ('dirty', 'cleaning', 'clean', 'inspected')", "status"),
        CheckConstraint("occupancy IN ('departure', 'stayover', 'vacant')", "occupancy"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    number: Mapped[str] = mapped_column(String(8))
    floor: Mapped[int]
    room_type_id: Mapped[int] = mapped_column(ForeignKey("room_types.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=RoomStatus.DIRTY)
    occupancy: Mapped[str] = mapped_column(String(12), default=Occupancy.VACANT)
    occupied_nights: Mapped[int] = mapped_column(default=0)
    rush: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    room_type: Mapped[RoomType] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def status_enum(self) -> RoomStatus:
        return RoomStatus(self.status)

    @property
    def occupancy_enum(self) -> Occupancy:
        return Occupancy(self.occupancy)


class RosterSettings(db.Model):
    """A property's rosters settings: which SOP is the guest-room cleaning checklist."""

    __tablename__ = "roster_settings"

    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"), primary_key=True)
    cleaning_sop_id: Mapped[int | None] = mapped_column(ForeignKey("sops.id"))


class Assignment(db.Model):
    """A room on an attendant's list for one day. One attendant per room and day."""

    __tablename__ = "room_assignments"
    __table_args__ = (
        UniqueConstraint("day", "room_id", name="uq_room_assignments_room"),
        Index("ix_room_assignments_attendant", "attendant_id", "day"),
        Index("ix_room_assignments_day", "property_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    day: Mapped[date]
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id"))
    attendant_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    position: Mapped[int] = mapped_column(default=0)
    occupancy: Mapped[str] = mapped_column(String(12))  # as it was when assigned: the credits
    credits: Mapped[Decimal] = mapped_column(Numeric(4, 1))
    linen_change: Mapped[bool] = mapped_column(default=False)
    deferral: Mapped[str | None] = mapped_column(String(12))
    deferred_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    room: Mapped[Room] = relationship()
    attendant = relationship("User", foreign_keys=[attendant_id])

    @property
    def occupancy_enum(self) -> Occupancy:
        return Occupancy(self.occupancy)

    @property
    def deferral_enum(self) -> Deferral | None:
        return Deferral(self.deferral) if self.deferral else None


class Cleaning(db.Model):
    """One attempt at cleaning a room: started, its steps ticked, finished. A failed
    inspection sends the room back to the same attendant, whose next attempt is a re-clean."""

    __tablename__ = "room_cleanings"
    __table_args__ = (
        Index("ix_room_cleanings_room", "room_id", "started_at"),
        Index("ix_room_cleanings_attendant", "attendant_id", "day"),
        Index("ix_room_cleanings_day", "property_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id"))
    day: Mapped[date]
    attendant_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    sop_version_id: Mapped[int | None] = mapped_column(ForeignKey("sop_versions.id"))
    steps: Mapped[int]  # how many checklist steps it had when it started
    reclean: Mapped[bool] = mapped_column(default=False)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Made inspected without an inspection: by the attendant's policy (self, sample) or by an
    # inspector with a coded reason (skipped).
    released: Mapped[str | None] = mapped_column(String(12))
    release_reason: Mapped[str | None] = mapped_column(String(20))
    released_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    room: Mapped[Room] = relationship()
    attendant = relationship("User", foreign_keys=[attendant_id])
    ticks: Mapped[list[CleaningTick]] = relationship(
        order_by="CleaningTick.position", cascade="all, delete-orphan"
    )
    inspection: Mapped[Inspection | None] = relationship(back_populates="cleaning")

    @property
    def minutes(self) -> int | None:
        if self.finished_at is None:
            return None
        return max(0, round((self.finished_at - self.started_at).total_seconds() / 60))


class InspectionPolicy(db.Model):
    """An attendant's inspection policy (no row: every room inspected)."""

    __tablename__ = "room_inspection_policies"
    __table_args__ = (
        UniqueConstraint("attendant_id", name="uq_room_inspection_policies_attendant"),
        CheckConstraint("rule IN ('every', 'sample', 'self')", "rule"),
        CheckConstraint("every_n BETWEEN 2 AND 20", "every_n"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"), index=True)
    attendant_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    rule: Mapped[str] = mapped_column(String(8), default=Policy.EVERY)
    every_n: Mapped[int] = mapped_column(default=3)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def rule_enum(self) -> Policy:
        return Policy(self.rule)


class CleaningTick(db.Model):
    """A checklist step done, as the attendant ticked it (once per step)."""

    __tablename__ = "room_cleaning_ticks"
    __table_args__ = (UniqueConstraint("cleaning_id", "position", name="uq_room_ticks_step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cleaning_id: Mapped[int] = mapped_column(ForeignKey("room_cleanings.id", ondelete="CASCADE"))
    position: Mapped[int]
    ticked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Inspection(db.Model):
    """A supervisor's inspection of one cleaning: each checklist step pass, fail or not
    applicable; the score is passed / (passed + failed). One per cleaning."""

    __tablename__ = "room_inspections"
    __table_args__ = (
        UniqueConstraint("cleaning_id", name="uq_room_inspections_cleaning"),
        Index("ix_room_inspections_day", "property_id", "inspected_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    cleaning_id: Mapped[int] = mapped_column(ForeignKey("room_cleanings.id"))
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id"), index=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    inspected_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    passed: Mapped[bool]
    score: Mapped[Decimal] = mapped_column(Numeric(5, 2))  # percent
    items: Mapped[dict] = mapped_column(
        JSON, default=dict
    )  # {"3": "fail", "7": "na"}; pass omitted
    note: Mapped[str] = mapped_column(Text, default="")

    cleaning: Mapped[Cleaning] = relationship(back_populates="inspection")
    inspector = relationship("User", foreign_keys=[inspector_id])

    @property
    def failed_positions(self) -> list[int]:
        return sorted(int(k) for k, v in (self.items or {}).items() if v == Outcome.FAIL)


class FoundItem(db.Model):
    """Something a guest left behind, found in a room: kept at the housekeeping desk until it
    is returned (to whom, when) or, after the keeping period, disposed of."""

    __tablename__ = "room_found_items"
    __table_args__ = (
        Index("ix_room_found_items_property", "property_id", "found_at"),
        CheckConstraint("status IN ('kept', 'returned', 'disposed')", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id"))
    cleaning_id: Mapped[int | None] = mapped_column(ForeignKey("room_cleanings.id"))
    description: Mapped[str] = mapped_column(String(300))
    found_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    found_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(10), default="kept")
    closed_note: Mapped[str] = mapped_column(String(300), default="")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    room: Mapped[Room] = relationship()
    found_by = relationship("User", foreign_keys=[found_by_id])


class Defect(db.Model):
    """Something broken in a room, reported while cleaning: on engineering's list until fixed."""

    __tablename__ = "room_defects"
    __table_args__ = (
        Index("ix_room_defects_open", "property_id", "fixed_at"),
        Index("ix_room_defects_room", "room_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id"))
    cleaning_id: Mapped[int | None] = mapped_column(ForeignKey("room_cleanings.id"))
    description: Mapped[str] = mapped_column(String(300))
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reported_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    fixed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    fixed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    fix_note: Mapped[str] = mapped_column(String(300), default="")

    room: Mapped[Room] = relationship()
    reported_by = relationship("User", foreign_keys=[reported_by_id])


class AreaKind(enum.StrEnum):
    LOBBY = "lobby"
    CORRIDOR = "corridor"
    RESTROOM = "restroom"
    RESTAURANT = "restaurant"
    MEETING_ROOM = "meeting_room"
    GYM = "gym"
    POOL = "pool"
    SPA_ROOM = "spa_room"
    BUSINESS_CENTRE = "business_centre"

    @property
    def label(self) -> str:
        return str(AREA_LABELS[self])


AREA_LABELS = {
    AreaKind.LOBBY: _l("Lobby"),
    AreaKind.CORRIDOR: _l("Corridor"),
    AreaKind.RESTROOM: _l("Restroom"),
    AreaKind.RESTAURANT: _l("Restaurant"),
    AreaKind.MEETING_ROOM: _l("Meeting room"),
    AreaKind.GYM: _l("Gym"),
    AreaKind.POOL: _l("Pool"),
    AreaKind.SPA_ROOM: _l("Spa room"),
    AreaKind.BUSINESS_CENTRE: _l("Business centre"),
}


class Area(db.Model):
    """A public area and how often it is cleaned: every so many minutes (restrooms every two
    hours), or after each service (the restaurant's disinfection)."""

    __tablename__ = "public_areas"
    __table_args__ = (
        UniqueConstraint("property_id", "code", name="uq_public_areas_code"),
        CheckConstraint("every_minutes IS NULL OR every_minutes BETWEEN 15 AND 10080", "every"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"), index=True)
    code: Mapped[str] = mapped_column(String(16))
    name_en: Mapped[str] = mapped_column(String(120))
    name_zh: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    floor: Mapped[int | None]
    every_minutes: Mapped[int | None]  # None: after each service
    active: Mapped[bool] = mapped_column(default=True)

    @property
    def name(self) -> str:
        return localized(self)

    @property
    def kind_enum(self) -> AreaKind:
        return AreaKind(self.kind)


class AreaRound(db.Model):
    """One cleaning of a public area, as the attendant tapped it done (rows only added)."""

    __tablename__ = "public_area_rounds"
    __table_args__ = (Index("ix_public_area_rounds_area", "area_id", "done_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("public_areas.id"))
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    done_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    done_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(String(300), default="")


class AreaAssignment(db.Model):
    """A public area on an attendant's list for one day (one attendant per area and day)."""

    __tablename__ = "public_area_assignments"
    __table_args__ = (
        UniqueConstraint("day", "area_id", name="uq_public_area_assignments_area"),
        Index("ix_public_area_assignments_attendant", "attendant_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    day: Mapped[date]
    area_id: Mapped[int] = mapped_column(ForeignKey("public_areas.id"))
    attendant_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    area: Mapped[Area] = relationship()
    attendant = relationship("User", foreign_keys=[attendant_id])

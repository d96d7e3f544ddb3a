"""Properties, departments and people (who are also the portal's users)."""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import JSON, Column, ForeignKey, Index, String, Table, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from portal.database import UTCDateTime, utcnow
from portal.extensions import db
from portal.i18n import lazy_gettext as _l
from portal.i18n import localized
from portal.roles import ROLE_LABELS, Role  # noqa: F401 - part of the people API


class Grade(enum.StrEnum):
    """The service career ladder."""

    JUNIOR = "junior"
    SENIOR = "senior"
    SUPERVISOR = "supervisor"
    MANAGER = "manager"

    @property
    def label(self) -> str:
        return str(GRADE_LABELS[self])


GRADE_LABELS = {
    Grade.JUNIOR: _l("Junior service specialist"),
    Grade.SENIOR: _l("Senior service specialist"),
    Grade.SUPERVISOR: _l("Service supervisor"),
    Grade.MANAGER: _l("Service manager"),
}


class PropertyKind(enum.StrEnum):
    HOTEL = "hotel"
    CLUBHOUSE = "clubhouse"
    SPA = "spa"

    @property
    def label(self) -> str:
        return str(PROPERTY_KIND_LABELS[self])


PROPERTY_KIND_LABELS = {
    PropertyKind.HOTEL: _l("Hotel"),
    PropertyKind.CLUBHOUSE: _l("Members' clubhouse"),
    PropertyKind.SPA: _l("Spa"),
}


class Property(db.Model):
    __tablename__ = "properties"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name_en: Mapped[str] = mapped_column(String(120))
    name_zh: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16), default=PropertyKind.HOTEL)

    departments: Mapped[list[Department]] = relationship(
        back_populates="property", order_by="Department.position"
    )

    @property
    def name(self) -> str:
        return localized(self)

    def __repr__(self) -> str:
        return f"<Property {self.code}>"


class Department(db.Model):
    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("property_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"), index=True)
    code: Mapped[str] = mapped_column(String(16))
    name_en: Mapped[str] = mapped_column(String(120))
    name_zh: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)

    @property
    def name(self) -> str:
        return localized(self)

    def __repr__(self) -> str:
        return f"<Department {self.code}@{self.property_id}>"

    # Declared after the methods: the name `property` would hide the builtin above it.
    property: Mapped[Property] = relationship(back_populates="departments")


class JobTitle(db.Model):
    """One of the hotel's own positions in a department (Room attendant, Front desk agent), on a
    grade of the career ladder. HR keeps the list; a title someone holds or held is retired,
    never deleted (`assigned` says whether anyone ever held it)."""

    __tablename__ = "job_titles"

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    title_en: Mapped[str] = mapped_column(String(120), default="")
    title_zh: Mapped[str] = mapped_column(String(120), default="")
    grade: Mapped[str] = mapped_column(String(16), default=Grade.JUNIOR)
    assigned: Mapped[bool] = mapped_column(default=False)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    department: Mapped[Department] = relationship()

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def grade_enum(self) -> Grade:
        return Grade(self.grade)

    @property
    def retired(self) -> bool:
        return self.retired_at is not None

    def __repr__(self) -> str:
        return f"<JobTitle {self.title_en or self.title_zh}@{self.department_id}>"


class KeptSecret(db.Model):
    """A PIN or first password typed on a person form that was refused for another field: kept
    hashed (as it would be stored on the person), for that one form and that editor only, for a
    few minutes, so that nobody types it again and it never travels back in the page."""

    __tablename__ = "kept_secrets"

    form_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)  # "pin" or "password"
    editor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


def hash_secret(secret: str) -> str:
    """The production hash of a PIN or password, each with its own random salt."""
    return generate_password_hash(secret)


supervised_departments = Table(
    "supervised_departments",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("department_id", ForeignKey("departments.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, db.Model):
    """A member of staff. Employees sign in with staff number and PIN, others with a password."""

    __tablename__ = "users"
    __table_args__ = (
        UniqueConstraint("property_id", "staff_no"),
        Index("ix_users_property_active_name", "property_id", "active", "name_en"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    job_title_id: Mapped[int | None] = mapped_column(ForeignKey("job_titles.id"), index=True)
    staff_no: Mapped[str] = mapped_column(String(16))
    username: Mapped[str | None] = mapped_column(String(40), unique=True)
    name_en: Mapped[str] = mapped_column(String(120), default="")
    name_zh: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(16), default=Role.EMPLOYEE)
    grade: Mapped[str] = mapped_column(String(16), default=Grade.JUNIOR)
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(32))
    hire_date: Mapped[date | None]
    locale: Mapped[str | None] = mapped_column(String(10))
    active: Mapped[bool] = mapped_column(default=True)
    pin_hash: Mapped[str | None] = mapped_column(String(256))
    password_hash: Mapped[str | None] = mapped_column(String(256))
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When and by whom the account got its current role (on creation and on a role change).
    role_granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    role_granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    # --- identity -------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return localized(self)

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def grade_enum(self) -> Grade:
        return Grade(self.grade)

    @property
    def title_label(self) -> str:
        """The person's job title; their grade on the ladder when they hold no title yet."""
        return self.job_title.title if self.job_title is not None else self.grade_enum.label

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def is_locked(self, now: datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or utcnow())

    # --- secrets ----------------------------------------------------------------------------
    def set_pin(self, pin: str) -> None:
        self.pin_hash = hash_secret(pin)

    def check_pin(self, pin: str) -> bool:
        return bool(self.pin_hash) and check_password_hash(self.pin_hash, pin)

    def set_password(self, password: str) -> None:
        self.password_hash = hash_secret(password)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.staff_no}@{self.property_id}>"

    # Declared after the methods: the name `property` would hide the builtin above it.
    property: Mapped[Property] = relationship()
    department: Mapped[Department | None] = relationship()
    job_title: Mapped[JobTitle | None] = relationship()
    supervises: Mapped[list[Department]] = relationship(
        secondary=supervised_departments, order_by="Department.position"
    )


def departments_for(property_id: int) -> list[Department]:
    return list(
        db.session.scalars(
            select(Department)
            .where(Department.property_id == property_id)
            .order_by(Department.position)
        )
    )


class PeopleImport(db.Model):
    """A staff list uploaded for import: its rows as read (text by field), kept until someone
    imports it (`done_at`, set once by a conditional UPDATE), so the preview and the import read
    the same rows and a second tap imports nothing."""

    __tablename__ = "people_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"), index=True)
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    filename: Mapped[str] = mapped_column(String(200), default="")
    rows: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

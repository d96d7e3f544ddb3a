"""Server-side sign-in sessions and enrolled shared terminals."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.blueprints.people.models import Property, User
from portal.database import UTCDateTime, utcnow
from portal.extensions import db


class Terminal(db.Model):
    """A device enrolled by an admin as a shared staff-room terminal."""

    __tablename__ = "terminals"

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    location: Mapped[str] = mapped_column(String(120), default="")
    default_locale: Mapped[str | None] = mapped_column(String(10))
    key_hash: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(default=True)
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    enrolled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    property: Mapped[Property] = relationship()
    enrolled_by: Mapped[User | None] = relationship()


class UserSession(db.Model):
    """One sign-in. The cookie carries only a random token; its hash is looked up here."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    terminal_id: Mapped[int | None] = mapped_column(ForeignKey("terminals.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When the person last proved who they are (sign-in, or the password asked again).
    authenticated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    idle_timeout: Mapped[int]  # seconds
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())  # absolute lifetime
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    end_reason: Mapped[str | None] = mapped_column(String(16))
    ip: Mapped[str | None] = mapped_column(String(45))

    user: Mapped[User] = relationship()
    terminal: Mapped[Terminal | None] = relationship()

    @property
    def on_terminal(self) -> bool:
        return self.terminal_id is not None


class IdempotencyKey(db.Model):
    """A button press that creates or moves something, remembered so a retry applies once."""

    __tablename__ = "idempotency_keys"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    result_url: Mapped[str | None] = mapped_column(String(500))

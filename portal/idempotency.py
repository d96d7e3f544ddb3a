"""Idempotency keys: a double tap or a retried request applies once.

A form that creates or moves something carries a random key (IdempotentForm renders it). The
service call is wrapped by `once(key, user)`: the first request claims the key in the same
transaction as its change; a repeat finds the key and is sent to the first one's result.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column
from wtforms import HiddenField
from wtforms.validators import DataRequired, Regexp

from portal.database import UTCDateTime, utcnow
from portal.extensions import db
from portal.forms import PortalForm
from portal.i18n import lazy_gettext as _l


class IdempotencyKey(db.Model):
    """A button press that creates or moves something, remembered so a retry applies once."""

    __tablename__ = "idempotency_keys"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    result_url: Mapped[str | None] = mapped_column(String(500))


KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def new_key() -> str:
    return secrets.token_urlsafe(24)


class IdempotentForm(PortalForm):
    idempotency_key = HiddenField(
        validators=[
            DataRequired(_l("This form is missing its key. Reload the page and try again.")),
            Regexp(KEY_PATTERN.pattern, message=_l("Reload the page and try again.")),
        ]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A fresh form gets a key; a posted one keeps what it sent (none is refused, or every
        # tap of a form that lost its key would apply again).
        if not self.is_submitted() and not self.idempotency_key.data:
            self.idempotency_key.data = new_key()


def previous_result(key: str, user_id: int) -> str | None:
    """The result URL of an earlier request with this key by this person, if there was one."""
    row = db.session.get(IdempotencyKey, key)
    if row is None or row.user_id != user_id:
        return None
    return row.result_url or ""


def claim(key: str, user_id: int, result_url: str) -> None:
    """Record the key with the change (same transaction); a concurrent twin fails on commit."""
    db.session.add(IdempotencyKey(key=key, user_id=user_id, result_url=result_url))
    db.session.flush()


class Duplicate(Exception):
    """A concurrent request created the same thing first (a unique index refused this one)."""


def create_once(key: str, user_id: int, create) -> tuple[str, bool]:
    """Run `create()` (it returns the new object's URL) once per key and person; commit.

    Returns the URL and whether this request made it. A repeat of the key, before or during
    this request (its twin won the race), gets the first result's URL and False. A
    DomainError from `create` propagates after the rollback; a unique-index conflict that is not
    a repeat of this key becomes Duplicate.
    """
    from sqlalchemy.exc import IntegrityError

    from portal.errors import DomainError

    if (done := previous_result(key, user_id)) is not None:
        return done, False  # a double tap: done the first time
    try:
        target = create()
        claim(key, user_id, target)
        db.session.commit()
        return target, True
    except (DomainError, IntegrityError) as error:
        db.session.rollback()
        if (done := previous_result(key, user_id)) is not None:
            return done, False  # its twin won the race
        if isinstance(error, IntegrityError):
            raise Duplicate from error
        raise

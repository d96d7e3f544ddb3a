"""The POST bodies that every form view shares, written once.

- create_from_form(): a form that creates something, applied once per idempotency key (a double
  tap or a retried request gets the first result), with its errors put next to the fields.
- save_from_form(): a form that changes a record two people may edit at once; a concurrent
  change (the row's version moved) becomes a message on the form, nothing is written.

Both commit on success and roll back on failure; the view then answers (redirect or form).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import flash
from sqlalchemy.orm.exc import StaleDataError
from wtforms import HiddenField
from wtforms.validators import Optional, Regexp

from portal import idempotency
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import lazy_gettext as _l


@dataclass
class Created:
    url: str  # where the created thing is shown
    first: bool  # False when this request repeated an earlier one (flash nothing new)


def create_from_form(
    form, user, create: Callable[[], str], *, duplicate: Callable[[], DomainError]
) -> Created | None:
    """Run `create()` (it returns the new object's URL) once per form key and person.

    On a DomainError, or a unique-index conflict with a concurrent twin of another key
    (`duplicate()` says what clashed), the message goes next to its field and None is returned.
    """
    try:
        url, first = idempotency.create_once(form.idempotency_key.data, user.id, create)
    except DomainError as error:
        error.attach(form)
        return None
    except idempotency.Duplicate:
        duplicate().attach(form)
        return None
    return Created(url, first=first)


def save_from_form(form, save: Callable[[], object], *, stale_message: str) -> bool:
    """Run `save()` and commit. On a DomainError or a concurrent edit: roll back, put the
    message on the form and return False."""
    try:
        save()
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        error.attach(form)
        return False
    except StaleDataError:
        db.session.rollback()
        DomainError(stale_message).attach(form)
        return False
    return True


def apply_action(action: Callable[[], object], *, success: str, refused: str = "danger") -> bool:
    """A one-button action: run it and commit, flashing `success`; a DomainError rolls back
    and is flashed instead (category `refused`). True when it was applied."""
    try:
        action()
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, refused)
        return False
    flash(success, "success")
    return True


class VersionField(HiddenField):
    """The version of the record the form was filled from: a whole number or nothing.

    A tampered value is a form error, never an exception in the view."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(
            label,
            validators=[
                Optional(),
                Regexp(r"^\d{1,9}$", message=_l("Reload the page and try again.")),
                *(validators or []),
            ],
            **kwargs,
        )

    def process_data(self, value):
        # Filled from the record (obj=...): its version is an int; posted, a string.
        self.data = None if value is None else str(value)

    @property
    def number(self) -> int | None:
        return int(self.data) if self.data and self.data.isdigit() else None

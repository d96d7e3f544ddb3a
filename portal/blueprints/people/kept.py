"""The PIN or first password of a person form that was refused for another field, kept.

Nobody should type a valid PIN again because the staff number was wrong, and the PIN must not
travel back in the page (a password field is never filled in again). So the server keeps it,
hashed exactly as it will be stored on the person, under the form's own random key and for the
person editing only, for KEEP_FOR at most; the form then says "PIN kept". Saving the person
uses the kept hash and forgets it. No plain secret is ever stored or shown, and the trail never
sees it (a kept secret is not a change to any record: it is not audited).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select

from portal.blueprints.people.models import KeptSecret, User, hash_secret
from portal.database import utcnow
from portal.extensions import db

KEEP_FOR = timedelta(minutes=30)
KINDS = ("pin", "password")


def keep(form_key: str, kind: str, secret: str, *, editor: User) -> None:
    """Keep `secret` (hashed) for this form and editor; the caller commits."""
    assert kind in KINDS
    purge()
    row = db.session.get(KeptSecret, (form_key, kind))
    if row is not None and row.editor_id != editor.id:
        return  # another person's form key: never theirs to replace
    if row is None:
        row = KeptSecret(form_key=form_key, kind=kind, editor_id=editor.id)
        db.session.add(row)
    row.secret_hash = hash_secret(secret)
    row.created_at = utcnow()
    db.session.flush()


def kept_hash(form_key: str | None, kind: str, *, editor: User) -> str | None:
    """The hash kept for this form and editor, if it is still fresh."""
    if not form_key:
        return None
    row = db.session.scalar(
        select(KeptSecret).where(
            KeptSecret.form_key == form_key,
            KeptSecret.kind == kind,
            KeptSecret.editor_id == editor.id,
            KeptSecret.created_at > utcnow() - KEEP_FOR,
        )
    )
    return row.secret_hash if row is not None else None


def kept_kinds(form_key: str | None, *, editor: User) -> set[str]:
    if not form_key:
        return set()
    return set(
        db.session.scalars(
            select(KeptSecret.kind).where(
                KeptSecret.form_key == form_key,
                KeptSecret.editor_id == editor.id,
                KeptSecret.created_at > utcnow() - KEEP_FOR,
            )
        )
    )


def forget(form_key: str | None, *, editor: User) -> None:
    if form_key:
        db.session.execute(
            delete(KeptSecret).where(
                KeptSecret.form_key == form_key, KeptSecret.editor_id == editor.id
            )
        )


def purge() -> None:
    """Remove what was kept longer than KEEP_FOR (anyone's)."""
    db.session.execute(delete(KeptSecret).where(KeptSecret.created_at <= utcnow() - KEEP_FOR))

"""Sign-in: PIN for employees, password for everyone else; lockout after repeated failures."""

from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update
from werkzeug.security import check_password_hash

from portal import audit, metrics
from portal.blueprints.people.models import User, hash_secret
from portal.database import utcnow
from portal.extensions import db
from portal.roles import Role
from portal.sessions import Terminal, UserSession

# Hashed like every real secret, so a refusal without an account to check costs the same.
_DUMMY_HASH = hash_secret("not-a-real-secret")


@dataclass
class SignInResult:
    user: User | None
    locked: bool = False
    # Set only when the right secret was given for a locked account: the person proved who
    # they are, so they may be told it is locked and for how long (nobody else is).
    locked_minutes: int | None = None


def _candidates(identifier: str, terminal: Terminal | None) -> list[User]:
    by_name = db.session.scalar(select(User).where(func.lower(User.username) == identifier.lower()))
    if by_name is not None:
        return [by_name]
    query = select(User).where(User.staff_no == identifier.upper())
    if terminal is not None:
        query = query.where(User.property_id == terminal.property_id)
    return list(db.session.scalars(query.order_by(User.id)))


def _secret_matches(user: User, secret: str) -> bool:
    stored = user.pin_hash if Role(user.role).uses_pin else user.password_hash
    if not stored:
        _same_work_as_a_check(secret)
        return False
    return check_password_hash(stored, secret)


def _same_work_as_a_check(secret: str) -> None:
    """One hash check of the production cost, for refusals that have no secret to check."""
    check_password_hash(_DUMMY_HASH, secret)


def _identifier_ref(identifier: str) -> str:
    """A short keyed hash of a name that matched no account: repeated tries of the same text
    can be told apart in the audit trail, but the text (perhaps a secret typed into the wrong
    field) cannot be read back from it without the app's secret key."""
    key = current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    message = b"sign-in-identifier:" + identifier.casefold().encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:12]


def authenticate(identifier: str, secret: str, terminal: Terminal | None) -> SignInResult:
    """Check the credentials; record success, failure and lockout in the audit trail.

    The caller shows one generic message for every failure: it never says which part was wrong.
    A locked account is told so only when the right secret was given. Every refusal costs the
    same: one hash check per active account the name matches, or one when there is none.
    """
    now = utcnow()
    found = _candidates(identifier, terminal)
    if not found:
        _same_work_as_a_check(secret)
        # Never the typed text: a PIN or password typed into the name field would end up here.
        audit.record(
            "auth.sign_in_failed",
            actor=None,
            summary=f"identifier=unknown ref={_identifier_ref(identifier)} reason=unknown",
        )
        metrics.sign_in_failed("unknown")
        return SignInResult(None)
    active = [u for u in found if u.active]
    if not active:
        _same_work_as_a_check(secret)  # an inactive account answers no faster
    right = {u.id for u in active if _secret_matches(u, secret)}
    matches = [u for u in active if u.id in right and not u.is_locked(now)]
    if len(matches) == 1:
        user = matches[0]
        if user.failed_logins or user.locked_until:
            # Core UPDATE: sign-in counters are not part of the record HR edits (no version bump).
            db.session.execute(
                update(User).where(User.id == user.id).values(failed_logins=0, locked_until=None)
            )
            db.session.refresh(user)
        audit.record("auth.sign_in", user, actor=user, summary="terminal" if terminal else "")
        return SignInResult(user)
    locked_any = False
    locked_minutes = None
    for user in found:
        if not user.active:
            audit.record("auth.sign_in_failed", user, actor=None, summary="reason=inactive")
        elif user.is_locked(now):
            locked_any = True
            proved = user.id in right
            if proved:
                locked_minutes = max(locked_minutes or 0, minutes_until(user.locked_until, now))
            audit.record(
                "auth.sign_in_refused_locked",
                user,
                actor=None,
                summary="secret=right" if proved else "",
            )
        else:
            locked_any |= register_failure(user)
    metrics.sign_in_failed("locked" if locked_any else "refused")
    return SignInResult(None, locked=locked_any, locked_minutes=locked_minutes)


def minutes_until(moment: datetime, now: datetime) -> int:
    """Whole minutes from now until `moment`, rounded up (at least 1)."""
    return max(1, math.ceil((moment - now).total_seconds() / 60))


def confirm_identity(user: User, secret: str) -> bool:
    """Ask again who this is before a sensitive action; failures count towards the lockout."""
    if not user.is_locked() and _secret_matches(user, secret):
        audit.record("auth.reauthenticated", user, actor=user)
        return True
    register_failure(user)
    return False


def register_failure(user: User) -> bool:
    """Count one failure atomically; lock the account at the threshold. True when locked now."""
    cfg = current_app.config
    db.session.execute(
        update(User).where(User.id == user.id).values(failed_logins=User.failed_logins + 1)
    )
    db.session.refresh(user)
    # Whoever typed the wrong secret is not known: the account is the object, not the actor.
    audit.record("auth.sign_in_failed", user, actor=None, summary=f"failures={user.failed_logins}")
    if user.failed_logins >= cfg["LOCKOUT_THRESHOLD"]:
        db.session.execute(
            update(User)
            .where(User.id == user.id)
            .values(
                failed_logins=0,
                locked_until=utcnow() + timedelta(minutes=cfg["LOCKOUT_MINUTES"]),
            )
        )
        db.session.refresh(user)
        audit.record(
            "auth.locked", user, actor=None, summary=f"locked for {cfg['LOCKOUT_MINUTES']} minutes"
        )
        return True
    return False


def keep_alive(row: UserSession) -> bool:
    """Count a keepalive as use, always: the request itself touches the session at most every
    few seconds (SESSION_TOUCH_INTERVAL), and "continue" must give a whole idle period whenever
    it is sent. True when it wrote."""
    now = utcnow()
    if (now - row.last_seen_at).total_seconds() < 1:
        return False  # this request has just touched it
    db.session.execute(
        update(UserSession)
        .where(UserSession.id == row.id, UserSession.ended_at.is_(None))
        .values(last_seen_at=now)
    )
    db.session.refresh(row)
    return True


def set_language(user: User, locale: str) -> User:
    before = user.locale
    db.session.execute(update(User).where(User.id == user.id).values(locale=locale))
    db.session.refresh(user)
    audit.record("user.language_changed", user, actor=user, summary=f"locale: {before} -> {locale}")
    return user

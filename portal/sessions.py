"""Sign-in sessions that really end, and shared terminals.

The Flask cookie holds only a random session token (`sid`) and the CSRF secret. The server keeps
a UserSession row per sign-in: sign-out, idle timeout, absolute lifetime, deactivation and a change
of device all end that row, so a replayed copy of an old cookie lands on the sign-in page.

A terminal is a device enrolled by an admin: it carries a signed long-lived cookie naming the
terminal. Sessions started there get the short terminal idle timeout.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from flask import current_app, g, request, session
from flask_login import login_user, logout_user
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import ForeignKey, String, bindparam, select, update
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from portal import audit
from portal.database import UTCDateTime, built_once, utcnow, write_intent
from portal.extensions import db

PASSIVE_ATTR = "portal_passive"


# The people module maps "users" and "properties"; the core names them without importing it.
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

    property = relationship("Property")
    enrolled_by = relationship("User")


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

    user = relationship("User")
    terminal: Mapped[Terminal | None] = relationship()

    @property
    def on_terminal(self) -> bool:
        return self.terminal_id is not None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- terminals ----------------------------------------------------------------------------------
def _terminal_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="portal-terminal")


def new_terminal_key() -> tuple[str, str]:
    key = secrets.token_urlsafe(32)
    return key, _hash(key)


def terminal_cookie_value(terminal: Terminal, key: str) -> str:
    return _terminal_serializer().dumps({"t": terminal.id, "k": key})


def load_terminal() -> Terminal | None:
    raw = request.cookies.get(current_app.config["TERMINAL_COOKIE_NAME"])
    if not raw:
        return None
    try:
        data = _terminal_serializer().loads(raw)
        terminal = db.session.get(Terminal, int(data["t"]))
        key = str(data["k"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    if terminal is None or not terminal.active:
        return None
    if not hmac.compare_digest(terminal.key_hash, _hash(key)):
        return None
    return terminal


# --- sessions -----------------------------------------------------------------------------------
def idle_timeout_for(terminal: Terminal | None) -> int:
    cfg = current_app.config
    return cfg["TERMINAL_IDLE_TIMEOUT"] if terminal is not None else cfg["IDLE_TIMEOUT"]


def start_session(user, terminal: Terminal | None) -> UserSession:
    """Begin a new sign-in: a fresh cookie (nothing of the previous one survives) and a row."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    row = UserSession(
        token_hash=_hash(token),
        user_id=user.id,
        terminal_id=terminal.id if terminal else None,
        created_at=now,
        last_seen_at=now,
        authenticated_at=now,
        idle_timeout=idle_timeout_for(terminal),
        expires_at=now + timedelta(seconds=current_app.config["SESSION_LIFETIME"]),
        ip=request.remote_addr,
    )
    db.session.add(row)
    session.clear()
    session["sid"] = token
    login_user(user, remember=False)
    g.user_session = row
    return row


def end_session(reason: str) -> None:
    """End the current sign-in on the server and forget everything in the cookie."""
    row = getattr(g, "user_session", None)
    if row is not None and row.ended_at is None:
        row.ended_at = utcnow()
        row.end_reason = reason
        audit.record("auth.sign_out", row.user, summary=f"reason={reason}", actor=row.user)
    logout_user()
    session.clear()
    g.user_session = None


def end_all_sessions(user, reason: str) -> int:
    """End every open sign-in of `user` (deactivation, PIN or password reset)."""
    result = db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=reason)
    )
    return result.rowcount or 0


def _expiry_reason(row: UserSession | None, now) -> str | None:
    if row is None:
        return "unknown"
    if row.ended_at is not None:
        return row.end_reason or "ended"
    if not row.user.active:
        return "deactivated"
    if now >= row.expires_at:
        return "expired"
    if (now - row.last_seen_at).total_seconds() > row.idle_timeout:
        return "idle"
    terminal = getattr(g, "terminal", None)
    if row.terminal_id != (terminal.id if terminal else None):
        return "device"
    return None


def _forget_sign_in() -> None:
    """Drop everything of an ended sign-in from the cookie but the CSRF secret: the sign-in
    form the person is about to send was made with it (a new sign-in replaces it anyway)."""
    csrf_secret = session.get("csrf_token")
    session.clear()
    if csrf_secret is not None:
        session["csrf_token"] = csrf_secret


_SESSION_QUERY = None


def _session_query():
    """The sign-in and its person in one query, built once: every signed-in request starts
    with it."""
    global _SESSION_QUERY
    if _SESSION_QUERY is None:
        user = UserSession.user
        # The people module maps the person; the core names its relationships without
        # importing it: the property (header), department and job title (cards,
        # permissions) come with the person, and so do the departments a supervisor
        # supervises (every permission of theirs reads them: a query of its own on every
        # supervisor's page before). A collection joined: load_session reads the rows whole.
        related = user.property.mapper.relationships
        person = joinedload(user, innerjoin=True)
        options = [person.joinedload(related["property"].class_attribute, innerjoin=True)]
        for name in ("department", "job_title", "supervises"):
            if name in related:
                options.append(person.joinedload(related[name].class_attribute))
        _SESSION_QUERY = (
            select(UserSession)
            .where(UserSession.token_hash == bindparam("token_hash"))
            .options(*options)
        )
    return _SESSION_QUERY


def load_session() -> None:
    """before_request: validate the cookie's session token; end it when it has run out."""
    g.user_session = None
    g.session_end_reason = None
    token = session.get("sid")
    if not token:
        if "_user_id" in session:  # a cookie without a server session: forget it
            _forget_sign_in()
        return
    now = utcnow()
    row = (
        db.session.execute(_session_query(), {"token_hash": _hash(token)})
        .unique()
        .scalar_one_or_none()
    )
    reason = _expiry_reason(row, now)
    if reason is not None:
        if row is not None and row.ended_at is None:
            db.session.rollback()
            with write_intent():
                ended = db.session.execute(
                    update(UserSession)
                    .where(UserSession.id == row.id, UserSession.ended_at.is_(None))
                    .values(ended_at=now, end_reason=reason)
                ).rowcount
                if ended:
                    audit.record(
                        "auth.session_ended",
                        row,
                        summary=f"reason={reason}",
                        actor=row.user,
                        property_id=row.user.property_id,
                    )
                db.session.commit()
        logout_user()
        _forget_sign_in()
        g.session_end_reason = reason
        return
    g.user_session = row
    view = current_app.view_functions.get(request.endpoint or "")
    passive = getattr(view, PASSIVE_ATTR, False)
    interval = current_app.config["SESSION_TOUCH_INTERVAL"]
    if not passive and (now - row.last_seen_at).total_seconds() >= interval:
        row_id = row.id
        db.session.rollback()
        with write_intent():
            db.session.execute(
                update(UserSession)
                .where(UserSession.id == row_id, UserSession.ended_at.is_(None))
                .values(last_seen_at=now)
            )
            db.session.commit()
        g.user_session = db.session.get(UserSession, row_id)


def recently_authenticated() -> bool:
    """Whether the person proved who they are within REAUTH_AFTER (ASVS 3.7.1)."""
    row = getattr(g, "user_session", None)
    if row is None:
        return False
    age = (utcnow() - row.authenticated_at).total_seconds()
    return age <= current_app.config["REAUTH_AFTER"]


def confirm_identity_first():
    """For sensitive actions: None when recently authenticated, else the way to the check."""
    from flask import url_for

    from portal.htmx import redirect_to

    if recently_authenticated():
        return None
    return redirect_to(url_for("auth.confirm_identity", next=request.full_path.rstrip("?")))


def mark_authenticated() -> None:
    row = g.user_session
    row.authenticated_at = utcnow()


def seconds_left() -> int:
    row = getattr(g, "user_session", None)
    if row is None:
        return 0
    idle_left = row.idle_timeout - (utcnow() - row.last_seen_at).total_seconds()
    absolute_left = (row.expires_at - utcnow()).total_seconds()
    return max(0, int(min(idle_left, absolute_left)))


def passive(view):
    """Mark a view whose requests (background polls) do not count as activity."""
    setattr(view, PASSIVE_ATTR, True)
    return view


def previous_sign_in(user) -> datetime | None:
    """When this person signed in before the current sign-in (None: this is the first)."""
    return db.session.scalar(_previous_sign_in_statement(), {"user_id": user.id})


@built_once
def _previous_sign_in_statement():
    return (
        select(UserSession.created_at)
        .where(UserSession.user_id == bindparam("user_id"))
        .order_by(UserSession.created_at.desc())
        .offset(1)
        .limit(1)
    )


def user_loader(user_id: str):
    row = getattr(g, "user_session", None)
    if row is not None and str(row.user_id) == user_id and row.user.active:
        return row.user
    return None

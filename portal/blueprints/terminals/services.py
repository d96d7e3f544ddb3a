from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal import audit, sessions
from portal.blueprints.people.models import User
from portal.extensions import db
from portal.sessions import Terminal


def enrol_terminal(
    *, name: str, location: str, property_id: int, default_locale: str | None, by: User
) -> tuple[Terminal, str]:
    """Create a terminal; returns it with the secret key that goes into the device's cookie."""
    key, key_hash = sessions.new_terminal_key()
    terminal = Terminal(
        name=name,
        location=location,
        property_id=property_id,
        default_locale=default_locale or None,
        key_hash=key_hash,
        enrolled_by_id=by.id,
    )
    db.session.add(terminal)
    db.session.flush()
    audit.record(
        "terminal.enrolled", terminal, actor=by, summary=f"name={name} location={location}"
    )
    return terminal, key


def revoke_terminal(terminal: Terminal, *, by: User) -> Terminal:
    if terminal.active:
        terminal.active = False
        db.session.flush()
        audit.record("terminal.revoked", terminal, actor=by, summary=f"name={terminal.name}")
    return terminal


def list_terminals(viewer: User) -> list[Terminal]:
    query = (
        select(Terminal)
        .options(selectinload(Terminal.property))
        .order_by(Terminal.active.desc(), Terminal.name)
    )
    return list(db.session.scalars(query))

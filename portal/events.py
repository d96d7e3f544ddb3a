"""Things one module does that another module acts on, in the same transaction.

A module that owns an event emits it by name after its own write has been flushed
(`events.emit("person.created", person=person, by=by)`); a module that cares declares a listener
in its Module (`listeners={"person.created": on_person_created}`). Only the modules registered
in the current app are called, in registration order, with the emitter's keyword arguments.

Listeners flush and never commit: the request that caused the event commits once, so the
event's consequences are written together with it or not at all. A listener that raises a
DomainError refuses the whole operation, with its message.

This file is part of the shared core: it names the events, never a listener.
"""

from __future__ import annotations

from portal.modules import registered

# A person was added (people.services.create_person): person, by.
PERSON_CREATED = "person.created"
# A new version of an SOP was approved (sops.services.approve): version, by. A correction
# (version.minor_edit) is emitted too; a listener decides whether it matters.
SOP_VERSION_APPROVED = "sop.version_approved"

KNOWN = frozenset({PERSON_CREATED, SOP_VERSION_APPROVED})


def emit(name: str, **payload) -> None:
    if name not in KNOWN:
        raise ValueError(f"unknown event {name!r}")
    for module in registered():
        for listener in module.listeners.get(name, ()):
            listener(**payload)

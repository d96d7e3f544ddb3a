"""Rosters objects for tests, in one line each."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from portal.blueprints.people.models import Property, User
from portal.blueprints.rosters import services
from portal.blueprints.rosters.models import (
    Assignment,
    Cleaning,
    Occupancy,
    Outcome,
    Room,
    RoomStatus,
    RoomType,
)
from portal.extensions import db
from portal.i18n import local_today
from tests import factories

_seq = itertools.count(1)


def room_type(prop: Property, code: str | None = None, **kw) -> RoomType:
    """A room type with the model's credits (departure 1.5, stay-over 1.0, vacant 0.3)."""
    kind = RoomType(
        property_id=prop.id,
        code=code or f"T{next(_seq)}",
        name_en=kw.pop("name_en", "Deluxe king"),
        name_zh=kw.pop("name_zh", "豪华大床房"),
        credits_departure=Decimal(kw.pop("departure", "1.5")),
        credits_stayover=Decimal(kw.pop("stayover", "1.0")),
        credits_vacant=Decimal(kw.pop("vacant", "0.3")),
        linen_every_nights=kw.pop("linen_every_nights", 3),
    )
    assert not kw, kw
    db.session.add(kind)
    db.session.flush()
    return kind


def room(
    prop: Property,
    number: str | None = None,
    floor: int = 1,
    status: RoomStatus = RoomStatus.DIRTY,
    occupancy: Occupancy = Occupancy.DEPARTURE,
    kind: RoomType | None = None,
    **kw,
) -> Room:
    """A room as it is now (its status set directly: the services move it from there on)."""
    made = Room(
        property_id=prop.id,
        number=number or f"{floor}{next(_seq):02d}",
        floor=floor,
        room_type_id=(kind or room_type(prop)).id,
        status=status,
        occupancy=occupancy,
        **kw,
    )
    db.session.add(made)
    db.session.flush()
    return made


def attendant(prop: Property, **kw) -> User:
    """An active employee of the property's housekeeping ("HK")."""
    return factories.person("employee", prop=prop, dept="HK", **kw)


def hk_supervisor(prop: Property, **kw) -> User:
    """A supervisor of the property's housekeeping (the factory makes them supervise it)."""
    return factories.person("supervisor", prop=prop, dept="HK", **kw)


def front_office(prop: Property, **kw) -> User:
    return factories.person("employee", prop=prop, dept="FO", **kw)


def manager(prop: Property, **kw) -> User:
    return factories.person("manager", prop=prop, dept="FO", **kw)


def _prop(row) -> Property:
    return db.session.get(Property, row.property_id)


def assign(
    room_: Room, person: User | None = None, *, by: User | None = None, day: date | None = None
) -> Assignment:
    """The room on `person`'s list (a new attendant by default) for the day (today)."""
    prop = _prop(room_)
    return services.assign(
        room_, person or attendant(prop), day or local_today(), by=by or hk_supervisor(prop)
    )


def start(assignment: Assignment, *, by: User | None = None) -> Cleaning:
    return services.start(assignment, by=by or assignment.attendant)


def tick_all(cleaning: Cleaning, *, by: User | None = None) -> Cleaning:
    for position in range(1, cleaning.steps + 1):
        services.tick(cleaning, position, True, by=by or cleaning.attendant)
    return cleaning


def finish(cleaning: Cleaning, *, by: User | None = None) -> Cleaning:
    services.finish(cleaning, by=by or cleaning.attendant)
    return cleaning


def cleaned(assignment: Assignment) -> Cleaning:
    """Started, every step ticked and finished by the attendant: the room is clean."""
    return finish(tick_all(start(assignment)))


def marks(cleaning: Cleaning, fail=(), na=()) -> dict[int, Outcome]:
    """An inspection's items: every step passed but those failed or not applicable."""
    return {
        i: Outcome.FAIL if i in fail else Outcome.NA if i in na else Outcome.PASS
        for i in range(1, cleaning.steps + 1)
    }


def inspect(cleaning: Cleaning, *, fail=(), na=(), note: str = "", by: User | None = None):
    by = by or hk_supervisor(_prop(cleaning))
    note = note or ("Hair in the basin." if fail else "")
    return services.inspect(cleaning, marks(cleaning, fail, na), note, by=by)


def cleaning_sop(prop: Property, steps: int = 4, effective: date | None = None, **kw):
    """An SOP for the checklist, its version 1.0 approved and in force from `effective`
    (today): `steps` steps, the first with a safety warning in its note (a step to tick like
    the others: a step's kind says what its note is)."""
    from portal.blueprints.sops import services as sops
    from portal.blueprints.sops.models import StepKind
    from portal.blueprints.sops.services import StepData

    data = factories.version_data(steps=steps)
    first = data.steps[0]
    data.steps[0] = StepData(
        first.text_en, first.text_zh, "Wear gloves", "戴手套", kind=StepKind.WARNING
    )
    author = factories.person("hr", prop=prop, dept="HR")
    version = sops.create_sop(
        property_id=prop.id,
        department_id=factories.department(prop, "HK").id,
        number=kw.pop("number", f"HK-{next(_seq):03d}"),
        data=data,
        author=author,
    )
    sops.submit_for_review(version, by=author)
    sops.approve(version, approver=manager(prop), effective_date=effective or local_today(), **kw)
    return version


# --- rows as they are stored, written directly (no service): a state to start a test from ---
def listed(room_: Room, person: User, position: int = 1) -> Assignment:
    """The room on the person's list today, as stored (no checks, no audit row)."""
    made = Assignment(
        property_id=room_.property_id,
        day=local_today(),
        room_id=room_.id,
        attendant_id=person.id,
        position=position,
        occupancy=room_.occupancy,
        credits=Decimal("1.5"),
    )
    db.session.add(made)
    db.session.flush()
    return made


def cleaning_row(room_: Room, person: User, *, finished: bool, ticks: int = 0) -> Cleaning:
    """A cleaning of the room today by the person, as stored, with its first `ticks` steps
    ticked; finished now or still open."""
    from portal.blueprints.rosters.models import CleaningTick
    from portal.database import utcnow

    made = Cleaning(
        property_id=room_.property_id,
        room_id=room_.id,
        day=local_today(),
        attendant_id=person.id,
        steps=13,
        finished_at=utcnow() if finished else None,
    )
    db.session.add(made)
    db.session.flush()
    for position in range(1, ticks + 1):
        db.session.add(CleaningTick(cleaning_id=made.id, position=position))
    db.session.flush()
    return made

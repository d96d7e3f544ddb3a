"""Room par kits and the top-up after a cleaning.

A room type's par kit is what a made-up room holds (the four towels, toiletries, cups, slippers,
stationery). After cleaning a room, its attendant tops it up: the page proposes what is short
(after a departure, everything taken away at a departure; after a stay-over, nothing until the
attendant counts it short) and one tap issues exactly that from the pantry of the room's floor,
or the main store when the floor has none. A cleaning is topped up once: a second tap, a retry
or a colleague's tap is told when and by whom it was done.

Rooms and cleanings are the rosters module's: asked through its services.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from portal import audit
from portal.blueprints.inventory import stock
from portal.blueprints.inventory.models import Item, Kind, ParItem, Store, StoreKind, TopUp
from portal.blueprints.inventory.permissions import HOUSEKEEPING
from portal.blueprints.people.models import Department, User
from portal.database import utcnow
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import fmt_time
from portal.i18n import gettext as _

ZERO = Decimal("0")


def par_kit(room_type_id: int) -> list[ParItem]:
    return list(
        db.session.scalars(
            select(ParItem)
            .join(Item, Item.id == ParItem.item_id)
            .options(joinedload(ParItem.item))
            .where(ParItem.room_type_id == room_type_id, Item.active.is_(True))
            .order_by(Item.category, Item.code)
        )
    )


def set_par(
    room_type, item: Item, quantity, *, departure_refill: bool = True, by: User
) -> ParItem | None:
    """Set how many of an item the room type holds (0 takes it out of the kit)."""
    if item.property_id != room_type.property_id:
        raise DomainError(_("Choose items this property stocks."), "item_id")
    quantity = stock.check_count(quantity if quantity is not None else Decimal("-1"))
    line = db.session.scalar(
        select(ParItem).where(ParItem.room_type_id == room_type.id, ParItem.item_id == item.id)
    )
    before = line.quantity if line is not None else ZERO
    refill_before = line.departure_refill if line is not None else None
    if quantity == 0:
        if line is not None:
            db.session.delete(line)
            db.session.flush()
        line = None
    else:
        quantity = stock.check_quantity(item, quantity)
        if line is None:
            line = ParItem(
                property_id=room_type.property_id, room_type_id=room_type.id, item_id=item.id
            )
            db.session.add(line)
        line.quantity = quantity
        line.departure_refill = departure_refill
        db.session.flush()
    refill_after = line.departure_refill if line is not None else None
    refill_changed = refill_before is not None and refill_after is not None
    refill_changed = refill_changed and refill_before != refill_after
    if before != quantity or refill_changed:
        audit.record(
            "inventory.par_set",
            actor=by,
            property_id=room_type.property_id,
            object_type="room_types",
            object_id=room_type.id,
            summary=f"{item.code}: {stock.quantity_text(before)} -> "
            f"{stock.quantity_text(quantity)}"
            + (f", departure refill: {refill_after}" if refill_changed else ""),
        )
    return line


def store_for_floor(property_id: int, floor: int) -> Store | None:
    """The pantry of the floor, else the property's main store."""
    stores = db.session.scalars(
        select(Store).where(
            Store.property_id == property_id,
            Store.active.is_(True),
            Store.kind.in_([StoreKind.PANTRY, StoreKind.MAIN]),
        )
    ).all()
    pantry = next((s for s in stores if s.kind == StoreKind.PANTRY and s.floor == floor), None)
    return pantry or next((s for s in stores if s.kind == StoreKind.MAIN), None)


@dataclass
class Line:
    par: ParItem
    short: Decimal  # proposed

    @property
    def item(self) -> Item:
        return self.par.item


def proposal(room, departure: bool) -> list[Line]:
    return [
        Line(par, par.quantity if departure and par.departure_refill else ZERO)
        for par in par_kit(room.room_type_id)
    ]


def done_for(cleaning_id: int | None) -> TopUp | None:
    if cleaning_id is None:
        return None
    return db.session.scalar(
        select(TopUp).options(joinedload(TopUp.by)).where(TopUp.cleaning_id == cleaning_id)
    )


def _already(top_up: TopUp) -> DomainError:
    return DomainError(
        _(
            "This cleaning was topped up at %(time)s by %(name)s.",
            time=fmt_time(top_up.at),
            name=top_up.by.name,
        )
    )


def _housekeeping(property_id: int) -> Department | None:
    return db.session.scalar(
        select(Department).where(
            Department.property_id == property_id, Department.code == HOUSEKEEPING
        )
    )


def _check_cleaning(room, cleaning_id: int) -> None:
    from portal.blueprints.rosters.models import Cleaning

    cleaning = db.session.get(Cleaning, cleaning_id)
    if cleaning is None or cleaning.room_id != room.id:
        raise DomainError(_("This cleaning is not of room %(room)s.", room=room.number))


def top_up(room, cleaning_id: int | None, shorts: dict[int, object], *, by: User) -> TopUp:
    """Issue what is short of par to the room after its cleaning `cleaning_id`, from the
    floor's pantry, in one go or not at all, once per cleaning. `shorts`: item id -> quantity
    (0 or missing: nothing short)."""
    kit = {par.item_id: par for par in par_kit(room.room_type_id)}
    if not kit:
        raise DomainError(_("This room type has no par kit yet: ask the stores to set one."))
    wanted = {}
    for item_id, value in shorts.items():
        par = kit.get(item_id)
        if par is None:
            raise DomainError(_("Only the items of the room's par kit are topped up."))
        value = Decimal(value or 0)
        field = f"short-{item_id}"
        if not value.is_finite() or value < 0 or value > par.quantity:
            raise DomainError(
                _(
                    "%(item)s: between 0 and the par of %(par)s.",
                    item=par.item.name,
                    par=stock.quantity_text(par.quantity),
                ),
                field,
            )
        if value:
            wanted[item_id] = stock.check_quantity(par.item, value, field)
    if not wanted:
        raise DomainError(_("Nothing is short: nothing to issue."))
    if cleaning_id is None:  # once per cleaning: without one, every tap would issue again
        raise DomainError(
            _("A room is topped up after its cleaning: this one has none on record yet.")
        )
    _check_cleaning(room, cleaning_id)
    previous = done_for(cleaning_id)
    if previous is not None:
        raise _already(previous)
    store = store_for_floor(room.property_id, room.floor)
    if store is None:
        raise DomainError(_("This property has no main store or floor pantry yet."))
    record = TopUp(
        property_id=room.property_id,
        room_id=room.id,
        cleaning_id=cleaning_id,
        store_id=store.id,
        by_id=by.id,
        at=utcnow(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(record)
    except IntegrityError:
        raise _already(done_for(cleaning_id)) from None
    department = _housekeeping(room.property_id) or by.department
    for item_id, quantity in wanted.items():
        stock.issue(
            kit[item_id].item,
            store,
            quantity,
            by=by,
            department=department,
            kind=Kind.TOP_UP,
            room_id=room.id,
            note=room.number,
        )
    audit.record(
        "inventory.topped_up",
        record,
        actor=by,
        summary=f"{room.number}: "
        + ", ".join(f"{kit[i].item.code} x {stock.quantity_text(q)}" for i, q in wanted.items()),
    )
    return record

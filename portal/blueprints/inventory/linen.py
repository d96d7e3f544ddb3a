"""The linen cycle: soiled linen out to the laundry, clean linen back into the linen room, the
losses counted; and each floor's linen against its par.

A batch is sent from a linen room with a count per item. Sending moves no stock: soiled linen
left the stores when the rooms were topped up. When the batch comes back, what came back clean
goes into the linen room's stock (a movement each, "back from the laundry"); what the laundry
rejected (stained or torn beyond use) and what did not come back at all are the batch's losses,
valued at the item's cost when it was sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal import audit
from portal.blueprints.inventory import stock
from portal.blueprints.inventory.models import (
    Category,
    Item,
    Kind,
    LaundryBatch,
    LaundryLine,
    LaundryStatus,
    ParItem,
    StockLevel,
    Store,
    StoreKind,
)
from portal.blueprints.people.models import User
from portal.database import advance, utcnow
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import gettext as _

RECENT = 12  # batches shown back from the laundry


def linen_items(property_id: int) -> list[Item]:
    return list(
        db.session.scalars(
            select(Item)
            .where(
                Item.property_id == property_id,
                Item.category == Category.LINEN,
                Item.active.is_(True),
            )
            .order_by(Item.code)
        )
    )


def linen_rooms(property_id: int) -> list[Store]:
    return list(
        db.session.scalars(
            select(Store)
            .where(
                Store.property_id == property_id,
                Store.kind == StoreKind.LINEN,
                Store.active.is_(True),
            )
            .order_by(Store.code)
        )
    )


def get(batch_id: int) -> LaundryBatch | None:
    return db.session.get(
        LaundryBatch,
        batch_id,
        options=[
            joinedload(LaundryBatch.store),
            joinedload(LaundryBatch.sent_by),
            joinedload(LaundryBatch.back_by),
            joinedload(LaundryBatch.lines).joinedload(LaundryLine.item),
        ],
    )


def batches(property_id: int) -> tuple[list[LaundryBatch], list[LaundryBatch]]:
    """(at the laundry, oldest first; the latest back), each with its lines and items."""
    options = [
        joinedload(LaundryBatch.store),
        joinedload(LaundryBatch.sent_by),
        joinedload(LaundryBatch.lines).joinedload(LaundryLine.item),
    ]
    found = (
        db.session.scalars(
            select(LaundryBatch)
            .where(LaundryBatch.property_id == property_id, LaundryBatch.status == "out")
            .options(*options)
            .order_by(LaundryBatch.sent_at)
        )
        .unique()
        .all()
    )
    back_ids = select(LaundryBatch.id).where(
        LaundryBatch.property_id == property_id, LaundryBatch.status == "back"
    )
    back_ids = back_ids.order_by(LaundryBatch.back_at.desc()).limit(RECENT).scalar_subquery()
    back = (
        db.session.scalars(
            select(LaundryBatch)
            .where(LaundryBatch.id.in_(back_ids))
            .options(*options)
            .order_by(LaundryBatch.back_at.desc())
        )
        .unique()
        .all()
    )
    return list(found), list(back)


def _whole(item: Item, value, field: str, *, zero: bool) -> Decimal:
    value = stock.check_count(value, field) if zero else stock.check_quantity(item, value, field)
    if value != value.to_integral_value():
        raise DomainError(_("Linen is counted piece by piece: give a whole number."), field)
    return value


def send(store: Store, counts: dict[int, object], *, by: User) -> LaundryBatch:
    """A batch of soiled linen from `store` (a linen room): item id -> pieces (0: none)."""
    if store.kind != StoreKind.LINEN or not store.active:
        raise DomainError(_("Soiled linen goes to the laundry from a linen room."), "store_id")
    items = {item.id: item for item in linen_items(store.property_id)}
    lines = []
    for item_id, value in counts.items():
        item = items.get(item_id)
        if item is None:
            raise DomainError(_("Only this property's linen goes to the laundry."))
        pieces = _whole(item, value, f"sent-{item_id}", zero=True)
        if pieces:
            lines.append((item, pieces))
    if not lines:
        raise DomainError(_("Count at least one piece of linen to send."))
    batch = LaundryBatch(
        property_id=store.property_id, store_id=store.id, sent_by_id=by.id, sent_at=utcnow()
    )
    batch.lines = [
        LaundryLine(item_id=item.id, sent=pieces, unit_cost=item.unit_cost)
        for item, pieces in lines
    ]
    db.session.add(batch)
    db.session.flush()
    audit.record(
        "inventory.laundry_sent",
        batch,
        actor=by,
        summary=f"{store.code}: "
        + ", ".join(f"{item.code} {stock.quantity_text(n)}" for item, n in lines),
    )
    return batch


def back(batch: LaundryBatch, counts: dict[int, tuple], *, by: User) -> list:
    """The batch back: line id -> (returned clean, rejected). What came back clean goes into
    the linen room. Returns the movements."""
    lines = {line.id: line for line in batch.lines}
    checked = {}
    for line_id, line in lines.items():
        returned, rejected = counts.get(line_id, (None, None))
        if returned is None:
            raise DomainError(
                _("Count what came back of %(item)s (0 when none).", item=line.item.name),
                f"returned-{line_id}",
            )
        returned = _whole(line.item, returned, f"returned-{line_id}", zero=True)
        rejected = _whole(line.item, rejected or 0, f"rejected-{line_id}", zero=True)
        if returned + rejected > line.sent:
            raise DomainError(
                _(
                    "%(item)s: %(sent)s were sent; clean and rejected together cannot be more.",
                    item=line.item.name,
                    sent=stock.quantity_text(line.sent),
                ),
                f"returned-{line_id}",
            )
        checked[line_id] = (returned, rejected)
    if not advance(
        batch, LaundryStatus.OUT, status=LaundryStatus.BACK, back_by_id=by.id, back_at=utcnow()
    ):
        raise DomainError(_("This batch was booked back meanwhile."))
    store = batch.store
    movements = []
    for line_id, (returned, rejected) in checked.items():
        line = lines[line_id]
        line.returned, line.rejected = returned, rejected
        if returned:
            stock._put(store, line.item, returned)
            movements.append(
                stock._record(
                    Kind.LAUNDRY,
                    line.item,
                    store,
                    returned,
                    by=by,
                    unit_cost=line.unit_cost,
                    note=_("Laundry batch %(no)s", no=batch.id),
                )
            )
    db.session.flush()
    lost = sum((line.lost_value for line in lines.values()), start=Decimal("0.00"))
    audit.record(
        "inventory.laundry_back",
        batch,
        actor=by,
        summary=f"{store.code}: lost {lost}",
    )
    return movements


@dataclass(frozen=True)
class FloorLinen:
    floor: int
    pantry: Store | None
    item: Item
    par: Decimal  # one set in every room of the floor
    on_hand: Decimal  # in the floor's pantry

    @property
    def pars(self) -> Decimal | None:
        """The pantry's stock, in sets of the floor's par (a spare set or more is usual)."""
        if not self.par:
            return None
        return (self.on_hand / self.par).quantize(Decimal("0.1"))


def floor_par(property_id: int, items: list[Item] | None = None) -> list[FloorLinen]:
    """Each floor's linen par (the par kits of its rooms) beside what its pantry holds: four
    queries (three given the linen items), none per floor."""
    from portal.blueprints.rosters.models import Room

    rows = db.session.execute(
        select(Room.floor, ParItem.item_id, func.sum(ParItem.quantity))
        .join(ParItem, ParItem.room_type_id == Room.room_type_id)
        .join(Item, Item.id == ParItem.item_id)
        .where(
            Room.property_id == property_id,
            Room.active.is_(True),
            Item.category == Category.LINEN,
        )
        .group_by(Room.floor, ParItem.item_id)
    ).all()
    pantries = {
        s.floor: s
        for s in db.session.scalars(
            select(Store).where(
                Store.property_id == property_id,
                Store.kind == StoreKind.PANTRY,
                Store.active.is_(True),
            )
        )
    }
    levels = {
        (store_id, item_id): on_hand
        for store_id, item_id, on_hand in db.session.execute(
            select(StockLevel.store_id, StockLevel.item_id, StockLevel.on_hand).where(
                StockLevel.store_id.in_([s.id for s in pantries.values()] or [0])
            )
        )
    }
    items = {item.id: item for item in (linen_items(property_id) if items is None else items)}
    found = []
    for floor, item_id, par in rows:
        if item_id not in items:
            continue
        pantry = pantries.get(floor)
        on_hand = levels.get((pantry.id, item_id), Decimal(0)) if pantry else Decimal(0)
        found.append(FloorLinen(floor, pantry, items[item_id], Decimal(par), Decimal(on_hand)))
    return sorted(found, key=lambda f: (f.floor, f.item.code))

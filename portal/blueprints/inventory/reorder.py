"""The reorder list of a store, and the purchase requests raised from it.

An item is to order when its projected stock (on hand, plus what is on order, less what approved
requests will still take) is at or below its reorder point. The suggestion is the reorder
quantity, or more when that would not bring the projection back above the point. At most one
purchase request is open per item and store (a partial unique index), so a shortage raises one
request, not one a day; receiving the item closes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from portal import audit
from portal.blueprints.inventory.models import (
    Item,
    PurchaseRequest,
    PurchaseStatus,
    StockLevel,
    Store,
)
from portal.blueprints.inventory.requests import requested_quantities
from portal.blueprints.people.models import User
from portal.database import advance, utcnow
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import gettext as _

ZERO = Decimal("0")


@dataclass
class ReorderRow:
    level: StockLevel
    on_order: Decimal
    requested: Decimal
    projected: Decimal
    suggested: Decimal
    purchase: PurchaseRequest | None

    @property
    def item(self) -> Item:
        return self.level.item


def open_purchases(store_id: int) -> dict[int, PurchaseRequest]:
    rows = db.session.scalars(
        select(PurchaseRequest)
        .options(joinedload(PurchaseRequest.item))
        .where(
            PurchaseRequest.store_id == store_id,
            PurchaseRequest.status == PurchaseStatus.OPEN,
        )
    )
    return {p.item_id: p for p in rows}


def suggestion(level: StockLevel, projected: Decimal) -> Decimal:
    point = level.reorder_point or ZERO
    quantity = level.reorder_quantity or ZERO
    if quantity > 0 and projected + quantity > point:
        return quantity
    # Enough to bring the projection back above the point (one more than it, at least).
    return point - projected + max(quantity, Decimal("1"))


def reorder_list(store: Store) -> list[ReorderRow]:
    """Items of the store at or below their reorder point, counting what is on order and what
    approved requests still take."""
    levels = db.session.scalars(
        select(StockLevel)
        .join(Item, Item.id == StockLevel.item_id)
        .options(joinedload(StockLevel.item))
        .where(
            StockLevel.store_id == store.id,
            StockLevel.reorder_point.is_not(None),
            Item.active.is_(True),
        )
        .order_by(Item.category, Item.code)
    ).all()
    purchases = open_purchases(store.id)
    requested = requested_quantities(store.id)
    rows = []
    for level in levels:
        purchase = purchases.get(level.item_id)
        on_order = purchase.quantity if purchase is not None else ZERO
        asked = requested.get(level.item_id, ZERO)
        projected = level.on_hand + on_order - asked
        if projected > level.reorder_point:
            continue
        rows.append(
            ReorderRow(
                level=level,
                on_order=on_order,
                requested=asked,
                projected=projected,
                suggested=ZERO if purchase is not None else suggestion(level, projected),
                purchase=purchase,
            )
        )
    return rows


def raise_purchases(store: Store, *, by: User) -> list[PurchaseRequest]:
    """A purchase request for every item on the reorder list that has none open."""
    raised = []
    for row in reorder_list(store):
        if row.purchase is not None or row.suggested <= 0:
            continue
        purchase = PurchaseRequest(
            property_id=store.property_id,
            store_id=store.id,
            item_id=row.item.id,
            quantity=row.suggested,
            status=PurchaseStatus.OPEN,
            raised_by_id=by.id,
            raised_at=utcnow(),
        )
        try:
            with db.session.begin_nested():
                db.session.add(purchase)
        except IntegrityError:
            continue  # raised meanwhile by someone else: theirs stands
        audit.record(
            "inventory.purchase_raised",
            purchase,
            actor=by,
            summary=f"{row.item.code} x {row.suggested.normalize():f} @ {store.code}",
        )
        raised.append(purchase)
    return raised


def cancel_purchase(purchase: PurchaseRequest, *, by: User) -> None:
    if not advance(
        purchase, PurchaseStatus.OPEN, status=PurchaseStatus.CANCELLED, closed_at=utcnow()
    ):
        raise DomainError(_("This purchase request is closed already."))
    audit.record("inventory.purchase_cancelled", purchase, actor=by)


def close_open_purchase(store_id: int, item_id: int) -> None:
    """A receipt of the item into the store closes its open purchase request."""
    db.session.execute(
        update(PurchaseRequest)
        .where(
            PurchaseRequest.store_id == store_id,
            PurchaseRequest.item_id == item_id,
            PurchaseRequest.status == PurchaseStatus.OPEN,
        )
        .values(status=PurchaseStatus.RECEIVED, closed_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def open_purchase_list(store: Store) -> list[PurchaseRequest]:
    return list(
        db.session.scalars(
            select(PurchaseRequest)
            .join(Item, Item.id == PurchaseRequest.item_id)
            .options(joinedload(PurchaseRequest.item), joinedload(PurchaseRequest.raised_by))
            .where(
                PurchaseRequest.store_id == store.id,
                PurchaseRequest.status == PurchaseStatus.OPEN,
            )
            .order_by(Item.category, Item.code)
        )
    )

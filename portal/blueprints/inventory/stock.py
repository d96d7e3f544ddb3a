"""Movements: the only way stock changes.

Each movement is a row that is only ever added, and changes the stock of its store by one
atomic UPDATE. What leaves a store is taken with `WHERE on_hand >= quantity`: when two people
issue the last three towels at once, one UPDATE matches and the other matches nothing and is
refused with what is on hand now; stock never goes below zero (the CHECK on stock_levels is the
last guard). A wrong movement is undone by a reversal pointing at it, once.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from portal import audit
from portal.blueprints.inventory.models import (
    MAX_COST,
    MAX_QUANTITY,
    SIGN,
    Item,
    Kind,
    LossReason,
    Movement,
    StockLevel,
    Store,
)
from portal.blueprints.people.models import Department, User
from portal.database import utcnow
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import gettext as _

CENT = Decimal("0.01")
THOUSANDTH = Decimal("0.001")


def quantity_text(quantity: Decimal) -> str:
    """12, 0.5, 2.25: a quantity without trailing zeros."""
    text = format(Decimal(quantity).normalize(), "f")
    return text


def check_quantity(item: Item, quantity, field: str = "quantity") -> Decimal:
    """A positive quantity in the item's unit: whole for pieces, up to three decimals for
    litres and kilograms, and not absurd."""
    if quantity is None:
        raise DomainError(_("Give a quantity."), field)
    quantity = Decimal(quantity)
    if not quantity.is_finite() or quantity <= 0:
        raise DomainError(_("A quantity is more than 0."), field)
    if quantity > MAX_QUANTITY:
        raise DomainError(_("A quantity is at most 999,999."), field)
    if item.unit_enum.whole and quantity != quantity.to_integral_value():
        raise DomainError(
            _(
                "Give a whole number: this item is counted by the %(unit)s.",
                unit=item.unit_enum.label,
            ),
            field,
        )
    if quantity != quantity.quantize(THOUSANDTH):
        raise DomainError(_("A quantity has at most three decimals."), field)
    return quantity


def check_count(quantity, field: str = "quantity") -> Decimal:
    """A number that may be 0 (a struck-out line, a par taken out, nothing short)."""
    if quantity is None:
        raise DomainError(_("Give a quantity."), field)
    quantity = Decimal(quantity)
    if not quantity.is_finite() or quantity < 0:
        raise DomainError(_("A quantity is 0 or more."), field)
    if quantity > MAX_QUANTITY:
        raise DomainError(_("A quantity is at most 999,999."), field)
    return quantity


def check_cost(cost, field: str = "unit_cost") -> Decimal:
    if cost is None:
        raise DomainError(_("Give the cost of one unit (0 when it cost nothing)."), field)
    cost = Decimal(cost)
    if not cost.is_finite() or cost < 0 or cost > MAX_COST:
        raise DomainError(_("A unit cost is between 0 and 9,999,999."), field)
    if cost != cost.quantize(CENT):
        raise DomainError(_("A unit cost has at most two decimals."), field)
    return cost


def level_of(store_id: int, item_id: int) -> StockLevel | None:
    return db.session.scalar(
        select(StockLevel).where(StockLevel.store_id == store_id, StockLevel.item_id == item_id)
    )


def on_hand(store_id: int, item_id: int) -> Decimal:
    value = db.session.scalar(
        select(StockLevel.on_hand).where(
            StockLevel.store_id == store_id, StockLevel.item_id == item_id
        )
    )
    return value if value is not None else Decimal("0")


def on_hand_many(store_id: int, item_ids) -> dict[int, Decimal]:
    """Item id -> what the store has of it (0 for an item it does not keep), in one query."""
    item_ids = list(item_ids)
    found = {}
    if item_ids:
        found = dict(
            db.session.execute(
                select(StockLevel.item_id, StockLevel.on_hand).where(
                    StockLevel.store_id == store_id, StockLevel.item_id.in_(item_ids)
                )
            ).all()
        )
    return {item_id: found.get(item_id, Decimal("0")) for item_id in item_ids}


def _ensure_level(store: Store, item: Item) -> None:
    """The item's row in the store, made when stock first arrives (two arrivals at once: the
    second finds the first's row)."""
    if level_of(store.id, item.id) is not None:
        return
    try:
        with db.session.begin_nested():
            db.session.add(
                StockLevel(property_id=store.property_id, store_id=store.id, item_id=item.id)
            )
    except IntegrityError:
        pass


def _rounded(expression):
    """A sum of quantities, to their three decimals: SQLite keeps fractions as binary floats
    (0.3 - 0.1 - 0.1 is not 0.1 there), PostgreSQL as exact numerics, which round leaves be."""
    return func.round(expression, 3)


def _forget_loaded(store_id: int, item_id: int) -> None:
    """A stock level already loaded in this session is read again after an UPDATE changed it
    (a page drawn after a movement shows what the store has now)."""
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, StockLevel) and (obj.store_id, obj.item_id) == (store_id, item_id):
            db.session.expire(obj, ["on_hand", "changed_at"])


def _put(store: Store, item: Item, quantity: Decimal) -> None:
    _ensure_level(store, item)
    db.session.execute(
        update(StockLevel)
        .where(StockLevel.store_id == store.id, StockLevel.item_id == item.id)
        .values(on_hand=_rounded(StockLevel.on_hand + quantity), changed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    _forget_loaded(store.id, item.id)


def _take(store: Store, item: Item, quantity: Decimal, field: str = "quantity") -> None:
    taken = db.session.execute(
        update(StockLevel)
        .where(
            StockLevel.store_id == store.id,
            StockLevel.item_id == item.id,
            StockLevel.on_hand >= quantity,
        )
        .values(on_hand=_rounded(StockLevel.on_hand - quantity), changed_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    _forget_loaded(store.id, item.id)
    if not taken:
        raise DomainError(
            _(
                "Only %(left)s %(unit)s of %(item)s in %(store)s: not enough for %(asked)s.",
                left=quantity_text(on_hand(store.id, item.id)),
                unit=item.unit_enum.label,
                item=item.name,
                store=store.name,
                asked=quantity_text(quantity),
            ),
            field,
        )


def _check_place(item: Item, store: Store) -> None:
    if item.property_id != store.property_id or not store.active:
        raise DomainError(_("Choose one of this property's stores."), "store_id")
    if not item.active:
        raise DomainError(_("%(item)s is no longer stocked.", item=item.name), "item_id")


def _check_custodian(item: Item, by: User) -> None:
    from portal.blueprints.inventory.permissions import is_manager

    if item.custodian_id is not None and item.custodian_id != by.id and not is_manager(by):
        raise DomainError(
            _(
                "%(item)s is issued by its custodian, %(name)s.",
                item=item.name,
                name=item.custodian.name if item.custodian else "",
            ),
            "item_id",
        )


def _value(quantity: Decimal, unit_cost: Decimal) -> Decimal:
    return (quantity * unit_cost).quantize(CENT, rounding=ROUND_HALF_UP)


def _record(
    kind: Kind, item: Item, store: Store, quantity: Decimal, *, by: User, **fields
) -> Movement:
    unit_cost = fields.pop("unit_cost", None)
    unit_cost = item.unit_cost if unit_cost is None else unit_cost
    change = fields.pop("change", SIGN.get(kind, 1) * quantity)
    movement = Movement(
        property_id=item.property_id,
        kind=kind,
        item_id=item.id,
        store_id=store.id,
        quantity=quantity,
        change=change,
        unit_cost=unit_cost,
        value=_value(quantity, unit_cost),
        by_id=by.id,
        at=utcnow(),
        **fields,
    )
    db.session.add(movement)
    db.session.flush([movement])
    audit.record(
        f"inventory.{kind.value}",
        movement,
        actor=by,
        summary=f"{item.code} {quantity_text(change)} @ {store.code}",
    )
    return movement


def _check_department(department: Department | None, property_id: int) -> None:
    if department is None or department.property_id != property_id:
        raise DomainError(_("Choose one of this property's departments."), "department_id")


def receive(
    item: Item,
    store: Store,
    quantity,
    unit_cost,
    *,
    by: User,
    supplier: str = "",
    note: str = "",
) -> Movement:
    """Stock in from a supplier at its cost; the item's unit cost becomes the latest price, and
    an open purchase request for the item and store is marked received."""
    from portal.blueprints.inventory.reorder import close_open_purchase

    _check_place(item, store)
    quantity = check_quantity(item, quantity)
    unit_cost = check_cost(unit_cost)
    _put(store, item, quantity)
    if unit_cost != item.unit_cost:
        db.session.execute(
            update(Item)
            .where(Item.id == item.id)
            .values(unit_cost=unit_cost)
            .execution_options(synchronize_session=False)
        )
        set_committed_value(item, "unit_cost", unit_cost)  # what is loaded says so too
    movement = _record(
        Kind.RECEIVE,
        item,
        store,
        quantity,
        by=by,
        unit_cost=unit_cost,
        supplier=supplier or None,
        note=note or None,
    )
    close_open_purchase(store.id, item.id)
    return movement


def issue(
    item: Item,
    store: Store,
    quantity,
    *,
    by: User,
    department: Department | None,
    person: User | None = None,
    note: str = "",
    request_id: int | None = None,
    kind: Kind = Kind.ISSUE,
    room_id: int | None = None,
) -> Movement:
    """Stock out to a department (and a person or a room), never more than is on hand."""
    _check_place(item, store)
    _check_department(department, store.property_id)
    _check_custodian(item, by)
    quantity = check_quantity(item, quantity)
    if person is not None and person.property_id != store.property_id:
        raise DomainError(_("Choose one of this property's people."), "person_id")
    _take(store, item, quantity)
    return _record(
        kind,
        item,
        store,
        quantity,
        by=by,
        department_id=department.id,
        person_id=person.id if person is not None else None,
        room_id=room_id,
        request_id=request_id,
        note=note or None,
    )


def transfer(item: Item, store: Store, to_store: Store, quantity, *, by: User) -> Movement:
    _check_place(item, store)
    _check_place(item, to_store)
    if to_store.id == store.id:
        raise DomainError(_("Choose another store to move it to."), "to_store_id")
    _check_custodian(item, by)
    quantity = check_quantity(item, quantity)
    _take(store, item, quantity)
    _put(to_store, item, quantity)
    return _record(Kind.TRANSFER, item, store, quantity, by=by, to_store_id=to_store.id)


def return_(
    item: Item, store: Store, quantity, *, by: User, department: Department | None, note=""
) -> Movement:
    """Unused stock back from a department: it lowers that department's spend."""
    _check_place(item, store)
    _check_department(department, store.property_id)
    quantity = check_quantity(item, quantity)
    _put(store, item, quantity)
    return _record(
        Kind.RETURN, item, store, quantity, by=by, department_id=department.id, note=note or None
    )


def loss(item: Item, store: Store, quantity, reason: str, *, by: User, note: str = "") -> Movement:
    _check_place(item, store)
    if reason not in set(LossReason):
        raise DomainError(_("Choose why it was lost or damaged."), "reason")
    _check_custodian(item, by)
    quantity = check_quantity(item, quantity)
    _take(store, item, quantity)
    return _record(Kind.LOSS, item, store, quantity, by=by, reason=reason, note=note or None)


def reverse(movement: Movement, why: str, *, by: User) -> Movement:
    """Undo a movement with a reversal that points at it (once). Stock taken back from a store
    must still be there: a receipt already issued on cannot be reversed."""
    why = (why or "").strip()
    if not why:
        raise DomainError(_("Say why the movement is reversed."), "why")
    if movement.kind_enum is Kind.REVERSAL:
        raise DomainError(_("A reversal is not reversed: record the movement again."))
    done = db.session.scalar(select(Movement.id).where(Movement.reverses_id == movement.id))
    if done is not None:
        raise DomainError(_("This movement was reversed already."))
    item, store = movement.item, movement.store
    if movement.change > 0:
        _take(store, item, movement.quantity)
    else:
        _put(store, item, movement.quantity)
    if movement.to_store_id is not None:
        _take(movement.to_store, item, movement.quantity)
    try:
        with db.session.begin_nested():
            reversal = _record(
                Kind.REVERSAL,
                item,
                store,
                movement.quantity,
                by=by,
                change=-movement.change,
                unit_cost=movement.unit_cost,
                reverses_id=movement.id,
                department_id=movement.department_id,
                room_id=movement.room_id,
                person_id=movement.person_id,
                to_store_id=movement.to_store_id,
                note=why[:200],
            )
    except IntegrityError:
        raise DomainError(_("This movement was reversed already.")) from None
    return reversal


def reversed_ids(movement_ids: list[int]) -> set[int]:
    if not movement_ids:
        return set()
    return set(
        db.session.scalars(
            select(Movement.reverses_id).where(Movement.reverses_id.in_(movement_ids))
        )
    )

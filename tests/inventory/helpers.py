"""Inventory objects for tests, in one line each: stores (kept by a department), items, stock
received through the service, and a rosters room type's par kit."""

from __future__ import annotations

import itertools
from decimal import Decimal

from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.blueprints.inventory import stock, topups
from portal.blueprints.inventory.models import (
    Category,
    Item,
    Movement,
    ParItem,
    PurchaseRequest,
    StockLevel,
    Stocktake,
    StocktakeLine,
    Store,
    StoreKind,
    SupplyRequest,
    TopUp,
    Unit,
)
from portal.blueprints.inventory.permissions import STORES
from portal.blueprints.people.models import Department, Property, User
from portal.extensions import db
from tests import factories

_seq = itertools.count(1)


def stores_department(prop: Property) -> Department:
    """The property's stores and purchasing ("STR"), made on first use (the people factory
    makes only FO, HK and HR)."""
    found = factories.department(prop, STORES)
    if found is not None:
        return found
    made = Department(
        property_id=prop.id, code=STORES, name_en="Stores & Purchasing", name_zh="仓库采购部"
    )
    db.session.add(made)
    db.session.flush()
    return made


def storekeeper(prop: Property, role: str = "employee", **kw) -> User:
    """A person of the property's stores and purchasing (a supervisor supervises it)."""
    stores_department(prop)
    return factories.person(role, prop=prop, dept=STORES, **kw)


def manager(prop: Property, **kw) -> User:
    return factories.person("manager", prop=prop, dept="FO", **kw)


def store(
    prop: Property,
    kind: StoreKind = StoreKind.MAIN,
    *,
    floor: int | None = None,
    dept: str | None = None,
    code: str | None = None,
    active: bool = True,
    name_en: str | None = None,
) -> Store:
    """A store: the main store is kept by stores and purchasing, a pantry or the linen room by
    housekeeping (or the department `dept`)."""
    kind = StoreKind(kind)
    if dept is None:
        dept = STORES if kind is StoreKind.MAIN else "HK"
    department = stores_department(prop) if dept == STORES else factories.department(prop, dept)
    n = next(_seq)
    made = Store(
        property_id=prop.id,
        code=code or f"S{n:03d}",
        name_en=name_en or (f"Pantry floor {floor}" if floor is not None else f"Store {n}"),
        name_zh=f"仓库{n}",
        kind=kind,
        floor=floor,
        department_id=department.id,
        active=active,
    )
    db.session.add(made)
    db.session.flush()
    return made


def item(
    prop: Property,
    name_en: str = "Bath towel",
    *,
    unit: Unit = Unit.PIECE,
    category: Category = Category.LINEN,
    unit_cost: str | Decimal = "2.50",
    custodian: User | None = None,
    code: str | None = None,
    active: bool = True,
) -> Item:
    made = Item(
        property_id=prop.id,
        code=code or f"I{next(_seq):04d}",
        name_en=name_en,
        name_zh=f"{name_en}（中）",
        category=Category(category),
        unit=Unit(unit),
        unit_cost=Decimal(unit_cost),
        custodian_id=custodian.id if custodian is not None else None,
        active=active,
    )
    db.session.add(made)
    db.session.flush()
    return made


def level(store_: Store, item_: Item) -> StockLevel | None:
    return db.session.scalar(
        select(StockLevel).where(StockLevel.store_id == store_.id, StockLevel.item_id == item_.id)
    )


def stocked(
    store_: Store,
    item_: Item,
    quantity: str | int | Decimal,
    *,
    unit_cost: str | Decimal | None = None,
    by: User | None = None,
    reorder_point: str | int | None = None,
    reorder_quantity: str | int | None = None,
) -> StockLevel:
    """The item received into the store through stock.receive (at its own cost unless told),
    then its reorder point and quantity set."""
    by = by or storekeeper(db.session.get(Property, store_.property_id))
    cost = item_.unit_cost if unit_cost is None else Decimal(unit_cost)
    stock.receive(item_, store_, Decimal(quantity), cost, by=by, supplier="Linen & Co.")
    made = level(store_, item_)
    # receive changes both rows by UPDATEs of its own: read them again, as a new request would
    db.session.expire(item_, ["unit_cost"])
    db.session.expire(made)
    if reorder_point is not None:
        made.reorder_point = Decimal(reorder_point)
    if reorder_quantity is not None:
        made.reorder_quantity = Decimal(reorder_quantity)
    db.session.flush()
    return made


def on_hand(store_: Store, item_: Item) -> Decimal:
    return stock.on_hand(store_.id, item_.id)


def par_kit(
    room_type, lines: dict[Item, object], *, by: User, refill: tuple | None = None
) -> list[ParItem]:
    """The room type's par kit through topups.set_par: item -> quantity. Every item is taken
    away at a departure (departure_refill), or only the items of `refill` when it is given."""
    for item_, quantity in lines.items():
        keep = True if refill is None else item_ in refill
        topups.set_par(room_type, item_, Decimal(quantity), departure_refill=keep, by=by)
    return topups.par_kit(room_type.id)


# --- reading back what was written ----------------------------------------------------------
def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def actions(prefix: str = "inventory.") -> list[str]:
    """The audit actions written so far (of this module), oldest first."""
    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.action.startswith(prefix))
            .order_by(AuditEvent.id)
        )
    )


def events(action: str) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        )
    )


def movements(*where) -> list[Movement]:
    return list(db.session.scalars(select(Movement).where(*where).order_by(Movement.id)))


def written() -> dict[str, int]:
    """How many rows each table of the module (and the trail) holds: to prove nothing was."""
    return {
        model.__tablename__: count(model)
        for model in (
            Movement,
            StockLevel,
            PurchaseRequest,
            SupplyRequest,
            TopUp,
            Stocktake,
            StocktakeLine,
            AuditEvent,
        )
    }


def levels(*pairs) -> dict[tuple[int, int], Decimal]:
    """(store, item) -> on hand, read from the database."""
    return {(s.id, i.id): stock.on_hand(s.id, i.id) for s, i in pairs}

"""The item list, the stores and what each store keeps: the pages' queries and their upkeep.

The stock page lists one store's items a page at a time (one query: rows and count), filtered
by category, by a word of the code or either name, and to what is at or below its reorder point;
the rule "at or below" is written once (`BELOW`) for the list and the home card's count.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from portal import audit
from portal.audit import describe_changes
from portal.blueprints.inventory import stock
from portal.blueprints.inventory.models import (
    MAX_QUANTITY,
    Category,
    Item,
    Movement,
    StockLevel,
    Store,
    StoreKind,
    Unit,
)
from portal.blueprints.people.models import Department, User
from portal.database import built_once, contains
from portal.errors import DomainError, FieldErrors
from portal.extensions import db
from portal.i18n import gettext as _
from portal.pagination import Page, paginate

BELOW = and_(StockLevel.reorder_point.is_not(None), StockLevel.on_hand <= StockLevel.reorder_point)


def stores_of(property_id: int, *, active_only: bool = True) -> list[Store]:
    query = (
        select(Store).options(joinedload(Store.department)).where(Store.property_id == property_id)
    )
    if active_only:
        query = query.where(Store.active.is_(True))
    order = {StoreKind.MAIN: 0, StoreKind.LINEN: 1, StoreKind.SPA: 2, StoreKind.PANTRY: 3}
    return sorted(
        db.session.scalars(query), key=lambda s: (order.get(s.kind, 9), s.floor or 0, s.code)
    )


def get_store(store_id: int) -> Store | None:
    return db.session.get(Store, store_id)


def get_item(item_id: int) -> Item | None:
    return db.session.get(Item, item_id)


def items_of(property_id: int) -> list[Item]:
    return list(
        db.session.scalars(
            select(Item)
            .where(Item.property_id == property_id, Item.active.is_(True))
            .order_by(Item.category, Item.code)
        )
    )


@built_once
def _stock_statement(has_q: bool, has_category: bool, below: bool):
    query = (
        select(StockLevel, Item)
        .join(Item, Item.id == StockLevel.item_id)
        .where(StockLevel.store_id == db.bindparam("store_id"), Item.active.is_(True))
    )
    if has_q:
        pattern = db.bindparam("q")
        query = query.where(
            or_(
                contains(Item.code, pattern),
                contains(Item.name_en, pattern),
                contains(Item.name_zh, pattern),
            )
        )
    if has_category:
        query = query.where(Item.category == db.bindparam("category"))
    if below:
        query = query.where(BELOW)
    return query.order_by(Item.category, Item.code, StockLevel.id)


def stock_page(store: Store, *, q: str = "", category: str = "", below: bool = False) -> Page:
    from portal.database import like_pattern

    params = {"store_id": store.id}
    if q:
        params["q"] = like_pattern(q)
    if category:
        params["category"] = category
    return paginate(_stock_statement(bool(q), bool(category), below), params, whole_rows=True)


def levels_of(item: Item) -> list[StockLevel]:
    return list(
        db.session.scalars(
            select(StockLevel)
            .join(Store, Store.id == StockLevel.store_id)
            .options(joinedload(StockLevel.store))
            .where(StockLevel.item_id == item.id)
            .order_by(Store.kind, Store.floor, Store.code)
        )
    )


def history_query(item: Item, store_id: int | None = None, kind: str = ""):
    query = (
        select(Movement)
        .options(
            joinedload(Movement.store),
            joinedload(Movement.to_store),
            joinedload(Movement.by),
            joinedload(Movement.person),
            joinedload(Movement.department),
        )
        .where(Movement.item_id == item.id)
    )
    if store_id:
        query = query.where(or_(Movement.store_id == store_id, Movement.to_store_id == store_id))
    if kind:
        query = query.where(Movement.kind == kind)
    return query.order_by(Movement.at.desc(), Movement.id.desc())


def history_page(item: Item, store_id: int | None = None, kind: str = "") -> Page:
    return paginate(history_query(item, store_id, kind))


# --- upkeep -------------------------------------------------------------------------------------
@dataclass
class ItemData:
    code: str
    name_en: str
    name_zh: str
    category: str
    unit: str
    unit_cost: Decimal
    custodian_id: int | None = None


def _check_item(property_id: int, data: ItemData, item_id: int | None) -> None:
    errors = {}
    if not data.code:
        errors["code"] = _("Give the item a code.")
    if not data.name_en or not data.name_zh:
        errors["name_zh" if data.name_en else "name_en"] = _(
            "Give the item's name in English and in Chinese: both are printed."
        )
    if data.category not in set(Category):
        errors["category"] = _("Choose a category.")
    if data.unit not in set(Unit):
        errors["unit"] = _("Choose a unit.")
    if data.code:
        clash = db.session.scalar(
            select(Item.id).where(
                Item.property_id == property_id, Item.code == data.code, Item.id != (item_id or 0)
            )
        )
        if clash is not None:
            errors["code"] = _("Another item has the code %(code)s.", code=data.code)
    if data.custodian_id is not None:
        person = db.session.get(User, data.custodian_id)
        if person is None or person.property_id != property_id or not person.active:
            errors["custodian_id"] = _("Choose an active person of this property.")
    if errors:
        raise FieldErrors(errors)
    stock.check_cost(data.unit_cost)


def _snapshot(item: Item) -> dict:
    return {
        "code": item.code,
        "name_en": item.name_en,
        "name_zh": item.name_zh,
        "category": item.category,
        "unit": item.unit,
        "unit_cost": str(item.unit_cost),
        "custodian_id": item.custodian_id,
    }


def add_item(property_id: int, data: ItemData, *, by: User) -> Item:
    _check_item(property_id, data, None)
    item = Item(property_id=property_id, **data.__dict__)
    try:
        with db.session.begin_nested():
            db.session.add(item)
    except IntegrityError:
        raise DomainError(
            _("Another item has the code %(code)s.", code=data.code), "code"
        ) from None
    audit.record("inventory.item_added", item, actor=by, summary=f"{item.code} {item.name_en}")
    return item


def update_item(item: Item, data: ItemData, *, by: User) -> Item:
    _check_item(item.property_id, data, item.id)
    if data.unit != item.unit:
        moved = db.session.scalar(select(Movement.id).where(Movement.item_id == item.id).limit(1))
        if moved is not None:
            raise DomainError(
                _(
                    "Stock of this item has moved in %(unit)s: its unit stays.",
                    unit=item.unit_enum.label,
                ),
                "unit",
            )
    before = _snapshot(item)
    for key, value in data.__dict__.items():
        setattr(item, key, value)
    db.session.flush()
    after = _snapshot(item)
    if after != before:
        audit.record(
            "inventory.item_changed", item, actor=by, summary=describe_changes(before, after)
        )
    return item


def set_reorder(store: Store, item: Item, point, quantity, *, by: User) -> StockLevel:
    """The reorder point and quantity of an item in a store (empty point: not reordered)."""
    if item.property_id != store.property_id:
        raise DomainError(_("Choose one of this property's stores."), "store_id")
    if point is not None:
        point = Decimal(point)
        if point < 0 or point > MAX_QUANTITY:
            raise DomainError(_("A reorder point is between 0 and 999,999."), "reorder_point")
        if quantity is None:
            raise DomainError(
                _("Give how much to order when it reaches the point."), "reorder_quantity"
            )
        quantity = stock.check_quantity(item, quantity, "reorder_quantity")
    stock._ensure_level(store, item)
    level = stock.level_of(store.id, item.id)
    before = (level.reorder_point, level.reorder_quantity)
    level.reorder_point = point
    level.reorder_quantity = quantity if point is not None else None
    db.session.flush()
    if before != (level.reorder_point, level.reorder_quantity):
        audit.record(
            "inventory.reorder_set",
            level,
            actor=by,
            summary=f"{item.code} @ {store.code}: {before[0]}/{before[1]} -> "
            f"{level.reorder_point}/{level.reorder_quantity}",
        )
    return level


@dataclass
class StoreData:
    code: str
    name_en: str
    name_zh: str
    kind: str
    department_id: int
    floor: int | None = None


def save_store(property_id: int, data: StoreData, *, by: User, store: Store | None = None) -> Store:
    errors = {}
    if not data.code:
        errors["code"] = _("Give the store a code.")
    if not data.name_en or not data.name_zh:
        errors["name_zh" if data.name_en else "name_en"] = _(
            "Give the store's name in English and in Chinese."
        )
    if data.kind not in set(StoreKind):
        errors["kind"] = _("Choose what kind of store it is.")
    department = db.session.get(Department, data.department_id) if data.department_id else None
    if department is None or department.property_id != property_id:
        errors["department_id"] = _("Choose one of this property's departments.")
    if data.kind == StoreKind.PANTRY and data.floor is None:
        errors["floor"] = _("Give the floor the pantry serves.")
    if data.code:
        clash = db.session.scalar(
            select(Store.id).where(
                Store.property_id == property_id,
                Store.code == data.code,
                Store.id != (store.id if store else 0),
            )
        )
        if clash is not None:
            errors["code"] = _("Another store has the code %(code)s.", code=data.code)
    if errors:
        raise FieldErrors(errors)
    creating = store is None
    if creating:
        store = Store(property_id=property_id)
        db.session.add(store)
    for key, value in data.__dict__.items():
        setattr(store, key, value)
    if data.kind != StoreKind.PANTRY:
        store.floor = None
    db.session.flush()
    audit.record(
        "inventory.store_added" if creating else "inventory.store_changed",
        store,
        actor=by,
        summary=f"{store.code} {store.name_en}",
    )
    return store

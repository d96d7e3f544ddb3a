"""Stores, items, stock on hand, and the movements that change it.

Stock on hand is kept per item and store (`StockLevel.on_hand`) and changed only by a movement:
one row per receipt, issue, transfer, return, loss, top-up or reversal, never edited or deleted.
Each movement changes the stock it names by one atomic UPDATE (`on_hand = on_hand - q WHERE
on_hand >= q` for what leaves a store), so stock never goes below zero, whatever two people do
at once. A wrong movement is undone by a reversal pointing at it, written by someone, with why.

Quantities are Decimal: pieces, pairs, packs and rolls count in whole units; litres and
kilograms in up to three decimals. Money is Decimal too (unit cost and each movement's value).
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import UTCDateTime, utcnow
from portal.extensions import db
from portal.i18n import lazy_gettext as _l
from portal.i18n import lazy_pgettext as pgettext  # lazy; named so that extraction finds it
from portal.i18n import localized

QUANTITY = Numeric(12, 3)
MONEY = Numeric(14, 2)
VALUE = Numeric(16, 2)  # a movement's quantity times its unit cost: up to 999,999 x 9,999,999
MAX_QUANTITY = Decimal("999999")
MAX_COST = Decimal("9999999")


class Category(enum.StrEnum):
    LINEN = "linen"
    TOILETRIES = "toiletries"
    AMENITIES = "amenities"
    CHEMICALS = "chemicals"
    FNB = "fnb"
    STATIONERY = "stationery"
    SPARES = "spares"

    @property
    def label(self) -> str:
        return str(CATEGORY_LABELS[self])


CATEGORY_LABELS = {
    Category.LINEN: _l("Linen"),
    Category.TOILETRIES: _l("Toiletries"),
    Category.AMENITIES: _l("Amenities"),
    Category.CHEMICALS: _l("Cleaning chemicals"),
    Category.FNB: _l("F&B consumables"),
    Category.STATIONERY: _l("Stationery"),
    Category.SPARES: _l("Engineering spares"),
}


class Unit(enum.StrEnum):
    PIECE = "piece"
    PAIR = "pair"
    PACK = "pack"
    BOX = "box"
    ROLL = "roll"
    BOTTLE = "bottle"
    LITRE = "litre"
    KILOGRAM = "kg"

    @property
    def label(self) -> str:
        return str(UNIT_LABELS[self])

    @property
    def whole(self) -> bool:
        """Counted in whole units (a towel, a pair of slippers), not measured (litres)."""
        return self not in (Unit.LITRE, Unit.KILOGRAM)


UNIT_LABELS = {
    Unit.PIECE: pgettext("unit", "piece"),
    Unit.PAIR: pgettext("unit", "pair"),
    Unit.PACK: pgettext("unit", "pack"),
    Unit.BOX: pgettext("unit", "box"),
    Unit.ROLL: pgettext("unit", "roll"),
    Unit.BOTTLE: pgettext("unit", "bottle"),
    Unit.LITRE: pgettext("unit", "litre"),
    Unit.KILOGRAM: pgettext("unit", "kg"),
}


class StoreKind(enum.StrEnum):
    MAIN = "main"
    PANTRY = "pantry"
    SPA = "spa"
    LINEN = "linen"

    @property
    def label(self) -> str:
        return str(STORE_KIND_LABELS[self])


STORE_KIND_LABELS = {
    StoreKind.MAIN: _l("Main store"),
    StoreKind.PANTRY: _l("Floor pantry"),
    StoreKind.SPA: _l("Spa store"),
    StoreKind.LINEN: _l("Linen room"),
}


class Kind(enum.StrEnum):
    """What a movement does to the stock of its store (and, for a transfer, of the other)."""

    RECEIVE = "receive"  # from a supplier, with its cost: in
    ISSUE = "issue"  # to a department, a room or a person: out
    TOP_UP = "top_up"  # to a guest room, what was short of its par: out
    TRANSFER = "transfer"  # out of this store, into to_store
    RETURN = "return"  # back from a department: in
    LOSS = "loss"  # lost or damaged, with a reason: out
    REVERSAL = "reversal"  # undoes the movement it points at
    COUNT = "count"  # a stocktake's adjustment: what was counted less what was expected
    LAUNDRY = "laundry"  # clean linen back from the laundry: in

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self])


KIND_LABELS = {
    Kind.RECEIVE: pgettext("stock movement", "Received"),
    Kind.ISSUE: pgettext("stock movement", "Issued"),
    Kind.TOP_UP: pgettext("stock movement", "Room top-up"),
    Kind.TRANSFER: pgettext("stock movement", "Transfer"),
    Kind.RETURN: pgettext("stock movement", "Returned"),
    Kind.LOSS: pgettext("stock movement", "Loss or damage"),
    Kind.REVERSAL: pgettext("stock movement", "Reversal"),
    Kind.COUNT: pgettext("stock movement", "Stocktake adjustment"),
    Kind.LAUNDRY: pgettext("stock movement", "Back from the laundry"),
}

# +1: the movement adds to its store's stock; -1: it takes from it (a transfer also adds to
# to_store). A reversal has the opposite sign of what it reverses.
SIGN = {
    Kind.RECEIVE: 1,
    Kind.LAUNDRY: 1,
    Kind.RETURN: 1,
    Kind.ISSUE: -1,
    Kind.TOP_UP: -1,
    Kind.TRANSFER: -1,
    Kind.LOSS: -1,
}


class LossReason(enum.StrEnum):
    DAMAGED = "damaged"
    STAINED = "stained"
    MISSING = "missing"
    EXPIRED = "expired"
    GUEST_TOOK = "guest_took"

    @property
    def label(self) -> str:
        return str(LOSS_LABELS[self])


LOSS_LABELS = {
    LossReason.DAMAGED: _l("Damaged or broken"),
    LossReason.STAINED: _l("Stained beyond washing"),
    LossReason.MISSING: _l("Missing"),
    LossReason.EXPIRED: _l("Past its use-by date"),
    LossReason.GUEST_TOOK: _l("Taken by a guest"),
}


class Store(db.Model):
    __tablename__ = "stores"
    __table_args__ = (
        UniqueConstraint("property_id", "code", name="uq_stores_code"),
        CheckConstraint("kind IN ('main', 'pantry', 'spa', 'linen')", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"), index=True)
    code: Mapped[str] = mapped_column(String(16))
    name_en: Mapped[str] = mapped_column(String(80))
    name_zh: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(10))
    floor: Mapped[int | None]  # a floor pantry serves the rooms of its floor
    # The department whose people keep it (issue, receive, count): stores and purchasing for
    # the main store, housekeeping for the pantries and the linen room, the spa for its own.
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    active: Mapped[bool] = mapped_column(default=True)

    @property
    def name(self) -> str:
        return localized(self)

    department = relationship("Department")

    @property
    def kind_enum(self) -> StoreKind:
        return StoreKind(self.kind)


class Item(db.Model):
    __tablename__ = "stock_items"
    __table_args__ = (
        UniqueConstraint("property_id", "code", name="uq_stock_items_code"),
        Index("ix_stock_items_category", "property_id", "category", "code"),
        CheckConstraint("unit_cost >= 0", "unit_cost"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    code: Mapped[str] = mapped_column(String(24))
    name_en: Mapped[str] = mapped_column(String(120))
    name_zh: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(16))
    unit: Mapped[str] = mapped_column(String(10))
    unit_cost: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    # A valuable or critical item has a named custodian, who alone issues it.
    custodian_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    custodian = relationship("User", foreign_keys=[custodian_id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def name(self) -> str:
        return localized(self)

    @property
    def category_enum(self) -> Category:
        return Category(self.category)

    @property
    def unit_enum(self) -> Unit:
        return Unit(self.unit)


class StockLevel(db.Model):
    """An item kept in a store: what is on hand, and when to order more."""

    __tablename__ = "stock_levels"
    __table_args__ = (
        UniqueConstraint("store_id", "item_id", name="uq_stock_levels_item"),
        Index("ix_stock_levels_item", "item_id"),
        CheckConstraint("on_hand >= 0", "on_hand"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"), index=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("stock_items.id"))
    on_hand: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal("0"))
    reorder_point: Mapped[Decimal | None] = mapped_column(QUANTITY)
    reorder_quantity: Mapped[Decimal | None] = mapped_column(QUANTITY)
    last_counted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    store: Mapped[Store] = relationship()
    item: Mapped[Item] = relationship()


class Movement(db.Model):
    """One change of stock. Only ever added."""

    __tablename__ = "stock_movements"
    __table_args__ = (
        Index("ix_stock_movements_item", "item_id", "at"),
        Index("ix_stock_movements_store", "store_id", "at"),
        Index("ix_stock_movements_spend", "property_id", "department_id", "at"),
        CheckConstraint("quantity > 0", "quantity"),
        UniqueConstraint("reverses_id", name="uq_stock_movements_reverses"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    kind: Mapped[str] = mapped_column(String(10))
    item_id: Mapped[int] = mapped_column(ForeignKey("stock_items.id"))
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    to_store_id: Mapped[int | None] = mapped_column(ForeignKey("stores.id"))
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    # +quantity or -quantity: what it did to store_id's stock (a reversal's is the opposite).
    change: Mapped[Decimal] = mapped_column(QUANTITY)
    unit_cost: Mapped[Decimal] = mapped_column(MONEY)
    value: Mapped[Decimal] = mapped_column(VALUE)
    # Whom or what it went to (an issue, a top-up) or came back from (a return).
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    supplier: Mapped[str | None] = mapped_column(String(120))
    reason: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(String(200))
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("stock_movements.id"))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("supply_requests.id"), index=True)
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    item: Mapped[Item] = relationship()
    store: Mapped[Store] = relationship(foreign_keys=[store_id])
    to_store: Mapped[Store | None] = relationship(foreign_keys=[to_store_id])
    by = relationship("User", foreign_keys=[by_id])
    person = relationship("User", foreign_keys=[person_id])
    department = relationship("Department")

    @property
    def kind_enum(self) -> Kind:
        return Kind(self.kind)


class ParItem(db.Model):
    """One line of a room type's par kit: how many of an item a made-up room holds."""

    __tablename__ = "room_par_items"
    __table_args__ = (
        UniqueConstraint("room_type_id", "item_id", name="uq_room_par_items_item"),
        CheckConstraint("quantity > 0", "quantity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"), index=True)
    room_type_id: Mapped[int] = mapped_column(ForeignKey("room_types.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("stock_items.id"))
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    # Taken away after every departure (toiletries, slippers) rather than kept (a hair dryer).
    departure_refill: Mapped[bool] = mapped_column(default=True)

    item: Mapped[Item] = relationship()


class TopUp(db.Model):
    """A room's top-up after a cleaning: once per cleaning, whoever taps twice."""

    __tablename__ = "room_top_ups"
    __table_args__ = (UniqueConstraint("cleaning_id", name="uq_room_top_ups_cleaning"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id"), index=True)
    cleaning_id: Mapped[int | None] = mapped_column(ForeignKey("room_cleanings.id"))
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    store: Mapped[Store] = relationship()
    by = relationship("User")


class RequestStatus(enum.StrEnum):
    OPEN = "open"  # asked, waiting for the supervisor
    APPROVED = "approved"  # the supervisor agreed (perhaps to less); waiting for the store
    ISSUED = "issued"
    REJECTED = "rejected"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return str(REQUEST_LABELS[self])


REQUEST_LABELS = {
    RequestStatus.OPEN: pgettext("supply request", "Waiting for approval"),
    RequestStatus.APPROVED: pgettext("supply request", "Approved, waiting for the store"),
    RequestStatus.ISSUED: pgettext("supply request", "Issued"),
    RequestStatus.REJECTED: pgettext("supply request", "Not approved"),
    RequestStatus.CANCELLED: pgettext("supply request", "Cancelled"),
}


REQUEST_BADGES = {
    RequestStatus.OPEN: "text-bg-warning",
    RequestStatus.APPROVED: "text-bg-info",
    RequestStatus.ISSUED: "text-bg-success",
    RequestStatus.REJECTED: "text-bg-danger",
    RequestStatus.CANCELLED: "text-bg-secondary",
}


class SupplyRequest(db.Model):
    """An employee's request for supplies, approved by their supervisor and issued by a store."""

    __tablename__ = "supply_requests"
    __table_args__ = (
        Index("ix_supply_requests_queue", "property_id", "status", "created_at"),
        Index("ix_supply_requests_requester", "requester_id", "created_at"),
        CheckConstraint(
            "status IN ('open', 'approved', 'issued', 'rejected', 'cancelled')", "status"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    requester_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    for_where: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(10), default=RequestStatus.OPEN)
    note: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str | None] = mapped_column(String(200))
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    requester = relationship("User", foreign_keys=[requester_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])
    issued_by = relationship("User", foreign_keys=[issued_by_id])
    department = relationship("Department")
    store: Mapped[Store] = relationship()
    lines: Mapped[list[RequestLine]] = relationship(
        back_populates="request", order_by="RequestLine.id", cascade="all, delete-orphan"
    )

    @property
    def status_enum(self) -> RequestStatus:
        return RequestStatus(self.status)


class RequestLine(db.Model):
    __tablename__ = "supply_request_lines"
    __table_args__ = (
        UniqueConstraint("request_id", "item_id", name="uq_supply_request_lines_item"),
        CheckConstraint("quantity > 0", "quantity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("supply_requests.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("stock_items.id"))
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)  # asked for
    approved: Mapped[Decimal | None] = mapped_column(QUANTITY)  # 0: struck out

    request: Mapped[SupplyRequest] = relationship(back_populates="lines")
    item: Mapped[Item] = relationship()


class PurchaseStatus(enum.StrEnum):
    OPEN = "open"
    RECEIVED = "received"
    CANCELLED = "cancelled"


class PurchaseRequest(db.Model):
    """An order to buy more of an item for a store. At most one open per item and store, so
    a shortage raises one request, not one a day."""

    __tablename__ = "purchase_requests"
    __table_args__ = (
        Index(
            "uq_purchase_requests_open",
            "store_id",
            "item_id",
            unique=True,
            sqlite_where=db.text("status = 'open'"),
            postgresql_where=db.text("status = 'open'"),
        ),
        Index("ix_purchase_requests_property", "property_id", "status"),
        CheckConstraint("quantity > 0", "quantity"),
        CheckConstraint("status IN ('open', 'received', 'cancelled')", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("stock_items.id"))
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    status: Mapped[str] = mapped_column(String(10), default=PurchaseStatus.OPEN)
    raised_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    item: Mapped[Item] = relationship()
    store: Mapped[Store] = relationship()
    raised_by = relationship("User")


class StocktakeStatus(enum.StrEnum):
    COUNTING = "counting"
    POSTED = "posted"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return str(STOCKTAKE_LABELS[self])


STOCKTAKE_LABELS = {
    StocktakeStatus.COUNTING: pgettext("stocktake", "Counting"),
    StocktakeStatus.POSTED: pgettext("stocktake", "Posted"),
    StocktakeStatus.CANCELLED: pgettext("stocktake", "Cancelled"),
}


class Stocktake(db.Model):
    """A count of one store: the count sheet frozen (what each item was expected to be), the
    counts entered item by item, then the variances posted as adjustments in one step. One
    stocktake at a time per store."""

    __tablename__ = "stocktakes"
    __table_args__ = (
        Index(
            "uq_stocktakes_counting",
            "store_id",
            unique=True,
            sqlite_where=db.text("status = 'counting'"),
            postgresql_where=db.text("status = 'counting'"),
        ),
        Index("ix_stocktakes_property", "property_id", "status"),
        CheckConstraint("status IN ('counting', 'posted', 'cancelled')", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    status: Mapped[str] = mapped_column(String(10), default=StocktakeStatus.COUNTING)
    # A blind count: the counters do not see what the store expects (the poster does).
    show_expected: Mapped[bool] = mapped_column(default=False)
    # A cycle count: only the items due by the cycle-count plan, not the whole store.
    cycle: Mapped[bool] = mapped_column(default=False)
    frozen_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    frozen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    store: Mapped[Store] = relationship()
    frozen_by = relationship("User", foreign_keys=[frozen_by_id])
    closed_by = relationship("User", foreign_keys=[closed_by_id])
    lines: Mapped[list[StocktakeLine]] = relationship(
        back_populates="stocktake", order_by="StocktakeLine.position"
    )

    @property
    def status_enum(self) -> StocktakeStatus:
        return StocktakeStatus(self.status)


class StocktakeLine(db.Model):
    """One item of the count sheet: expected when frozen, counted (or not yet), at the unit
    cost of the freeze; the adjustment it posted."""

    __tablename__ = "stocktake_lines"
    __table_args__ = (
        UniqueConstraint("stocktake_id", "item_id", name="uq_stocktake_lines_item"),
        CheckConstraint("counted IS NULL OR counted >= 0", "counted"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stocktake_id: Mapped[int] = mapped_column(ForeignKey("stocktakes.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("stock_items.id"))
    position: Mapped[int] = mapped_column()  # the sheet's order: category, then code
    expected: Mapped[Decimal] = mapped_column(QUANTITY)
    unit_cost: Mapped[Decimal] = mapped_column(MONEY)
    counted: Mapped[Decimal | None] = mapped_column(QUANTITY)
    counted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    counted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    movement_id: Mapped[int | None] = mapped_column(ForeignKey("stock_movements.id"))

    stocktake: Mapped[Stocktake] = relationship(back_populates="lines")
    item: Mapped[Item] = relationship()
    counted_by = relationship("User", foreign_keys=[counted_by_id])

    @property
    def variance(self) -> Decimal | None:
        return None if self.counted is None else self.counted - self.expected

    @property
    def variance_value(self) -> Decimal | None:
        if self.counted is None:
            return None
        return ((self.counted - self.expected) * self.unit_cost).quantize(Decimal("0.01"))


class Budget(db.Model):
    """What a department may spend on supplies in a month (cost control: within 90% of it)."""

    __tablename__ = "supply_budgets"
    __table_args__ = (
        UniqueConstraint("department_id", "month", name="uq_supply_budgets_month"),
        Index("ix_supply_budgets_property", "property_id", "month"),
        CheckConstraint("amount >= 0", "amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    month: Mapped[date] = mapped_column()  # its first day
    amount: Mapped[Decimal] = mapped_column(MONEY)
    set_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LaundryStatus(enum.StrEnum):
    OUT = "out"  # at the laundry
    BACK = "back"

    @property
    def label(self) -> str:
        return str(LAUNDRY_LABELS[self])


LAUNDRY_LABELS = {
    LaundryStatus.OUT: pgettext("laundry", "At the laundry"),
    LaundryStatus.BACK: pgettext("laundry", "Back"),
}


class LaundryBatch(db.Model):
    """Soiled linen sent from the linen room to the laundry, and what came back clean.

    Soiled linen is no longer stock (it left the stores when rooms were topped up): sending
    it moves no stock. What comes back clean is stock again, by a movement into the linen room;
    what the laundry rejected (stained, torn) and what did not come back are the batch's
    losses."""

    __tablename__ = "laundry_batches"
    __table_args__ = (
        Index("ix_laundry_batches_property", "property_id", "status", "sent_at"),
        CheckConstraint("status IN ('out', 'back')", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    status: Mapped[str] = mapped_column(String(10), default=LaundryStatus.OUT)
    sent_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    back_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    back_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    store: Mapped[Store] = relationship()
    sent_by = relationship("User", foreign_keys=[sent_by_id])
    back_by = relationship("User", foreign_keys=[back_by_id])
    lines: Mapped[list[LaundryLine]] = relationship(
        back_populates="batch", order_by="LaundryLine.id"
    )

    @property
    def status_enum(self) -> LaundryStatus:
        return LaundryStatus(self.status)


class LaundryLine(db.Model):
    __tablename__ = "laundry_lines"
    __table_args__ = (
        UniqueConstraint("batch_id", "item_id", name="uq_laundry_lines_item"),
        CheckConstraint("sent > 0", "sent"),
        CheckConstraint("returned IS NULL OR returned >= 0", "returned"),
        CheckConstraint("rejected IS NULL OR rejected >= 0", "rejected"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("laundry_batches.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("stock_items.id"))
    sent: Mapped[Decimal] = mapped_column(QUANTITY)
    returned: Mapped[Decimal | None] = mapped_column(QUANTITY)  # clean, back into stock
    rejected: Mapped[Decimal | None] = mapped_column(QUANTITY)  # stained or torn: written off
    unit_cost: Mapped[Decimal] = mapped_column(MONEY)  # when sent: the losses' value

    batch: Mapped[LaundryBatch] = relationship(back_populates="lines")
    item: Mapped[Item] = relationship()

    @property
    def missing(self) -> Decimal | None:
        if self.returned is None:
            return None
        return self.sent - self.returned - (self.rejected or 0)

    @property
    def lost_value(self) -> Decimal:
        if self.returned is None:
            return Decimal("0.00")
        lost = self.sent - self.returned
        return (lost * self.unit_cost).quantize(Decimal("0.01"))

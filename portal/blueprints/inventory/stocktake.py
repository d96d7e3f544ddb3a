"""Stocktake: freeze a store's count sheet, count item by item, post the variances in one step.

Freezing writes one line per item the store keeps, with what the store expected to hold then and
the item's unit cost then. Issues and receipts go on while people count (a hotel does not close
its stores): the adjustment an item gets is what was counted less what was expected at the
freeze, added to the stock as it is when the count is posted. A count that would take more than
is left (stock issued since the freeze, then a short count) is refused at posting, with the item
named, and nothing is posted.

One stocktake at a time per store (a partial unique index). A count and the posting both move
the stocktake's row by a conditional UPDATE (`database.advance`), so a count typed while a
manager posts lands before the posting or is refused: never counted but not posted.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from portal import audit
from portal.blueprints.inventory import stock
from portal.blueprints.inventory.models import (
    Category,
    Item,
    Kind,
    StockLevel,
    Stocktake,
    StocktakeLine,
    StocktakeStatus,
    Store,
)
from portal.blueprints.people.models import User
from portal.database import advance, utcnow
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import gettext as _

CATEGORY_ORDER = {category.value: n for n, category in enumerate(Category)}


def get(stocktake_id: int) -> Stocktake | None:
    """The stocktake with its store and the people who froze and closed it (one query)."""
    return db.session.get(
        Stocktake,
        stocktake_id,
        options=[
            joinedload(Stocktake.store),
            joinedload(Stocktake.frozen_by),
            joinedload(Stocktake.closed_by),
        ],
    )


def counting_in(store: Store) -> Stocktake | None:
    return db.session.scalar(
        select(Stocktake).where(
            Stocktake.store_id == store.id, Stocktake.status == StocktakeStatus.COUNTING
        )
    )


def of_store(store: Store, limit: int = 20) -> list[Stocktake]:
    return list(
        db.session.scalars(
            select(Stocktake)
            .where(Stocktake.store_id == store.id)
            .options(joinedload(Stocktake.frozen_by), joinedload(Stocktake.closed_by))
            .order_by(Stocktake.id.desc())
            .limit(limit)
        )
    )


def lines_of(stocktake: Stocktake, *, fresh: bool = False) -> list[StocktakeLine]:
    """The sheet in its order, each line with its item and who counted it (one query);
    `fresh`: read again what this session loaded before."""
    statement = (
        select(StocktakeLine)
        .where(StocktakeLine.stocktake_id == stocktake.id)
        .options(joinedload(StocktakeLine.item), joinedload(StocktakeLine.counted_by))
        .order_by(StocktakeLine.position)
    )
    if fresh:
        statement = statement.execution_options(populate_existing=True)
    return list(db.session.scalars(statement))


@dataclass(frozen=True)
class Progress:
    lines: int
    counted: int
    variances: int  # lines counted differently from what was expected
    value: Decimal  # the variances' value at the freeze's unit costs (+ found, - missing)

    @property
    def left(self) -> int:
        return self.lines - self.counted


def progress(stocktake: Stocktake) -> Progress:
    """How far the count is, in one statement."""
    variance = StocktakeLine.counted - StocktakeLine.expected
    row = db.session.execute(
        select(
            func.count(),
            func.count(StocktakeLine.counted),
            func.count().filter(StocktakeLine.counted != StocktakeLine.expected),
            func.coalesce(func.sum(variance * StocktakeLine.unit_cost), 0),
        ).where(StocktakeLine.stocktake_id == stocktake.id)
    ).one()
    value = Decimal(str(row[3])).quantize(stock.CENT)
    return Progress(lines=row[0], counted=row[1], variances=row[2], value=value)


def freeze(
    store: Store, *, by: User, show_expected: bool = False, item_ids: list[int] | None = None
) -> Stocktake:
    """The count sheet of every item the store keeps (or, for a cycle count, of `item_ids`),
    as it stands now. Refused while another count of the store is under way (the one already
    there is named)."""
    if not store.active:
        raise DomainError(_("This store is closed: it is not counted."))
    running = counting_in(store)
    if running is not None:
        raise _already(running)
    statement = (
        select(StockLevel.item_id, StockLevel.on_hand, Item.unit_cost, Item.category, Item.code)
        .join(Item, Item.id == StockLevel.item_id)
        .where(StockLevel.store_id == store.id, Item.active.is_(True))
    )
    if item_ids is not None:
        statement = statement.where(StockLevel.item_id.in_(item_ids or [0]))
    levels = db.session.execute(statement).all()
    if not levels:
        if item_ids is not None:
            raise DomainError(_("No item of this store is due for counting."))
        raise DomainError(_("This store keeps no item yet: there is nothing to count."))
    levels.sort(key=lambda r: (CATEGORY_ORDER.get(r.category, 99), r.code))
    made = Stocktake(
        property_id=store.property_id,
        store_id=store.id,
        show_expected=bool(show_expected),
        cycle=item_ids is not None,
        frozen_by_id=by.id,
        frozen_at=utcnow(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(made)
    except IntegrityError:  # someone froze the same store at this very moment
        raise _already(counting_in(store)) from None
    db.session.execute(
        StocktakeLine.__table__.insert(),
        [
            {
                "stocktake_id": made.id,
                "item_id": r.item_id,
                "position": n,
                "expected": r.on_hand,
                "unit_cost": r.unit_cost,
            }
            for n, r in enumerate(levels, start=1)
        ],
    )
    audit.record(
        "inventory.stocktake_frozen",
        made,
        actor=by,
        summary=f"{store.code}: {len(levels)} items" + ("" if show_expected else " (blind count)"),
    )
    return made


class Already(DomainError):
    def __init__(self, message: str, stocktake: Stocktake | None):
        super().__init__(message)
        self.stocktake = stocktake


def _already(running: Stocktake | None) -> Already:
    return Already(_("This store is being counted already: go on with that count."), running)


def check_counted(item: Item, value) -> Decimal:
    """What was counted: 0 or more, whole for what is counted in pieces."""
    value = stock.check_count(value, "counted")
    if item.unit_enum.whole and value != value.to_integral_value():
        raise DomainError(
            _(
                "Give a whole number: this item is counted by the %(unit)s.",
                unit=item.unit_enum.label,
            ),
            "counted",
        )
    if value != value.quantize(stock.THOUSANDTH):
        raise DomainError(_("A quantity has at most three decimals."), "counted")
    return value


def count(line: StocktakeLine, value, *, by: User) -> StocktakeLine:
    """Enter (or correct) what was counted of one line, while the count is open."""
    counted = check_counted(line.item, value)
    stocktake = line.stocktake
    # Holds the stocktake's row until commit: a posting waits for this count, or this count
    # finds the stocktake posted and is refused.
    if not advance(stocktake, StocktakeStatus.COUNTING, status=StocktakeStatus.COUNTING):
        raise DomainError(_status_message(stocktake))
    db.session.execute(
        update(StocktakeLine)
        .where(StocktakeLine.id == line.id)
        .values(counted=counted, counted_by_id=by.id, counted_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(line)
    audit.record(
        "inventory.counted",
        stocktake,
        actor=by,
        summary=f"{line.item.code}: {stock.quantity_text(counted)} "
        f"(expected {stock.quantity_text(line.expected)})",
    )
    return line


def post(stocktake: Stocktake, *, by: User) -> list:
    """Post every variance as an adjustment, all or nothing. Returns the movements."""
    if stocktake.status == StocktakeStatus.COUNTING:
        left = progress(stocktake).left
        if left:
            raise DomainError(
                _(
                    "%(n)s items are not counted yet: count them (0 when there is none) and "
                    "post again.",
                    n=left,
                )
            )
    if not advance(
        stocktake,
        StocktakeStatus.COUNTING,
        status=StocktakeStatus.POSTED,
        closed_by_id=by.id,
        closed_at=utcnow(),
    ):
        raise DomainError(_status_message(stocktake))
    lines = lines_of(stocktake, fresh=True)  # as counted up to this moment (the row is held)
    store = stocktake.store
    movements = []
    for line in lines:
        variance = line.counted - line.expected
        if variance > 0:
            stock._put(store, line.item, variance)
        elif variance < 0:
            try:
                stock._take(store, line.item, -variance)
            except DomainError:
                raise DomainError(
                    _(
                        "%(item)s: counted %(counted)s, but only %(left)s are left since "
                        "the freeze. Count it again.",
                        item=line.item.name,
                        counted=stock.quantity_text(line.counted),
                        left=stock.quantity_text(stock.on_hand(store.id, line.item_id)),
                    )
                ) from None
        else:
            continue
        movement = stock._record(
            Kind.COUNT,
            line.item,
            store,
            abs(variance),
            by=by,
            change=variance,
            unit_cost=line.unit_cost,
            note=_("Stocktake no. %(no)s", no=stocktake.id),
        )
        line.movement_id = movement.id
        movements.append(movement)
    db.session.execute(
        update(StockLevel)
        .where(
            StockLevel.store_id == store.id,
            StockLevel.item_id.in_([line.item_id for line in lines]),
        )
        .values(last_counted_at=stocktake.closed_at)
        .execution_options(synchronize_session=False)
    )
    total = sum((line.variance_value for line in lines), start=Decimal("0"))
    audit.record(
        "inventory.stocktake_posted",
        stocktake,
        actor=by,
        summary=f"{store.code}: {len(movements)} adjustments, {total}",
    )
    return movements


def cancel(stocktake: Stocktake, *, by: User) -> None:
    if not advance(
        stocktake,
        StocktakeStatus.COUNTING,
        status=StocktakeStatus.CANCELLED,
        closed_by_id=by.id,
        closed_at=utcnow(),
    ):
        raise DomainError(_status_message(stocktake))
    audit.record("inventory.stocktake_cancelled", stocktake, actor=by, summary=stocktake.store.code)


def _status_message(stocktake: Stocktake) -> str:
    if stocktake.status == StocktakeStatus.POSTED:
        return _("This stocktake was posted meanwhile: its counts are closed.")
    return _("This stocktake was cancelled meanwhile: its counts are closed.")

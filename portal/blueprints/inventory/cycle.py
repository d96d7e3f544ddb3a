"""The cycle-count plan: fast movers are counted more often than slow ones.

Each item of a store is classed by how often stock of it left the store in the last 90 days
(issues, room top-ups, transfers out): the busiest fifth are class A, counted every 30 days;
the next three tenths class B, every 90 days; the rest class C, every 180 days. An item is due
when its last count (a posted stocktake or cycle count of it) is older than its class allows,
or when it was never counted. The due items make a cycle count: a stocktake of those items
only (stocktake.freeze with item_ids).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from portal.blueprints.inventory.models import Item, Kind, Movement, StockLevel, Store
from portal.database import utcnow
from portal.extensions import db
from portal.i18n import lazy_gettext as _l
from portal.i18n import to_local

WINDOW = timedelta(days=90)
CLASSES = (  # class, share of the items (busiest first), days between counts
    ("A", 0.2, 30),
    ("B", 0.3, 90),
    ("C", 0.5, 180),
)
EVERY = {name: days for name, _share, days in CLASSES}
LABELS = {
    "A": _l("Fast movers: every 30 days"),
    "B": _l("Steady: every 90 days"),
    "C": _l("Slow movers: every 180 days"),
}
OUT = (Kind.ISSUE, Kind.TOP_UP, Kind.TRANSFER)


@dataclass(frozen=True)
class Planned:
    level: StockLevel
    moves: int  # movements out in the last 90 days
    klass: str
    due_on: date | None  # None: never counted, due now

    def due(self, today: date) -> bool:
        return self.due_on is None or self.due_on <= today


def plan(store: Store, now: datetime | None = None) -> list[Planned]:
    """Every active item the store keeps, classed, with when its next count is due: two
    queries (the levels with their items, the movement counts)."""
    now = now or utcnow()
    levels = list(
        db.session.scalars(
            select(StockLevel)
            .join(Item, Item.id == StockLevel.item_id)
            .where(StockLevel.store_id == store.id, Item.active.is_(True))
            .options(contains_eager(StockLevel.item))
            .order_by(Item.code)
        )
    )
    counts = dict(
        db.session.execute(
            select(Movement.item_id, func.count())
            .where(
                Movement.store_id == store.id,
                Movement.kind.in_(OUT),
                Movement.at >= now - WINDOW,
            )
            .group_by(Movement.item_id)
        ).all()
    )
    ranked = sorted(levels, key=lambda lv: (-counts.get(lv.item_id, 0), lv.item.code))
    classes = {}
    start = 0
    for n, (name, share, _days) in enumerate(CLASSES):
        end = len(ranked) if n == len(CLASSES) - 1 else start + round(len(ranked) * share)
        for level in ranked[start:end]:
            classes[level.id] = name
        start = end
    planned = []
    for level in levels:
        klass = classes[level.id]
        if counts.get(level.item_id, 0) == 0:
            klass = "C"  # nothing left the store: slow, whatever its rank
        last = level.last_counted_at
        due_on = None if last is None else to_local(last).date() + timedelta(days=EVERY[klass])
        planned.append(Planned(level, counts.get(level.item_id, 0), klass, due_on))
    return planned


def due(planned: list[Planned], today: date) -> list[Planned]:
    """The items due, never counted first, then the most overdue."""
    found = [p for p in planned if p.due(today)]
    return sorted(found, key=lambda p: (p.due_on is not None, p.due_on or today, p.level.item.code))

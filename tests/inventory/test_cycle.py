"""The cycle-count plan: items classed A/B/C by how often stock of them left the store in the
last 90 days, due when their last count is older than their class allows (or never counted),
and a cycle count that freezes only the items due."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import select, update

from portal.blueprints.inventory import cycle, stock
from portal.blueprints.inventory import stocktake as counts
from portal.blueprints.inventory.models import Movement, StockLevel, Stocktake, StocktakeLine
from portal.database import utcnow
from portal.extensions import db
from portal.i18n import local_today
from tests import factories
from tests.conftest import text_of
from tests.inventory import helpers as h


@pytest.fixture
def w(db, ctx):
    """The pantry keeps ten items, I01 .. I10; I01 left it 10 times in the last 90 days, I02
    9 times ... I09 twice, I10 never (and I09's issues are older than 90 days too)."""
    prop = factories.property_()
    keeper = h.storekeeper(prop)
    pantry = h.store(prop, "pantry", floor=3, name_en="Pantry floor 3")
    hk = factories.department(prop, "HK")
    items = []
    for n in range(1, 11):
        item = h.item(prop, f"Item {n}", code=f"I{n:02d}")
        h.stocked(pantry, item, 100, by=keeper)
        items.append(item)
    for n, item in enumerate(items[:9]):
        for _ in range(10 - n):
            stock.issue(item, pantry, Decimal(1), by=keeper, department=hk)
    old = utcnow() - timedelta(days=120)
    for move in h.movements(Movement.item_id == items[8].id, Movement.kind == "issue")[:1]:
        db.session.execute(update(Movement).where(Movement.id == move.id).values(at=old))
    db.session.commit()
    return SimpleNamespace(prop=prop, keeper=keeper, pantry=pantry, items=items, hk=hk)


def counted_days_ago(w, item, days: int) -> None:
    db.session.execute(
        update(StockLevel)
        .where(StockLevel.store_id == w.pantry.id, StockLevel.item_id == item.id)
        .values(last_counted_at=utcnow() - timedelta(days=days))
    )
    db.session.commit()
    db.session.expire_all()


def classes(planned) -> dict[str, str]:
    return {p.level.item.code: p.klass for p in planned}


def test_fast_movers_are_class_a_slow_ones_class_c(w):
    planned = cycle.plan(w.pantry)
    assert classes(planned) == {
        "I01": "A",
        "I02": "A",  # the busiest fifth
        "I03": "B",
        "I04": "B",
        "I05": "B",  # the next three tenths
        **{f"I{n:02d}": "C" for n in range(6, 11)},
    }
    moves = {p.level.item.code: p.moves for p in planned}
    assert (moves["I01"], moves["I09"], moves["I10"]) == (10, 1, 0)  # one of I09's is older


def test_what_was_never_counted_is_due_now_and_listed_first(w):
    today = local_today()
    counted_days_ago(w, w.items[0], 31)  # A, every 30 days: due
    counted_days_ago(w, w.items[1], 10)  # A: not yet
    counted_days_ago(w, w.items[2], 91)  # B, every 90 days: due
    counted_days_ago(w, w.items[9], 100)  # C, every 180 days: not yet
    due = cycle.due(cycle.plan(w.pantry), today)
    codes = [p.level.item.code for p in due]
    assert "I02" not in codes and "I10" not in codes
    assert codes[:6] == ["I04", "I05", "I06", "I07", "I08", "I09"]  # never counted: now
    assert codes[6:] == ["I01", "I03"]  # then by due date (both yesterday), then code
    assert all(p.due_on is None for p in due[:6])


def test_a_cycle_count_freezes_only_the_items_due_and_posting_clears_them(w):
    today = local_today()
    for item in w.items[:8]:
        counted_days_ago(w, item, 5)  # counted last week: only I09 and I10 are due
    due = [p.level.item_id for p in cycle.due(cycle.plan(w.pantry), today)]
    assert len(due) == 2
    sheet = counts.freeze(w.pantry, by=w.keeper, item_ids=due)
    assert sheet.cycle is True
    lines = counts.lines_of(sheet)
    assert sorted(line.item.code for line in lines) == ["I09", "I10"]
    for line in lines:
        counts.count(line, line.expected, by=w.keeper)
    counts.post(sheet, by=h.manager(w.prop))
    db.session.commit()
    db.session.expire_all()
    assert cycle.due(cycle.plan(w.pantry), today) == []


def test_nothing_due_is_said_not_frozen(w):
    for item in w.items:
        counted_days_ago(w, item, 1)
    before = h.count(Stocktake)
    with pytest.raises(Exception) as caught:
        counts.freeze(w.pantry, by=w.keeper, item_ids=[])
    assert "No item of this store is due for counting." in str(caught.value.message)
    db.session.rollback()
    assert h.count(Stocktake) == before


def test_the_page_lists_what_is_due_and_freezes_it(client, db, login_as):
    boss = login_as("manager")
    prop = boss.property
    pantry = h.store(prop, "pantry", floor=4, name_en="Pantry floor 4")
    towel, soap = h.item(prop, "Bath towel", code="LIN-1"), h.item(prop, "Soap", code="TOI-1")
    h.stocked(pantry, towel, 20, by=boss)
    h.stocked(pantry, soap, 20, by=boss)
    db.session.execute(
        update(StockLevel).where(StockLevel.item_id == soap.id).values(last_counted_at=utcnow())
    )
    db.session.commit()
    page = text_of(client.get(f"/inventory/stores/{pantry.id}/cycle-count"))
    assert "Bath towel" in page and "Never" in page and "Count the 1 item due" in page
    assert "Soap" not in page.split("Due for counting", 1)[1]
    response = client.post_form(f"/inventory/stores/{pantry.id}/cycle-count", {})
    assert response.status_code == 303
    made = db.session.scalar(select(Stocktake).where(Stocktake.store_id == pantry.id))
    assert response.headers["Location"] == f"/inventory/stocktakes/{made.id}"
    assert made.cycle is True
    lines = db.session.scalars(select(StocktakeLine).where(StocktakeLine.stocktake_id == made.id))
    assert [line.item_id for line in lines] == [towel.id]
    sheet = text_of(client.get(f"/inventory/stocktakes/{made.id}"))
    assert "A cycle count: the items due by the plan." in sheet
    again = client.post_form(f"/inventory/stores/{pantry.id}/cycle-count", {})
    assert again.headers["Location"] == f"/inventory/stocktakes/{made.id}"  # a double tap
    assert h.count(Stocktake, Stocktake.store_id == pantry.id) == 1

"""Stocktakes: a frozen count sheet of every item the store keeps, counts entered line by line,
the variances posted as adjustments in one step (all or nothing), one count per store at a time,
and counts that arrive while a manager posts."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from portal.blueprints.inventory import stock
from portal.blueprints.inventory import stocktake as counts
from portal.blueprints.inventory.models import (
    Category,
    Kind,
    Movement,
    StockLevel,
    Stocktake,
    StocktakeLine,
    StocktakeStatus,
    StoreKind,
    Unit,
)
from portal.errors import DomainError
from portal.extensions import db
from tests import factories
from tests.inventory import helpers as h


@pytest.fixture
def w(db, ctx):
    """The main store keeps 10 bath towels at 2.50, 40 soap bars at 0.80 and 5.5 litres of
    floor cleaner at 12.00; the pantry keeps 4 towels."""
    prop = factories.property_()
    keeper = h.storekeeper(prop)
    boss = h.manager(prop)
    main = h.store(prop, name_en="Main store")
    pantry = h.store(prop, StoreKind.PANTRY, floor=3)
    towel = h.item(prop, "Bath towel", unit_cost="2.50", code="LIN-1")
    soap = h.item(prop, "Soap", unit_cost="0.80", category=Category.TOILETRIES, code="TOI-1")
    cleaner = h.item(
        prop, "Floor cleaner", unit=Unit.LITRE, unit_cost="12.00", category=Category.CHEMICALS
    )
    h.stocked(main, towel, 10, by=keeper)
    h.stocked(main, soap, 40, by=keeper)
    h.stocked(main, cleaner, "5.5", by=keeper)
    h.stocked(pantry, towel, 4, by=keeper)
    db.session.commit()
    return SimpleNamespace(
        prop=prop,
        keeper=keeper,
        boss=boss,
        main=main,
        pantry=pantry,
        towel=towel,
        soap=soap,
        cleaner=cleaner,
        hk=factories.department(prop, "HK"),
    )


def line_of(st: Stocktake, item) -> StocktakeLine:
    return db.session.scalar(
        select(StocktakeLine).where(
            StocktakeLine.stocktake_id == st.id, StocktakeLine.item_id == item.id
        )
    )


def counted(st: Stocktake, values: dict, by) -> None:
    for item, value in values.items():
        counts.count(line_of(st, item), Decimal(str(value)), by=by)


def refused(call) -> DomainError:
    """call() raises a DomainError and, rolled back as a view does, leaves nothing written."""
    before = h.written()
    with pytest.raises(DomainError) as caught:
        call()
    db.session.rollback()
    assert h.written() == before
    return caught.value


# --- freezing -----------------------------------------------------------------------------------
def test_freezing_lists_every_item_the_store_keeps_as_it_stands(w):
    st = counts.freeze(w.main, by=w.keeper)
    db.session.commit()
    lines = counts.lines_of(st)
    # in the sheet's order: category (linen, toiletries, ... chemicals), then code
    assert [line.item for line in lines] == [w.towel, w.soap, w.cleaner]
    assert [line.position for line in lines] == [1, 2, 3]
    assert [line.expected for line in lines] == [10, 40, Decimal("5.5")]
    assert [line.unit_cost for line in lines] == [Decimal("2.50"), Decimal("0.80"), 12]
    assert all(line.counted is None for line in lines)
    assert st.status == StocktakeStatus.COUNTING and st.show_expected is False
    assert h.actions()[-1] == "inventory.stocktake_frozen"
    assert h.count(StocktakeLine, StocktakeLine.stocktake_id == st.id) == 3  # not the pantry's


def test_one_count_at_a_time_per_store(w):
    first = counts.freeze(w.main, by=w.keeper)
    db.session.commit()
    error = refused(lambda: counts.freeze(w.main, by=w.keeper))
    assert isinstance(error, counts.Already) and error.stocktake.id == first.id
    assert "being counted already" in error.message
    other = counts.freeze(w.pantry, by=w.keeper)  # another store may be counted meanwhile
    assert other.id != first.id


def test_a_store_with_nothing_or_closed_is_not_counted(w):
    empty = h.store(w.prop, StoreKind.PANTRY, floor=4)
    db.session.commit()
    assert "nothing to count" in refused(lambda: counts.freeze(empty, by=w.keeper)).message
    w.main.active = False
    db.session.commit()
    assert "closed" in refused(lambda: counts.freeze(w.main, by=w.keeper)).message


# --- counting -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("item", "value", "message"),
    [
        ("towel", "-1", "0 or more"),
        ("towel", "2.5", "Give a whole number: this item is counted by the piece."),
        ("cleaner", "1.2345", "at most three decimals"),
        ("towel", "1000000", "at most 999,999"),
        ("towel", "NaN", "0 or more"),
    ],
)
def test_a_count_that_cannot_be_is_refused(w, item, value, message):
    st = counts.freeze(w.main, by=w.keeper)
    db.session.commit()
    line = line_of(st, getattr(w, item))
    error = refused(lambda: counts.count(line, Decimal(value), by=w.keeper))
    assert message in error.message and error.field == "counted"
    assert line_of(st, getattr(w, item)).counted is None


def test_a_count_is_entered_corrected_and_audited(w):
    st = counts.freeze(w.main, by=w.keeper)
    counted(st, {w.towel: 8, w.cleaner: "5.25"}, w.keeper)
    counted(st, {w.towel: 9}, w.boss)  # counted again: the last count stands
    db.session.commit()
    towel = line_of(st, w.towel)
    assert (towel.counted, towel.counted_by_id, towel.variance) == (9, w.boss.id, -1)
    assert towel.variance_value == Decimal("-2.50")
    progress = counts.progress(st)
    assert (progress.lines, progress.counted, progress.left, progress.variances) == (3, 2, 1, 2)
    assert progress.value == Decimal("-5.50")  # -1 x 2.50 and -0.25 x 12.00
    assert h.actions().count("inventory.counted") == 3


# --- posting ------------------------------------------------------------------------------------
def test_posting_adjusts_each_variance_and_marks_the_store_counted(w):
    st = counts.freeze(w.main, by=w.keeper)
    counted(st, {w.towel: 8, w.soap: 43, w.cleaner: "5.5"}, w.keeper)
    db.session.commit()
    moves = counts.post(st, by=w.boss)
    db.session.commit()
    assert h.on_hand(w.main, w.towel) == 8 and h.on_hand(w.main, w.soap) == 43
    assert h.on_hand(w.main, w.cleaner) == Decimal("5.5")  # no variance: no movement
    assert sorted((m.item_id, m.kind, m.change) for m in moves) == sorted(
        [(w.towel.id, Kind.COUNT, -2), (w.soap.id, Kind.COUNT, 3)]
    )
    towel_move = next(m for m in moves if m.item_id == w.towel.id)
    assert (towel_move.quantity, towel_move.value) == (2, Decimal("5.00"))
    assert line_of(st, w.towel).movement_id == towel_move.id
    assert line_of(st, w.cleaner).movement_id is None
    db.session.refresh(st)
    assert (st.status, st.closed_by_id) == (StocktakeStatus.POSTED, w.boss.id)
    levels = db.session.scalars(select(StockLevel).where(StockLevel.store_id == w.main.id))
    assert all(level.last_counted_at == st.closed_at for level in levels)
    pantry = h.level(w.pantry, w.towel)
    assert pantry.last_counted_at is None and pantry.on_hand == 4
    assert h.actions()[-1] == "inventory.stocktake_posted"


def test_movements_since_the_freeze_are_kept(w):
    """Issues go on while the store is counted: the adjustment is count - expected."""
    st = counts.freeze(w.main, by=w.keeper)
    stock.issue(w.towel, w.main, Decimal(3), by=w.keeper, department=w.hk)  # 10 -> 7
    counted(st, {w.towel: 9, w.soap: 40, w.cleaner: "5.5"}, w.keeper)  # counted 9 of 10
    counts.post(st, by=w.boss)
    db.session.commit()
    assert h.on_hand(w.main, w.towel) == 6  # 7 now, less the one missing at the count


def test_nothing_is_posted_before_everything_is_counted(w):
    st = counts.freeze(w.main, by=w.keeper)
    counted(st, {w.towel: 8}, w.keeper)
    db.session.commit()
    error = refused(lambda: counts.post(st, by=w.boss))
    assert "2 items are not counted yet" in error.message
    assert db.session.get(Stocktake, st.id).status == StocktakeStatus.COUNTING


def test_a_count_that_would_leave_less_than_nothing_posts_nothing(w):
    st = counts.freeze(w.main, by=w.keeper)
    stock.issue(w.soap, w.main, Decimal(38), by=w.keeper, department=w.hk)  # 40 -> 2
    counted(st, {w.towel: 12, w.soap: 30, w.cleaner: 5}, w.keeper)  # soap: -10, only 2 left
    db.session.commit()
    error = refused(lambda: counts.post(st, by=w.boss))
    assert "Soap: counted 30, but only 2 are left since the freeze" in error.message
    assert h.on_hand(w.main, w.towel) == 10  # the towels' +2 was not posted either
    assert db.session.get(Stocktake, st.id).status == StocktakeStatus.COUNTING


def test_a_posted_or_cancelled_count_is_closed(w):
    st = counts.freeze(w.main, by=w.keeper)
    counted(st, {w.towel: 10, w.soap: 40, w.cleaner: "5.5"}, w.keeper)
    counts.post(st, by=w.boss)
    db.session.commit()
    assert "posted meanwhile" in refused(lambda: counts.post(st, by=w.boss)).message
    line = line_of(st, w.towel)
    assert "posted meanwhile" in refused(lambda: counts.count(line, 1, by=w.keeper)).message
    assert "posted meanwhile" in refused(lambda: counts.cancel(st, by=w.boss)).message
    again = counts.freeze(w.main, by=w.keeper)  # the store may be counted again
    counts.cancel(again, by=w.boss)
    db.session.commit()
    assert db.session.get(Stocktake, again.id).status == StocktakeStatus.CANCELLED
    assert h.count(Movement, Movement.kind == Kind.COUNT) == 0  # nothing differed, nothing moved


def test_an_adjustment_is_reversed_like_any_movement(w):
    st = counts.freeze(w.main, by=w.keeper)
    counted(st, {w.towel: 7, w.soap: 40, w.cleaner: "5.5"}, w.keeper)
    (move,) = counts.post(st, by=w.boss)
    db.session.commit()
    stock.reverse(move, "Three towels were in the laundry cage", by=w.boss)
    db.session.commit()
    assert h.on_hand(w.main, w.towel) == 10

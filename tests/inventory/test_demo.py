"""The inventory demo, as `flask seed-demo` leaves it once the inventory seeder has run (the
seeders before it, then it, in their order): the hotel's and the spa's stores, their items and
a year of movements behind today's stock, the hotel's par kits and the last days' top-ups, a few
items to reorder, and supply requests in every state.

The demo is loaded once for this module, in a transaction rolled back at its end; the tests
only read it (or roll back what they try).
"""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace

import pytest
from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy import func, select
from sqlalchemy.orm import scoped_session, sessionmaker

from portal import modules
from portal.blueprints.inventory import demo as inventory_demo
from portal.blueprints.inventory import reorder, topups
from portal.blueprints.inventory import requests as supply
from portal.blueprints.inventory.models import (
    SIGN,
    Category,
    Item,
    Kind,
    LossReason,
    Movement,
    ParItem,
    PurchaseRequest,
    PurchaseStatus,
    RequestLine,
    RequestStatus,
    StockLevel,
    Store,
    StoreKind,
    SupplyRequest,
    TopUp,
    Unit,
)
from portal.blueprints.people.models import Department, Property, User
from portal.blueprints.rosters.models import Cleaning, Room, RoomType
from portal.database import utcnow
from portal.extensions import db as _db
from portal.i18n import to_local

CJK = re.compile(r"[\u4e00-\u9fff]")
CENT = Decimal("0.01")
FOUR_TOWELS = {"Bath towel", "Hand towel", "Face towel", "Bath mat"}


@pytest.fixture(scope="module")
def demo(app):
    """The seeded demo: both properties, their stores by code, and what the inventory seeder
    took (seconds)."""
    with app.app_context():
        connection = _db.engine.connect()
        outer = connection.begin()
        original = _db.session
        _db.session = scoped_session(
            sessionmaker(bind=connection, join_transaction_mode="create_savepoint"),
            scopefunc=_app_ctx_id,
        )
        try:
            loaded = seconds = None
            for name, seed in modules.seeders():
                started = time.perf_counter()
                done = seed()
                _db.session.commit()
                if name == "inventory":
                    loaded, seconds = done, time.perf_counter() - started
            if seconds is None:  # the module does not register its seeder (yet)
                started = time.perf_counter()
                loaded = inventory_demo.seed_inventory()
                _db.session.commit()
                seconds = time.perf_counter() - started
            hotel = _db.session.scalar(select(Property).where(Property.code == "HTL"))
            spa = _db.session.scalar(select(Property).where(Property.code == "SPA"))
            yield SimpleNamespace(
                loaded=loaded,
                seconds=seconds,
                hotel=hotel,
                spa=spa,
                stores={p.code: _stores(p) for p in (hotel, spa)},
                now=utcnow(),
            )
        finally:
            _db.session.remove()
            _db.session = original
            outer.rollback()
            connection.close()


def _all(statement):
    return list(_db.session.scalars(statement))


def _stores(prop) -> dict[str, Store]:
    return {s.code: s for s in _all(select(Store).where(Store.property_id == prop.id))}


def _items(prop) -> list[Item]:
    return _all(select(Item).where(Item.property_id == prop.id).order_by(Item.code))


def _department(prop, code: str) -> Department:
    return _db.session.scalar(
        select(Department).where(Department.property_id == prop.id, Department.code == code)
    )


def _movements(*where) -> list[Movement]:
    return _all(select(Movement).where(*where).order_by(Movement.at, Movement.id))


def _month(at) -> str:
    return to_local(at).strftime("%Y-%m")


def _every_table() -> dict[str, int]:
    return {
        table.name: _db.session.scalar(select(func.count()).select_from(table))
        for table in _db.metadata.sorted_tables
    }


# --- loading --------------------------------------------------------------------------------
def test_the_demo_loads_quickly_and_only_once(demo):
    assert demo.loaded is True
    assert demo.seconds < 5  # about 1 s on SQLite
    count = _db.session.scalar(select(func.count()).select_from(Movement))
    assert 1_500 < count < 5_000  # a year, in a few thousand rows
    before = _every_table()
    assert inventory_demo.seed_inventory() is False
    assert _every_table() == before


# --- stores and items -----------------------------------------------------------------------
def test_each_store_is_kept_by_its_department(demo):
    floors = set(_db.session.scalars(select(Room.floor).where(Room.property_id == demo.hotel.id)))
    hotel = demo.stores["HTL"]
    kinds = Counter(s.kind for s in hotel.values())
    assert kinds == {"main": 1, "linen": 1, "pantry": len(floors)}
    assert {s.floor for s in hotel.values() if s.kind == StoreKind.PANTRY} == floors
    codes = {s.code: s.department.code for s in hotel.values()}
    assert codes["MAIN"] == "STR" and codes["LINEN"] == "HK"
    assert {s.department.code for s in hotel.values() if s.kind == StoreKind.PANTRY} == {"HK"}
    spa = demo.stores["SPA"]
    assert sorted((s.kind, s.department.code) for s in spa.values()) == [
        ("main", "STR"),
        ("spa", "SPA"),
    ]
    for store in [*hotel.values(), *spa.values()]:
        assert store.name_en and CJK.search(store.name_zh)
        assert store.department.property_id == store.property_id


def test_about_150_items_in_seven_categories_in_both_languages(demo):
    items = _items(demo.hotel)
    assert 140 <= len(items) <= 160
    by_category = Counter(i.category for i in items)
    assert set(by_category) == {c.value for c in Category}
    assert min(by_category.values()) >= 15
    prefixes = {"LIN": "linen", "TOI": "toiletries", "AME": "amenities", "CHM": "chemicals"}
    prefixes |= {"FNB": "fnb", "STA": "stationery", "SPR": "spares"}
    for item in [*items, *_items(demo.spa)]:
        assert re.fullmatch(r"[A-Z]{3}-\d{3}", item.code)
        assert prefixes[item.code[:3]] == item.category
        assert item.name_en and CJK.search(item.name_zh), item.code
        assert item.unit in set(Unit) and item.unit_cost > 0
        if Unit(item.unit).whole is False:
            assert item.category in ("chemicals", "toiletries"), item.code
    chemicals = [i for i in items if i.category == Category.CHEMICALS]
    measured = [i for i in chemicals if i.unit in (Unit.LITRE, Unit.KILOGRAM)]
    assert len(measured) >= len(chemicals) * 2 / 3
    names = {i.name_en for i in items}
    assert {n.split(",")[0] for n in names} >= FOUR_TOWELS
    assert {"Master key blank", "Shampoo, 30 ml", "Battery, AA"} <= names
    spa_items = _items(demo.spa)
    assert 20 <= len(spa_items) <= 40
    assert {i.category for i in spa_items} == {c.value for c in Category}


def test_valuable_items_are_issued_by_their_custodian_a_storekeeper(demo):
    kept = _all(select(Item).where(Item.custodian_id.is_not(None)))
    assert len(kept) >= 2
    assert {i.code for i in kept} >= {"SPR-024", "SPR-025"}
    for item in kept:
        assert item.property_id == demo.hotel.id
        assert item.custodian.department.code == "STR" and item.custodian.active
        issues = _movements(Movement.item_id == item.id, Movement.kind == Kind.ISSUE)
        assert {m.by_id for m in issues} <= {item.custodian_id}


# --- stock and movements --------------------------------------------------------------------
def test_every_stock_level_is_the_sum_of_its_movements(demo):
    own = _db.session.execute(
        select(Movement.store_id, Movement.item_id, func.sum(Movement.change)).group_by(
            Movement.store_id, Movement.item_id
        )
    )
    into = _db.session.execute(
        select(Movement.to_store_id, Movement.item_id, func.sum(Movement.change))
        .where(Movement.to_store_id.is_not(None))
        .group_by(Movement.to_store_id, Movement.item_id)
    )
    expected = defaultdict(Decimal)
    for store_id, item_id, total in own:
        expected[(store_id, item_id)] += Decimal(total)
    for store_id, item_id, total in into:  # a transfer adds its quantity to to_store
        expected[(store_id, item_id)] -= Decimal(total)
    levels = {(lv.store_id, lv.item_id): lv for lv in _all(select(StockLevel))}
    assert set(levels) == set(expected)
    for key, level in levels.items():
        assert level.on_hand == expected[key], (level.store.code, level.item.code)
        assert level.on_hand >= 0
        assert level.property_id == level.store.property_id == level.item.property_id


def test_stock_never_went_below_zero_on_the_way(demo):
    running = defaultdict(Decimal)
    for move in _movements():
        running[(move.store_id, move.item_id)] += move.change
        assert running[(move.store_id, move.item_id)] >= 0, (move.id, move.kind)
        if move.to_store_id is not None:
            running[(move.to_store_id, move.item_id)] -= move.change
            assert running[(move.to_store_id, move.item_id)] >= 0, move.id


def test_each_movement_is_what_the_services_would_write(demo):
    moves = _movements()
    by_id = {m.id: m for m in moves}
    rooms = set(_db.session.scalars(select(Room.id).where(Room.property_id == demo.hotel.id)))
    year_ago = demo.now - timedelta(days=366)
    for move in moves:
        kind = Kind(move.kind)
        assert year_ago < move.at <= demo.now
        assert move.quantity > 0
        assert move.value == (move.quantity * move.unit_cost).quantize(CENT, ROUND_HALF_UP)
        if Unit(move.item.unit).whole:
            assert move.quantity == move.quantity.to_integral_value()
        if kind is Kind.REVERSAL:
            original = by_id[move.reverses_id]
            assert move.change == -original.change and move.quantity == original.quantity
            assert move.unit_cost == original.unit_cost and move.note
            assert move.at > original.at
        else:
            assert move.reverses_id is None
            assert move.change == SIGN[kind] * move.quantity
        if kind is Kind.TRANSFER:
            assert move.to_store_id not in (None, move.store_id)
        else:
            assert move.to_store_id is None or kind is Kind.REVERSAL
        if kind is Kind.RECEIVE:
            assert move.store.kind == StoreKind.MAIN
            assert move.supplier or (move.note or "") in (
                "Opening stock, counted when the store went live",
                "上线期初盘点",
            )
        if kind in (Kind.ISSUE, Kind.RETURN, Kind.TOP_UP):
            assert move.department_id is not None
        if kind is Kind.LOSS:
            assert move.reason in set(LossReason)
        if kind is Kind.TOP_UP:
            assert move.room_id in rooms and move.department.code == "HK"
            assert move.store.kind == StoreKind.PANTRY
    # Each item's unit cost is what its latest delivery cost.
    latest = {}
    for move in moves:
        if move.kind == Kind.RECEIVE:
            latest[move.item_id] = move.unit_cost
    for item in _all(select(Item)):
        assert latest[item.id] == item.unit_cost, item.code


def test_a_year_of_deliveries_issues_and_spend(demo):
    hotel = demo.hotel
    moves = _movements(Movement.property_id == hotel.id)
    for kind in (Kind.RECEIVE, Kind.ISSUE):
        assert len({_month(m.at) for m in moves if m.kind == kind}) >= 12, kind
    assert len({m.supplier for m in moves if m.supplier}) >= 8
    issued_to = {m.department.code for m in moves if m.kind == Kind.ISSUE}
    assert {"FB", "HK", "SPA", "ENG", "FO", "SEC", "FIT", "HR"} <= issued_to
    # Housekeeping's material spend, month by month: every month, steady once the pantries
    # report what their rooms used (every two months, half the floors each month).
    spend = defaultdict(Decimal)
    hk = _department(hotel, "HK")
    for move in moves:
        if move.department_id == hk.id and move.kind in (Kind.ISSUE, Kind.TOP_UP):
            spend[_month(move.at)] += move.value
    monthly = [spend[month] for month in sorted(spend)]
    assert len(monthly) >= 12 and min(monthly) > 0
    steady = monthly[3:-1]  # the pantries' first reports, and this month so far, left out
    assert max(steady) < 2 * min(steady)
    kinds = Counter(m.kind for m in moves)
    assert kinds[Kind.RETURN] == 1 and kinds[Kind.REVERSAL] == 1
    assert kinds[Kind.TRANSFER] > 100 and kinds[Kind.TOP_UP] > 50
    reasons = {m.reason for m in moves if m.kind == Kind.LOSS}
    assert len(reasons) >= 4
    (reversal,) = [m for m in moves if m.kind == Kind.REVERSAL]
    original = _db.session.get(Movement, reversal.reverses_id)
    assert original.kind == Kind.ISSUE and reversal.by.username == "manager"
    # A history for an item: shampoo came in, went to the pantries and was used in rooms.
    shampoo = _db.session.scalar(
        select(Item).where(Item.property_id == hotel.id, Item.code == "TOI-001")
    )
    history = Counter(m.kind for m in moves if m.item_id == shampoo.id)
    assert history[Kind.RECEIVE] >= 5 and history[Kind.TRANSFER] >= 40
    assert history[Kind.ISSUE] >= 30 and history[Kind.TOP_UP] >= 5


def test_the_reorder_list_shows_a_few_items_one_already_on_order(demo):
    main = demo.stores["HTL"]["MAIN"]
    levels = _all(select(StockLevel).where(StockLevel.store_id == main.id))
    with_point = [lv for lv in levels if lv.reorder_point is not None]
    assert len(with_point) >= 0.9 * len(levels)
    assert all(lv.reorder_quantity > 0 for lv in with_point)
    low = [lv for lv in with_point if lv.on_hand <= lv.reorder_point]
    assert 3 <= len(low) <= 15
    rows = reorder.reorder_list(main)
    assert 2 <= len(rows) <= 15 and all(r.suggested > 0 for r in rows)
    (purchase,) = _all(select(PurchaseRequest).where(PurchaseRequest.status == PurchaseStatus.OPEN))
    assert purchase.store_id == main.id
    level = next(lv for lv in levels if lv.item_id == purchase.item_id)
    assert level.on_hand <= level.reorder_point and purchase.raised_by.department.code == "STR"
    # The pantries have their points too, and none is short today.
    pantry = demo.stores["HTL"]["P05"]
    assert reorder.reorder_list(pantry) == []


# --- par kits and top-ups -------------------------------------------------------------------
def test_every_room_type_has_its_par_kit_with_the_four_towels(demo):
    types = _all(select(RoomType).where(RoomType.property_id == demo.hotel.id))
    assert types
    for room_type in types:
        kit = {p.item.name_en.split(",")[0]: p for p in topups.par_kit(room_type.id)}
        assert set(kit) >= FOUR_TOWELS
        assert {"Shampoo", "Conditioner", "Body wash", "Soap bar", "Dental kit"} <= set(kit)
        assert kit["Paper cup"].quantity == 2 and kit["Slippers"].quantity >= 1
        assert {"Notepad", "Ballpoint pen"} <= set(kit)
        kept = {name for name, p in kit.items() if not p.departure_refill}
        assert kept == {"Coat hanger", "Laundry bag"}
        assert all(p.property_id == demo.hotel.id for p in kit.values())
    assert not _all(select(ParItem).where(ParItem.property_id == demo.spa.id))


def test_the_last_days_departures_were_topped_up_from_their_floor_pantry(demo):
    records = _all(select(TopUp).where(TopUp.property_id == demo.hotel.id))
    assert len(records) >= 10
    for record in records:
        room = _db.session.get(Room, record.room_id)
        cleaning = _db.session.get(Cleaning, record.cleaning_id)
        assert cleaning.room_id == room.id and cleaning.finished_at <= record.at <= demo.now
        assert record.by_id == cleaning.attendant_id
        assert record.store_id == topups.store_for_floor(demo.hotel.id, room.floor).id
        moves = _movements(Movement.room_id == room.id, Movement.at == record.at)
        assert moves and all(m.kind == Kind.TOP_UP and m.by_id == record.by_id for m in moves)
        kit = {p.item_id: p.quantity for p in topups.par_kit(room.room_type_id)}
        assert all(m.quantity <= kit[m.item_id] for m in moves)
        assert topups.done_for(cleaning.id) is not None


# --- supply requests ------------------------------------------------------------------------
def test_supply_requests_in_every_state(demo):
    hotel = demo.hotel
    requests = _all(select(SupplyRequest).where(SupplyRequest.property_id == hotel.id))
    by_status = defaultdict(list)
    for request in requests:
        by_status[request.status].append(request)
        assert request.lines and request.for_where
        assert request.department_id == request.requester.department_id
    assert set(by_status) == {s.value for s in RequestStatus}
    assert len(by_status[RequestStatus.OPEN]) >= 3 and len(by_status[RequestStatus.ISSUED]) >= 5
    (refused,) = by_status[RequestStatus.REJECTED]
    assert refused.decision_note and refused.decided_by_id
    (cancelled,) = by_status[RequestStatus.CANCELLED]
    assert cancelled.decided_by_id is None
    issued = _all(select(SupplyRequest).where(SupplyRequest.status == RequestStatus.ISSUED))
    assert {r.property_id for r in issued} == {hotel.id, demo.spa.id}
    for request in issued:
        moves = _movements(Movement.request_id == request.id)
        assert {m.item_id: m.quantity for m in moves} == {
            line.item_id: line.approved for line in request.lines if line.approved
        }
        assert all(m.kind == Kind.ISSUE and m.person_id == request.requester_id for m in moves)
        assert request.created_at < request.decided_at < request.issued_at
        assert all(m.at == request.issued_at for m in moves)
    supervisor = _db.session.scalar(select(User).where(User.username == "supervisor"))
    waiting = supply.to_decide(supervisor)
    assert len(waiting) >= 2
    assert {r.department.code for r in waiting} <= {"HK", "FB"}
    (approved,) = by_status[RequestStatus.APPROVED]
    assert approved.decided_by_id == supervisor.id
    assert any(line.approved < line.quantity for line in approved.lines)
    main = demo.stores["HTL"]["MAIN"]
    assert [r.id for r in supply.to_issue([main.id])] == [approved.id]
    spa_supervisor = _db.session.scalar(select(User).where(User.username == "spa.supervisor"))
    (spa_request,) = supply.to_decide(spa_supervisor)
    assert spa_request.store.kind == StoreKind.SPA


def test_the_store_can_issue_the_approved_request(demo):
    (approved,) = _all(select(SupplyRequest).where(SupplyRequest.status == RequestStatus.APPROVED))
    storekeeper = _db.session.get(User, approved.lines[0].item.custodian_id or 0) or next(
        u
        for u in _all(select(User).where(User.property_id == demo.hotel.id))
        if u.department is not None and u.department.code == "STR"
    )
    nested = _db.session.begin_nested()
    try:
        moves = supply.issue(approved, by=storekeeper)
        assert len(moves) == len([line for line in approved.lines if line.approved])
    finally:
        nested.rollback()
        _db.session.expire_all()


# --- the two properties ---------------------------------------------------------------------
def test_nothing_of_one_property_refers_to_the_other(demo):
    stores = {s.id: s for s in _all(select(Store))}
    items = {i.id: i for i in _all(select(Item))}
    departments = {d.id: d.property_id for d in _all(select(Department))}
    users = dict(_db.session.execute(select(User.id, User.property_id)).all())
    rooms = dict(_db.session.execute(select(Room.id, Room.property_id)).all())
    spa_stores = {s.id for s in stores.values() if s.property_id == demo.spa.id}
    assert spa_stores
    spa_moves = 0
    for move in _movements():
        prop = move.property_id
        spa_moves += prop == demo.spa.id
        assert stores[move.store_id].property_id == prop == items[move.item_id].property_id
        if move.to_store_id:
            assert stores[move.to_store_id].property_id == prop
        if move.department_id:
            assert departments[move.department_id] == prop
        for user_id in (move.by_id, move.person_id):
            assert user_id is None or users[user_id] == prop
        if move.room_id:
            assert rooms[move.room_id] == prop
        if prop == demo.hotel.id:
            assert move.store_id not in spa_stores and move.to_store_id not in spa_stores
    assert spa_moves > 100
    for request in _all(select(SupplyRequest)):
        prop = request.property_id
        assert stores[request.store_id].property_id == prop == users[request.requester_id]
        assert all(items[line.item_id].property_id == prop for line in request.lines)
    for line in _all(select(RequestLine)):
        assert line.request is not None
    for purchase in _all(select(PurchaseRequest)):
        assert stores[purchase.store_id].property_id == items[purchase.item_id].property_id
    for par in _all(select(ParItem)):
        room_type = _db.session.get(RoomType, par.room_type_id)
        assert room_type.property_id == par.property_id == items[par.item_id].property_id


def _chinese(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", text))


def test_what_people_typed_is_in_their_own_language(demo):
    """Notes and "for where" are typed by one person: in their language, never both (an
    issue of a request carries the request's words)."""
    typed = [(m.note, m.by) for m in _movements() if m.note and m.request_id is None]
    typed += [(r.for_where, r.requester) for r in _all(select(SupplyRequest))]
    typed += [(r.note, r.requester) for r in _all(select(SupplyRequest)) if r.note]
    assert len(typed) > 100
    for text, _person in typed:
        assert not (_chinese(text) and re.search(r"[A-Za-z]{4}", text)), text
    chinese_writers = {p.id for t, p in typed if _chinese(t)}
    assert chinese_writers, "someone who uses the portal in Chinese wrote a note"
    for text, person in typed:
        if _chinese(text):
            assert (person.locale or "").startswith("zh") or text.isdigit(), (text, person.locale)


def test_a_pantry_is_being_counted_two_thirds_done(demo):
    from portal.blueprints.inventory import stocktake
    from portal.blueprints.inventory.models import Stocktake, StocktakeStatus

    (sheet,) = _all(select(Stocktake).where(Stocktake.property_id == demo.hotel.id))
    assert sheet.status == StocktakeStatus.COUNTING and sheet.store.kind == StoreKind.PANTRY
    progress = stocktake.progress(sheet)
    assert progress.lines > 10 and progress.counted == progress.lines * 2 // 3
    assert 0 < progress.variances < progress.counted and progress.value < 0


def test_a_year_of_budgets_most_months_within_the_90_percent_line(demo):
    from portal.blueprints.inventory import budget
    from portal.i18n import local_today

    found = budget.figures(demo.hotel.id, budget.first_of(local_today()))
    lines = [
        budget.Line(None, month, amount, found.spent.get(key, Decimal("0.00")))
        for key, amount in found.planned.items()
        for month in [key[1]]
    ]
    assert len({d for d, _m in found.planned}) >= 3  # housekeeping, F&B, engineering...
    states = Counter(line.state for line in lines)
    assert states["within"] > len(lines) / 2, states
    assert states["near"] + states["over"] > 0, states  # a busy month shows on the chart


def test_a_fortnight_of_laundry_one_batch_still_out(demo):
    from portal.blueprints.inventory.models import LaundryBatch, LaundryStatus

    batches = _all(select(LaundryBatch).where(LaundryBatch.property_id == demo.hotel.id))
    states = Counter(b.status for b in batches)
    assert states[LaundryStatus.OUT] == 1 and states[LaundryStatus.BACK] >= 5
    back = [b for b in batches if b.status == LaundryStatus.BACK]
    assert all(b.back_at > b.sent_at for b in back)
    lost = sum(line.sent - line.returned for b in back for line in b.lines)
    assert 0 < lost < sum(line.sent for b in back for line in b.lines) * Decimal("0.05")

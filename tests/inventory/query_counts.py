"""The inventory pages and fragments in the fixed-query-count test (tests/test_query_counts.py):
the counts hold with more items, movements and requests (grow). The signed-in manager keeps
every store; the employee works in housekeeping, which keeps the floor pantry."""

from decimal import Decimal
from itertools import count

from portal.blueprints.inventory import requests, stock
from portal.blueprints.inventory.models import Category, StoreKind
from portal.blueprints.rosters.models import Room, RoomType
from portal.extensions import db
from portal.i18n import local_today
from tests import factories
from tests.inventory import helpers
from tests.test_query_counts import Case

CASES = [
    Case("inventory.stock_list", "manager", "/inventory/", 3, expect="Towel"),
    Case(
        "inventory.stock_list",
        "manager",
        "/inventory/?q=towel&below=1",
        3,
        fragment=True,
        expect="Towel",
    ),
    Case("inventory.item_detail", "manager", "/inventory/items/{inv_item}", 6, expect="History"),
    Case(
        "inventory.item_detail",
        "manager",
        "/inventory/items/{inv_item}?kind=issue",
        6,
        fragment=True,
        expect="Issued",
    ),
    Case(
        "inventory.move_form",
        "manager",
        "/inventory/items/{inv_item}/move?kind=issue",
        5,
        fragment=True,
        expect="Department",
    ),
    Case(
        "inventory.my_requests", "employee", "/inventory/requests", 2, expect="My supply requests"
    ),
    Case("inventory.new_request", "employee", "/inventory/requests/new", 3, expect="How many"),
    Case(
        "inventory.request_detail",
        "manager",
        "/inventory/requests/{inv_request}",
        4,
        expect="Approve",
    ),
    Case("inventory.request_queue", "manager", "/inventory/requests/queue", 5, expect="Room 501"),
    Case(
        "inventory.reorder_list",
        "manager",
        "/inventory/stores/{inv_store}/reorder",
        7,
        expect="On order",
    ),
    Case(
        "inventory.top_up_form",
        "employee",
        "/inventory/rooms/{inv_room}/top-up",
        7,
        expect="Top up to par",
    ),
    Case("inventory.par_kits", "manager", "/inventory/par", 3, expect="Bath towel"),
    Case(
        "inventory.par_kit",
        "manager",
        "/inventory/par/{inv_room_type}",
        4,
        expect="Take out of the kit",
    ),
    Case("inventory.new_item", "manager", "/inventory/items/new", 2, expect="Save item"),
    Case(
        "inventory.edit_item", "manager", "/inventory/items/{inv_item}/edit", 3, expect="Save item"
    ),
    Case("inventory.store_list", "manager", "/inventory/stores", 2, expect="Main store"),
    Case("inventory.spend_budget", "manager", "/inventory/budget", 4, expect="The whole property"),
    Case(
        "inventory.spend_budget",
        "manager",
        "/inventory/budget?month=2026-11&department={inv_department}",
        4,
        expect="The last 12 months",
    ),
    Case("inventory.linen_cycle", "employee", "/inventory/linen", 8, expect="Send soiled linen"),
    Case(
        "inventory.laundry_batch",
        "employee",
        "/inventory/linen/batches/{inv_laundry}",
        2,
        expect="Book it back",
    ),
    Case(
        "inventory.cycle_count",
        "manager",
        "/inventory/stores/{inv_store}/cycle-count",
        6,
        expect="Due for counting",
    ),
    Case(
        "inventory.stocktakes",
        "manager",
        "/inventory/stores/{inv_store}/stocktakes",
        4,
        expect="Counts of this store",
    ),
    Case(
        "inventory.stocktake",
        "manager",
        "/inventory/stocktakes/{inv_stocktake}",
        4,
        expect="1 of 2 items counted",
    ),
    Case(
        "inventory.stocktake_summary",
        "manager",
        "/inventory/stocktakes/{inv_stocktake}/summary",
        3,
        fragment=True,
        expect="1 of 2 items counted",
    ),
    Case("inventory.new_store", "manager", "/inventory/stores/new", 2, expect="Save store"),
    Case(
        "inventory.edit_store",
        "manager",
        "/inventory/stores/{inv_store}/edit",
        3,
        expect="Save store",
    ),
]

NOT_PAGES = {
    "inventory.purchase_pdf": "a document",
    "inventory.item_history_csv": "a download of an item's movements",
    "inventory.count_sheet": "a document",
}

# The ids tests/test_input.py gives the inventory routes' arguments (keys of world()).
ROUTE_ARGUMENTS = {
    "item_id": "inv_item",
    "store_id": "inv_store",
    "request_id": "inv_request",
    "room_type_id": "inv_room_type",
    "room_id": "inv_room",
    "movement_id": "inv_movement",
    "purchase_id": "inv_purchase",
    "stocktake_id": "inv_stocktake",
    "batch_id": "inv_laundry",
}

_numbers = count(1)


def _room_type(prop) -> RoomType:
    kind = db.session.query(RoomType).filter_by(property_id=prop.id, code="STD").one_or_none()
    if kind is None:
        kind = RoomType(property_id=prop.id, code="STD", name_en="Standard", name_zh="标准间")
        db.session.add(kind)
        db.session.flush()
    return kind


def _stores(prop):
    main = helpers.store(prop, StoreKind.MAIN, name_en="Main store")
    pantry = helpers.store(prop, StoreKind.PANTRY, floor=7)
    return main, pantry


def world(prop, ids):
    keeper = helpers.manager(prop)
    main, pantry = _stores(prop)
    towel = helpers.item(prop, "Bath towel")
    soap = helpers.item(prop, "Soap bar", category=Category.TOILETRIES)
    helpers.stocked(main, towel, 40, by=keeper, reorder_point=50, reorder_quantity=100)
    helpers.stocked(main, soap, 300, by=keeper, reorder_point=20, reorder_quantity=200)
    helpers.stocked(pantry, towel, 20, by=keeper)
    helpers.stocked(pantry, soap, 50, by=keeper)
    hk = factories.department(prop, "HK")
    issued = stock.issue(towel, main, Decimal(2), by=keeper, department=hk)
    kind = _room_type(prop)
    room = Room(
        property_id=prop.id, number="701", floor=7, room_type_id=kind.id, occupancy="departure"
    )
    db.session.add(room)
    db.session.flush()
    helpers.par_kit(kind, {towel: 2, soap: 2}, by=keeper)
    asker = factories.person("employee", prop=prop, dept="HK")
    from tests.rosters.helpers import cleaning_row

    cleaning_row(room, asker, finished=True)  # topped up after its cleaning
    made = requests.create(asker, main, "Room 501", [(towel, 2), (soap, 4)])
    from portal.blueprints.inventory import reorder

    raised = reorder.raise_purchases(main, by=keeper)
    from portal.blueprints.inventory import budget, stocktake

    budget.set_budget(hk, budget.first_of(local_today()), Decimal(500), by=keeper)
    from portal.blueprints.inventory import linen

    linen_room = helpers.store(prop, StoreKind.LINEN, name_en="Linen room")
    helpers.stocked(linen_room, towel, 30, by=keeper)
    laundry = linen.send(linen_room, {towel.id: 12}, by=keeper)
    sheet = stocktake.freeze(pantry, by=keeper)
    stocktake.count(sheet.lines[0], Decimal(19), by=keeper)  # one of two lines counted
    return {
        "inv_item": towel.id,
        "inv_store": main.id,
        "inv_request": made.id,
        "inv_room_type": kind.id,
        "inv_room": room.id,
        "inv_movement": issued.id,
        "inv_purchase": raised[0].id if raised else 0,
        "inv_stocktake": sheet.id,
        "inv_department": hk.id,
        "inv_laundry": laundry.id,
    }


def grow(prop, n):
    """n more items in the stores, with movements, requests and par lines."""
    keeper = helpers.manager(prop)
    hk = factories.department(prop, "HK")
    asker = factories.person("employee", prop=prop, dept="HK")
    kind = _room_type(prop)
    from portal.blueprints.inventory.models import Store

    stores = db.session.query(Store).filter_by(property_id=prop.id).all() or list(_stores(prop))
    for i in range(n):
        item = helpers.item(prop, f"Towel {next(_numbers)}")
        for store in stores:
            helpers.stocked(store, item, 30 + i, by=keeper, reorder_point=40, reorder_quantity=60)
        stock.issue(item, stores[0], Decimal(1), by=keeper, department=hk)
        requests.create(asker, stores[0], "Room 501", [(item, 1)])
        helpers.par_kit(kind, {item: 1}, by=keeper)

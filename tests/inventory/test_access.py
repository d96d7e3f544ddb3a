"""Who may reach each inventory endpoint: every role, anonymous, another property's items,
stores, requests, rooms and room types, and a supervisor of front office acting on what
housekeeping keeps (tests/access.py).

Every role signs in at the home property in housekeeping ("HK"); the supervisor supervises it.
The property has a main store kept by stores and purchasing ("STR": only the managers and the
group admin move its stock), the floor-5 pantry and the linen room kept by housekeeping (its
people and its supervisor move theirs), and bath towels in all three.
"""

import re
from decimal import Decimal
from types import SimpleNamespace

from sqlalchemy import select

from portal.blueprints.inventory import reorder, requests, stock, topups
from portal.blueprints.inventory.models import (
    Item,
    Kind,
    Movement,
    ParItem,
    PurchaseRequest,
    PurchaseStatus,
    RequestStatus,
    Store,
    StoreKind,
    SupplyRequest,
    TopUp,
)
from portal.blueprints.rosters.models import Room, RoomType
from portal.extensions import db
from tests import access, factories
from tests.access import ALL, Elsewhere, Row, csv, page, pdf, redirect
from tests.inventory import helpers as h
from tests.rosters import helpers as rosters

MANAGERS = frozenset({"manager", "admin"})  # can_keep_items, runs_stores, the main store
DECIDERS = frozenset({"supervisor", "manager", "admin"})  # can_decide on a HK request
KEY = "access-test-key-0001"  # an idempotency key (16-64 url-safe characters)


# --- the records of one world, each made on first use ----------------------------------------
def _cache(world) -> dict:
    return world.__dict__.setdefault("_inventory", {})


def _once(world, key, build):
    cache = _cache(world)
    if key not in cache:
        cache[key] = build()
    return cache[key]


def _home(ctx):
    """The records of the actor's own property (for a case that mixes the two)."""
    return SimpleNamespace(world=ctx.home)


def keeper(ctx):
    """A storekeeper of the property's stores and purchasing."""
    return _once(ctx.world, "keeper", lambda: h.storekeeper(ctx.world.prop, name_en="Wu Keeper"))


def hk_supervisor(ctx):
    """The world's own supervisor of housekeeping (not the signed-in one)."""
    return _once(
        ctx.world, "hk_supervisor", lambda: factories.person("supervisor", prop=ctx.world.prop)
    )


def main_store(ctx) -> Store:
    return _once(
        ctx.world, "main", lambda: h.store(ctx.world.prop, code="MAIN", name_en="Main store")
    )


def pantry(ctx) -> Store:
    """The floor-5 pantry, kept by housekeeping."""
    return _once(
        ctx.world,
        "pantry",
        lambda: h.store(
            ctx.world.prop, StoreKind.PANTRY, floor=5, code="P5", name_en="Pantry floor 5"
        ),
    )


def linen_room(ctx) -> Store:
    """The linen room, kept by housekeeping (a store one asks from)."""
    return _once(
        ctx.world,
        "linen",
        lambda: h.store(ctx.world.prop, StoreKind.LINEN, code="LIN", name_en="Linen room"),
    )


def towel(ctx) -> Item:
    return _once(
        ctx.world,
        "towel",
        lambda: h.item(ctx.world.prop, "Bath towel", code="LIN-BATH", unit_cost="2.50"),
    )


def stocked(ctx) -> Item:
    """40 towels in the main store (reorder at 50: on the reorder list), 10 in the pantry (reorder
    at 12), 20 in the linen room."""

    def build():
        item = towel(ctx)
        by = keeper(ctx)
        h.stocked(main_store(ctx), item, 40, by=by, reorder_point=50, reorder_quantity=100)
        h.stocked(pantry(ctx), item, 10, by=by, reorder_point=12, reorder_quantity=20)
        h.stocked(linen_room(ctx), item, 20, by=by)
        return item

    return _once(ctx.world, "stocked", build)


def _purchase(ctx, store_getter, key) -> PurchaseRequest:
    def build():
        stocked(ctx)
        (raised,) = reorder.raise_purchases(store_getter(ctx), by=keeper(ctx))
        return raised

    return _once(ctx.world, key, build)


def purchase(ctx) -> PurchaseRequest:
    """An open purchase request for 100 towels for the main store."""
    return _purchase(ctx, main_store, "purchase")


def pantry_purchase(ctx) -> PurchaseRequest:
    return _purchase(ctx, pantry, "pantry_purchase")


def issued(ctx) -> Movement:
    """3 towels issued from the pantry to housekeeping (a movement to reverse)."""

    def build():
        stocked(ctx)
        return stock.issue(
            towel(ctx),
            pantry(ctx),
            Decimal(3),
            by=keeper(ctx),
            department=ctx.world.department(),
        )

    return _once(ctx.world, "issued", build)


def open_request(ctx) -> SupplyRequest:
    """4 towels from the main store, asked by the target person (a HK attendant)."""

    def build():
        stocked(ctx)
        return requests.create(ctx.world.person, main_store(ctx), "Room 501", [(towel(ctx), 4)])

    return _once(ctx.world, "open_request", build)


def _asker(ctx):
    """Who asked for my_request: the signed-in person of housekeeping at home (each role asks
    for their own), else the target person."""
    actor = ctx.actor
    if (
        actor is not None
        and ctx.world is ctx.home
        and actor.department_id == ctx.world.department().id
    ):
        return actor
    return ctx.world.person


def my_request(ctx) -> SupplyRequest:
    def build():
        stocked(ctx)
        return requests.create(_asker(ctx), main_store(ctx), "Room 502", [(towel(ctx), 2)])

    return _once(ctx.world, "my_request", build)


def approved_request(ctx) -> SupplyRequest:
    """4 towels from the linen room (kept by housekeeping), asked by the target person and
    approved by their supervisor: waiting to be issued."""

    def build():
        stocked(ctx)
        made = requests.create(ctx.world.person, linen_room(ctx), "Room 503", [(towel(ctx), 4)])
        requests.approve(made, {}, by=hk_supervisor(ctx))
        return made

    return _once(ctx.world, "approved_request", build)


def room_type(ctx) -> RoomType:
    def build():
        made = RoomType(
            property_id=ctx.world.prop.id,
            code="STD",
            name_en="Standard room",
            name_zh="标准间",
            credits_departure=Decimal("1.5"),
            credits_stayover=Decimal("1.0"),
            credits_vacant=Decimal("0.3"),
        )
        db.session.add(made)
        db.session.flush()
        return made

    return _once(ctx.world, "room_type", build)


def par(ctx) -> ParItem:
    """The standard room holds 2 bath towels, replaced after every departure."""
    return _once(
        ctx.world,
        "par",
        lambda: topups.set_par(room_type(ctx), towel(ctx), Decimal(2), by=keeper(ctx)),
    )


def room(ctx) -> Room:
    """Room 501 (floor 5: its pantry), after a departure, cleaned by the target person, its
    kit of 2 towels to top up."""

    def build():
        stocked(ctx)
        par(ctx)
        made = Room(
            property_id=ctx.world.prop.id,
            number="501",
            floor=5,
            room_type_id=room_type(ctx).id,
            occupancy="departure",
        )
        db.session.add(made)
        db.session.flush()
        rosters.cleaning_row(made, ctx.world.person, finished=True)
        return made

    return _once(ctx.world, "room", build)


# --- what an allowed request did ---------------------------------------------------------------
def _fresh(model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)


def _on_hand(store_getter, quantity):
    def check(ctx):
        db.session.expire_all()
        assert h.on_hand(store_getter(ctx), towel(ctx)) == Decimal(quantity)

    return check


def moved(ctx):
    made = db.session.scalar(
        select(Movement).where(Movement.by_id == ctx.actor.id, Movement.kind == Kind.ISSUE)
    )
    assert made is not None and made.store_id == pantry(ctx).id and made.quantity == 3
    assert made.note == "Floor 5 trolley"
    _on_hand(pantry, 7)(ctx)


def reversed_(ctx):
    made = db.session.scalar(select(Movement).where(Movement.reverses_id == issued(ctx).id))
    assert made is not None and made.by_id == ctx.actor.id and made.note == "Wrong item"
    _on_hand(pantry, 10)(ctx)


def request_made(ctx):
    made = db.session.scalar(select(SupplyRequest).where(SupplyRequest.for_where == "Room 599"))
    assert made is not None and made.requester_id == ctx.actor.id
    assert made.status == RequestStatus.OPEN and made.store_id == main_store(ctx).id
    assert [(line.item_id, line.quantity) for line in made.lines] == [(towel(ctx).id, 2)]


def _status(getter, status, **values):
    def check(ctx):
        made = _fresh(SupplyRequest, getter(ctx).id)
        assert made.status == status
        for name, value in values.items():
            assert getattr(made, name) == value(ctx), name

    return check


def approved(ctx):
    _status(open_request, RequestStatus.APPROVED, decided_by_id=lambda c: c.actor.id)(ctx)
    (line,) = _fresh(SupplyRequest, open_request(ctx).id).lines
    assert line.approved == 3


def issued_request(ctx):
    _status(approved_request, RequestStatus.ISSUED, issued_by_id=lambda c: c.actor.id)(ctx)
    made = db.session.scalar(
        select(Movement).where(Movement.request_id == approved_request(ctx).id)
    )
    assert made is not None and made.quantity == 4 and made.by_id == ctx.actor.id
    _on_hand(linen_room, 16)(ctx)


def purchases_raised(ctx):
    made = db.session.scalar(
        select(PurchaseRequest).where(PurchaseRequest.store_id == main_store(ctx).id)
    )
    assert made is not None and made.status == PurchaseStatus.OPEN
    assert made.raised_by_id == ctx.actor.id and made.quantity == 100


def purchase_cancelled(ctx):
    assert _fresh(PurchaseRequest, purchase(ctx).id).status == PurchaseStatus.CANCELLED


def topped_up(ctx):
    made = db.session.scalar(select(TopUp).where(TopUp.room_id == room(ctx).id))
    assert made is not None and made.by_id == ctx.actor.id and made.store_id == pantry(ctx).id
    _on_hand(pantry, 8)(ctx)


def par_set(ctx):
    made = _fresh(ParItem, par(ctx).id)
    assert made.quantity == 3 and made.departure_refill is True


def item_added(ctx):
    made = db.session.scalar(select(Item).where(Item.code == "TOI-SOAP"))
    assert made is not None and made.property_id == ctx.actor.property_id
    assert (made.name_zh, made.unit_cost) == ("香皂", Decimal("0.40"))


def item_changed(ctx):
    made = _fresh(Item, towel(ctx).id)
    assert (made.name_en, made.unit_cost) == ("Bath towel, large", Decimal("3.10"))


def reorder_set(ctx):
    db.session.expire_all()
    made = h.level(main_store(ctx), towel(ctx))
    assert (made.reorder_point, made.reorder_quantity) == (30, 120)


def store_added(ctx):
    made = db.session.scalar(select(Store).where(Store.code == "P7"))
    assert made is not None and made.property_id == ctx.actor.property_id
    assert (made.kind, made.floor) == ("pantry", 7)


def store_changed(ctx):
    assert _fresh(Store, main_store(ctx).id).name_en == "Main store B1"


# --- the forms posted ----------------------------------------------------------------------------
def move_data(ctx) -> dict:
    return {
        "idempotency_key": KEY,
        "store_id": str(pantry(ctx).id),
        "quantity": "3",
        "department_id": str(ctx.world.department().id),
        "note": "Floor 5 trolley",
    }


def request_data(ctx) -> dict:
    return {
        "idempotency_key": KEY,
        "store_id": str(main_store(ctx).id),
        "for_where": "Room 599",
        "item_id-0": str(towel(ctx).id),
        "quantity-0": "2",
    }


def item_data(ctx, **values) -> dict:
    return {
        "code": "lin-bath",
        "name_en": "Bath towel, large",
        "name_zh": "大浴巾",
        "category": "linen",
        "unit": "piece",
        "unit_cost": "3.10",
        "custodian_id": "0",
        **values,
    }


def store_data(ctx) -> dict:
    return {
        "code": "MAIN",
        "name_en": "Main store B1",
        "name_zh": "总仓",
        "kind": "main",
        "department_id": str(h.stores_department(ctx.world.prop).id),
        "floor": "",
    }


def _request_page(getter):
    return lambda c: f"/inventory/requests/{getter(c).id}"


def _nothing(ctx):
    return None


ITEM_PAGE = re.compile(r"/inventory/items/\d+")
REQUEST_PAGE = re.compile(r"/inventory/requests/\d+")
item_args = lambda c: {"item_id": stocked(c).id}  # noqa: E731
OPEN_TO_SUPERVISORS = (Elsewhere("open to every supervisor", code=None),)


# --- stocktakes ---------------------------------------------------------------------------------
def counting(ctx):
    """The pantry's count sheet, frozen by its keeper (10 towels expected)."""
    from portal.blueprints.inventory import stocktake

    def build():
        stocked(ctx)
        return stocktake.freeze(pantry(ctx), by=keeper(ctx))

    return _once(ctx.world, "counting", build)


def count_line(ctx):
    return counting(ctx).lines[0]


def counted_all(ctx):
    """The pantry's count, every line counted (8 towels: 2 short)."""
    from portal.blueprints.inventory import stocktake

    def build():
        stocktake.count(count_line(ctx), Decimal(8), by=keeper(ctx))
        return counting(ctx)

    return _once(ctx.world, "counted_all", build)


def _stocktake_status(status):
    def check(ctx):
        from portal.blueprints.inventory.models import Stocktake

        made = _fresh(Stocktake, counting(ctx).id)
        assert made.status == status and made.closed_by_id == ctx.actor.id

    return check


def frozen_now(ctx):
    from portal.blueprints.inventory.models import Stocktake

    made = db.session.scalar(select(Stocktake).where(Stocktake.store_id == pantry(ctx).id))
    assert made is not None and made.frozen_by_id == ctx.actor.id


def line_counted(ctx):
    from portal.blueprints.inventory.models import StocktakeLine

    line = _fresh(StocktakeLine, count_line(ctx).id)
    assert line.counted == 9 and line.counted_by_id == ctx.actor.id


def budget_set(ctx):
    from portal.blueprints.inventory.models import Budget

    made = db.session.scalar(
        select(Budget).where(Budget.department_id == ctx.world.department().id)
    )
    assert made is not None and made.amount == 1500 and made.set_by_id == ctx.actor.id


# --- the linen cycle ----------------------------------------------------------------------------
def laundry(ctx):
    """Ten soiled bath towels sent from the linen room."""
    from portal.blueprints.inventory import linen

    def build():
        stocked(ctx)
        return linen.send(linen_room(ctx), {towel(ctx).id: 10}, by=keeper(ctx))

    return _once(ctx.world, "laundry", build)


def laundry_sent(ctx):
    from portal.blueprints.inventory.models import LaundryBatch

    made = db.session.scalar(
        select(LaundryBatch).where(LaundryBatch.store_id == linen_room(ctx).id)
    )
    assert made is not None and made.sent_by_id == ctx.actor.id


def laundry_booked(ctx):
    from portal.blueprints.inventory.models import LaundryBatch

    made = _fresh(LaundryBatch, laundry(ctx).id)
    assert made.status == "back" and made.back_by_id == ctx.actor.id
    _on_hand(linen_room, 29)(ctx)


ROWS = access.domain(
    "inventory",
    [
        # --- stock ----------------------------------------------------------------------------
        Row("inventory.stock_list", ALL, page("Stock", "Bath towel", "LIN-BATH"), given=stocked),
        Row(
            "inventory.item_detail",
            ALL,
            page("Bath towel", "Stock by store", "Main store", "Pantry floor 5"),
            args=item_args,
            obj=towel,
            other_department=OPEN_TO_SUPERVISORS,
        ),
        Row(
            "inventory.item_history_csv",
            ALL,
            csv("Received", "MAIN", "P5", "Linen & Co."),
            args=item_args,
            obj=towel,
        ),
        Row(
            "inventory.move_form",
            ALL,  # each keeps the pantry, or (managers) every store
            page("Issued · Bath towel", "Pantry floor 5", "Department"),
            args=lambda c: {"item_id": stocked(c).id, "kind": "issue"},
            obj=towel,
            # keeps no store of the property: 403 (the refusal names no record)
            other_department=(Elsewhere("keeps no store", obj=_nothing, code=403),),
        ),
        Row(
            "inventory.move",
            ALL,
            redirect(lambda c: f"/inventory/items/{towel(c).id}", "Pantry floor 5", then=moved),
            method="POST",
            args=lambda c: {"item_id": stocked(c).id, "kind": "issue"},
            data=move_data,
            obj=towel,
            other_department=(Elsewhere("pantry kept by HK", obj=pantry),),
        ),
        Row(
            "inventory.reverse",
            MANAGERS,  # runs_stores
            redirect(
                lambda c: f"/inventory/items/{towel(c).id}#history",
                "reversed",
                then=reversed_,
            ),
            method="POST",
            args=lambda c: {"movement_id": issued(c).id},
            data=lambda c: {"why": "Wrong item"},
            obj=issued,
            refused=403,  # the movement is in sight: refused, not hidden
            other_department=(Elsewhere("pantry issue", code=403),),
        ),
        # --- supply requests --------------------------------------------------------------------
        Row(
            "inventory.my_requests",
            ALL,
            page("My supply requests", "Room 502"),
            given=my_request,
        ),
        Row("inventory.new_request", ALL, page("Ask for supplies", "Bath towel"), given=stocked),
        Row(
            "inventory.create_request",
            ALL,
            redirect(REQUEST_PAGE, "Your request is sent", then=request_made),
            method="POST",
            given=stocked,
            data=request_data,
        ),
        Row(
            "inventory.request_detail",
            DECIDERS,
            page(lambda c: f"Supply request {open_request(c).id}", "Mei Target", "Room 501"),
            args=lambda c: {"request_id": open_request(c).id},
            obj=open_request,
            other_department=(Elsewhere("HK request"),),
        ),
        Row(
            "inventory.approve_request",
            DECIDERS,
            redirect(_request_page(open_request), "approved", then=approved),
            method="POST",
            args=lambda c: {"request_id": open_request(c).id},
            data=lambda c: {
                f"approved-{open_request(c).lines[0].id}": "3",
                "note": "Three is enough",
            },
            obj=open_request,
            other_department=(Elsewhere("HK request"),),
        ),
        Row(
            "inventory.refuse_request",
            DECIDERS,
            redirect(
                _request_page(open_request),
                "not approved",
                then=_status(
                    open_request, RequestStatus.REJECTED, decided_by_id=lambda c: c.actor.id
                ),
            ),
            method="POST",
            args=lambda c: {"request_id": open_request(c).id},
            data=lambda c: {"note": "Take them from the pantry"},
            obj=open_request,
            other_department=(Elsewhere("HK request"),),
        ),
        Row(
            "inventory.cancel_request",
            ALL,  # each role cancels their own request; nobody else's
            redirect(
                _request_page(my_request),
                "cancelled",
                then=_status(my_request, RequestStatus.CANCELLED),
            ),
            method="POST",
            args=lambda c: {"request_id": my_request(c).id},
            data=lambda c: {},
            obj=my_request,
            # another property's request is someone else's: no group admin case either
            other_property=(Elsewhere(args=lambda c: {"request_id": my_request(c).id}),),
            other_department=(Elsewhere("HK attendant's request"),),
        ),
        Row(
            "inventory.issue_request",
            ALL,  # keeps_store of the linen room: housekeeping's people, its supervisor, managers
            redirect(_request_page(approved_request), "issued", then=issued_request),
            method="POST",
            args=lambda c: {"request_id": approved_request(c).id},
            data=lambda c: {},
            obj=approved_request,
            other_department=(Elsewhere("linen room kept by HK"),),
        ),
        Row(
            "inventory.request_queue",
            ALL,
            page("Supply requests waiting", "To approve", "Approved: to issue"),
            given=open_request,
        ),
        # --- reorder list and purchase requests ----------------------------------------------
        Row(
            "inventory.reorder_list",
            ALL,
            page("Reorder list ·", "Bath towel", "Projected stock"),
            args=lambda c: {"store_id": main_store(c).id},
            given=stocked,
            obj=main_store,
            other_department=(
                Elsewhere(
                    "HK pantry open to every supervisor",
                    args=lambda c: {"store_id": pantry(c).id},
                    code=None,
                ),
            ),
        ),
        Row(
            "inventory.raise_purchases",
            MANAGERS,  # can_move_stock of the main store
            redirect(
                lambda c: f"/inventory/stores/{main_store(c).id}/reorder",
                "1 purchase requests raised",
                then=purchases_raised,
            ),
            method="POST",
            args=lambda c: {"store_id": main_store(c).id},
            given=stocked,
            data=lambda c: {},
            obj=main_store,
            other_department=(
                Elsewhere(
                    "pantry kept by HK", args=lambda c: {"store_id": pantry(c).id}, obj=pantry
                ),
            ),
        ),
        Row(
            "inventory.cancel_purchase",
            MANAGERS,
            redirect(
                lambda c: f"/inventory/stores/{main_store(c).id}/reorder",
                "cancelled",
                then=purchase_cancelled,
            ),
            method="POST",
            args=lambda c: {"purchase_id": purchase(c).id},
            data=lambda c: {},
            obj=main_store,  # the refusal names the purchase request's store
            other_department=(
                Elsewhere(
                    "pantry kept by HK",
                    args=lambda c: {"purchase_id": pantry_purchase(c).id},
                    obj=pantry,
                ),
            ),
        ),
        Row(
            "inventory.purchase_pdf",
            ALL,
            pdf("Purchase request", "Main store", "LIN-BATH", "250.00"),
            args=lambda c: {"store_id": main_store(c).id, "lang": "en"},
            given=purchase,
            obj=main_store,
        ),
        # --- room top-ups and par kits --------------------------------------------------------
        Row(
            "inventory.top_up_form",
            ALL,  # can_top_up: housekeeping's people, its supervisors, the managers
            page("Top up room 501", "Bath towel", "Top up to par"),
            args=lambda c: {"room_id": room(c).id},
            obj=room,
            refused=403,
            other_department=(Elsewhere("HK room", code=403),),
        ),
        Row(
            "inventory.top_up",
            ALL,
            redirect(
                lambda c: f"/inventory/rooms/{room(c).id}/top-up",
                "Room 501 topped up to par.",
                then=topped_up,
            ),
            method="POST",
            args=lambda c: {"room_id": room(c).id},
            data=lambda c: {f"short-{towel(c).id}": "2"},
            obj=room,
            refused=403,
            other_department=(Elsewhere("HK room", code=403),),
        ),
        Row(
            "inventory.par_kits",
            ALL,
            page("Room par kits", "Standard room", "Bath towel × 2"),
            given=par,
        ),
        Row(
            "inventory.par_kit",
            MANAGERS,
            page("Par kit · Standard room", "Bath towel", "Add an item or change its par"),
            args=lambda c: {"room_type_id": room_type(c).id},
            given=par,
            obj=room_type,
            other_property=(Elsewhere(),),
            other_department=(Elsewhere("HK par kit"),),
        ),
        Row(
            "inventory.set_par",
            MANAGERS,
            redirect(
                lambda c: f"/inventory/par/{room_type(c).id}",
                "Par kit of Standard room saved.",
                then=par_set,
            ),
            method="POST",
            args=lambda c: {"room_type_id": room_type(c).id},
            given=par,
            data=lambda c: {"item_id": str(towel(c).id), "quantity": "3", "departure_refill": "y"},
            obj=room_type,
            other_property=(Elsewhere(),),
            other_department=(Elsewhere("HK par kit"),),
        ),
        # --- the item list and the stores -----------------------------------------------------
        Row("inventory.new_item", MANAGERS, page("New item", "Name in Chinese", "Save item")),
        Row(
            "inventory.add_item",
            MANAGERS,
            redirect(ITEM_PAGE, "Item TOI-SOAP added.", then=item_added),
            method="POST",
            data=lambda c: item_data(
                c,
                code="toi-soap",
                name_en="Soap bar",
                name_zh="香皂",
                category="toiletries",
                unit_cost="0.40",
            ),
        ),
        Row(
            "inventory.edit_item",
            MANAGERS,
            page("Change item LIN-BATH", "Save item"),
            args=lambda c: {"item_id": towel(c).id},
            obj=towel,
            refused=403,  # in sight (can_view_stock): refused, not hidden
            other_department=(Elsewhere("stock item", code=403),),
        ),
        Row(
            "inventory.update_item",
            MANAGERS,
            redirect(lambda c: f"/inventory/items/{towel(c).id}", "saved", then=item_changed),
            method="POST",
            args=lambda c: {"item_id": towel(c).id},
            data=item_data,
            obj=towel,
            refused=403,
            other_department=(Elsewhere("stock item", code=403),),
        ),
        Row(
            "inventory.set_reorder",
            MANAGERS,
            redirect(
                lambda c: f"/inventory/items/{towel(c).id}#level-{main_store(c).id}",
                "Reorder point of Bath towel in Main store saved.",
                then=reorder_set,
            ),
            method="POST",
            args=lambda c: {"item_id": stocked(c).id, "store_id": main_store(c).id},
            data=lambda c: {"reorder_point": "30", "reorder_quantity": "120"},
            obj=towel,
            refused=403,
            other_property=(
                Elsewhere(),
                # my own item in another property's store
                Elsewhere(
                    "their store",
                    args=lambda c: {"item_id": towel(_home(c)).id, "store_id": main_store(c).id},
                    obj=main_store,
                ),
            ),
            other_department=(Elsewhere("HK pantry", code=403),),
        ),
        Row(
            "inventory.store_list",
            ALL,
            page("Stores", "Main store", "Pantry floor 5", "Linen room"),
            given=stocked,
        ),
        Row("inventory.new_store", MANAGERS, page("New store", "Kept by", "Save store")),
        Row(
            "inventory.add_store",
            MANAGERS,
            redirect("/inventory/stores", "Store P7 added.", then=store_added),
            method="POST",
            data=lambda c: {
                "code": "p7",
                "name_en": "Pantry floor 7",
                "name_zh": "七楼布草间",
                "kind": "pantry",
                "department_id": str(c.world.department().id),
                "floor": "7",
            },
        ),
        Row(
            "inventory.edit_store",
            MANAGERS,
            page("Change store MAIN", "Save store"),
            args=lambda c: {"store_id": main_store(c).id},
            obj=main_store,
            refused=403,
            other_department=(
                Elsewhere(
                    "pantry kept by HK",
                    args=lambda c: {"store_id": pantry(c).id},
                    obj=pantry,
                    code=403,
                ),
            ),
        ),
        Row(
            "inventory.update_store",
            MANAGERS,
            redirect("/inventory/stores", "Store MAIN saved.", then=store_changed),
            method="POST",
            args=lambda c: {"store_id": main_store(c).id},
            data=store_data,
            obj=main_store,
            refused=403,
            other_department=(
                Elsewhere(
                    "pantry kept by HK",
                    args=lambda c: {"store_id": pantry(c).id},
                    obj=pantry,
                    code=403,
                ),
            ),
        ),
        # --- stocktakes ---------------------------------------------------------------------------
        Row(
            "inventory.stocktakes",
            ALL,
            page("Stocktakes · Pantry floor 5", "Counts of this store"),
            args=lambda c: {"store_id": pantry(c).id},
            given=stocked,
            obj=pantry,
            other_department=(Elsewhere("stock open to every supervisor", code=None),),
        ),
        Row(
            "inventory.freeze",
            DECIDERS,  # can_freeze: a supervisor of the keeping department, the managers
            redirect(
                re.compile(r"/inventory/stocktakes/\d+"), "Count sheet frozen", then=frozen_now
            ),
            method="POST",
            args=lambda c: {"store_id": pantry(c).id},
            given=stocked,
            data=lambda c: {},
            obj=pantry,
            refused=403,
            other_department=(Elsewhere("pantry kept by HK", code=403),),
        ),
        Row(
            "inventory.stocktake",
            ALL,
            page("Stocktake no.", "Bath towel", "0 of 1 items counted"),
            args=lambda c: {"stocktake_id": counting(c).id},
            obj=counting,
            other_department=(Elsewhere("stock open to every supervisor", code=None),),
        ),
        Row(
            "inventory.stocktake_summary",
            ALL,
            page("0 of 1 items counted"),
            args=lambda c: {"stocktake_id": counting(c).id},
            obj=counting,
            other_department=(Elsewhere("stock open to every supervisor", code=None),),
        ),
        Row(
            "inventory.count",
            ALL,  # can_count: who keeps the pantry (housekeeping), its supervisor, managers
            redirect(
                lambda c: f"/inventory/stocktakes/{counting(c).id}#line-{count_line(c).id}",
                then=line_counted,
            ),
            method="POST",
            args=lambda c: {"stocktake_id": counting(c).id, "line_id": count_line(c).id},
            data=lambda c: {"counted": "9"},
            obj=counting,
            refused=403,
            other_department=(Elsewhere("pantry kept by HK", code=403),),
        ),
        Row(
            "inventory.post_stocktake",
            MANAGERS,
            redirect(
                lambda c: f"/inventory/stocktakes/{counting(c).id}",
                "Stocktake posted",
                then=_stocktake_status("posted"),
            ),
            method="POST",
            args=lambda c: {"stocktake_id": counted_all(c).id},
            data=lambda c: {},
            obj=counting,
            refused=403,
        ),
        Row(
            "inventory.cancel_stocktake",
            MANAGERS,
            redirect(
                lambda c: f"/inventory/stocktakes/{counting(c).id}",
                "Stocktake cancelled",
                then=_stocktake_status("cancelled"),
            ),
            method="POST",
            args=lambda c: {"stocktake_id": counting(c).id},
            data=lambda c: {},
            obj=counting,
            refused=403,
        ),
        Row(
            "inventory.cycle_count",
            ALL,
            page("Cycle counts · Pantry floor 5", "Due for counting", "Bath towel"),
            args=lambda c: {"store_id": pantry(c).id},
            given=stocked,
            obj=pantry,
            other_department=(Elsewhere("stock open to every supervisor", code=None),),
        ),
        Row(
            "inventory.freeze_cycle",
            DECIDERS,
            redirect(
                re.compile(r"/inventory/stocktakes/\d+"), "Count sheet frozen", then=frozen_now
            ),
            method="POST",
            args=lambda c: {"store_id": pantry(c).id},
            given=stocked,
            data=lambda c: {},
            obj=pantry,
            refused=403,
            other_department=(Elsewhere("pantry kept by HK", code=403),),
        ),
        Row(
            "inventory.count_sheet",
            ALL,
            pdf("Count sheet", "Pantry floor 5", "LIN-BATH"),
            args=lambda c: {"stocktake_id": counting(c).id, "lang": "en"},
            obj=counting,
        ),
        # --- the linen cycle -----------------------------------------------------------------
        Row(
            "inventory.linen_cycle",
            ALL,
            page("Linen cycle", "At the laundry", "Back from the laundry"),
            given=stocked,
        ),
        Row(
            "inventory.send_laundry",
            ALL,  # can_run_laundry: who keeps the linen room (housekeeping), the managers
            redirect(re.compile(r"/inventory/linen/batches/\d+"), "Batch", then=laundry_sent),
            method="POST",
            given=stocked,
            data=lambda c: {
                "idempotency_key": KEY,
                "store_id": str(linen_room(c).id),
                f"sent-{towel(c).id}": "6",
            },
            obj=linen_room,
            refused=403,
        ),
        Row(
            "inventory.laundry_batch",
            ALL,
            page("Batch", "Bath towel", "At the laundry"),
            args=lambda c: {"batch_id": laundry(c).id},
            obj=laundry,
            other_department=(Elsewhere("stock open to every supervisor", code=None),),
        ),
        Row(
            "inventory.laundry_back",
            ALL,
            redirect(
                lambda c: f"/inventory/linen/batches/{laundry(c).id}",
                "booked back",
                then=laundry_booked,
            ),
            method="POST",
            args=lambda c: {"batch_id": laundry(c).id},
            data=lambda c: {
                f"returned-{laundry(c).lines[0].id}": "9",
                f"rejected-{laundry(c).lines[0].id}": "1",
            },
            obj=laundry,
            refused=403,
            other_department=(Elsewhere("linen room kept by HK", code=403),),
        ),
        # --- cost control --------------------------------------------------------------------
        Row(
            "inventory.spend_budget",
            MANAGERS,  # can_view_budget: the managers and the supervisors of the stores
            page("Spend against budget", "The whole property", "The last 12 months"),
        ),
        Row(
            "inventory.set_budget",
            MANAGERS,
            redirect(re.compile(r"/inventory/budget\?month=\d{4}-\d{2}"), then=budget_set),
            method="POST",
            args=lambda c: {"department_id": c.world.department().id},
            data=lambda c: {"amount": "1500"},
            obj=lambda c: c.world.department(),
            refused=403,
        ),
    ],
)

globals().update(access.tests_for(ROWS))

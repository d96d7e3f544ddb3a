"""Inventory and supplies: stores and their items, stock moved only by movements that are never
edited, room par kits topped up after cleaning, supply requests, the reorder list and
stocktakes."""

from flask import Blueprint

from portal.i18n import lazy_gettext as _l
from portal.modules import Card, Module, NavEntry
from portal.roles import Role

bp = Blueprint("inventory", __name__, url_prefix="/inventory")


def _seed_demo() -> bool:
    from portal.blueprints.inventory.demo import seed_inventory

    return seed_inventory()


def module() -> Module:
    from portal.blueprints.inventory import (  # noqa: F401 - the routes
        admin_views,
        budget_views,
        cards,
        linen_views,
        reorder_views,
        request_views,
        stocktake_views,
        topup_views,
        views,
    )
    from portal.blueprints.inventory.permissions import can_request, can_view_stock

    return Module(
        name="inventory",
        blueprint=bp,
        nav=[
            NavEntry("inventory.stock_list", _l("Stores"), "box-seam", can_view_stock, 45),
            NavEntry("inventory.my_requests", _l("Supplies"), "cart-plus", can_request, 46),
        ],
        audit_actions={
            "inventory.receive": _l("Stock received"),
            "inventory.issue": _l("Stock issued"),
            "inventory.top_up": _l("Room topped up from stock"),
            "inventory.transfer": _l("Stock moved between stores"),
            "inventory.return": _l("Stock returned to the store"),
            "inventory.loss": _l("Stock lost or damaged"),
            "inventory.reversal": _l("Stock movement reversed"),
            "inventory.requested": _l("Supplies requested"),
            "inventory.request_approved": _l("Supply request approved"),
            "inventory.request_refused": _l("Supply request not approved"),
            "inventory.request_cancelled": _l("Supply request cancelled"),
            "inventory.request_issued": _l("Supply request issued"),
            "inventory.purchase_raised": _l("Purchase request raised"),
            "inventory.purchase_cancelled": _l("Purchase request cancelled"),
            "inventory.par_set": _l("Room par kit changed"),
            "inventory.topped_up": _l("Room topped up to par"),
            "inventory.item_added": _l("Stock item added"),
            "inventory.item_changed": _l("Stock item changed"),
            "inventory.reorder_set": _l("Reorder point set"),
            "inventory.store_added": _l("Store added"),
            "inventory.store_changed": _l("Store changed"),
            "inventory.count": _l("Stocktake adjustment posted"),
            "inventory.stocktake_frozen": _l("Count sheet frozen"),
            "inventory.counted": _l("Stock counted"),
            "inventory.stocktake_posted": _l("Stocktake posted"),
            "inventory.stocktake_cancelled": _l("Stocktake cancelled"),
            "inventory.budget_set": _l("Supply budget set"),
            "inventory.laundry": _l("Clean linen back from the laundry"),
            "inventory.laundry_sent": _l("Soiled linen sent to the laundry"),
            "inventory.laundry_back": _l("Laundry batch booked back"),
        },
        audit_objects={
            "stores": _l("Store"),
            "stock_items": _l("Stock item"),
            "stock_levels": _l("Item in a store"),
            "stock_movements": _l("Stock movement"),
            "supply_requests": _l("Supply request"),
            "purchase_requests": _l("Purchase request"),
            "room_top_ups": _l("Room top-up"),
            "room_types": _l("Room type"),
            "stocktakes": _l("Stocktake"),
            "supply_budgets": _l("Supply budget"),
            "laundry_batches": _l("Laundry batch"),
        },
        seeder=_seed_demo,
        seed_after=("people", "rosters"),
        cards=[
            Card(
                cards.my_requests_card,
                frozenset({Role.EMPLOYEE, Role.SUPERVISOR}),
                order=14,
                numbers=cards.my_requests_numbers,
                numbers_sql=cards.my_requests_numbers_sql,
            ),
            Card(
                cards.stores_card,
                frozenset({Role.EMPLOYEE, Role.SUPERVISOR, Role.MANAGER, Role.ADMIN}),
                order=24,
                numbers=cards.stores_numbers,
                numbers_sql=cards.stores_numbers_sql,
            ),
            Card(
                cards.budget_card,
                frozenset({Role.SUPERVISOR, Role.MANAGER, Role.ADMIN}),
                order=25,
                numbers=cards.budget_numbers,
                numbers_sql=cards.budget_numbers_sql,
            ),
        ],
    )

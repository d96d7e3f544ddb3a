"""Inventory cards of the home page: my supply requests (everyone who asks), requests to approve
(supervisors, managers), and for the people who keep a store: requests to issue and items at or
below their reorder point.

The numbers are scalar SQL read in the home page's one statement of numbers: the cards add no
query to the home page.
"""

from __future__ import annotations

from flask import url_for
from sqlalchemy import bindparam, case, func, select

from portal.blueprints.inventory.catalogue import BELOW
from portal.blueprints.inventory.models import (
    Item,
    RequestStatus,
    StockLevel,
    Store,
    SupplyRequest,
)
from portal.blueprints.inventory.permissions import can_approve_requests, is_manager
from portal.i18n import gettext as _
from portal.modules import Numbers


def _requests(*where):
    return select(func.count(SupplyRequest.id)).where(*where).scalar_subquery()


def my_requests_numbers(user) -> Numbers:
    return Numbers()


def my_requests_numbers_sql(_shape) -> dict:
    mine = SupplyRequest.requester_id == bindparam("card_user_id")
    return {
        "supplies_mine_open": _requests(mine, SupplyRequest.status == RequestStatus.OPEN),
        "supplies_mine_approved": _requests(mine, SupplyRequest.status == RequestStatus.APPROVED),
    }


def my_requests_card(user, values: dict) -> dict | None:
    waiting, approved = values["supplies_mine_open"], values["supplies_mine_approved"]
    if not (waiting or approved):
        return None
    url = url_for("inventory.my_requests")
    return {
        "id": "my-supplies",
        "icon": "cart-plus",
        "title": _("My supply requests"),
        "numbers": [
            (_("Waiting for approval"), waiting, url),
            (_("Approved, waiting for the store"), approved, url),
        ],
        "link": (url_for("inventory.new_request"), _("Ask for supplies")),
    }


def _departments(user) -> list[int]:
    """The departments whose stores and requests are this person's: their own and the ones
    they supervise."""
    ids = {d.id for d in user.supervises}
    if user.department_id is not None:
        ids.add(user.department_id)
    return sorted(ids) or [0]


def stores_numbers(user) -> Numbers:
    if is_manager(user):
        return Numbers("property")
    return Numbers(
        "departments",
        {
            "inventory_department_ids": _departments(user),
            "inventory_supervised_ids": [d.id for d in user.supervises] or [0],
        },
    )


def stores_numbers_sql(shape: str) -> dict:
    here = bindparam("card_property_id")
    if shape == "property":
        kept = Store.property_id == here
        decides = SupplyRequest.property_id == here
    else:
        kept = Store.department_id.in_(bindparam("inventory_department_ids", expanding=True))
        decides = SupplyRequest.department_id.in_(
            bindparam("inventory_supervised_ids", expanding=True)
        )
    return {
        "supplies_to_approve": _requests(
            SupplyRequest.property_id == here,
            SupplyRequest.status == RequestStatus.OPEN,
            SupplyRequest.requester_id != bindparam("card_user_id"),
            decides,
        ),
        "supplies_to_issue": (
            select(func.count(SupplyRequest.id))
            .join(Store, Store.id == SupplyRequest.store_id)
            .where(
                SupplyRequest.property_id == here,
                SupplyRequest.status == RequestStatus.APPROVED,
                kept,
            )
            .scalar_subquery()
        ),
        "supplies_below": (
            select(func.count(StockLevel.id))
            .join(Store, Store.id == StockLevel.store_id)
            .join(Item, Item.id == StockLevel.item_id)
            .where(
                StockLevel.property_id == here,
                Store.active.is_(True),
                Item.active.is_(True),
                BELOW,
                kept,
            )
            .scalar_subquery()
        ),
    }


def stores_card(user, values: dict) -> dict | None:
    approve = values["supplies_to_approve"] if can_approve_requests(user) else 0
    issue, below = values["supplies_to_issue"], values["supplies_below"]
    if not (approve or issue or below):
        return None
    queue = url_for("inventory.request_queue")
    numbers = []
    if can_approve_requests(user):
        numbers.append((_("Supply requests to approve"), approve, queue))
    if issue or below:
        numbers.append((_("Approved requests to issue"), issue, queue))
        below_url = url_for("inventory.stock_list", below=1)
        numbers.append((_("Items at or below their reorder point"), below, below_url))
    return {
        "id": "stores",
        "icon": "box-seam",
        "title": _("Supplies"),
        "numbers": numbers,
        "link": (queue, _("Requests waiting")),
    }


# --- spend against budget (the managers, and whoever runs the stores) ---------------------------
def budget_numbers(user) -> Numbers:
    from portal.blueprints.inventory import budget
    from portal.i18n import local_today

    month = budget.first_of(local_today())
    return Numbers(
        "budget",
        {
            "inventory_month": month,
            "inventory_month_start": budget.month_start(month),
            "inventory_month_end": budget.month_start(budget.add_months(month, 1)),
        },
    )


def budget_numbers_sql(_shape) -> dict:
    from portal.blueprints.inventory.models import Budget, Movement

    here = bindparam("card_property_id")
    signed = case((Movement.change < 0, Movement.value), else_=-Movement.value)
    return {
        "supplies_spent": (
            select(func.coalesce(func.sum(signed), 0))
            .where(
                Movement.property_id == here,
                Movement.department_id.is_not(None),
                Movement.at >= bindparam("inventory_month_start"),
                Movement.at < bindparam("inventory_month_end"),
            )
            .scalar_subquery()
        ),
        "supplies_budget": (
            select(func.sum(Budget.amount))
            .where(Budget.property_id == here, Budget.month == bindparam("inventory_month"))
            .scalar_subquery()
        ),
    }


def budget_card(user, values: dict) -> dict | None:
    from decimal import Decimal

    from portal.blueprints.inventory import budget
    from portal.blueprints.inventory.permissions import can_view_budget
    from portal.i18n import fmt_money, local_today

    if not can_view_budget(user):
        return None
    spent = Decimal(str(values["supplies_spent"] or 0)).quantize(Decimal("0.01"))
    planned = values["supplies_budget"]
    planned = None if planned is None else Decimal(str(planned))
    if planned is None and not spent:
        return None
    line = budget.Line(None, budget.first_of(local_today()), planned, spent)
    rows = [(_("Spent this month"), fmt_money(spent))]
    if planned is not None:
        rows.append((_("Budget this month"), fmt_money(planned)))
    url = url_for("inventory.spend_budget")
    return {
        "id": "supply-budget",
        "icon": "building",
        "title": _("Spend against budget"),
        "rows": rows,
        "entries": [
            {
                "url": url,
                "label": _("%(share)s%% of the budget", share=line.share)
                if line.share is not None
                else _("Set the month's budgets"),
                "badge": {"text": line.state_label, "cls": line.badge, "icon": "info-circle-fill"},
            }
        ],
        "link": (url, _("Spend against budget")),
    }

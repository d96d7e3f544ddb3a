"""Who may see stock, move it, keep the item list, request supplies and approve requests.

A store is kept by a department (stores and purchasing for the main store, housekeeping for the
floor pantries and the linen room, the spa for its own): that department's active people and its
supervisors receive, issue, move and count the store's stock; the property's managers and the
group admin may do so in every store. Stores and purchasing's supervisors and the managers keep
the item list, the reorder points and the par kits. Anyone signed in asks for supplies for their
own department; the supervisors of that department (and the managers) approve or change the
request; the store issues it.
"""

from portal.permissions import has_role, in_property, signed_in, supervises_department
from portal.roles import Role

STORES = "STR"  # the department code of a property's stores and purchasing
HOUSEKEEPING = "HK"


def _department_code(user) -> str | None:
    department = getattr(user, "department", None)
    return department.code if department is not None else None


def is_manager(user) -> bool:
    return has_role(user, Role.MANAGER, Role.ADMIN)


def runs_stores(user) -> bool:
    """A manager or group admin, or a supervisor of stores and purchasing."""
    return is_manager(user) or (
        has_role(user, Role.SUPERVISOR) and any(d.code == STORES for d in user.supervises)
    )


def keeps_stores(user) -> bool:
    """Works in stores and purchasing, or runs it."""
    return runs_stores(user) or (bool(user.active) and _department_code(user) == STORES)


def keeps_store(user, store) -> bool:
    """May move stock in or out of this store."""
    if not (signed_in(user) and in_property(user, store.property_id)):
        return False
    if is_manager(user):
        return True
    if has_role(user, Role.SUPERVISOR) and supervises_department(user, store.department_id):
        return True
    return bool(user.active) and user.department_id == store.department_id


def keeps_any_store(user) -> bool:
    """Works in a department that keeps a store (the stock pages are theirs)."""
    return signed_in(user) and (
        keeps_stores(user)
        or _department_code(user) == HOUSEKEEPING
        or has_role(user, Role.SUPERVISOR)
    )


def can_view_stock(user, obj=None) -> bool:
    return keeps_any_store(user) and (obj is None or in_property(user, obj.property_id))


def can_keep_items(user, obj=None) -> bool:
    return runs_stores(user) and (obj is None or in_property(user, obj.property_id))


def can_move_stock(user, store) -> bool:
    return keeps_store(user, store)


def can_reverse(user, movement) -> bool:
    """A wrong movement is undone by whoever runs stores (a correction with a reason)."""
    return runs_stores(user) and in_property(user, movement.property_id)


def can_request(user, obj=None) -> bool:
    return signed_in(user) and bool(user.active) and user.department_id is not None


def can_see_request(user, request) -> bool:
    return in_property(user, request.property_id) and (
        request.requester_id == user.id
        or can_decide(user, request)
        or keeps_stores(user)
        or can_issue_request(user, request)
    )


def can_decide(user, request) -> bool:
    """Approve, change or refuse: the requester's supervisors and the managers, never the
    requester themselves."""
    return (
        in_property(user, request.property_id)
        and request.requester_id != user.id
        and (
            is_manager(user)
            or (
                has_role(user, Role.SUPERVISOR)
                and supervises_department(user, request.department_id)
            )
        )
    )


def can_approve_requests(user, obj=None) -> bool:
    return is_manager(user) or (has_role(user, Role.SUPERVISOR) and bool(user.supervises))


def can_see_queue(user, obj=None) -> bool:
    """The requests waiting: to approve (supervisors, managers) or to issue (who keeps a
    store)."""
    return can_approve_requests(user) or keeps_any_store(user)


def can_issue_request(user, request) -> bool:
    return request.store is not None and keeps_store(user, request.store)


def can_cancel_request(user, request) -> bool:
    return request.requester_id == user.id and in_property(user, request.property_id)


def can_top_up(user, room) -> bool:
    """Whoever works the room: housekeeping's people, its supervisors, the managers."""
    if not in_property(user, room.property_id):
        return False
    if is_manager(user):
        return True
    if has_role(user, Role.SUPERVISOR):
        return any(d.code == HOUSEKEEPING for d in user.supervises)
    return bool(user.active) and _department_code(user) == HOUSEKEEPING


def can_count(user, stocktake) -> bool:
    """Enter counts: whoever keeps the store being counted."""
    return keeps_store(user, stocktake.store)


def can_freeze(user, store) -> bool:
    """Start a count: a supervisor of the store's department or a manager."""
    return keeps_store(user, store) and has_role(user, Role.SUPERVISOR, Role.MANAGER, Role.ADMIN)


def can_post_stocktake(user, stocktake) -> bool:
    """Post the adjustments (or cancel the count): a manager, in one step."""
    return is_manager(user) and in_property(user, stocktake.property_id)


def sees_expected(user, stocktake) -> bool:
    """A blind count hides what the store expects from the counters; the manager sees it."""
    return stocktake.show_expected or can_post_stocktake(user, stocktake)


def can_view_budget(user, obj=None) -> bool:
    """Spend against budget: the managers and whoever runs the stores."""
    return runs_stores(user) and (obj is None or in_property(user, obj.property_id))


def can_set_budget(user, department) -> bool:
    return is_manager(user) and in_property(user, department.property_id)


def can_run_laundry(user, store) -> bool:
    """Send soiled linen and book it back: whoever keeps the linen room."""
    return keeps_store(user, store)


def can_book_back(user, batch) -> bool:
    """Book a laundry batch back: whoever keeps the linen room it left from."""
    return can_run_laundry(user, batch.store)


DELIVERED_TO = ("main", "spa")  # the stores a supplier delivers to


def can_receive(user, store) -> bool:
    """A delivery from a supplier comes into the main store or the spa's, by who keeps it; a
    pantry or the linen room is stocked by a transfer (a manager may still book one there)."""
    return keeps_store(user, store) and (store.kind in DELIVERED_TO or is_manager(user))

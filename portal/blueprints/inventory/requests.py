"""Supply requests: an employee asks (what, how many, for where), their supervisor approves,
perhaps for less, or refuses, and the store issues, once.

Every step is one conditional UPDATE on the request's status (portal.database.advance): a
double tap, a second tab or two storekeepers at once issue it once, and the other is told what
it is now. Issuing takes every line from the store or none: a line short of stock refuses the
whole issue with the item named.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from portal import audit
from portal.blueprints.inventory import stock
from portal.blueprints.inventory.models import (
    Item,
    Kind,
    RequestLine,
    RequestStatus,
    Store,
    SupplyRequest,
)
from portal.blueprints.people.models import User
from portal.database import advance, utcnow
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import gettext as _

MAX_LINES = 20
OPEN = (RequestStatus.OPEN, RequestStatus.APPROVED)


def get_request(request_id: int) -> SupplyRequest | None:
    return db.session.scalar(_listed(whole=True).where(SupplyRequest.id == request_id))


def _status_message(request: SupplyRequest) -> str:
    return _("Request %(no)s is now: %(status)s.", no=request.id, status=request.status_enum.label)


def create(
    requester: User,
    store: Store | None,
    for_where: str,
    lines: list[tuple[Item, object]],
    *,
    note: str = "",
) -> SupplyRequest:
    for_where = (for_where or "").strip()
    if not for_where:
        raise DomainError(_("Say where it is needed (a room, an outlet, a desk)."), "for_where")
    if store is None or store.property_id != requester.property_id or not store.active:
        raise DomainError(_("Choose one of this property's stores."), "store_id")
    if requester.department_id is None:
        raise DomainError(_("You belong to no department: ask HR to set yours."))
    if not lines:
        raise DomainError(_("Ask for at least one item."), "lines")
    if len(lines) > MAX_LINES:
        raise DomainError(_("A request has at most 20 items."), "lines")
    seen = set()
    checked = []
    for item, quantity in lines:
        if item.property_id != requester.property_id or not item.active:
            raise DomainError(_("Choose items this property stocks."), "lines")
        if item.id in seen:
            raise DomainError(
                _("%(item)s is asked for twice: put it on one line.", item=item.name), "lines"
            )
        seen.add(item.id)
        checked.append((item, stock.check_quantity(item, quantity, "lines")))
    request = SupplyRequest(
        property_id=requester.property_id,
        requester_id=requester.id,
        department_id=requester.department_id,
        store_id=store.id,
        for_where=for_where[:80],
        note=(note or "").strip()[:200] or None,
        status=RequestStatus.OPEN,
        created_at=utcnow(),
    )
    request.lines = [RequestLine(item_id=item.id, quantity=q) for item, q in checked]
    db.session.add(request)
    db.session.flush()
    audit.record(
        "inventory.requested",
        request,
        actor=requester,
        summary=", ".join(f"{item.code} x {stock.quantity_text(q)}" for item, q in checked),
    )
    return request


def approve(request: SupplyRequest, approved: dict[int, object], *, by: User, note="") -> None:
    """Approve each line for the quantity given (less than asked, or 0 to strike it out;
    more than asked is refused: the requester asks again)."""
    quantities = {}
    for line in request.lines:
        value = approved.get(line.id, line.quantity)
        if value is None:
            raise DomainError(_("Give a quantity for every line (0 strikes it out)."), "lines")
        value = stock.check_count(value, "lines")
        if value > line.quantity:
            raise DomainError(
                _(
                    "%(item)s: at most the %(asked)s asked for.",
                    item=line.item.name,
                    asked=stock.quantity_text(line.quantity),
                ),
                "lines",
            )
        if value:
            stock.check_quantity(line.item, value, "lines")
        quantities[line.id] = value
    if not any(quantities.values()):
        raise DomainError(_("Every line is struck out: refuse the request instead."), "lines")
    if not advance(
        request,
        RequestStatus.OPEN,
        status=RequestStatus.APPROVED,
        decided_by_id=by.id,
        decided_at=utcnow(),
        decision_note=(note or "").strip()[:200] or None,
    ):
        raise DomainError(_status_message(request))
    changed = []
    for line in request.lines:
        line.approved = quantities[line.id]
        if line.approved != line.quantity:
            changed.append(
                f"{line.item.code}: {stock.quantity_text(line.quantity)} -> "
                f"{stock.quantity_text(line.approved)}"
            )
    db.session.flush()
    audit.record("inventory.request_approved", request, actor=by, summary="; ".join(changed))


def refuse(request: SupplyRequest, note: str, *, by: User) -> None:
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Say why, so that the requester knows what to do."), "note")
    if not advance(
        request,
        RequestStatus.OPEN,
        status=RequestStatus.REJECTED,
        decided_by_id=by.id,
        decided_at=utcnow(),
        decision_note=note[:200],
    ):
        raise DomainError(_status_message(request))
    audit.record("inventory.request_refused", request, actor=by, summary=note[:200])


def cancel(request: SupplyRequest, *, by: User) -> None:
    if not advance(request, RequestStatus.OPEN, status=RequestStatus.CANCELLED):
        raise DomainError(_status_message(request))
    audit.record("inventory.request_cancelled", request, actor=by)


def issue(request: SupplyRequest, *, by: User) -> list:
    """Issue every approved line from the request's store, or nothing."""
    if not advance(
        request,
        RequestStatus.APPROVED,
        status=RequestStatus.ISSUED,
        issued_by_id=by.id,
        issued_at=utcnow(),
    ):
        raise DomainError(_status_message(request))
    movements = []
    for line in request.lines:
        if not line.approved:
            continue
        movements.append(
            stock.issue(
                line.item,
                request.store,
                line.approved,
                by=by,
                department=request.department,
                person=request.requester,
                note=request.for_where,
                request_id=request.id,
                kind=Kind.ISSUE,
            )
        )
    audit.record("inventory.request_issued", request, actor=by, summary=f"{len(movements)}")
    return movements


def _listed(whole: bool = False):
    """Requests with their lines and items, who asked, for which department, from which
    store (and, for one request's page, who decided and who issued)."""
    options = [
        selectinload(SupplyRequest.lines).joinedload(RequestLine.item),
        joinedload(SupplyRequest.requester),
        joinedload(SupplyRequest.department),
        joinedload(SupplyRequest.store),
    ]
    if whole:
        options += [joinedload(SupplyRequest.decided_by), joinedload(SupplyRequest.issued_by)]
    return select(SupplyRequest).options(*options)


def mine(user: User, limit: int = 30) -> list[SupplyRequest]:
    return list(
        db.session.scalars(
            _listed()
            .where(SupplyRequest.requester_id == user.id)
            .order_by(SupplyRequest.created_at.desc(), SupplyRequest.id.desc())
            .limit(limit)
        )
    )


def to_decide_clause(user: User):
    """SQL: the open requests this user approves (their departments', or the property's)."""
    from portal.blueprints.inventory.permissions import is_manager
    from portal.roles import Role

    clause = [
        SupplyRequest.property_id == user.property_id,
        SupplyRequest.status == RequestStatus.OPEN,
        SupplyRequest.requester_id != user.id,
    ]
    if not is_manager(user):
        supervised = [d.id for d in user.supervises] if user.role == Role.SUPERVISOR else []
        clause.append(SupplyRequest.department_id.in_(supervised or [0]))
    return clause


def to_decide(user: User, limit: int = 50) -> list[SupplyRequest]:
    return list(
        db.session.scalars(
            _listed()
            .where(*to_decide_clause(user))
            .order_by(SupplyRequest.created_at, SupplyRequest.id)
            .limit(limit)
        )
    )


def to_issue(store_ids: list[int], limit: int = 50) -> list[SupplyRequest]:
    if not store_ids:
        return []
    return list(
        db.session.scalars(
            _listed()
            .where(
                SupplyRequest.store_id.in_(store_ids),
                SupplyRequest.status == RequestStatus.APPROVED,
            )
            .order_by(SupplyRequest.decided_at, SupplyRequest.id)
            .limit(limit)
        )
    )


def requested_quantities(store_id: int) -> dict[int, Decimal]:
    """Item -> what approved requests will still take from the store (the reorder list counts
    it as already gone)."""
    rows = db.session.execute(
        select(RequestLine.item_id, func.sum(RequestLine.approved))
        .join(SupplyRequest, SupplyRequest.id == RequestLine.request_id)
        .where(
            SupplyRequest.store_id == store_id,
            SupplyRequest.status == RequestStatus.APPROVED,
        )
        .group_by(RequestLine.item_id)
    )
    return {item_id: Decimal(total or 0) for item_id, total in rows}

"""A store's reorder list, the purchase requests raised from it, and their printout."""

from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_login import current_user

from portal.blueprints.inventory import bp, catalogue, pdf, reorder
from portal.blueprints.inventory.models import PurchaseRequest
from portal.blueprints.inventory.permissions import can_move_stock, can_view_stock
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import EmptyForm
from portal.htmx import redirect_to, render
from portal.i18n import gettext as _
from portal.security import bounded_id, require


def viewable_store(store_id: int):
    """The store of a path, or 404 (none, or one this person may not see: audited)."""
    store = catalogue.get_store(bounded_id(store_id))
    if store is None:
        abort(404)
    require(can_view_stock, store)
    return store


def _show(store, status=200):
    return render(
        "inventory/reorder.html",
        status=status,
        store=store,
        stores=catalogue.stores_of(store.property_id),
        rows=reorder.reorder_list(store),
        on_order=reorder.open_purchase_list(store),
        may_order=can_move_stock(current_user, store),
        form=EmptyForm(),
    )


@bp.get("/stores/<int:store_id>/reorder")
def reorder_list(store_id: int):
    return _show(viewable_store(store_id))


@bp.post("/stores/<int:store_id>/reorder")
def raise_purchases(store_id: int):
    store = viewable_store(store_id)
    require(can_move_stock, store)
    if not EmptyForm().validate():
        flash(_("Reload the page and try again."), "danger")
        return _show(store, 400)
    raised = reorder.raise_purchases(store, by=current_user)
    db.session.commit()
    if raised:
        flash(
            _("%(n)s purchase requests raised: print them for purchasing.", n=len(raised)),
            "success",
        )
    else:
        flash(_("Every item on the list has a purchase request open already."), "info")
    return redirect_to(url_for("inventory.reorder_list", store_id=store.id))


@bp.post("/purchases/<int:purchase_id>/cancel")
def cancel_purchase(purchase_id: int):
    purchase = db.session.get(PurchaseRequest, bounded_id(purchase_id))
    if purchase is None:
        abort(404)
    store = viewable_store(purchase.store_id)
    require(can_move_stock, store)
    if not EmptyForm().validate():
        flash(_("Reload the page and try again."), "danger")
        return _show(store, 400)
    try:
        reorder.cancel_purchase(purchase, by=current_user)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return _show(store, 409)
    flash(_("Purchase request for %(item)s cancelled.", item=purchase.item.name), "info")
    return redirect_to(url_for("inventory.reorder_list", store_id=store.id))


@bp.get("/stores/<int:store_id>/purchase.pdf")
def purchase_pdf(store_id: int):
    store = viewable_store(store_id)
    lang = request.args.get("lang") or "both"
    if lang not in pdf.LANGUAGES:
        abort(400)
    try:
        document = pdf.purchase_document(store, lang)
    except DomainError as error:
        flash(error.message, "warning")
        return redirect_to(url_for("inventory.reorder_list", store_id=store.id))
    return document.send()

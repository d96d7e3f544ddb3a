"""The linen cycle's pages: the batches at the laundry and back (with their losses), sending
soiled linen from a linen room, booking a batch back, and each floor's linen against its par."""

from __future__ import annotations

from decimal import Decimal

from flask import abort, flash, request, url_for
from flask_login import current_user

from portal.blueprints.inventory import bp, catalogue, linen
from portal.blueprints.inventory.forms import LaundryForm, line_quantity
from portal.blueprints.inventory.models import LaundryStatus, StoreKind
from portal.blueprints.inventory.permissions import (
    can_book_back,
    can_run_laundry,
    can_view_stock,
)
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import EmptyForm
from portal.htmx import redirect_to, render
from portal.i18n import gettext as _
from portal.modules import is_registered
from portal.security import bounded_id, require
from portal.submit import create_from_form


def _show(form: LaundryForm, errors=None, status: int = 200):
    require(can_view_stock)
    property_id = current_user.property_id
    rooms = linen.linen_rooms(property_id)
    mine = [s for s in rooms if can_run_laundry(current_user, s)]
    form.store_id.choices = [(s.id, s.name) for s in mine]
    out, back = linen.batches(property_id)
    items = linen.linen_items(property_id)
    return render(
        "inventory/linen.html",
        status=status,
        form=form,
        items=items if mine else [],
        errors=errors or {},
        # what was typed, kept when the form comes back with a message
        typed={i.id: request.form.get(f"sent-{i.id}", "") for i in items}
        if request.method == "POST"
        else {},
        out=out,
        back=back,
        floors=linen.floor_par(property_id, items) if is_registered("rosters") else [],
    )


@bp.get("/linen")
def linen_cycle():
    return _show(LaundryForm())


@bp.post("/linen/send")
def send_laundry():
    require(can_view_stock)
    form = LaundryForm()
    form.store_id.choices = [(s.id, s.name) for s in linen.linen_rooms(current_user.property_id)]
    valid = form.validate()
    store = catalogue.get_store(form.store_id.data) if form.store_id.data else None
    if store is not None:
        require(can_view_stock, store)  # another property's: not found
    errors, counts = {}, {}
    property_id = store.property_id if store is not None else current_user.property_id
    for item in linen.linen_items(property_id):
        value, error = line_quantity(request.form.get(f"sent-{item.id}"))
        if error is None and value is not None and value != value.to_integral_value():
            error = _("Linen is counted piece by piece: give a whole number.")
        if error:
            errors[item.id] = str(error)
        counts[item.id] = value or Decimal(0)
    if valid and (store is None or store.kind != StoreKind.LINEN):
        form.store_id.errors = [_("Choose the linen room.")]
        valid = False
    if not valid or errors:
        return _show(form, errors, 422)
    require(can_run_laundry, store, hide=False)
    made = []

    def create() -> str:
        made.append(linen.send(store, counts, by=current_user))
        return url_for("inventory.laundry_batch", batch_id=made[0].id)

    created = create_from_form(
        form,
        current_user,
        create,
        duplicate=lambda: DomainError(_("Reload the page and try again.")),
    )
    if created is None:
        return _show(form, errors, 422)
    if created.first:
        flash(_("Soiled linen sent to the laundry."), "success")
    return redirect_to(created.url)


def _reload() -> DomainError:
    return DomainError(_("Reload the page and try again."))


def _batch(batch_id: int):
    found = linen.get(bounded_id(batch_id))
    if found is None:
        abort(404)
    require(can_view_stock, found)
    return found


def _show_batch(found, errors=None, typed=None, status: int = 200):
    return render(
        "inventory/laundry_batch.html",
        status=status,
        batch=found,
        may_book=found.status == LaundryStatus.OUT and can_book_back(current_user, found),
        errors=errors or {},
        typed=typed or {},
        form=EmptyForm(),
    )


@bp.get("/linen/batches/<int:batch_id>")
def laundry_batch(batch_id: int):
    return _show_batch(_batch(batch_id))


@bp.post("/linen/batches/<int:batch_id>/back")
def laundry_back(batch_id: int):
    found = _batch(batch_id)
    require(can_book_back, found, hide=False)
    errors, typed, counts = {}, {}, {}
    for line in found.lines:
        for part in ("returned", "rejected"):
            raw = request.form.get(f"{part}-{line.id}")
            typed[f"{part}-{line.id}"] = raw or ""
            value, error = line_quantity(raw, required=part == "returned")
            if error:
                errors[f"{part}-{line.id}"] = str(error)
            counts.setdefault(line.id, {})[part] = value
    if not EmptyForm().validate():
        flash(_("Reload the page and try again."), "danger")
        return _show_batch(found, errors, typed, 400)
    if errors:
        return _show_batch(found, errors, typed, 422)
    try:
        linen.back(
            found,
            {k: (v["returned"], v["rejected"]) for k, v in counts.items()},
            by=current_user,
        )
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        db.session.expire_all()
        found = _batch(batch_id)
        if error.field:
            return _show_batch(found, {error.field: error.message}, typed, 422)
        flash(error.message, "danger")
        return _show_batch(found, status=409)
    flash(_("Laundry batch %(no)s booked back.", no=found.id), "success")
    return redirect_to(url_for("inventory.laundry_batch", batch_id=found.id))

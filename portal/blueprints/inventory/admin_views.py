"""Keeping the item list and the stores: add and change items, set an item's reorder point in
a store, add and change stores."""

from __future__ import annotations

from flask import abort, flash, url_for
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from portal.blueprints.inventory import bp, catalogue
from portal.blueprints.inventory.forms import ItemForm, ReorderForm, StoreForm
from portal.blueprints.inventory.permissions import can_keep_items, can_view_stock
from portal.blueprints.people import services as people
from portal.errors import DomainError
from portal.extensions import db
from portal.htmx import redirect_to, render, render_form
from portal.i18n import gettext as _
from portal.security import bounded_id, require
from portal.submit import save_from_form


def _people_choices(property_id: int):
    from sqlalchemy import select

    from portal.blueprints.people.models import User

    people_rows = db.session.scalars(
        select(User)
        .where(User.property_id == property_id, User.active.is_(True))
        .order_by(User.staff_no)
    )
    return [(0, "—")] + [(p.id, f"{p.staff_no} {p.name}") for p in people_rows]


def _item_data(form: ItemForm) -> catalogue.ItemData:
    return catalogue.ItemData(
        code=form.code.data,
        name_en=(form.name_en.data or "").strip(),
        name_zh=(form.name_zh.data or "").strip(),
        category=form.category.data,
        unit=form.unit.data,
        unit_cost=form.unit_cost.number,
        custodian_id=form.custodian_id.data or None,
    )


@bp.get("/items/new")
def new_item():
    require(can_keep_items)
    form = ItemForm()
    form.custodian_id.choices = _people_choices(current_user.property_id)
    return render("inventory/item_form.html", form=form, item=None)


@bp.post("/items/new")
def add_item():
    require(can_keep_items)
    form = ItemForm()
    form.custodian_id.choices = _people_choices(current_user.property_id)
    if not form.validate():
        return render_form("inventory/item_form.html", "item_form", form=form, item=None)
    made = []

    def save():
        made.append(catalogue.add_item(current_user.property_id, _item_data(form), by=current_user))

    if not save_from_form(form, save, stale_message=_("Reload the page and try again.")):
        return render_form("inventory/item_form.html", "item_form", form=form, item=None)
    flash(_("Item %(code)s added.", code=made[0].code), "success")
    return redirect_to(url_for("inventory.item_detail", item_id=made[0].id))


def _item(item_id: int):
    item = catalogue.get_item(bounded_id(item_id))
    if item is None:
        abort(404)
    require(can_keep_items, item, hide=not can_view_stock(current_user, item))
    return item


@bp.get("/items/<int:item_id>/edit")
def edit_item(item_id: int):
    item = _item(item_id)
    form = ItemForm(obj=item)
    form.unit_cost.data = str(item.unit_cost)
    form.custodian_id.choices = _people_choices(item.property_id)
    return render("inventory/item_form.html", form=form, item=item)


@bp.post("/items/<int:item_id>/edit")
def update_item(item_id: int):
    item = _item(item_id)
    form = ItemForm()
    form.custodian_id.choices = _people_choices(item.property_id)
    if not form.validate():
        return render_form("inventory/item_form.html", "item_form", form=form, item=item)

    def save():
        if form.version.number is not None and form.version.number != item.version:
            raise StaleDataError()  # saved by someone else since this page was loaded
        catalogue.update_item(item, _item_data(form), by=current_user)

    if not save_from_form(
        form, save, stale_message=_("Someone changed this item meanwhile: reload it.")
    ):
        return render_form(
            "inventory/item_form.html", "item_form", form=form, item=catalogue.get_item(item_id)
        )
    flash(_("Item %(code)s saved.", code=item.code), "success")
    return redirect_to(url_for("inventory.item_detail", item_id=item.id))


@bp.post("/items/<int:item_id>/reorder/<int:store_id>")
def set_reorder(item_id: int, store_id: int):
    item = _item(item_id)
    store = catalogue.get_store(bounded_id(store_id))
    if store is None:
        abort(404)
    require(can_view_stock, store)
    if store.property_id != item.property_id:
        abort(404)
    form = ReorderForm()
    back = url_for("inventory.item_detail", item_id=item.id, _anchor=f"level-{store.id}")
    if not form.validate():
        return _reorder_refused(item, store, form)
    try:
        catalogue.set_reorder(
            store, item, form.reorder_point.number, form.reorder_quantity.number, by=current_user
        )
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        error.attach(form)
        return _reorder_refused(catalogue.get_item(item_id), store, form)
    flash(
        _("Reorder point of %(item)s in %(store)s saved.", item=item.name, store=store.name),
        "success",
    )
    return redirect_to(back)


def _reorder_refused(item, store, form: ReorderForm):
    """The item's page again (422), the message in the store's row beside its inputs."""
    from portal.blueprints.inventory.views import _show_item

    bad = [name for name in ("reorder_point", "reorder_quantity") if form[name].errors]
    message = next(
        iter([*form.form_errors, *(e for name in bad for e in form[name].errors)]),
        _("Reload the page and try again."),
    )
    refused = {"store_id": store.id, "fields": bad, "message": message, "form": form}
    return _show_item(item, 422, reorder_refused=refused)


# --- stores -------------------------------------------------------------------------------------
def _store_choices(form: StoreForm, property_id: int) -> None:
    form.department_id.choices = [(d.id, d.name) for d in people.property_departments(property_id)]


def _store_data(form: StoreForm) -> catalogue.StoreData:
    return catalogue.StoreData(
        code=form.code.data,
        name_en=(form.name_en.data or "").strip(),
        name_zh=(form.name_zh.data or "").strip(),
        kind=form.kind.data,
        department_id=form.department_id.data,
        floor=form.floor.data,
    )


@bp.get("/stores")
def store_list():
    require(can_view_stock)
    return render(
        "inventory/stores.html",
        stores=catalogue.stores_of(current_user.property_id, active_only=False),
        may_keep=can_keep_items(current_user),
    )


@bp.get("/stores/new")
def new_store():
    require(can_keep_items)
    form = StoreForm()
    _store_choices(form, current_user.property_id)
    return render("inventory/store_form.html", form=form, store=None)


@bp.post("/stores/new")
def add_store():
    require(can_keep_items)
    form = StoreForm()
    _store_choices(form, current_user.property_id)
    if not form.validate():
        return render_form("inventory/store_form.html", "store_form", form=form, store=None)

    def save():
        catalogue.save_store(current_user.property_id, _store_data(form), by=current_user)

    if not save_from_form(form, save, stale_message=_("Reload the page and try again.")):
        return render_form("inventory/store_form.html", "store_form", form=form, store=None)
    flash(_("Store %(code)s added.", code=form.code.data), "success")
    return redirect_to(url_for("inventory.store_list"))


def _store(store_id: int):
    store = catalogue.get_store(bounded_id(store_id))
    if store is None:
        abort(404)
    require(can_keep_items, store, hide=not can_view_stock(current_user, store))
    return store


@bp.get("/stores/<int:store_id>/edit")
def edit_store(store_id: int):
    store = _store(store_id)
    form = StoreForm(obj=store)
    _store_choices(form, store.property_id)
    return render("inventory/store_form.html", form=form, store=store)


@bp.post("/stores/<int:store_id>/edit")
def update_store(store_id: int):
    store = _store(store_id)
    form = StoreForm()
    _store_choices(form, store.property_id)
    if not form.validate():
        return render_form("inventory/store_form.html", "store_form", form=form, store=store)

    def save():
        catalogue.save_store(store.property_id, _store_data(form), by=current_user, store=store)

    if not save_from_form(form, save, stale_message=_("Reload the page and try again.")):
        return render_form(
            "inventory/store_form.html", "store_form", form=form, store=_store(store_id)
        )
    flash(_("Store %(code)s saved.", code=store.code), "success")
    return redirect_to(url_for("inventory.store_list"))

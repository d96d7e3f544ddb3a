"""The stock of a store, an item with its stock per store and its history, and the movements
(receive, issue, transfer, return, loss) and reversals made from the item's page."""

from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_login import current_user

from portal.blueprints.inventory import bp, catalogue, stock
from portal.blueprints.inventory.forms import MoveForm, ReverseForm
from portal.blueprints.inventory.models import (
    CATEGORY_LABELS,
    KIND_LABELS,
    LOSS_LABELS,
    REQUEST_BADGES,
    Kind,
    Movement,
    Store,
)
from portal.blueprints.inventory.permissions import (
    can_keep_items,
    can_move_stock,
    can_receive,
    can_reverse,
    can_view_budget,
    can_view_stock,
    keeps_store,
)
from portal.blueprints.people import services as people
from portal.errors import DomainError
from portal.extensions import db
from portal.htmx import is_htmx, redirect_to, render, render_form, trigger
from portal.i18n import fmt_datetime
from portal.i18n import gettext as _
from portal.pagination import int_arg
from portal.security import LARGEST_ID, bounded_id, require
from portal.spreadsheet import csv_download, csv_text, safe_cell
from portal.submit import create_from_form


@bp.context_processor
def _badges() -> dict:
    return {"request_badges": REQUEST_BADGES}


# The movements made by hand from an item's page, and the fields each one asks for.
MOVES = {
    Kind.RECEIVE: ("quantity", "unit_cost", "supplier", "note"),
    Kind.ISSUE: ("quantity", "department_id", "note"),
    Kind.TRANSFER: ("quantity", "to_store_id"),
    Kind.RETURN: ("quantity", "department_id", "note"),
    Kind.LOSS: ("quantity", "reason", "note"),
}


def _item(item_id: int):
    item = catalogue.get_item(bounded_id(item_id))
    if item is None:
        abort(404)
    require(can_view_stock, item)
    return item


def _chosen_store(stores: list[Store]) -> Store | None:
    """The store asked for (?store=), else the first one the person keeps, else the first."""
    wanted = int_arg("store", 0, 0, LARGEST_ID)
    for store in stores:
        if store.id == wanted:
            return store
    return next((s for s in stores if keeps_store(current_user, s)), stores[0] if stores else None)


@bp.get("/")
def stock_list():
    require(can_view_stock)
    stores = catalogue.stores_of(current_user.property_id)
    store = _chosen_store(stores)
    q = (request.args.get("q") or "").strip()[:60]
    category = request.args.get("category") or ""
    if category not in CATEGORY_LABELS:
        category = ""
    below = request.args.get("below") == "1"
    page = catalogue.stock_page(store, q=q, category=category, below=below) if store else None
    return render(
        "inventory/stock.html",
        block="stock_results",
        stores=stores,
        store=store,
        page=page,
        rows=page.items if page else [],
        q=q,
        category=category,
        below=below,
        categories=CATEGORY_LABELS,
        may_keep_items=can_keep_items(current_user),
        may_see_budget=can_view_budget(current_user),
    )


@bp.get("/items/<int:item_id>")
def item_detail(item_id: int):
    return _show_item(_item(item_id))


def _show_item(
    item, status: int = 200, reverse_form: ReverseForm | None = None, reorder_refused=None
):
    store_id = int_arg("store", 0, 0, LARGEST_ID)
    kind = request.args.get("kind") or ""
    if kind not in KIND_LABELS:
        kind = ""
    page = catalogue.history_page(item, store_id or None, kind)
    stores = catalogue.stores_of(item.property_id)
    return render(
        "inventory/item.html",
        block="history",
        status=status,
        item=item,
        levels=catalogue.levels_of(item),
        page=page,
        reversed_ids=stock.reversed_ids([m.id for m in page.items]),
        store_id=store_id,
        kind=kind,
        kinds=KIND_LABELS,
        loss_labels=LOSS_LABELS,
        # Received only where this person takes deliveries (the main store, the spa's).
        moves=[
            k
            for k in MOVES
            if k is not Kind.RECEIVE or any(can_receive(current_user, s) for s in stores)
        ],
        stores=stores,
        may_keep_items=can_keep_items(current_user, item),
        may_reverse=can_reverse(current_user, item),
        reverse_form=reverse_form or ReverseForm(),
        reorder_refused=reorder_refused,
    )


@bp.get("/items/<int:item_id>/history.csv")
def item_history_csv(item_id: int):
    item = _item(item_id)
    store_id = int_arg("store", 0, 0, LARGEST_ID)
    kind = request.args.get("kind") or ""
    if kind not in KIND_LABELS:
        kind = ""
    movements = db.session.scalars(
        catalogue.history_query(item, store_id or None, kind).limit(20000)
    )
    rows = [
        [
            _("Number"),
            _("When"),
            _("Movement"),
            _("Store"),
            _("To store"),
            _("Change"),
            _("Unit"),
            _("Cost of one unit"),
            _("Value"),
            _("Department"),
            _("Person"),
            _("Supplier"),
            _("Note"),
            _("By"),
        ]
    ]
    for m in movements:
        rows.append(
            [
                m.id,
                fmt_datetime(m.at),
                m.kind_enum.label,
                safe_cell(m.store.code),
                safe_cell(m.to_store.code if m.to_store else ""),
                stock.quantity_text(m.change),
                item.unit_enum.label,
                m.unit_cost,
                m.value,
                safe_cell(m.department.name if m.department else ""),
                safe_cell(m.person.name if m.person else ""),
                safe_cell(m.supplier or ""),
                safe_cell(m.note or ""),
                safe_cell(m.by.name),
            ]
        )
    return csv_download(csv_text(rows), f"stock-{item.code}.csv")


# --- movements ----------------------------------------------------------------------------------
def _kind() -> Kind:
    try:
        kind = Kind(request.args.get("kind") or "")
    except ValueError:
        abort(404)
    if kind not in MOVES:
        abort(404)
    return kind


def _move_choices(form: MoveForm, item, stores: list[Store], kind: Kind | None = None) -> None:
    allowed = can_receive if kind is Kind.RECEIVE else can_move_stock
    mine = [s for s in stores if allowed(current_user, s)]
    form.store_id.choices = [(s.id, s.name) for s in mine]
    form.to_store_id.choices = [(s.id, s.name) for s in stores]
    form.department_id.choices = [
        (d.id, d.name) for d in people.property_departments(item.property_id)
    ]


@bp.get("/items/<int:item_id>/move")
def move_form(item_id: int):
    item = _item(item_id)
    kind = _kind()
    stores = catalogue.stores_of(item.property_id)
    if not any(can_move_stock(current_user, s) for s in stores):
        require(lambda user, obj=None: False)
    form = MoveForm()
    _move_choices(form, item, stores, kind)
    if request.args.get("store"):
        form.store_id.data = int_arg("store", 0, 0, LARGEST_ID)
    if kind is Kind.RECEIVE:
        form.unit_cost.data = str(item.unit_cost)
    return render("inventory/move.html", block="move_form", **_move_context(item, kind, form))


def _department(department_id):
    return people.get_department(department_id) if department_id else None


@bp.post("/items/<int:item_id>/move")
def move(item_id: int):
    item = _item(item_id)
    kind = _kind()
    stores = catalogue.stores_of(item.property_id)
    form = MoveForm()
    _move_choices(form, item, stores, kind)
    if not form.validate():
        return render_form("inventory/move.html", "move_form", **_move_context(item, kind, form))
    store = next((s for s in stores if s.id == form.store_id.data), None)
    if store is None:
        form.store_id.errors = [_("Choose one of this property's stores.")]
        return render_form("inventory/move.html", "move_form", **_move_context(item, kind, form))
    require(can_move_stock, store)
    if kind is Kind.RECEIVE and not can_receive(current_user, store):
        message = _(
            "Deliveries come into the main store: stock %(store)s with a transfer.",
            store=store.name,
        )
        if form.store_id.choices:  # beside the stores they may choose
            form.store_id.errors = [message]
        else:  # none: above the form, which has no store to choose
            form.form_errors.append(message)
        return render_form("inventory/move.html", "move_form", **_move_context(item, kind, form))
    quantity = form.quantity.number

    def create() -> str:
        if kind is Kind.RECEIVE:
            stock.receive(
                item,
                store,
                quantity,
                form.unit_cost.number if form.unit_cost.number is not None else item.unit_cost,
                by=current_user,
                supplier=form.supplier.data or "",
                note=form.note.data or "",
            )
        elif kind is Kind.ISSUE:
            stock.issue(
                item,
                store,
                quantity,
                by=current_user,
                department=_department(form.department_id.data),
                note=form.note.data or "",
            )
        elif kind is Kind.TRANSFER:
            to_store = next((s for s in stores if s.id == form.to_store_id.data), None)
            if to_store is None:
                raise DomainError(_("Choose the store to move it to."), "to_store_id")
            stock.transfer(item, store, to_store, quantity, by=current_user)
        elif kind is Kind.RETURN:
            stock.return_(
                item,
                store,
                quantity,
                by=current_user,
                department=_department(form.department_id.data),
                note=form.note.data or "",
            )
        else:
            stock.loss(
                item, store, quantity, form.reason.data, by=current_user, note=form.note.data or ""
            )
        return url_for("inventory.item_detail", item_id=item.id)

    # What the answer says, read before the commit expires the rows it comes from.
    store_id, store_name = store.id, store.name
    created = create_from_form(
        form,
        current_user,
        create,
        duplicate=lambda: DomainError(_("Reload the page and try again.")),
    )
    if created is None:
        return render_form("inventory/move.html", "move_form", **_move_context(item, kind, form))
    context = None
    if is_htmx():  # the next movement on the same form; the page's stock and history follow
        fresh = MoveForm(formdata=None, store_id=store_id)
        # The choices made before the commit, as they were: asked again, every store (expired
        # by the commit) would be read back one by one.
        for name in ("store_id", "to_store_id", "department_id"):
            fresh[name].choices = form[name].choices
        context = _move_context(item, kind, fresh)
    if created.first:
        level = context["levels"].get(store_id) if context else None
        left = level.on_hand if level is not None else stock.on_hand(store_id, item.id)
        flash(
            _(
                "%(movement)s: %(quantity)s %(unit)s of %(item)s. %(store)s has %(left)s now.",
                movement=kind.label,
                quantity=stock.quantity_text(quantity),
                unit=item.unit_enum.label,
                item=item.name,
                store=store_name,
                left=stock.quantity_text(left),
            ),
            "success",
        )
    if context is not None:
        response = render("inventory/move.html", block="move_form", **context)
        return trigger(response, "inventory:moved")
    return redirect_to(created.url)


def _reload() -> DomainError:
    return DomainError(_("Reload the page and try again."))


def _move_context(item, kind, form) -> dict:
    return {
        "item": item,
        "kind": kind,
        "fields": MOVES[kind],
        "form": form,
        "levels": {lv.store_id: lv for lv in catalogue.levels_of(item)},
    }


@bp.post("/movements/<int:movement_id>/reverse")
def reverse(movement_id: int):
    movement = db.session.get(Movement, bounded_id(movement_id))
    if movement is None:
        abort(404)
    require(can_reverse, movement, hide=not can_view_stock(current_user, movement))
    form = ReverseForm()
    back = url_for("inventory.item_detail", item_id=movement.item_id, _anchor="history")
    if not form.validate():
        flash(next(iter(form.why.errors), _("Reload the page and try again.")), "danger")
        return _show_item(movement.item, 422)
    try:
        stock.reverse(movement, form.why.data, by=current_user)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return _show_item(catalogue.get_item(movement.item_id), 409)
    flash(_("Movement %(no)s reversed.", no=movement_id), "success")
    return redirect_to(back)

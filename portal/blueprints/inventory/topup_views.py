"""A room's top-up after cleaning (the attendant's tablet), and the room types' par kits.

Rooms, room types and cleanings belong to the rosters module: asked through its services.
Without rosters there are no rooms to top up, and these pages are not found.
"""

from __future__ import annotations

from decimal import Decimal

from flask import abort, flash, request, url_for
from flask_login import current_user

from portal.blueprints.inventory import bp, catalogue, stock, topups
from portal.blueprints.inventory.forms import ParForm, line_quantity
from portal.blueprints.inventory.permissions import can_keep_items, can_top_up, can_view_stock
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import EmptyForm
from portal.htmx import is_htmx, redirect_to, render, render_form
from portal.i18n import gettext as _
from portal.modules import is_registered
from portal.permissions import in_property
from portal.security import bounded_id, require


def _rosters():
    if not is_registered("rosters"):
        abort(404)
    from portal.blueprints.rosters import services as rosters

    return rosters


def _room(room_id: int):
    room = _rosters().get_room(bounded_id(room_id))
    if room is None:
        abort(404)
    require(can_top_up, room, hide=not in_property(current_user, room.property_id))
    return room


def _context(room, form, shorts=None, errors=None) -> dict:
    rosters = _rosters()
    cleaning = rosters.newest_cleaning(room)
    departure = room.occupancy == "departure"
    lines = topups.proposal(room, departure)
    if shorts is not None:
        for line in lines:
            line.short = shorts.get(line.item.id, line.short)
    store = topups.store_for_floor(room.property_id, room.floor)
    return {
        "room": room,
        "cleaning": cleaning,
        "done": topups.done_for(cleaning.id if cleaning else None),
        "lines": lines,
        "store": store,
        "on_hand": (
            stock.on_hand_many(store.id, [line.item.id for line in lines]) if store else {}
        ),
        "form": form,
        "errors": errors or {},
        "departure": departure,
    }


@bp.get("/rooms/<int:room_id>/top-up")
def top_up_form(room_id: int):
    room = _room(room_id)
    return render("inventory/top_up.html", block="top_up", **_context(room, EmptyForm()))


@bp.post("/rooms/<int:room_id>/top-up")
def top_up(room_id: int):
    room = _room(room_id)
    form = EmptyForm()
    kit = topups.par_kit(room.room_type_id)
    shorts, errors = {}, {}
    for par in kit:
        value, error = line_quantity(request.form.get(f"short-{par.item_id}"))
        if error:
            errors[par.item_id] = str(error)
        shorts[par.item_id] = value if value is not None else Decimal("0")
    if not form.validate() or errors:
        return render_form(
            "inventory/top_up.html", "top_up", **_context(room, form, shorts, errors)
        )
    cleaning = _rosters().newest_cleaning(room)
    try:
        topups.top_up(room, cleaning.id if cleaning else None, shorts, by=current_user)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        db.session.expire_all()
        if error.field:  # a quantity that cannot be: bad input, under its line
            errors[int(error.field.removeprefix("short-"))] = error.message
            return render_form(
                "inventory/top_up.html", "top_up", **_context(_room(room_id), form, shorts, errors)
            )
        form.form_errors.append(error.message)
        return render(
            "inventory/top_up.html",
            block="top_up",
            status=409,
            **_context(_room(room_id), form, shorts),
        )
    flash(_("Room %(room)s topped up to par.", room=room.number), "success")
    if is_htmx():  # the attendant's phone stays on the page: the panel says it is done
        return render("inventory/top_up.html", block="top_up", **_context(room, EmptyForm()))
    return redirect_to(url_for("inventory.top_up_form", room_id=room.id))


# --- par kits -----------------------------------------------------------------------------------
def _room_type(room_type_id: int):
    _rosters()
    from portal.blueprints.rosters.models import RoomType

    room_type = db.session.get(RoomType, bounded_id(room_type_id))
    if room_type is None:
        abort(404)
    require(can_view_stock, room_type)
    return room_type


@bp.get("/par")
def par_kits():
    require(can_view_stock)
    rosters = _rosters()
    types = rosters.room_types(current_user.property_id)
    return render(
        "inventory/par.html",
        kits=[(t, topups.par_kit(t.id)) for t in types],
        may_keep=can_keep_items(current_user),
    )


def _par_context(room_type, form) -> dict:
    items = catalogue.items_of(room_type.property_id)
    form.item_id.choices = [(i.id, f"{i.code} {i.name}") for i in items]
    return {"room_type": room_type, "kit": topups.par_kit(room_type.id), "form": form}


@bp.get("/par/<int:room_type_id>")
def par_kit(room_type_id: int):
    room_type = _room_type(room_type_id)
    require(can_keep_items, room_type)
    return render("inventory/par_kit.html", **_par_context(room_type, ParForm()))


@bp.post("/par/<int:room_type_id>")
def set_par(room_type_id: int):
    room_type = _room_type(room_type_id)
    require(can_keep_items, room_type)
    form = ParForm()
    context = _par_context(room_type, form)
    if not form.validate():
        return render_form("inventory/par_kit.html", "par_form", **context)
    item = catalogue.get_item(form.item_id.data)
    if item is None or item.property_id != room_type.property_id:
        form.item_id.errors = [_("Choose items this property stocks.")]
        return render_form("inventory/par_kit.html", "par_form", **context)
    try:
        topups.set_par(
            room_type,
            item,
            form.quantity.number,
            departure_refill=form.departure_refill.data,
            by=current_user,
        )
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        error.attach(form)
        return render_form("inventory/par_kit.html", "par_form", **_par_context(room_type, form))
    flash(_("Par kit of %(type)s saved.", type=room_type.name), "success")
    return redirect_to(url_for("inventory.par_kit", room_type_id=room_type.id))

"""Items found in rooms (the lost-and-found register) and things broken (engineering's list)."""

from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_login import current_user

from portal.blueprints.rosters import bp, finds, services
from portal.blueprints.rosters.forms import CloseFoundForm, FixForm, ReportForm
from portal.blueprints.rosters.models import Defect, FoundItem
from portal.blueprints.rosters.permissions import (
    can_fix_defect,
    can_fix_defects,
    can_keep_found,
    can_report_in_room,
    can_view_defects,
    can_view_room,
)
from portal.blueprints.rosters.views import _refused, _room
from portal.errors import DomainError
from portal.extensions import db
from portal.htmx import redirect_to, render
from portal.i18n import gettext as _
from portal.permissions import in_property
from portal.security import bounded_id, require


def _report(room_id: int, record, success: str):
    room = _room(room_id)
    require(can_report_in_room, room, hide=not can_view_room(current_user, room))
    form = ReportForm()
    if not form.validate():
        error = next(iter(form.description.errors), _("Reload the page and try again."))
        return _refused(room, error)
    under_way = services.open_cleaning(room)
    try:
        record(
            room,
            form.description.data,
            by=current_user,
            cleaning_id=under_way.id if under_way else None,
        )
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        return _refused(_room(room_id), error.message)
    flash(success % {"room": room.number}, "success")
    return redirect_to(url_for("rosters.room", room_id=room.id, _anchor="reports"))


@bp.post("/rooms/<int:room_id>/found")
def report_found(room_id: int):
    return _report(
        room_id, finds.record_found, _("Item from room %(room)s handed to lost and found.")
    )


@bp.post("/rooms/<int:room_id>/defect")
def report_defect(room_id: int):
    return _report(room_id, finds.report_defect, _("Reported to engineering for room %(room)s."))


@bp.get("/found")
def found_list():
    require(can_keep_found)
    show_all = request.args.get("show") == "all"
    return render(
        "rosters/found.html",
        items=finds.found_items(current_user.property_id, kept_only=not show_all),
        show_all=show_all,
        form=CloseFoundForm(),
    )


@bp.post("/found/<int:item_id>/close")
def close_found(item_id: int):
    item = db.session.get(FoundItem, bounded_id(item_id))
    if item is None:
        abort(404)
    require(can_keep_found, item)
    form = CloseFoundForm()
    if form.validate():
        try:
            finds.close_found(item, form.status.data, form.note.data, by=current_user)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            if error.field:
                error.attach(form)
            else:  # closed already: the row is no longer in the list to show it beside
                flash(error.message, "danger")
        else:
            flash(_("Lost-and-found register updated."), "success")
            return redirect_to(url_for("rosters.found_list"))
    db.session.expire_all()
    return render(
        "rosters/found.html",
        status=422,
        items=finds.found_items(current_user.property_id),
        show_all=False,
        form=form,
        failed_id=item_id,
    )


@bp.get("/defects")
def defect_list():
    require(can_view_defects)
    show_all = request.args.get("show") == "all"
    return render(
        "rosters/defects.html",
        defects=finds.defects(current_user.property_id, open_only=not show_all),
        show_all=show_all,
        may_fix=can_fix_defects(current_user),
    )


@bp.post("/defects/<int:defect_id>/fix")
def fix_defect(defect_id: int):
    defect = db.session.get(Defect, bounded_id(defect_id))
    if defect is None:
        abort(404)
    require(can_fix_defect, defect, hide=not in_property(current_user, defect.property_id))
    form = FixForm()
    if not form.validate():
        flash(next(iter(form.note.errors), _("Reload the page and try again.")), "danger")
        return redirect_to(url_for("rosters.defect_list"))
    try:
        finds.fix_defect(defect, form.note.data, by=current_user)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "warning")
        return redirect_to(url_for("rosters.defect_list"))
    flash(_("Marked fixed."), "success")
    return redirect_to(url_for("rosters.defect_list"))

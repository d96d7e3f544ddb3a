"""Keeping the rooms: the list, a room added or changed, and which SOP is the checklist."""

from __future__ import annotations

from flask import abort, flash, url_for
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from portal.blueprints.rosters import bp, services
from portal.blueprints.rosters.checklist import BUILT_IN, checklist_for, sop_choices
from portal.blueprints.rosters.forms import RoomForm, SettingsForm
from portal.blueprints.rosters.models import Room, RosterSettings
from portal.blueprints.rosters.permissions import can_keep_rooms
from portal.errors import DomainError
from portal.extensions import db
from portal.htmx import redirect_to, render
from portal.i18n import gettext as _
from portal.permissions import in_property
from portal.security import bounded_id, require


@bp.get("/rooms")
def room_list():
    require(can_keep_rooms)
    property_id = current_user.property_id
    return render(
        "rosters/rooms.html",
        rooms=services.rooms_list(property_id),
        checklist=checklist_for(property_id),
        built_in=BUILT_IN,
    )


def _type_choices(form, property_id: int) -> None:
    form.room_type_id.choices = [(None, _("Choose the room type"))] + [
        (t.id, f"{t.code} · {t.name}") for t in services.room_types(property_id)
    ]


@bp.route("/rooms/new", methods=["GET", "POST"])
def new_room():
    require(can_keep_rooms)
    form = RoomForm()
    _type_choices(form, current_user.property_id)
    if form.validate_on_submit():
        try:
            room = services.add_room(
                current_user.property_id,
                form.number.data,
                form.floor.data,
                form.room_type_id.data,
                by=current_user,
            )
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            error.attach(form)
        else:
            flash(_("Room %(room)s added.", room=room.number), "success")
            return redirect_to(url_for("rosters.room_list"))
    return render(
        "rosters/room_form.html", form=form, room=None, status=422 if form.is_submitted() else 200
    )


@bp.route("/rooms/<int:room_id>/edit", methods=["GET", "POST"])
def edit_room(room_id: int):
    room = db.session.get(Room, bounded_id(room_id))
    if room is None:
        abort(404)
    require(can_keep_rooms, room, hide=not in_property(current_user, room.property_id))
    form = RoomForm(obj=room)
    _type_choices(form, room.property_id)
    if form.validate_on_submit():
        try:
            if form.version.number is not None and form.version.number != room.version:
                raise StaleDataError()
            services.update_room(
                room, form.number.data, form.floor.data, form.room_type_id.data, by=current_user
            )
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            error.attach(form)
        except StaleDataError:
            db.session.rollback()
            DomainError(
                _("Someone changed this room while you were editing. Check it and save again.")
            ).attach(form)
        else:
            flash(_("Room %(room)s saved.", room=room.number), "success")
            return redirect_to(url_for("rosters.room_list"))
    return render(
        "rosters/room_form.html", form=form, room=room, status=422 if form.is_submitted() else 200
    )


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    require(can_keep_rooms)
    property_id = current_user.property_id
    form = SettingsForm()
    choices = sop_choices(property_id)
    form.cleaning_sop_id.choices = [(None, _("The portal's own 13 steps")), *choices]
    if not form.is_submitted():
        current = db.session.get(RosterSettings, property_id)
        form.cleaning_sop_id.data = current.cleaning_sop_id if current else None
    elif form.validate():
        try:
            services.choose_checklist(property_id, form.cleaning_sop_id.data, by=current_user)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            error.attach(form)
        else:
            flash(_("Cleaning checklist saved."), "success")
            return redirect_to(url_for("rosters.room_list"))
    return render(
        "rosters/settings.html",
        form=form,
        library=bool(choices),
        status=422 if form.is_submitted() else 200,
    )

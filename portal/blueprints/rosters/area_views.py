"""Public areas: when each was last cleaned and when it is due, a round tapped done, an area
added."""

from __future__ import annotations

from flask import abort, flash, url_for
from flask_login import current_user

from portal.blueprints.people.models import User
from portal.blueprints.rosters import areas, bp
from portal.blueprints.rosters.forms import AreaForm, GiveAreaForm
from portal.blueprints.rosters.models import Area
from portal.blueprints.rosters.permissions import (
    can_build_roster,
    can_clean_area,
    can_keep_rooms,
    can_view_areas,
)
from portal.blueprints.rosters.roster_views import _day
from portal.database import commit_keeping_loaded, utcnow
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import EmptyForm
from portal.htmx import is_htmx, redirect_to, render
from portal.i18n import gettext as _
from portal.i18n import local_today
from portal.permissions import in_property
from portal.security import bounded_id, require


@bp.get("/areas")
def area_list():
    require(can_view_areas)
    return render(
        "rosters/areas.html",
        rows=areas.area_rows(current_user.property_id),
        now=utcnow(),
        may_keep=can_keep_rooms(current_user),
    )


@bp.post("/areas/<int:area_id>/done")
def area_done(area_id: int):
    """A round done: htmx swaps the area's row; without JavaScript, 303 back to the list."""
    area = db.session.get(Area, bounded_id(area_id))
    if area is None:
        abort(404)
    require(can_clean_area, area, hide=not in_property(current_user, area.property_id))
    if not EmptyForm().validate():
        flash(_("Reload the page and try again."), "danger")
    else:
        areas.record_round(area, by=current_user)
        commit_keeping_loaded()
    if not is_htmx():
        return redirect_to(url_for("rosters.area_list", _anchor=f"area-{area.id}"))
    row = next(r for r in areas.area_rows(area.property_id) if r.area.id == area.id)
    return render("rosters/areas.html", block="area_row_answer", r=row, now=utcnow())


@bp.route("/areas/new", methods=["GET", "POST"])
def new_area():
    require(can_keep_rooms)
    form = AreaForm()
    if form.validate_on_submit():
        try:
            area = areas.add_area(
                current_user.property_id,
                by=current_user,
                code=form.code.data,
                name_en=form.name_en.data,
                name_zh=form.name_zh.data,
                kind=form.kind.data,
                floor=form.floor.data,
                every_minutes=form.every_minutes.data,
            )
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            error.attach(form)
        else:
            flash(_("Area %(code)s added.", code=area.code), "success")
            return redirect_to(url_for("rosters.area_list"))
    return render("rosters/area_form.html", form=form, status=422 if form.is_submitted() else 200)


@bp.post("/day/areas/<int:area_id>")
def give_area(area_id: int):
    """An area on an attendant's list for the day, or on nobody's (the roster's area rows)."""
    area = db.session.get(Area, bounded_id(area_id))
    if area is None:
        abort(404)

    def can_give_area(user, place) -> bool:
        return can_build_roster(user) and in_property(user, place.property_id)

    require(can_give_area, area, hide=not in_property(current_user, area.property_id))
    day = _day()
    back = url_for("rosters.roster", day=day.isoformat(), _anchor="areas")
    form = GiveAreaForm()
    if not form.validate():
        errors = form.attendant_id.errors or [_("Reload the page and try again.")]
        flash(errors[0], "danger")
        return redirect_to(back)
    person = None
    if form.attendant_id.data is not None:
        person = db.session.get(User, form.attendant_id.data)
        if person is None:
            flash(_("Choose the attendant."), "danger")
            return redirect_to(back)
    try:
        if day < local_today():
            raise DomainError(_("This day is over: its roster can no longer change."))
        areas.give_area(area, person, day, by=current_user)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect_to(back)
    flash(
        _("%(area)s given to %(name)s.", area=area.name, name=person.name)
        if person
        else _("%(area)s is on nobody's list.", area=area.name),
        "success",
    )
    return redirect_to(back)

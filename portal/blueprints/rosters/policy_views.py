"""Each attendant's inspection policy, and releasing a clean room without an inspection."""

from __future__ import annotations

from flask import abort, flash, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from portal.blueprints.people.models import User
from portal.blueprints.rosters import bp, policies, services
from portal.blueprints.rosters.forms import PolicyForm, ReleaseForm
from portal.blueprints.rosters.models import Policy, SkipReason
from portal.blueprints.rosters.permissions import can_build_roster, can_inspect, can_view_room
from portal.blueprints.rosters.views import _cleaning, _refused
from portal.errors import DomainError
from portal.extensions import db
from portal.htmx import redirect_to, render
from portal.i18n import gettext as _
from portal.permissions import in_property
from portal.security import bounded_id, require


def _policy_page(status: int = 200, forms: dict | None = None):
    property_id = current_user.property_id
    people = services.attendants(property_id)
    kept = policies.policies(property_id)
    forms = forms or {}
    for person in people:
        if person.id not in forms:
            row = kept.get(person.id)
            forms[person.id] = PolicyForm(
                formdata=None,
                rule=row.rule if row else Policy.EVERY.value,
                every_n=row.every_n if row else 3,
            )
    return render("rosters/policies.html", status=status, people=people, forms=forms, kept=kept)


@bp.get("/attendants")
def policy_list():
    require(can_build_roster)
    return _policy_page()


@bp.post("/attendants/<int:person_id>/policy")
def set_policy(person_id: int):
    person = db.session.get(User, bounded_id(person_id), options=[joinedload(User.department)])
    if person is None:
        abort(404)

    def can_set_policy_of(user, who) -> bool:
        return can_build_roster(user) and in_property(user, who.property_id)

    require(can_set_policy_of, person, hide=not in_property(current_user, person.property_id))
    form = PolicyForm()
    if form.validate():
        try:
            policies.set_policy(
                person, Policy(form.rule.data), form.every_n.data or 3, by=current_user
            )
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            error.attach(form)
        else:
            flash(_("Inspection policy of %(name)s saved.", name=person.name), "success")
            return redirect_to(url_for("rosters.policy_list", _anchor=f"attendant-{person.id}"))
    db.session.expire_all()
    return _policy_page(status=422, forms={person.id: form})


@bp.post("/cleanings/<int:cleaning_id>/release")
def release(cleaning_id: int):
    cleaning = _cleaning(cleaning_id)
    require(can_inspect, cleaning, hide=not can_view_room(current_user, cleaning.room))
    form = ReleaseForm()
    if not form.validate():
        return _refused(cleaning.room, _("Choose why the room is released without an inspection."))
    try:
        policies.release(cleaning, SkipReason(form.reason.data), by=current_user)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        db.session.expire_all()
        return _refused(_cleaning(cleaning_id).room, error.message)
    flash(
        _("Room %(room)s released as ready without an inspection.", room=cleaning.room.number),
        "success",
    )
    return redirect_to(url_for("rosters.board"))

"""Corrective actions: added on the drill's page after the all-clear, marked done by their owner,
verified by security; a list of the property's actions for those who oversee drills. Plain
posts (303 back to the drill), so each works the same with JavaScript off."""

from flask import abort, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from portal.blueprints.drills import actions, bp
from portal.blueprints.drills.forms import ActionForm, DoneForm
from portal.blueprints.drills.models import CorrectiveAction
from portal.blueprints.drills.permissions import (
    can_add_action,
    can_list_drills,
    can_mark_action_done,
    can_see_action,
    can_verify_action,
    can_view_compliance,
    can_view_drill,
)
from portal.blueprints.drills.views import _drill, _show
from portal.blueprints.people.models import User
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import EmptyForm
from portal.htmx import redirect_to, render
from portal.i18n import gettext as _
from portal.i18n import local_today
from portal.pagination import paginate
from portal.security import bounded_id, require
from portal.submit import apply_action, create_from_form


def _action(action_id: int) -> CorrectiveAction:
    return db.get_or_404(
        CorrectiveAction, bounded_id(action_id), options=[joinedload(CorrectiveAction.drill)]
    )


def _back(action: CorrectiveAction):
    return redirect_to(
        url_for("drills.detail", drill_id=action.drill_id, _anchor=f"action-{action.id}")
    )


@bp.post("/<int:drill_id>/actions")
def add_action(drill_id: int):
    drill = _drill(drill_id)
    require(can_add_action, drill, hide=not can_view_drill(current_user, drill))
    form = ActionForm()
    form.owner_id.choices = actions.owner_choices(drill.property_id)
    if form.validate():

        def add() -> str:
            owner = db.session.get(User, form.owner_id.data)
            action = actions.add(
                drill, form.description.data, owner, form.due_on.data, by=current_user
            )
            return url_for("drills.detail", drill_id=drill.id, _anchor=f"action-{action.id}")

        created = create_from_form(
            form, current_user, add, duplicate=lambda: DomainError(_("Reload and try again."))
        )
        if created is not None:
            return redirect_to(created.url)
    db.session.rollback()
    return _show(_drill(drill_id), action_form=form, status=422)


@bp.post("/actions/<int:action_id>/done")
def action_done(action_id: int):
    action = _action(action_id)
    require(can_mark_action_done, action, hide=not can_see_action(current_user, action))
    form = DoneForm()
    if not form.validate():
        return _show(action.drill, done_forms={action.id: form}, status=422)
    apply_action(
        lambda: actions.mark_done(action, form.done_note.data, by=current_user),
        success=_("Marked done: security will verify it."),
    )
    return _back(action)


@bp.post("/actions/<int:action_id>/verify")
def action_verify(action_id: int):
    action = _action(action_id)
    require(can_verify_action, action, hide=not can_see_action(current_user, action))
    if not EmptyForm().validate_on_submit():
        abort(400)
    apply_action(lambda: actions.verify(action, by=current_user), success=_("Action verified."))
    return _back(action)


@bp.get("/actions")
def action_list():
    """Those who oversee drills see the property's actions; everyone else their own."""
    require(can_list_drills)
    overseer = can_view_compliance(current_user)
    show = request.args.get("show", "open" if overseer else "mine")
    show = show if show in actions.SHOWS and (overseer or show == "mine") else "mine"
    page = paginate(actions.listed(current_user.property_id, current_user, show))
    return render(
        "drills/actions.html",
        block="action_results",
        page=page,
        rows=page.items,
        show=show,
        overseer=overseer,
        today=local_today(),
    )

"""Drill roles on the drill's page: security gives each person their duty (and takes it back)
before the drill ends. Plain posts (303 back to the roles), so each works with JavaScript
off."""

from flask import abort, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from portal.blueprints.drills import bp, roles
from portal.blueprints.drills.forms import RoleForm
from portal.blueprints.drills.models import DrillRole
from portal.blueprints.drills.permissions import can_assign_roles, can_view_drill
from portal.blueprints.drills.views import _drill, _show
from portal.blueprints.people.models import User
from portal.extensions import db
from portal.forms import EmptyForm
from portal.htmx import redirect_to
from portal.i18n import gettext as _
from portal.security import bounded_id, require
from portal.submit import apply_action, save_from_form


def _back(drill_id: int):
    return redirect_to(url_for("drills.detail", drill_id=drill_id, _anchor="roles"))


@bp.post("/<int:drill_id>/roles")
def assign_role(drill_id: int):
    drill = _drill(drill_id)
    require(can_assign_roles, drill, hide=not can_view_drill(current_user, drill))
    form = RoleForm()
    form.person_id.choices = roles.choices(drill.property_id)
    if form.validate():

        def save() -> None:
            person = db.session.get(User, form.person_id.data)
            roles.assign(drill, person, form.duty.data, form.area.data, by=current_user)

        if save_from_form(form, save, stale_message=_("Reload and try again.")):
            return _back(drill.id)
    db.session.rollback()
    return _show(_drill(drill_id), role_form=form, status=422)


@bp.post("/roles/<int:role_id>/remove")
def remove_role(role_id: int):
    role = db.get_or_404(DrillRole, bounded_id(role_id), options=[joinedload(DrillRole.person)])
    drill = _drill(role.drill_id)
    require(can_assign_roles, drill, hide=not can_view_drill(current_user, drill))
    if not EmptyForm().validate_on_submit():
        abort(400)
    apply_action(lambda: roles.remove(role, by=current_user), success=_("Role taken back."))
    return _back(drill.id)

"""Who may see and change emergency plans and drills.

The security manager keeps the plans and runs the drills: the property's managers, a group
admin, and the supervisors of its security department. Everyone of the property reads the plans
and the drill calendar (they must know what to do when the alarm sounds). At a drill, the
supervisors are marshals: each accounts for the people of the departments they supervise, the
security staff and managers for everyone.
"""

from sqlalchemy import and_, bindparam, select

from portal.blueprints.drills.models import DrillStatus
from portal.blueprints.people.models import User
from portal.permissions import has_role, in_property, signed_in, supervises_department
from portal.roles import Role

SECURITY_DEPARTMENT = "SEC"  # the department code of a property's security team


def is_security(user) -> bool:
    """A manager or group admin, or a supervisor of the security department."""
    if has_role(user, Role.MANAGER, Role.ADMIN):
        return True
    return has_role(user, Role.SUPERVISOR) and any(
        d.code == SECURITY_DEPARTMENT for d in user.supervises
    )


def can_list_drills(user, obj=None) -> bool:
    return signed_in(user)


def can_view_plan(user, plan) -> bool:
    return in_property(user, plan.property_id)


def can_keep_plans(user, plan=None) -> bool:
    return is_security(user) and (plan is None or in_property(user, plan.property_id))


def can_view_compliance(user, obj=None) -> bool:
    return has_role(user, Role.SUPERVISOR, Role.HR, Role.MANAGER, Role.ADMIN)


def can_schedule_drill(user, obj=None) -> bool:
    return is_security(user)


def can_view_drill(user, drill) -> bool:
    return in_property(user, drill.property_id)


def can_run_drill(user, drill) -> bool:
    """Give the alarm and the all-clear, write and close the record."""
    return is_security(user) and in_property(user, drill.property_id)


def can_assign_roles(user, drill) -> bool:
    """Give and take back drill roles: security, before the drill ends."""
    return can_run_drill(user, drill) and drill.status in (
        DrillStatus.PLANNED,
        DrillStatus.RUNNING,
    )


def can_amend_record(user, drill) -> bool:
    """Correct a closed record (each correction kept beside what was closed): security."""
    return can_run_drill(user, drill) and drill.status == DrillStatus.CLOSED


def can_call_roll(user, drill) -> bool:
    """Whether the drill page shows the roll call to tap (the rows say whom)."""
    return in_property(user, drill.property_id) and (
        is_security(user) or has_role(user, Role.SUPERVISOR, Role.HR)
    )


def can_account_for(user, drill, person) -> bool:
    """Tap a person at a drill: security for everyone of the property, HR too, a supervisor for
    the people of the departments they supervise."""
    if not in_property(user, drill.property_id) or person.property_id != drill.property_id:
        return False
    if is_security(user) or has_role(user, Role.HR):
        return True
    return has_role(user, Role.SUPERVISOR) and supervises_department(user, person.department_id)


def marshal_shape(user, drill) -> tuple[str, dict]:
    """Whom a marshal accounts for at this drill, as a shape and its values (for statements
    built once): the whole property for security and HR (and for no viewer), the supervised
    departments for a supervisor."""
    values = {"roll_property_id": drill.property_id}
    if user is None or is_security(user) or has_role(user, Role.HR):
        return "property", values
    return "departments", {**values, "roll_department_ids": [d.id for d in user.supervises]}


def marshal_clause_of(shape: str):
    """SQL of a marshal_shape: the active people it names (its values bound parameters)."""
    clause = and_(User.property_id == bindparam("roll_property_id"), User.active.is_(True))
    if shape == "departments":
        department_ids = bindparam("roll_department_ids", expanding=True)
        clause = and_(clause, User.department_id.in_(department_ids))
    return clause


def marshal_scope(user, drill):
    """SQL: the active people a marshal accounts for at this drill (marshal_shape)."""
    shape, values = marshal_shape(user, drill)
    return select(User).where(marshal_clause_of(shape)).params(**values)


def can_print_report(user, drill) -> bool:
    """A drill's report: for those who oversee drills (supervisors, HR, managers, security)."""
    return can_view_compliance(user) and in_property(user, drill.property_id)


def marshal_departments(user, drill) -> list:
    """The departments of the people a marshal accounts for (the roll call's filter)."""
    if is_security(user) or has_role(user, Role.HR):
        from portal.blueprints.people import services as people

        return people.property_departments(drill.property_id)
    return sorted(user.supervises, key=lambda d: d.position)


def can_add_action(user, drill) -> bool:
    return can_run_drill(user, drill)


def can_mark_action_done(user, action) -> bool:
    """The owner, or security."""
    return in_property(user, action.property_id) and (
        action.owner_id == user.id or is_security(user)
    )


def can_verify_action(user, action) -> bool:
    return is_security(user) and in_property(user, action.property_id)


def can_see_action(user, action) -> bool:
    return in_property(user, action.property_id)


def can_report_incident(user, obj=None) -> bool:
    return signed_in(user) and bool(user.active)


def can_view_incident(user, incident) -> bool:
    """Security, and whoever reported it."""
    return in_property(user, incident.property_id) and (
        is_security(user) or incident.reported_by_id == user.id
    )


def can_handle_incident(user, incident) -> bool:
    return is_security(user) and in_property(user, incident.property_id)


def can_confirm_read(user, plan) -> bool:
    """People of the plan's property confirm they have read it (a group admin of another
    property reads it, but is not its staff)."""
    return signed_in(user) and user.property_id == plan.property_id

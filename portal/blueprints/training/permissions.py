"""Who may see and change training: HR keeps the programmes; HR and supervisors schedule
sessions and enrol the people in their scope; supervisors mark the people of the departments
they supervise, HR everyone of their property; everyone enrols themselves."""

from portal.blueprints.people import services as people
from portal.permissions import has_role, in_property, signed_in, supervises_department
from portal.roles import Role

KEEPERS = (Role.HR, Role.ADMIN)
SCHEDULERS = (Role.HR, Role.ADMIN, Role.SUPERVISOR)
MARKERS = (Role.HR, Role.ADMIN, Role.SUPERVISOR)


def can_list_training(user, obj=None) -> bool:
    return signed_in(user)


def can_manage_programmes(user, programme=None) -> bool:
    if not has_role(user, *KEEPERS):
        return False
    return programme is None or in_property(user, programme.property_id)


def can_view_programme(user, programme) -> bool:
    return in_property(user, programme.property_id)


def can_schedule(user, obj=None) -> bool:
    return has_role(user, *SCHEDULERS)


def can_view_session(user, session) -> bool:
    return in_property(user, session.property_id)


def can_edit_session(user, session) -> bool:
    """HR of the property, or the supervisor who scheduled it."""
    if not in_property(user, session.property_id):
        return False
    if has_role(user, *KEEPERS):
        return True
    return has_role(user, Role.SUPERVISOR) and session.created_by_id == user.id


def can_enrol_self(user, session) -> bool:
    return in_property(user, session.property_id) and bool(user.active)


def can_enrol_person(user, person) -> bool:
    """Enrol someone else: HR and supervisors, for a person in their scope."""
    return (
        has_role(user, Role.HR, Role.ADMIN, Role.SUPERVISOR)
        and user.id != person.id
        and people.in_scope(user, person)
    )


def can_cancel_enrolment(user, enrolment) -> bool:
    """The person themselves, or whoever may enrol them."""
    if not in_property(user, enrolment.session.property_id):
        return False
    return enrolment.person_id == user.id or can_enrol_person(user, enrolment.person)


def can_see_enrolment(user, enrolment) -> bool:
    return in_property(user, enrolment.session.property_id)


def can_mark_attendance(user, enrolment) -> bool:
    """A supervisor for the people of the departments they supervise; HR for the property."""
    person = enrolment.person
    if not in_property(user, person.property_id):
        return False
    if has_role(user, *KEEPERS):
        return True
    return has_role(user, Role.SUPERVISOR) and supervises_department(user, person.department_id)


def can_take_attendance(user, session) -> bool:
    """Whether the session page shows the roll call (the rows say who may be marked)."""
    return in_property(user, session.property_id) and has_role(user, *MARKERS)


def can_view_compliance(user, obj=None) -> bool:
    """The matrix: HR and managers for their property, supervisors for their departments."""
    return has_role(user, Role.HR, Role.MANAGER, Role.ADMIN, Role.SUPERVISOR)


def can_check_in(user, enrolment) -> bool:
    """Self check-in: the person holding the seat, nobody else."""
    return in_property(user, enrolment.session.property_id) and enrolment.person_id == user.id


def can_view_budget(user, obj=None) -> bool:
    return has_role(user, Role.HR, Role.MANAGER, Role.ADMIN)


def can_set_budget(user, obj=None) -> bool:
    return has_role(user, *KEEPERS)


def can_list_certificates(user, obj=None) -> bool:
    """Everyone: their own (an employee), their people's (a supervisor), the property's (HR)."""
    return signed_in(user)


def can_record_certificate(user, obj=None) -> bool:
    return has_role(user, *KEEPERS)

"""Who may see and change training: HR keeps the programmes; HR and supervisors schedule
sessions and enrol the people in their scope; supervisors mark the people of the departments
they supervise, HR everyone of their property; everyone enrols themselves."""

from sqlalchemy import exists, select

from portal.blueprints.people import services as people
from portal.blueprints.people.models import User
from portal.blueprints.training.models import Enrolment, EnrolmentStatus, TrainingSession
from portal.extensions import db
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


# Who sees every seat of a session of their property (their scope is the whole property).
WHOLE_PROPERTY = (Role.HR, Role.MANAGER, Role.ADMIN)


def _supervises_a_seat(user, session: TrainingSession) -> bool:
    """Someone of the user's scope holds a seat (one EXISTS, the roster's own scope rule)."""
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Enrolment.session_id == session.id,
                    Enrolment.status == EnrolmentStatus.ENROLLED,
                    Enrolment.person_id.in_(
                        people.people_in_scope(user, active=None).with_only_columns(User.id)
                    ),
                )
            )
        )
    )


def can_print_sign_in_sheet(user, session: TrainingSession, *, sees_a_seat=None) -> bool:
    """`sees_a_seat`: whether the user's roster of the session shows someone with a seat, when
    the caller knows it already (the session page has the roster); else one query asks."""
    if not in_property(user, session.property_id):
        return False
    if has_role(user, *WHOLE_PROPERTY) or user.id == session.trainer_id:
        return True
    if not has_role(user, Role.SUPERVISOR):
        return False
    if session.created_by_id == user.id:
        return True
    if session.trainer is not None and supervises_department(user, session.trainer.department_id):
        return True
    return _supervises_a_seat(user, session) if sees_a_seat is None else bool(sees_a_seat)


def can_print_training_record(user, person: User) -> bool:
    if not in_property(user, person.property_id):
        return False
    if user.id == person.id:
        return True
    return has_role(user, Role.SUPERVISOR, *WHOLE_PROPERTY) and people.in_scope(user, person)

"""Who may see and change staff records."""

from portal.blueprints.people.models import Role, User
from portal.permissions import has_role, in_property, supervises_department


def can_list_people(user, obj=None) -> bool:
    return has_role(user, Role.HR, Role.MANAGER, Role.ADMIN)


def can_view_person(user, person: User) -> bool:
    if not in_property(user, person.property_id):
        return False
    if user.id == person.id or has_role(user, Role.HR, Role.MANAGER, Role.ADMIN):
        return True
    return has_role(user, Role.SUPERVISOR) and supervises_department(user, person.department_id)


def can_create_person(user, obj=None) -> bool:
    return has_role(user, Role.HR, Role.ADMIN)


def can_edit_person(user, person: User) -> bool:
    """HR edits the people of their property; only a group admin edits a group admin."""
    if not has_role(user, Role.HR, Role.ADMIN) or not in_property(user, person.property_id):
        return False
    return person.role != Role.ADMIN or user.role == Role.ADMIN


def can_reset_secret(user, person: User) -> bool:
    return can_edit_person(user, person) and user.id != person.id


def can_print_staff_record(user, person: User) -> bool:
    return has_role(user, Role.HR, Role.MANAGER, Role.ADMIN) and in_property(
        user, person.property_id
    )


def roles_assignable_by(user) -> list[Role]:
    if has_role(user, Role.ADMIN):
        return list(Role)
    return [Role.EMPLOYEE, Role.SUPERVISOR, Role.HR, Role.MANAGER]

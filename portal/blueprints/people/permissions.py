"""Who may see and change staff records.

Every rule on one person goes through the people scope (services.in_scope, the same rule as
services.scope_clause for lists): HR, managers and group admins act on the people of their
property (a group admin: of every property), supervisors on the people of the departments they
supervise, everyone on themselves.
"""

from portal.blueprints.people.models import Role, User
from portal.blueprints.people.services import assignable_roles, in_scope
from portal.permissions import has_role, in_property, signed_in


def can_list_people(user, obj=None) -> bool:
    return has_role(user, Role.HR, Role.MANAGER, Role.ADMIN)


def can_view_person(user, person: User) -> bool:
    if not signed_in(user):
        return False
    if user.id == person.id:
        return True
    return has_role(user, Role.SUPERVISOR, Role.HR, Role.MANAGER, Role.ADMIN) and in_scope(
        user, person
    )


def can_create_person(user, obj=None) -> bool:
    return has_role(user, Role.HR, Role.ADMIN)


def can_import_upload(user, upload) -> bool:
    """Check and import a staff list kept for import: who adds people, at its property."""
    return can_create_person(user) and in_property(user, upload.property_id)


def can_edit_person(user, person: User) -> bool:
    """HR edits the employees, supervisors and HR of their property; only a group admin edits
    a manager or a group admin (HR setting a manager's password would sign in as a manager)."""
    if not has_role(user, Role.HR, Role.ADMIN) or not in_scope(user, person):
        return False
    return Role(person.role) in assignable_roles(user)


def can_deactivate_person(user, person: User) -> bool:
    """Whoever edits the record, except on their own (nobody locks themselves out)."""
    return can_edit_person(user, person) and user.id != person.id


def can_reset_secret(user, person: User) -> bool:
    return can_edit_person(user, person) and user.id != person.id


def can_print_staff_record(user, person: User) -> bool:
    return has_role(user, Role.HR, Role.MANAGER, Role.ADMIN) and in_scope(user, person)


def roles_assignable_by(user) -> list[Role]:
    """The roles offered on the person form: manager and group admin by a group admin only."""
    return assignable_roles(user)


# --- job titles ---------------------------------------------------------------------------------
def can_view_job_titles(user, obj=None) -> bool:
    """HR, managers and group admins read the list of their property's job titles."""
    if not has_role(user, Role.HR, Role.MANAGER, Role.ADMIN):
        return False
    return obj is None or in_property(user, obj.property_id)


def can_manage_job_titles(user, obj=None) -> bool:
    """HR keeps the job titles of their property (a department's, or one title); a group
    admin those of every property."""
    if not has_role(user, Role.HR, Role.ADMIN):
        return False
    return obj is None or in_property(user, obj.property_id)

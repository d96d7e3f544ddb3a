"""Who may read, write, approve and follow up SOPs."""

from datetime import datetime, timedelta

from portal.blueprints.people import services as people
from portal.blueprints.sops.models import Sop, SopVersion, Stage, VersionStatus
from portal.blueprints.sops.rules import stage_of
from portal.database import utcnow
from portal.permissions import has_role, in_property, signed_in, supervises_department
from portal.roles import Role

WRITERS = (Role.MANAGER, Role.HR, Role.ADMIN)
APPROVERS = (Role.MANAGER, Role.ADMIN)
# An account the author created, or gave its role, approves none of the author's versions
# until this long after: the author cannot approve through an account of their own making.
ROLE_GRANT_COOLING_OFF = timedelta(hours=24)


def approves(user) -> bool:
    """The roles that approve SOPs (the approve button and the approval itself ask this)."""
    return has_role(user, *APPROVERS)


def can_list_sops(user, obj=None) -> bool:
    return signed_in(user)


def can_read_sop(user, sop: Sop) -> bool:
    """The operating manual of a property is open to everyone who works there."""
    return in_property(user, sop.property_id)


def can_write_sops(user, obj=None) -> bool:
    return has_role(user, *WRITERS)


def can_view_version(user, version: SopVersion) -> bool:
    """In force: everyone at the property. Drafts: writers (authors and approvers).
    Superseded and scheduled versions: writers too (old versions stay readable to managers)."""
    if not in_property(user, version.sop.property_id):
        return False
    return has_role(user, *WRITERS) or stage_of(version) == Stage.EFFECTIVE


def can_edit_version(user, version: SopVersion) -> bool:
    return (
        has_role(user, *WRITERS)
        and in_property(user, version.sop.property_id)
        and version.status == VersionStatus.DRAFT
        and version.sop.retired_on is None
    )


def role_granted_by_author(user, version: SopVersion, now: datetime | None = None) -> bool:
    """Whether the version's author created `user`'s account, or gave it its role, less than
    24 hours ago."""
    return (
        user.role_granted_by_id is not None
        and user.role_granted_by_id == version.author_id
        and (now or utcnow()) < user.role_granted_at + ROLE_GRANT_COOLING_OFF
    )


def is_independent_approver(user, version: SopVersion, now: datetime | None = None) -> bool:
    """The approver is not the author, nor an account the author made or promoted lately (the
    approve button and the approval itself ask this)."""
    return version.author_id != user.id and not role_granted_by_author(user, version, now)


def can_approve_version(user, version: SopVersion) -> bool:
    """A manager approves; never the author of the draft, nor an account the author created or
    gave its role in the last 24 hours."""
    return (
        approves(user)
        and in_property(user, version.sop.property_id)
        and version.status == VersionStatus.IN_REVIEW
        and is_independent_approver(user, version)
    )


def can_review_version(user, version: SopVersion) -> bool:
    """Record a periodic review ("reviewed, still valid") of the version in force: whoever may
    approve it (a manager of its property who did not write it, nor an account its author made
    or promoted lately), as for an approval."""
    return (
        approves(user)
        and in_property(user, version.sop.property_id)
        and version.status == VersionStatus.APPROVED
        and is_independent_approver(user, version)
        and stage_of(version) == Stage.EFFECTIVE
    )


def can_change_settings(user, prop) -> bool:
    """The SOP library's settings of a property: its managers, and group admins."""
    return approves(user) and in_property(user, prop.id)


def can_manage_sop(user, sop: Sop) -> bool:
    return has_role(user, *WRITERS) and in_property(user, sop.property_id)


def can_follow_up(user, sop: Sop) -> bool:
    """See who has acknowledged, and remind: HR, managers, and supervisors of the department."""
    if not in_property(user, sop.property_id):
        return False
    if has_role(user, *WRITERS):
        return True
    audience_departments = {a.department_id for a in sop.audience} | {sop.department_id}
    return has_role(user, Role.SUPERVISOR) and any(
        supervises_department(user, d) for d in audience_departments if d is not None
    )


def can_follow_person(user, person) -> bool:
    """A person's reading record: HR, managers, and the supervisors of their department."""
    if not in_property(user, person.property_id):
        return False
    if has_role(user, *WRITERS) or user.id == person.id:
        return True
    return has_role(user, Role.SUPERVISOR) and supervises_department(user, person.department_id)


def can_remind(user, person) -> bool:
    """Remind a person to read an SOP: someone still working here and in the actor's scope (a
    supervisor: the people of the departments they supervise; HR and managers: their
    property)."""
    return (
        has_role(user, *WRITERS, Role.SUPERVISOR)
        and bool(person.active)
        and people.in_scope(user, person)
    )


def can_print_binder(user, department) -> bool:
    """A department's binder: everyone at the department's property."""
    return in_property(user, department.property_id)

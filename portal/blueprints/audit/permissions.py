from portal.permissions import has_role
from portal.roles import Role


def can_view_audit(user, obj=None) -> bool:
    """HR sees their property's trail; a group admin sees every property's."""
    return has_role(user, Role.HR, Role.ADMIN)

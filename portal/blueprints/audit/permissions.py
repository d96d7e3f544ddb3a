from portal.blueprints.people.models import Role
from portal.permissions import has_role


def can_view_audit(user, obj=None) -> bool:
    """HR sees their property's trail; a group admin sees every property's."""
    return has_role(user, Role.HR, Role.ADMIN)

from portal.permissions import has_role, in_property
from portal.roles import Role


def can_manage_terminals(user, obj=None) -> bool:
    return has_role(user, Role.ADMIN)


def can_revoke_terminal(user, terminal) -> bool:
    return has_role(user, Role.ADMIN) and in_property(user, terminal.property_id)

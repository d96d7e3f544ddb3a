"""Scope helpers shared by the domains' can_* predicates.

Scope is property, then department, then person. A group admin sees every property.
"""

from __future__ import annotations

from portal.blueprints.people.models import Role


def signed_in(user, obj=None) -> bool:
    return bool(user and user.is_authenticated)


def has_role(user, *roles: Role) -> bool:
    return signed_in(user) and user.role in roles


def in_property(user, property_id: int | None) -> bool:
    """The user may see records of this property."""
    if not signed_in(user):
        return False
    return user.role == Role.ADMIN or (property_id is not None and user.property_id == property_id)


def supervises_department(user, department_id: int | None) -> bool:
    return department_id is not None and any(d.id == department_id for d in user.supervises)

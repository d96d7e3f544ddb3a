"""Scope rules shared by every module's can_* predicates and queries, written once.

Scope is property, then department, then person. A group admin sees every property. The same
rule exists in two forms that must agree: `in_property()` for one loaded object and
`property_clause()` for the SQL that lists and counts.
"""

from __future__ import annotations

from sqlalchemy import bindparam, true

from portal.roles import Role


def signed_in(user, obj=None) -> bool:
    return bool(user and user.is_authenticated)


def has_role(user, *roles: Role) -> bool:
    return signed_in(user) and user.role in roles


def sees_every_property(user) -> bool:
    return has_role(user, Role.ADMIN)


def in_property(user, property_id: int | None) -> bool:
    """The user may see records of this property."""
    if not signed_in(user):
        return False
    return sees_every_property(user) or (
        property_id is not None and user.property_id == property_id
    )


def property_clause(user, column):
    """SQL: rows of `column` (a property_id column) that the user may see."""
    return true() if sees_every_property(user) else column == user.property_id


def property_shape(user) -> str:
    """property_clause as a shape, for statements built once (property_clause_of)."""
    return "every" if sees_every_property(user) else "one"


def property_clause_of(shape: str, column, property_id=None):
    """SQL of a property_shape; the property is `property_id` (a bound parameter: by default
    the home page's card_property_id)."""
    if shape == "every":
        return true()
    return column == (property_id if property_id is not None else bindparam("card_property_id"))


def supervises_department(user, department_id: int | None) -> bool:
    return department_id is not None and any(d.id == department_id for d in user.supervises)

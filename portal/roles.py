"""The portal's roles: who a person is to the access rules of every module.

Part of the shared core (scope rules in portal/permissions.py stand on it); the people module
stores a person's role, every module's can_* predicates read it.
"""

from __future__ import annotations

import enum

from portal.i18n import lazy_gettext as _l


class Role(enum.StrEnum):
    EMPLOYEE = "employee"
    SUPERVISOR = "supervisor"
    HR = "hr"
    MANAGER = "manager"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])

    @property
    def uses_pin(self) -> bool:
        return self is Role.EMPLOYEE


ROLE_LABELS = {
    Role.EMPLOYEE: _l("Employee"),
    Role.SUPERVISOR: _l("Supervisor"),
    Role.HR: _l("HR"),
    Role.MANAGER: _l("Manager"),
    Role.ADMIN: _l("Group admin"),
}

EVERY_ROLE = frozenset(Role)

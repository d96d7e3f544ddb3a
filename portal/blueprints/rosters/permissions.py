"""Who may see the room board, build the day's roster, clean and inspect rooms.

Housekeeping runs the rooms: the property's managers and group admin, and the supervisors of its
housekeeping department, keep the rooms, build the roster and inspect. An attendant is an
employee of the housekeeping department: they clean the rooms on their own list. Front office
(its people and supervisors) reads the board, flags a room "rush" when a guest is waiting, and
marks a room dirty when the guest leaves; nothing else of housekeeping.
"""

from portal.permissions import has_role, in_property, signed_in
from portal.roles import Role

HOUSEKEEPING = "HK"  # the department code of a property's housekeeping
FRONT_OFFICE = "FO"


def _department_code(user) -> str | None:
    department = getattr(user, "department", None)
    return department.code if department is not None else None


def _supervises(user, code: str) -> bool:
    return has_role(user, Role.SUPERVISOR) and any(d.code == code for d in user.supervises)


def runs_housekeeping(user) -> bool:
    """A manager or group admin, or a supervisor of the housekeeping department."""
    return has_role(user, Role.MANAGER, Role.ADMIN) or _supervises(user, HOUSEKEEPING)


def is_attendant(user) -> bool:
    """An active employee of the housekeeping department."""
    return (
        has_role(user, Role.EMPLOYEE)
        and bool(user.active)
        and _department_code(user) == HOUSEKEEPING
    )


def is_front_office(user) -> bool:
    return _department_code(user) == FRONT_OFFICE or _supervises(user, FRONT_OFFICE)


def can_view_board(user, obj=None) -> bool:
    return signed_in(user) and (
        runs_housekeeping(user)
        or is_front_office(user)
        or _department_code(user) == HOUSEKEEPING
        or has_role(user, Role.SUPERVISOR)
    )


def can_view_room(user, room) -> bool:
    return can_view_board(user) and in_property(user, room.property_id)


def can_keep_rooms(user, room=None) -> bool:
    return runs_housekeeping(user) and (room is None or in_property(user, room.property_id))


def can_build_roster(user, obj=None) -> bool:
    return runs_housekeeping(user)


def can_change_assignment(user, assignment) -> bool:
    return runs_housekeeping(user) and in_property(user, assignment.property_id)


def can_see_my_rooms(user, obj=None) -> bool:
    return signed_in(user) and is_attendant(user)


def can_clean(user, assignment=None) -> bool:
    """Start, defer and finish a room: the attendant whose list it is on."""
    return (
        signed_in(user)
        and assignment is not None
        and assignment.attendant_id == user.id
        and in_property(user, assignment.property_id)
        and bool(user.active)
    )


def can_tick(user, cleaning) -> bool:
    return (
        signed_in(user)
        and bool(user.active)
        and cleaning.attendant_id == user.id
        and in_property(user, cleaning.property_id)
    )


def can_inspect(user, cleaning) -> bool:
    """Housekeeping's supervisors and managers, never the attendant who cleaned it."""
    return (
        runs_housekeeping(user)
        and in_property(user, cleaning.property_id)
        and cleaning.attendant_id != user.id
    )


def can_flag_rush(user, room) -> bool:
    return in_property(user, room.property_id) and (
        runs_housekeeping(user) or is_front_office(user)
    )


def can_mark_dirty(user, room) -> bool:
    return can_flag_rush(user, room)


ENGINEERING = "ENG"


def can_report_in_room(user, room) -> bool:
    """An item found or something broken: whoever works the room (its attendant today, or
    housekeeping's supervisors and managers)."""
    return in_property(user, room.property_id) and (runs_housekeeping(user) or is_attendant(user))


def can_keep_found(user, item=None) -> bool:
    """The lost-and-found register: housekeeping's supervisors and managers, and front office
    (who hands items back to guests)."""
    return (runs_housekeeping(user) or is_front_office(user)) and (
        item is None or in_property(user, item.property_id)
    )


def is_engineering(user) -> bool:
    return _department_code(user) == ENGINEERING or _supervises(user, ENGINEERING)


def can_view_defects(user, obj=None) -> bool:
    return runs_housekeeping(user) or is_engineering(user)


def can_fix_defects(user, obj=None) -> bool:
    return is_engineering(user) or has_role(user, Role.MANAGER, Role.ADMIN)


def can_fix_defect(user, defect) -> bool:
    return in_property(user, defect.property_id) and can_fix_defects(user)


def can_view_areas(user, obj=None) -> bool:
    return runs_housekeeping(user) or is_attendant(user)


def can_clean_area(user, area) -> bool:
    return in_property(user, area.property_id) and (runs_housekeeping(user) or is_attendant(user))

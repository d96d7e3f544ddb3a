"""Drill roles: who does what at a drill, given by security while the drill is planned (or,
for someone stepping in, while it runs). One duty per person per drill: giving a person a
new duty replaces the old one. Each person sees their next duty on their home page.

Plain functions that take the acting person, audit and flush; never commit."""

from __future__ import annotations

from sqlalchemy import and_, bindparam, case, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from portal import audit
from portal.blueprints.drills.models import Drill, DrillRole, DrillStatus, Duty, Plan
from portal.blueprints.people.models import User
from portal.database import utcnow
from portal.errors import DomainError, FieldErrors
from portal.extensions import db
from portal.i18n import gettext as _

AREA_MAX = 120
DUTY_ORDER = case({d.value: i for i, d in enumerate(Duty)}, value=DrillRole.duty, else_=99)
OPEN = (DrillStatus.PLANNED, DrillStatus.RUNNING)


def choices(property_id: int) -> list[tuple]:
    """Who may be given a role: the property's active people, after an empty first choice so
    that nobody is given a duty by a careless tap (one query)."""
    from portal.blueprints.drills import actions

    return [("", _("Choose someone")), *actions.owner_choices(property_id)]


def of_drill(drill: Drill) -> list[DrillRole]:
    """The drill's roles by duty, then name (one query)."""
    return list(
        db.session.scalars(
            select(DrillRole)
            .where(DrillRole.drill_id == drill.id)
            .options(joinedload(DrillRole.person))
            .join(User, User.id == DrillRole.person_id)
            .order_by(DUTY_ORDER, User.name_en, DrillRole.id)
        )
    )


def assign(drill: Drill, person: User | None, duty: str, area: str, *, by: User) -> DrillRole:
    if drill.status not in OPEN:
        raise DomainError(_("Roles are given before the drill ends."))
    errors = {}
    if person is None or person.property_id != drill.property_id or not person.active:
        errors["person_id"] = _("Choose someone of this property.")
    if duty not in {d.value for d in Duty}:
        errors["duty"] = _("Choose a duty from the list.")
    area = (area or "").strip()
    if len(area) > AREA_MAX:
        errors["area"] = _("Keep the area under 120 characters.")
    if errors:
        raise FieldErrors(errors)

    def existing():
        return db.session.scalar(
            select(DrillRole).where(
                DrillRole.drill_id == drill.id, DrillRole.person_id == person.id
            )
        )

    role = existing()
    before = f"{role.duty} {role.area}".strip() if role else ""
    values = {"duty": duty, "area": area, "assigned_by_id": by.id, "assigned_at": utcnow()}
    if role is None:
        try:
            with db.session.begin_nested():  # two security officers giving the same person
                role = DrillRole(drill_id=drill.id, person_id=person.id, **values)
                db.session.add(role)
        except IntegrityError:  # a duty at once: the second one's duty stands
            role = existing()
    for name, value in values.items():
        setattr(role, name, value)
    db.session.flush()
    audit.record(
        "drills.role_assigned",
        role,
        actor=by,
        property_id=drill.property_id,
        summary=f"drill={drill.id} person={person.id} duty={duty} area={area}"
        + (f" was={before}" if before else ""),
    )
    return role


def remove(role: DrillRole, *, by: User) -> None:
    drill = db.session.get(Drill, role.drill_id)
    if drill.status not in OPEN:
        raise DomainError(_("Roles are given before the drill ends."))
    audit.record(
        "drills.role_removed",
        role,
        actor=by,
        property_id=drill.property_id,
        summary=f"drill={drill.id} person={role.person_id} duty={role.duty}",
    )
    db.session.delete(role)
    db.session.flush()


def next_role_sql() -> dict:
    """The signed-in person's next duty (a drill planned from today, or running), as scalar
    SQL for the home page's one statement of numbers: the drill, its day, shift and plan code,
    the duty and the area. All NULL when they have none."""
    mine = (
        select(DrillRole.id)
        .join(Drill, Drill.id == DrillRole.drill_id)
        .where(
            DrillRole.person_id == bindparam("card_user_id"),
            Drill.property_id == bindparam("card_property_id"),
            or_(
                Drill.status == DrillStatus.RUNNING,
                and_(
                    Drill.status == DrillStatus.PLANNED,
                    Drill.planned_on >= bindparam("card_today"),
                ),
            ),
        )
        .order_by(Drill.status.desc(), Drill.planned_on, Drill.id)  # running first
        .limit(1)
        .scalar_subquery()
    )
    one = (
        select()
        .select_from(DrillRole)
        .join(Drill, Drill.id == DrillRole.drill_id)
        .join(Plan, Plan.id == Drill.plan_id)
        .where(DrillRole.id == mine)
    )

    def value(column):
        return one.add_columns(column).scalar_subquery()

    return {
        "role_drill_id": value(Drill.id),
        "role_day": value(Drill.planned_on),
        "role_shift": value(Drill.shift),
        "role_running": value(Drill.status == DrillStatus.RUNNING),
        "role_code": value(Plan.code),
        "role_duty": value(DrillRole.duty),
        "role_area": value(DrillRole.area),
    }

"""Emergency plans: kept by the security manager, revised as new versions, never edited.

A revision writes a new PlanVersion (the newest is in force) and may change the schedule facts
on the plan row (cadence, shifts, target time, linked SOPs). A drill keeps the version it ran
under, so its record reads as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal import audit
from portal.blueprints.drills.models import (
    EVERY_MONTHS,
    PHASES,
    Plan,
    PlanKind,
    PlanRead,
    PlanShift,
    PlanVersion,
    Shift,
)
from portal.blueprints.people.models import User
from portal.errors import DomainError, FieldErrors
from portal.extensions import db
from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l
from portal.i18n import localized
from portal.modules import is_registered

BILINGUAL = ("title", "scope", "goals", *PHASES)


@dataclass
class PlanData:
    code: str
    kind: str
    every_months: int
    shifts: list[str]
    notice_required: bool = False
    target_seconds: int | None = None
    sop_ids: list[int] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # "title_en", "warning_zh", ...
    change_note: str = ""


def _check(data: PlanData, property_id: int, plan_id: int | None) -> list:
    """Every wrong field at once (FieldErrors), then the SOPs the plan links to."""
    errors = {}
    if data.kind not in set(PlanKind):
        errors["kind"] = _("Choose the kind of emergency.")
    if data.every_months not in EVERY_MONTHS:
        errors["every_months"] = _("Choose how often the plan is drilled.")
    if not data.shifts or not set(data.shifts) <= set(Shift):
        errors["shifts"] = _("Tick at least one shift that must drill this plan.")
    for name in BILINGUAL:
        if not data.texts.get(f"{name}_en", ""):
            errors[f"{name}_en"] = _("Write this in English as well.")
        if not data.texts.get(f"{name}_zh", ""):
            errors[f"{name}_zh"] = _("Write this in Chinese as well.")
    taken = db.session.scalar(
        select(Plan.id).where(
            Plan.property_id == property_id,
            func.lower(Plan.code) == data.code.lower(),
            Plan.id != (plan_id or 0),
        )
    )
    if taken:
        errors["code"] = _("Another plan already has this code.")
    if errors:
        raise FieldErrors(errors)
    return _linked_sops(data.sop_ids, property_id)


def _linked_sops(sop_ids: list[int], property_id: int) -> list:
    if not sop_ids or not is_registered("sops"):
        return []
    from portal.blueprints.sops.models import Sop

    sops = list(
        db.session.scalars(
            select(Sop).where(Sop.id.in_(set(sop_ids)), Sop.property_id == property_id)
        )
    )
    if len(sops) != len(set(sop_ids)):
        raise DomainError(_("Choose SOPs of this property."), "sop_ids")
    return sops


def _apply(plan: Plan, data: PlanData, sops: list) -> None:
    plan.code = data.code
    plan.kind = data.kind
    plan.every_months = data.every_months
    plan.notice_required = data.notice_required
    plan.target_seconds = data.target_seconds
    wanted = set(data.shifts)
    plan.shifts = [s for s in plan.shifts if s.shift in wanted] + [
        PlanShift(shift=s) for s in sorted(wanted - {s.shift for s in plan.shifts})
    ]
    plan.sops = sops


def _new_version(plan: Plan, number: int, data: PlanData, by: User) -> PlanVersion:
    version = PlanVersion(
        plan=plan, number=number, change_note=data.change_note, created_by_id=by.id
    )
    for name in BILINGUAL:
        for lang in ("en", "zh"):
            setattr(version, f"{name}_{lang}", data.texts.get(f"{name}_{lang}", ""))
    db.session.add(version)
    return version


def _summary(plan: Plan) -> str:
    target = plan.target_seconds if plan.target_seconds is not None else "-"
    shifts = ",".join(plan.shift_list)
    return (
        f"code={plan.code} kind={plan.kind} every_months={plan.every_months} "
        f"shifts={shifts} target_seconds={target} version={plan.current_number}"
    )


def create_plan(property_id: int, data: PlanData, *, by: User) -> Plan:
    sops = _check(data, property_id, None)
    plan = Plan(property_id=property_id, created_by_id=by.id, current_number=1)
    _apply(plan, data, sops)
    db.session.add(plan)
    _new_version(plan, 1, data, by)
    db.session.flush()
    audit.record("drills.plan_created", plan, actor=by, summary=_summary(plan))
    return plan


def revise_plan(plan: Plan, data: PlanData, *, by: User, expected_version: int | None) -> Plan:
    """A new version of the plan's content (and its schedule facts on the plan row)."""
    if expected_version is not None and expected_version != plan.version:
        raise DomainError(str(REVISED_MEANWHILE))
    if not data.change_note:
        raise DomainError(_("Say what changed and why."), "change_note")
    sops = _check(data, plan.property_id, plan.id)
    plan.current_number += 1
    _apply(plan, data, sops)
    _new_version(plan, plan.current_number, data, by)
    db.session.flush()
    audit.record(
        "drills.plan_revised",
        plan,
        actor=by,
        summary=f"{_summary(plan)} note={data.change_note[:200]}",
    )
    return plan


REVISED_MEANWHILE = _l(
    "Someone else revised this plan while you were editing. Reload and try again."
)


def current_version(plan: Plan) -> PlanVersion:
    return db.session.scalars(
        select(PlanVersion).where(
            PlanVersion.plan_id == plan.id, PlanVersion.number == plan.current_number
        )
    ).one()


def list_plans(property_id: int) -> list[tuple[Plan, PlanVersion]]:
    """Every plan of the property with its version in force (one query, shifts one more)."""
    rows = db.session.execute(
        select(Plan, PlanVersion)
        .join(PlanVersion, in_force_join())
        .where(Plan.property_id == property_id)
        .options(selectinload(Plan.shifts))
        .order_by(Plan.kind, Plan.code)
    ).all()
    return [(plan, version) for plan, version in rows]


def get_plan(plan_id: int) -> Plan | None:
    return db.session.get(Plan, plan_id, options=[selectinload(Plan.shifts)])


def history(plan: Plan) -> list[PlanVersion]:
    return list(
        db.session.scalars(
            select(PlanVersion)
            .where(PlanVersion.plan_id == plan.id)
            .options(selectinload(PlanVersion.created_by))
            .order_by(PlanVersion.number.desc())
        )
    )


def plan_choices(property_id: int) -> list[tuple[int, str]]:
    """(id, "FIRE-01 · Fire and evacuation") of every plan of the property (one query)."""
    rows = db.session.execute(
        select(Plan.id, Plan.code, PlanVersion.title_en, PlanVersion.title_zh)
        .join(PlanVersion, in_force_join())
        .where(Plan.property_id == property_id)
        .order_by(Plan.kind, Plan.code)
    )
    return [(row.id, f"{row.code} · {localized(row, 'title')}") for row in rows]


# --- reading: everyone of the property confirms the version in force -----------------------------
def in_force_join():
    """The join condition of a plan and its version in force."""
    return (PlanVersion.plan_id == Plan.id) & (PlanVersion.number == Plan.current_number)


def has_read(version: PlanVersion, person: User) -> PlanRead | None:
    return db.session.scalar(
        select(PlanRead).where(
            PlanRead.plan_version_id == version.id, PlanRead.person_id == person.id
        )
    )


def confirm_read(plan: Plan, version: PlanVersion, person: User) -> PlanRead | None:
    """The person has read the version in force; None when they had already said so (a double
    tap, a second tablet). A version no longer in force is refused."""
    if version.plan_id != plan.id or version.number != plan.current_number:
        raise DomainError(_("A newer version of this plan is in force: read that one."))
    if person.property_id != plan.property_id:
        raise DomainError(_("This plan is another property's."))
    if has_read(version, person) is not None:
        return None
    read = PlanRead(plan_version_id=version.id, person_id=person.id)
    db.session.add(read)
    db.session.flush()
    audit.record(
        "drills.plan_read",
        plan,
        actor=person,
        summary=f"version={version.number}",
    )
    return read


def to_read_clause(person_id, property_id):
    """SQL: the plans of the property whose version in force the person has not confirmed
    (their values may be bound parameters)."""
    return (
        select(Plan.id)
        .join(PlanVersion, in_force_join())
        .where(
            Plan.property_id == property_id,
            ~select(PlanRead.id)
            .where(PlanRead.plan_version_id == PlanVersion.id, PlanRead.person_id == person_id)
            .exists(),
        )
    )


def to_read_ids(person: User) -> set[int]:
    """The ids of the plans the person has still to read (one query)."""
    return set(db.session.scalars(to_read_clause(person.id, person.property_id)))


def readers(version: PlanVersion, property_id: int) -> tuple[int, int]:
    """(people who confirmed this version, active people of the property) in one query."""
    read = (
        select(func.count())
        .select_from(PlanRead)
        .join(User, User.id == PlanRead.person_id)
        .where(PlanRead.plan_version_id == version.id, User.active.is_(True))
        .scalar_subquery()
    )
    people = (
        select(func.count())
        .select_from(User)
        .where(User.property_id == property_id, User.active.is_(True))
        .scalar_subquery()
    )
    got, total = db.session.execute(select(read, people)).one()
    return got or 0, total or 0

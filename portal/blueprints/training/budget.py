"""The training budget: what a year's sessions cost against the property's annual budget.

A session costs its programme's cost per session. Spent: the sessions of the year that have
ended; planned: every session of the year (spent and still to come). Years are the property's
calendar years (local time).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import case, func, select

from portal import audit
from portal.blueprints.people.models import User
from portal.blueprints.training.models import (
    DEFAULT_ANNUAL_BUDGET,
    Programme,
    TrainingSession,
    TrainingSettings,
)
from portal.database import advisory_lock, utcnow
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import gettext as _
from portal.i18n import local_day_start

MAX_BUDGET = Decimal("9999999999")


def annual_budget(property_id: int) -> Decimal:
    settings = db.session.get(TrainingSettings, property_id)
    return settings.annual_budget if settings is not None else DEFAULT_ANNUAL_BUDGET


def set_annual_budget(property_id: int, amount: Decimal, *, by: User) -> TrainingSettings:
    if amount is None or amount < 0 or amount > MAX_BUDGET:
        raise DomainError(_("A budget is between 0 and 9,999,999,999."), "annual_budget")
    advisory_lock(f"training_settings:{property_id}")  # two people saving at once: one row
    settings = db.session.get(TrainingSettings, property_id)
    before = settings.annual_budget if settings is not None else DEFAULT_ANNUAL_BUDGET
    if settings is None:
        settings = TrainingSettings(property_id=property_id)
        db.session.add(settings)
    settings.annual_budget = amount
    settings.updated_by_id = by.id
    settings.updated_at = utcnow()
    db.session.flush()
    if amount != before:
        audit.record(
            "training.budget_changed",
            actor=by,
            property_id=property_id,
            object_type=TrainingSettings.__tablename__,
            object_id=property_id,
            summary=f"annual budget: {before} -> {amount}",
        )
    return settings


def year_bounds(year: int):
    return local_day_start(date(year, 1, 1)), local_day_start(date(year + 1, 1, 1))


def spend_columns(property_id, start, end, now):
    """(spent, planned) of the year from `start` to `end` as SQL sums, spent being what
    sessions ended by `now` cost (the home card reads them with the other cards' numbers; every
    value may be a bound parameter)."""
    cost = Programme.cost_per_session
    base = (
        select()
        .select_from(TrainingSession)
        .join(Programme, Programme.id == TrainingSession.programme_id)
        .where(
            TrainingSession.property_id == property_id,
            TrainingSession.starts_at >= start,
            TrainingSession.starts_at < end,
        )
    )
    ended = TrainingSession.ends_at <= now
    return (
        base.add_columns(func.sum(case((ended, cost), else_=0))).scalar_subquery(),
        base.add_columns(func.sum(cost)).scalar_subquery(),
    )


@dataclass(frozen=True)
class Line:
    programme_id: int
    title_en: str
    title_zh: str
    sessions: int
    held: int
    spent: Decimal
    planned: Decimal

    @property
    def title(self) -> str:
        from portal.i18n import localized

        return localized(self, "title")


@dataclass(frozen=True)
class Year:
    year: int
    budget: Decimal
    lines: list[Line]

    @property
    def spent(self) -> Decimal:
        return sum((line.spent for line in self.lines), Decimal("0"))

    @property
    def planned(self) -> Decimal:
        return sum((line.planned for line in self.lines), Decimal("0"))

    @property
    def sessions(self) -> int:
        return sum(line.sessions for line in self.lines)

    def share(self, amount: Decimal) -> int:
        """Percent of the budget, rounded down (0 when there is no budget)."""
        if not self.budget:
            return 0
        return int(amount * 100 // self.budget)

    @property
    def over(self) -> bool:
        return self.planned > self.budget


def year_of(property_id: int, year: int) -> Year:
    """The year's spend per programme, in one query (and the budget: one more)."""
    start, end = year_bounds(year)
    ended = TrainingSession.ends_at <= utcnow()
    cost = Programme.cost_per_session
    rows = db.session.execute(
        select(
            Programme.id,
            Programme.title_en,
            Programme.title_zh,
            func.count(TrainingSession.id),
            func.sum(case((ended, 1), else_=0)),
            func.sum(case((ended, cost), else_=0)),
            func.sum(cost),
        )
        .join(TrainingSession, TrainingSession.programme_id == Programme.id)
        .where(
            TrainingSession.property_id == property_id,
            TrainingSession.starts_at >= start,
            TrainingSession.starts_at < end,
        )
        .group_by(Programme.id, Programme.title_en, Programme.title_zh)
        .order_by(func.sum(cost).desc(), Programme.title_en)
    ).all()
    lines = [
        Line(pid, en, zh, n, int(held or 0), Decimal(spent or 0), Decimal(planned or 0))
        for pid, en, zh, n, held, spent, planned in rows
    ]
    return Year(year, annual_budget(property_id), lines)

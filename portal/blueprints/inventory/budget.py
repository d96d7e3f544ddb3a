"""Cost control: what each department spent on supplies in a month against its budget.

A department's spend is the value of what the stores issued to it (issues and room top-ups),
less what it gave back (returns), less reversals of either: every movement that names the
department, its value counted out when stock left a store for it and back when it came back.
Losses and stocktake adjustments are the stores' own and are not a department's spend.

Months are the property's calendar months (its time zone). The rule of the house: spend stays
within 90% of the budget; over the 90% line is a warning, over the budget a breach.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, select
from sqlalchemy.exc import IntegrityError

from portal import audit
from portal.blueprints.inventory.models import Budget, Movement
from portal.blueprints.people.models import Department, User
from portal.database import utcnow
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l
from portal.i18n import select_timezone

LINE = Decimal("0.90")  # spend stays within 90% of the budget
MAX_BUDGET = Decimal("99999999")  # what a month's budget of one department may be
# The state of a month's spend: (its badge's class, its words), for the page and the card.
STATES = {
    "none": ("text-bg-secondary", _l("No budget")),
    "within": ("text-bg-success", _l("Within 90%")),
    "near": ("text-bg-warning", _l("Near the budget (past 90%)")),
    "over": ("text-bg-danger", _l("Over budget")),
}
MONTHS = 12  # the chart's months, the chosen one last
WIDTH, HEIGHT = 600, 220
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 12, 28


def first_of(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def month_start(month: date) -> datetime:
    """The first moment of a month of the property's calendar, in UTC."""
    zone = ZoneInfo(select_timezone())
    return datetime.combine(month, time.min, zone).astimezone(UTC)


def spend(property_id: int, months: list[date]) -> dict[tuple[int, date], Decimal]:
    """(department id, month) -> spend, for consecutive months, in one statement."""
    if not months:
        return {}
    bounds = [(m, month_start(m), month_start(add_months(m, 1))) for m in months]
    bucket = case(
        *[(and_(Movement.at >= s, Movement.at < e), i) for i, (_m, s, e) in enumerate(bounds)],
        else_=None,
    )
    signed = case((Movement.change < 0, Movement.value), else_=-Movement.value)
    rows = db.session.execute(
        select(Movement.department_id, bucket.label("bucket"), func.sum(signed))
        .where(
            Movement.property_id == property_id,
            Movement.department_id.is_not(None),
            Movement.at >= bounds[0][1],
            Movement.at < bounds[-1][2],
        )
        .group_by(Movement.department_id, bucket)
    ).all()
    return {
        (department_id, bounds[index][0]): Decimal(str(total)).quantize(Decimal("0.01"))
        for department_id, index, total in rows
        if index is not None
    }


def budgets(property_id: int, months: list[date]) -> dict[tuple[int, date], Decimal]:
    rows = db.session.execute(
        select(Budget.department_id, Budget.month, Budget.amount).where(
            Budget.property_id == property_id, Budget.month.in_(months)
        )
    ).all()
    return {(department_id, month): amount for department_id, month, amount in rows}


@dataclass(frozen=True)
class Line:
    """One department (or the total) in one month."""

    department: Department | None
    month: date
    budget: Decimal | None
    spent: Decimal

    @property
    def share(self) -> Decimal | None:
        """Spent, as a percent of the budget."""
        if not self.budget:
            return None
        return (Decimal(100) * self.spent / self.budget).quantize(Decimal("1"))

    @property
    def state(self) -> str:
        """ "none" (no budget), "within" (up to the 90% line), "near" (past it), "over"."""
        if self.budget is None:
            return "none"
        if self.spent > self.budget:
            return "over"
        return "near" if self.spent > self.budget * LINE else "within"

    @property
    def badge(self) -> str:
        return STATES[self.state][0]

    @property
    def state_label(self) -> str:
        return str(STATES[self.state][1])


@dataclass(frozen=True)
class Figures:
    """Spend and budgets of the MONTHS months up to `last`: two statements for the page."""

    months: list[date]
    spent: dict[tuple[int, date], Decimal]
    planned: dict[tuple[int, date], Decimal]


def figures(property_id: int, last: date) -> Figures:
    months = [add_months(last, n) for n in range(-MONTHS + 1, 1)]
    return Figures(months, spend(property_id, months), budgets(property_id, months))


def month_lines(found: Figures, departments: list[Department]) -> list[Line]:
    """Every department in the last month, then the property's total."""
    month = found.months[-1]
    lines = [
        Line(
            d,
            month,
            found.planned.get((d.id, month)),
            found.spent.get((d.id, month), Decimal("0.00")),
        )
        for d in departments
    ]
    budgets_set = [line.budget for line in lines if line.budget is not None]
    lines.append(
        Line(
            None,
            month,
            sum(budgets_set, start=Decimal("0")) if budgets_set else None,
            sum((line.spent for line in lines), start=Decimal("0.00")),
        )
    )
    return lines


def trend(found: Figures, department_id: int | None) -> list[Line]:
    """Month by month, for one department or (None) the whole property."""
    lines = []
    for m in found.months:
        if department_id is None:
            values = [v for (_d, mm), v in found.spent.items() if mm == m]
            plans = [v for (_d, mm), v in found.planned.items() if mm == m]
            budget = sum(plans, start=Decimal("0")) if plans else None
            lines.append(Line(None, m, budget, sum(values, start=Decimal("0.00"))))
        else:
            spent = found.spent.get((department_id, m), Decimal("0.00"))
            lines.append(Line(None, m, found.planned.get((department_id, m)), spent))
    return lines


@dataclass(frozen=True)
class Bar:
    line: Line
    x: float
    y: float
    width: float
    height: float
    budget_y: float | None  # the budget's level over this bar
    line_y: float | None  # the 90% line's


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    ticks: list[tuple[float, Decimal]]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom_y: float = HEIGHT - BOTTOM


def chart(lines: list[Line]) -> Chart | None:
    """Bars of spend per month, the budget and its 90% line drawn over each."""
    top = max([line.spent for line in lines] + [line.budget or 0 for line in lines])
    if not top:
        return None
    step = _step(Decimal(top))
    axis_top = (Decimal(top) / step).to_integral_value(rounding="ROUND_CEILING") * step
    plot_h, plot_w = HEIGHT - TOP - BOTTOM, WIDTH - LEFT - RIGHT
    scale = plot_h / float(axis_top)
    slot = plot_w / len(lines)

    def y(value) -> float:
        return TOP + plot_h - float(value) * scale

    bars = [
        Bar(
            line,
            x=LEFT + i * slot + slot * 0.15,
            y=y(line.spent),
            width=slot * 0.7,
            height=float(line.spent) * scale,
            budget_y=y(line.budget) if line.budget is not None else None,
            line_y=y(line.budget * LINE) if line.budget is not None else None,
        )
        for i, line in enumerate(lines)
    ]
    count = int(axis_top / step)
    ticks = [(y(step * n), step * n) for n in range(count + 1)]
    return Chart(bars, ticks)


def _step(top: Decimal) -> Decimal:
    """A round step giving four to eight ticks."""
    step = Decimal(1)
    while top / step > 8:
        for factor in (2, Decimal("2.5"), 2):
            step *= factor
            if top / step <= 8:
                return step
    return step


def set_budget(department: Department, month: date, amount, *, by: User) -> Budget:
    """A department's budget for a month (a new one or a change); audited with the old."""
    if amount is None:
        raise DomainError(_("Give the month's budget."), "amount")
    amount = Decimal(amount)
    if not amount.is_finite() or amount < 0 or amount > MAX_BUDGET:
        raise DomainError(_("A budget is between 0 and 99,999,999."), "amount")
    if amount != amount.quantize(Decimal("0.01")):
        raise DomainError(_("A budget has at most two decimals."), "amount")
    month = first_of(month)
    found = db.session.scalar(
        select(Budget).where(Budget.department_id == department.id, Budget.month == month)
    )
    before = found.amount if found else None
    if found is None:
        found = Budget(
            property_id=department.property_id,
            department_id=department.id,
            month=month,
            amount=amount,
            set_by_id=by.id,
        )
        try:
            with db.session.begin_nested():
                db.session.add(found)
        except IntegrityError:  # a colleague set it at this very moment: this one is later
            found = db.session.scalar(
                select(Budget).where(Budget.department_id == department.id, Budget.month == month)
            )
            before = found.amount
    if found.amount != amount or found.set_by_id != by.id:
        found.amount, found.set_by_id, found.set_at = amount, by.id, utcnow()
    db.session.flush()
    audit.record(
        "inventory.budget_set",
        found,
        actor=by,
        summary=f"{department.code} {month:%Y-%m}: {before} -> {amount}",
    )
    return found

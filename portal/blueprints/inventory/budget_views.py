"""Cost control: a month's spend on supplies per department against its budget, the last twelve
months as a chart, and the budgets set by the managers."""

from __future__ import annotations

import re
from datetime import date

from flask import abort, flash, request, url_for
from flask_login import current_user

from portal.blueprints.inventory import bp, budget
from portal.blueprints.inventory.forms import BudgetForm
from portal.blueprints.inventory.permissions import can_set_budget, can_view_budget
from portal.blueprints.people import services as people
from portal.errors import DomainError
from portal.extensions import db
from portal.htmx import redirect_to, render
from portal.i18n import gettext as _
from portal.i18n import local_today
from portal.pagination import int_arg
from portal.permissions import in_property
from portal.security import LARGEST_ID, bounded_id, require

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _month() -> date:
    """?month=2026-11 (a month that can be: else this month)."""
    found = MONTH.match(request.args.get("month") or "")
    this = budget.first_of(local_today())
    if found:
        year, month = int(found.group(1)), int(found.group(2))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return date(year, month, 1)
    return this


def _show(month: date, status: int = 200, refused: dict | None = None):
    require(can_view_budget)
    property_id = current_user.property_id
    departments = people.property_departments(property_id)
    chosen = int_arg("department", 0, 0, LARGEST_ID)
    if chosen not in {d.id for d in departments}:
        chosen = 0
    found = budget.figures(property_id, month)
    lines = budget.month_lines(found, departments)
    trend = budget.trend(found, chosen or None)
    return render(
        "inventory/budget.html",
        status=status,
        month=month,
        previous=budget.add_months(month, -1),
        following=budget.add_months(month, 1),
        this_month=budget.first_of(local_today()),
        lines=lines,
        departments=departments,
        chosen=chosen,
        chosen_name=next((d.name for d in departments if d.id == chosen), None),
        trend=trend,
        chart=budget.chart(trend),
        may_set=any(can_set_budget(current_user, d) for d in departments[:1]),
        refused=refused,
        states=budget.STATES,
    )


@bp.get("/budget")
def spend_budget():
    return _show(_month())


@bp.post("/budget/<int:department_id>")
def set_budget(department_id: int):
    department = people.get_department(bounded_id(department_id))
    if department is None:
        abort(404)
    elsewhere = not in_property(current_user, department.property_id)  # hidden: 404
    require(can_view_budget, department, hide=elsewhere)
    require(can_set_budget, department, hide=elsewhere)
    month = _month()
    form = BudgetForm()
    if form.validate():
        try:
            budget.set_budget(department, month, form.amount.number, by=current_user)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            error.attach(form)
    if form.errors or form.form_errors:
        message = next(iter([*form.form_errors, *form.amount.errors]))
        refused = {"department_id": department.id, "message": message, "typed": form.amount.data}
        return _show(month, 422, refused)
    flash(
        _(
            "Budget of %(department)s for %(month)s saved.",
            department=department.name,
            month=f"{month:%Y-%m}",
        ),
        "success",
    )
    return redirect_to(url_for("inventory.spend_budget", month=f"{month:%Y-%m}"))

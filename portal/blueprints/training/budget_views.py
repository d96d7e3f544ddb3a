"""The training budget page: the year's spend and plan per programme against the budget, and
HR's setting of the budget."""

from __future__ import annotations

from flask import flash, url_for
from flask_login import current_user

from portal.blueprints.training import bp, budget
from portal.blueprints.training.forms import BudgetForm
from portal.blueprints.training.permissions import can_set_budget, can_view_budget
from portal.errors import DomainError
from portal.extensions import db
from portal.htmx import redirect_to, render
from portal.i18n import gettext as _
from portal.i18n import local_today
from portal.pagination import int_arg
from portal.security import require

FIRST_YEAR = 2000


def _page(year: int, form: BudgetForm, status: int = 200):
    return render(
        "training/budget.html",
        status=status,
        y=budget.year_of(current_user.property_id, year),
        form=form,
        may_set=can_set_budget(current_user),
        this_year=local_today().year,
    )


@bp.get("/budget")
def budget_page():
    require(can_view_budget)
    this_year = local_today().year
    year = int_arg("year", this_year, FIRST_YEAR, this_year + 5)
    form = BudgetForm(formdata=None)
    form.annual_budget.data = budget.annual_budget(current_user.property_id)
    return _page(year, form)


@bp.post("/budget")
def set_budget():
    require(can_set_budget)
    form = BudgetForm()
    year = local_today().year
    if not form.validate():
        return _page(year, form, status=422)
    try:
        budget.set_annual_budget(current_user.property_id, form.annual_budget.data, by=current_user)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        error.attach(form)
        return _page(year, form, status=422)
    flash(_("Budget saved."), "success")
    return redirect_to(url_for("training.budget_page"))

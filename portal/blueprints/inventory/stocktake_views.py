"""Stocktakes: a store's counts, freezing a count sheet, counting on a tablet row by row (each
count an htmx swap of its row), posting the variances, and the printed count sheet."""

from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_login import current_user

from portal.blueprints.inventory import bp, catalogue, pdf
from portal.blueprints.inventory import stocktake as counts
from portal.blueprints.inventory.forms import CountForm, FreezeForm
from portal.blueprints.inventory.models import StocktakeLine, StocktakeStatus
from portal.blueprints.inventory.permissions import (
    can_count,
    can_freeze,
    can_post_stocktake,
    can_view_stock,
    sees_expected,
)
from portal.blueprints.inventory.reorder_views import viewable_store as _store
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import EmptyForm
from portal.htmx import is_htmx, redirect_to, render, trigger
from portal.i18n import gettext as _
from portal.i18n import local_today
from portal.security import bounded_id, require


def _stocktake(stocktake_id: int):
    found = counts.get(bounded_id(stocktake_id))
    if found is None:
        abort(404)
    require(can_view_stock, found)
    return found


# --- a store's counts ---------------------------------------------------------------------------
def _show_store(store, form: FreezeForm, status: int = 200):
    return render(
        "inventory/stocktakes.html",
        status=status,
        store=store,
        stores=catalogue.stores_of(store.property_id),
        stocktakes=counts.of_store(store),
        may_freeze=can_freeze(current_user, store),
        form=form,
    )


@bp.get("/stores/<int:store_id>/stocktakes")
def stocktakes(store_id: int):
    return _show_store(_store(store_id), FreezeForm())


@bp.post("/stores/<int:store_id>/stocktakes")
def freeze(store_id: int):
    store = _store(store_id)
    require(can_freeze, store, hide=False)  # the store is theirs to see
    form = FreezeForm()
    if not form.validate():
        return _show_store(store, form, 422)
    try:
        made = counts.freeze(store, by=current_user, show_expected=form.show_expected.data)
        db.session.commit()
    except counts.Already as error:  # a double tap, or a colleague first: that count
        db.session.rollback()
        if error.stocktake is not None:
            flash(error.message, "info")
            return redirect_to(url_for("inventory.stocktake", stocktake_id=error.stocktake.id))
        form.form_errors.append(error.message)
        return _show_store(store, form, 409)
    except DomainError as error:
        db.session.rollback()
        form.form_errors.append(error.message)
        return _show_store(store, form, 409)
    flash(_("Count sheet frozen: count item by item."), "success")
    return redirect_to(url_for("inventory.stocktake", stocktake_id=made.id))


# --- one count ----------------------------------------------------------------------------------
def _context(found, errors=None, typed=None, *, lines=True) -> dict:
    return {
        "st": found,
        "lines": counts.lines_of(found) if lines else [],
        "progress": counts.progress(found),
        "counting": found.status == StocktakeStatus.COUNTING,
        "may_count": can_count(current_user, found),
        "may_post": can_post_stocktake(current_user, found),
        "expected_shown": sees_expected(current_user, found),
        "errors": errors or {},
        "typed": typed or {},
        "form": EmptyForm(),
    }


@bp.get("/stocktakes/<int:stocktake_id>")
def stocktake(stocktake_id: int):
    return render("inventory/stocktake.html", **_context(_stocktake(stocktake_id)))


@bp.get("/stocktakes/<int:stocktake_id>/summary")
def stocktake_summary(stocktake_id: int):
    """The progress and variance panel, drawn again after each count (inventory:counted)."""
    found = _stocktake(stocktake_id)
    return render("inventory/stocktake.html", block="summary", **_context(found, lines=False))


def _line(found, line_id: int) -> StocktakeLine:
    line = db.session.get(StocktakeLine, bounded_id(line_id))
    if line is None or line.stocktake_id != found.id:
        abort(404)
    return line


@bp.post("/stocktakes/<int:stocktake_id>/lines/<int:line_id>")
def count(stocktake_id: int, line_id: int):
    found = _stocktake(stocktake_id)
    require(can_count, found, hide=False)  # they see the count, not keep the store
    line = _line(found, line_id)
    form = CountForm()
    error = None
    if not form.validate():
        error = next(
            iter(form.counted.errors or form.form_errors), _("Reload the page and try again.")
        )
    else:
        try:
            counts.count(line, form.counted.number, by=current_user)
            db.session.commit()
        except DomainError as refused:
            db.session.rollback()
            error = refused.message
            found, line = _stocktake(stocktake_id), _line(found, line_id)
    if error is not None:
        return _line_answer(found, line, error=error, typed=form.counted.data)
    if is_htmx():
        return trigger(_line_answer(found, line), "inventory:counted")
    return redirect_to(
        url_for("inventory.stocktake", stocktake_id=found.id, _anchor=f"line-{line.id}")
    )


def _line_answer(found, line, *, error=None, typed=None):
    """The row again (htmx), or the whole sheet with the row's message (422 on bad input)."""
    errors = {line.id: error} if error else {}
    values = {line.id: typed} if error else {}
    if is_htmx():  # the row only: the sheet's other lines are not read
        context = _context(found, errors, values, lines=False)
        return render("inventory/stocktake.html", block="line", line=line, **context)
    status = 422 if error else 200
    return render("inventory/stocktake.html", status=status, **_context(found, errors, values))


def _close(stocktake_id: int, step, done: str):
    found = _stocktake(stocktake_id)
    require(can_post_stocktake, found, hide=False)  # they see the count, not post it
    if not EmptyForm().validate():
        flash(_("Reload the page and try again."), "danger")
        return render("inventory/stocktake.html", status=400, **_context(found))
    try:
        step(found, by=current_user)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        db.session.expire_all()
        flash(error.message, "danger")
        return render("inventory/stocktake.html", status=409, **_context(_stocktake(stocktake_id)))
    flash(done, "success")
    return redirect_to(url_for("inventory.stocktake", stocktake_id=found.id))


@bp.post("/stocktakes/<int:stocktake_id>/post")
def post_stocktake(stocktake_id: int):
    return _close(
        stocktake_id, counts.post, _("Stocktake posted: the stock now is what was counted.")
    )


@bp.post("/stocktakes/<int:stocktake_id>/cancel")
def cancel_stocktake(stocktake_id: int):
    return _close(stocktake_id, counts.cancel, _("Stocktake cancelled: nothing was adjusted."))


@bp.get("/stocktakes/<int:stocktake_id>/sheet.pdf")
def count_sheet(stocktake_id: int):
    found = _stocktake(stocktake_id)
    lang = request.args.get("lang") or "both"
    if lang not in pdf.LANGUAGES:
        abort(400)
    return pdf.count_sheet(found, lang).send()


# --- the cycle-count plan -----------------------------------------------------------------------
def _show_cycle(store, status: int = 200):
    from portal.blueprints.inventory import cycle

    planned = cycle.plan(store)
    today = local_today()
    due = cycle.due(planned, today)
    return render(
        "inventory/cycle.html",
        status=status,
        store=store,
        stores=catalogue.stores_of(store.property_id),
        classes=[
            (name, cycle.LABELS[name], sum(1 for p in planned if p.klass == name))
            for name, _share, _days in cycle.CLASSES
        ],
        due=due,
        running=counts.counting_in(store),
        may_freeze=can_freeze(current_user, store),
        form=FreezeForm(),
    )


@bp.get("/stores/<int:store_id>/cycle-count")
def cycle_count(store_id: int):
    return _show_cycle(_store(store_id))


@bp.post("/stores/<int:store_id>/cycle-count")
def freeze_cycle(store_id: int):
    from portal.blueprints.inventory import cycle

    store = _store(store_id)
    require(can_freeze, store, hide=False)
    form = FreezeForm()
    if not form.validate():
        flash(_("Reload the page and try again."), "danger")
        return _show_cycle(store, 400)
    due = [p.level.item_id for p in cycle.due(cycle.plan(store), local_today())]
    try:
        made = counts.freeze(
            store, by=current_user, show_expected=form.show_expected.data, item_ids=due
        )
        db.session.commit()
    except counts.Already as error:
        db.session.rollback()
        flash(error.message, "info")
        if error.stocktake is not None:
            return redirect_to(url_for("inventory.stocktake", stocktake_id=error.stocktake.id))
        return _show_cycle(store, 409)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "info")
        return _show_cycle(store, 409)
    flash(_("Count sheet frozen: count item by item."), "success")
    return redirect_to(url_for("inventory.stocktake", stocktake_id=made.id))

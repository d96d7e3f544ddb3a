"""Supply requests on the terminal: ask, see where mine are, approve or change (supervisors),
issue (the store). Each step is a plain form post that htmx swaps in place."""

from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_login import current_user

from portal.blueprints.inventory import bp, catalogue, requests
from portal.blueprints.inventory.forms import (
    IN_FORM_LINES,
    MAX_REQUEST_LINES,
    DecideForm,
    RequestForm,
    line_quantity,
)
from portal.blueprints.inventory.models import CATEGORY_LABELS, RequestStatus
from portal.blueprints.inventory.permissions import (
    can_approve_requests,
    can_cancel_request,
    can_decide,
    can_issue_request,
    can_request,
    can_see_queue,
    can_see_request,
    keeps_store,
)
from portal.errors import DomainError
from portal.extensions import db
from portal.htmx import is_htmx, redirect_to, render, render_form
from portal.i18n import gettext as _
from portal.security import LARGEST_ID, bounded_id, require
from portal.submit import create_from_form


def _request(request_id: int):
    found = requests.get_request(bounded_id(request_id))
    if found is None:
        abort(404)
    require(can_see_request, found)
    return found


def _grouped_items(property_id: int) -> list[tuple[str, list]]:
    """The items to choose from, by category (an optgroup each)."""
    groups: dict[str, list] = {}
    for item in catalogue.items_of(property_id):
        groups.setdefault(item.category, []).append(item)
    return [(str(CATEGORY_LABELS[c]), groups[c]) for c in CATEGORY_LABELS if c in groups]


def _request_stores():
    """Stores one asks from: the main store, the linen room, the spa store (not pantries)."""
    return [s for s in catalogue.stores_of(current_user.property_id) if s.kind != "pantry"]


@bp.get("/requests")
def my_requests():
    require(can_request)
    return render(
        "inventory/requests.html",
        mine=requests.mine(current_user),
        may_approve=can_approve_requests(current_user),
    )


def _show_new(form, lines, errors, status=200):
    return render(
        "inventory/request_new.html",
        block="request_form",
        status=status,
        form=form,
        lines=lines,
        line_errors=errors,
        groups=_grouped_items(current_user.property_id),
    )


@bp.get("/requests/new")
def new_request():
    require(can_request)
    form = RequestForm()
    stores = _request_stores()
    form.store_id.choices = [(s.id, s.name) for s in stores]
    item_id = request.args.get("item", type=int)
    lines = [{"item_id": None, "quantity": ""} for _n in range(IN_FORM_LINES)]
    lines[0]["item_id"] = item_id
    return _show_new(form, lines, {})


def _posted_lines():
    """The posted rows (item_id-N, quantity-N): [(item, quantity)], the rows as typed, and
    {row: error}. An empty row is skipped."""
    items = {i.id: i for i in catalogue.items_of(current_user.property_id)}
    typed, chosen, errors = [], [], {}
    for n in range(MAX_REQUEST_LINES + 1):
        raw_item = (request.form.get(f"item_id-{n}") or "").strip()
        raw_quantity = (request.form.get(f"quantity-{n}") or "").strip()
        if f"item_id-{n}" not in request.form and f"quantity-{n}" not in request.form:
            continue
        item_id = int(raw_item) if raw_item.isdecimal() and len(raw_item) < 11 else None
        typed.append({"item_id": item_id, "quantity": raw_quantity[:20]})
        if not raw_item and not raw_quantity:
            continue
        row = len(typed) - 1
        item = items.get(item_id) if item_id and item_id <= LARGEST_ID else None
        if item is None:
            errors[row] = _("Choose the item.")
            continue
        value, error = line_quantity(raw_quantity, required=True)
        if error:
            errors[row] = str(error)
            continue
        chosen.append((item, value, row))
    return chosen, typed, errors


@bp.post("/requests/new")
def create_request():
    require(can_request)
    form = RequestForm()
    stores = _request_stores()
    form.store_id.choices = [(s.id, s.name) for s in stores]
    chosen, typed, errors = _posted_lines()
    while len(typed) < IN_FORM_LINES:
        typed.append({"item_id": None, "quantity": ""})
    valid = form.validate()
    if not chosen and not errors:
        form.form_errors.append(_("Ask for at least one item."))
        valid = False
    if not valid or errors:
        return _show_new(form, typed, errors, status=200 if is_htmx() else 422)
    store = next((s for s in stores if s.id == form.store_id.data), None)

    def create() -> str:
        try:
            made = requests.create(
                current_user,
                store,
                form.for_where.data,
                [(item, q) for item, q, _row in chosen],
                note=form.note.data or "",
            )
        except DomainError as error:
            if error.field == "lines":
                error.field = None
            raise
        return url_for("inventory.request_detail", request_id=made.id)

    created = create_from_form(
        form,
        current_user,
        create,
        duplicate=lambda: DomainError(_("Reload the page and try again.")),
    )
    if created is None:
        return _show_new(form, typed, errors, status=200 if is_htmx() else 422)
    if created.first:
        flash(_("Your request is sent to your supervisor."), "success")
    return redirect_to(created.url)


def _show(found, status=200, form=None):
    return render(
        "inventory/request.html",
        block="request_panel",
        status=status,
        **_context(found, form or DecideForm()),
    )


def _on_hand(found) -> dict[int, object]:
    from portal.blueprints.inventory import stock

    if found.status not in (RequestStatus.OPEN, RequestStatus.APPROVED):
        return {}
    if not keeps_store(current_user, found.store) and not can_decide(current_user, found):
        return {}
    return stock.on_hand_many(found.store_id, [line.item_id for line in found.lines])


@bp.get("/requests/<int:request_id>")
def request_detail(request_id: int):
    return _show(_request(request_id))


def _refused(request_id: int, message: str, form=None):
    db.session.rollback()
    db.session.expire_all()
    flash(message, "danger")
    return _show(_request(request_id), status=409, form=form)


@bp.post("/requests/<int:request_id>/approve")
def approve_request(request_id: int):
    found = _request(request_id)
    require(can_decide, found)
    form = DecideForm()
    if not form.validate():
        return render_form("inventory/request.html", "request_panel", **_context(found, form))
    approved = {}
    for line in found.lines:
        value, error = line_quantity(request.form.get(f"approved-{line.id}"))
        if error:
            form.form_errors.append(f"{line.item.name}: {error}")
            return render_form("inventory/request.html", "request_panel", **_context(found, form))
        approved[line.id] = line.quantity if value is None else value
    try:
        requests.approve(found, approved, by=current_user, note=form.note.data or "")
        db.session.commit()
    except DomainError as error:
        if error.field != "lines":  # taken meanwhile: a conflict
            return _refused(request_id, error.message, form)
        db.session.rollback()  # a quantity that cannot be: bad input, said above the lines
        form.form_errors.append(error.message)
        return render_form(
            "inventory/request.html", "request_panel", **_context(_request(request_id), form)
        )
    flash(_("Request %(no)s approved: the store issues it.", no=found.id), "success")
    return _done(found)


@bp.post("/requests/<int:request_id>/refuse")
def refuse_request(request_id: int):
    found = _request(request_id)
    require(can_decide, found)
    form = DecideForm()
    if not form.validate():
        return render_form("inventory/request.html", "request_panel", **_context(found, form))
    if not (form.note.data or "").strip():
        form.note.errors = [_("Say why, so that the requester knows what to do.")]
        return render_form("inventory/request.html", "request_panel", **_context(found, form))
    try:
        requests.refuse(found, form.note.data, by=current_user)
        db.session.commit()
    except DomainError as error:
        return _refused(request_id, error.message, form)
    flash(_("Request %(no)s not approved; the requester is told why.", no=found.id), "info")
    return _done(found)


@bp.post("/requests/<int:request_id>/cancel")
def cancel_request(request_id: int):
    found = _request(request_id)
    require(can_cancel_request, found)
    if not DecideForm().validate():
        return _refused(request_id, _("Reload the page and try again."))
    try:
        requests.cancel(found, by=current_user)
        db.session.commit()
    except DomainError as error:
        return _refused(request_id, error.message)
    flash(_("Request %(no)s cancelled.", no=found.id), "info")
    return _done(found)


@bp.post("/requests/<int:request_id>/issue")
def issue_request(request_id: int):
    found = _request(request_id)
    require(can_issue_request, found)
    if not DecideForm().validate():
        return _refused(request_id, _("Reload the page and try again."))
    try:
        requests.issue(found, by=current_user)
        db.session.commit()
    except DomainError as error:
        return _refused(request_id, error.message)
    flash(_("Request %(no)s issued.", no=found.id), "success")
    return _done(found)


def _done(found):
    """After a step: the panel again in place (htmx), or the request's page (a plain post)."""
    if is_htmx():
        return _show(_request(found.id))
    return redirect_to(url_for("inventory.request_detail", request_id=found.id))


def _context(found, form) -> dict:
    return {
        "req": found,
        "form": form,
        "may_decide": can_decide(current_user, found),
        "may_issue": can_issue_request(current_user, found),
        "may_cancel": can_cancel_request(current_user, found),
        "on_hand": _on_hand(found),
    }


@bp.get("/requests/queue")
def request_queue():
    """What waits for me: requests to approve (supervisors), to issue (the stores I keep)."""
    require(can_see_queue)
    stores = catalogue.stores_of(current_user.property_id)
    kept = [s.id for s in stores if keeps_store(current_user, s)]
    return render(
        "inventory/queue.html",
        to_decide=requests.to_decide(current_user) if can_approve_requests(current_user) else [],
        to_issue=requests.to_issue(kept),
    )

"""SOP pages: parse -> load -> require(can_...) -> one operation -> commit once -> answer."""

import re
from datetime import timedelta

from flask import abort, flash, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from portal import sessions
from portal.blueprints.people import services as people
from portal.blueprints.people.models import Department, Property, User
from portal.blueprints.sops import bp, cards, reading, rules, services
from portal.blueprints.sops import pdf as documents
from portal.blueprints.sops.compare import compare_versions
from portal.blueprints.sops.forms import (
    ApproveForm,
    EditSopForm,
    NewSopForm,
    NewVersionForm,
    RetireForm,
    ReturnForm,
    ReviewForm,
    SettingsForm,
)
from portal.blueprints.sops.models import ChangeKind, Sop, SopVersion, Stage, VersionStatus
from portal.blueprints.sops.permissions import (
    approves,
    can_approve_version,
    can_change_settings,
    can_edit_version,
    can_follow_person,
    can_follow_up,
    can_list_sops,
    can_manage_sop,
    can_print_binder,
    can_read_sop,
    can_remind,
    can_review_version,
    can_view_version,
    can_write_sops,
)
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import EmptyForm
from portal.htmx import is_htmx, redirect_to, render, render_form, trigger
from portal.i18n import fmt_date, local_day_start, local_today, ngettext
from portal.i18n import gettext as _
from portal.pagination import int_arg
from portal.permissions import in_property
from portal.roles import Role
from portal.security import require
from portal.submit import apply_action, create_from_form, save_from_form

LARGEST_ID = 2**31 - 1  # ids are INTEGER columns: a larger number names nothing


def _load_version(version_id: int) -> SopVersion:
    return db.get_or_404(
        SopVersion,
        version_id,
        options=[selectinload(SopVersion.steps), selectinload(SopVersion.sop)],
    )


# --- list ---------------------------------------------------------------------------------------
@bp.get("/")
def index():
    require(can_list_sops)
    q = (request.args.get("q") or "").strip()[:80]
    scope = request.args.get("scope", "mine" if current_user.role == Role.EMPLOYEE else "all")
    department_id = int_arg("department", 0)  # an id out of range matches nothing
    writer = can_write_sops(current_user)
    page = reading.list_sops(
        current_user,
        q=q,
        department_id=department_id or None,
        mine=scope == "mine",
        include_unpublished=writer,
        paged=True,
    )
    return render(
        "sops/index.html",
        block="sop_results",
        page=page,
        rows=page.items,
        q=q,
        scope=scope,
        department_id=department_id,
        departments=people.property_departments(current_user.property_id),
        writer=writer,
        overdue=reading.overdue_reviews(current_user.property_id) if writer else [],
        awaiting=reading.awaiting_approval(current_user) if writer else [],
        may_change_settings=can_change_settings(current_user, current_user.property),
    )


# --- writing ------------------------------------------------------------------------------------
# The editor's buttons that change the form without saving it: "Add a step" and a step's "Move
# up" / "Move down" post the whole form (htmx swaps it, without script the page comes back), and
# the form is shown again with the typed text kept and nothing saved.
MOVE = re.compile(r"^(up|down)-(\d{1,4})$")
STEP_FIELD = re.compile(r"^steps-(\d{1,4})-(.+)$")


def _editor_formdata():
    """The posted form, with the step named by "move" (e.g. "up-3": the step of the fields
    steps-3-*) traded with its neighbour: their fields swap indices, so the form reads them in
    the new order. Returns the form data and (the moved step's new index, direction), or None
    when no move was asked for."""
    data = request.form
    if "move" not in data:
        return data, None
    found = MOVE.match(data["move"])
    if found is None:
        return data, ("", "")  # a move of nothing: the form as it was
    direction, index = found.group(1), int(found.group(2))
    indices = sorted({int(m.group(1)) for key in data if (m := STEP_FIELD.match(key))})
    if index not in indices:
        return data, ("", "")
    at = indices.index(index) + (-1 if direction == "up" else 1)
    if not 0 <= at < len(indices):
        return data, (index, direction)  # the first step up, the last down: it stays
    neighbour = indices[at]
    swap = {index: neighbour, neighbour: index}
    moved = MultiDict()
    for key, value in data.items(multi=True):
        if (m := STEP_FIELD.match(key)) and int(m.group(1)) in swap:
            key = f"steps-{swap[int(m.group(1))]}-{m.group(2)}"
        moved.add(key, value)
    return moved, (neighbour, direction)


def _editor_action(form, moved) -> dict | None:
    """'Add a step' or a move: the form one more empty step longer, or in its new order, and
    what to focus (the new step's first field, or the moved step's button). None for a save."""
    if moved is not None:
        index, direction = moved
        return {"moved": (f"steps-{index}", direction)} if direction else {}
    if "add_step" not in request.form:
        return None
    if len(form.steps) < form.steps.max_entries:
        entry = form.steps.append_entry()
        return {"focus": entry.form.text_en.id}
    return {}


def _prepare(form, property_id: int) -> None:
    """Department choices of the SOP's own property (a group admin may edit any property's)."""
    departments = people.property_departments(property_id)
    if hasattr(form, "department_id"):
        form.department_id.choices = [(d.id, d.name) for d in departments]
    form.audience_departments.choices = [(d.id, d.name) for d in departments]


def _numbers_after(base) -> dict:
    return {kind: "{}.{}".format(*services.next_number(base, kind)) for kind in ChangeKind}


@bp.route("/new", methods=["GET", "POST"])
def create():
    require(can_write_sops)
    formdata, moved = _editor_formdata()
    form = NewSopForm(formdata=formdata) if request.method == "POST" else NewSopForm()
    _prepare(form, current_user.property_id)
    action = _editor_action(form, moved) if request.method == "POST" else None
    if request.method == "POST" and action is None and form.validate():

        def add() -> str:
            version = services.create_sop(
                property_id=current_user.property_id,
                department_id=form.department_id.data,
                number=form.number.data,
                data=form.version_data(),
                author=current_user,
                audience_departments=form.audience_departments.data or [],
                audience_roles=form.audience_roles.data or [],
                yearly_ack=bool(form.yearly_ack.data),
            )
            return url_for("sops.version", version_id=version.id)

        created = create_from_form(
            form,
            current_user,
            add,
            duplicate=lambda: DomainError(
                _("SOP number %(no)s is already used at this property.", no=form.number.data),
                "number",
            ),
        )
        if created is not None:
            if created.first:
                flash(_("Draft %(no)s saved.", no=form.number.data), "success")
            return redirect_to(created.url)
    if action is not None:
        return render("sops/new.html", block="sop_form", form=form, **action)
    if request.method == "POST":
        return render_form("sops/new.html", "sop_form", form=form)
    return render("sops/new.html", form=form)


@bp.route("/versions/<int:version_id>/edit", methods=["GET", "POST"])
def edit(version_id: int):
    version = _load_version(version_id)
    require(can_edit_version, version, hide=not can_view_version(current_user, version))
    formdata, moved = _editor_formdata()
    if request.method == "POST":
        form = EditSopForm(formdata=formdata, obj=version)
    else:
        form = EditSopForm(obj=version)
    _prepare(form, version.sop.property_id)
    base = services.newest_approved(version.sop) if version.number != "1.0" else None
    if base is not None:  # not a first version: what kind of change it is, and its number
        form.label_change_kinds(base.number, _numbers_after(base))
    if request.method == "GET":
        form.fill_from(version)
    action = _editor_action(form, moved) if request.method == "POST" else None
    if request.method == "POST" and action is None and form.validate():

        def save() -> None:
            services.update_draft(
                version, form.version_data(), by=current_user, expected_lock=form.lock.number
            )
            services.update_audience(
                version.sop,
                department_ids=form.audience_departments.data or [],
                roles=form.audience_roles.data or [],
                yearly_ack=bool(form.yearly_ack.data),
                by=current_user,
            )

        stale = _("Someone else changed this draft while you were editing. Reload and try again.")
        if save_from_form(form, save, stale_message=stale):
            flash(_("Draft saved."), "success")
            return redirect_to(url_for("sops.version", version_id=version.id))
    page = {
        "form": form,
        "version": version,
        "saved_steps": {step.id: step for step in version.steps},  # their "needs updating"
    }
    if action is not None:
        return render("sops/edit.html", block="sop_form", **page, **action)
    if request.method == "POST":
        return render_form("sops/edit.html", "sop_form", **page)
    return render("sops/edit.html", **page)


def _version_action(version_id: int, predicate, action, success: str, form_class=EmptyForm):
    version = _load_version(version_id)
    require(predicate, version, hide=not can_view_version(current_user, version))
    form = form_class()
    if not form.validate_on_submit():
        return _show_version(version, action_form=form, status=422)
    try:
        action(version, form)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        error.attach(form)
        return _show_version(version, action_form=form, status=422)
    flash(success, "success")
    return redirect_to(url_for("sops.version", version_id=version.id))


@bp.post("/versions/<int:version_id>/submit")
def submit(version_id: int):
    return _version_action(
        version_id,
        can_edit_version,
        lambda v, f: services.submit_for_review(v, by=current_user),
        _("Sent for review. A manager who did not write it will approve it."),
    )


@bp.post("/versions/<int:version_id>/approve")
def approve(version_id: int):
    return _version_action(
        version_id,
        can_approve_version,
        lambda v, f: services.approve(
            v,
            approver=current_user,
            effective_date=f.effective_date.data,
            review_date=f.review_date.data,
        ),
        _("Approved."),
        ApproveForm,
    )


@bp.post("/versions/<int:version_id>/return")
def return_draft(version_id: int):
    return _version_action(
        version_id,
        can_approve_version,
        lambda v, f: services.return_to_draft(v, by=current_user, reason=f.reason.data),
        _("Sent back to its author as a draft."),
        ReturnForm,
    )


@bp.post("/<int:sop_id>/versions")
def new_version(sop_id: int):
    sop = db.get_or_404(Sop, sop_id)
    require(can_manage_sop, sop, hide=not can_read_sop(current_user, sop))
    form = NewVersionForm()
    if not form.validate_on_submit():
        abort(400)
    kind = ChangeKind(form.kind.data)
    try:
        draft = services.new_version(
            sop,
            by=current_user,
            major=kind is ChangeKind.EDITION,
            correction=kind is ChangeKind.CORRECTION,
        )
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        if (existing := services.open_draft(sop)) is not None:  # e.g. a double tap
            flash(_("Version %(v)s is being written.", v=existing.number), "info")
            return redirect_to(url_for("sops.version", version_id=existing.id))
        flash(error.message, "danger")
        return redirect_to(url_for("sops.detail", sop_id=sop.id))
    flash(_("Version %(v)s started as a draft.", v=draft.number), "success")
    return redirect_to(url_for("sops.edit", version_id=draft.id))


@bp.post("/<int:sop_id>/retire")
def retire(sop_id: int):
    sop = db.get_or_404(Sop, sop_id)
    require(can_manage_sop, sop, hide=not can_read_sop(current_user, sop))
    form = RetireForm()
    if not form.validate_on_submit():
        abort(400)
    apply_action(
        lambda: services.retire_sop(sop, by=current_user, on=form.retired_on.data),
        success=_("%(no)s is retired.", no=sop.number),
    )
    return redirect_to(url_for("sops.index"))


# --- the library's settings ---------------------------------------------------------------------
@bp.route("/settings/<int:property_id>", methods=["GET", "POST"])
def settings(property_id: int):
    """Which languages every version must have before review and approval."""
    if property_id > LARGEST_ID:
        abort(404)
    prop = db.get_or_404(Property, property_id)
    require(can_change_settings, prop, hide=not in_property(current_user, prop.id))
    current = services.get_settings(prop.id)
    form = SettingsForm()
    if request.method == "GET":
        form.required_languages.data = list(current.required_languages)
    elif form.validate():

        def save() -> None:
            services.update_settings(
                prop.id, languages=form.required_languages.data, by=current_user
            )

        if save_from_form(form, save, stale_message=""):
            flash(_("Settings saved."), "success")
            return redirect_to(url_for("sops.settings", property_id=prop.id))
    if request.method == "POST":
        return render_form("sops/settings.html", "settings_form", form=form, prop=prop)
    return render("sops/settings.html", form=form, prop=prop)


# --- reading ------------------------------------------------------------------------------------
REVIEW_SOON = timedelta(days=30)  # a review due this soon is shown at the top of the page
REVIEWS_SHOWN = 20  # the newest periodic reviews in the history (about one a year)


def _newest_reviews(history) -> list:
    reviews = [review for version in history for review in version.reviews]
    reviews.sort(key=lambda r: (r.reviewed_at, r.id), reverse=True)
    return reviews[:REVIEWS_SHOWN]


_UNREAD = object()


def _show_version(version, *, action_form=None, status=200, current=_UNREAD):
    """The version page. `current`, the version in force (None: none is), when the caller has
    read it already."""
    sop = version.sop
    if current is _UNREAD:
        current = reading.version_in_force(sop)
    stage = rules.stage_of(version, current_id=current.id if current else None)
    row = reading.row_for(sop, current_user)
    writer = can_manage_sop(current_user, sop)
    today = local_today()
    history = services.history_of(sop) if writer else []
    base = max(
        (v for v in history if v.status == VersionStatus.APPROVED),
        key=lambda v: v.version_key,
        default=None,
    )
    forms = {
        "approve": ApproveForm(formdata=None, effective_date=today),
        "return": ReturnForm(formdata=None),
        "new_version": NewVersionForm(formdata=None),
        "retire": RetireForm(formdata=None, retired_on=today),
        "periodic_review": ReviewForm(
            formdata=None,
            next_review=services.next_review_default(today),
            was_due=version.review_date.isoformat() if version.review_date else "",
        ),
        "empty": EmptyForm(),
    }
    if base is not None:
        forms["new_version"].label_kinds(base.number, _numbers_after(base))
    if action_form is not None:
        kinds = {ApproveForm: "approve", ReturnForm: "return", ReviewForm: "periodic_review"}
        forms[kinds.get(type(action_form), "empty")] = action_form
    in_force = stage == Stage.EFFECTIVE
    return render(
        "sops/detail.html",
        status=status,
        sop=sop,
        version=version,
        stage=stage,
        current=current,
        acknowledged=row.acknowledged if row else None,
        in_audience=row is not None
        and row.acknowledged is not None
        and current is not None
        and current.id == version.id,
        writer=writer,
        forms=forms,
        history=history,
        reviews=_newest_reviews(history),
        review_overdue=writer and in_force and services.review_overdue(version, today),
        review_soon=writer
        and in_force
        and version.review_date is not None
        and version.review_date <= today + REVIEW_SOON,
        can_review=writer and in_force and can_review_version(current_user, version),
        reviewed_today=bool(history)
        and bool(version.reviews)
        and version.reviews[0].reviewed_at >= local_day_start(today),
        review_failed=isinstance(action_form, ReviewForm),
        approves=approves(current_user),
        kind=ChangeKind.of(version),
        can_edit=can_edit_version(current_user, version),
        can_approve=can_approve_version(current_user, version),
        can_follow=can_follow_up(current_user, sop),
        draft=services.open_draft(sop) if writer else None,
        review=rules.review_state(version, services.required_languages(sop.property_id))
        if writer
        else None,
        can_change_settings=can_change_settings(current_user, sop.property),
        Stage=Stage,
    )


@bp.post("/versions/<int:version_id>/review")
def record_review(version_id: int):
    """'Reviewed, still valid': the version in force keeps its text and gets its next review
    date. Once per button press (a double tap records one review)."""
    version = _load_version(version_id)
    require(can_review_version, version, hide=not can_view_version(current_user, version))
    form = ReviewForm()
    if form.validate_on_submit():

        def review() -> str:
            services.record_review(
                version,
                by=current_user,
                next_review=form.next_review.data,
                was_due=form.was_due_date,
                note=form.note.data or "",
            )
            return url_for("sops.version", version_id=version.id)

        done = create_from_form(
            form,
            current_user,
            review,
            duplicate=lambda: DomainError(_("Reload the page and try again.")),
        )
        if done is not None:
            if done.first:
                flash(
                    _(
                        "Review recorded: %(no)s version %(v)s stays in force; the next review "
                        "is due on %(date)s.",
                        no=version.sop.number,
                        v=version.number,
                        date=fmt_date(form.next_review.data),
                    ),
                    "success",
                )
            return redirect_to(done.url)
    db.session.expire_all()  # the version as it is, not as the refused review left it
    return _show_version(_load_version(version_id), action_form=form, status=422)


@bp.get("/<int:sop_id>")
def detail(sop_id: int):
    sop = db.get_or_404(Sop, sop_id)
    require(can_read_sop, sop)
    current = rules.current_version(sop)
    version = current
    if version is None:
        if not can_manage_sop(current_user, sop):
            abort(404)
        version = sop.versions[-1]
    return _show_version(version, current=current)


@bp.get("/versions/<int:version_id>")
def version(version_id: int):
    version = _load_version(version_id)
    require(can_view_version, version)
    return _show_version(version)


@bp.post("/<int:sop_id>/acknowledge")
def acknowledge(sop_id: int):
    """htmx: the acknowledgement box replaces itself, with the thanks; a plain post (no
    JavaScript) goes back to the SOP, where the thanks and the box show."""
    sop = db.get_or_404(Sop, sop_id)
    require(can_read_sop, sop)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    version = rules.current_version(sop)
    read_id = request.form.get("version_id", "")
    if version is None or str(version.id) != read_id:
        flash(
            _("A newer version came into force while you were reading. Read it first."), "warning"
        )
        return redirect_to(url_for("sops.detail", sop_id=sop.id))
    try:
        reading.acknowledge(sop, version, current_user)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "warning")
        return redirect_to(url_for("sops.detail", sop_id=sop.id))
    message = _(
        "Thank you: you acknowledged %(no)s version %(v)s.", no=sop.number, v=version.number
    )
    flash(message, "success")
    if not is_htmx():
        return redirect_to(url_for("sops.detail", sop_id=sop.id))
    response = render(
        "sops/detail.html",
        block="ack_box",
        sop=sop,
        version=version,
        acknowledged=True,
        in_audience=True,
        forms={"empty": EmptyForm()},
    )
    return trigger(response, "sops:acknowledged", {"sop": sop.id})


# --- follow-up ----------------------------------------------------------------------------------
@bp.get("/<int:sop_id>/acknowledgements")
@sessions.passive
def coverage(sop_id: int, status: tuple[str, str] | None = None):
    """Who has read the version in force; the table refreshes itself while open (a poll that
    does not count as activity). `status`: (category, message) of a reminder just sent, shown
    in the fixed status area of the page, never above the table (nothing moves under the
    finger); the next refresh clears it."""
    sop = db.get_or_404(Sop, sop_id)
    require(can_follow_up, sop, hide=not can_read_sop(current_user, sop))
    version = reading.version_in_force(sop)
    if version is None:
        abort(404)
    table = reading.coverage(
        sop, viewer=current_user, outstanding_only=request.args.get("outstanding") == "1"
    )
    return render(
        "sops/coverage.html",
        block="coverage_table",
        sop=sop,
        version=version,
        table=table,
        level=cards.level_badge(table.done, table.total),
        may_remind=lambda row: can_remind(current_user, row),
        said=status,
        fragment=is_htmx(),
    )


@bp.get("/people/<int:user_id>")
def person_status(user_id: int):
    """One person's SOPs: which they have acknowledged and which they still have to read."""
    person = db.get_or_404(User, user_id)
    require(can_follow_person, person)
    rows = reading.list_sops(person, mine=True)
    return render(
        "sops/person.html", person=person, rows=rows, done=sum(1 for r in rows if r.acknowledged)
    )


@bp.post("/<int:sop_id>/remind/<int:user_id>")
def remind(sop_id: int, user_id: int):
    """htmx: the coverage table answers in place, the message in the page's fixed status area;
    a plain post goes back to the table, where the message shows. Once a day per person."""
    sop = db.get_or_404(Sop, sop_id)
    require(can_follow_up, sop, hide=not can_read_sop(current_user, sop))
    person = db.get_or_404(User, user_id)
    require(can_remind, person)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        reminder = reading.remind(sop, person, by=current_user)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        status = ("warning", error.message)
    else:
        if reminder is None:
            status = ("info", _("%(name)s was reminded today already.", name=person.name))
        else:
            status = (
                "success",
                _("%(name)s will see a reminder when they sign in.", name=person.name),
            )
    if is_htmx():
        return coverage(sop.id, status=status)
    flash(status[1], status[0])
    kept = {k: request.args[k] for k in ("outstanding", "page") if k in request.args}
    return redirect_to(url_for("sops.coverage", sop_id=sop.id, **kept))


@bp.route("/<int:sop_id>/remind-all", methods=["GET", "POST"])
def remind_all(sop_id: int):
    """'Remind everyone outstanding': GET asks first (a sheet over the table for htmx, a page
    without JavaScript), POST reminds, in place like remind. A person reminded today is not
    reminded again, so a double tap or a retried request changes nothing more."""
    sop = db.get_or_404(Sop, sop_id)
    require(can_follow_up, sop, hide=not can_read_sop(current_user, sop))
    version = reading.version_in_force(sop)
    if version is None:
        abort(404)
    form = EmptyForm()
    kept = {k: request.args[k] for k in ("outstanding", "page") if k in request.args}
    if request.method == "GET":
        return render(
            "sops/remind_all.html",
            block="remind_sheet",
            sop=sop,
            version=version,
            found=reading.outstanding_summary(sop, by=current_user),
            form=form,
            back=url_for("sops.coverage", sop_id=sop.id, **kept),
            action=url_for("sops.remind_all", sop_id=sop.id, **kept),
        )
    if not form.validate_on_submit():
        abort(400)
    done = reading.remind_outstanding(sop, by=current_user)
    db.session.commit()
    reminded, skipped = len(done.to_remind), len(done.reminded_today)
    parts = [
        ngettext("Reminded %(num)s person.", "Reminded %(num)s people.", reminded)
        if reminded
        else _("Nobody was reminded.")
    ]
    if skipped:
        parts.append(
            ngettext(
                "%(num)s person reminded today already was not reminded again.",
                "%(num)s people reminded today already were not reminded again.",
                skipped,
            )
        )
    status = ("success" if reminded else "info", " ".join(parts))
    if is_htmx():
        return coverage(sop.id, status=status)
    flash(status[1], status[0])
    return redirect_to(url_for("sops.coverage", sop_id=sop.id, **kept))


@bp.get("/<int:sop_id>/compare")
def compare(sop_id: int):
    """What changed between two versions of an SOP, step by step (for writers)."""
    sop = db.get_or_404(Sop, sop_id)
    require(can_manage_sop, sop, hide=not can_read_sop(current_user, sop))
    versions = {v.id: v for v in sop.versions}
    if len(versions) < 2:
        flash(_("There is only one version: nothing to compare yet."), "info")
        return redirect_to(url_for("sops.detail", sop_id=sop.id))
    ordered = sorted(versions.values(), key=lambda v: v.version_key)
    try:
        old = versions[int(request.args.get("from", ordered[-2].id))]
        new = versions[int(request.args.get("to", ordered[-1].id))]
    except (KeyError, ValueError):
        abort(404)
    return render(
        "sops/compare.html",
        sop=sop,
        old=old,
        new=new,
        versions=ordered,
        comparison=compare_versions(old, new),
        show_all=request.args.get("all") == "1",
    )


# --- print --------------------------------------------------------------------------------------
def _language() -> str:
    lang = request.args.get("lang", "both")
    if lang not in documents.LANGUAGES:
        abort(400)
    return lang


@bp.get("/versions/<int:version_id>/print.pdf")
def print_pdf(version_id: int):
    version = _load_version(version_id)
    require(can_view_version, version)
    return documents.version_document(version, _language()).send()


@bp.get("/binder.pdf")
def binder_pdf():
    """Every SOP in force that a department owns, with contents and page numbers."""
    try:
        department_id = int(request.args.get("department", ""))
    except ValueError:
        abort(400)
    if not 0 < department_id <= LARGEST_ID:
        abort(404)  # no department has such a number
    department = db.get_or_404(Department, department_id)
    require(can_print_binder, department)
    return documents.binder_document(department, _language()).send()

"""SOP pages: parse -> load -> require(can_...) -> one operation -> commit once -> answer."""

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from portal import sessions
from portal.blueprints.people import services as people
from portal.blueprints.people.models import Department, User
from portal.blueprints.sops import bp, reading, rules, services
from portal.blueprints.sops import pdf as documents
from portal.blueprints.sops.compare import compare_versions
from portal.blueprints.sops.forms import (
    ApproveForm,
    EditSopForm,
    NewSopForm,
    NewVersionForm,
    RetireForm,
    ReturnForm,
    VersionForm,
)
from portal.blueprints.sops.models import Sop, SopVersion, Stage
from portal.blueprints.sops.permissions import (
    can_approve_version,
    can_edit_version,
    can_follow_person,
    can_follow_up,
    can_list_sops,
    can_manage_sop,
    can_print_binder,
    can_read_sop,
    can_remind,
    can_view_version,
    can_write_sops,
)
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import EmptyForm
from portal.htmx import is_htmx, redirect_to, render, render_form, trigger
from portal.i18n import local_today
from portal.pagination import int_arg
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
    rows = reading.list_sops(
        current_user,
        q=q,
        department_id=department_id or None,
        mine=scope == "mine",
        include_unpublished=writer,
    )
    return render(
        "sops/index.html",
        block="sop_results",
        rows=rows,
        q=q,
        scope=scope,
        department_id=department_id,
        departments=people.property_departments(current_user.property_id),
        writer=writer,
        overdue=reading.overdue_reviews(current_user.property_id) if writer else [],
        awaiting=reading.awaiting_approval(current_user) if writer else [],
    )


# --- writing ------------------------------------------------------------------------------------
def _wants_more_steps(form: VersionForm) -> bool:
    """'Add a step' re-shows the form with one more empty step; nothing is saved."""
    if "add_step" not in request.form:
        return False
    if len(form.steps) < form.steps.max_entries:
        form.steps.append_entry()
    return True


def _prepare(form, property_id: int) -> None:
    """Department choices of the SOP's own property (a group admin may edit any property's)."""
    departments = people.property_departments(property_id)
    if hasattr(form, "department_id"):
        form.department_id.choices = [(d.id, d.name) for d in departments]
    form.audience_departments.choices = [(d.id, d.name) for d in departments]


@bp.route("/new", methods=["GET", "POST"])
def create():
    require(can_write_sops)
    form = NewSopForm()
    _prepare(form, current_user.property_id)
    if request.method == "POST" and not _wants_more_steps(form) and form.validate():

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
    if request.method == "POST":
        if "add_step" in request.form:
            return render("sops/new.html", block="sop_form", form=form)
        return render_form("sops/new.html", "sop_form", form=form)
    return render("sops/new.html", form=form)


@bp.route("/versions/<int:version_id>/edit", methods=["GET", "POST"])
def edit(version_id: int):
    version = _load_version(version_id)
    require(can_edit_version, version, hide=not can_view_version(current_user, version))
    form = EditSopForm(obj=version)
    _prepare(form, version.sop.property_id)
    if request.method == "GET":
        form.fill_from(version)
    if request.method == "POST" and not _wants_more_steps(form) and form.validate():

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
    if request.method == "POST":
        if "add_step" in request.form:
            return render("sops/edit.html", block="sop_form", form=form, version=version)
        return render_form("sops/edit.html", "sop_form", form=form, version=version)
    return render("sops/edit.html", form=form, version=version)


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
    try:
        draft = services.new_version(sop, by=current_user, major=form.kind.data == "major")
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


# --- reading ------------------------------------------------------------------------------------
def _show_version(version, *, action_form=None, status=200):
    sop = version.sop
    stage = rules.stage_of(version)
    current = rules.current_version(sop)
    row = reading.row_for(sop, current_user)
    writer = can_manage_sop(current_user, sop)
    forms = {
        "approve": ApproveForm(formdata=None, effective_date=local_today()),
        "return": ReturnForm(formdata=None),
        "new_version": NewVersionForm(formdata=None),
        "retire": RetireForm(formdata=None, retired_on=local_today()),
        "empty": EmptyForm(),
    }
    if action_form is not None:
        forms[{ApproveForm: "approve", ReturnForm: "return"}.get(type(action_form), "empty")] = (
            action_form
        )
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
        history=sop.versions if writer else [],
        can_edit=can_edit_version(current_user, version),
        can_approve=can_approve_version(current_user, version),
        can_follow=can_follow_up(current_user, sop),
        draft=services.open_draft(sop) if writer else None,
        missing=version.missing_translations() if writer else [],
        Stage=Stage,
    )


@bp.get("/<int:sop_id>")
def detail(sop_id: int):
    sop = db.get_or_404(Sop, sop_id)
    require(can_read_sop, sop)
    version = rules.current_version(sop)
    if version is None:
        if not can_manage_sop(current_user, sop):
            abort(404)
        version = sop.versions[-1]
    return _show_version(version)


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
def coverage(sop_id: int):
    """Who has read the version in force; the table refreshes itself while open (a poll that
    does not count as activity)."""
    sop = db.get_or_404(Sop, sop_id)
    require(can_follow_up, sop, hide=not can_read_sop(current_user, sop))
    version = rules.current_version(sop)
    if version is None:
        abort(404)
    rows = reading.coverage(sop)
    done = sum(1 for r in rows if r.acknowledged_at)
    return render(
        "sops/coverage.html",
        block="coverage_table",
        sop=sop,
        version=version,
        rows=rows,
        done=done,
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
    """htmx: the coverage table answers in place; a plain post goes back to the table."""
    sop = db.get_or_404(Sop, sop_id)
    require(can_follow_up, sop, hide=not can_read_sop(current_user, sop))
    person = db.get_or_404(User, user_id)
    require(can_remind, person)
    if not EmptyForm().validate_on_submit():
        abort(400)
    apply_action(
        lambda: reading.remind(sop, person, by=current_user),
        success=_("%(name)s will see a reminder when they sign in.", name=person.name),
        refused="warning",
    )
    if is_htmx():  # the table answers in place, with the message
        return coverage(sop.id)
    return redirect_to(url_for("sops.coverage", sop_id=sop.id))


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

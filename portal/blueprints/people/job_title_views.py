"""The job titles pages: HR keeps each department's list of the hotel's own positions.

Routes only (parse -> load -> check -> act -> commit -> respond); the rules are in job_titles.py.
"""

from flask import abort, flash, request, url_for
from flask_login import current_user

from portal.blueprints.people import bp, job_titles, services
from portal.blueprints.people.forms import JobTitleForm, NewJobTitleForm
from portal.blueprints.people.job_titles import TitleData
from portal.blueprints.people.models import Department, JobTitle, Property, Role, departments_for
from portal.blueprints.people.permissions import can_manage_job_titles, can_view_job_titles
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import EmptyForm
from portal.htmx import redirect_to, render, render_form
from portal.i18n import gettext as _
from portal.pagination import int_arg
from portal.security import require
from portal.submit import apply_action, create_from_form, save_from_form


def _list_url(title_or_department) -> str:
    department_id = getattr(title_or_department, "department_id", None) or title_or_department.id
    return url_for(
        "people.job_titles",
        property=title_or_department.property_id
        if title_or_department.property_id != current_user.property_id
        else None,
        _anchor=f"department-{department_id}",
    )


def _load(title_id: int) -> JobTitle:
    title = db.get_or_404(JobTitle, title_id)
    require(can_manage_job_titles, title, hide=not can_view_job_titles(current_user, title))
    return title


def _data(form: JobTitleForm) -> TitleData:
    return TitleData(
        title_en=form.title_en.data or "", title_zh=form.title_zh.data or "", grade=form.grade.data
    )


@bp.get("/job-titles", endpoint="job_titles")
def job_titles_index():
    require(can_view_job_titles)
    properties = services.list_properties() if current_user.role == Role.ADMIN else []
    prop = current_user.property
    wanted = int_arg("property", 0)
    if properties and wanted:
        prop = next((p for p in properties if p.id == wanted), prop)
    return render(
        "people/job_titles.html",
        prop=prop,
        properties=properties,
        groups=job_titles.titles_by_department(prop.id),
        can_manage=can_manage_job_titles(current_user),  # (its own property, or an admin)
    )


@bp.route("/job-titles/new", methods=["GET", "POST"])
def create_job_title():
    require(can_manage_job_titles)
    department = None
    if wanted := int_arg("department", 0):
        department = db.get_or_404(Department, wanted)
        require(can_manage_job_titles, department)
    prop: Property = department.property if department else current_user.property
    form = NewJobTitleForm()
    form.department_id.choices = [(d.id, d.name) for d in departments_for(prop.id)]
    if request.method == "GET" and department is not None:
        form.department_id.data = department.id
    if form.validate_on_submit():
        chosen = db.session.get(Department, form.department_id.data)  # one of the choices
        added: list[str] = []

        def add() -> str:
            title = job_titles.create_job_title(chosen, _data(form), by=current_user)
            added.append(title.title)
            return _list_url(title)

        created = create_from_form(
            form,
            current_user,
            add,
            duplicate=lambda: DomainError(_("This job title was added already."), "title_zh"),
        )
        if created is not None:
            if created.first:
                flash(
                    _(
                        "%(title)s was added to %(department)s.",
                        title=added[0],
                        department=chosen.name,
                    ),
                    "success",
                )
            return redirect_to(created.url)
    context = {"form": form, "title": None, "prop": prop, "department": department}
    if request.method == "POST":
        return render_form("people/job_title_form.html", "job_title_form", **context)
    return render("people/job_title_form.html", **context)


@bp.route("/job-titles/<int:title_id>/edit", methods=["GET", "POST"])
def edit_job_title(title_id: int):
    title = _load(title_id)
    form = JobTitleForm(obj=title)
    if request.method == "GET":
        form.version.data = str(title.version)
    if form.validate_on_submit():
        saved = save_from_form(
            form,
            lambda: job_titles.update_job_title(
                title, _data(form), expected_version=form.version.number, by=current_user
            ),
            stale_message=_(
                "Someone else changed this job title while you were editing. Reload and try again."
            ),
        )
        if saved:
            flash(_("%(title)s was saved.", title=title.title), "success")
            return redirect_to(_list_url(title))
    context = {
        "form": form,
        "title": title,
        "prop": title.department.property,
        "department": title.department,
        "holders": job_titles.holder_count(title),
        "can_delete": job_titles.can_be_deleted(title),
    }
    if request.method == "POST":
        return render_form("people/job_title_form.html", "job_title_form", **context)
    return render("people/job_title_form.html", **context)


def _one_button(title_id: int, action, success: str):
    title = _load(title_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    apply_action(lambda: action(title, by=current_user), success=success % {"title": title.title})
    return redirect_to(_list_url(title))


@bp.post("/job-titles/<int:title_id>/retire")
def retire_job_title(title_id: int):
    return _one_button(
        title_id,
        job_titles.retire_job_title,
        _("%(title)s is retired: the people who hold it keep it, nobody else is given it."),
    )


@bp.post("/job-titles/<int:title_id>/restore")
def restore_job_title(title_id: int):
    return _one_button(title_id, job_titles.restore_job_title, _("%(title)s is in use again."))


@bp.route("/job-titles/<int:title_id>/delete", methods=["GET", "POST"])
def delete_job_title(title_id: int):
    """Only for a title nobody ever held (added by mistake): asks first."""
    title = _load(title_id)
    if request.method == "POST":
        if not EmptyForm().validate_on_submit():
            abort(400)
        name, back = title.title, _list_url(title)
        if apply_action(
            lambda: job_titles.delete_job_title(title, by=current_user),
            success=_("%(title)s was removed.", title=name),
        ):
            return redirect_to(back)
        return redirect_to(url_for("people.edit_job_title", title_id=title_id))
    return render(
        "people/job_title_delete.html", title=title, can_delete=job_titles.can_be_deleted(title)
    )

from flask import abort, flash, make_response, render_template, request, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_block
from sqlalchemy.orm import joinedload, selectinload

from portal import idempotency, modules, sessions
from portal.blueprints.people import bp, job_titles, kept, services
from portal.blueprints.people import pdf as documents
from portal.blueprints.people.forms import (
    NewPersonForm,
    PeopleFilterForm,
    PersonForm,
    ResetPasswordForm,
    ResetPinForm,
)
from portal.blueprints.people.models import Role, User, departments_for
from portal.blueprints.people.permissions import (
    can_create_person,
    can_deactivate_person,
    can_edit_person,
    can_list_people,
    can_print_staff_record,
    can_reset_secret,
    can_view_job_titles,
    can_view_person,
    roles_assignable_by,
)
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import EmptyForm
from portal.htmx import is_htmx, redirect_to, render, render_form
from portal.i18n import gettext as _
from portal.pagination import int_arg, paginate
from portal.security import require
from portal.submit import create_from_form, save_from_form


def _load(person_id: int) -> User:
    return db.get_or_404(
        User, person_id, options=[selectinload(User.supervises), joinedload(User.job_title)]
    )


def _prepare(form: PersonForm, default_property: int, person: User | None = None) -> int:
    """Choices that depend on who is editing and for which property; returns that property
    (a group admin's choice on the form when it is a property, else `default_property`)."""
    if current_user.role == Role.ADMIN:
        properties = services.list_properties()
        form.property_id.choices = [(p.id, p.name) for p in properties]
        if form.property_id.data not in {p.id for p in properties}:
            form.property_id.data = default_property
        property_id = form.property_id.data
    else:
        del form.property_id
        property_id = default_property
    departments = departments_for(property_id)
    form.department_id.choices = [("", _("Choose a department"))] + [
        (d.id, d.name) for d in departments
    ]
    form.supervises.choices = [(d.id, d.name) for d in departments]
    form.role.choices = [(r.value, r.label) for r in roles_assignable_by(current_user)]
    titles = job_titles.titles_for_form(property_id, keep=person.job_title_id if person else None)
    form.job_title_id.choices = [("", "—")] + [(t.id, t.title) for t in titles]
    form.titles = titles
    form.titles_by_department = {}  # for the template: no filter over every title per department
    for title in titles:
        form.titles_by_department.setdefault(title.department_id, []).append(title)
    form.departments = departments
    chosen = form.department_id.data
    form.titles_required = any(t.department_id == chosen and not t.retired for t in titles)
    return property_id


def _wire(form: PersonForm, fields_url: str) -> None:
    """htmx: a new role swaps in the fields of that role, a new department its job titles, a
    new property (group admin) its departments. Secrets are never sent along."""
    others = ", ".join(
        f"#person-form [name={name}]"
        for name in ("form_key", "property_id", "department_id", "job_title_id", "role")
    )
    common = {"hx-trigger": "change", "hx-swap": "outerHTML", "hx-sync": "closest form:replace"}
    form.role.render_kw = {
        **common,
        "hx-get": fields_url,
        "hx-target": "#role-fields",
        "hx-include": f"{others}, #person-form [name=username], #person-form [name=supervises]",
    }
    form.department_id.render_kw = {
        **common,
        "hx-get": f"{fields_url}?part=job_title",
        "hx-target": "#job-title-field",
        "hx-include": others,
    }
    if "property_id" in form:
        form.property_id.render_kw = {
            **common,
            "hx-get": f"{fields_url}?part=where",
            "hx-target": "#person-where",
            "hx-include": f"{others}, #person-form [name=supervises]",
        }


def _data(form: PersonForm, property_id: int) -> services.PersonData:
    return services.PersonData(
        name_en=form.name_en.data or "",
        name_zh=form.name_zh.data or "",
        staff_no=form.staff_no.data,
        property_id=property_id,
        department_id=form.department_id.data,
        role=form.role.data,
        job_title_id=form.job_title_id.data,
        username=(form.username.data or None) if "username" in form else None,
        email=form.email.data or None,
        phone=form.phone.data or None,
        hire_date=form.hire_date.data,
        locale=form.locale.data or None,
        supervises=tuple(form.supervises.data or ()) if "supervises" in form else (),
    )


def _secrets(form: PersonForm) -> dict:
    """The first secret typed on the form, or the one kept from an earlier try of it."""
    kind = form.secret_kind()
    if kind is None:
        return {}
    typed = form[kind].data or None
    if typed:
        return {kind: typed}
    return {"secret_hash": kept.kept_hash(_form_key(form), kind, editor=current_user)}


def _keep_valid_secret(form: PersonForm) -> None:
    """The form was refused: keep a valid PIN or password typed on it (hashed, server-side)."""
    kind, key = form.secret_kind(), _form_key(form)
    if kind is None or key is None:
        return
    field = form[kind]
    if field.data and not field.errors:
        kept.keep(key, kind, field.data, editor=current_user)
        db.session.commit()
        form.kept.add(kind)


def _form_key(form: PersonForm) -> str | None:
    """The form's own key when it is well formed (a tampered one keeps nothing)."""
    key = form.form_key.data or ""
    return key if idempotency.KEY_PATTERN.fullmatch(key) else None


def _kept(form: PersonForm, *, repeat: bool = False) -> set[str]:
    kinds = kept.kept_kinds(_form_key(form), editor=current_user)
    if repeat:  # a repeat of a form already applied needs no secret: it gets the first result
        kinds |= set(kept.KINDS)
    return kinds


def _form_page(form: PersonForm, person: User | None):
    context = {"form": form, "person": person}
    if request.method == "POST":
        _keep_valid_secret(form)
        return render_form("people/form.html", "person_form", **context)
    return render("people/form.html", **context)


@bp.get("/")
def index():
    require(can_list_people)
    filters = PeopleFilterForm(request.args)
    property_id = None if current_user.role == Role.ADMIN else current_user.property_id
    departments = departments_for(property_id) if property_id else []
    filters.department.choices = [(0, _("All departments"))] + [(d.id, d.name) for d in departments]
    filters.validate()
    title = None
    if wanted := int_arg("job_title", 0):
        title = job_titles.get_job_title(wanted)
        if title is not None and not can_view_job_titles(current_user, title):
            title = None  # another property's: as if not asked
    query = services.people_query(
        current_user,
        q=(filters.q.data or "") if not filters.q.errors else "",
        department_id=filters.department.data if not filters.department.errors else None,
        status=filters.status.data
        if filters.status.data in {"active", "inactive", "all"}
        else "active",
        sort=request.args.get("sort", "staff_no"),
        job_title_id=title.id if title else None,
    )
    page = paginate(query)
    return render(
        "people/index.html",
        block="people_results",
        filters=filters,
        job_title=title,
        page=page,
        can_create=can_create_person(current_user),
        can_see_titles=can_view_job_titles(current_user),
    )


@bp.route("/new", methods=["GET", "POST"])
def create():
    require(can_create_person)
    form = NewPersonForm()
    property_id = _prepare(form, current_user.property_id)
    _wire(form, url_for("people.create_fields"))
    form.apply_role()
    if request.method == "POST":
        key = form.idempotency_key.data or ""
        repeat = bool(key) and idempotency.previous_result(key, current_user.id) is not None
        form.kept = _kept(form, repeat=repeat)
    if form.validate_on_submit():
        created_name = []

        def add() -> str:
            person = services.create_person(
                _data(form, property_id), by=current_user, **_secrets(form)
            )
            kept.forget(_form_key(form), editor=current_user)
            created_name.append(person.name)
            return url_for("people.detail", person_id=person.id)

        created = create_from_form(
            form,
            current_user,
            add,
            duplicate=lambda: DomainError(
                _("Staff number %(no)s is already used at this property.", no=form.staff_no.data),
                "staff_no",
            ),
        )
        if created is not None:
            if created.first:
                flash(_("%(name)s was added.", name=created_name[0]), "success")
            return redirect_to(created.url)
    return _form_page(form, None)


@bp.get("/new/fields")
def create_fields():
    require(can_create_person)
    return _fields(NewPersonForm(request.args, meta={"csrf": False}), None)


@bp.get("/<int:person_id>/edit/fields")
def edit_fields(person_id: int):
    person = _load(person_id)
    require(can_edit_person, person, hide=not can_view_person(current_user, person))
    return _fields(PersonForm(request.args, meta={"csrf": False}), person)


FIELD_PARTS = {"role": "role_fields", "job_title": "job_title_field", "where": "person_where"}


def _fields(form: PersonForm, person: User | None):
    """The part of the person form that depends on the role, department or property chosen
    (htmx); without htmx, the whole form with those choices."""
    default = person.property_id if person else current_user.property_id
    _prepare(form, default, person)
    fields_url = (
        url_for("people.edit_fields", person_id=person.id)
        if person
        else url_for("people.create_fields")
    )
    _wire(form, fields_url)
    role = form.apply_role(person)
    form.kept = _kept(form)
    context = {"form": form, "person": person, "narrow": is_htmx()}
    part = FIELD_PARTS.get(request.args.get("part", "role"), "role_fields")
    if is_htmx() and part == "person_where" and role is Role.SUPERVISOR:
        # Another property has other departments to supervise: those boxes follow (out of band).
        body = render_block("people/form.html", part, **context)
        body += render_block("people/form.html", "role_fields", role_oob=True, **context)
        return make_response(body)
    return render("people/form.html", block=part, **context)


def _detail_page(person: User, status: int = 200):
    return render(
        "people/detail.html",
        status=status,
        person=person,
        can_edit=can_edit_person(current_user, person),
        can_deactivate=can_deactivate_person(current_user, person),
        can_reset=can_reset_secret(current_user, person),
        can_print=can_print_staff_record(current_user, person),
        links=modules.person_links(current_user, person),
    )


@bp.get("/<int:person_id>")
def detail(person_id: int):
    person = _load(person_id)
    require(can_view_person, person)
    return _detail_page(person)


@bp.route("/<int:person_id>/edit", methods=["GET", "POST"])
def edit(person_id: int):
    person = _load(person_id)
    require(can_edit_person, person, hide=not can_view_person(current_user, person))
    form = PersonForm(obj=person)
    if request.method == "GET":
        form.supervises.data = [d.id for d in person.supervises]
        form.version.data = str(person.version)
        form.locale.data = person.locale or ""
    property_id = _prepare(form, person.property_id, person)
    _wire(form, url_for("people.edit_fields", person_id=person.id))
    form.apply_role(person)
    if request.method == "POST":
        form.kept = _kept(form)
    if form.validate_on_submit():

        def save():
            services.update_person(
                person,
                _data(form, property_id),
                expected_version=form.version.number,
                by=current_user,
                **_secrets(form),
            )
            kept.forget(_form_key(form), editor=current_user)

        saved = save_from_form(
            form,
            save,
            stale_message=_(
                "Someone else changed this record while you were editing. Reload and try again."
            ),
        )
        if saved:
            flash(_("Changes to %(name)s were saved.", name=person.name), "success")
            return redirect_to(url_for("people.detail", person_id=person.id))
    return _form_page(form, person)


def _set_active(person_id: int, active: bool):
    person = _load(person_id)
    require(can_edit_person, person, hide=not can_view_person(current_user, person))
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        if active:
            services.reactivate_person(person, by=current_user)
            message = _("%(name)s can sign in again.", name=person.name)
        else:
            services.deactivate_person(person, by=current_user)
            message = _("%(name)s was deactivated and signed out everywhere.", name=person.name)
    except DomainError as error:
        db.session.rollback()
        return _refused_change(person, error.message)
    db.session.commit()
    flash(message, "success")
    return redirect_to(url_for("people.detail", person_id=person.id))


def _refused_change(person: User, message: str):
    """A change the rules do not allow (409): the person's page again with the message; for
    htmx the message alone, out of band, and the page stays as it is."""
    flash(message, "danger")
    if is_htmx():
        response = make_response(render_template("_partials/flash.html", oob=True), 409)
        response.headers["HX-Reswap"] = "none"
        return response
    return _detail_page(person, status=409)


@bp.get("/<int:person_id>/deactivate")
def confirm_deactivate(person_id: int):
    """Ask first: deactivating signs the person out everywhere (works without script too)."""
    person = _load(person_id)
    require(can_deactivate_person, person, hide=not can_view_person(current_user, person))
    if not person.active:
        return redirect_to(url_for("people.detail", person_id=person.id))
    return render("people/deactivate.html", block="account_actions", person=person)


@bp.post("/<int:person_id>/deactivate")
def deactivate(person_id: int):
    return _set_active(person_id, False)


@bp.post("/<int:person_id>/reactivate")
def reactivate(person_id: int):
    return _set_active(person_id, True)


@bp.route("/<int:person_id>/reset", methods=["GET", "POST"])
def reset_secret(person_id: int):
    person = _load(person_id)
    require(can_reset_secret, person, hide=not can_view_person(current_user, person))
    if (confirm := sessions.confirm_identity_first()) is not None:
        return confirm
    uses_pin = Role(person.role).uses_pin
    form = ResetPinForm() if uses_pin else ResetPasswordForm()
    if form.validate_on_submit():
        services.reset_secret(person, form.secret.data, by=current_user)
        db.session.commit()
        flash(
            _("A new PIN is set for %(name)s.", name=person.name)
            if uses_pin
            else _("A new password is set for %(name)s.", name=person.name),
            "success",
        )
        return redirect_to(url_for("people.detail", person_id=person.id))
    if request.method == "POST":
        return render_form(
            "people/reset.html", "reset_form", form=form, person=person, uses_pin=uses_pin
        )
    return render("people/reset.html", form=form, person=person, uses_pin=uses_pin)


@bp.get("/<int:person_id>/record.pdf")
def staff_record_pdf(person_id: int):
    person = _load(person_id)
    require(can_print_staff_record, person, hide=not can_view_person(current_user, person))
    return documents.staff_record_document(person).send()

from flask import abort, flash, make_response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from portal import modules, sessions
from portal.blueprints.people import bp, services
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
    can_view_person,
    roles_assignable_by,
)
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import EmptyForm
from portal.htmx import is_htmx, redirect_to, render, render_form
from portal.pagination import paginate
from portal.security import require
from portal.submit import create_from_form, save_from_form


def _load(person_id: int) -> User:
    return db.get_or_404(User, person_id, options=[selectinload(User.supervises)])


def _prepare(form: PersonForm, property_id: int) -> None:
    """Choices that depend on who is editing and for which property."""
    departments = departments_for(property_id)
    form.department_id.choices = [(d.id, d.name) for d in departments]
    form.supervises.choices = [(d.id, d.name) for d in departments]
    form.role.choices = [(r.value, r.label) for r in roles_assignable_by(current_user)]
    if current_user.role == Role.ADMIN:
        form.property_id.choices = [(p.id, p.name) for p in services.list_properties()]
    else:
        del form.property_id


def _data(form: PersonForm, property_id: int) -> services.PersonData:
    return services.PersonData(
        name_en=form.name_en.data or "",
        name_zh=form.name_zh.data or "",
        staff_no=form.staff_no.data,
        property_id=property_id,
        department_id=form.department_id.data,
        role=form.role.data,
        grade=form.grade.data,
        username=form.username.data or None,
        email=form.email.data or None,
        phone=form.phone.data or None,
        hire_date=form.hire_date.data,
        locale=form.locale.data or None,
        supervises=tuple(form.supervises.data or ()),
    )


def _target_property(form: PersonForm, default: int) -> int:
    if "property_id" in form and form.property_id.data:
        return form.property_id.data
    return default


@bp.get("/")
def index():
    require(can_list_people)
    filters = PeopleFilterForm(request.args)
    property_id = None if current_user.role == Role.ADMIN else current_user.property_id
    departments = departments_for(property_id) if property_id else []
    filters.department.choices = [(0, _("All departments"))] + [(d.id, d.name) for d in departments]
    filters.validate()
    query = services.people_query(
        current_user,
        q=(filters.q.data or "") if not filters.q.errors else "",
        department_id=filters.department.data if not filters.department.errors else None,
        status=filters.status.data
        if filters.status.data in {"active", "inactive", "all"}
        else "active",
        sort=request.args.get("sort", "staff_no"),
    )
    page = paginate(query)
    return render(
        "people/index.html",
        block="people_results",
        filters=filters,
        page=page,
        can_create=can_create_person(current_user),
    )


@bp.route("/new", methods=["GET", "POST"])
def create():
    require(can_create_person)
    form = NewPersonForm()
    _prepare(form, current_user.property_id)
    if form.validate_on_submit():
        property_id = _target_property(form, current_user.property_id)
        created_name = []

        def add() -> str:
            person = services.create_person(
                _data(form, property_id),
                pin=form.pin.data,
                password=form.password.data,
                by=current_user,
            )
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
    if request.method == "POST":
        return render_form("people/form.html", "person_form", form=form, person=None)
    return render("people/form.html", form=form, person=None)


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
    _prepare(form, person.property_id)
    if request.method == "GET":
        form.supervises.data = [d.id for d in person.supervises]
        form.version.data = str(person.version)
        form.locale.data = person.locale or ""
    if form.validate_on_submit():
        property_id = _target_property(form, person.property_id)
        saved = save_from_form(
            form,
            lambda: services.update_person(
                person,
                _data(form, property_id),
                expected_version=form.version.number,
                by=current_user,
            ),
            stale_message=_(
                "Someone else changed this record while you were editing. Reload and try again."
            ),
        )
        if saved:
            flash(_("Changes to %(name)s were saved.", name=person.name), "success")
            return redirect_to(url_for("people.detail", person_id=person.id))
    if request.method == "POST":
        return render_form("people/form.html", "person_form", form=form, person=person)
    return render("people/form.html", form=form, person=person)


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

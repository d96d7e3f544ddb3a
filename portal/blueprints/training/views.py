"""Training pages: parse -> load -> require(can_...) -> one operation -> commit once -> answer."""

from flask import abort, flash, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from portal.blueprints.people import services as people
from portal.blueprints.people.models import User
from portal.blueprints.training import bp, compliance, services
from portal.blueprints.training.compliance import STATUS_ICONS
from portal.blueprints.training.forms import (
    EditProgrammeForm,
    EditSessionForm,
    EnrolForm,
    MarkForm,
    NewProgrammeForm,
    NewSessionForm,
    ScoreForm,
)
from portal.blueprints.training.models import (
    MARK_LABELS,
    Enrolment,
    EnrolmentStatus,
    Mark,
    Programme,
    TrainingSession,
)
from portal.blueprints.training.permissions import (
    can_cancel_enrolment,
    can_check_in,
    can_edit_session,
    can_enrol_person,
    can_enrol_self,
    can_list_training,
    can_manage_programmes,
    can_mark_attendance,
    can_schedule,
    can_see_enrolment,
    can_take_attendance,
    can_view_budget,
    can_view_compliance,
    can_view_programme,
    can_view_session,
)
from portal.database import commit_keeping_loaded
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import EmptyForm
from portal.htmx import is_htmx, redirect_to, render, render_form
from portal.i18n import gettext as _
from portal.modules import is_registered
from portal.pagination import int_arg, paginate
from portal.permissions import in_property
from portal.security import bounded_id, require
from portal.submit import apply_action, create_from_form, save_from_form


def _session(session_id: int) -> TrainingSession:
    session = services.get_session(bounded_id(session_id))
    if session is None:
        abort(404)
    return session


def _enrolment(enrolment_id: int) -> Enrolment:
    return db.get_or_404(
        Enrolment,
        bounded_id(enrolment_id),
        options=[
            joinedload(Enrolment.session).joinedload(TrainingSession.programme),
            joinedload(Enrolment.person),
        ],
    )


# --- sessions list ------------------------------------------------------------------------------
@bp.get("/")
def index():
    require(can_list_training)
    show = request.args.get("show", "upcoming")
    show = show if show in services.SHOWS else "upcoming"
    programme_id = int_arg("programme", 0)
    department_id = int_arg("department", 0)
    page = paginate(
        services.sessions_query(
            current_user,
            show=show,
            programme_id=programme_id or None,
            department_id=department_id or None,
        ),
        whole_rows=True,
    )
    return render(
        "training/index.html",
        block="session_results",
        page=page,
        rows=page.items,
        show=show,
        programme_id=programme_id,
        department_id=department_id,
        programmes=services.list_programmes(current_user.property_id),
        departments=people.property_departments(current_user.property_id),
        may_schedule=can_schedule(current_user),
        may_manage=can_manage_programmes(current_user),
        may_see_compliance=can_view_compliance(current_user),
        may_see_budget=can_view_budget(current_user),
        to_take=[] if is_htmx() else compliance.still_to_take(current_user),
        icons=STATUS_ICONS,
    )


# --- programmes ---------------------------------------------------------------------------------
@bp.get("/programmes")
def programmes():
    require(can_list_training)
    return render(
        "training/programmes.html",
        programmes=services.list_programmes(current_user.property_id),
        may_manage=can_manage_programmes(current_user),
        may_schedule=can_schedule(current_user),
    )


def _programme_choices(form, property_id: int) -> None:
    form.department_ids.choices = [(d.id, d.name) for d in people.property_departments(property_id)]
    form.sop_ids.choices = []
    if is_registered("sops"):  # what a briefing covers comes from the SOP library
        from portal.blueprints.sops import reading

        form.sop_ids.choices = [(s.id, s.label) for s in reading.sop_choices(property_id)]


@bp.route("/programmes/new", methods=["GET", "POST"])
def create_programme():
    require(can_manage_programmes)
    form = NewProgrammeForm()
    _programme_choices(form, current_user.property_id)
    if request.method == "POST" and form.validate():

        def add() -> str:
            programme = services.create_programme(
                current_user.property_id, form.data_object(), by=current_user
            )
            return url_for("training.programmes", _anchor=f"programme-{programme.id}")

        created = create_from_form(
            form, current_user, add, duplicate=lambda: DomainError(_("Reload and try again."))
        )
        if created is not None:
            if created.first:
                flash(_("Programme saved."), "success")
            return redirect_to(created.url)
    if request.method == "POST":
        return render_form("training/programme_form.html", "programme_form", form=form)
    return render("training/programme_form.html", form=form)


@bp.route("/programmes/<int:programme_id>/edit", methods=["GET", "POST"])
def edit_programme(programme_id: int):
    programme = db.get_or_404(Programme, bounded_id(programme_id))
    require(can_manage_programmes, programme, hide=not can_view_programme(current_user, programme))
    form = EditProgrammeForm(obj=programme)
    _programme_choices(form, programme.property_id)
    if request.method == "GET":
        form.fill_from(programme)
        form.version.data = str(programme.version)
    elif form.validate():

        def save() -> None:
            services.update_programme(
                programme, form.data_object(), by=current_user, expected_version=form.version.number
            )

        stale = _(
            "Someone else changed this programme while you were editing. Reload and try again."
        )
        if save_from_form(form, save, stale_message=stale):
            flash(_("Programme saved."), "success")
            return redirect_to(url_for("training.programmes", _anchor=f"programme-{programme.id}"))
    page = {"form": form, "programme": programme}
    if request.method == "POST":
        return render_form("training/programme_form.html", "programme_form", **page)
    return render("training/programme_form.html", **page)


# --- scheduling ---------------------------------------------------------------------------------
def _session_choices(form, property_id: int) -> None:
    form.programme_id.choices = [(p.id, p.title) for p in services.list_programmes(property_id)]
    form.trainer_id.choices = [
        (u.id, f"{u.name} ({u.staff_no})") for u in services.trainers_for(property_id)
    ]


def _session_data(form) -> services.SessionData:
    return services.SessionData(
        programme_id=form.programme_id.data,
        starts_at=services.to_utc(form.starts_at.data, "starts_at"),
        ends_at=services.to_utc(form.ends_at.data, "ends_at"),
        room=form.room.data,
        trainer_id=form.trainer_id.data,
        capacity=form.capacity.data,
    )


@bp.route("/sessions/new", methods=["GET", "POST"])
def create_session():
    require(can_schedule)
    form = NewSessionForm()
    _session_choices(form, current_user.property_id)
    if request.method == "GET":
        form.programme_id.data = int_arg("programme", 0) or None
    if request.method == "POST" and form.validate():

        def add() -> str:
            session = services.schedule_session(
                current_user.property_id, _session_data(form), by=current_user
            )
            return url_for("training.detail", session_id=session.id)

        created = create_from_form(
            form, current_user, add, duplicate=lambda: DomainError(_("Reload and try again."))
        )
        if created is not None:
            if created.first:
                flash(_("Session scheduled."), "success")
            return redirect_to(created.url)
    if request.method == "POST":
        return render_form("training/session_form.html", "session_form", form=form)
    return render("training/session_form.html", form=form)


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
def edit_session(session_id: int):
    session = _session(session_id)
    require(can_edit_session, session, hide=not can_view_session(current_user, session))
    form = EditSessionForm(obj=session)
    _session_choices(form, session.property_id)
    if request.method == "GET":
        form.starts_at.data = services.to_local(session.starts_at)
        form.ends_at.data = services.to_local(session.ends_at)
        form.version.data = str(session.version)
    elif form.validate():

        def save() -> None:
            services.update_session(
                session, _session_data(form), by=current_user, expected_version=form.version.number
            )

        if save_from_form(form, save, stale_message=str(services.SESSION_CHANGED)):
            flash(_("Session saved."), "success")
            return redirect_to(url_for("training.detail", session_id=session.id))
    page = {"form": form, "ts": session}
    if request.method == "POST":
        return render_form("training/session_form.html", "session_form", **page)
    return render("training/session_form.html", **page)


# --- a session: enrolment and the roll call -----------------------------------------------------
def _show(session: TrainingSession, *, enrol_form=None, row_forms=None, status: int = 200):
    mine = services.enrolment_of(session, current_user)
    position = (
        services.waiting_position(mine)
        if mine is not None and mine.status == EnrolmentStatus.WAITING
        else None
    )
    roll = services.roster(session, current_user)
    may_enrol_others = can_schedule(current_user)
    seated = mine is not None and mine.status == EnrolmentStatus.ENROLLED
    may_check_in = seated and services.check_in_window(session)
    return render(
        "training/detail.html",
        status=status,
        ts=session,
        programme=session.programme,
        mine=mine if mine is not None and mine.status != EnrolmentStatus.CANCELLED else None,
        position=position,
        roll=roll,
        may_edit=can_edit_session(current_user, session),
        may_enrol_others=may_enrol_others,
        may_take_attendance=can_take_attendance(current_user, session),
        candidates=services.people_to_enrol(session, current_user) if may_enrol_others else [],
        enrol_form=enrol_form or EnrolForm(formdata=None),
        now=services.utcnow(),
        row_context=_row_context,
        row_forms=row_forms or {},
        may_check_in=may_check_in,
        my_mark=services.current_mark(mine) if may_check_in else None,
    )


@bp.get("/sessions/<int:session_id>")
def detail(session_id: int):
    session = _session(session_id)
    require(can_view_session, session)
    return _show(session)


@bp.post("/sessions/<int:session_id>/enrol")
def enrol(session_id: int):
    session = _session(session_id)
    require(can_view_session, session)
    form = EnrolForm()
    person_id = form.person_id.data if form.person_id.validate(form) else None
    if person_id and person_id != current_user.id:
        person = db.get_or_404(User, person_id)
        require(can_enrol_person, person, hide=not in_property(current_user, person.property_id))
    else:
        require(can_enrol_self, session)
        person = current_user
    if not form.validate():
        return _show(session, enrol_form=form, status=422)

    def add() -> str:
        enrolment = services.enrol(
            session, person, by=current_user, waiting_list=form.waiting_list.data == "1"
        )
        if enrolment.status == EnrolmentStatus.ENROLLED:
            flash(_("%(name)s is enrolled.", name=person.name), "success")
        else:
            flash(
                _(
                    "%(name)s is number %(n)s on the waiting list.",
                    name=person.name,
                    n=services.waiting_position(enrolment),
                ),
                "info",
            )
        return url_for("training.detail", session_id=session.id)

    created = create_from_form(
        form,
        current_user,
        add,
        duplicate=lambda: DomainError(
            _("%(name)s is already enrolled in this session.", name=person.name),
            "person_id" if person.id != current_user.id else None,
        ),
    )
    if created is None:
        return _show(session, enrol_form=form, status=422)
    return redirect_to(created.url)


@bp.post("/enrolments/<int:enrolment_id>/check-in")
def check_in(enrolment_id: int):
    """Self check-in on a staff-room terminal (a plain post: it works without JavaScript)."""
    enrolment = _enrolment(enrolment_id)
    require(can_check_in, enrolment, hide=not can_see_enrolment(current_user, enrolment))
    form = EmptyForm()
    if not form.validate():
        return _show(enrolment.session, status=400)
    try:
        row = services.check_in(enrolment, by=current_user)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return _show(_session(enrolment.session_id), status=409)
    except IntegrityError:  # marked by the trainer at the same moment: theirs stands
        db.session.rollback()
        flash(_("The trainer marked you at the same moment: their mark is shown."), "info")
        return redirect_to(url_for("training.detail", session_id=enrolment.session_id))
    flash(_("You are checked in: %(mark)s.", mark=MARK_LABELS[Mark(row.mark)]), "success")
    return redirect_to(url_for("training.detail", session_id=enrolment.session_id))


@bp.post("/enrolments/<int:enrolment_id>/cancel")
def cancel(enrolment_id: int):
    enrolment = _enrolment(enrolment_id)
    require(can_cancel_enrolment, enrolment, hide=not can_see_enrolment(current_user, enrolment))
    if not EmptyForm().validate_on_submit():
        abort(400)
    name = enrolment.person.name
    apply_action(
        lambda: services.cancel_enrolment(enrolment, by=current_user),
        success=_("%(name)s no longer takes this session.", name=name),
    )
    return redirect_to(url_for("training.detail", session_id=enrolment.session_id))


# --- attendance rows (htmx: the row swaps; without JavaScript: 303 back to the session) ---------
def _row_context(enrolment: Enrolment, attendance, session: TrainingSession, **extra) -> dict:
    return {
        "e": enrolment,
        "a": attendance,
        "ts": session,
        "programme": session.programme,
        "may_mark": can_mark_attendance(current_user, enrolment),
        "may_cancel": session.starts_at > services.utcnow()
        and can_cancel_enrolment(current_user, enrolment),
        "marking_open": session.starts_at - services.MARKING_OPENS <= services.utcnow(),
        **extra,
    }


def _answer_row(enrolment: Enrolment, *, form=None, message=None, failed=False):
    """The row again for htmx (with the message in the fixed status area); without
    JavaScript, 303 back to the session, or the session page with the row's error (422).

    After a refusal the row is read again whole (someone else may have marked it); after a
    mark, only its current mark is read again (roster_row): the enrolment, its session and
    the signed-in person are as this request loaded them (commit_keeping_loaded)."""
    if is_htmx():
        if failed:
            db.session.expire_all()
            enrolment = _enrolment(enrolment.id)
        if message:
            flash(message, "danger" if failed else "success")
        row = services.roster_row(enrolment)
        context = _row_context(*row, enrolment.session, form=form)
        return render(
            "training/detail.html",
            block="attendance_row",
            row=context,
            programme=context["programme"],
        )
    if failed:
        db.session.expire_all()
        session = _session(enrolment.session_id)
        return _show(session, row_forms={enrolment.id: form}, status=422)
    if message:
        flash(message, "success")
    return redirect_to(
        url_for(
            "training.detail",
            session_id=enrolment.session_id,
            _anchor=f"enrolment-{enrolment.id}",
        )
    )


def _record(enrolment: Enrolment, form, **values):
    try:
        services.record_attendance(enrolment, by=current_user, **values)
        commit_keeping_loaded()
    except DomainError as error:
        db.session.rollback()
        error.attach(form)
        return False, error.message
    except IntegrityError:
        db.session.rollback()
        return False, _("Someone else marked this person at the same moment: their mark is shown.")
    return True, None


@bp.post("/enrolments/<int:enrolment_id>/mark")
def mark(enrolment_id: int):
    enrolment = _enrolment(enrolment_id)
    require(can_mark_attendance, enrolment, hide=not can_see_enrolment(current_user, enrolment))
    form = MarkForm()
    if not form.validate():
        return _answer_row(
            enrolment, form=form, message=_("Choose present, late, absent or excused."), failed=True
        )
    done, message = _record(enrolment, form, mark=form.mark.data)
    if not done:
        return _answer_row(enrolment, form=form, message=message, failed=True)
    label = MARK_LABELS[Mark(form.mark.data)]
    return _answer_row(
        enrolment, message=_("%(name)s: %(mark)s", name=enrolment.person.name, mark=label)
    )


@bp.post("/enrolments/<int:enrolment_id>/score")
def score(enrolment_id: int):
    enrolment = _enrolment(enrolment_id)
    require(can_mark_attendance, enrolment, hide=not can_see_enrolment(current_user, enrolment))
    form = ScoreForm()
    if form.validate():
        done, message = _record(enrolment, form, score=form.score.data)
    else:
        done, message = False, (form.score.errors or [_("Give a score from 0 to 100.")])[0]
    if not done:
        return _answer_row(enrolment, form=form, message=message, failed=True)
    return _answer_row(
        enrolment,
        message=_(
            "Score saved: %(name)s, %(score)s", name=enrolment.person.name, score=form.score.data
        ),
    )

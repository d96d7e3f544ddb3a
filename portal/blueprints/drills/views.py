"""Drill pages: parse -> load -> require(can_...) -> one operation -> commit once -> answer."""

from datetime import date

from flask import abort, flash, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from portal.blueprints.drills import (
    actions,
    amendments,
    bp,
    compliance,
    plans,
    roles,
    services,
    trend,
)
from portal.blueprints.drills.forms import (
    ActionForm,
    AmendForm,
    NewPlanForm,
    ReadForm,
    RecordForm,
    RevisePlanForm,
    RoleForm,
    RollForm,
    ScheduleForm,
    record_labels,
)
from portal.blueprints.drills.models import KIND_ICONS, PHASES, Drill, DrillStatus, Plan
from portal.blueprints.drills.permissions import (
    can_account_for,
    can_add_action,
    can_amend_record,
    can_assign_roles,
    can_call_roll,
    can_confirm_read,
    can_keep_plans,
    can_list_drills,
    can_mark_action_done,
    can_print_report,
    can_run_drill,
    can_schedule_drill,
    can_verify_action,
    can_view_compliance,
    can_view_drill,
    can_view_plan,
    marshal_departments,
)
from portal.blueprints.people.models import User
from portal.calendar import day_arg
from portal.database import commit_keeping_loaded, utcnow
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import EmptyForm
from portal.htmx import is_htmx, redirect_to, render, render_form
from portal.i18n import fmt_date, local_today
from portal.i18n import gettext as _
from portal.modules import is_registered
from portal.pagination import int_arg
from portal.permissions import in_property
from portal.security import bounded_id, require
from portal.submit import apply_action, create_from_form, save_from_form


def _plan(plan_id: int) -> Plan:
    plan = plans.get_plan(bounded_id(plan_id))
    if plan is None:
        abort(404)
    return plan


def _drill(drill_id: int) -> Drill:
    drill = services.get_drill(bounded_id(drill_id))
    if drill is None:
        abort(404)
    return drill


# --- the drills page: what runs now, what comes, how each shift stands ----------------------------
@bp.get("/")
def index():
    require(can_list_drills)
    property_id = current_user.property_id
    overseer = can_view_compliance(current_user)
    cells = compliance.overview(property_id) if overseer else []
    return render(
        "drills/index.html",
        drills=services.upcoming(property_id),
        recent=services.recent(property_id, limit=10),
        cells=cells,
        tally=compliance.counts(cells),
        may_schedule=can_schedule_drill(current_user),
        may_keep=can_keep_plans(current_user),
        overseer=overseer,
        icons=compliance.STANDING_ICONS,
    )


@bp.get("/compliance")
def compliance_view():
    require(can_view_compliance)
    cells = compliance.overview(current_user.property_id)
    return render(
        "drills/compliance.html",
        cells=cells,
        tally=compliance.counts(cells),
        icons=compliance.STANDING_ICONS,
        may_schedule=can_schedule_drill(current_user),
    )


# --- plans ------------------------------------------------------------------------------------
@bp.get("/plans")
def plan_list():
    require(can_list_drills)
    return render(
        "drills/plans.html",
        plans=plans.list_plans(current_user.property_id),
        to_read=plans.to_read_ids(current_user),
        may_keep=can_keep_plans(current_user),
    )


def _sop_choices(form, property_id: int) -> None:
    form.sop_ids.choices = []
    if is_registered("sops"):
        from portal.blueprints.sops import reading

        form.sop_ids.choices = [(s.id, s.label) for s in reading.sop_choices(property_id)]


@bp.route("/plans/new", methods=["GET", "POST"])
def create_plan():
    require(can_keep_plans)
    form = NewPlanForm()
    _sop_choices(form, current_user.property_id)
    if request.method == "GET":
        form.shifts.data = ["morning", "evening", "night"]
    if request.method == "POST" and form.validate():

        def add() -> str:
            plan = plans.create_plan(current_user.property_id, form.data_object(), by=current_user)
            return url_for("drills.plan", plan_id=plan.id)

        created = create_from_form(
            form,
            current_user,
            add,
            duplicate=lambda: DomainError(_("Another plan already has this code."), "code"),
        )
        if created is not None:
            if created.first:
                flash(_("Plan saved."), "success")
            return redirect_to(created.url)
    if request.method == "POST":
        return render_form("drills/plan_form.html", "plan_form", form=form, phases=PHASES)
    return render("drills/plan_form.html", form=form, phases=PHASES)


@bp.get("/plans/<int:plan_id>")
def plan(plan_id: int):
    plan = _plan(plan_id)
    require(can_view_plan, plan)
    versions = plans.history(plan)
    found = trend.points(plan)
    may_keep = can_keep_plans(current_user, plan)
    return render(
        "drills/plan.html",
        plan=plan,
        read=plans.has_read(versions[0], current_user),
        may_confirm=can_confirm_read(current_user, plan),
        readers=plans.readers(versions[0], plan.property_id) if may_keep else None,
        times=found,
        chart=trend.chart(found, plan.target_seconds),
        version=versions[0],
        versions=versions,
        may_keep=may_keep,
        may_schedule=can_schedule_drill(current_user),
    )


@bp.post("/plans/<int:plan_id>/read")
def confirm_read(plan_id: int):
    """ "I have read this version": a plain post, then back to the plan."""
    plan = _plan(plan_id)
    require(can_confirm_read, plan, hide=not can_view_plan(current_user, plan))
    form = ReadForm()
    if not form.validate():
        abort(400)
    version = plans.current_version(plan)
    if form.version.number != version.number:
        flash(_("A newer version of this plan is in force: read that one."), "warning")
        return redirect_to(url_for("drills.plan", plan_id=plan.id))
    apply_action(
        lambda: plans.confirm_read(plan, version, current_user),
        success=_("Thank you: you have read version %(n)s.", n=version.number),
    )
    return redirect_to(url_for("drills.plan", plan_id=plan.id))


@bp.route("/plans/<int:plan_id>/revise", methods=["GET", "POST"])
def revise_plan(plan_id: int):
    plan = _plan(plan_id)
    require(can_keep_plans, plan, hide=not can_view_plan(current_user, plan))
    form = RevisePlanForm(obj=plan)
    _sop_choices(form, plan.property_id)
    if request.method == "GET":
        form.fill_from(plan, plans.current_version(plan))
        form.version.data = str(plan.version)
    elif form.validate():

        def save() -> None:
            plans.revise_plan(
                plan, form.data_object(), by=current_user, expected_version=form.version.number
            )

        if save_from_form(form, save, stale_message=str(plans.REVISED_MEANWHILE)):
            flash(_("Plan revised: version %(n)s is in force.", n=plan.current_number), "success")
            return redirect_to(url_for("drills.plan", plan_id=plan.id))
    page = {"form": form, "plan": plan, "phases": PHASES}
    if request.method == "POST":
        return render_form("drills/plan_form.html", "plan_form", **page)
    return render("drills/plan_form.html", **page)


# --- scheduling -------------------------------------------------------------------------------
@bp.route("/new", methods=["GET", "POST"])
def schedule():
    require(can_schedule_drill)
    form = ScheduleForm()
    form.plan_id.choices = plans.plan_choices(current_user.property_id)
    if request.method == "GET":
        form.plan_id.data = int_arg("plan", 0) or None
        form.shift.data = request.args.get("shift") or None
        # From the calendar's "schedule it": the day it is due (never a day gone by).
        form.planned_on.data = max(day_arg("day", local_today()), local_today())
    if request.method == "POST" and form.validate():

        def add() -> str:
            plan = plans.get_plan(form.plan_id.data)
            if plan is None or plan.property_id != current_user.property_id:
                raise DomainError(_("Choose a plan of this property."), "plan_id")
            drill = services.schedule(plan, form.shift.data, form.planned_on.data, by=current_user)
            return url_for("drills.detail", drill_id=drill.id)

        created = create_from_form(
            form, current_user, add, duplicate=lambda: DomainError(_("Reload and try again."))
        )
        if created is not None:
            if created.first:
                flash(_("Drill scheduled."), "success")
            return redirect_to(created.url)
    if request.method == "POST":
        return render_form("drills/schedule.html", "schedule_form", form=form)
    return render("drills/schedule.html", form=form)


# --- a drill --------------------------------------------------------------------------------------
def _show(
    drill: Drill,
    *,
    record_form=None,
    action_form=None,
    done_forms=None,
    role_form=None,
    status: int = 200,
):
    may_run = can_run_drill(current_user, drill)
    may_roll = can_call_roll(current_user, drill) and drill.status in (
        DrillStatus.RUNNING,
        DrillStatus.ENDED,
    )
    department_id = int_arg("department", 0)
    if record_form is None and drill.status == DrillStatus.ENDED and may_run:
        record_form = RecordForm(formdata=None, obj=drill)
        record_form.fill_from(drill)
    accounted, total = services.accounted_count(drill, current_user) if may_roll else (0, 0)
    after = drill.status in (DrillStatus.ENDED, DrillStatus.CLOSED)
    may_add_action = after and can_add_action(current_user, drill)
    if may_add_action and action_form is None:
        action_form = ActionForm(formdata=None)
    if action_form is not None:
        action_form.owner_id.choices = actions.owner_choices(drill.property_id)
    amendment_rows = amendments.of_drill(drill) if drill.status == DrillStatus.CLOSED else []
    roll_only = is_htmx() and request.method == "GET"  # the roll call's department filter
    may_assign = can_assign_roles(current_user, drill) and not roll_only
    if may_assign and role_form is None:
        role_form = RoleForm(formdata=None)
    if role_form is not None:
        role_form.person_id.choices = roles.choices(drill.property_id)
    return render(
        "drills/detail.html",
        block="roll_call" if roll_only else None,
        record_values=amendments.record_values(drill, amendment_rows),
        amendment_rows=amendment_rows,
        amended={a.field for a in amendment_rows},
        record_labels=record_labels() if amendment_rows else {},
        may_amend=can_amend_record(current_user, drill),
        drill_roles=[] if roll_only else roles.of_drill(drill),
        may_assign=may_assign,
        role_form=role_form if may_assign else None,
        status=status,
        drill=drill,
        plan=drill.plan,
        version=drill.plan_version,
        may_run=may_run,
        may_roll=may_roll,
        roll=services.roster(drill, current_user, department_id or None) if may_roll else [],
        departments=marshal_departments(current_user, drill) if may_roll else [],
        department_id=department_id,
        accounted=accounted,
        total=total,
        record_form=record_form,
        missing=services.missing_for_close(drill) if drill.status == DrillStatus.ENDED else {},
        may_print=can_print_report(current_user, drill),
        actions=actions.of_drill(drill) if after else [],
        action_form=action_form if may_add_action else None,
        done_forms=done_forms or {},
        may_mark_done=lambda a: can_mark_action_done(current_user, a),
        may_verify=lambda a: can_verify_action(current_user, a),
        today=local_today(),
        now=utcnow(),
    )


@bp.get("/<int:drill_id>")
def detail(drill_id: int):
    drill = _drill(drill_id)
    require(can_view_drill, drill)
    return _show(drill)


def _step(drill_id: int, step, success: str):
    drill = _drill(drill_id)
    require(can_run_drill, drill, hide=not can_view_drill(current_user, drill))
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        applied = step(drill, by=current_user)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return _show(_drill(drill_id), status=409)
    if applied:
        flash(success, "success")
    return redirect_to(url_for("drills.detail", drill_id=drill.id))


@bp.post("/<int:drill_id>/start")
def start(drill_id: int):
    return _step(drill_id, services.start, _("Alarm given: the timer runs from now."))


@bp.post("/<int:drill_id>/all-clear")
def all_clear(drill_id: int):
    return _step(drill_id, services.all_clear, _("All clear: the evacuation time is recorded."))


@bp.post("/<int:drill_id>/close")
def close(drill_id: int):
    drill = _drill(drill_id)
    require(can_run_drill, drill, hide=not can_view_drill(current_user, drill))
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        applied = services.close(drill, by=current_user)
        db.session.commit()
    except services.RecordIncomplete as error:
        db.session.rollback()
        form = RecordForm(formdata=None, obj=drill)
        form.fill_from(drill)
        error.attach(form)
        return _show(drill, record_form=form, status=422)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return _show(_drill(drill_id), status=409)
    if applied:
        flash(_("Record closed."), "success")
    return redirect_to(url_for("drills.detail", drill_id=drill.id))


@bp.post("/<int:drill_id>/record")
def record(drill_id: int):
    drill = _drill(drill_id)
    require(can_run_drill, drill, hide=not can_view_drill(current_user, drill))
    form = RecordForm()
    if form.validate():

        def save() -> None:
            services.save_record(
                drill, form.values(), by=current_user, expected_version=form.version.number
            )

        stale = _("Someone else saved this record while you were writing. Reload and try again.")
        if save_from_form(form, save, stale_message=stale):
            flash(_("Record saved."), "success")
            return redirect_to(url_for("drills.detail", drill_id=drill.id, _anchor="record"))
    db.session.expire_all()
    return _show(_drill(drill_id), record_form=form, status=422)


@bp.route("/<int:drill_id>/amend", methods=["GET", "POST"])
def amend(drill_id: int):
    """Correct a closed record: the page holds the record as amended so far; saving adds one
    amendment row per field changed, with the reason."""
    drill = _drill(drill_id)
    require(can_amend_record, drill, hide=not can_view_drill(current_user, drill))
    if request.method == "GET":
        form = AmendForm(formdata=None)
        form.fill_from_values(amendments.record_values(drill), drill.version)
        return render("drills/amend.html", drill=drill, plan=drill.plan, form=form)
    form = AmendForm()
    if form.validate():

        def save() -> None:
            amendments.amend(
                drill,
                form.values(),
                form.reason.data,
                by=current_user,
                expected_version=form.version.number,
            )

        stale = _("Someone else amended this record while you were writing. Reload and try again.")
        if save_from_form(form, save, stale_message=stale):
            flash(_("Amendment recorded."), "success")
            return redirect_to(url_for("drills.detail", drill_id=drill.id, _anchor="amendments"))
    db.session.expire_all()
    drill = _drill(drill_id)
    return render("drills/amend.html", drill=drill, plan=drill.plan, form=form, status=422)


@bp.post("/<int:drill_id>/roll/<int:person_id>")
def account(drill_id: int, person_id: int):
    """A roll-call tap: htmx swaps the person's row (and the count); without JavaScript, 303
    back to the roll call."""
    drill = db.get_or_404(Drill, bounded_id(drill_id))  # the row answers no more of it
    person = db.get_or_404(User, bounded_id(person_id), options=[joinedload(User.department)])

    def can_account_for_person(user, who) -> bool:
        return can_account_for(user, drill, who)

    seen = can_view_drill(current_user, drill) and in_property(current_user, person.property_id)
    require(can_account_for_person, person, hide=not seen)
    form = RollForm()
    message, failed, state = None, False, None
    if not form.validate():
        message, failed = _("Reload the page and try again."), True
    else:
        try:
            state = services.account_for(drill, person, form.accounted.data == "1", by=current_user)
            commit_keeping_loaded()  # the answer shows the drill and person as loaded
        except DomainError as error:
            db.session.rollback()
            message, failed, state = error.message, True, None
    if is_htmx():
        if message:
            flash(message, "danger")
        state = state or services.roll_state(drill, person.id)  # unchanged: read it
        accounted, total = services.accounted_count(drill, current_user)
        return render(
            "drills/detail.html",
            block="roll_row_answer",
            status=200,
            drill=drill,
            r=services.RosterRow(
                person,
                person.department.name if person.department else "",
                bool(state and state.accounted),
                state.marked_at if state else None,
            ),
            accounted=accounted,
            total=total,
            may_roll=True,
        )
    if failed:
        flash(message, "danger")
        return _show(drill, status=409)
    return redirect_to(url_for("drills.detail", drill_id=drill.id, _anchor=f"person-{person.id}"))


# --- what every drill page shows alike ------------------------------------------------------------
STATUS_BADGES = {
    DrillStatus.PLANNED: "text-bg-secondary",
    DrillStatus.RUNNING: "text-bg-danger",
    DrillStatus.ENDED: "text-bg-warning",
    DrillStatus.CLOSED: "text-bg-success",
}


def duration(value) -> str:
    """A time span (timedelta or seconds) as minutes and seconds: 4 min 05 s, 4分05秒."""
    if value is None:
        return "–"
    seconds = int(value.total_seconds()) if hasattr(value, "total_seconds") else int(value)
    minutes, seconds = divmod(max(seconds, 0), 60)
    return _("%(m)s min %(s)s s", m=minutes, s=f"{seconds:02d}")


def shown(name: str, value) -> str:
    """A record field's value as an amendment row keeps it, for reading."""
    if value is None or value == "":
        return "–"
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    if name == "notice_given_on":
        return fmt_date(date.fromisoformat(value))
    return str(value)


@bp.context_processor
def _drill_helpers() -> dict:
    return {
        "kind_icons": KIND_ICONS,
        "status_badges": STATUS_BADGES,
        "duration": duration,
        "shown": shown,
    }

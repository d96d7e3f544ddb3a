"""Security incidents: anyone reports one from a terminal (a plain form, JavaScript or not);
security sees the property's, triages and closes them; a reporter sees their own."""

from flask import abort, flash, request, url_for
from flask_login import current_user

from portal.blueprints.drills import bp, incidents, plans
from portal.blueprints.drills.forms import CloseIncidentForm, IncidentForm, TriageForm
from portal.blueprints.drills.models import SEVERITY_BADGES, Incident, IncidentStatus
from portal.blueprints.drills.permissions import (
    can_handle_incident,
    can_report_incident,
    can_view_incident,
    is_security,
)
from portal.database import utcnow
from portal.errors import DomainError
from portal.extensions import db
from portal.htmx import redirect_to, render
from portal.i18n import gettext as _
from portal.i18n import to_local, to_utc
from portal.pagination import paginate
from portal.security import bounded_id, require
from portal.submit import create_from_form


def _incident(incident_id: int) -> Incident:
    incident = incidents.get(bounded_id(incident_id))
    if incident is None:
        abort(404)
    return incident


@bp.route("/incidents/new", methods=["GET", "POST"])
def report_incident():
    require(can_report_incident)
    form = IncidentForm()
    if request.method == "GET":
        form.occurred_at.data = to_local(utcnow()).replace(second=0, microsecond=0)
        form.severity.data = "low"
    elif form.validate():

        def add() -> str:
            data = incidents.Report(
                occurred_at=to_utc(form.occurred_at.data, "occurred_at"),
                location=form.location.data,
                what=form.what.data,
                involved=form.involved.data or "",
                severity=form.severity.data,
            )
            incident = incidents.report(current_user.property_id, data, by=current_user)
            return url_for("drills.incident", incident_id=incident.id)

        created = create_from_form(
            form, current_user, add, duplicate=lambda: DomainError(_("Reload and try again."))
        )
        if created is not None:
            if created.first:
                flash(_("Thank you: security has your report."), "success")
            return redirect_to(created.url)
    status = 422 if request.method == "POST" else 200
    return render("drills/incident_form.html", form=form, status=status)


@bp.get("/incidents")
def incident_list():
    require(can_report_incident)
    security = is_security(current_user)
    page = paginate(
        incidents.listed(current_user.property_id, reporter=None if security else current_user)
    )
    return render(
        "drills/incidents.html",
        block="incident_results",
        page=page,
        rows=page.items,
        security=security,
        badges=SEVERITY_BADGES,
    )


def _show(incident: Incident, *, triage_form=None, close_form=None, status: int = 200):
    handler = can_handle_incident(current_user, incident)
    if handler and incident.status == IncidentStatus.REPORTED and triage_form is None:
        triage_form = TriageForm(formdata=None, severity=incident.severity)
    if handler and incident.status == IncidentStatus.IN_HAND and close_form is None:
        close_form = CloseIncidentForm(formdata=None)
    if close_form is not None:
        close_form.plan_id.choices = _plan_choices(incident.property_id)
    return render(
        "drills/incident.html",
        status=status,
        incident=incident,
        triage_form=triage_form if handler else None,
        close_form=close_form if handler else None,
        badges=SEVERITY_BADGES,
    )


@bp.get("/incidents/<int:incident_id>")
def incident(incident_id: int):
    found = _incident(incident_id)
    require(can_view_incident, found)
    return _show(found)


def _plan_choices(property_id: int) -> list:
    return [(0, _("None")), *plans.plan_choices(property_id)]


def _handled(incident_id: int) -> Incident:
    """An incident security acts on; hidden (404) from whoever may not see it at all."""
    found = _incident(incident_id)
    require(can_handle_incident, found, hide=not can_view_incident(current_user, found))
    return found


@bp.post("/incidents/<int:incident_id>/triage")
def triage_incident(incident_id: int):
    found = _handled(incident_id)
    form = TriageForm()
    if form.validate():
        try:
            if incidents.triage(found, form.severity.data, form.triage_note.data, by=current_user):
                flash(_("Incident in hand."), "success")
            db.session.commit()
            return redirect_to(url_for("drills.incident", incident_id=found.id))
        except DomainError as error:
            db.session.rollback()
            error.attach(form)
            found = _incident(incident_id)
    return _show(found, triage_form=form, status=422)


@bp.post("/incidents/<int:incident_id>/close")
def close_incident(incident_id: int):
    found = _handled(incident_id)
    form = CloseIncidentForm()
    form.plan_id.choices = _plan_choices(found.property_id)
    if form.validate():
        plan = plans.get_plan(form.plan_id.data) if form.plan_id.data else None
        try:
            closed = incidents.close(found, form.actions_taken.data, plan, by=current_user)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            error.attach(form)
            return _show(_incident(incident_id), close_form=form, status=422)
        if closed and plan is not None:
            flash(_("Incident closed. Revise the plan now: say what the incident showed."), "info")
            return redirect_to(url_for("drills.revise_plan", plan_id=plan.id))
        if closed:
            flash(_("Incident closed."), "success")
        return redirect_to(url_for("drills.incident", incident_id=found.id))
    return _show(found, close_form=form, status=422)

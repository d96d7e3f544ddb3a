"""The drills' documents (PDF): a plan for everyone of its property, a drill's report for those
who oversee drills. The view checks access and sends the document; portal/pdf.py renders it
away from the web worker."""

from flask import abort, flash, request, url_for
from flask_login import current_user

from portal.blueprints.drills import bp, pdf
from portal.blueprints.drills.permissions import (
    can_print_report,
    can_view_drill,
    can_view_plan,
)
from portal.blueprints.drills.views import _drill, _plan
from portal.errors import DomainError
from portal.htmx import redirect_to
from portal.security import require


def _language() -> str:
    """?lang=en|zh|both (default both); another value is a bad request."""
    lang = request.args.get("lang") or "both"
    if lang not in pdf.LANGUAGES:
        abort(400)
    return lang


@bp.get("/plans/<int:plan_id>/plan.pdf")
def plan_pdf(plan_id: int):
    plan = _plan(plan_id)
    require(can_view_plan, plan)
    return pdf.plan_document(plan, _language()).send()


@bp.get("/<int:drill_id>/report.pdf")
def report_pdf(drill_id: int):
    drill = _drill(drill_id)
    require(can_print_report, drill, hide=not can_view_drill(current_user, drill))
    lang = _language()
    try:
        document = pdf.report_document(drill, lang)
    except DomainError as error:
        flash(error.message, "warning")
        return redirect_to(url_for("drills.detail", drill_id=drill.id))
    return document.send()

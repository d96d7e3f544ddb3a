"""The rosters' documents (PDF): the day's room lists and the door labels, for housekeeping's
supervisors and managers. The view checks access and sends the document; portal/pdf.py renders
it away from the web worker."""

from flask import abort, flash, request, url_for
from flask_login import current_user

from portal.blueprints.rosters import bp, pdf
from portal.blueprints.rosters.permissions import can_build_roster, can_keep_rooms
from portal.calendar import day_arg
from portal.errors import DomainError
from portal.htmx import redirect_to
from portal.i18n import local_today
from portal.pagination import int_arg
from portal.security import LARGEST_ID, require


@bp.get("/day/lists.pdf")
def lists_pdf():
    """Every attendant's list for the day (?attendant=<id>: one), each in their language."""
    require(can_build_roster)
    day = day_arg("day", local_today())
    attendant = int_arg("attendant", default=None, low=1, high=LARGEST_ID)
    try:
        document = pdf.sheets_document(current_user.property_id, day, attendant)
    except DomainError as error:
        flash(error.message, "warning")
        return redirect_to(url_for("rosters.roster", day=day.isoformat()))
    return document.send()


@bp.get("/rooms/labels.pdf")
def labels_pdf():
    require(can_keep_rooms)
    lang = request.args.get("lang") or "both"
    if lang not in pdf.LANGUAGES:
        abort(400)
    try:
        document = pdf.labels_document(current_user.property_id, lang)
    except DomainError as error:
        flash(error.message, "warning")
        return redirect_to(url_for("rosters.room_list"))
    return document.send()


@bp.get("/day/report.pdf")
def day_report_pdf():
    """The day's housekeeping report (?day=, default today; ?lang=en|zh|both)."""
    require(can_build_roster)
    day = day_arg("day", local_today())
    lang = request.args.get("lang") or "both"
    if lang not in pdf.LANGUAGES:
        abort(400)
    try:
        document = pdf.day_report_document(current_user.property_id, day, lang)
    except DomainError as error:
        flash(error.message, "warning")
        return redirect_to(url_for("rosters.history_view"))
    return document.send()

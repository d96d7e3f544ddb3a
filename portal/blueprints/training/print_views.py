"""Training documents: a session's sign-in sheet and a person's training record (PDF).

The view checks access and sends the document (portal/pdf.py renders it away from the web
worker). The rules are in permissions.py:

- the sign-in sheet lists everyone with a seat: for those who run the roll call of the whole
  session (permissions.can_print_sign_in_sheet);
- a training record: for the person, their supervisor and HR (can_print_training_record);
- the compliance matrix: for whoever sees its page (can_view_compliance), with the page's
  department filter.
"""

from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from portal.blueprints.people.models import User
from portal.blueprints.people.pdf import language_of
from portal.blueprints.training import bp, documents
from portal.blueprints.training.compliance_views import department_filter
from portal.blueprints.training.models import EnrolmentStatus, TrainingSession
from portal.blueprints.training.permissions import (
    can_print_sign_in_sheet,
    can_print_training_record,
    can_view_compliance,
    can_view_session,
)
from portal.blueprints.training.views import _session
from portal.errors import DomainError
from portal.extensions import db
from portal.htmx import redirect_to
from portal.i18n import gettext as _
from portal.modules import Link
from portal.permissions import in_property
from portal.security import bounded_id, require


@bp.context_processor
def _print_permissions() -> dict:
    """The session page asks whether to offer the sheet, from the roster it already has (no
    query added to the page)."""

    def may_print_sign_in(session: TrainingSession, roll) -> bool:
        seated = any(e.status == EnrolmentStatus.ENROLLED for e, _a in roll or ())
        return can_print_sign_in_sheet(current_user, session, sees_a_seat=seated)

    return {"may_print_sign_in": may_print_sign_in}


def transcript_link(viewer, person) -> Link | None:
    """On a person's page: their training record (PDF), for those who may print it."""
    if not can_print_training_record(viewer, person):
        return None
    return Link(
        url_for("training.transcript", person_id=person.id), _("Training record (PDF)"), "printer"
    )


# --- print ----------------------------------------------------------------------------------
def _language(default: str | None = None) -> str | None:
    """?lang=en|zh|both; another value is a bad request (as the SOP prints)."""
    lang = request.args.get("lang") or default
    if lang is not None and lang not in documents.LANGUAGES:
        abort(400)
    return lang


def _person(person_id: int) -> User:
    return db.get_or_404(
        User,
        bounded_id(person_id),
        options=[
            joinedload(User.property),
            joinedload(User.department),
            joinedload(User.job_title),
        ],
    )


@bp.get("/sessions/<int:session_id>/sign-in.pdf")
def sign_in_sheet(session_id: int):
    session = _session(session_id)
    require(can_print_sign_in_sheet, session, hide=not can_view_session(current_user, session))
    return documents.sign_in_document(session, _language("both")).send()


@bp.get("/people/<int:person_id>/record.pdf")
def transcript(person_id: int):
    person = _person(person_id)
    require(
        can_print_training_record, person, hide=not in_property(current_user, person.property_id)
    )
    return documents.transcript_document(person, _language()).send()


@bp.get("/compliance.pdf")
def compliance_pdf():
    """The matrix of the page's filter (every person of it), in ?lang= (default: the viewer's
    own language, both when they chose none)."""
    require(can_view_compliance)
    viewer = current_user._get_current_object()
    lang = _language(language_of(viewer))
    department_id, departments = department_filter(viewer)
    try:
        document = documents.compliance_document(viewer, department_id, lang, departments)
    except DomainError as error:
        flash(error.message, "warning")
        return redirect_to(url_for("training.compliance_matrix", department=department_id or None))
    return document.send()

"""Import the staff list from a spreadsheet (upload, check, import) and export it in the same
columns. Plain forms and posts: each works with JavaScript off.

    GET  /people/import              the upload form
    POST /people/import              read and keep the file, then 303 to its check
    GET  /people/import/<id>         every row checked: added, already in the portal, errors
    POST /people/import/<id>         import once (303 to the people list)
    GET  /people/export[?format=csv] the people of the property, in the import's columns (Excel)
"""

from __future__ import annotations

import io

from flask import Response, flash, request, url_for
from flask_login import current_user
from flask_wtf.file import FileField
from sqlalchemy.orm import joinedload
from wtforms import BooleanField

from portal import audit
from portal.blueprints.people import bp, imports, services
from portal.blueprints.people.models import PeopleImport, User
from portal.blueprints.people.permissions import (
    can_create_person,
    can_import_upload,
    can_list_people,
)
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import PortalForm
from portal.htmx import redirect_to, render
from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l
from portal.permissions import in_property
from portal.security import bounded_id, require
from portal.spreadsheet import csv_download, csv_text, safe_cell


class UploadForm(PortalForm):
    file = FileField(_l("Staff list (CSV or Excel)"))


class ImportForm(PortalForm):
    all_or_nothing = BooleanField(_l("All or nothing: import no one if any row has errors"))


def _upload(upload_id: int) -> PeopleImport:
    upload = db.get_or_404(PeopleImport, bounded_id(upload_id))
    # Another property's upload is not there for this person (404); at home, 403.
    require(can_import_upload, upload, hide=not in_property(current_user, upload.property_id))
    return upload


@bp.route("/import", methods=["GET", "POST"])
def import_people():
    require(can_create_person)
    form = UploadForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            sent = request.files.get("file")
            try:
                if sent is None or not sent.filename:
                    raise imports.UnreadableFile(_("Choose the file to import."))
                table = imports.read_table(sent.filename, sent.read())
                upload = imports.keep(
                    current_user.property_id, sent.filename, table, by=current_user
                )
                db.session.commit()
                return redirect_to(url_for("people.import_check", upload_id=upload.id))
            except DomainError as error:
                db.session.rollback()
                form.file.errors = [error.message]
        status = 422
    return render("people/import.html", status=status, form=form, preview=None)


@bp.get("/import/<int:upload_id>")
def import_check(upload_id: int):
    upload = _upload(upload_id)
    return _check_page(upload, ImportForm(formdata=None))


def _check_page(upload: PeopleImport, form: ImportForm, status: int = 200):
    preview = imports.check(upload.property_id, upload.rows, by=current_user)
    return render(
        "people/import.html",
        status=status,
        upload=upload,
        preview=preview,
        import_form=form,
        form=UploadForm(formdata=None),
    )


@bp.post("/import/<int:upload_id>")
def import_run(upload_id: int):
    upload = _upload(upload_id)
    form = ImportForm()
    if not form.validate_on_submit():
        return _check_page(upload, form, status=400)
    try:
        outcome, _preview = imports.run(
            upload, by=current_user, all_or_nothing=bool(form.all_or_nothing.data)
        )
        db.session.commit()
    except imports.AlreadyImported as error:  # a double tap, a second tab
        db.session.rollback()
        flash(error.message, "warning")
        return redirect_to(url_for("people.index"))
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return _check_page(db.session.get(PeopleImport, upload.id), form, status=422)
    flash(
        _(
            "%(added)s people added; %(existing)s already in the portal; %(refused)s rows with "
            "errors left out. They sign in once you give them a PIN or password.",
            added=outcome.added,
            existing=outcome.existing,
            refused=outcome.refused,
        ),
        "success",
    )
    return redirect_to(url_for("people.index"))


def _people_of_property() -> list[User]:
    query = (
        services.people_at(current_user.property_id, active=True)
        .options(joinedload(User.department), joinedload(User.job_title))
        .order_by(User.staff_no)
    )
    return list(db.session.scalars(query))


@bp.get("/export")
def export_people():
    require(can_list_people)
    kind = "csv" if request.args.get("format") == "csv" else "xlsx"
    rows = imports.export_rows(_people_of_property())
    audit.record(
        "people.exported",
        actor=current_user,
        property_id=current_user.property_id,
        summary=f"format={kind} people={len(rows) - 1}",
    )
    db.session.commit()
    name = f"staff-list-{current_user.property.code}"
    if kind == "csv":
        return csv_download(csv_text(rows), f"{name}.csv")
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Staff list"))
    for row in rows:
        sheet.append([safe_cell(cell) for cell in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return Response(
        buffer.getvalue(),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={
            "Content-Disposition": f'attachment; filename="{name}.xlsx"',
            "Cache-Control": "no-store",
        },
    )

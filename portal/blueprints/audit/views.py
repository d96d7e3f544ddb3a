import csv
import io
from zoneinfo import ZoneInfo

from flask import request
from flask_login import current_user

from portal import audit, modules
from portal.audit import AuditEvent
from portal.blueprints.audit import bp, services
from portal.blueprints.audit.forms import AuditFilterForm
from portal.blueprints.audit.permissions import can_view_audit
from portal.blueprints.audit.services import PERSON
from portal.blueprints.people import services as people
from portal.database import utcnow
from portal.extensions import db
from portal.htmx import is_htmx, render
from portal.i18n import gettext as _
from portal.i18n import select_timezone
from portal.pagination import paginate
from portal.security import require
from portal.spreadsheet import csv_download, safe_cell


@bp.app_template_filter("audit_details")
def audit_details(event: AuditEvent) -> list[audit.Detail]:
    """An event's summary in the reader's language (see portal.audit.details)."""
    return audit.details(event)


def _form() -> AuditFilterForm:
    form = AuditFilterForm(request.args)
    kinds = sorted(
        ((key, str(label)) for key, label in modules.audit_objects().items()),
        key=lambda kind: kind[1].casefold(),
    )
    form.object_type.choices = [("", _("Every kind")), *kinds]
    return form


def _query(form: AuditFilterForm):
    ok = form.validate()
    data = form.data if ok else {}
    return services.events_query(
        current_user,
        actor=data.get("actor"),
        subject=data.get("subject"),
        object_type=data.get("object_type"),
        object_id=data.get("object_id"),
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
    ), ok


@bp.get("/")
def index():
    require(can_view_audit)
    form = _form()
    query, ok = _query(form)
    page = paginate(query)
    status = 200 if ok or is_htmx() else 422
    return render(
        "audit/index.html",
        block="audit_results",
        status=status,
        form=form,
        page=page,
        acted_on=services.people_acted_on(page.items),
    )


@bp.get("/export.csv")
def export_csv():
    require(can_view_audit)
    form = _form()
    query, ok = _query(form)
    if not ok:
        page = paginate(query)
        return render(
            "audit/index.html",
            status=422,
            form=form,
            page=page,
            acted_on=services.people_acted_on(page.items),
        )
    services.record_export(by=current_user, filters=request.query_string.decode())
    db.session.commit()
    zone_name = select_timezone()
    zone = ZoneInfo(zone_name)
    properties = {p.id: p.name for p in people.list_properties()}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            _("Number"),
            _("Local time (%(zone)s)", zone=zone_name),
            _("Time (UTC)"),
            _("Who acted: staff number"),
            _("Who acted"),
            _("Property"),
            _("Action"),
            _("Action code"),
            _("Kind of record"),
            _("Record number"),
            _("Person acted on"),
            _("Details"),
            _("Details as recorded"),
            _("IP address"),
            _("Row hash"),
        ]
    )
    last_id = None
    while True:  # keyset pages of 1,000 rows: memory stays flat whatever the trail's length
        chunk_query = query.limit(1000)
        if last_id is not None:
            chunk_query = chunk_query.where(AuditEvent.id < last_id)
        chunk = list(db.session.scalars(chunk_query))
        acted_on = services.people_acted_on(chunk)
        for event in chunk:
            actor = event.actor
            subject = acted_on.get(event.object_id) if event.object_type == PERSON else None
            writer.writerow(
                [
                    event.id,
                    event.occurred_at.astimezone(zone).isoformat(sep=" ", timespec="seconds"),
                    event.occurred_at.isoformat(timespec="seconds"),
                    actor.staff_no if actor else "",
                    safe_cell(actor.name if actor else ""),
                    safe_cell(properties.get(event.property_id, "")),
                    audit.action_label(event.action),
                    event.action,
                    audit.object_label(event.object_type),
                    event.object_id or "",
                    safe_cell(f"{subject.name} ({subject.staff_no})" if subject else ""),
                    safe_cell(audit.details_text(event)),
                    safe_cell(event.summary),
                    event.ip or "",
                    event.row_hash,
                ]
            )
        if len(chunk) < 1000:
            break
        last_id = chunk[-1].id
        db.session.expunge_all()
    stamp = utcnow().strftime("%Y%m%d-%H%M")
    return csv_download(buffer.getvalue(), f"audit-{stamp}.csv")

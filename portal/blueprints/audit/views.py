import csv
import io

from flask import Response, request
from flask_login import current_user

from portal.audit import AuditEvent
from portal.blueprints.audit import bp, services
from portal.blueprints.audit.forms import AuditFilterForm
from portal.blueprints.audit.permissions import can_view_audit
from portal.database import utcnow
from portal.extensions import db
from portal.htmx import is_htmx, render
from portal.pagination import paginate
from portal.security import require


def _query(form: AuditFilterForm):
    ok = form.validate()
    data = form.data if ok else {}
    return services.events_query(
        current_user,
        person=data.get("person"),
        object_type=data.get("object_type"),
        object_id=data.get("object_id"),
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
    ), ok


@bp.get("/")
def index():
    require(can_view_audit)
    form = AuditFilterForm(request.args)
    query, ok = _query(form)
    page = paginate(query)
    status = 200 if ok or is_htmx() else 422
    return render("audit/index.html", block="audit_results", status=status, form=form, page=page)


@bp.get("/export.csv")
def export_csv():
    require(can_view_audit)
    form = AuditFilterForm(request.args)
    query, ok = _query(form)
    if not ok:
        return render("audit/index.html", status=422, form=form, page=paginate(query))
    services.record_export(by=current_user, filters=request.query_string.decode())
    db.session.commit()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "id",
            "occurred_at_utc",
            "actor_staff_no",
            "actor_name",
            "property_id",
            "action",
            "object_type",
            "object_id",
            "summary",
            "ip",
            "row_hash",
        ]
    )
    last_id = None
    while True:  # keyset pages of 1,000 rows: memory stays flat whatever the trail's length
        chunk_query = query.limit(1000)
        if last_id is not None:
            chunk_query = chunk_query.where(AuditEvent.id < last_id)
        chunk = list(db.session.scalars(chunk_query))
        for event in chunk:
            actor = event.actor
            writer.writerow(
                [
                    event.id,
                    event.occurred_at.isoformat(),
                    actor.staff_no if actor else "",
                    _csv_safe((actor.name_en or actor.name_zh) if actor else ""),
                    event.property_id,
                    event.action,
                    event.object_type or "",
                    event.object_id or "",
                    _csv_safe(event.summary),
                    event.ip or "",
                    event.row_hash,
                ]
            )
        if len(chunk) < 1000:
            break
        last_id = chunk[-1].id
        db.session.expunge_all()
    stamp = utcnow().strftime("%Y%m%d-%H%M")
    return Response(
        "\ufeff" + buffer.getvalue(),  # BOM: spreadsheet programs then read Chinese correctly
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="audit-{stamp}.csv"'},
    )


def _csv_safe(value: str) -> str:
    """Keep spreadsheet programs from treating a cell as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value

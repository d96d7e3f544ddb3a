"""Training compliance pages: the matrix of people x required programmes (HR for the property,
supervisors for their departments), its CSV, and each person's own list on the sessions page."""

from __future__ import annotations

from flask_login import current_user

from portal.blueprints.people import services as people
from portal.blueprints.training import bp, compliance
from portal.blueprints.training.compliance import SHOWN_ORDER, STATUS_ICONS
from portal.blueprints.training.permissions import can_view_compliance
from portal.database import utcnow
from portal.htmx import is_htmx, render
from portal.i18n import fmt_date
from portal.i18n import gettext as _
from portal.pagination import MAX_PAGE, Page, int_arg
from portal.security import require
from portal.spreadsheet import csv_download, csv_text, safe_cell

PER_PAGE = 50  # people per page of the matrix (the counts are over all of them)


def departments_for(viewer) -> list:
    """The departments whose people the viewer's matrix can show."""
    if viewer.role == "supervisor":
        return list(viewer.supervises)
    return people.property_departments(viewer.property_id)


def department_filter(viewer) -> tuple[int, list]:
    departments = departments_for(viewer)
    wanted = int_arg("department", 0)
    return (wanted if any(d.id == wanted for d in departments) else 0), departments


@bp.get("/compliance")
def compliance_matrix():
    require(can_view_compliance)
    department_id, departments = department_filter(current_user)
    result = compliance.matrix(current_user, department_id=department_id or None)
    number = int_arg("page", 1, 1, MAX_PAGE)
    last = max(1, -(-len(result.people) // PER_PAGE))
    number = min(number, last)
    shown = result.people[(number - 1) * PER_PAGE : number * PER_PAGE]
    return render(
        "training/compliance.html",
        block="matrix_results",
        matrix=result,
        shown=shown,
        page=Page(shown, number, PER_PAGE, len(result.people)),
        department_id=department_id,
        departments=departments,
        names={d.id: d.name for d in departments},
        statuses=SHOWN_ORDER,
        icons=STATUS_ICONS,
        swapped=is_htmx(),  # the fragment also swaps the download links (their filter)
    )


def _cell_text(cell) -> str:
    if cell is None:
        return ""
    if cell.due_on is None:
        return cell.status.label
    return f"{cell.status.label} ({fmt_date(cell.due_on)})"


@bp.get("/compliance.csv")
def compliance_csv():
    """The whole matrix of the filter (every page), one row per person."""
    require(can_view_compliance)
    department_id, departments = department_filter(current_user)
    result = compliance.matrix(current_user, department_id=department_id or None)
    names = {d.id: d.name for d in departments}
    header = [_("Staff number"), _("Name (English)"), _("Name (Chinese)"), _("Department")]
    header += [safe_cell(column.title) for column in result.columns]
    header.append(_("Not compliant"))
    rows = [header]
    texts: dict = {}  # many cells share a standing: write each once
    for person in result.people:
        rows.append(
            [
                safe_cell(person.staff_no),
                safe_cell(person.name_en),
                safe_cell(person.name_zh),
                safe_cell(names.get(person.department_id, "")),
                *(
                    texts.get(cell) or texts.setdefault(cell, _cell_text(cell))
                    for cell in result.row(person)
                ),
                result.behind(person),
            ]
        )
    stamp = utcnow().strftime("%Y%m%d")
    suffix = f"-{department_id}" if department_id else ""
    return csv_download(csv_text(rows), f"training-compliance{suffix}-{stamp}.csv")

"""The drills' documents, each printed in the language asked for ("en", "zh" or "both"),
whatever the screen language of whoever prints (people/pdf.py DocumentLanguage):

- a plan, version by version: a controlled document ("uncontrolled when printed"), the same
  pages all day for a version, so a reprint comes from the cache;
- a drill's report, once its record is closed: every field a fire code asks for, the timings,
  the head counts and the roll call by department. A closed record never changes, so its
  inputs are the drill's version and the language.
"""

from __future__ import annotations

from portal.blueprints.drills import amendments, plans, roles, services
from portal.blueprints.drills.forms import record_labels
from portal.blueprints.drills.models import PHASE_LABELS, PHASES, Drill, DrillStatus, Plan
from portal.blueprints.people.models import Property
from portal.blueprints.people.pdf import DOCUMENT_LANGUAGES, DocumentLanguage
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l
from portal.i18n import local_today
from portal.pdf import Document

LANGUAGES = DOCUMENT_LANGUAGES


def plan_document(plan: Plan, lang: str) -> Document:
    doc = DocumentLanguage(lang)
    version = plans.current_version(plan)
    prop = db.session.get(Property, plan.property_id)
    return Document(
        "drills/pdf/plan.html",
        f"plan-{plan.code}-v{version.number}-{doc.lang}.pdf",
        {
            "plan": plan,
            "version": version,
            "property": prop,
            "phases": PHASES,
            "phase_labels": PHASE_LABELS,
            "doc": doc,
            "lang": doc.lang,
            "title": _l("Emergency plan"),
            "number": plan.code,
            "version_label": str(version.number),
            "printed_on": local_today(),
            "inputs": (
                "plan",
                plan.id,
                plan.version,
                version.id,
                tuple(sop.number for sop in plan.sops),
                doc.lang,
                prop.name_en,
                prop.name_zh,
            ),
        },
    )


def report_document(drill: Drill, lang: str) -> Document:
    """The report of a closed drill (a record, not a controlled copy)."""
    if drill.status != DrillStatus.CLOSED:
        raise DomainError(_("The report is printed once the record is closed."))
    doc = DocumentLanguage(lang)
    prop = db.session.get(Property, drill.property_id)
    roll = services.roll_by_department(drill)
    amendment_rows = amendments.of_drill(drill)
    drill_roles = roles.of_drill(drill)
    return Document(
        "drills/pdf/report.html",
        f"drill-report-{drill.plan.code}-{drill.planned_on.isoformat()}-{doc.lang}.pdf",
        {
            "drill": drill,
            "plan": drill.plan,
            "version": drill.plan_version,
            "property": prop,
            "roll": roll,
            "record_values": amendments.record_values(drill, amendment_rows),
            "amendment_rows": amendment_rows,
            "drill_roles": drill_roles,
            "record_labels": record_labels,
            "doc": doc,
            "lang": doc.lang,
            "title": _l("Drill report"),
            "number": drill.plan.code,
            "printed_on": local_today(),
            "record": True,
            "inputs": (
                "report",
                drill.id,
                drill.version,
                tuple(roll),
                tuple((r.id, r.duty, r.area) for r in drill_roles),
                doc.lang,
            ),
        },
    )

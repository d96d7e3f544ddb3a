"""The SOP library's documents: one printed version and a department's binder.

Each document names its template, its file name, the context the template reads and its
`inputs`: everything the printed pages depend on, so that a reprint with the same inputs comes
from the cache (portal/pdf.py) and a change of any of them renders again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import get_locale
from flask_babel import gettext as _

from portal import pdf
from portal.blueprints.sops import reading, rules
from portal.blueprints.sops.models import SopVersion, Stage
from portal.i18n import local_today

if TYPE_CHECKING:
    from portal.blueprints.people.models import Department

LANGUAGES = ("en", "zh", "both")


Document = pdf.Document


def version_inputs(version: SopVersion, lang: str, stage: Stage) -> tuple:
    """All a printed version depends on. An approved version is frozen; a draft's lock_version
    moves with every save; names of the property and department are read as printed."""
    sop = version.sop
    return (
        version.id,
        version.lock_version,
        lang,
        str(get_locale()),
        local_today().isoformat(),
        stage.value,
        sop.property.name,
        sop.department.name,
        version.approver.name if version.approver else "",
    )


def version_document(version: SopVersion, lang: str) -> Document:
    """One version of an SOP, in English, Chinese or both, marked with its stage."""
    stage = rules.stage_of(version)
    return Document(
        "sops/pdf/sop.html",
        f"{version.sop.number}-v{version.number}-{lang}.pdf",
        {
            "sop": version.sop,
            "version": version,
            "lang": lang,
            "stage": stage,
            "Stage": Stage,
            "title": version.title,
            "number": version.sop.number,
            "version_label": version.number,
            "printed_on": local_today(),
            "inputs": version_inputs(version, lang, stage),
        },
    )


def binder_document(department: Department, lang: str) -> Document:
    """Every SOP in force that a department owns, with a cover and contents."""
    entries = reading.binder_entries(department.property_id, department.id)
    return Document(
        "sops/pdf/binder.html",
        f"sop-binder-{department.code}-{lang}.pdf",
        {
            "entries": entries,
            "department": department,
            "property": department.property,
            "lang": lang,
            "Stage": Stage,
            "title": _("SOP binder"),
            "number": department.name,
            "printed_on": local_today(),
            "inputs": (
                department.id,
                department.name,
                department.property.name,
                lang,
                str(get_locale()),
                local_today().isoformat(),
                tuple(version_inputs(v, lang, stage) for _sop, v, stage in entries),
            ),
        },
    )

"""The SOP library's documents: one printed version and a department's binder.

Each document names its template, its file name, the context the template reads and its
`inputs`: everything the printed pages depend on, so that a reprint with the same inputs comes
from the cache (portal/pdf.py) and a change of any of them renders again.

A document is printed in the language asked for ("en", "zh" or "both"), whatever the screen
language of the person who prints it: the template renders inside that language (`doc`, see
people/pdf.py DocumentLanguage), so the same inputs give the same pages from any session.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import LazyString

from portal import pdf
from portal.blueprints.people.pdf import DOCUMENT_LANGUAGES, DocumentLanguage
from portal.blueprints.sops import reading, rules
from portal.blueprints.sops.models import SopVersion, Stage
from portal.i18n import lazy_gettext as _l
from portal.i18n import local_today

if TYPE_CHECKING:
    from portal.blueprints.people.models import Department

LANGUAGES = DOCUMENT_LANGUAGES


Document = pdf.Document


def _both(obj, field: str = "name") -> tuple[str, str]:
    return (getattr(obj, f"{field}_en") or "", getattr(obj, f"{field}_zh") or "")


def version_inputs(version: SopVersion, lang: str, stage: Stage) -> tuple:
    """All a printed version depends on. An approved version is frozen; a draft's lock_version
    moves with every save; the names of the property, department and approver are read as
    printed, in both languages. Not the printer's screen language: the pages do not depend on
    it."""
    sop = version.sop
    return (
        version.id,
        version.lock_version,
        lang,
        local_today().isoformat(),
        stage.value,
        _both(sop.property),
        _both(sop.department),
        _both(version.approver) if version.approver else ("", ""),
    )


def version_document(version: SopVersion, lang: str) -> Document:
    """One version of an SOP, in English, Chinese or both, marked with its stage."""
    stage = rules.stage_of(version)
    doc = DocumentLanguage(lang)
    return Document(
        "sops/pdf/sop.html",
        f"{version.sop.number}-v{version.number}-{lang}.pdf",
        {
            "sop": version.sop,
            "version": version,
            "lang": lang,
            "doc": doc,
            "stage": stage,
            "Stage": Stage,
            # Rendered in the document's language (the title it has in that language).
            "title": LazyString(lambda: version.title),
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
            "doc": DocumentLanguage(lang),
            "Stage": Stage,
            "title": _l("SOP binder"),
            "number": LazyString(lambda: department.name),
            "printed_on": local_today(),
            "inputs": (
                department.id,
                _both(department),
                _both(department.property),
                lang,
                local_today().isoformat(),
                tuple(version_inputs(v, lang, stage) for _sop, v, stage in entries),
            ),
        },
    )

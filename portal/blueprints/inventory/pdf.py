"""The inventory's documents: a store's purchase request (its open purchase requests, with the
stock that made each one, to sign and send to purchasing), in the language asked for."""

from __future__ import annotations

from portal.blueprints.inventory import reorder
from portal.blueprints.inventory.models import Store
from portal.blueprints.people.models import Property
from portal.blueprints.people.pdf import DOCUMENT_LANGUAGES, DocumentLanguage
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l
from portal.i18n import local_today
from portal.pdf import Document

LANGUAGES = DOCUMENT_LANGUAGES


def purchase_document(store: Store, lang: str) -> Document:
    doc = DocumentLanguage(lang)
    purchases = reorder.open_purchase_list(store)
    if not purchases:
        raise DomainError(_("No purchase request is open for this store: raise them first."))
    levels = {row.level.item_id: row for row in reorder.reorder_list(store)}
    prop = db.session.get(Property, store.property_id)
    lines = [(p, levels.get(p.item_id)) for p in purchases]
    total = sum((p.quantity * p.item.unit_cost for p in purchases), start=0)
    return Document(
        "inventory/pdf/purchase.html",
        f"purchase-request-{store.code}-{local_today().isoformat()}-{doc.lang}.pdf",
        {
            "store": store,
            "lines": lines,
            "total": total,
            "property": prop,
            "doc": doc,
            "lang": doc.lang,
            "title": _l("Purchase request"),
            "number": "",
            "printed_on": local_today(),
            "record": True,
            "inputs": (
                "purchase",
                store.id,
                doc.lang,
                local_today().isoformat(),
                tuple(
                    (p.id, str(p.quantity), str(p.item.unit_cost), p.item.name_en, p.item.name_zh)
                    for p in purchases
                ),
                tuple(
                    (k, str(r.level.on_hand), str(r.projected)) for k, r in sorted(levels.items())
                ),
            ),
        },
    )


def count_sheet(found, lang: str) -> Document:
    """The count sheet of a stocktake: item, where, unit, what is expected (on a blind count,
    left out) and a space to write the count."""
    from portal.blueprints.inventory import stocktake

    doc = DocumentLanguage(lang)
    lines = stocktake.lines_of(found)
    prop = db.session.get(Property, found.property_id)
    return Document(
        "inventory/pdf/count_sheet.html",
        f"count-sheet-{found.store.code}-{found.id}-{doc.lang}.pdf",
        {
            "st": found,
            "store": found.store,
            "lines": lines,
            "property": prop,
            "doc": doc,
            "lang": doc.lang,
            "title": _l("Count sheet"),
            "number": "",
            "printed_on": local_today(),
            "record": True,
            "inputs": (
                "count-sheet",
                found.id,
                doc.lang,
                local_today().isoformat(),
                found.show_expected,
                tuple(
                    (line.id, str(line.expected), line.item.name_en, line.item.name_zh)
                    for line in lines
                ),
            ),
        },
    )

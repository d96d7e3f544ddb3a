"""The rosters' documents:

- the day's room lists, one page per attendant, each page in that attendant's language (their
  rooms in the order they work them, what each needs, a column to write the times): the
  supervisor prints them all before the shift, or one attendant's again;
- the door labels: one label per room with its number and a QR code of the room's page, drawn
  as SVG on the server (segno), so that scanning a door with the tablet's camera opens the room.

Both are records of what was printed (no "uncontrolled when printed"); their inputs are what the
pages show, so a reprint of the same lists comes from the cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import segno
from flask import url_for
from markupsafe import Markup
from sqlalchemy import select

from portal.blueprints.people.models import Property, User
from portal.blueprints.people.pdf import DOCUMENT_LANGUAGES, DocumentLanguage, language_of
from portal.blueprints.rosters import services
from portal.blueprints.rosters.models import Area, Room, RoomType
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l
from portal.i18n import local_today
from portal.pdf import Document

LANGUAGES = DOCUMENT_LANGUAGES


@dataclass
class Sheet:
    attendant: User
    doc: DocumentLanguage
    rows: list  # services.ListRow, in working order

    @property
    def credits(self):
        return sum(r.assignment.credits for r in self.rows)


def sheets_document(property_id: int, day: date, attendant_id: int | None = None) -> Document:
    """Each attendant's list for the day (or one attendant's), a page each, in their language."""
    people = [p for p in services.attendants(property_id) if attendant_id in (None, p.id)]
    sheets = []
    for person in people:
        rows = services.day_list(person.id, day)
        if rows:
            sheets.append(Sheet(person, DocumentLanguage(language_of(person)), rows))
    if not sheets:
        raise DomainError(_("Nobody has rooms on this day's roster yet."))
    prop = db.session.get(Property, property_id)
    frame = sheets[0].doc if len(sheets) == 1 else DocumentLanguage("both")
    who = sheets[0].attendant.staff_no if len(sheets) == 1 else "all"
    return Document(
        "rosters/pdf/sheets.html",
        f"room-lists-{day.isoformat()}-{who}.pdf",
        {
            "sheets": sheets,
            "property": prop,
            "day": day,
            "doc": frame,
            "lang": frame.lang,
            "title": _l("Room list"),
            "number": "",
            "printed_on": local_today(),
            "record": True,
            "inputs": (
                "sheets",
                property_id,
                day.isoformat(),
                tuple(
                    (
                        s.attendant.id,
                        s.doc.lang,
                        tuple(
                            (
                                r.assignment.id,
                                r.room.number,
                                r.assignment.occupancy,
                                r.assignment.linen_change,
                                r.room.rush,
                                r.assignment.deferral,
                            )
                            for r in s.rows
                        ),
                    )
                    for s in sheets
                ),
                prop.name_en,
                prop.name_zh,
            ),
        },
    )


@dataclass(frozen=True)
class Label:
    number: str
    floor: int
    room_type: str
    qr: Markup  # the QR code as inline SVG (paths segno draws; no reference to fetch)
    url: str


def _label(number: str, floor, name_en: str, name_zh: str, url: str, doc) -> Label:
    """A door label: its number, floor, name in the document's languages, and the QR code of
    the page it opens (segno's own SVG paths, nothing to fetch)."""
    names = [name_en if "en" in doc.codes else "", name_zh if "zh" in doc.codes else ""]
    qr = segno.make(url, error="m").svg_inline(border=2, omitsize=True, svgclass="qr")
    return Label(
        number,
        floor,
        " / ".join(dict.fromkeys(n for n in names if n)),
        Markup(qr),  # noqa: S704 - segno's own SVG of a URL we made
        url,
    )


def labels_document(property_id: int, lang: str) -> Document:
    doc = DocumentLanguage(lang)
    prop = db.session.get(Property, property_id)
    rooms = db.session.execute(
        select(Room.id, Room.number, Room.floor, RoomType.name_en, RoomType.name_zh)
        .join(RoomType, RoomType.id == Room.room_type_id)
        .where(Room.property_id == property_id, Room.active.is_(True))
        .order_by(Room.floor, Room.number)
    ).all()
    places = db.session.execute(
        select(Area.id, Area.code, Area.floor, Area.name_en, Area.name_zh)
        .where(Area.property_id == property_id, Area.active.is_(True))
        .order_by(Area.code)
    ).all()
    if not rooms and not places:
        raise DomainError(_("There are no rooms to label yet."))
    labels = [
        _label(number, floor, en, zh, url_for("rosters.room", room_id=i, _external=True), doc)
        for i, number, floor, en, zh in rooms
    ] + [  # a public area's label opens its round
        _label(
            code,
            floor,
            en,
            zh,
            url_for("rosters.area_list", _anchor=f"area-{i}", _external=True),
            doc,
        )
        for i, code, floor, en, zh in places
    ]
    return Document(
        "rosters/pdf/labels.html",
        f"door-labels-{prop.code}-{doc.lang}.pdf",
        {
            "labels": labels,
            "property": prop,
            "doc": doc,
            "lang": doc.lang,
            "title": _l("Door labels"),
            "number": "",
            "printed_on": local_today(),
            "record": True,
            "inputs": (
                "labels",
                property_id,
                tuple((label.number, label.room_type, label.url) for label in labels),
                doc.lang,
                prop.name_en,
                prop.name_zh,
            ),
        },
    )


def day_report_document(property_id: int, day: date, lang: str) -> Document:
    """The housekeeping manager's report of one day, in the language asked for."""
    from portal.blueprints.rosters import history
    from portal.blueprints.rosters.models import DEFERRAL_LABELS, RELEASE_LABELS

    doc = DocumentLanguage(lang)
    prop = db.session.get(Property, property_id)
    report = history.day_report(property_id, day)
    if not report.on_roster and not report.cleaned:
        raise DomainError(_("Nothing was cleaned through the portal on this day."))
    return Document(
        "rosters/pdf/day_report.html",
        f"housekeeping-{prop.code}-{day.isoformat()}-{doc.lang}.pdf",
        {
            "report": report,
            "property": prop,
            "doc": doc,
            "lang": doc.lang,
            "deferral_labels": DEFERRAL_LABELS,
            "release_labels": RELEASE_LABELS,
            "title": _l("Housekeeping daily report"),
            "number": "",
            "record": True,
            # A day still going on changes with every tap: printed for each request.
        },
    )

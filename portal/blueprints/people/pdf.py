"""The people module's documents: the staff record card.

The card names who printed it and when, so every print is its own document (no `inputs`: the
rendered page, time included, is the cache key).
"""

from __future__ import annotations

from flask_babel import gettext as _

from portal.blueprints.people.models import User
from portal.pdf import Document


def staff_record_document(person: User) -> Document:
    return Document(
        template="people/pdf/staff_record.html",
        filename=f"staff-record-{person.staff_no}.pdf",
        context={"person": person, "title": _("Staff record card"), "number": person.staff_no},
    )

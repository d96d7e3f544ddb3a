"""The base of every form: text normalisation and the shared validators.

Every string field is NFC-normalised and stripped. Identifiers, names and numbers are also
NFKC-normalised (so full-width digits count as digits) and refuse invisible format characters
(zero-width, bidi overrides). Prose keeps NFC only: NFKC would rewrite the full-width
punctuation that Chinese text uses (，。：) into ASCII.
"""

from __future__ import annotations

import re
import unicodedata

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, ValidationError
from wtforms.fields.choices import SelectChoice

LANGUAGE_CHOICES = [
    SelectChoice("", _l("As the browser says")),
    SelectChoice("en", "English"),
    SelectChoice("zh_Hans", "简体中文"),
]

INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad]")


def clean_text(value):
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value).strip()
    return value


def nfkc(value):
    """Filter for identifiers and numbers: full-width letters and digits become ASCII."""
    if isinstance(value, str):
        return unicodedata.normalize("NFKC", value).strip()
    return value


def upper(value):
    return value.upper() if isinstance(value, str) else value


def no_invisible(form, field):
    if isinstance(field.data, str) and INVISIBLE.search(field.data):
        raise ValidationError(_l("Remove the invisible characters from this field."))


def no_control(form, field):
    if isinstance(field.data, str) and any(
        unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in field.data
    ):
        raise ValidationError(_l("This field contains characters that are not allowed."))


class PortalForm(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            if issubclass(unbound_field.field_class, (FieldList, FormField)):
                return unbound_field.bind(form=form, **options)  # its own fields normalise
            filters = [clean_text, *unbound_field.kwargs.get("filters", [])]
            validators = [*unbound_field.kwargs.get("validators", []), no_control]
            return unbound_field.bind(
                form=form, **{**options, "filters": filters, "validators": validators}
            )

    @property
    def general_errors(self) -> list[str]:
        """Errors that belong to no visible field: the form's own and its hidden fields'
        (a stale or tampered version, a missing key, an expired CSRF token)."""
        hidden = [
            str(error)
            for field in self
            if field.type in {"HiddenField", "VersionField", "CSRFTokenField"}
            for error in field.errors
        ]
        return [*self.form_errors, *dict.fromkeys(hidden)]

    def first_error_field(self) -> str | None:
        """The id of the first field with an error (inside lists of sub-forms too)."""
        return _first_error(self)


class EmptyForm(PortalForm):
    """For one-button POSTs: carries only the CSRF token."""


def _first_error(form) -> str | None:
    for field in form:
        if isinstance(field, FieldList):
            for entry in field:
                found = (
                    _first_error(entry.form)
                    if isinstance(entry, FormField)
                    else (entry.id if entry.errors else None)
                )
                if found:
                    return found
        elif isinstance(field, FormField):
            if found := _first_error(field.form):
                return found
        elif field.errors:
            return field.id
    return None

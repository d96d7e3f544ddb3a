"""The base of every form: text normalisation and the shared validators.

Every string field is NFC-normalised and stripped, with CRLF (what browsers send from a
textarea) made LF. Identifiers, names and numbers are also NFKC-normalised (so full-width digits
count as digits). Prose keeps NFC only: NFKC would rewrite the full-width punctuation that
Chinese text uses (，。：) into ASCII.

The characters refused, decided here only (by Unicode category, not by a list of ranges):
- all text, prose too (no_control, on every field): bidi overrides and isolates, which reorder
  what a reader sees, and control characters other than newline and tab;
- names and identifiers (no_invisible): also every format (Cf: zero width, bidi marks, tag
  characters, soft hyphen), control, private-use, surrogate and unassigned code point, line and
  paragraph separators, and the characters that draw nothing (the Hangul fillers), so that a
  name cannot look blank or look like another. Prose keeps ZWJ, which joins emoji.
"""

from __future__ import annotations

import unicodedata

from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.utils import unset_value

from portal.i18n import lazy_gettext as _l
from portal.i18n import wtforms_translations
from portal.widgets import render_widget

LANGUAGE_CHOICES = [
    SelectChoice("", _l("As the browser says")),
    SelectChoice("en", "English"),
    SelectChoice("zh_Hans", "简体中文"),
]

# Bidi embeddings, overrides (U+202A-U+202E) and isolates (U+2066-U+2069).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Letters that draw nothing: the Hangul fillers (U+3164 and its half-width form U+FFA0, the
# choseong and jungseong fillers U+115F and U+1160), the Khmer inherent vowels, the braille blank.
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u17b4\u17b5\u2800")
# Format, control, surrogate, private use, unassigned; line and paragraph separators.
NAME_REFUSED_CATEGORIES = frozenset({"Cf", "Cc", "Cs", "Co", "Cn", "Zl", "Zp"})


def refused_in_text(ch: str) -> bool:
    """Refused everywhere, prose too."""
    return ch in BIDI_CONTROLS or (unicodedata.category(ch) == "Cc" and ch not in "\n\t")


def refused_in_names(ch: str) -> bool:
    """Refused in names, identifiers and numbers (on top of refused_in_text)."""
    return ch in BLANK_LETTERS or unicodedata.category(ch) in NAME_REFUSED_CATEGORIES


def clean_text(value):
    if isinstance(value, str):
        value = value.replace("\r\n", "\n")
        return unicodedata.normalize("NFC", value).strip()
    return value


def nfkc(value):
    """Filter for identifiers and numbers: full-width letters and digits become ASCII."""
    if isinstance(value, str):
        return unicodedata.normalize("NFKC", value).strip()
    return value


def upper(value):
    return value.upper() if isinstance(value, str) else value


def optional_int(value):
    """A select's whole number, or None for its empty choice ("Choose ...")."""
    if value in ("", None):
        return None
    return int(value)


def no_invisible(form, field):
    """Names, identifiers and numbers: nothing invisible, nothing that draws nothing."""
    if isinstance(field.data, str) and any(refused_in_names(ch) for ch in field.data):
        raise ValidationError(_l("Remove the invisible characters from this field."))


def no_control(form, field):
    """Every text field (PortalForm adds it): no bidi overrides or isolates, no controls."""
    if isinstance(field.data, str) and any(refused_in_text(ch) for ch in field.data):
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

        def render_field(self, field, render_kw):
            return render_widget(field, render_kw)  # the same HTML as WTForms', faster

        def get_translations(self, form):
            # WTForms' own messages ("Not a valid choice."): Flask-WTF reads the catalogue from
            # disk on every request; it is read once per language.
            return wtforms_translations()

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


class BoundedFieldList(FieldList):
    """A FieldList that refuses more entries than max_entries, where WTForms would drop the
    extra ones silently: the form is invalid and `too_many` is the list's own error (shown next
    to the list; list_errors() gives it). The entries sent are shown again, up to twice the
    limit, so that the person sees what to remove."""

    def __init__(self, *args, too_many, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_many = too_many
        self.sent_entries = 0

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.sent_entries = len(set(self._extract_indices(self.name, formdata))) if formdata else 0
        limit = self.max_entries
        if limit:
            self.max_entries = 2 * limit
        try:
            super().process(formdata, data, extra_filters)
        finally:
            self.max_entries = limit

    def validate(self, form, extra_validators=()):
        valid = super().validate(form, extra_validators)
        if self.max_entries and max(self.sent_entries, len(self.entries)) > self.max_entries:
            self.errors.append(str(self.too_many))
            return False
        return valid

    def list_errors(self) -> list[str]:
        """The list's own errors (its entries' errors are shown next to their fields)."""
        return [error for error in self.errors if isinstance(error, str)]


class EmptyForm(PortalForm):
    """For one-button POSTs: carries only the CSRF token."""


def _first_error(form) -> str | None:
    for field in form:
        if isinstance(field, BoundedFieldList) and field.list_errors():
            return field.id
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

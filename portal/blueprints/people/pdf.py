"""The people module's documents (the staff record card), and the language a document is
printed in, which every module's documents share (DocumentLanguage).

A document is printed in its own language, never in the screen language of whoever prints it:
its template renders everything (labels, dates, names, the running header and footer, "page X
of Y") inside that language (`doc.within()` in pdf/base.html, with flask_babel.force_locale),
so it does not matter where or when the HTML is rendered. A bilingual document carries both
labels ("Purpose 目的") and each language's own ones beside its text (a Chinese warning is
headed 警告).

The staff record card is printed in the employee's own language when they chose one, and in
both languages otherwise. It names who printed it and when, so every print is its own document
(no `inputs`: the rendered page, time included, is the cache key).
"""

from __future__ import annotations

from flask import has_request_context
from flask_babel import LazyString, force_locale
from flask_login import current_user
from markupsafe import Markup, escape

from portal.blueprints.people.models import User
from portal.database import utcnow
from portal.i18n import lazy_gettext as _l
from portal.i18n import normalise_language
from portal.pdf import Document, page_counter_css

# The languages a document can be printed in, and the locale each one renders in.
DOCUMENT_LANGUAGES = ("en", "zh", "both")
LOCALES = {"en": "en", "zh": "zh_Hans"}


class DocumentLanguage:
    """The language of a document: "en", "zh" or "both" (English first).

    In a template (the context's `doc`):
    - `{% call doc.within() %}...{% endcall %}` renders its body in the document's language
      (pdf/base.html wraps every document in it);
    - `{% call doc.each() %}{{ _('Purpose') }}{% endcall %}` renders its body once per
      language, joined by `sep` ("Purpose 目的"); the same text twice is printed once (a
      number, a name known in one language only);
    - `{% call doc.only('zh') %}...{% endcall %}` renders its body in that language alone (the
      labels printed beside one language's text).
    """

    def __init__(self, lang: str):
        if lang not in DOCUMENT_LANGUAGES:
            raise ValueError(f"not a document language: {lang!r}")
        self.lang = lang
        self.codes: tuple[str, ...] = ("en", "zh") if lang == "both" else (lang,)

    def __repr__(self) -> str:
        return f"DocumentLanguage({self.lang!r})"

    @property
    def bilingual(self) -> bool:
        return len(self.codes) > 1

    @property
    def locale(self) -> str:
        """The locale of the document as a whole (the first of its languages)."""
        return LOCALES[self.codes[0]]

    @property
    def html_lang(self) -> str:
        return "zh-Hans" if self.codes[0] == "zh" else "en"

    def within(self, caller) -> Markup:
        with force_locale(self.locale):
            return Markup(caller())  # noqa: S704 - the template's own, escaped output

    def only(self, code: str, caller) -> Markup:
        with force_locale(LOCALES[code]):
            return Markup(caller())  # noqa: S704 - the template's own, escaped output

    def each(self, caller, sep: str = " ") -> Markup:
        parts: list[str] = []
        for code in self.codes:
            with force_locale(LOCALES[code]):
                part = str(caller()).strip()
            if part and part not in parts:
                parts.append(part)
        return Markup(escape(sep).join(Markup(p) for p in parts))  # noqa: S704 - as above

    def page_counter(self) -> Markup:
        """'Page X of Y' as a CSS content value, in each language of the document."""
        values = []
        for code in self.codes:
            with force_locale(LOCALES[code]):
                values.append(str(page_counter_css()))
        return Markup(' " / " '.join(values))  # noqa: S704 - CSS made by portal.pdf


def language_of(person: User) -> str:
    """The language a person's own documents are printed in: theirs, or both when they chose
    none."""
    chosen = normalise_language(person.locale)
    return {"en": "en", "zh_Hans": "zh"}.get(chosen or "", "both")


def staff_record_document(person: User, lang: str | None = None) -> Document:
    """The staff record card, in `lang` ("en", "zh" or "both"; default: the employee's)."""
    doc = DocumentLanguage(lang if lang in DOCUMENT_LANGUAGES else language_of(person))
    printer = (
        current_user._get_current_object()
        if has_request_context() and current_user.is_authenticated
        else None
    )
    return Document(
        template="people/pdf/staff_record.html",
        filename=f"staff-record-{person.staff_no}-{doc.lang}.pdf",
        context={
            "person": person,
            "doc": doc,
            "title": _l("Staff record card"),
            "number": person.staff_no,
            # Names are printed in the document's language, whenever it is rendered.
            "printed_by": LazyString(lambda: printer.name if printer is not None else ""),
            "printed_at": utcnow(),
        },
    )

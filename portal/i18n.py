"""Language choice and locale-aware formatting.

Order of choice: the signed-in user's saved language, the shared terminal's default language,
then the browser's Accept-Language. Before sign-in a person may switch language for the sign-in
page only (kept in the anonymous session, which sign-in clears).
"""

from __future__ import annotations

import functools
import os
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import current_app, g, has_request_context, request, session
from flask.globals import _cv_app
from flask_babel import (
    LazyString,
    format_decimal,
    get_locale,
    get_translations,
)
from flask_login import current_user

LANGUAGE_NAMES = {"en": "English", "zh_Hans": "简体中文"}


# --- messages ---------------------------------------------------------------------------------
# Flask-Babel's gettext looks the catalogue up through three context proxies on every call (about
# 25 µs); a form page resolves a hundred labels and choices. These look it up once per request
# and locale, and otherwise behave as Flask-Babel's (the same catalogue, "%" formatting with the
# variables). Every module imports them from here: `from portal.i18n import gettext as _`,
# `lazy_gettext as _l` (the names that message extraction looks for).
def translations():
    """The request's catalogue, looked up once per request and locale. force_locale (a
    document printed in its own language) sets a new locale object, so it gets its own."""
    ctx = _cv_app.get(None)  # the app context itself: g's proxy costs a lookup per use
    if ctx is None:
        return get_translations()
    app_g = ctx.g
    cached = getattr(app_g, "_portal_translations", None)
    if cached is not None:
        babel_ctx = getattr(app_g, "_flask_babel", None)
        if babel_ctx is not None and getattr(babel_ctx, "babel_locale", None) is cached[0]:
            return cached[1]
    found = get_translations()
    app_g._portal_translations = (get_locale(), found)
    return found


def gettext(string: str, **variables) -> str:
    text = translations().ugettext(string)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    variables.setdefault("num", num)
    return translations().ungettext(singular, plural, num) % variables


def pgettext(context: str, string: str, **variables) -> str:
    text = translations().upgettext(context, string)
    return text % variables if variables else text


@functools.cache
def _wtforms_catalogue(locale: str):
    from babel import support
    from wtforms.i18n import messages_path

    return support.Translations.load(messages_path(), [locale], domain="wtforms")


def wtforms_translations():
    """WTForms' catalogue in the request's language (its messages: "Not a valid choice."),
    read from disk once per language."""
    locale = get_locale()
    return None if locale is None else _wtforms_catalogue(str(locale))


def lazy_gettext(string: str, **variables) -> LazyString:
    return LazyString(gettext, string, **variables)


def lazy_pgettext(context: str, string: str, **variables) -> LazyString:
    return LazyString(pgettext, context, string, **variables)


def normalise_language(tag: str | None) -> str | None:
    """Map a browser or user language tag to one of ours (zh-CN, zh-Hans, zh -> zh_Hans)."""
    if not tag:
        return None
    tag = tag.replace("-", "_").lower()
    if tag.startswith("zh"):
        return "zh_Hans"
    if tag.startswith("en"):
        return "en"
    return None


def select_locale() -> str:
    if not has_request_context():  # a command (flask seed-demo): the portal's default
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale:
        return current_user.locale
    chosen = normalise_language(session.get("anon_locale"))
    if chosen:
        return chosen
    terminal = getattr(g, "terminal", None)
    if terminal is not None and terminal.default_locale:
        return terminal.default_locale
    for tag, _quality in request.accept_languages:
        chosen = normalise_language(tag)
        if chosen:
            return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["PORTAL_TIMEZONE"]


def is_chinese() -> bool:
    """Whether the request (or the document being printed, under force_locale) is in Chinese.
    Read from the locale Flask-Babel has chosen for the request, without its three context
    lookups (a list asks it for every row)."""
    ctx = _cv_app.get(None)
    if ctx is not None:
        locale = getattr(getattr(ctx.g, "_flask_babel", None), "babel_locale", None)
        if locale is not None:
            return locale.language == "zh"
    return str(get_locale()).startswith("zh")


def localized(obj, field: str = "name") -> str:
    """The Chinese or English variant of a bilingual field, falling back to the other one."""
    en = getattr(obj, f"{field}_en", None) or ""
    zh = getattr(obj, f"{field}_zh", None) or ""
    return (zh or en) if is_chinese() else (en or zh)


def join_list(items) -> str:
    """Words of a list in running text, as each language writes them: 客房部、餐饮部 in Chinese,
    Housekeeping, Food & Beverage in English (also the Jinja filter `join_list`)."""
    words = [str(item) for item in items if item is not None and str(item) != ""]
    return ("、" if is_chinese() else ", ").join(words)


def local_today() -> date:
    """Today in the properties' time zone: the date people mean when they pick one."""
    return datetime.now(ZoneInfo(select_timezone())).date()


def to_utc(local: datetime, field_name: str) -> datetime:
    """A time a person typed (the property's wall clock) as UTC; a time that does not exist
    on that day (clocks moved forward) is refused rather than guessed (DomainError on the
    field)."""
    from portal.errors import DomainError

    zone = ZoneInfo(select_timezone())
    aware = local.replace(tzinfo=zone)
    back = aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if back != local.replace(tzinfo=None):
        raise DomainError(
            gettext(
                "This time does not exist on that day (the clocks change). Choose another time."
            ),
            field_name,
        )
    return aware.astimezone(UTC)


def to_local(value: datetime) -> datetime:
    """A stored time on the property's wall clock, without its zone (for the form fields)."""
    return value.astimezone(ZoneInfo(select_timezone())).replace(tzinfo=None)


def local_day_start(day: date) -> datetime:
    """The first moment of a local date in the properties' time zone, as a UTC datetime: the
    boundary to compare stored (UTC) times with when people mean days."""
    return datetime.combine(day, time.min, ZoneInfo(select_timezone())).astimezone(UTC)


# Dates and times are written in fixed patterns (2026-11-23 14:05 in Chinese, 23 Nov 2026, 14:05
# in English), so they are formatted here as Babel would (tests/test_i18n.py compares) without
# its pattern machinery: a 25-row list spent 3 ms in it. The month abbreviations are Babel's.
_EN_MONTHS = Locale.parse("en").months["format"]["abbreviated"]


def _local(value: datetime) -> datetime:
    """A stored time (UTC, naive ones too, as Flask-Babel takes them) in the properties' zone."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(ZoneInfo(select_timezone()))


def fmt_date(value: date | datetime | None) -> str:
    """2026-11-23 in Chinese, 23 Nov 2026 in English."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _local(value).date()
    if is_chinese():
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    return f"{value.day} {_EN_MONTHS[value.month]} {value.year:04d}"


def fmt_datetime(value: datetime | None) -> str:
    """Local time of the property, 24-hour."""
    if value is None:
        return ""
    v = _local(value)
    if is_chinese():
        return f"{v.year:04d}-{v.month:02d}-{v.day:02d} {v.hour:02d}:{v.minute:02d}"
    return f"{v.day} {_EN_MONTHS[v.month]} {v.year:04d}, {v.hour:02d}:{v.minute:02d}"


def fmt_time(value: datetime | None) -> str:
    """The local time of day of the property, 24-hour (14:05 in both languages)."""
    if value is None:
        return ""
    v = _local(value)
    return f"{v.hour:02d}:{v.minute:02d}"


def fmt_number(value) -> str:
    return "" if value is None else format_decimal(value)


def fmt_money(value) -> str:
    """An amount with its two decimals (the currency is the property's, named nowhere)."""
    return "" if value is None else format_decimal(value, "#,##0.00")


def compile_catalogues(app) -> None:
    """Compile each .po whose .mo is missing or stale: a source folder run without make (an
    install builds them; its .mo may be written a moment before its .po, hence the margin)."""
    for folder in app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";"):
        for po in Path(app.root_path, folder).glob("*/LC_MESSAGES/*.po"):
            mo = po.with_suffix(".mo")
            if mo.exists() and mo.stat().st_mtime > po.stat().st_mtime - 2:
                continue
            partial = mo.with_suffix(f".{os.getpid()}.mo")  # ignored by git, as *.mo
            try:
                with po.open("rb") as source:
                    catalog = read_po(source, locale=po.parent.parent.name)
                with partial.open("wb") as compiled:
                    write_mo(compiled, catalog)
                partial.replace(mo)  # atomic: other workers read the old one or the new one
            except OSError as exc:
                app.logger.warning("Could not compile %s: %s", po, exc)


def init_app(app) -> None:
    compile_catalogues(app)
    app.jinja_env.filters.update(
        date=fmt_date,
        datetime=fmt_datetime,
        time=fmt_time,
        number=fmt_number,
        money=fmt_money,
        localized=localized,
        join_list=join_list,
    )
    app.jinja_env.globals.update(LANGUAGE_NAMES=LANGUAGE_NAMES, is_chinese=is_chinese)

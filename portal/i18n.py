"""Language choice and locale-aware formatting.

Order of choice: the signed-in user's saved language, the shared terminal's default language,
then the browser's Accept-Language. Before sign-in a person may switch language for the sign-in
page only (kept in the anonymous session, which sign-in clears).
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import current_app, g, request, session
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_login import current_user

LANGUAGE_NAMES = {"en": "English", "zh_Hans": "简体中文"}


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


def local_day_start(day: date) -> datetime:
    """The first moment of a local date in the properties' time zone, as a UTC datetime: the
    boundary to compare stored (UTC) times with when people mean days."""
    return datetime.combine(day, time.min, ZoneInfo(select_timezone())).astimezone(UTC)


def fmt_date(value: date | datetime | None) -> str:
    """2026-11-23 in Chinese, 23 Nov 2026 in English."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(ZoneInfo(select_timezone())).date()
    return format_date(value, "yyyy-MM-dd" if is_chinese() else "d MMM yyyy")


def fmt_datetime(value: datetime | None) -> str:
    """Local time of the property, 24-hour."""
    if value is None:
        return ""
    pattern = "yyyy-MM-dd HH:mm" if is_chinese() else "d MMM yyyy, HH:mm"
    return format_datetime(value, pattern)


def fmt_number(value) -> str:
    return "" if value is None else format_decimal(value)


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
        number=fmt_number,
        localized=localized,
        join_list=join_list,
    )
    app.jinja_env.globals.update(LANGUAGE_NAMES=LANGUAGE_NAMES, is_chinese=is_chinese)

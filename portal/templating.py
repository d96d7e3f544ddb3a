"""Template globals: the navigation the modules declare, session timing, audit labels."""

from __future__ import annotations

from flask import g, request, url_for
from flask_babel import get_locale, get_translations
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

from portal import modules, sessions
from portal.audit import action_label, object_label
from portal.pdf import page_counter_css


def nav_items():
    if not current_user.is_authenticated:
        return []
    items = []
    for entry in modules.nav_entries():
        if entry.visible is None or entry.visible(current_user):
            endpoint = entry.endpoint
            active = request.endpoint is not None and (
                request.endpoint == endpoint
                or request.endpoint.split(".")[0] == endpoint.split(".")[0] != "home"
            )
            items.append(
                {
                    "url": url_for(endpoint),
                    "label": entry.label,
                    "icon": entry.icon,
                    "active": active,
                }
            )
    return items


def static_url(filename: str) -> str:
    """url_for('static', ...) once per file and request: an icon on every row of a list asks
    for the same sprite."""
    cache = g.setdefault("_portal_static_urls", {})
    url = cache.get(filename)
    if url is None:
        url = cache[filename] = url_for("static", filename=filename)
    return url


def translations():
    """The request's catalogue, looked up once per request and locale. force_locale (a
    document printed in its own language) sets a new locale object, so it gets its own."""
    babel_ctx = g.get("_flask_babel")
    locale = getattr(babel_ctx, "babel_locale", None)
    cached = g.get("_portal_translations")
    if locale is not None and cached is not None and cached[0] is locale:
        return cached[1]
    found = get_translations()
    g._portal_translations = (get_locale(), found)
    return found


def _finish(context, text: str, variables: dict, always: bool):
    """As Jinja's new-style gettext: the catalogue's text (ours, so trusted as markup, as Jinja
    trusts it) is a format string ("%%" is a literal %), its variables escaped."""
    if context.eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704 - a message of our own catalogue, not user input
    return text % variables if always or variables or "%" in text else text


@pass_context
def _gettext(context, string, **variables):
    return _finish(context, translations().ugettext(string), variables, False)


@pass_context
def _ngettext(context, singular, plural, num, **variables):
    variables.setdefault("num", num)
    return _finish(context, translations().ungettext(singular, plural, num), variables, True)


@pass_context
def _pgettext(context, ctx_name, string, **variables):
    return _finish(context, translations().upgettext(ctx_name, string), variables, False)


@pass_context
def _npgettext(context, ctx_name, singular, plural, num, **variables):
    variables.setdefault("num", num)
    text = translations().unpgettext(ctx_name, singular, plural, num)
    return _finish(context, text, variables, True)


def init_app(app) -> None:
    # Templates call _() hundreds of times per page: each goes straight to the catalogue.
    app.jinja_env.globals.update(
        gettext=_gettext, _=_gettext, ngettext=_ngettext, pgettext=_pgettext, npgettext=_npgettext
    )
    app.jinja_env.globals.update(
        nav_items=nav_items,
        static_url=static_url,
        session_seconds_left=sessions.seconds_left,
        idle_warning=lambda: app.config["IDLE_WARNING"],
        on_terminal=lambda: g.get("terminal") is not None,
        page_counter_css=page_counter_css,
    )
    app.jinja_env.filters.update(audit_action=action_label, audit_object=object_label)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

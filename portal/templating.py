"""Template globals: the navigation the modules declare, session timing, audit labels."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
from pathlib import Path

from flask import current_app, g, has_request_context, request
from flask import url_for as flask_url_for
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup
from werkzeug.routing import BuildError

from portal import modules, sessions
from portal.audit import action_label, object_label
from portal.i18n import translations
from portal.pdf import page_counter_css
from portal.widgets import render_field, svg_icon


def nav_items():
    if not current_user.is_authenticated:
        return []
    items = []
    for entry in modules.nav_entries():
        if entry.visible is None or entry.visible(current_user):
            items.append(
                {
                    "url": flask_url_for(entry.endpoint),
                    "label": entry.label,
                    "icon": entry.icon,
                    "active": False,
                    "endpoint": entry.endpoint,
                }
            )
    _mark_active(items)
    return items


def _mark_active(items: list[dict]) -> None:
    """The entry of the page's module is active; of a module with several entries, the one
    of this very page, else the one whose address is the longest start of the page's."""
    endpoint = request.endpoint
    if endpoint is None:
        return
    domain = endpoint.split(".")[0]
    exact = [i for i in items if i["endpoint"] == endpoint]
    ours = [i for i in items if domain != "home" and i["endpoint"].split(".")[0] == domain]
    if exact:
        exact[0]["active"] = True
    elif ours:
        under = [i for i in ours if request.path.startswith(i["url"])]
        (max(under, key=lambda i: len(i["url"])) if under else ours[0])["active"] = True


# Ids no row has, one per int value of a link, in the template of a link (see url_for).
_PLACEHOLDERS = tuple(9_007_199_254_740_881 + n for n in range(8))
_URL_TEMPLATES_MAX = 4096


def url_for(endpoint: str, **values) -> str:
    """Flask's url_for for templates, built once per app and shape of link: a list of a
    hundred rows links each row to its page, and werkzeug's URL building costs 15-20 µs a call.
    The first link to an endpoint with a given set of int values (ids, page numbers) is built
    with placeholder ids, and every later one fills in its ids; a link without ids is built
    once. Everything else (strings, None) is part of the shape. A path does not depend on the
    request but for the prefix the app is mounted at (SCRIPT_NAME), which is part of the shape
    too; the portal has no url_defaults, and links with Flask's own arguments (_external,
    _anchor...) are built by Flask every time. At most _URL_TEMPLATES_MAX shapes are kept
    (search words are a shape each): then the store starts again."""
    ints = [  # in the order given: Flask writes the query string in that order
        key
        for key, value in values.items()
        if type(value) is int and value >= 0  # exactly int: a bool is an int and not an id
    ]
    if len(ints) > len(_PLACEHOLDERS) or any(key[0] == "_" for key in values):
        return flask_url_for(endpoint, **values)
    fixed = tuple((k, _AN_ID if k in ints else v) for k, v in values.items())
    # Outside a request Flask builds whole URLs (SERVER_NAME): another shape.
    root = request.script_root if has_request_context() else None
    key = (root, endpoint, fixed)
    store = current_app.extensions.setdefault("portal_url_templates", {})
    try:
        template = store.get(key, _MISSING)
    except TypeError:  # a list or another unhashable value: not a shape to keep
        return flask_url_for(endpoint, **values)
    if template is _MISSING:
        marks = [str(p) for p in _PLACEHOLDERS[: len(ints)]]
        try:
            built = flask_url_for(
                endpoint, **{**values, **dict(zip(ints, _PLACEHOLDERS, strict=False))}
            )
        except BuildError:  # not kept: Flask builds the real values, and says why if it cannot
            return flask_url_for(endpoint, **values)
        if len(store) >= _URL_TEMPLATES_MAX:
            store.clear()
        template = store[key] = (built, marks) if all(built.count(m) == 1 for m in marks) else None
    if template is None:  # a placeholder that the URL does not show once: built every time
        return flask_url_for(endpoint, **values)
    url, marks = template
    for name, mark in zip(ints, marks, strict=True):
        url = url.replace(mark, str(values[name]))
    return url


_MISSING = object()
_AN_ID = object()  # in a shape: this value is an id, filled in


def choices(items, value: str = "id", label: str = "name") -> list[tuple]:
    """(value, text) pairs of records for a select (the `choices` filter): their id and name,
    or the attributes named."""
    return [(getattr(item, value), getattr(item, label)) for item in items]


def static_url(filename: str) -> str:
    """The URL of a static file with its content's hash (?v=...): nginx and browsers keep it
    for a year (deploy/nginx.conf), and a new version of the file has a new URL. An icon on
    every row of a list asks for the same sprite: the hash is computed once per process (in
    debug mode, again when the file changes)."""
    folder = current_app.static_folder
    stamp = 0
    if current_app.debug:
        with contextlib.suppress(OSError):
            stamp = os.stat(os.path.join(folder, filename)).st_mtime_ns
    return url_for("static", filename=filename, v=_content_hash(folder, filename, stamp))


@functools.lru_cache(maxsize=256)
def _content_hash(folder: str, filename: str, _stamp: int) -> str | None:
    path = Path(folder, filename).resolve()
    if not path.is_relative_to(Path(folder).resolve()) or not path.is_file():
        return None  # no such file: the plain URL (which answers 404)
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


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
        render_field=render_field,
        svg_icon=svg_icon,
        url_for=url_for,
    )
    app.jinja_env.filters.update(
        audit_action=action_label, audit_object=object_label, choices=choices
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

"""Template globals: permission predicates (defined once, used by views and templates), nav."""

from __future__ import annotations

from flask import g, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal import sessions
from portal.blueprints.audit.labels import action_label, object_label
from portal.blueprints.audit.permissions import can_view_audit
from portal.blueprints.people.permissions import can_list_people
from portal.blueprints.sops.permissions import can_list_sops
from portal.blueprints.terminals.permissions import can_manage_terminals
from portal.pdf import page_counter_css

# (endpoint, label, icon, predicate): later modules append their entries.
NAV = [
    ("home.index", _l("Home"), "house", None),
    ("people.index", _l("People"), "people", can_list_people),
    ("sops.index", _l("SOP library"), "book", can_list_sops),
    ("audit.index", _l("Audit trail"), "journal-check", can_view_audit),
    ("terminals.index", _l("Terminals"), "display", can_manage_terminals),
]


def nav_items():
    if not current_user.is_authenticated:
        return []
    items = []
    for endpoint, label, icon, predicate in NAV:
        if predicate is None or predicate(current_user):
            active = request.endpoint is not None and (
                request.endpoint == endpoint
                or request.endpoint.split(".")[0] == endpoint.split(".")[0] != "home"
            )
            items.append({"url": url_for(endpoint), "label": label, "icon": icon, "active": active})
    return items


def init_app(app) -> None:
    app.jinja_env.globals.update(
        nav_items=nav_items,
        session_seconds_left=sessions.seconds_left,
        idle_warning=lambda: app.config["IDLE_WARNING"],
        session_idle_reset=lambda: max(
            0,
            (g.user_session.idle_timeout if g.get("user_session") else 0)
            - app.config["SESSION_TOUCH_INTERVAL"],
        ),
        on_terminal=lambda: g.get("terminal") is not None,
        page_counter_css=page_counter_css,
    )
    app.jinja_env.filters.update(audit_action=action_label, audit_object=object_label)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

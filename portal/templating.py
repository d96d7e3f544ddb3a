"""Template globals: the navigation the modules declare, session timing, audit labels."""

from __future__ import annotations

from flask import g, request, url_for
from flask_login import current_user

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

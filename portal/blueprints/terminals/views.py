from flask import abort, current_app, flash, g, request, session, url_for
from flask_babel import get_locale
from flask_login import current_user

from portal import sessions
from portal.blueprints.people.services import list_properties
from portal.blueprints.terminals import bp, services
from portal.blueprints.terminals.forms import TerminalForm
from portal.blueprints.terminals.permissions import can_manage_terminals, can_revoke_terminal
from portal.extensions import db
from portal.forms import EmptyForm
from portal.htmx import redirect_to, render, render_form
from portal.i18n import gettext as _
from portal.security import require
from portal.sessions import Terminal


def _form() -> TerminalForm:
    form = TerminalForm()
    form.property_id.choices = [(p.id, p.name) for p in list_properties()]
    if request.method == "GET":
        form.property_id.data = current_user.property_id
    return form


@bp.route("/", methods=["GET", "POST"])
def index():
    require(can_manage_terminals)
    form = _form()
    context = dict(
        form=form,
        terminals=services.list_terminals(current_user),
        this_terminal=g.terminal,
    )
    if request.method == "POST":
        if not form.validate_on_submit():
            return render_form("terminals/index.html", "enrol_form", **context)
        terminal, key = services.enrol_terminal(
            name=form.name.data,
            location=form.location.data or "",
            property_id=form.property_id.data,
            default_locale=form.default_locale.data,
            by=current_user,
        )
        if g.user_session is not None:  # this sign-in now runs on the terminal, with its rules
            g.user_session.terminal_id = terminal.id
            g.user_session.idle_timeout = sessions.idle_timeout_for(terminal)
        if not current_user.locale:
            # Only the terminal takes its language: the admin's screen keeps the one it shows
            # until this sign-in ends (sign-out clears the session; the next person gets the
            # terminal's language). Not saved on the person, who chose nothing.
            session["anon_locale"] = str(get_locale())
        db.session.commit()
        flash(
            _(
                "This device is now the terminal “%(name)s”. Sign out to hand it over.",
                name=terminal.name,
            ),
            "success",
        )
        response = redirect_to(url_for("terminals.index"))
        cfg = current_app.config
        response.set_cookie(
            cfg["TERMINAL_COOKIE_NAME"],
            sessions.terminal_cookie_value(terminal, key),
            max_age=cfg["TERMINAL_COOKIE_MAX_AGE"],
            secure=cfg["SESSION_COOKIE_SECURE"],
            httponly=True,
            samesite="Lax",
            path="/",
        )
        return response
    return render("terminals/index.html", **context)


@bp.post("/<int:terminal_id>/revoke")
def revoke(terminal_id: int):
    terminal = db.get_or_404(Terminal, terminal_id)
    require(can_revoke_terminal, terminal)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.revoke_terminal(terminal, by=current_user)
    db.session.commit()
    flash(
        _("Terminal “%(name)s” can no longer be used as a terminal.", name=terminal.name), "success"
    )
    return redirect_to(url_for("terminals.index"))

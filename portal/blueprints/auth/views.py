from flask import current_app, g, jsonify, make_response, request, session, url_for
from flask_login import current_user

from portal import sessions
from portal.blueprints.auth import bp, services
from portal.blueprints.auth.forms import ConfirmIdentityForm, LanguageForm, LoginForm
from portal.blueprints.auth.permissions import can_use_portal
from portal.database import run_with_retry
from portal.extensions import db, limiter
from portal.htmx import redirect_to, render, render_form
from portal.i18n import gettext as _
from portal.i18n import ngettext
from portal.security import public, redirect_local, require, safe_next


def _account_key() -> str:
    from portal.forms import nfkc

    ident = nfkc(request.form.get("identifier", "")) or ""
    return "login-account:" + ident.lower()[:40]


def _ended_message(reason: str | None) -> str | None:
    messages = {
        "idle": _("You were signed out because nobody used this screen for a while."),
        "expired": _("Your session reached its time limit. Please sign in again."),
        "switched": _("Signed out. The next person can sign in now."),
        "signed_out": _("You have signed out."),
    }
    return messages.get(reason or "")


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"],
    methods=["POST"],
    scope="login-address",
)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
    methods=["POST"],
    key_func=_account_key,
    scope="login-account",
)
def login():
    if current_user.is_authenticated:
        return redirect_local(request.args.get("next"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    ended = _ended_message(request.args.get("ended"))
    if not form.validate_on_submit():
        if request.method == "POST":
            return render_form("auth/login.html", "login_form", form=form, ended=None)
        return render("auth/login.html", form=form, ended=ended)
    terminal = g.terminal

    def attempt() -> services.SignInResult:
        result = services.authenticate(form.identifier.data, form.secret.data, terminal)
        if result.user is not None:
            sessions.start_session(result.user, terminal)
        return result

    # Committed, failures, lockouts and their audit rows included. Two sign-ins at once can
    # deadlock on PostgreSQL (an account's row and the audit chain's lock, taken in turn):
    # the one PostgreSQL ends is run again.
    result = run_with_retry(attempt)
    if result.user is None:
        if result.locked_minutes:
            # Only someone who gave the right secret learns that the account is locked.
            form.form_errors.append(
                ngettext(
                    "This account is locked. Try again in %(num)d minute or ask your supervisor.",
                    "This account is locked. Try again in %(num)d minutes or ask your supervisor.",
                    result.locked_minutes,
                )
            )
        else:
            form.secret.errors.append(
                _("Those sign-in details did not work. Check them and try again.")
            )
        return render_form("auth/login.html", "login_form", form=form, ended=None, failed=True)
    return redirect_to(safe_next(form.next.data, url_for("home.index")))


def _sign_out(reason: str):
    require(can_use_portal)
    sessions.end_session(reason)
    db.session.commit()
    response = redirect_to(url_for("auth.login", ended=reason))
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.post("/logout")
def logout():
    return _sign_out("signed_out")


@bp.post("/switch")
def switch_user():
    """On a shared terminal: end this person's session at once and hand over to the next."""
    return _sign_out("switched")


@bp.after_app_request
def _session_left(response):
    """Every htmx answer to a signed-in page says how long its session has left, so the idle
    warning follows the server's clock (a background poll does not move it; real use does)."""
    if g.get("user_session") is not None and request.headers.get("HX-Request") == "true":
        response.headers["X-Session-Seconds-Left"] = str(sessions.seconds_left())
    return response


@bp.post("/keepalive")
def keepalive():
    """A real request that counts as activity: the idle warning's 'continue', and the page's
    report that someone is scrolling, typing or touching it (portal.js, at most once a minute)."""
    require(can_use_portal)
    if services.keep_alive(g.user_session):
        db.session.commit()
    return jsonify(seconds_left=sessions.seconds_left())


@bp.get("/session")
@sessions.passive
def session_status():
    """How long the current session has left; polling it does not count as activity."""
    require(can_use_portal)
    return jsonify(seconds_left=sessions.seconds_left())


@bp.post("/language")
@public
def set_language():
    form = LanguageForm()
    if not form.validate_on_submit():
        return make_response(_("Choose a language from the list."), 400)
    if current_user.is_authenticated:
        services.set_language(current_user._get_current_object(), form.locale.data)
        db.session.commit()
    else:
        session["anon_locale"] = form.locale.data
    return redirect_to(safe_next(form.next.data, url_for("home.index")))


@bp.route("/confirm", methods=["GET", "POST"])
def confirm_identity():
    """The password asked again before a sensitive action (sign-in older than 15 minutes)."""
    require(can_use_portal)
    form = ConfirmIdentityForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if services.confirm_identity(user, form.secret.data):
            sessions.mark_authenticated()
            db.session.commit()
            return redirect_to(safe_next(form.next.data, url_for("home.index")))
        if user.is_locked():
            sessions.end_session("locked")
            db.session.commit()
            return redirect_to(url_for("auth.login"))
        db.session.commit()
        form.secret.errors.append(_("That is not your password. Try again."))
    if request.method == "POST":
        return render_form("auth/confirm.html", "confirm_form", form=form)
    return render("auth/confirm.html", form=form)

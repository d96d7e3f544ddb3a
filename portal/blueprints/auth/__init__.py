"""Sign-in, sign-out, switch user, the identity check again, the language choice."""

from flask import Blueprint

from portal.i18n import lazy_gettext as _l
from portal.modules import Module

bp = Blueprint("auth", __name__, url_prefix="/auth")


def module() -> Module:
    from portal.blueprints.auth import views  # noqa: F401 - attaches the routes

    return Module(
        name="auth",
        blueprint=bp,
        audit_actions={
            "auth.sign_in": _l("Signed in"),
            "auth.sign_out": _l("Signed out"),
            "auth.sign_in_failed": _l("Sign-in failed"),
            "auth.sign_in_refused_locked": _l("Sign-in refused: account locked"),
            "auth.locked": _l("Account locked"),
            "auth.session_ended": _l("Session ended"),
            "auth.reauthenticated": _l("Password confirmed again"),
            "user.language_changed": _l("Language changed"),
        },
        audit_objects={"user_sessions": _l("Session")},
        # The address people (and tools) type: /login answers like /auth/login.
        extra_rules=[("/login", "auth.login", ("GET", "POST"))],
    )

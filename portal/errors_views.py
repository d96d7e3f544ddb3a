"""Error pages: whole pages for normal requests, fragments for htmx (swapped into #flash)."""

from flask import render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from portal.extensions import db
from portal.htmx import is_htmx
from portal.i18n import gettext as _


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (
            _("Something in the request was not right"),
            _("Go back, reload the page and try again."),
        ),
        403: (_("Not allowed"), _("Your role does not give access to this page.")),
        404: (_("Not found"), _("This page does not exist or is not available to you.")),
        405: (_("Not possible this way"), _("This action cannot be done this way.")),
        413: (_("Too large"), _("What you sent is too large. Send something smaller.")),
        422: (_("Please check the form"), _("Some fields need your attention.")),
        429: (_("Too many attempts"), _("Please wait a minute before you try again.")),
        500: (
            _("Something went wrong on our side"),
            _("The problem was logged. Try again in a moment."),
        ),
        503: (_("Not available right now"), _("Try again in a moment.")),
    }


def render_error(code: int, message: str | None = None, headers: dict | None = None):
    """A whole page, or for htmx a message that replaces the flash area (HX-Retarget).

    `headers` are kept on the answer (a 405's Allow, a 429's Retry-After)."""
    title, default = _messages().get(code, _messages()[500])
    headers = dict(headers or {})
    if is_htmx():
        body = render_template(
            "errors/fragment.html", code=code, title=title, message=message or default
        )
        return body, code, {**headers, "HX-Retarget": "#flash", "HX-Reswap": "outerHTML"}
    return (
        render_template("errors/error.html", code=code, title=title, message=message or default),
        code,
        headers,
    )


def _exception_headers(error: HTTPException) -> dict[str, str]:
    """The headers the exception carries (Allow, Retry-After, WWW-Authenticate), without its
    own Content-Type: the page rendered here has its own."""
    return {k: v for k, v in error.get_headers() if k.lower() != "content-type"}


def init_app(app) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error):
        db.session.rollback()
        return render_error(
            400, _("This form has expired or was not sent from the portal. Reload and try again.")
        )

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        db.session.rollback()
        if error.code is None or error.code < 400:
            return error
        return render_error(error.code, headers=_exception_headers(error))

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        db.session.rollback()
        app.logger.exception("unhandled error")
        if app.testing and app.config.get("PROPAGATE_UNEXPECTED", True):
            raise error
        return render_error(500)

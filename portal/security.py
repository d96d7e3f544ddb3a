"""Cross-cutting request policy: who may reach a view, response headers, safe redirects.

- Every endpoint is for signed-in users unless marked @public.
- Every non-public view must call require(...) with a can_* predicate before it answers; a view
  that answers without a check fails closed (500), and the access-matrix test walks every endpoint
  to prove none forgets.
- Signed-in responses are never cached (Cache-Control: no-store), so the back button shows
  nothing after sign-out.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Request, abort, current_app, g, redirect, request, url_for
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.utils import cached_property
from werkzeug.wsgi import LimitedStream, get_input_stream

from portal.database import write_intent
from portal.extensions import db

log = logging.getLogger(__name__)

PUBLIC_ATTR = "portal_public"

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


class _AtMost(LimitedStream):
    """Reads a body of unknown length up to `limit` bytes; one byte more is a 413.

    Werkzeug's own max_content_length limit on such a stream stops quietly at the limit, so a
    form over it would be parsed cut short instead of refused."""

    def __init__(self, stream, limit: int):
        super().__init__(stream, limit + 1, is_max=True)
        self._max = limit

    def readinto(self, b) -> int:
        size = super().readinto(b) or 0
        if self.tell() > self._max:
            raise RequestEntityTooLarge()
        return size


class PortalRequest(Request):
    """MAX_CONTENT_LENGTH holds for a chunked body (Transfer-Encoding: chunked, no
    Content-Length) as it does for one with a length."""

    @cached_property
    def stream(self):
        limit = self.max_content_length
        chunked = "chunked" in self.headers.get("Transfer-Encoding", "").lower()
        unknown_length = chunked or bool(self.environ.get("wsgi.input_terminated"))
        if limit is not None and self.content_length is None and unknown_length:
            return _AtMost(self.environ["wsgi.input"], limit)
        return get_input_stream(self.environ, max_content_length=limit)


def public(view):
    """Mark a view that anyone may reach (sign-in page, language switch, health)."""
    setattr(view, PUBLIC_ATTR, True)
    return view


def _is_public_endpoint(endpoint: str | None) -> bool:
    if endpoint is None or endpoint == "static":
        return True
    view = current_app.view_functions.get(endpoint)
    return bool(getattr(view, PUBLIC_ATTR, False))


class AccessDenied(Exception):
    pass


def require(predicate: Callable, obj=None, *, hide: bool | None = None) -> None:
    """Check `predicate(current_user, obj)`; refuse with 404 (object hidden) or 403, audited.

    hide defaults to True when an object is given: a person must not learn that an object they
    may not see exists.
    """
    g.access_checked = True
    allowed = predicate(current_user, obj) if obj is not None else predicate(current_user)
    if allowed:
        return
    hide = obj is not None if hide is None else hide
    _audit_refusal(predicate.__name__, obj)
    abort(404 if hide else 403)


def _audit_refusal(check: str, obj) -> None:
    from portal import audit

    db.session.rollback()
    with write_intent():
        audit.record(
            "access.refused",
            obj,
            actor=current_user if current_user.is_authenticated else None,
            summary=f"{request.method} {request.path} check={check}"[:500],
        )
        db.session.commit()


def login_guard():
    """before_request: send anonymous visitors of non-public endpoints to sign-in."""
    if _is_public_endpoint(request.endpoint):
        return None
    if current_user.is_authenticated:
        return None
    from portal.htmx import redirect_to

    g.access_checked = True  # the decision here is "sign in first"
    target = url_for(
        "auth.login", next=request.full_path.rstrip("?") if request.method == "GET" else None
    )
    if getattr(g, "session_end_reason", None) in {"idle", "expired"}:
        target = url_for("auth.login", ended=g.session_end_reason)
    return redirect_to(target)


def _automatic_options() -> bool:
    """Flask's own OPTIONS answer (the Allow header): no view ran, so there is nothing to check."""
    rule = request.url_rule
    return request.method == "OPTIONS" and bool(getattr(rule, "provide_automatic_options", False))


def enforce_checked(response):
    """after_request: a signed-in view that answered without calling require() fails closed."""
    endpoint = request.endpoint
    if (
        response.status_code < 400
        and not _automatic_options()
        and not _is_public_endpoint(endpoint)
        and not getattr(g, "access_checked", False)
    ):
        log.error("view %s answered without an access check", endpoint)
        if current_app.testing:
            raise AssertionError(f"view {endpoint} answered without an access check")
        abort(500)
    return response


def security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
    if request.endpoint != "static":
        # Nothing a person saw may be shown again from a cache after they leave.
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    headers.add("Vary", "HX-Request")
    headers.add("Vary", "Cookie")
    return response


def is_safe_next(target: str | None) -> bool:
    """Only local paths: a single leading '/', no scheme, no host, no backslash tricks."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return False
    if any(ch in target for ch in "\\\r\n\t") or any(ord(ch) < 32 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None, default: str) -> str:
    return target if is_safe_next(target) else default


def redirect_local(target: str | None, default_endpoint: str = "home.index"):
    return redirect(safe_next(target, url_for(default_endpoint)), code=303)


LARGEST_ID = 2**31 - 1  # ids are INTEGER columns: a larger number names nothing


def bounded_id(value: int) -> int:
    """An id from a URL path: one larger than any INTEGER column holds (2^63 typed by hand)
    names nothing, so 404 rather than a database error."""
    if value > LARGEST_ID:
        abort(404)
    return value

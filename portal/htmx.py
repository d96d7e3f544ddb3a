"""The htmx conventions in one place.

- from_htmx(): any request htmx made. is_htmx(): a fragment request (HX-Request) that is
  neither boosted navigation nor a history restore; those get whole pages.
- render(template, block=...): the named block for fragment requests, the whole page otherwise.
- redirect_to(url): HX-Redirect for htmx, 303 for plain posts (post/redirect/get).
"""

from __future__ import annotations

import json

from flask import make_response, redirect, render_template, request
from jinja2_fragments.flask import render_block


def from_htmx() -> bool:
    """Any request htmx made (boosted navigation and history restores included)."""
    return request.headers.get("HX-Request") == "true"


def is_htmx() -> bool:
    headers = request.headers
    return (
        from_htmx()
        and headers.get("HX-Boosted") != "true"
        and headers.get("HX-History-Restore-Request") != "true"
    )


def render(template: str, block: str | None = None, status: int = 200, **context):
    if block is not None and is_htmx():
        body = render_block(template, block, **context)
        # Messages flashed by this request travel with the fragment (out of band).
        body += render_template("_partials/flash.html", oob=True)
    else:
        body = render_template(template, **context)
    return make_response(body, status)


def render_form(template: str, block: str, **context):
    """Re-render a form with its errors: 200 with the fragment for htmx, 422 for a plain post."""
    return render(template, block=block, status=200 if is_htmx() else 422, **context)


def redirect_to(url: str):
    if from_htmx():
        response = make_response("", 200)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, code=303)


def trigger(response, event: str, detail=None):
    """Add an HX-Trigger event (`<domain>:<past-tense>`) to a response."""
    existing = response.headers.get("HX-Trigger")
    events = json.loads(existing) if existing else {}
    events[event] = detail if detail is not None else True
    response.headers["HX-Trigger"] = json.dumps(events)
    return response

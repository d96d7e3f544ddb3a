"""Documents: Document(...).send() for views, render_pdf() and html_to_pdf() for code.

A print never holds a web worker while WeasyPrint works:

- The view checks access, builds a Document and calls send(). A finished PDF for its inputs is
  sent at once, from this worker's memory or from the file cache under instance/documents/
  that every worker of the server reads (portal/pdfcache.py).
- Otherwise the HTML is rendered here (Jinja, cheap) and handed to a render thread of this web
  process, which gives it to the PDF processes (WeasyPrint, pdfworker.py) and waits there with
  the time limit (pdfjobs.py); the request answers at once with a "preparing" page. That page
  polls the same print URL, so every poll runs the view's own access check again: the answer is
  204 while the render runs, HX-Redirect to the print URL once the PDF is ready (the browser
  then opens it), or the reason it failed, shown once. Without JavaScript the page reloads
  itself every few seconds (a meta refresh in <noscript>, in the head) and the reload gets the
  PDF.
- One render per document across the workers: a `<key>.pending` marker, refreshed every second
  by the process that renders; a marker whose process died, or that nobody refreshed for
  PDF_TIMEOUT seconds, is taken over by the next request.
- A document that runs over PDF_TIMEOUT kills its PDF process; the pool is rebuilt and the
  person gets a clear message while the portal goes on serving. A burst of prints past
  PDF_QUEUE_LIMIT per worker is told to try again in a moment.

Cache keys hold everything a document shows. A document with `inputs` and `printed_on` (the
same pages all day for everyone allowed to print it) is kept under the hash of its inputs. Any
other document names who printed it and when: it is kept under the hash of the person, the URL
and the language only until it is handed over, so the next print is made anew.
PDF_INLINE_WAIT lets a request wait that many seconds for a quick render before answering
"preparing" (0 in production; the test suite waits, so a test gets the PDF in one request).
"""

from __future__ import annotations

import functools
import hashlib
import os
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app, has_app_context, make_response, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup
from werkzeug.routing import BuildError

from portal import pdfjobs
from portal.database import utcnow
from portal.htmx import is_htmx, render
from portal.i18n import gettext as _
from portal.pdfcache import FileStore, MemoryCache
from portal.pdfjobs import BUSY, FAILED, TIMED_OUT, PdfError, reason_message, wait_for_renders
from portal.security import is_safe_next

__all__ = [
    "BUSY",
    "FAILED",
    "TIMED_OUT",
    "Document",
    "PdfError",
    "html_to_pdf",
    "page_counter_css",
    "reason_message",
    "render_pdf",
    "send_pdf",
    "wait_for_renders",
    "worker_pids",
]

REFRESH_SECONDS = 2  # the preparing page reloads itself this often without JavaScript
SWEEP_EVERY = 60.0
worker_pids = pdfjobs.worker_pids
_kill_pool = pdfjobs.kill_pool


@dataclass
class Document:
    """A module's document: its template, file name and the context the template reads.

    A context with `inputs` (everything the printed pages depend on) and `printed_on` (a
    controlled document, the same text all day) is served from the cache on a reprint with the
    same inputs; any other document is rendered for each print."""

    template: str
    filename: str
    context: dict

    @property
    def inputs(self) -> tuple | None:
        return self.context.get("inputs")

    def send(self):
        return send_pdf(self.template, filename=self.filename, **self.context)


# --- the caches of this process -----------------------------------------------------------------
_stores: dict[str, FileStore] = {}
_stores_lock = threading.Lock()
_last_sweep = 0.0


class _Caches:
    """Every document cache of this process; clear() empties them (tests, benchmarks)."""

    def __init__(self):
        self.memory = MemoryCache()

    def clear(self) -> None:
        wait_for_renders()
        if has_app_context():
            _store()  # the current app's folder too, even before its first document
        self.memory.clear()
        for store in list(_stores.values()):
            store.clear()


_cache = _Caches()


def _store(app=None) -> FileStore:
    app = app or current_app
    folder = app.config.get("PDF_CACHE_DIR") or os.path.join(app.instance_path, "documents")
    with _stores_lock:
        store = _stores.get(folder)
        if store is None:
            store = _stores[folder] = FileStore(Path(folder))
        return store


# --- what a print request answers ---------------------------------------------------------------
def _digest(value) -> str:
    return hashlib.sha256(repr(value).encode("utf-8")).hexdigest()


@functools.cache
def _release() -> str:
    """A digest of the templates and the documents' stylesheet as this process serves them: a
    kept document is kept for this release only, so a corrected template is printed anew
    rather than served from a cache filled by the release before."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted([*(root / "templates").rglob("*.html"), root / "static/css/pdf.css"]):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _key_for(template: str, filename: str, context: dict) -> tuple[str, bool]:
    inputs = context.get("inputs")
    if inputs is not None and context.get("printed_on") is not None:
        return "doc-" + _digest(("doc", template, _release(), inputs)), True
    who = current_user.get_id() if current_user and current_user.is_authenticated else None
    path = request.full_path.rstrip("?")
    return "once-" + _digest(("once", template, filename, path, who, str(get_locale()))), False


def _html(template: str, context: dict) -> str:
    context = {name: value for name, value in context.items() if name != "inputs"}
    context.setdefault("printed_at", utcnow())
    context.setdefault(
        "printed_by", current_user.name if current_user and current_user.is_authenticated else ""
    )
    return render_template(template, **context)


def _look(store: FileStore, key: str, keep: bool, settings: pdfjobs.Settings) -> tuple:
    """('ready', pdf), ('error', reason), ('pending',) or ('none',)."""
    data = _cache.memory.get(key) if keep else None
    if data is None:
        data = store.read(key)
        if data is not None and keep:
            _cache.memory.put(key, data)
    if data is not None:
        return ("ready", data)
    if pdfjobs.job_for(key) is not None:
        return ("pending",)
    reason = store.take_error(key)
    if reason is not None:
        return ("error", reason)
    if store.is_pending(key, settings.stale_after, pdfjobs.running()):
        return ("pending",)
    return ("none",)


def _start(store: FileStore, key: str, html: str, keep: bool, settings: pdfjobs.Settings) -> tuple:
    outcome = pdfjobs.start(store, key, html, settings, _cache.memory if keep else None)
    if outcome == "busy":
        return ("error", BUSY)  # bounded: a burst of prints cannot fill the memory
    if outcome == "pending":
        return ("pending",)
    state = _look(store, key, keep, settings)  # finished (or failed) in the meantime
    return state if state[0] != "none" else ("pending",)


def _wait(store: FileStore, key: str, keep: bool, settings: pdfjobs.Settings) -> tuple:
    deadline = time.monotonic() + settings.inline_wait
    job = pdfjobs.job_for(key)
    if job is not None:
        job.done.wait(settings.inline_wait)
    state = _look(store, key, keep, settings)
    while state[0] == "pending" and time.monotonic() < deadline:
        time.sleep(0.05)  # rendered by another worker of this server
        state = _look(store, key, keep, settings)
    return state if state[0] != "none" else ("pending",)


def _sweep_now_and_then(store: FileStore, settings: pdfjobs.Settings) -> None:
    """One-off documents leave the folder within a minute even when nobody prints again."""
    global _last_sweep
    now = time.monotonic()
    if now - _last_sweep < SWEEP_EVERY:
        return
    _last_sweep = now
    try:
        store.sweep(settings.cache_bytes, settings.stale_after)
    except OSError:
        current_app.logger.exception("the documents folder could not be swept")


def _here() -> str:
    return request.full_path.rstrip("?")


def _back_url() -> str:
    """Where the person came from (a page of this portal), else the home page."""
    referrer = request.referrer
    if referrer:
        parts = urlsplit(referrer)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        if parts.netloc == request.host and parts.path != request.path and is_safe_next(target):
            return target
    try:
        return url_for("home.index")
    except BuildError:
        return "/"


def _answer(state: tuple, filename: str, poll: bool):
    kind = state[0]
    if kind == "ready" and poll:
        response = make_response("", 200)
        response.headers["HX-Redirect"] = _here()
    elif kind == "ready":
        response = make_response(state[1])
        response.headers["Content-Type"] = "application/pdf"
        response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    elif kind == "pending" and poll:
        response = make_response("", 204)  # no swap: the poll goes on
    else:
        failed = kind == "error"
        response = render(
            "pdf/preparing.html",
            block="document_status",
            status=503 if failed and not poll else 200,
            failed=failed,
            message=reason_message(state[1]) if failed else "",
            print_url=_here(),
            back_url=_back_url(),
            refresh_seconds=REFRESH_SECONDS,
        )
    if kind == "error" and state[1] == BUSY:
        response.headers["Retry-After"] = "5"
    response.headers["Cache-Control"] = "no-store"
    return response


def send_pdf(template: str, *, filename: str, **context):
    """Answer a print request (after the view's access check): the PDF, or "preparing"."""
    settings = pdfjobs.Settings.of(current_app)
    poll = is_htmx()
    try:
        store = _store()
        key, keep = _key_for(template, filename, context)
        state = _look(store, key, keep, settings)
        if state[0] == "none":
            state = _start(store, key, _html(template, context), keep, settings)
        if state[0] == "pending" and not poll and settings.inline_wait > 0:
            state = _wait(store, key, keep, settings)
        if state[0] == "ready" and not poll:
            store.handed_over(key)
        _sweep_now_and_then(store, settings)
    except OSError:
        current_app.logger.exception("the documents folder cannot be used")
        state = ("error", FAILED)
    return _answer(state, filename, poll)


# --- documents made in the request (code and tests) --------------------------------------------
def html_to_pdf(html: str, timeout: float | None = None) -> bytes:
    """Render HTML to PDF bytes now, waiting for it (cached in memory by the HTML's hash)."""
    key = "html-" + hashlib.sha256(html.encode("utf-8")).hexdigest()
    data = _cache.memory.get(key)
    if data is not None:
        return data
    settings = pdfjobs.Settings.of(current_app)
    if timeout is not None:
        settings = replace(settings, timeout=timeout)
    data = pdfjobs.render(html, settings)
    _cache.memory.put(key, data)
    return data


def render_pdf(template: str, *, timeout: float | None = None, inputs=None, **context) -> bytes:
    """Render a document template (extending pdf/base.html) to PDF bytes, waiting for it.

    `inputs`, when given, names everything the document depends on (e.g. a frozen SOP version,
    the language, the print date): a reprint is then served without even rendering the HTML.
    """
    key = "doc-" + _digest(("doc", template, inputs)) if inputs is not None else None
    if key is not None:
        data = _cache.memory.get(key)
        if data is not None:
            return data
    data = html_to_pdf(_html(template, context), timeout=timeout)
    if key is not None:
        _cache.memory.put(key, data)
    return data


def page_counter_css() -> str:
    """'Page X of Y' in the reader's language, as a CSS content value with page counters."""
    text = _("Page %(page)s of %(pages)s", page="\x00page\x00", pages="\x00pages\x00")
    parts = []
    for piece in text.split("\x00"):
        if piece in {"page", "pages"}:
            parts.append(f"counter({piece})")
        elif piece:
            escaped = piece.replace("\\", "\\\\").replace('"', '\\"')
            parts.append(f'"{escaped}"')
    # Our own translated text, quoted and escaped for CSS above: safe inside <style>.
    return Markup(" ".join(parts) or "counter(page)")  # noqa: S704

"""Documents: render_pdf(template, **ctx) and send_pdf(...).

The web process renders the Jinja template (cheap) and hands the HTML to a small pool of PDF
processes (WeasyPrint, see pdfworker.py) with a time limit. A document that runs over the limit
kills its process; the pool is rebuilt and the person gets a clear message, while the portal goes
on serving. Finished PDFs are cached by the hash of their HTML (which includes every input).
"""

from __future__ import annotations

import atexit
import hashlib
import multiprocessing
import threading
from collections import OrderedDict
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from flask import current_app, make_response, render_template
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from portal import pdfworker
from portal.database import utcnow


@dataclass
class Document:
    """A module's document: its template, file name and the context the template reads.

    A context with `inputs` (everything the printed pages depend on) is served from the cache
    on a reprint with the same inputs; without them the rendered HTML is the cache key."""

    template: str
    filename: str
    context: dict

    @property
    def inputs(self) -> tuple | None:
        return self.context.get("inputs")

    def send(self):
        return send_pdf(self.template, filename=self.filename, **self.context)


class PdfError(Exception):
    """A document could not be produced; the message is for the person who asked."""


_lock = threading.Lock()
_pool = None
_cache: OrderedDict[str, bytes] = OrderedDict()
CACHE_ENTRIES = 64


def _get_pool() -> ProcessPoolExecutor:
    """The PDF processes: started on first use, fresh interpreters (spawn), recycled after 200
    documents. A process that cannot start breaks the pool at once (BrokenProcessPool) instead
    of being restarted in a loop."""
    global _pool
    with _lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(
                max_workers=current_app.config["PDF_WORKERS"],
                mp_context=multiprocessing.get_context("spawn"),
                max_tasks_per_child=200,
            )
        return _pool


def _kill_pool() -> None:
    """Stop the PDF processes now, even one busy with a runaway document."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        for process in list((pool._processes or {}).values()):
            process.kill()
        pool.shutdown(wait=False, cancel_futures=True)


def worker_pids() -> list[int]:
    pool = _pool
    return [p.pid for p in (pool._processes or {}).values()] if pool is not None else []


atexit.register(_kill_pool)


def html_to_pdf(html: str, timeout: float | None = None) -> bytes:
    key = hashlib.sha256(html.encode("utf-8")).hexdigest()
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    timeout = timeout if timeout is not None else current_app.config["PDF_TIMEOUT"]
    try:
        job = _get_pool().submit(pdfworker.render, html, current_app.static_folder)
        data = job.result(timeout=timeout)
    except FutureTimeout as exc:
        _kill_pool()
        raise PdfError(
            _("The document took too long to prepare and was stopped. Try a smaller one.")
        ) from exc
    except BrokenProcessPool as exc:
        _kill_pool()
        current_app.logger.exception("the PDF process stopped")
        raise PdfError(_("The document could not be prepared.")) from exc
    except Exception as exc:  # the worker raised: report, do not crash the web process
        current_app.logger.exception("PDF rendering failed")
        raise PdfError(_("The document could not be prepared.")) from exc
    _remember(key, data)
    return data


def _remember(key: str, data: bytes) -> None:
    with _lock:
        _cache[key] = data
        while len(_cache) > CACHE_ENTRIES:
            _cache.popitem(last=False)


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


def render_pdf(template: str, *, timeout: float | None = None, inputs=None, **context) -> bytes:
    """Render a document template (extending pdf/base.html) to PDF bytes.

    `inputs`, when given, names everything the document depends on (e.g. a frozen SOP version,
    the language, the print date): a reprint is then served without even rendering the HTML.
    """
    key = None
    if inputs is not None:
        key = "inputs:" + hashlib.sha256(repr((template, inputs)).encode()).hexdigest()
        with _lock:
            if key in _cache:
                _cache.move_to_end(key)
                return _cache[key]
    context.setdefault("printed_at", utcnow())
    context.setdefault(
        "printed_by", current_user.name if current_user and current_user.is_authenticated else ""
    )
    html = render_template(template, **context)
    data = html_to_pdf(html, timeout=timeout)
    if key is not None:
        _remember(key, data)
    return data


def send_pdf(template: str, *, filename: str, **context):
    try:
        data = render_pdf(template, **context)
    except PdfError as error:
        response = make_response(
            render_template(
                "errors/error.html", code=503, title=_("Document not ready"), message=str(error)
            ),
            503,
        )
        return response
    response = make_response(data)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response

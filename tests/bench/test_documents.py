"""The load benchmark's binder phase fetches documents as a browser does (bench/documents.py):
the PDF at once, or a "preparing" answer polled until the PDF is handed over; anything else
fails the run instead of being measured."""

from __future__ import annotations

import pytest

from bench import documents
from bench.documents import Answer, DocumentFailed, fetch

PDF = Answer(200, {"content-type": "application/pdf"}, b"%PDF-1.7 binder")
PREPARING = Answer(
    200,
    {"content-type": "text/html; charset=utf-8"},
    b'<html><head><noscript><meta http-equiv="refresh" content="2"></noscript></head><body>'
    b'<div id="document-status" hx-get="/sops/binder.pdf?department=3&amp;lang=both" '
    b'hx-trigger="every 1s" hx-target="this">Preparing</div></body></html>',
)


@pytest.fixture(autouse=True)
def _no_waiting(monkeypatch):
    monkeypatch.setattr(documents, "POLL_CAP", 0.001)


def _server(*answers):
    """A fake print URL: the answers in turn; records what was asked (path, htmx)."""
    asked = []
    queue = list(answers)

    def get(path, htmx):
        asked.append((path, htmx))
        return queue.pop(0)

    return get, asked


def test_a_pdf_answered_at_once():
    get, asked = _server(PDF)
    got = fetch(get, "/sops/binder.pdf?department=3&lang=both")
    assert (got.requests, got.prepared, got.size) == (1, False, len(PDF.body))
    assert asked == [("/sops/binder.pdf?department=3&lang=both", False)]


def test_preparing_is_polled_until_the_pdf_is_handed_over():
    ready = Answer(200, {"hx-redirect": "/sops/binder.pdf?department=3&lang=both"}, b"")
    get, asked = _server(PREPARING, Answer(204, {}, b""), Answer(204, {}, b""), ready, PDF)
    got = fetch(get, "/sops/binder.pdf?department=3&lang=both")
    assert got.prepared and got.requests == 5
    url = "/sops/binder.pdf?department=3&lang=both"
    assert asked == [(url, False), (url, True), (url, True), (url, True), (url, False)]


def test_a_redirect_a_refresh_and_202_lead_to_the_pdf():
    get, asked = _server(
        Answer(303, {"location": "http://127.0.0.1:5000/documents/7"}, b""),
        Answer(202, {"retry-after": "1"}, b"working"),
        Answer(200, {"content-type": "text/html"}, b'<meta http-equiv="refresh" content="1">'),
        Answer(200, {"refresh": "1; url=/documents/7.pdf"}, b"almost"),
        PDF,
    )
    assert fetch(get, "/binder").requests == 5
    assert [path for path, _htmx in asked] == [
        "/binder",
        "/documents/7",
        "/documents/7",
        "/documents/7",
        "/documents/7.pdf",
    ]


@pytest.mark.parametrize(
    "answer",
    [
        Answer(503, {"content-type": "text/html"}, b"<p>The document could not be prepared.</p>"),
        Answer(200, {"content-type": "text/html"}, b"<html><body>Sign in</body></html>"),
        Answer(200, {"content-type": "application/pdf"}, b"not a pdf"),
    ],
)
def test_an_answer_that_leads_nowhere_fails(answer):
    get, _asked = _server(answer)
    with pytest.raises(DocumentFailed):
        fetch(get, "/binder")


def test_a_document_that_never_arrives_fails():
    get, _asked = _server(*([PREPARING] + [Answer(204, {}, b"")] * 50))
    with pytest.raises(DocumentFailed, match="no PDF after"):
        fetch(get, "/binder", timeout=0.01)

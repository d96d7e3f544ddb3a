"""Printing never holds a web worker while WeasyPrint works (the production path, with
PDF_INLINE_WAIT = 0): the request answers "preparing" at once, the page polls the same print
URL, and any worker of the server hands over the PDF from the file cache once it is ready."""

from __future__ import annotations

import io
import os
import re
import subprocess
import threading
import time
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from portal import pdf, pdfcache, pdfjobs
from tests import factories
from tests.conftest import text_of


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def production(app, monkeypatch):
    """The production settings: no request waits for a render."""
    monkeypatch.setitem(app.config, "PDF_INLINE_WAIT", 0)
    yield app
    assert pdf.wait_for_renders(120), "a render did not finish"


@pytest.fixture
def held(production, monkeypatch):
    """Renders wait for release() before WeasyPrint runs; `calls` counts them."""
    gate = threading.Event()
    calls: list[str] = []
    real = pdfjobs.render

    def held_render(html, settings, beat=None):
        calls.append(html)
        assert gate.wait(60)
        return real(html, settings, beat)

    def started(count: int) -> bool:
        """Wait until `count` renders have reached the PDF processes (or 10 s)."""
        deadline = time.monotonic() + 10
        while len(calls) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return len(calls) == count

    monkeypatch.setattr(pdfjobs, "render", held_render)
    yield SimpleNamespace(release=gate.set, calls=calls, started=started)
    gate.set()
    assert pdf.wait_for_renders(120)


def documents_dir(app) -> Path:
    return Path(app.instance_path) / "documents"


def finished(app, pattern: str = "*.pdf") -> list[Path]:
    return sorted(documents_dir(app).glob(pattern))


def poll(client, url: str):
    return client.get(url, headers={"HX-Request": "true", "HX-Trigger": "document-status"})


def wait_ready(client, url: str, seconds: float = 90):
    """Poll like the page does until the answer is no longer 204 'still rendering'."""
    deadline = time.monotonic() + seconds
    while True:
        response = poll(client, url)
        if response.status_code != 204 or time.monotonic() > deadline:
            return response
        time.sleep(0.1)


def second_client(app, role: str, **kw):
    """Another person in another browser."""
    user = factories.person(role, **kw)
    from portal.extensions import db

    db.session.commit()
    other = app.test_client()
    secret = factories.PIN if role == "employee" else factories.PASSWORD
    assert other.sign_in(user.staff_no, secret).status_code == 303
    return other, user


# --- the first answer -------------------------------------------------------------------------
def test_a_print_answers_preparing_at_once_and_the_poll_hands_over_the_pdf(
    app, client, login_as, held
):
    login_as("hr", locale="en")
    person = factories.person("employee", name_en="Wang Xiuying", staff_no="E5101")
    url = f"/people/{person.id}/record.pdf"

    first = client.get(url, headers={"Referer": f"http://localhost/people/{person.id}"})
    assert first.status_code == 200 and first.mimetype == "text/html"
    assert first.headers["Cache-Control"] == "no-store"
    html = first.get_data(as_text=True)
    page = text_of(first)
    assert "Preparing your document" in page and "It opens here by itself" in page
    status = re.search(r'<div id="document-status"[^>]*>', html).group(0)
    assert f'hx-get="{url}"' in status and 'hx-trigger="every 1s"' in status
    assert 'role="status"' in status
    assert f'href="/people/{person.id}"' in html  # Back: where the person came from
    assert 'class="spinner-border portal-document-spinner" aria-hidden="true"' in html
    assert held.started(1)  # the render runs, and the answer did not wait for it

    assert poll(client, url).status_code == 204  # still rendering: nothing to swap
    held.release()
    ready = wait_ready(client, url)
    assert ready.status_code == 200 and ready.headers["HX-Redirect"] == url
    assert ready.data == b""
    document = client.get(url)  # the browser follows HX-Redirect
    assert document.mimetype == "application/pdf"
    assert "Wang Xiuying" in pdf_text(document.data) and "E5101" in pdf_text(document.data)
    assert len(held.calls) == 1


def test_a_controlled_document_is_found_by_every_worker(app, client, login_as, held):
    """Rendered once; then another person, on another worker (nothing in its memory), gets
    the same file from the folder every worker shares."""
    prop = factories.property_("PRA")
    version = factories.sop(number="HK-301", prop=prop, steps=3)
    login_as("manager", prop=prop)
    url = f"/sops/versions/{version.id}/print.pdf?lang=en"
    assert "Preparing your document" in text_of(client.get(url))
    held.release()
    assert wait_ready(client, url).headers["HX-Redirect"] == url
    [stored] = finished(app)
    assert re.fullmatch(r"doc-[0-9a-f]{64}\.pdf", stored.name)  # a hash, never user input
    assert stat_mode(stored) == 0o600 and stat_mode(documents_dir(app)) == 0o700

    pdf._cache.memory.clear()  # another worker: its memory holds nothing
    other, _user = second_client(app, "supervisor", prop=prop)
    document = other.get(url)
    assert document.mimetype == "application/pdf"
    assert "Step 3 in English" in pdf_text(document.data)
    assert len(held.calls) == 1  # served from the file, not rendered again


def stat_mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_two_requests_for_the_same_document_start_one_render(app, client, login_as, held):
    prop = factories.property_("PRB")
    version = factories.sop(number="HK-302", prop=prop)
    login_as("manager", prop=prop)
    other, _user = second_client(app, "employee", prop=prop)
    url = f"/sops/versions/{version.id}/print.pdf?lang=both"
    answers = [client.get(url), other.get(url), client.get(url), poll(other, url)]
    assert [a.status_code for a in answers] == [200, 200, 200, 204]
    assert held.started(1)
    held.release()
    assert wait_ready(other, url).headers["HX-Redirect"] == url
    assert client.get(url).mimetype == other.get(url).mimetype == "application/pdf"
    assert len(held.calls) == 1


def test_a_render_under_way_in_another_worker_is_not_started_twice(
    app, client, login_as, held, monkeypatch
):
    prop = factories.property_("PRC")
    version = factories.sop(number="HK-303", prop=prop)
    login_as("manager", prop=prop)
    url = f"/sops/versions/{version.id}/print.pdf?lang=en"
    client.get(url)
    [marker] = finished(app, "*.pending")
    held.release()
    assert pdf.wait_for_renders(60)
    pdf._cache.clear()
    # Another worker of this server (a live process) renders this document right now.
    marker.write_text(f'{{"host": "{pdfcache.HOST}", "pid": {os.getppid()}}}')
    answers = [client.get(url), poll(client, url), client.get(url)]
    assert [a.status_code for a in answers] == [200, 204, 200]
    assert "Preparing your document" in text_of(answers[2])
    assert not pdfjobs._jobs and len(held.calls) == 1  # the first render only: none started here


# --- when it fails ------------------------------------------------------------------------------
def test_a_render_over_the_time_limit_says_so_once_and_try_again_renders_anew(
    app, client, login_as, production, monkeypatch
):
    """The real PDF process, stopped by the time limit: the poll shows the message in the
    person's language; the next request starts a new render, which works."""
    login_as("hr", locale="zh_Hans")
    person = factories.person("employee", name_en="Zhao Lei", name_zh="赵磊")
    url = f"/people/{person.id}/record.pdf"
    monkeypatch.setitem(app.config, "PDF_TIMEOUT", 0.01)
    assert client.get(url).status_code == 200
    assert pdf.wait_for_renders(60)
    failed = poll(client, url)
    assert failed.status_code == 200  # htmx swaps it in place of the poller
    body = failed.get_data(as_text=True)
    assert 'id="document-status"' in body and 'role="alert"' in body
    assert "hx-trigger" not in body  # the polling stops
    assert "文档生成时间过长，已停止。请尝试生成较小的文档。" in text_of(failed)
    assert f'href="{url}"' in body and "重试" in text_of(failed)  # Try again
    assert not finished(app, "*.error")  # shown once

    monkeypatch.setitem(app.config, "PDF_TIMEOUT", 60)
    again = client.get(url)  # Try again
    assert again.status_code == 200 and "正在准备文档" in text_of(again)
    assert wait_ready(client, url).headers["HX-Redirect"] == url
    assert "赵磊" in pdf_text(client.get(url).data)


def test_a_render_that_fails_shows_the_message_to_a_reload_without_javascript(
    app, client, login_as, production, monkeypatch
):
    login_as("hr", locale="en")
    person = factories.person("employee")
    url = f"/people/{person.id}/record.pdf"
    real = pdfjobs.render

    def broken(html, settings, beat=None):
        raise pdf.PdfError(pdf.FAILED)

    monkeypatch.setattr(pdfjobs, "render", broken)
    assert client.get(url).status_code == 200
    assert pdf.wait_for_renders(60)
    reloaded = client.get(url)  # the meta refresh
    assert reloaded.status_code == 503
    assert "The document could not be prepared." in text_of(reloaded)
    assert 'http-equiv="refresh"' not in reloaded.get_data(as_text=True)
    monkeypatch.setattr(pdfjobs, "render", real)
    assert "Preparing your document" in text_of(client.get(url))  # renders anew
    assert wait_ready(client, url).headers["HX-Redirect"] == url


def test_a_burst_of_prints_is_bounded_and_says_so(app, client, login_as, held, monkeypatch):
    """A web worker queues at most PDF_QUEUE_LIMIT renders: past it, a clear message (and
    nothing kept in memory), and the same print works once the queue has room."""
    monkeypatch.setitem(app.config, "PDF_QUEUE_LIMIT", 1)
    login_as("hr", locale="en")
    first, second = factories.person("employee"), factories.person("employee")
    assert "Preparing your document" in text_of(client.get(f"/people/{first.id}/record.pdf"))
    busy = client.get(f"/people/{second.id}/record.pdf")
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "5"
    assert "Many documents are being prepared right now." in text_of(busy)
    assert len(pdfjobs._jobs) == 1 and not finished(app, "*.error")
    held.release()
    assert pdf.wait_for_renders(60)
    assert "Preparing your document" in text_of(client.get(f"/people/{second.id}/record.pdf"))


def test_a_render_lost_with_its_worker_is_started_again(app, client, login_as, held):
    prop = factories.property_("PRD")
    version = factories.sop(number="HK-304", prop=prop)
    login_as("manager", prop=prop)
    url = f"/sops/versions/{version.id}/print.pdf?lang=en"
    client.get(url)
    [marker] = finished(app, "*.pending")
    held.release()
    assert pdf.wait_for_renders(60)

    # The worker that rendered it died (same host, its process is gone).
    pdf._cache.clear()
    dead = subprocess.Popen(["true"])
    dead.wait()
    marker.write_text(f'{{"host": "{pdfcache.HOST}", "pid": {dead.pid}}}')
    assert "Preparing your document" in text_of(client.get(url))
    assert held.started(2)
    assert pdf.wait_for_renders(60)

    # Or on another host, silent for longer than PDF_TIMEOUT.
    pdf._cache.clear()
    marker.write_text('{"host": "elsewhere", "pid": 1}')
    old = time.time() - app.config["PDF_TIMEOUT"] - 5
    os.utime(marker, (old, old))
    assert "Preparing your document" in text_of(client.get(url))
    assert held.started(3)
    assert wait_ready(client, url).headers["HX-Redirect"] == url


# --- who may fetch it ---------------------------------------------------------------------------
def test_every_poll_checks_access_again(app, client, login_as, held):
    """A finished draft is on disk; someone who may not read drafts polls its URL: 404."""
    hr = login_as("hr")
    draft = factories.sop(number="HK-305", effective=False, prop=hr.property)
    from portal.extensions import db

    db.session.commit()
    url = f"/sops/versions/{draft.id}/print.pdf?lang=en"
    client.get(url)
    held.release()
    assert wait_ready(client, url).headers["HX-Redirect"] == url
    employee, _user = second_client(app, "employee", prop=hr.property)
    assert poll(employee, url).status_code == 404
    assert employee.get(url).status_code == 404


def test_a_one_off_document_is_made_for_each_person_and_each_print(app, client, login_as, held):
    """A staff record card names who printed it and when: it is made for the person who asked,
    handed over once, and leaves the folder; the next print is made anew."""
    hr = login_as("hr", locale="en", name_en="First Printer")
    person = factories.person("employee", prop=hr.property)
    url = f"/people/{person.id}/record.pdf"
    client.get(url)
    held.release()
    assert wait_ready(client, url).headers["HX-Redirect"] == url
    assert "First Printer" in pdf_text(client.get(url).data)
    [card] = finished(app, "once-*.pdf")
    left = card.stat().st_mtime + pdfcache.ONCE_SECONDS - time.time()
    assert left <= pdfcache.HANDED_OVER_SECONDS  # handed over: it goes in a few seconds
    assert client.get(url).mimetype == "application/pdf"  # a browser fetching it again

    other, _user = second_client(app, "hr", prop=hr.property, name_en="Second Printer")
    assert "Preparing your document" in text_of(other.get(url))  # not the first one's card
    assert wait_ready(other, url).headers["HX-Redirect"] == url
    theirs = pdf_text(other.get(url).data)
    assert "Second Printer" in theirs and "First Printer" not in theirs

    old = time.time() - pdfcache.ONCE_SECONDS - 1
    os.utime(card, (old, old))
    assert "Preparing your document" in text_of(client.get(url))  # printed again: anew
    assert held.started(3)
    assert pdf.wait_for_renders(60)
    assert len(finished(app, "once-*.pdf")) == 2
    for card in finished(app, "once-*.pdf"):
        os.utime(card, (old, old))
    pdf._store(app).sweep(app.config["PDF_CACHE_BYTES"], 60)
    assert finished(app, "once-*.pdf") == []  # nobody fetched them: gone all the same


# --- without JavaScript -------------------------------------------------------------------------
def test_without_javascript_the_page_reloads_itself_and_the_reload_gets_the_pdf(
    app, client, login_as, held
):
    prop = factories.property_("PRE")
    version = factories.sop(number="HK-306", prop=prop)
    login_as("manager", prop=prop)
    url = f"/sops/versions/{version.id}/print.pdf?lang=en"
    html = client.get(url).get_data(as_text=True)
    head = html.split("</head>", 1)[0]
    # In the head, inside <noscript>: read only with scripting off, so JS on polls once.
    assert re.search(r'<noscript><meta http-equiv="refresh" content="2"></noscript>', head)
    body = html.split("<body", 1)[1]
    assert "http-equiv" not in body
    assert re.search(
        rf'<noscript><p><a href="{re.escape(url)}">Check again</a></p></noscript>', body
    )
    held.release()
    assert pdf.wait_for_renders(60)
    reload = client.get(url)
    assert reload.mimetype == "application/pdf"


# --- the cache ----------------------------------------------------------------------------------
def test_the_file_cache_keeps_to_its_size_oldest_out_first(tmp_path):
    store = pdfcache.FileStore(tmp_path / "documents")
    now = time.time()
    keys = [f"doc-{n:064x}" for n in range(5)]
    for age, key in zip([50, 40, 30, 20, 10], keys, strict=True):
        store.write(key, b"%PDF" + b"x" * 996)
        os.utime(store.path(key, ".pdf"), (now - age, now - age))
    assert store.read(keys[0]) is not None  # used just now: the last to go
    store.write("once-" + "a" * 64, b"%PDF card")
    os.utime(store.path("once-" + "a" * 64, ".pdf"), (now - 61, now - 61))
    store.sweep(max_bytes=3000, stale_after=60)
    left = sorted(p.name for p in (tmp_path / "documents").glob("*.pdf"))
    assert left == [f"{k}.pdf" for k in (keys[0], keys[3], keys[4])]


def test_file_names_are_hashes_only(tmp_path):
    store = pdfcache.FileStore(tmp_path)
    for bad in ["../../etc/passwd", "doc-../x", "doc-" + "g" * 64, "x" * 68]:
        with pytest.raises(ValueError):
            store.path(bad, ".pdf")


def test_the_memory_cache_is_bounded_by_bytes():
    memory = pdfcache.MemoryCache(max_entries=10, max_bytes=2500)
    for n in range(4):
        memory.put(f"k{n}", b"x" * 1000)
    assert [k in memory for k in ("k0", "k1", "k2", "k3")] == [False, False, True, True]
    memory.put("huge", b"x" * 3000)
    assert "huge" not in memory


def test_an_inline_wait_answers_a_quick_document_in_one_request(app, client, login_as, monkeypatch):
    """PDF_INLINE_WAIT > 0 (the test suite's setting): a request may wait for its render."""
    monkeypatch.setitem(app.config, "PDF_INLINE_WAIT", 90)
    login_as("hr")
    person = factories.person("employee", staff_no="E5199")
    response = client.get(f"/people/{person.id}/record.pdf")
    assert response.mimetype == "application/pdf" and "E5199" in pdf_text(response.data)


def test_the_mechanism_serves_any_module_document(app, production):
    """Document(...).send() alone, as a module would call it: preparing, then the PDF."""
    document = pdf.Document(
        "pdf/base.html",
        "notice.pdf",
        {"title": "Notice 通知", "inputs": ("notice", 1), "printed_on": date(2026, 11, 23)},
    )
    with app.test_request_context("/notices/1.pdf"):
        first = document.send()
        assert first.status_code == 200 and b"document-status" in first.data
    assert pdf.wait_for_renders(60)
    with app.test_request_context("/notices/1.pdf"):
        done = document.send()
    assert done.mimetype == "application/pdf" and "通知" in pdf_text(done.data)
    assert done.headers["Content-Disposition"] == 'inline; filename="notice.pdf"'


def test_pdf_processes_run_below_the_web_workers(app, production):
    with app.test_request_context():
        pdf.html_to_pdf("<html><body><p>priority</p></body></html>")
    pids = pdf.worker_pids()
    assert pids
    assert all(os.getpriority(os.PRIO_PROCESS, pid) >= app.config["PDF_NICE"] for pid in pids)


def test_a_kept_document_is_kept_for_one_release_of_the_templates(app, monkeypatch):
    """A corrected template is printed anew: the key of a kept document names the templates'
    digest, so the cache a release before filled is not served after a deploy."""
    from portal import pdf

    context = {"inputs": ("sop", 1, "en"), "printed_on": "2026-12-04"}
    assert len(pdf._release()) == 16
    with app.test_request_context():
        key, keep = pdf._key_for("sops/pdf/sop.html", "sop.pdf", context)
        assert keep and key == pdf._key_for("sops/pdf/sop.html", "sop.pdf", context)[0]
        monkeypatch.setattr(pdf, "_release", lambda: "another-release")
        assert pdf._key_for("sops/pdf/sop.html", "sop.pdf", context)[0] != key

"""Printing in a browser: the new tab says the document is being prepared, and the PDF comes by
itself once it is ready (htmx polls the print URL; without JavaScript the page reloads)."""

from __future__ import annotations

import threading

import pytest
from playwright.sync_api import expect

from portal import pdf, pdfjobs
from tests import factories
from tests.browser.conftest import AXE, sign_in


@pytest.fixture
def held_renders(app, monkeypatch):
    """The production path (no request waits), each render held until the gate opens."""
    monkeypatch.setitem(app.config, "PDF_INLINE_WAIT", 0)
    gate = threading.Event()
    real = pdfjobs.render

    def held(html, settings, beat=None):
        assert gate.wait(60)
        return real(html, settings, beat)

    monkeypatch.setattr(pdfjobs, "render", held)
    yield gate
    gate.set()
    assert pdf.wait_for_renders(120)


def is_the_pdf(response) -> bool:
    return "print.pdf" in response.url and (
        response.headers.get("content-type") == "application/pdf"
    )


def test_print_says_preparing_then_the_pdf_arrives(live_server, new_page, people, held_renders):
    sop_id = people["sop"][0]
    page = new_page("terminal")
    sign_in(page, live_server, "b.hr", factories.PASSWORD)
    page.goto(f"{live_server}/sops/{sop_id}")
    with page.context.expect_page() as opened:
        page.click("text=Print (both languages)")
    tab = opened.value
    status = tab.locator("#document-status")
    expect(status).to_contain_text("Preparing your document")
    expect(status).to_have_attribute("role", "status")
    expect(tab.locator(".portal-document-spinner")).to_be_visible()
    expect(tab.locator(".portal-document-still")).to_be_hidden()
    expect(tab.locator("a.btn", has_text="Back")).to_have_attribute("href", f"/sops/{sop_id}")
    tab.wait_for_timeout(1500)  # a poll or two: still preparing, nothing else changes
    expect(status).to_contain_text("Preparing your document")
    with tab.expect_response(is_the_pdf, timeout=30000) as arrived:
        held_renders.set()
    assert arrived.value.status == 200


def test_without_javascript_the_page_reloads_until_the_pdf_is_there(
    live_server, new_page, people, held_renders
):
    page = new_page("terminal", java_script_enabled=False)
    sign_in(page, live_server, "b.hr", factories.PASSWORD)
    version = pdf_url(live_server, page, people)
    page.goto(version)
    expect(page.locator("#document-status")).to_contain_text("Preparing your document")
    expect(page.get_by_role("link", name="Check again")).to_be_visible()
    with page.expect_response(is_the_pdf, timeout=30000) as arrived:
        held_renders.set()
    assert arrived.value.status == 200


def pdf_url(base: str, page, people) -> str:
    """The print link of the SOP's page, as the browser would follow it."""
    page.goto(f"{base}/sops/{people['sop'][0]}")
    href = page.locator("a", has_text="Print (both languages)").get_attribute("href")
    return base + href


def test_the_preparing_page_is_calm_for_reduced_motion_and_accessible(
    live_server, new_page, people, held_renders
):
    page = new_page("phone", reduced_motion="reduce", bypass_csp=True)  # bypass: to inject axe
    sign_in(page, live_server, "b.hr", factories.PASSWORD)
    page.goto(pdf_url(live_server, page, people))
    expect(page.locator("#document-status")).to_contain_text("Preparing your document")
    expect(page.locator(".portal-document-spinner")).to_be_hidden()  # no turning wheel
    expect(page.locator(".portal-document-still")).to_be_visible()  # a still hourglass
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document)")
    bad = [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == []

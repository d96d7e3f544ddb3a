"""A live portal in a thread and the system Chromium driven by Playwright (no browser download)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from portal.extensions import db as _db
from tests import factories

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SIZES = {
    "terminal": (1366, 768),
    "tablet": (1024, 768),
    "tablet-portrait": (768, 1024),
    "phone": (375, 667),
}
AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe-4.11.1.min.js"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test` (it installs it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_page(browser):
    contexts = []

    def open_page(size: str = "terminal", **options):
        width, height = SIZES[size]
        context = browser.new_context(viewport={"width": width, "height": height}, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def people(app, committed_db):
    """People committed to the database, so that the live server sees them."""
    with app.app_context():
        prop = factories.property_("BRW", name_en="Harbour Test Hotel", name_zh="海港测试酒店")
        made = {
            "admin": factories.person("admin", prop=prop, username="b.admin", dept="HR"),
            "hr": factories.person("hr", prop=prop, username="b.hr", dept="HR"),
            "employee": factories.person(
                "employee", prop=prop, staff_no="E7001", name_en="Li Na", name_zh="李娜"
            ),
            "zh_employee": factories.person(
                "employee",
                prop=prop,
                staff_no="E7002",
                name_en="Zhang Wei",
                name_zh="张伟",
                locale="zh_Hans",
            ),
            "supervisor": factories.person("supervisor", prop=prop, username="b.sup", dept="HK"),
        }
        sop = factories.sop(
            number="HK-001", prop=prop, dept="HK", title="Guest-room cleaning", title_zh="客房清洁"
        )
        for i in range(12):
            factories.person(
                "employee",
                prop=prop,
                staff_no=f"E71{i:02d}",
                name_en=f"Guest Room Attendant {i}",
                name_zh=f"客房服务员{i}",
            )
        _db.session.commit()
        ids = {key: (p.id, p.staff_no, p.username) for key, p in made.items()}
        ids["sop"] = (sop.sop_id, sop.sop.number, None)
        _db.session.remove()
    return ids


def sign_in(page, base: str, identifier: str, secret: str) -> None:
    page.goto(f"{base}/auth/login")
    page.fill("#identifier", identifier)
    page.fill("#secret", secret)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{base}/")


MEASURE = """() => {
  const small = [];
  const controls = 'a[href], button, input:not([type=hidden]), select, textarea';
  for (const el of document.querySelectorAll(controls)) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (el.closest('p, li, td, dd') && el.tagName === 'A' && r.height >= 20) continue;
    if (r.width < 44 || r.height < 44) {
      const label = (el.innerText || el.name || el.id).trim().slice(0, 30);
      small.push(`${el.tagName} ${label} ${Math.round(r.width)}x${Math.round(r.height)}`);
    }
  }
  return {overflow: document.documentElement.scrollWidth - window.innerWidth, small};
}"""

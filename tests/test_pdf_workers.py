"""Pages keep answering while documents render: a real gunicorn with two sync workers, two
department binders printed at once, and the home page answered while both still render; then
each binder reaches the other person from the file cache the workers share, rendered once."""

from __future__ import annotations

import http.cookiejar
import io
import os
import re
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from pypdf import PdfReader

from portal.extensions import db
from tests import factories
from tests.conftest import gunicorn

ROOT = Path(__file__).resolve().parents[1]


class Browser:
    """One person's cookies; answers as (status, headers, body)."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str, **headers):
        request = urllib.request.Request(self.base + path, headers=headers)  # noqa: S310
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.headers, error.read()

    def poll(self, path: str):
        return self.get(path, **{"HX-Request": "true"})

    def sign_in(self, identifier: str, secret: str) -> None:
        _status, _headers, page = self.get("/auth/login")
        token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
            rb'value="([^"]+)"[^>]*name="csrf_token"', page
        )
        assert token, page[:300]
        body = urllib.parse.urlencode(
            {"csrf_token": token.group(1).decode(), "identifier": identifier, "secret": secret}
        ).encode()
        request = urllib.request.Request(self.base + "/auth/login", data=body)  # noqa: S310
        with self.opener.open(request, timeout=30) as response:
            assert response.url.rstrip("/") == self.base, response.url  # signed in: home


def _binders(app) -> tuple[int, int]:
    """Two departments of one hotel, eight bilingual SOPs of 15 steps each."""
    with app.app_context():
        prop = factories.property_("GWS")
        author = factories.person("hr", prop=prop, dept="HR", username="g.hr")
        approver = factories.person("manager", prop=prop, dept="FO", username="g.manager")
        factories.person("supervisor", prop=prop, dept="HK", username="g.sup")
        for dept in ("HK", "FO"):
            for n in range(8):
                factories.sop(
                    number=f"{dept}-{n + 1:03d}",
                    prop=prop,
                    dept=dept,
                    author=author,
                    approver=approver,
                    steps=15,
                    title=f"Procedure {dept} {n + 1}",
                    title_zh=f"程序{n + 1}",
                )
        db.session.commit()
        ids = (factories.department(prop, "HK").id, factories.department(prop, "FO").id)
        db.session.remove()
    return ids


def _wait_ready(browser: Browser, path: str, seconds: float = 120) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status, headers, _body = browser.poll(path)
        if status != 204:
            return {"status": status, "redirect": headers.get("HX-Redirect")}
        time.sleep(0.2)
    raise AssertionError(f"{path} was not ready in {seconds} s")


def test_the_home_page_answers_while_two_binders_render(app, committed_db, tmp_path):
    hk, fo = _binders(app)
    env = {
        **os.environ,
        "PORTAL_INSTANCE_PATH": str(tmp_path),
        "PORTAL_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "PORTAL_SECRET_KEY": secrets.token_urlsafe(32),
        "PORTAL_RATELIMIT_STORAGE_URL": "memory://",
    }
    env.pop("PORTAL_PDF_INLINE_WAIT", None)  # production: no request waits for a render
    with gunicorn(env, tmp_path / "gunicorn.log", "--timeout", "120") as base:
        manager, supervisor = Browser(base), Browser(base)
        manager.sign_in("g.manager", factories.PASSWORD)
        supervisor.sign_in("g.sup", factories.PASSWORD)
        binders = [f"/sops/binder.pdf?department={d}&lang=both" for d in (hk, fo)]

        # Both workers are asked for a binder at the same moment...
        first = [manager.get(binders[0]), supervisor.get(binders[1])]
        for status, headers, body in first:
            assert status == 200 and headers["Content-Type"].startswith("text/html")
            assert b"Preparing your document" in body
        # ...and the home page is answered while both binders are still being rendered.
        home_ms = []
        for _ in range(10):
            started = time.perf_counter()
            status, _headers, body = manager.get("/")
            home_ms.append((time.perf_counter() - started) * 1000)
            assert status == 200 and b"portal-nav" in body
        still = [manager.poll(binders[0])[0], supervisor.poll(binders[1])[0]]
        assert still == [204, 204], (still, home_ms)
        print(f"home page while two binders render: {sorted(home_ms)} ms")

        # Each binder is handed to the other person too, by whichever worker answers.
        assert _wait_ready(manager, binders[0]) == {"status": 200, "redirect": binders[0]}
        assert _wait_ready(supervisor, binders[1]) == {"status": 200, "redirect": binders[1]}
        for who, path, number in (
            (supervisor, binders[0], "HK-008"),
            (manager, binders[1], "FO-008"),
        ):
            status, headers, body = who.get(path)
            assert status == 200 and headers["Content-Type"] == "application/pdf"
            text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
            assert number in text and "程序8" in text
        stored = sorted(p.name for p in (tmp_path / "documents").glob("*.pdf"))
        assert len(stored) == 2 and all(name.startswith("doc-") for name in stored)

"""The application shell: factory, configuration, headers, vendored assets, error pages."""

import hashlib
import re
from pathlib import Path

import pytest

from portal import create_app
from tests import factories
from tests.conftest import text_of

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "portal" / "templates"


def test_configuration_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("PORTAL_DATABASE_URL", "postgres://u@db.example/staffroom")
    monkeypatch.setenv("PORTAL_SECRET_KEY", "from-env")
    monkeypatch.setenv("PORTAL_TIMEZONE", "Europe/London")
    monkeypatch.setenv("PORTAL_RATELIMIT_STORAGE_URL", "memory://")
    import importlib

    import portal.config

    importlib.reload(portal.config)
    try:
        app = create_app(portal.config.Config)
        assert (
            app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/staffroom"
        )
        assert app.config["SECRET_KEY"] == "from-env"
        assert app.config["PORTAL_TIMEZONE"] == "Europe/London"
    finally:
        monkeypatch.undo()
        importlib.reload(portal.config)


def test_secret_key_is_generated_once_into_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("PORTAL_SECRET_KEY", raising=False)
    first = create_app(
        {"TESTING": True, "SECRET_KEY": None, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )
    second = create_app(
        {"TESTING": True, "SECRET_KEY": None, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )
    key_file = tmp_path / "secret_key"
    assert key_file.exists() and oct(key_file.stat().st_mode)[-3:] == "600"
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] == key_file.read_text()
    assert len(first.config["SECRET_KEY"]) >= 40


def test_production_cookies_are_host_prefixed_and_secure():
    from portal.config import ProductionConfig

    assert ProductionConfig.SESSION_COOKIE_NAME.startswith("__Host-")
    assert ProductionConfig.SESSION_COOKIE_SECURE is True
    assert ProductionConfig.SESSION_COOKIE_HTTPONLY is True
    assert ProductionConfig.SESSION_COOKIE_SAMESITE == "Lax"


def test_security_headers_on_every_page(client, db):
    response = client.get("/auth/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp and "style-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "HX-Request" in response.vary


def test_static_files_may_be_cached(client, db):
    with client.get("/static/css/portal.css") as response:
        assert response.status_code == 200
        assert response.headers.get("Cache-Control") != "no-store"


def test_static_urls_carry_their_contents_hash(client, db, app):
    """nginx keeps /static/ for a year: a changed file must get a new URL, the same file the
    same URL in every worker."""
    page = client.get("/auth/login").get_data(as_text=True)
    css = (Path(app.static_folder) / "css/portal.css").read_bytes()
    digest = hashlib.sha256(css).hexdigest()[:12]
    assert f'href="/static/css/portal.css?v={digest}"' in page
    assert re.search(r'src="/static/js/portal.js\?v=[0-9a-f]{12}"', page)
    assert re.search(r"/static/vendor/bootstrap-icons/sprite.svg\?v=[0-9a-f]{12}#", page)
    with client.get(f"/static/css/portal.css?v={digest}") as response:
        assert response.status_code == 200 and response.data == css


def test_every_page_names_the_portals_icon(client, db):
    """Browsers ask for an icon: without one, every page cost a /favicon.ico 404 beside it."""
    page = client.get("/auth/login").get_data(as_text=True)
    assert re.search(
        r'<link rel="icon" type="image/svg\+xml" href="/static/favicon.svg\?v=[0-9a-f]{12}">', page
    )
    with client.get("/static/favicon.svg") as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
        assert icon.get_data(as_text=True).startswith("<svg ") and "#16425b" in icon.get_data(
            as_text=True
        )


def test_pages_have_no_inline_scripts_styles_or_cdn():
    for path in TEMPLATES.rglob("*.html"):
        if "pdf" in path.parts:
            continue  # documents are rendered by WeasyPrint, never served to a browser
        html = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), path
        assert " style=" not in html and "<style" not in html, path
        assert "hx-on" not in html, path
        assert not re.search(r"https?://(?!staffroom)", html), path


def test_vendored_files_match_their_recorded_sha256():
    record = (ROOT / "portal" / "static" / "vendor" / "VENDORED.md").read_text()
    rows = re.findall(r"`(vendor/[^`]+)`[^\n]*`([0-9a-f]{64})`", record)
    assert len(rows) >= 3
    for rel, digest in rows:
        data = (ROOT / "portal" / "static" / rel).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest, rel
    assert any("htmx-2.0." in rel for rel, _ in rows)


@pytest.mark.parametrize(
    ("code", "method", "path", "title", "message"),
    [
        (403, "GET", "/audit/", "Not allowed", "Your role does not give access to this page."),
        (404, "GET", "/no/such/page", "Not found", "This page does not exist"),
        (405, "POST", "/people/", "Not possible this way", "This action cannot be done this way."),
    ],
)
def test_error_page_and_error_fragment(client, db, login_as, code, method, path, title, message):
    login_as("employee")

    def ask(htmx: bool):
        if method == "POST":
            return client.post_form(path, htmx=htmx)
        return client.hx_get(path) if htmx else client.get(path)

    page = ask(htmx=False)
    assert page.status_code == code
    assert "<html" in page.get_data(as_text=True)
    assert title in text_of(page) and message in text_of(page)
    fragment = ask(htmx=True)
    assert fragment.status_code == code
    body = fragment.get_data(as_text=True)
    assert "<html" not in body and f'data-error-code="{code}"' in body
    assert f"{title}. {message}" in text_of(fragment)
    assert fragment.headers["HX-Retarget"] == "#flash"


def test_500_page_is_shown_and_the_portal_keeps_serving(app, client, db, login_as):
    login_as("employee")
    view = app.view_functions["home.index"]

    def broken():
        from portal.blueprints.auth.permissions import can_use_portal
        from portal.security import require

        require(can_use_portal)
        raise RuntimeError("boom")

    app.view_functions["home.index"] = broken
    app.config["PROPAGATE_UNEXPECTED"] = False
    try:
        response = client.get("/")
        assert response.status_code == 500
        assert "Something went wrong on our side" in text_of(response)
    finally:
        app.view_functions["home.index"] = view
        app.config["PROPAGATE_UNEXPECTED"] = True
    assert client.get("/").status_code == 200


def test_home_page_cards_per_role(client, db, login_as):
    factories.person("employee")
    hr = login_as("hr")
    body = text_of(client.get("/"))
    assert "People" in body and "Audit trail, last 24 hours" in body
    assert "Active" in body and "Failed sign-ins" in body
    assert hr.name_en in body


def test_supervisor_home_shows_their_team(client, db, login_as):
    for _ in range(3):
        factories.person("employee", dept="HK")
    login_as("supervisor", dept="HK")
    body = text_of(client.get("/"))
    assert "My team" in body and "Housekeeping 4" in body  # three plus the supervisor


def test_employee_home_shows_their_details_and_no_admin_cards(client, db, login_as):
    me = login_as("employee")
    body = text_of(client.get("/"))
    assert me.staff_no in body and "This is your first sign-in" in body
    assert "Audit trail" not in body and "Shared terminals" not in body


@pytest.mark.parametrize("number", ["0", str(2**31), str(2**63), str(2**64), "9" * 40])
def test_an_id_out_of_range_in_any_path_is_not_found(client, db, login_as, app, number):
    """Every <int:...> of every module: a number no id column holds is a 404, never a 500."""
    login_as("admin")
    rules = [r for r in app.url_map.iter_rules() if "GET" in r.methods and "<int:" in r.rule]
    assert len(rules) >= 5
    for rule in rules:
        url = rule.rule
        for name in rule.arguments:
            url = url.replace(f"<int:{name}>", number)
        response = client.get(url)
        assert response.status_code == 404, (url, response.status_code)
        assert "Not found" in text_of(response)

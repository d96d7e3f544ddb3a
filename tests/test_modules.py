"""The module platform: the core imports no domain, every domain declares itself once, and
an app without a module still works (the features of that module are simply absent)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal import create_app, modules
from portal.audit import AuditEvent
from tests import factories
from tests.conftest import TEST_SECRET, text_of

ROOT = Path(__file__).resolve().parent.parent
CORE = sorted(
    f"portal.{path.stem}" for path in (ROOT / "portal").glob("*.py") if path.stem != "__init__"
)


def test_the_core_imports_no_domain_package():
    """Each core module, imported alone in a fresh interpreter, loads no portal.blueprints."""
    script = (
        "import importlib, sys\n"
        "bad = {}\n"
        f"for name in {CORE!r}:\n"
        "    before = set(sys.modules)\n"
        "    importlib.import_module(name)\n"
        "    loaded = [m for m in sys.modules if m.startswith('portal.blueprints')]\n"
        "    if loaded: bad[name] = loaded\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(CORE) >= 15  # the list really holds the core (config, audit, sessions, ...)


def test_every_domain_package_declares_itself(app):
    packages = sorted(
        p.name for p in (ROOT / "portal" / "blueprints").iterdir() if (p / "__init__.py").exists()
    )
    assert sorted(m.name for m in modules.registered(app)) == packages
    # Besides the modules, only the shared core's probes and metrics (portal/health.py,
    # portal/metrics.py).
    assert sorted(app.blueprints) == sorted([*packages, "health", "metrics"])


def test_navigation_and_audit_labels_come_from_the_modules(app):
    with app.test_request_context():
        endpoints = [e.endpoint for e in modules.nav_entries()]
        assert endpoints[0] == "home.index"
        assert {"people.index", "sops.index", "audit.index", "terminals.index"} <= set(endpoints)
        from portal.audit import action_label, object_label

        assert action_label("sop.approved") == "SOP approved"
        assert action_label("person.created") == "Person added"
        assert action_label("access.refused") == "Access refused"
        assert action_label("unknown.thing") == "unknown.thing"
        assert object_label("sops") == "SOP"


def test_seeders_run_after_what_they_need(app):
    with app.app_context():
        names = [name for name, _fn in modules.seeders()]
    assert names.index("people") < names.index("sops")


def test_seeders_in_a_circle_are_refused(app):
    with app.app_context():
        people = app.extensions[modules.EXTENSION]["people"]
        saved = people.seed_after
        people.seed_after = ("sops",)
        try:
            with pytest.raises(RuntimeError, match="circle"):
                modules.seeders()
        finally:
            people.seed_after = saved


@pytest.fixture
def app_without_sops(app, db):
    """The same database, served by an app that has every module but the SOP library."""
    other = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": TEST_SECRET,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "PORTAL_MODULES": ("auth", "home", "people", "terminals", "audit"),
        }
    )
    other.test_client_class = app.test_client_class
    return other


def test_without_the_sop_module_its_features_are_absent_not_broken(app_without_sops, db):
    assert "sops" not in app_without_sops.blueprints
    client = app_without_sops.test_client()
    with app_without_sops.app_context():  # the test's session: its writes roll back at the end
        hr = factories.person(role="hr")
        colleague = factories.person(role="employee")
        db.session.commit()
        assert client.sign_in(hr.staff_no, factories.PASSWORD).status_code == 303
        home = client.get("/")
        assert home.status_code == 200
        assert "SOP" not in text_of(home)
        page = client.get(f"/people/{colleague.id}")
        assert page.status_code == 200
        assert "SOPs read" not in text_of(page)
        assert client.get("/sops/").status_code == 404


def test_with_the_sop_module_the_person_page_links_the_reading_record(client, login_as, db):
    login_as("hr")
    colleague = factories.person(role="employee")
    db.session.commit()
    page = client.get(f"/people/{colleague.id}")
    assert f"/sops/people/{colleague.id}" in page.get_data(as_text=True)
    assert "SOPs read" in text_of(page)


def test_every_audit_row_of_the_demo_names_its_actor(app, db):
    """flask seed-demo: every change it writes says who made it."""
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo"], catch_exceptions=False)
    assert "demo data people: loaded" in result.output
    assert "demo data sops: loaded" in result.output
    rows = db.session.execute(
        select(AuditEvent.action, func.count())
        .where(AuditEvent.actor_id.is_(None))
        .group_by(AuditEvent.action)
    ).all()
    assert rows == []
    total = db.session.scalar(select(func.count()).select_from(AuditEvent))
    sop_rows = db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action.like("sop.%"))
    )
    assert sop_rows >= 8 and total > sop_rows
    again = runner.invoke(args=["seed-demo"], catch_exceptions=False)
    assert "demo data sops: already there" in again.output


def test_demo_accounts_is_the_people_modules_command(app):
    result = app.test_cli_runner().invoke(args=["demo-accounts"], catch_exceptions=False)
    assert "supervisor" in result.output and "demo-pass-2026" in result.output

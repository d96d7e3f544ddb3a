"""The access matrix as a whole: every endpoint of the app has its row in its domain's
tests/<domain>/test_access.py, and a view that answers without a check fails closed.

The walk itself (every role, anonymous, another property, another department) is in
tests/access.py; each domain's file declares its rows and runs it.
"""

import importlib
from pathlib import Path

import pytest

from portal import modules
from tests import access

TESTS = Path(__file__).resolve().parent


def _load_every_domain() -> dict[str, tuple[access.Row, ...]]:
    """Import each tests/<domain>/test_access.py (each adds its rows to the registry)."""
    for path in sorted(TESTS.glob("*/test_access.py")):
        importlib.import_module(f"tests.{path.parent.name}.test_access")
    return access.REGISTRY


def test_every_endpoint_has_a_row_in_its_domains_access_test(app):
    """One row per endpoint and method (a form's GET and its POST each have theirs)."""
    registry = _load_every_domain()
    declared = {(row.endpoint, row.method) for rows in registry.values() for row in rows}
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes - declared == set(), "add a Row to tests/<domain>/test_access.py"
    assert declared - routes == set(), "rows of routes that no longer exist"


def test_every_module_has_an_access_test(app):
    from tests.platform.test_access import PLATFORM

    registry = _load_every_domain()
    assert {m.name for m in modules.registered(app)} | set(PLATFORM) == set(registry)


def test_rows_of_routes_with_a_record_name_it_and_try_another_property(app):
    registry = _load_every_domain()
    with_record = {rule.endpoint for rule in app.url_map.iter_rules() if rule.arguments}
    for rows in registry.values():
        for row in rows:
            if row.endpoint in with_record:  # refusals name the record; other properties tried
                assert row.obj is not None and row.elsewhere(), row.id


def test_a_view_without_an_access_check_fails_closed(app, client, db, login_as):
    login_as("admin")
    view = app.view_functions["home.index"]
    app.view_functions["home.index"] = lambda: "no check here"
    try:
        with pytest.raises(AssertionError, match="without an access check"):
            client.get("/")
    finally:
        app.view_functions["home.index"] = view

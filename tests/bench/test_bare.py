"""The bare-bones anchors of the load benchmark (bench/bare.py) render what they promise: a
string, a page of 50 rows and a fragment of about 1 KB, each page in exactly 5 queries."""

from __future__ import annotations

import os
import re

import pytest
from sqlalchemy import event

from bench import bare

PG_URL = os.environ.get("PORTAL_TEST_DATABASE_URL") or ""
# The engine of the run: SQLite, and PostgreSQL too in the PostgreSQL run of the suite.
ENGINES = ["sqlite", "postgresql"] if PG_URL.startswith("postgresql") else ["sqlite"]


@pytest.fixture(params=ENGINES)
def anchors(request, tmp_path):
    urls = {"sqlite": f"sqlite:///{tmp_path / 'bare.db'}", "postgresql": PG_URL}
    app = bare.prepare(urls[request.param])
    bare.prepare(urls[request.param])  # a second start seeds nothing twice
    statements: list[str] = []
    with app.app_context():
        engine = bare.db.engine

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield app.test_client(), statements
    finally:
        event.remove(engine, "before_cursor_execute", count)
        with app.app_context():
            if request.param == "postgresql":
                bare.db.drop_all()
            bare.db.engine.dispose()


def test_the_bare_route_is_a_string(anchors):
    client, statements = anchors
    answer = client.get("/bare")
    assert answer.status_code == 200
    assert answer.get_data(as_text=True) == "Hello from a bare Flask route."
    assert statements == []


def test_the_bare_page_has_a_header_and_50_rows_in_5_queries(anchors):
    client, statements = anchors
    answer = client.get("/bare/page")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert len(statements) == 5
    assert "<header" in html and "<table" in html and "</html>" in html
    assert len(re.findall(r"<tr>\s*<td", html)) == bare.PAGE_ROWS
    assert "Member number 1<" in html and f"{bare.MEMBERS} members" in html
    assert 10_000 < len(answer.data) < 30_000  # about a portal list page


def test_the_bare_fragment_is_about_1_kb_in_5_queries(anchors):
    client, statements = anchors
    answer = client.get("/bare/fragment")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert len(statements) == 5
    assert "<html" not in html
    assert html.count("<li>") == bare.FRAGMENT_ROWS
    assert 800 < len(answer.data) < 1300

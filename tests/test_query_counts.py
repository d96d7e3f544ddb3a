"""Every page and htmx fragment answers in a fixed number of queries, whatever the data.

Each GET endpoint of the app is listed here with the role that uses it and the number of
queries its answer takes (BEGIN, COMMIT and savepoints not counted). The test asks for it on a
small data set and again after more people, SOPs, acknowledgements and reminders were added:
the count must be the listed number both times, so a query per row (or a new query on every
page) fails here before it reaches a hotel. A new endpoint must be listed (or excluded, with the
reason) or the completeness test fails.

A domain module lists its own pages in `tests/<domain>/query_counts.py`, found here by name:
`CASES` (a list of Case), optionally `NOT_PAGES` ({endpoint: why}), `world(prop, ids)` (adds the
module's objects to the small data set and returns their ids for the URLs, e.g.
{"session": 7}), `grow(prop, count)` (adds `count` more of what its pages list) and
`ROUTE_ARGUMENTS` ({route argument: key of world()'s ids}, for tests/test_input.py, which asks
every GET route with out-of-range list parameters).
"""

from __future__ import annotations

import importlib
import itertools
import pkgutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from portal import audit
from portal.blueprints.people.models import JobTitle, PeopleImport
from portal.blueprints.sops import reading, services
from tests import factories


@dataclass(frozen=True)
class Case:
    endpoint: str
    role: str
    url: str  # formatted with the ids of the data set: {person}, {sop}, {version}
    queries: int
    fragment: bool = False  # asked for as htmx (HX-Request), answering a part of a page
    expect: str = ""  # a word the answer must contain (it is the real page, not an error)


CASES = [
    Case("home.index", "employee", "/", 6, expect="My details"),
    Case("home.index", "supervisor", "/", 6, expect="My team"),
    # HR and managers: 4 of them are the compliance card's when its memo has nothing kept.
    Case("home.index", "manager", "/", 12, expect="My team"),
    Case("home.index", "hr", "/", 9, expect="People"),
    Case("home.index", "admin", "/", 7, expect="Shared terminals"),
    Case("people.index", "hr", "/people/", 3, expect="Staff number"),
    Case("people.index", "hr", "/people/?q=Test", 3, fragment=True, expect="Staff number"),
    Case("people.detail", "hr", "/people/{person}", 4, expect="Staff number"),
    Case("people.edit", "hr", "/people/{person}/edit", 5, expect="Save"),
    Case(
        "people.edit_fields",
        "hr",
        "/people/{person}/edit/fields?role=supervisor",
        6,
        fragment=True,
        expect="supervise",
    ),
    Case("people.create", "hr", "/people/new", 3, expect="Staff number"),
    Case("people.import_people", "hr", "/people/import", 1, expect="Check the file"),
    # Every row checked against three lists loaded once, however many rows the file has.
    Case("people.import_check", "hr", "/people/import/{upload}", 6, expect="to add"),
    Case(
        "people.create_fields",
        "hr",
        "/people/new/fields?role=employee",
        4,
        fragment=True,
        expect="PIN",
    ),
    Case("people.reset_secret", "hr", "/people/{person}/reset", 3, expect="PIN"),
    Case("people.confirm_deactivate", "hr", "/people/{person}/deactivate", 4, expect="Deactivate"),
    Case("people.job_titles", "hr", "/people/job-titles", 3, expect="Room attendant"),
    Case("people.create_job_title", "hr", "/people/job-titles/new", 2, expect="Grade"),
    Case("people.edit_job_title", "hr", "/people/job-titles/{title}/edit", 5, expect="Grade"),
    Case(
        "people.delete_job_title",
        "hr",
        "/people/job-titles/{title}/delete",
        4,
        expect="Room attendant",
    ),
    Case("sops.index", "supervisor", "/sops/", 3, expect="HK-001"),
    Case("sops.index", "supervisor", "/sops/?q=HK", 3, fragment=True, expect="HK-001"),
    Case("sops.detail", "employee", "/sops/{sop}", 7, expect="HK-001"),
    Case("sops.version", "hr", "/sops/versions/{version}", 11, expect="HK-001"),
    Case("sops.coverage", "supervisor", "/sops/{sop}/acknowledgements", 6, expect="Not yet"),
    Case(
        "sops.coverage",
        "supervisor",
        "/sops/{sop}/acknowledgements?outstanding=1",
        6,
        fragment=True,
        expect="have acknowledged",
    ),
    Case("sops.remind_all", "supervisor", "/sops/{sop}/remind-all", 5, expect="Remind"),
    Case("sops.person_status", "supervisor", "/sops/people/{person}", 3, expect="HK-001"),
    Case("sops.compare", "hr", "/sops/{sop}/compare", 5, expect="HK-001"),
    Case("sops.create", "hr", "/sops/new", 2, expect="Purpose"),
    Case("sops.edit", "hr", "/sops/versions/{draft}/edit", 6, expect="Purpose"),
    Case("sops.settings", "manager", "/sops/settings/{property_id}", 2, expect="Chinese"),
    Case("audit.index", "hr", "/audit/", 4, expect="Audit trail"),
    Case("audit.index", "hr", "/audit/?action=auth.sign_in", 4, fragment=True, expect="Sign"),
    Case("terminals.index", "admin", "/terminals/", 3, expect="Enrol"),
]

# GET endpoints that are not pages or fragments, and why.
NOT_PAGES = {
    "static": "files",
    "auth.login": "the sign-in page (anonymous; its cost is the password check)",
    "auth.session_status": "a JSON poll: the session check alone (two queries)",
    "auth.confirm_identity": "a form asking the password again",
    "people.staff_record_pdf": "a document (make bench measures documents)",
    "sops.print_pdf": "a document",
    "sops.binder_pdf": "a document",
    "audit.export_csv": "a file streamed in chunks of rows",
    "people.export_people": "a download (CSV or Excel) of the property's people",
    "health.healthz": "a probe: no query at all (tests/test_health.py)",
    "health.readyz": "a probe: the schema's revision, one query",
    "metrics.metrics": "the Prometheus scrape: no query",
}


def _module_lists():
    """The query_counts modules of the domain test packages (tests/<domain>/query_counts.py)."""
    found = []
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if info.ispkg and Path(__file__).parent.joinpath(info.name, "query_counts.py").exists():
            found.append(importlib.import_module(f"tests.{info.name}.query_counts"))
    return found


MODULE_LISTS = _module_lists()
for _listed in MODULE_LISTS:
    CASES.extend(_listed.CASES)
    NOT_PAGES.update(getattr(_listed, "NOT_PAGES", {}))


def test_every_page_and_fragment_is_counted(app):
    counted = {case.endpoint for case in CASES}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
            continue
        assert rule.endpoint in counted, (
            f"{rule.endpoint} ({rule.rule}) has no query count in tests/test_query_counts.py "
            "or tests/<domain>/query_counts.py"
        )


_numbers = itertools.count(300)


def _data_set(prop, grow: int):
    """People of two departments, SOPs with acknowledgements and reminders: `grow` of each."""
    hr = factories.person("hr", prop=prop, dept="HR")
    manager = factories.person("manager", prop=prop, dept="FO")
    for i in range(grow):
        reader = factories.person("employee", prop=prop, dept=("HK", "FO")[i % 2])
        version = factories.sop(
            number=f"HK-{next(_numbers)}", prop=prop, author=hr, approver=manager, steps=3 + i
        )
        reading.acknowledge(version.sop, version, reader)
        reading.remind(version.sop, factories.person("employee", prop=prop), by=manager)
    # The newest events of the trail name a person, as after any day of HR work.
    audit.record("person.updated", reader, actor=hr, summary="phone")
    for listed in MODULE_LISTS:
        if hasattr(listed, "grow"):
            listed.grow(prop, grow)


@pytest.fixture
def world(db, ctx):
    prop = factories.property_()
    hr = factories.person("hr", prop=prop, dept="HR")
    manager = factories.person("manager", prop=prop, dept="FO")
    version = factories.sop(number="HK-001", prop=prop, author=hr, approver=manager)
    draft = factories.sop(number="HK-002", prop=prop, author=hr, effective=False)
    services.new_version(version.sop, by=hr, major=False)  # compare has two versions
    person = factories.person("employee", prop=prop, dept="HK")
    reading.acknowledge(version.sop, version, person)
    title = JobTitle(
        property_id=prop.id,
        department_id=person.department_id,
        title_en="Room attendant",
        title_zh="客房服务员",
    )
    db.session.add(title)
    db.session.flush()
    person.job_title_id = title.id  # a person's page shows their title (no query of its own)
    upload = PeopleImport(
        property_id=prop.id,
        by_id=hr.id,
        filename="staff.csv",
        rows=[
            {"staff_no": f"Q{n:04d}", "name_en": f"Row {n}", "department": "HK"} for n in range(40)
        ]
        + [{"staff_no": person.staff_no, "department": "HK"}, {"staff_no": "Q9999"}],
    )
    db.session.add(upload)
    _data_set(prop, 2)
    ids = {}
    for listed in MODULE_LISTS:
        if hasattr(listed, "world"):
            ids.update(listed.world(prop, ids))
    db.session.commit()
    return {
        **ids,
        "prop": prop,
        "property_id": prop.id,
        "title": title.id,
        "person": person.id,
        "sop": version.sop.id,
        "version": version.id,
        "draft": draft.id,
        "upload": upload.id,
    }


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.endpoint}-{c.role}-{c.url}")
def test_a_fixed_number_of_queries(
    client, app, db, login_as, count_queries, world, case, monkeypatch
):
    # The worst case: what a memo (portal.memo) would keep is computed every time.
    monkeypatch.setitem(app.config, "PORTAL_MEMO", False)
    # The session's idle clock is written at most every few seconds: on a slow machine the
    # data set below takes longer than that, and the count would depend on the clock. No write
    # of it here (tests/auth cover the touch itself).
    monkeypatch.setitem(app.config, "SESSION_TOUCH_INTERVAL", 10**6)
    login_as(case.role, prop=world["prop"], dept="HK" if case.role != "hr" else "HR")
    url = case.url.format(**world)
    headers = {"HX-Request": "true"} if case.fragment else {}
    first = client.get(url, headers=headers)  # the session's first touch is not part of it
    assert first.status_code == 200, first.get_data(as_text=True)[:300]
    with count_queries() as few:
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    assert case.expect in response.get_data(as_text=True)
    if case.fragment:
        assert "portal-header" not in response.get_data(as_text=True)
    _data_set(world["prop"], 12)
    db.session.commit()
    with count_queries() as many:
        assert client.get(url, headers=headers).status_code == 200
    shown = "\n".join(" ".join(q.split())[:160] for q in many.statements)
    first_shown = "\n".join(" ".join(q.split())[:160] for q in few.statements)
    assert few.count == many.count, (
        f"{few.count} queries:\n{first_shown}\nthen {many.count}:\n{shown}"
    )
    assert many.count == case.queries, f"{many.count} queries, listed {case.queries}:\n{shown}"

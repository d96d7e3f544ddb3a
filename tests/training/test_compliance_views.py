"""Compliance on screen: the SOPs a programme covers, the matrix (scope, filter, fragment), its
CSV, and what an employee must still take on their pages."""

from datetime import date, timedelta

from sqlalchemy import select

from portal.blueprints.training.models import Programme
from tests import factories
from tests.conftest import text_of
from tests.training import helpers
from tests.training.test_compliance import backdate, took


def veteran(prop, dept="HK", **kw):
    return factories.person(
        "employee", prop=prop, dept=dept, hire_date=date.today() - timedelta(800), **kw
    )


def programme_form(**fields):
    data = {
        "title_en": "Linen change briefing",
        "title_zh": "布草更换宣讲",
        "kind": "sop_briefing",
        "method": "classroom",
        "cadence": "once",
        "cost_per_session": "0",
        "idempotency_key": "compliance-programme-0001",
    }
    data.update(fields)
    return data


def test_a_programme_names_the_sops_it_covers(client, db, login_as):
    hr = login_as("hr", dept="HR")
    mine = factories.sop("HK-010", prop=hr.property)
    other = factories.sop("HK-011", prop=factories.property_("OTH"))
    db.session.commit()
    form = client.get("/training/programmes/new")
    assert "HK-010" in text_of(form) and "HK-011" not in text_of(form)
    refused = client.post_form(
        "/training/programmes/new", programme_form(sop_ids=[str(other.sop_id)])
    )
    assert refused.status_code == 422
    assert 'id="sop_ids-error"' in refused.get_data(as_text=True)
    assert db.session.scalar(select(Programme.id)) is None
    saved = client.post_form(
        "/training/programmes/new",
        programme_form(sop_ids=[str(mine.sop_id)], idempotency_key="compliance-programme-0002"),
    )
    assert saved.status_code == 303
    programme = db.session.scalar(select(Programme))
    assert [s.number for s in programme.sops] == ["HK-010"]
    assert "Covers HK-010" in text_of(client.get("/training/programmes"))


def _world(db, prop):
    hr = factories.person("hr", prop=prop, dept="HR")
    programme = helpers.programme(prop, by=hr, title_en="Hand hygiene", roles=["employee"])
    backdate(programme, 400)
    hk_done = veteran(prop, name_en="Ann Done")
    hk_never = veteran(prop, name_en="Bo Never")
    fo = veteran(prop, dept="FO", name_en="Cy Front", name_zh="=HYPERLINK()")
    took(programme, hk_done, days_ago=3, score=90)
    db.session.commit()
    return programme, hk_done, hk_never, fo


def test_a_supervisor_sees_their_departments_people_only(client, db, login_as):
    supervisor = login_as("supervisor", dept="HK")
    _world(db, supervisor.property)
    page = text_of(client.get("/training/compliance"))
    assert "Ann Done" in page and "Bo Never" in page and "Cy Front" not in page
    assert "Never taken" in page and "Done" in page
    fo = factories.department(supervisor.property, "FO")
    # A department they do not supervise is no filter at all: still only their own people.
    other = text_of(client.get(f"/training/compliance?department={fo.id}"))
    assert "Cy Front" not in other and "Ann Done" in other


def test_the_matrix_filters_by_department_as_a_fragment(client, db, login_as):
    hr = login_as("hr", dept="HR")
    _world(db, hr.property)
    fo = factories.department(hr.property, "FO")
    whole = client.get("/training/compliance")
    assert "Cy Front" in text_of(whole) and "<html" in whole.get_data(as_text=True)
    part = client.get(f"/training/compliance?department={fo.id}", headers={"HX-Request": "true"})
    html = part.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="matrix-results">') and "<html" not in html
    assert "Cy Front" in html and "Ann Done" not in html
    assert "1 / 1" in text_of(part)  # behind / required of the one FO person
    # The download links follow the filter (swapped out of band with the results).
    assert 'id="compliance-actions" hx-swap-oob="true"' in html
    assert f"/training/compliance.csv?department={fo.id}" in html
    assert f"/training/compliance.pdf?department={fo.id}" in html
    assert "hx-swap-oob" not in whole.get_data(as_text=True)


def test_an_employee_has_no_matrix(client, db, login_as):
    login_as("employee")
    assert client.get("/training/compliance").status_code == 403
    assert client.get("/training/compliance.csv").status_code == 403


def test_the_csv_holds_every_person_and_defuses_formulas(client, db, login_as):
    hr = login_as("hr", dept="HR")
    _programme, done, never, fo = _world(db, hr.property)
    response = client.get("/training/compliance.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    lines = body.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Staff number,Name (English),Name (Chinese),Department,Hand hygiene")
    by_number = {line.split(",")[0]: line for line in lines[1:]}
    assert "Never taken" in by_number[never.staff_no]
    assert by_number[never.staff_no].endswith(",1")
    assert by_number[done.staff_no].endswith(",0") and "Done (" in by_number[done.staff_no]
    assert "'=HYPERLINK()" in by_number[fo.staff_no]


def test_an_employee_sees_what_they_must_still_take(client, db, login_as):
    employee = login_as("employee", hire_date=date.today() - timedelta(800))
    programme = helpers.programme(employee.property, title_en="Fire warden", roles=["employee"])
    backdate(programme, 400)
    helpers.programme(employee.property, title_en="Not for me", roles=["manager"])
    db.session.commit()
    html = client.get("/training/").get_data(as_text=True)
    section = html[html.index('id="still-to-take"') :].split("</section>")[0]
    assert "What I must still take" in section
    assert "Fire warden" in section and "Never taken" in section and "Not for me" not in section
    home = text_of(client.get("/"))
    assert "What I must still take" in home and "Overdue or never taken" in home
    took(programme, employee, days_ago=2, score=80)
    db.session.commit()
    assert "What I must still take" not in text_of(client.get("/"))

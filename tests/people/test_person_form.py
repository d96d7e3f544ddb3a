"""The person form shows the fields of the role chosen, keeps a valid PIN when another field is
wrong (server-side, never in the page), offers the department's job titles, and deactivating
someone asks first."""

import re
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.blueprints.people.models import JobTitle, KeptSecret, User
from portal.database import utcnow
from tests import factories
from tests.conftest import text_of


def new_form(prop, **overrides) -> dict:
    data = {
        "name_en": "Chen Jing",
        "name_zh": "陈静",
        "staff_no": "E3001",
        "department_id": str(factories.department(prop, "HK").id),
        "role": "employee",
        "pin": "482913",
        "phone": "",
        "locale": "",
        "idempotency_key": "person-form-key-000000001",
        "form_key": "person-form-kept-00000001",
    }
    data.update(overrides)
    return data


def title(prop, dept="HK", en="Room attendant", zh="客房服务员", grade="junior", **kw) -> JobTitle:
    made = JobTitle(
        property_id=prop.id,
        department_id=factories.department(prop, dept).id,
        title_en=en,
        title_zh=zh,
        grade=grade,
        **kw,
    )
    from portal.extensions import db

    db.session.add(made)
    db.session.flush()
    return made


def visible_part(html: str) -> str:
    """The page as a browser with script shows it (what <noscript> holds is not there)."""
    return re.sub(r"<noscript>.*?</noscript>", "", html, flags=re.S)


def noscript_part(html: str) -> str:
    return "".join(re.findall(r"<noscript>(.*?)</noscript>", html, flags=re.S))


def field_names(html: str) -> set[str]:
    return set(re.findall(r'<(?:input|select)[^>]*name="([a-z_]+)"', html))


ROLE_FIELDS = {"pin", "password", "username", "supervises"}


# --- the fields of the role chosen --------------------------------------------------------------
def test_an_employee_form_shows_a_pin_and_nothing_of_password_sign_in(client, db, login_as):
    login_as("hr")
    html = client.get("/people/new").get_data(as_text=True)
    assert field_names(visible_part(html)) & ROLE_FIELDS == {"pin"}
    pin = re.search(r'<input[^>]*name="pin"[^>]*>', html).group(0)
    assert 'inputmode="numeric"' in pin and 'type="password"' in pin
    # Without script the role cannot swap fields in: the others wait, marked, in <noscript>.
    assert field_names(noscript_part(html)) == {"username", "password", "supervises"}
    assert "Only if you choose another role above" in text_of(client.get("/people/new"))


@pytest.mark.parametrize(
    ("role", "fields"),
    [
        ("employee", {"pin"}),
        ("supervisor", {"username", "password", "supervises"}),
        ("hr", {"username", "password"}),
    ],
)
def test_choosing_a_role_swaps_in_its_fields(client, db, login_as, role, fields):
    login_as("hr")
    response = client.hx_get(f"/people/new/fields?role={role}&form_key=abcdefghijklmnop1234")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="role-fields"')
    assert "<html" not in body
    assert field_names(body) == fields
    assert "HX-Request" in response.vary


def test_the_role_select_asks_for_its_fields_without_sending_secrets(client, db, login_as):
    login_as("hr")
    html = client.get("/people/new").get_data(as_text=True)
    role = re.search(r'<select[^>]*name="role"[^>]*>', html).group(0)
    assert 'hx-get="/people/new/fields"' in role and 'hx-target="#role-fields"' in role
    include = re.search(r'hx-include="([^"]*)"', role).group(1)
    assert "pin" not in include and "password" not in include
    department = re.search(r'<select[^>]*name="department_id"[^>]*>', html).group(0)
    assert 'hx-get="/people/new/fields?part=job_title"' in department


def test_the_fields_part_never_echoes_a_secret_sent_to_it(client, db, login_as):
    login_as("hr")
    body = client.hx_get("/people/new/fields?role=employee&pin=918273&password=secret-pass-99")
    assert "918273" not in body.get_data(as_text=True)
    assert "secret-pass-99" not in body.get_data(as_text=True)


def test_without_script_fields_that_do_not_apply_are_ignored(client, db, login_as):
    hr = login_as("hr")
    supervises = [str(factories.department(hr.property, "HK").id)]
    employee = new_form(
        hr.property,
        username="not.for.employees",
        password="long-enough-2026",
        supervises=supervises,
    )
    assert client.post_form("/people/new", employee).status_code == 303
    made = db.session.scalar(select(User).where(User.staff_no == "E3001"))
    assert made.check_pin("482913")
    assert made.username is None and made.password_hash is None and made.supervises == []
    supervisor = new_form(
        hr.property,
        staff_no="S3002",
        role="supervisor",
        username="new.supervisor",
        password="long-enough-2026",
        supervises=supervises,
        idempotency_key="person-form-key-000000002",
    )
    assert client.post_form("/people/new", supervisor).status_code == 303
    made = db.session.scalar(select(User).where(User.staff_no == "S3002"))
    assert made.pin_hash is None  # the PIN typed for an employee was ignored
    assert made.check_password("long-enough-2026") and made.username == "new.supervisor"
    assert [d.code for d in made.supervises] == ["HK"]


def test_editing_shows_no_first_secret_unless_the_new_role_needs_one(client, db, login_as):
    login_as("hr")
    person = factories.person("employee")
    person.password_hash = None  # an employee signs in with a PIN only
    db.session.commit()
    html = client.get(f"/people/{person.id}/edit").get_data(as_text=True)
    assert field_names(visible_part(html)) & ROLE_FIELDS == set()
    assert "Signs in with staff number and PIN." in text_of(client.get(f"/people/{person.id}/edit"))
    fields = client.hx_get(f"/people/{person.id}/edit/fields?role=supervisor")
    assert field_names(fields.get_data(as_text=True)) == {"username", "password", "supervises"}
    data = {
        "name_en": person.name_en,
        "name_zh": person.name_zh,
        "staff_no": person.staff_no,
        "department_id": str(person.department_id),
        "role": "supervisor",
        "username": "promoted.person",
        "version": str(person.version),
    }
    missing = client.post_form(f"/people/{person.id}/edit", data)
    assert missing.status_code == 422
    assert "Enter a password of at least 10 characters." in text_of(missing)
    assert 'id="password-error"' in missing.get_data(as_text=True)
    saved = client.post_form(f"/people/{person.id}/edit", {**data, "password": "first-pass-2026"})
    assert saved.status_code == 303
    db.session.refresh(person)
    assert person.role == "supervisor" and person.check_password("first-pass-2026")
    event = db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "person.updated", AuditEvent.object_id == person.id
        )
    )
    assert "password: not set -> set" in event.summary and "first-pass-2026" not in event.summary


# --- a valid PIN is kept ------------------------------------------------------------------------
def kept_rows(db) -> int:
    return db.session.scalar(select(func.count()).select_from(KeptSecret))


def test_a_valid_pin_is_kept_server_side_when_another_field_is_wrong(client, db, login_as):
    hr = login_as("hr")
    audit_before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    refused = client.post_form("/people/new", new_form(hr.property, staff_no="E 1"))
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "482913" not in html  # never back in the page
    assert "PIN kept from your last try" in text_of(refused)
    assert 'id="pin-kept"' in html
    kept = db.session.scalar(select(KeptSecret))
    assert kept.kind == "pin" and kept.editor_id == hr.id and "482913" not in kept.secret_hash
    assert db.session.scalar(select(func.count()).select_from(User)) == 1  # only HR
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == audit_before
    # The person fixes the staff number and leaves the PIN empty.
    done = client.post_form("/people/new", new_form(hr.property, pin=""))
    assert done.status_code == 303
    person = db.session.scalar(select(User).where(User.staff_no == "E3001"))
    assert person.check_pin("482913")
    assert kept_rows(db) == 0  # forgotten once used
    again = client.post_form("/people/new", new_form(hr.property, pin=""))  # a double tap
    assert again.status_code == 303 and again.headers["Location"] == done.headers["Location"]


def test_a_pin_typed_again_replaces_the_kept_one(client, db, login_as):
    hr = login_as("hr")
    client.post_form("/people/new", new_form(hr.property, staff_no=""))
    assert client.post_form("/people/new", new_form(hr.property, pin="135246")).status_code == 303
    assert db.session.scalar(select(User).where(User.staff_no == "E3001")).check_pin("135246")


def test_htmx_refusal_keeps_the_pin_in_the_fragment_state(client, db, login_as):
    hr = login_as("hr")
    response = client.post_form(
        "/people/new", new_form(hr.property, name_zh="", name_en=""), htmx=True
    )
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<form id="person-form"')
    assert "PIN kept from your last try" in body and "482913" not in body
    fields = client.hx_get("/people/new/fields?role=employee&form_key=person-form-kept-00000001")
    assert "PIN kept from your last try" in fields.get_data(as_text=True)


def test_a_wrong_pin_is_not_kept_and_a_kept_pin_is_for_its_form_and_editor_only(
    client, db, login_as, app
):
    hr = login_as("hr")
    client.post_form("/people/new", new_form(hr.property, pin="12ab", staff_no=""))
    assert kept_rows(db) == 0
    client.post_form("/people/new", new_form(hr.property, staff_no=""))
    assert kept_rows(db) == 1
    other_form = new_form(hr.property, pin="", form_key="another-form-key-000001")
    refused = client.post_form("/people/new", other_form)
    assert "Employees sign in with a PIN: enter 6 digits." in text_of(refused)
    colleague = factories.person("hr", dept="HR")
    db.session.commit()
    other = app.test_client()
    assert other.sign_in(colleague.username, factories.PASSWORD).status_code == 303
    stolen = other.post_form(
        "/people/new", new_form(hr.property, pin="", idempotency_key="person-form-key-000000009")
    )
    assert stolen.status_code == 422
    assert "Employees sign in with a PIN: enter 6 digits." in text_of(stolen)
    assert db.session.scalar(select(User).where(User.staff_no == "E3001")) is None


def test_a_kept_pin_expires(client, db, login_as):
    hr = login_as("hr")
    client.post_form("/people/new", new_form(hr.property, staff_no=""))
    start = utcnow()
    for minutes in (10, 20):  # still at work (the sign-in stays open), the form left aside
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get("/people/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        late = client.post_form("/people/new", new_form(hr.property, pin=""))
        assert late.status_code == 422
        assert "Employees sign in with a PIN: enter 6 digits." in text_of(late)
        assert "PIN kept" not in text_of(late)


# --- job titles on the person form --------------------------------------------------------------
def test_the_form_offers_current_titles_grouped_and_the_grade_comes_with_the_title(
    client, db, login_as
):
    hr = login_as("hr")
    attendant = title(hr.property, grade="senior", en="Senior room attendant", zh="高级客房服务员")
    title(hr.property, dept="FO", en="Front desk agent", zh="前台接待员")
    title(hr.property, en="Linen room attendant", zh="布草房服务员", retired_at=utcnow())
    title(factories.property_("SPX"), en="Far away title")
    db.session.commit()
    html = client.get("/people/new").get_data(as_text=True)
    select_ = re.search(r'<select[^>]*name="job_title_id".*?</select>', html, re.S).group(0)
    assert (
        '<optgroup label="Housekeeping">' in select_
        and '<optgroup label="Front Office">' in select_
    )
    assert "Senior room attendant · Senior service specialist" in select_
    assert "Linen room attendant" not in select_ and "Far away title" not in select_
    narrow = client.hx_get(
        f"/people/new/fields?part=job_title&department_id={attendant.department_id}"
    )
    body = narrow.get_data(as_text=True)
    assert body.lstrip().startswith('<div id="job-title-field"')
    assert "Senior room attendant" in body and "Front desk agent" not in body
    done = client.post_form("/people/new", new_form(hr.property, job_title_id=str(attendant.id)))
    assert done.status_code == 303
    person = db.session.scalar(select(User).where(User.staff_no == "E3001"))
    assert person.job_title_id == attendant.id and person.grade == "senior"
    db.session.refresh(attendant)
    assert attendant.assigned
    assert "Senior room attendant" in text_of(client.get(done.headers["Location"]))


def test_a_title_of_another_department_or_retired_is_refused(client, db, login_as):
    hr = login_as("hr")
    front = title(hr.property, dept="FO", en="Front desk agent", zh="前台接待员")
    retired = title(hr.property, en="Linen room attendant", zh="布草房服务员", retired_at=utcnow())
    title(hr.property, en="Room attendant")
    db.session.commit()
    wrong = client.post_form("/people/new", new_form(hr.property, job_title_id=str(front.id)))
    assert wrong.status_code == 422
    assert "Front desk agent is a job title of Front Office" in text_of(wrong)
    assert 'id="job_title_id-error"' in wrong.get_data(as_text=True)
    gone = client.post_form("/people/new", new_form(hr.property, job_title_id=str(retired.id)))
    assert gone.status_code == 422 and "Not a valid choice." in text_of(gone)
    none = client.post_form("/people/new", new_form(hr.property))
    assert none.status_code == 422 and "Choose the job title." in text_of(none)
    assert db.session.scalar(select(User).where(User.staff_no == "E3001")) is None


def test_a_holder_keeps_a_retired_title_when_their_record_is_edited(client, db, login_as):
    hr = login_as("hr")
    retired = title(hr.property, en="Linen room attendant", zh="布草房服务员", retired_at=utcnow())
    person = factories.person("employee", job_title_id=retired.id)
    db.session.commit()
    html = client.get(f"/people/{person.id}/edit").get_data(as_text=True)
    assert re.search(rf'<option value="{retired.id}" selected>Linen room attendant', html)
    data = {
        "name_en": "Renamed",
        "name_zh": person.name_zh,
        "staff_no": person.staff_no,
        "department_id": str(person.department_id),
        "job_title_id": str(retired.id),
        "role": "employee",
        "version": str(person.version),
    }
    assert client.post_form(f"/people/{person.id}/edit", data).status_code == 303
    db.session.refresh(person)
    assert person.name_en == "Renamed" and person.job_title_id == retired.id
    assert hr.property_id == person.property_id


# --- deactivating asks first --------------------------------------------------------------------
def test_deactivating_asks_first_with_and_without_script(client, db, login_as):
    login_as("hr")
    person = factories.person("employee", name_en="Leaving Soon")
    db.session.commit()
    detail = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert f'action="/people/{person.id}/deactivate"' not in detail  # no one-tap deactivation
    assert f'href="/people/{person.id}/deactivate"' in detail
    page = client.get(f"/people/{person.id}/deactivate")
    assert page.status_code == 200
    shown = text_of(page)
    assert "Deactivate Leaving Soon?" in shown and "They cannot sign in until" in shown
    assert f'action="/people/{person.id}/deactivate"' in page.get_data(as_text=True)
    inline = client.hx_get(f"/people/{person.id}/deactivate").get_data(as_text=True)
    assert inline.lstrip().startswith('<section id="account-actions"') and "<html" not in inline
    db.session.refresh(person)
    assert person.active  # asking changed nothing
    assert client.post_form(f"/people/{person.id}/deactivate").status_code == 303
    db.session.refresh(person)
    assert not person.active
    again = client.get(f"/people/{person.id}/deactivate")  # already done: back to the record
    assert again.status_code == 303 and again.headers["Location"] == f"/people/{person.id}"


def test_nobody_is_asked_to_deactivate_themselves(client, db, login_as):
    hr = login_as("hr")
    assert client.get(f"/people/{hr.id}/deactivate").status_code == 403


# --- words --------------------------------------------------------------------------------------
def test_chinese_wording_of_people_names_status_and_lists(client, db, login_as):
    hr = login_as("hr", locale="zh_Hans")
    supervisor = factories.person("supervisor", dept="HK")
    supervisor.supervises = [
        factories.department(hr.property, "FO"),
        factories.department(hr.property, "HK"),
    ]
    factories.person("employee", active=False, name_zh="离职者")
    db.session.commit()
    listing = text_of(client.get("/people/?status=all"))
    assert "姓名 工号 部门 职位 状态" in listing
    assert "在职" in listing and "已停用" in listing and "名称" not in listing
    assert "前厅部、客房部" in text_of(client.get(f"/people/{supervisor.id}"))


def test_a_group_admin_choosing_another_property_gets_its_departments(client, db, login_as):
    login_as("admin")
    spa = factories.property_("SPX", name_en="Lotus Test Spa")
    spa_hk = factories.department(spa, "HK")
    db.session.commit()
    response = client.hx_get(f"/people/new/fields?part=where&property_id={spa.id}&role=supervisor")
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<div id="person-where"')
    assert f'<option value="{spa_hk.id}">Housekeeping</option>' in body
    # The departments to supervise follow, out of band.
    assert '<div id="role-fields" hx-swap-oob="true">' in body
    assert f'value="{spa_hk.id}"' in body.split('id="role-fields"')[1]
    data = new_form(spa, property_id=str(spa.id), staff_no="E9001")
    assert client.post_form("/people/new", data).status_code == 303
    made = db.session.scalar(select(User).where(User.staff_no == "E9001"))
    assert made.property_id == spa.id and made.department_id == spa_hk.id


def test_the_job_titles_page_uses_a_fixed_number_of_queries(client, db, login_as, count_queries):
    hr = login_as("hr")
    title(hr.property)
    db.session.commit()
    client.get("/people/job-titles")
    with count_queries() as few:
        client.get("/people/job-titles")
    for i in range(20):
        made = title(hr.property, dept=["FO", "HK", "HR"][i % 3], en=f"Title {i}", zh=f"职位{i}")
        factories.person("employee", job_title_id=made.id)
    db.session.commit()
    with count_queries() as many:
        page = client.get("/people/job-titles")
    assert few.count == many.count, many.statements
    assert "Title 19" in text_of(page)

"""SOP pages: reading, acknowledging, writing, reviewing, following up, printing."""

import io
import re
import urllib.request
import uuid

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.blueprints.sops import reading, services
from portal.blueprints.sops.models import (
    Sop,
    SopAcknowledgement,
    SopReminder,
    SopVersion,
    VersionStatus,
)
from portal.i18n import local_today
from tests import factories
from tests.conftest import text_of


def editor_form(number="HK-020", dept_id=None, steps=("Knock three times", "Announce"), **extra):
    data = {
        "idempotency_key": f"test-{uuid.uuid4().hex}",
        "number": number,
        "title_en": "Do-not-disturb rooms",
        "title_zh": "请勿打扰房间",
        "purpose_en": "Respect the guest's privacy.",
        "purpose_zh": "尊重宾客隐私。",
    }
    if dept_id:
        data["department_id"] = str(dept_id)
    for i, text in enumerate(steps):
        data[f"steps-{i}-text_en"] = text
        data[f"steps-{i}-text_zh"] = f"步骤{i + 1}"
        data[f"steps-{i}-kind"] = "step"
    data.update(extra)
    return data


def test_staff_read_the_sop_in_their_language_and_acknowledge(client, db, login_as):
    version = factories.sop(dept="HK")
    login_as("employee", dept="HK", locale="zh_Hans")
    page = client.get(f"/sops/{version.sop.id}")
    body = text_of(page)
    assert "客房清洁" in body and "第2步中文" in body
    assert "Step 2 in English" not in body
    assert "我已阅读并理解版本 1.0" in body  # the button, in her language
    response = client.post_form(
        f"/sops/{version.sop.id}/acknowledge", {"version_id": version.id}, htmx=True
    )
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="ack-box"')
    assert "sops:acknowledged" in response.headers["HX-Trigger"]
    assert 'id="flash"' in fragment and 'hx-swap-oob="true"' in fragment
    assert "谢谢！您已确认阅读 HK-001 版本 1.0。" in fragment  # the toast, in her language
    count = db.session.scalar(select(func.count()).select_from(SopAcknowledgement))
    assert count == 1


def test_acknowledging_a_version_no_longer_in_force_is_refused(client, db, login_as):
    version = factories.sop(dept="HK")
    login_as("employee", dept="HK")
    response = client.post_form(
        f"/sops/{version.sop.id}/acknowledge", {"version_id": version.id + 999}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/sops/{version.sop.id}"
    shown = text_of(client.get(response.headers["Location"]))
    assert "A newer version came into force while you were reading. Read it first." in shown
    assert "I have read and understood version 1.0" in shown  # the one in force, to read now
    assert db.session.scalar(select(func.count()).select_from(SopAcknowledgement)) == 0


def test_staff_never_see_drafts(client, db, login_as):
    draft = factories.sop(number="HK-030", effective=False)
    login_as("employee", dept="HK")
    assert client.get(f"/sops/{draft.sop.id}").status_code == 404
    assert client.get(f"/sops/versions/{draft.id}").status_code == 404
    assert "HK-030" not in text_of(client.get("/sops/?scope=all"))


def test_old_versions_are_readable_to_managers_only(client, db, login_as):
    first = factories.sop()
    author = first.author
    second = services.new_version(first.sop, by=author, major=True)
    services.submit_for_review(second, by=author)
    services.approve(second, approver=first.approver, effective_date=local_today())
    db.session.commit()
    login_as("manager")
    page = text_of(client.get(f"/sops/versions/{first.id}"))
    assert "Superseded" in page and "This version is superseded." in page
    client.post_form("/auth/logout")
    login_as("employee", dept="HK")
    assert client.get(f"/sops/versions/{first.id}").status_code == 404
    assert client.get(f"/sops/versions/{second.id}").status_code == 200


def test_list_is_searchable_and_shows_my_state(client, db, login_as):
    factories.sop(number="HK-001", title="Guest-room cleaning", title_zh="客房清洁")
    factories.sop(number="FO-003", dept="FO", title="Complaint handling", title_zh="投诉处理")
    login_as("employee", dept="HK")
    mine = text_of(client.get("/sops/"))
    assert "HK-001" in mine and "FO-003" not in mine and "To read" in mine
    everything = text_of(client.get("/sops/?scope=all"))
    assert "FO-003" in everything
    found = client.hx_get("/sops/?scope=all&q=投诉")
    body = found.get_data(as_text=True)
    assert body.lstrip().startswith('<div id="sop-results">')
    assert "FO-003" in body and "HK-001" not in body


def test_the_list_comes_in_pages_that_keep_the_filters(client, db, login_as, app):
    """A manual of hundreds of SOPs is not one page: 25 a page, in number order, the pager
    keeping the filters; past the end shows the last page, nonsense the first."""
    prop = factories.property_()
    hr = factories.person("hr", prop=prop, dept="HR")
    manager = factories.person("manager", prop=prop, dept="FO")
    for n in range(27):
        factories.sop(number=f"HK-{n + 1:03d}", prop=prop, author=hr, approver=manager)
    factories.sop(number="FO-001", prop=prop, dept="FO", author=hr, approver=manager)
    login_as("supervisor", prop=prop, dept="HK")
    first = client.get("/sops/?scope=all&department=" + str(factories.department(prop, "HK").id))
    body = text_of(first)
    assert "HK-001" in body and "HK-025" in body and "HK-026" not in body
    assert "FO-001" not in body and "Page 1 of 2" in body
    department = factories.department(prop, "HK").id
    next_links = re.findall(r'href="(/sops/\?[^"]*page=2[^"]*)"', first.get_data(as_text=True))
    assert next_links and all(f"department={department}" in link for link in next_links)
    second = client.hx_get(f"/sops/?scope=all&department={department}&page=2")
    body = text_of(second)
    assert "HK-026" in body and "HK-027" in body and "HK-001" not in body
    assert "Page 2 of 2" in body
    assert second.get_data(as_text=True).lstrip().startswith('<div id="sop-results">')
    assert "HK-027" in text_of(client.get(f"/sops/?scope=all&department={department}&page=99"))
    assert "HK-001" in text_of(client.get("/sops/?scope=all&page=abc"))
    assert "HK-001" in text_of(client.get(f"/sops/?scope=all&page={2**63}&per_page=100"))


def test_list_and_read_view_use_a_fixed_number_of_queries(client, db, login_as, count_queries):
    login_as("employee", dept="HK")
    first = factories.sop(number="HK-101")
    db.session.commit()
    client.get("/sops/?scope=all")
    with count_queries() as few:
        client.get("/sops/?scope=all")
    with count_queries() as read_few:
        client.get(f"/sops/{first.sop.id}")
    for n in range(8):
        version = factories.sop(number=f"HK-2{n:02d}", steps=12)
        for _ in range(3):
            reader = factories.person("employee", dept="HK")
            reading.acknowledge(version.sop, version, reader)
    db.session.commit()
    with count_queries() as many:
        client.get("/sops/?scope=all")
    with count_queries() as read_many:
        client.get(f"/sops/{version.sop.id}")
    assert few.count == many.count
    assert read_few.count == read_many.count


def test_writing_a_new_sop_with_both_languages(client, db, login_as):
    hr = login_as("hr")
    dept = factories.department(hr.property, "HK")
    response = client.post_form("/sops/new", editor_form(dept_id=dept.id))
    assert response.status_code == 303
    sop = db.session.scalar(select(Sop).where(Sop.number == "HK-020"))
    version = sop.versions[0]
    assert version.status == VersionStatus.DRAFT
    assert [s.text_en for s in version.steps] == ["Knock three times", "Announce"]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "sop.created"))


def test_add_a_step_shows_one_more_empty_step_and_saves_nothing(client, db, login_as):
    hr = login_as("hr")
    dept = factories.department(hr.property, "HK")
    response = client.post_form(
        "/sops/new", {**editor_form(dept_id=dept.id), "add_step": "1"}, htmx=True
    )
    assert response.status_code == 200
    assert 'name="steps-2-text_en"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Sop)) == 0


@pytest.mark.parametrize(
    ("override", "message", "field_id"),
    [
        ({"number": ""}, "Enter the SOP number", "number"),
        ({"number": "hk 3"}, "Use letters, a hyphen and digits", "number"),
        ({"title_en": "x" * 201}, "Field cannot be longer than 200 characters.", "title_en"),
        ({"steps-1-text_en": "", "steps-1-text_zh": ""}, "Step 2 is empty", None),
    ],
)
def test_bad_sop_input_is_refused_and_nothing_is_written(
    client, db, login_as, override, message, field_id
):
    hr = login_as("hr")
    dept = factories.department(hr.property, "HK")
    response = client.post_form("/sops/new", {**editor_form(dept_id=dept.id), **override})
    assert response.status_code == 422
    assert message in text_of(response)
    if field_id:
        assert f'id="{field_id}-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Sop)) == 0


def test_duplicate_number_is_refused_next_to_the_field(client, db, login_as):
    hr = login_as("hr")
    factories.sop(number="HK-020", prop=hr.property)
    dept = factories.department(hr.property, "HK")
    response = client.post_form("/sops/new", editor_form(dept_id=dept.id))
    assert response.status_code == 422
    assert 'id="number-error"' in response.get_data(as_text=True)
    assert "already used" in text_of(response)


def test_markup_in_a_step_is_text_on_screen(client, db, login_as):
    hr = login_as("hr")
    dept = factories.department(hr.property, "HK")
    evil = '<img src="file:///etc/passwd"><script>alert(1)</script>'
    client.post_form("/sops/new", editor_form(dept_id=dept.id, steps=(evil,)))
    version = db.session.scalar(select(SopVersion))
    html = client.get(f"/sops/versions/{version.id}").get_data(as_text=True)
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
    assert "<script>alert(1)</script>" not in html


def test_review_and_approval_by_another_manager(client, db, login_as, app):
    author = login_as("manager")
    dept = factories.department(author.property, "HK")
    client.post_form("/sops/new", editor_form(dept_id=dept.id))
    version = db.session.scalar(select(SopVersion))
    assert client.post_form(f"/sops/versions/{version.id}/submit").status_code == 303
    # The author may not approve: the action is refused outright.
    today = local_today().isoformat()
    own = client.post_form(f"/sops/versions/{version.id}/approve", {"effective_date": today})
    assert own.status_code == 403
    other = app.test_client()
    approver = factories.person("manager", prop=author.property)
    db.session.commit()
    other.sign_in(approver.username, factories.PASSWORD)
    bad = other.post_form(f"/sops/versions/{version.id}/approve", {"effective_date": "2000-01-01"})
    assert bad.status_code == 422
    assert "cannot be before the approval date" in text_of(bad)
    ok = other.post_form(f"/sops/versions/{version.id}/approve", {"effective_date": today})
    assert ok.status_code == 303
    db.session.refresh(version)
    assert version.status == VersionStatus.APPROVED and version.approver_id == approver.id
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "sop.approved"))


def test_coverage_table_refreshes_and_reminds(client, db, login_as):
    version = factories.sop(dept="HK")
    reader = factories.person("employee", dept="HK", name_en="Reader One")
    waiting = factories.person("employee", dept="HK", name_en="Not Yet Read")
    reading.acknowledge(version.sop, version, reader)
    db.session.commit()
    login_as("supervisor", dept="HK")
    page = client.get(f"/sops/{version.sop.id}/acknowledgements")
    body = text_of(page)
    assert "1 of 3 have acknowledged" in body  # the two readers and the supervisor
    assert 'hx-trigger="every 10s' in page.get_data(as_text=True)
    fragment = client.hx_get(f"/sops/{version.sop.id}/acknowledgements")
    assert fragment.get_data(as_text=True).lstrip().startswith('<div id="coverage-table"')
    reminded = client.post_form(f"/sops/{version.sop.id}/remind/{waiting.id}", htmx=True)
    assert reminded.status_code == 200
    swapped = reminded.get_data(as_text=True)
    assert swapped.lstrip().startswith('<div id="coverage-table"')
    assert "Not Yet Read will see a reminder when they sign in." in swapped
    assert client.post_form(f"/sops/{version.sop.id}/remind/{waiting.id}").status_code == 303
    assert "reminded" in text_of(client.get(f"/sops/{version.sop.id}/acknowledgements"))


def test_supervisors_of_other_departments_cannot_follow_up(client, db, login_as):
    version = factories.sop(dept="HK")
    login_as("supervisor", dept="FO")
    assert client.get(f"/sops/{version.sop.id}/acknowledgements").status_code == 403


def pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize("lang", ["en", "zh", "both"])
def test_printed_sop_carries_its_control_information(client, db, login_as, lang):
    version = factories.sop(number="HK-001", steps=4)
    login_as("manager", locale="en")
    response = client.get(f"/sops/versions/{version.id}/print.pdf?lang={lang}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "HK-001" in text and "1.0" in text
    if lang in ("en", "both"):
        assert "Uncontrolled when printed" in text
    if lang in ("zh", "both"):
        assert "打印件为非受控文件" in text  # printed from an English session, all the same
    assert local_today().strftime("%Y") in text
    if lang in ("en", "both"):
        assert "Step 3 in English" in text
    if lang in ("zh", "both"):
        assert "第3步中文" in text
    if lang == "en":
        assert "第3步中文" not in text


def test_printed_step_markup_stays_text_and_fetches_nothing(client, db, login_as, listener):
    url, asked = listener
    hr = login_as("hr")
    dept = factories.department(hr.property, "HK")
    steps = (
        f'<img src="{url}/step.png"> and <img src="file:///etc/passwd">',
        f'<a href="{url}/link">the link</a> <link rel="stylesheet" href="{url}/style.css">',
        f"see {url}/plain.png",
    )
    client.post_form("/sops/new", editor_form(dept_id=dept.id, steps=steps))
    version = db.session.scalar(select(SopVersion))
    response = client.get(f"/sops/versions/{version.id}/print.pdf?lang=en")
    assert response.status_code == 200
    text = pdf_text(response.data)
    assert f'<img src="{url}/step.png">' in text and '<img src="file:///etc/passwd">' in text
    assert "root:" not in text
    assert asked == []  # the printed document asked the listener for nothing
    with urllib.request.urlopen(f"{url}/direct", timeout=5) as direct:  # noqa: S310
        direct.read()
    assert asked == ["/direct"]  # and the listener does count what it is asked


def test_superseded_versions_print_with_the_mark(client, db, login_as):
    first = factories.sop(steps=60)
    second = services.new_version(first.sop, by=first.author, major=False)
    services.submit_for_review(second, by=first.author)
    services.approve(second, approver=first.approver, effective_date=local_today())
    db.session.commit()
    login_as("manager")
    old = PdfReader(io.BytesIO(client.get(f"/sops/versions/{first.id}/print.pdf?lang=en").data))
    new = PdfReader(io.BytesIO(client.get(f"/sops/versions/{second.id}/print.pdf?lang=en").data))
    old_pages = [page.extract_text() for page in old.pages]
    new_pages = [page.extract_text() for page in new.pages]
    assert len(old_pages) >= 2 and len(new_pages) >= 2
    # The status cell is on the first page only; the watermark is on every page.
    assert all("Superseded" in page for page in old_pages)
    assert "In force" in new_pages[0]
    assert not any("Superseded" in page for page in new_pages)


def test_bad_print_language_is_400(client, db, login_as):
    version = factories.sop()
    login_as("manager")
    assert client.get(f"/sops/versions/{version.id}/print.pdf?lang=fr").status_code == 400


def test_compare_shows_what_changed_step_by_step(client, db, login_as):
    first = factories.sop(steps=4)
    second = services.new_version(first.sop, by=first.author, major=True)
    data = factories.version_data(steps=4)
    data.steps[1].text_en = "Knock three times, three knocks each time"
    data.steps.append(services.StepData(text_en="Close the door gently", text_zh="轻轻关门"))
    data.purpose_en = "A new purpose."
    services.update_draft(second, data, by=first.author)
    db.session.commit()
    login_as("manager")
    body = text_of(client.get(f"/sops/{first.sop.id}/compare"))
    assert "Changed" in body and "Knock three times, three knocks each time" in body
    assert "Added" in body and "Close the door gently" in body
    assert "A new purpose." in body
    assert "2 steps changed" in body


def test_compare_with_one_version_says_so(client, db, login_as):
    version = factories.sop()
    login_as("manager")
    response = client.get(f"/sops/{version.sop.id}/compare")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/sops/{version.sop.id}"
    shown = text_of(client.get(response.headers["Location"]))
    assert "There is only one version: nothing to compare yet." in shown


def test_department_binder_has_contents_and_every_sop(client, db, login_as):
    prop = factories.property_()
    for n in range(3):
        factories.sop(
            number=f"HK-{n + 1:03d}",
            prop=prop,
            title=f"Procedure {n + 1}",
            title_zh=f"程序{n + 1}",
            steps=5,
        )
    factories.sop(number="FO-001", prop=prop, dept="FO", title="Front desk")
    login_as("employee", dept="HK")
    dept = factories.department(prop, "HK")
    response = client.get(f"/sops/binder.pdf?department={dept.id}&lang=both")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Contents" in text or "目录" in text
    for n in range(1, 4):
        assert f"HK-00{n}" in text and f"程序{n}" in text
    assert "Front desk" not in text
    assert len(reader.pages) >= 5  # cover, contents, and a page per SOP


def last_refusal(db):
    return db.session.scalar(
        select(AuditEvent)
        .where(AuditEvent.action == "access.refused")
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )


def test_binder_of_another_property_is_not_found_and_the_refusal_is_audited(client, db, login_as):
    other = factories.property_("SPX")
    factories.sop(number="HK-001", prop=other, title="Their procedure")
    employee = login_as("employee")
    dept = factories.department(other, "HK")
    response = client.get(f"/sops/binder.pdf?department={dept.id}")
    assert response.status_code == 404
    refusal = last_refusal(db)
    assert refusal is not None and refusal.actor_id == employee.id
    assert (refusal.object_type, refusal.object_id) == ("departments", dept.id)


def test_binder_of_an_unknown_department_or_language(client, db, login_as):
    login_as("employee")
    assert client.get("/sops/binder.pdf?department=99999999").status_code == 404
    assert client.get("/sops/binder.pdf?department=x").status_code == 400
    assert client.get(f"/sops/binder.pdf?department={2**63}").status_code == 404
    own = factories.department(factories.property_(), "HK")
    assert client.get(f"/sops/binder.pdf?department={own.id}&lang=fr").status_code == 400


def test_a_reading_record_of_another_property_is_not_found_and_audited(client, db, login_as):
    stranger = factories.person("employee", prop=factories.property_("SPX"), dept="HK")
    db.session.commit()
    hr = login_as("hr")
    response = client.get(f"/sops/people/{stranger.id}")
    assert response.status_code == 404
    refusal = last_refusal(db)
    assert refusal is not None and refusal.actor_id == hr.id
    assert (refusal.object_type, refusal.object_id) == ("users", stranger.id)


def test_a_supervisor_reminds_only_people_of_departments_they_supervise(client, db, login_as):
    version = factories.sop(dept="HK")
    prop = version.sop.property
    hk, fo = factories.department(prop, "HK"), factories.department(prop, "FO")
    services.set_audience(version.sop, [hk.id, fo.id], [])  # both departments must read it
    receptionist = factories.person("employee", prop=prop, dept="FO")
    attendant = factories.person("employee", prop=prop, dept="HK")
    db.session.commit()
    supervisor = login_as("supervisor", dept="HK")  # supervises Housekeeping only
    refused = client.post_form(f"/sops/{version.sop.id}/remind/{receptionist.id}")
    assert refused.status_code == 404
    refusal = last_refusal(db)
    assert refusal is not None and refusal.actor_id == supervisor.id
    assert (refusal.object_type, refusal.object_id) == ("users", receptionist.id)
    assert db.session.scalar(select(func.count()).select_from(SopReminder)) == 0
    allowed = client.post_form(f"/sops/{version.sop.id}/remind/{attendant.id}")
    assert allowed.status_code == 303
    reminders = db.session.scalars(select(SopReminder.user_id)).all()
    assert reminders == [attendant.id]


def test_hr_cannot_remind_a_person_of_another_property(client, db, login_as):
    version = factories.sop(dept="HK")
    stranger = factories.person("employee", prop=factories.property_("SPX"), dept="HK")
    db.session.commit()
    login_as("hr", prop=version.sop.property)
    response = client.post_form(f"/sops/{version.sop.id}/remind/{stranger.id}")
    assert response.status_code == 404
    assert (last_refusal(db).object_type, last_refusal(db).object_id) == ("users", stranger.id)
    assert db.session.scalar(select(func.count()).select_from(SopReminder)) == 0


def test_a_persons_reading_record(client, db, login_as):
    first = factories.sop(number="HK-001", dept="HK")
    factories.sop(number="HK-002", dept="HK", title="Room supplies", title_zh="客用品补充")
    person = factories.person("employee", dept="HK", name_en="Careful Reader")
    reading.acknowledge(first.sop, first, person)
    db.session.commit()
    login_as("supervisor", dept="HK")
    body = text_of(client.get(f"/sops/people/{person.id}"))
    assert "1 of 2 acknowledged" in body
    assert "Acknowledged" in body and "To read" in body


def test_editing_a_draft_can_change_who_must_read_it(client, db, login_as):
    hr = login_as("hr")
    draft = factories.sop(number="HK-050", effective=False, prop=hr.property)
    db.session.commit()
    fo = factories.department(hr.property, "FO")
    form = editor_form(number=None)
    form.pop("number")
    form.update(
        {
            "audience_departments": str(fo.id),
            "audience_roles": "employee",
            "yearly_ack": "y",
            "lock": str(draft.lock_version),
        }
    )
    saved = client.post_form(f"/sops/versions/{draft.id}/edit", form)
    assert saved.status_code == 303
    assert saved.headers["Location"] == f"/sops/versions/{draft.id}"
    db.session.expire_all()
    assert {(a.department_id, a.role) for a in draft.sop.audience} == {(fo.id, "employee")}
    assert draft.sop.yearly_ack is True
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "sop.audience_changed"))


def test_a_double_tap_on_save_creates_one_sop(client, db, login_as):
    hr = login_as("hr")
    dept = factories.department(hr.property, "HK")
    form = editor_form(dept_id=dept.id)
    first = client.post_form("/sops/new", form)
    second = client.post_form("/sops/new", form)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(Sop)) == 1


def test_a_double_tap_on_new_version_opens_the_draft(client, db, login_as):
    version = factories.sop()
    login_as("manager")
    first = client.post_form(f"/sops/{version.sop.id}/versions", {"kind": "change"})
    second = client.post_form(f"/sops/{version.sop.id}/versions", {"kind": "change"})
    draft = services.open_draft(version.sop)
    assert first.headers["Location"] == f"/sops/versions/{draft.id}/edit"
    assert second.headers["Location"] == f"/sops/versions/{draft.id}"
    assert db.session.scalar(select(func.count()).select_from(SopVersion)) == 2


def test_a_draft_prints_again_after_its_steps_change(client, db, login_as):
    hr = login_as("hr")
    draft = factories.sop(number="HK-050", effective=False, prop=hr.property, steps=2)
    db.session.commit()
    url = f"/sops/versions/{draft.id}/print.pdf?lang=en"
    assert "Step 2 in English" in pdf_text(client.get(url).data)
    data = factories.version_data(steps=2)
    data.steps[1].text_en = "Wait for an answer"
    services.update_draft(draft, data, by=hr)  # only a step changes
    db.session.commit()
    text = pdf_text(client.get(url).data)
    assert "Wait for an answer" in text and "Step 2 in English" not in text


def test_a_reminder_is_only_for_someone_asked_to_read_the_sop(client, db, login_as):
    version = factories.sop(dept="HK")  # Housekeeping must read it
    receptionist = factories.person(
        "employee", prop=version.sop.property, dept="FO", name_en="Front Desk"
    )
    db.session.commit()
    login_as("manager", prop=version.sop.property)
    response = client.post_form(f"/sops/{version.sop.id}/remind/{receptionist.id}")
    assert response.status_code == 303
    page = text_of(client.get(response.headers["Location"]))
    assert "Front Desk is not asked to read this SOP." in page
    assert db.session.scalar(select(func.count()).select_from(SopReminder)) == 0

"""The SOP editor without a browser: steps moved up and down (with and without htmx) keep what
was typed and save nothing, a new step gets the focus, the save bar and the unsaved-changes
guard are on the page, and the kind of change is one choice with its consequence."""

import re
import uuid

import pytest
from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.blueprints.sops import reading, services
from portal.blueprints.sops.models import Sop, SopVersion, VersionStatus
from portal.i18n import local_today
from tests import factories
from tests.conftest import text_of


def posted(version, **changes) -> dict:
    """The editor's form as the page sends it back: every saved step, with its origin."""
    data = {
        "lock": str(version.lock_version),
        "title_en": version.title_en,
        "title_zh": version.title_zh,
        "purpose_en": version.purpose_en,
        "purpose_zh": version.purpose_zh,
        "audience_departments": str(version.sop.department_id),
    }
    if version.number != "1.0":
        data["change_kind"] = "change"
    for i, step in enumerate(version.steps):
        data[f"steps-{i}-origin"] = str(step.id)
        data[f"steps-{i}-text_en"] = step.text_en
        data[f"steps-{i}-text_zh"] = step.text_zh
        data[f"steps-{i}-kind"] = step.kind
    data.update(changes)
    return data


def step_texts(html: str) -> list[str]:
    """The English texts of the steps, in the order of the form."""
    found = re.findall(
        r'<textarea[^>]*name="steps-(\d+)-text_en"[^>]*>\s*(.*?)</textarea>', html, re.S
    )
    return [text.strip() for _index, text in found]


def step_names(html: str) -> list[str]:
    return re.findall(r'name="(steps-\d+)-text_en"', html)


def saved_texts(db, version) -> list[str]:
    db.session.expire_all()
    return [s.text_en for s in db.session.get(SopVersion, version.id).steps]


@pytest.fixture
def draft(db, login_as):
    hr = login_as("hr")
    version = factories.sop(number="HK-050", effective=False, prop=hr.property, steps=4)
    db.session.commit()
    return version


# --- moving steps -------------------------------------------------------------------------
def test_move_down_without_javascript_keeps_the_typed_text_and_saves_nothing(client, db, draft):
    url = f"/sops/versions/{draft.id}/edit"
    lock = draft.lock_version
    form = posted(draft, **{"steps-1-text_en": "Typed, not saved", "move": "down-1"})
    response = client.post_form(url, form)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().lower().startswith("<!doctype html>")  # the whole page again
    assert step_texts(html) == [
        "Step 1 in English",
        "Step 3 in English",
        "Typed, not saved",
        "Step 4 in English",
    ]
    # The moved step keeps its origin (its saved step) and has the focus on its button.
    origins = re.findall(r'name="steps-\d+-origin"[^>]*value="(\d+)"', html) or re.findall(
        r'id="steps-\d+-origin" name="steps-\d+-origin" type="hidden" value="(\d+)"', html
    )
    ids = [str(s.id) for s in draft.steps]
    assert origins == [ids[0], ids[2], ids[1], ids[3]]
    assert re.search(r'<button[^>]*value="down-2"[^>]*autofocus', html)
    assert 'data-unsaved="true"' in html  # the guard knows this form has changes
    assert saved_texts(db, draft) == [f"Step {n} in English" for n in range(1, 5)]
    db.session.refresh(draft)
    assert draft.lock_version == lock
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "sop.draft_saved")
        )
        == 0
    )


def test_move_up_with_htmx_answers_the_form_in_its_new_order(client, db, draft):
    url = f"/sops/versions/{draft.id}/edit"
    response = client.post_form(url, posted(draft, move="up-2"), htmx=True)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<form id="sop-form"')
    assert "portal-header" not in html
    assert step_texts(html) == [
        "Step 1 in English",
        "Step 3 in English",
        "Step 2 in English",
        "Step 4 in English",
    ]
    # The swapped form carries its own target and swap (no inheritance in this app).
    assert 'hx-target="this"' in html and 'hx-swap="outerHTML"' in html
    assert re.search(r'<button[^>]*value="up-1"[^>]*autofocus', html)


def test_the_first_step_up_and_a_move_of_nothing_change_nothing(client, db, draft):
    url = f"/sops/versions/{draft.id}/edit"
    expected = [f"Step {n} in English" for n in range(1, 5)]
    for move in ("up-0", "down-3", "up-77", "sideways-1", "up-99999", ""):
        response = client.post_form(url, posted(draft, move=move), htmx=True)
        assert response.status_code == 200, move
        assert step_texts(response.get_data(as_text=True)) == expected, move
    assert saved_texts(db, draft) == expected  # never a save


def test_steps_with_gaps_in_their_numbers_move_to_their_neighbour(client, db, draft):
    """After a step was added or dragged, indices need not follow each other: the form reads
    them in their order, and a step moves past the one shown next to it."""
    form = posted(draft)
    for key in [k for k in form if k.startswith("steps-2-")]:
        form[key.replace("steps-2-", "steps-7-")] = form.pop(key)  # shown last now
    url = f"/sops/versions/{draft.id}/edit"
    shown = step_texts(
        client.post_form(url, {**form, "move": ""}, htmx=True).get_data(as_text=True)
    )
    assert shown == [
        "Step 1 in English",
        "Step 2 in English",
        "Step 4 in English",
        "Step 3 in English",
    ]
    response = client.post_form(url, {**form, "move": "up-7"}, htmx=True)
    html = response.get_data(as_text=True)
    assert step_texts(html) == [f"Step {n} in English" for n in range(1, 5)]


def test_a_saved_reorder_keeps_each_steps_marks_and_is_audited(client, db, draft):
    url = f"/sops/versions/{draft.id}/edit"
    # The English of step 2 changes alone: its Chinese needs updating.
    client.post_form(url, posted(draft, **{"steps-1-text_en": "Knock twice"}))
    db.session.expire_all()
    draft = db.session.get(SopVersion, draft.id)
    assert [s.needs_update_zh for s in draft.steps] == [False, True, False, False]
    # Moved to the end and saved: the mark goes with the step.
    moved = posted(draft)
    order = [0, 2, 3, 1]
    form = {k: v for k, v in moved.items() if not k.startswith("steps-")}
    for new, old in enumerate(order):
        for key, value in moved.items():
            if key.startswith(f"steps-{old}-"):
                form[key.replace(f"steps-{old}-", f"steps-{new}-")] = value
    assert client.post_form(url, form).status_code == 303
    db.session.expire_all()
    draft = db.session.get(SopVersion, draft.id)
    assert [s.text_en for s in draft.steps][-1] == "Knock twice"
    assert [s.needs_update_zh for s in draft.steps] == [False, False, False, True]
    last = db.session.scalar(
        select(AuditEvent)
        .where(AuditEvent.action == "sop.draft_saved")
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    assert "steps reordered" in last.summary


def test_a_new_sop_moves_its_steps_too(client, db, login_as):
    hr = login_as("hr")
    dept = factories.department(hr.property, "HK")
    data = {
        "idempotency_key": f"test-{uuid.uuid4().hex}",
        "number": "HK-070",
        "department_id": str(dept.id),
        "title_en": "Turn-down service",
        "steps-0-text_en": "Knock",
        "steps-1-text_en": "Announce",
        "move": "up-1",
    }
    response = client.post_form("/sops/new", data)
    assert response.status_code == 200
    assert step_texts(response.get_data(as_text=True)) == ["Announce", "Knock"]
    assert db.session.scalar(select(func.count()).select_from(Sop)) == 0


# --- a new step, the save bar, the guard ------------------------------------------------------
def test_a_new_step_has_the_focus(client, db, draft):
    response = client.post_form(
        f"/sops/versions/{draft.id}/edit", posted(draft, add_step="1"), htmx=True
    )
    html = response.get_data(as_text=True)
    assert step_names(html)[-1] == "steps-4"
    assert re.search(r'<textarea[^>]*autofocus[^>]*id="steps-4-text_en"', html)
    assert html.count("autofocus") == 1


def test_the_editor_keeps_its_save_in_a_bar_and_asks_before_leaving(client, db, draft):
    html = client.get(f"/sops/versions/{draft.id}/edit").get_data(as_text=True)
    bar = html[html.index('class="portal-savebar"') :]
    assert bar.index("Save draft") < bar.index("</form>")
    assert (
        'data-unsaved-guard="Your changes to this draft are not saved. Leave without saving?"'
        in (html)
    )
    assert 'data-unsaved="true"' not in html  # nothing typed yet
    # Every step has its Up and Down buttons (the first has no Up to press, the last no Down),
    # posting the form without validation, and a drag handle for where there is a pointer.
    assert len(re.findall(r'name="move" value="up-\d+"', html)) == 4
    assert re.search(r'value="up-0"[^>]*disabled', html)
    assert re.search(r'value="down-3"[^>]*disabled', html)
    assert html.count("formnovalidate") == 4 * 2 + 1  # the moves and "Add a step"
    assert html.count("data-drag-handle hidden") == 4
    # Every button that posts the form is disabled while it is sent (a double tap sends once).
    assert 'hx-disabled-elt="#sop-form button[type=submit]"' in html


def test_the_editor_in_chinese(client, db, login_as):
    hr = login_as("hr", locale="zh_Hans")
    first = factories.sop(number="HK-060", prop=hr.property, steps=2)
    draft = services.new_version(first.sop, by=hr, major=False)
    db.session.commit()
    body = text_of(client.get(f"/sops/versions/{draft.id}/edit"))
    assert "第 1 步" in body and "上移" in body and "下移" in body
    assert "勘误：无需重新阅读（1.0 → 1.1）" in body
    assert "修订：所有人重新阅读（1.0 → 1.1）" in body
    assert "换版：所有人重新阅读（1.0 → 2.0）" in body
    assert "保存草稿" in body and "尚未保存" in body


# --- the kind of change ---------------------------------------------------------------------
@pytest.fixture
def second(db, login_as):
    """HK-060 1.0 in force, read by an attendant; 1.1 being written by HR."""
    hr = login_as("hr")
    first = factories.sop(number="HK-060", prop=hr.property, steps=2)
    reader = factories.person("employee", prop=hr.property, dept="HK")
    reading.acknowledge(first.sop, first, reader)
    draft = services.new_version(first.sop, by=hr, major=False)
    db.session.commit()
    return {"first": first, "draft": draft, "reader": reader, "hr": hr}


def test_the_choice_shows_its_numbers_and_consequences(client, db, second):
    draft = second["draft"]
    body = text_of(client.get(f"/sops/versions/{draft.id}/edit"))
    assert "What kind of change is this?" in body
    assert "Correction: no one needs to read it again (1.0 → 1.1)" in body
    assert "Change: everyone reads it again (1.0 → 1.1)" in body
    assert "New edition: everyone reads it again (1.0 → 2.0)" in body
    assert "Whoever has acknowledged the version before is not asked again" in body
    html = client.get(f"/sops/versions/{draft.id}/edit").get_data(as_text=True)
    assert re.search(r'<input[^>]* checked [^>]*value="change"', html)  # as it was started
    assert "Minor edit" not in body and "Small change" not in body


def test_a_new_edition_is_numbered_2_0_and_back_1_1(client, db, second):
    draft = second["draft"]
    url = f"/sops/versions/{draft.id}/edit"
    assert client.post_form(url, posted(draft, change_kind="edition")).status_code == 303
    db.session.expire_all()
    draft = db.session.get(SopVersion, draft.id)
    assert (draft.number, draft.minor_edit) == ("2.0", False)
    event = db.session.scalar(
        select(AuditEvent)
        .where(AuditEvent.action == "sop.draft_saved")
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    assert "numbered 2.0 (was 1.1)" in event.summary
    assert "Edit HK-060 version 2.0" in text_of(client.get(url))
    assert client.post_form(url, posted(draft, change_kind="change")).status_code == 303
    db.session.expire_all()
    assert db.session.get(SopVersion, draft.id).number == "1.1"


def test_a_correction_says_why_and_asks_no_one_again(client, db, second, app):
    draft = second["draft"]
    url = f"/sops/versions/{draft.id}/edit"
    missing = client.post_form(url, posted(draft, change_kind="correction"))
    assert missing.status_code == 422
    assert 'id="minor_edit_reason-error"' in missing.get_data(as_text=True)
    assert "Say why no one needs to read this correction again." in text_of(missing)
    db.session.expire_all()
    assert db.session.get(SopVersion, draft.id).minor_edit is False
    saved = client.post_form(
        url, posted(draft, change_kind="correction", minor_edit_reason="Typo in step 2")
    )
    assert saved.status_code == 303
    db.session.expire_all()
    draft = db.session.get(SopVersion, draft.id)
    assert (draft.number, draft.minor_edit, draft.minor_edit_reason) == (
        "1.1",
        True,
        "Typo in step 2",
    )
    page = text_of(client.get(f"/sops/versions/{draft.id}"))
    assert "Correction: no one needs to read it again. Why: Typo in step 2" in page
    # Approved, the reader's acknowledgement of 1.0 still counts: no one is asked again.
    services.submit_for_review(draft, by=second["hr"])
    approver = factories.person("manager", prop=second["hr"].property)
    services.approve(draft, approver=approver, effective_date=local_today())
    db.session.commit()
    assert reading.pending_for(second["reader"]) == []


def test_a_change_asks_everyone_again(db, second):
    draft, hr = second["draft"], second["hr"]
    services.submit_for_review(draft, by=hr)
    approver = factories.person("manager", prop=hr.property)
    services.approve(draft, approver=approver, effective_date=local_today())
    db.session.commit()
    assert [v.id for _s, v, _r in reading.pending_for(second["reader"])] == [draft.id]


@pytest.mark.parametrize("kind", ["", "minor", "sideways"])
def test_a_version_after_the_first_needs_a_kind(client, db, second, kind):
    draft = second["draft"]
    response = client.post_form(f"/sops/versions/{draft.id}/edit", posted(draft, change_kind=kind))
    assert response.status_code == 422
    assert 'id="change_kind-error"' in response.get_data(as_text=True)
    assert "Choose what kind of change this is." in text_of(response)


def test_a_first_version_has_no_choice(client, db, draft):
    url = f"/sops/versions/{draft.id}/edit"
    body = text_of(client.get(url))
    assert "A first version: once it is in force, everyone who must read this SOP" in body
    assert "What kind of change is this?" not in body
    # A kind posted anyway changes nothing: 1.0 stays 1.0, never a correction.
    assert client.post_form(url, posted(draft, change_kind="correction")).status_code == 303
    db.session.expire_all()
    version = db.session.get(SopVersion, draft.id)
    assert (version.number, version.minor_edit) == ("1.0", False)


def test_a_new_edition_cannot_be_a_correction(db, second, ctx):
    from portal.errors import DomainError

    draft = second["draft"]
    data = factories.version_data(steps=2, minor_edit=True, minor_edit_reason="Typo")
    data.new_edition = True
    with pytest.raises(DomainError, match="A new edition is read again by everyone"):
        services.update_draft(draft, data, by=second["hr"])


@pytest.mark.parametrize(
    ("kind", "number", "correction"),
    [("correction", "1.1", True), ("change", "1.1", False), ("edition", "2.0", False)],
)
def test_starting_a_new_version_of_each_kind(client, db, login_as, kind, number, correction):
    manager = login_as("manager")
    first = factories.sop(number="HK-061", prop=manager.property)
    db.session.commit()
    page = text_of(client.get(f"/sops/{first.sop_id}"))
    assert "What kind of change will it be?" in page
    assert "New edition: everyone reads it again (1.0 → 2.0)" in page
    response = client.post_form(f"/sops/{first.sop_id}/versions", {"kind": kind})
    assert response.status_code == 303
    draft = services.open_draft(first.sop)
    assert (draft.number, draft.minor_edit, draft.status) == (
        number,
        correction,
        VersionStatus.DRAFT,
    )
    assert response.headers["Location"] == f"/sops/versions/{draft.id}/edit"


def test_a_correction_is_not_sent_for_review_without_its_reason(client, db, second):
    hr = second["hr"]
    correction = services.new_version(
        factories.sop(number="HK-062", prop=hr.property).sop, by=hr, major=False, correction=True
    )
    db.session.commit()
    refused = client.post_form(f"/sops/versions/{correction.id}/submit")
    assert refused.status_code == 422
    assert "Say why no one needs to read this correction again." in text_of(refused)


def test_an_unknown_kind_of_new_version_is_refused(client, db, login_as):
    manager = login_as("manager")
    first = factories.sop(number="HK-063", prop=manager.property)
    db.session.commit()
    assert client.post_form(f"/sops/{first.sop_id}/versions", {"kind": "major"}).status_code == 400
    assert services.open_draft(first.sop) is None


# --- the library's settings, from the list ----------------------------------------------------
@pytest.mark.parametrize(("role", "shown"), [("manager", True), ("admin", True), ("hr", False)])
def test_the_list_links_to_the_language_settings_for_those_who_change_them(
    client, db, login_as, role, shown
):
    user = login_as(role)
    html = client.get("/sops/").get_data(as_text=True)
    assert (f'href="/sops/settings/{user.property_id}"' in html) is shown

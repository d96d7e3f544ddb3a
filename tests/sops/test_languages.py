"""Both languages, trustworthy: documents printed in the language asked for whatever the
printer's screen language, the languages a property requires before review and approval, the
"needs updating" mark of a step whose one language changed alone, and a missing translation
shown as the other language, marked, never as nothing."""

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.blueprints.sops import pdf as documents
from portal.blueprints.sops import rules, services
from portal.blueprints.sops.models import SopSettings, SopStep, StepKind, VersionStatus
from portal.errors import DomainError
from portal.i18n import local_today
from tests import factories
from tests.conftest import text_of


def pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def flat(text: str) -> str:
    """Spaces folded; none after a full-width colon (where PDF text extraction may put one)."""
    return re.sub(r"：\s+", "：", re.sub(r"\s+", " ", text))


def warned_sop(**kw):
    """HK-001 in force: a warning on step 1, a key point on step 2, approved by Michael Tang
    (唐明) on 23 Nov 2026."""
    prop = factories.property_()
    author = factories.person("hr", prop=prop, dept="HR")
    approver = factories.person(
        "manager", prop=prop, dept="FO", name_en="Michael Tang", name_zh="唐明"
    )
    data = factories.version_data(steps=3, **kw)
    data.steps[0].note_en = "Never enter a room showing Do Not Disturb."
    data.steps[0].note_zh = "挂有请勿打扰牌的房间不得进入。"
    data.steps[0].kind = StepKind.WARNING
    data.steps[1].key_point = True
    version = services.create_sop(
        property_id=prop.id,
        department_id=factories.department(prop, "HK").id,
        number="HK-001",
        data=data,
        author=author,
    )
    services.submit_for_review(version, by=author)
    services.approve(version, approver=approver, effective_date=local_today())
    version.effective_date = date(2026, 11, 23)  # a date whose two spellings are known
    return version


def english_only_version(steps=12):
    """An older version approved when the property required English only: its Chinese lacks
    step 1's warning and step 12 altogether."""
    version = warned_sop()
    sop = version.sop
    services.update_settings(sop.property_id, languages=["en"], by=version.approver)
    draft = services.new_version(sop, by=version.author, major=False)
    data = factories.version_data(steps=steps)
    data.steps[0].note_en = "Never enter a room showing Do Not Disturb."
    data.steps[0].kind = StepKind.WARNING
    data.steps[-1].text_en = "Close the door gently."
    data.steps[-1].text_zh = ""
    services.update_draft(draft, data, by=version.author)
    services.submit_for_review(draft, by=version.author)
    services.approve(draft, approver=version.approver, effective_date=local_today())
    services.update_settings(sop.property_id, languages=["en", "zh"], by=version.approver)
    return draft


# --- documents in their own language -----------------------------------------------------------
def test_a_chinese_pdf_printed_from_an_english_session_is_chinese_throughout(client, db, login_as):
    version = warned_sop()
    db.session.commit()
    login_as("manager", locale="en")
    text = flat(pdf_text(client.get(f"/sops/versions/{version.id}/print.pdf?lang=zh").data))
    for chinese in (
        "客房清洁",
        "目的",
        "步骤",
        "关键点",
        "警告：",
        "批准人",
        "唐明",
        "生效日期",
        "2026-11-23",
        "测试酒店 · 客房部",
        "打印件为非受控文件",
        "第 1 页，共 1 页",
        "版本 1.0",
        "现行有效",
    ):
        assert chinese in text, chinese
    for english in (
        "Purpose",
        "Steps",
        "Key point",
        "Warning",
        "Approved by",
        "Michael Tang",
        "Housekeeping",
        "Uncontrolled",
        "Page 1",
        "Nov",
        "Step 1 in English",
    ):
        assert english not in text, english


def test_an_english_pdf_printed_from_a_chinese_session_is_english_throughout(client, db, login_as):
    version = warned_sop()
    db.session.commit()
    login_as("manager", locale="zh_Hans")
    text = flat(pdf_text(client.get(f"/sops/versions/{version.id}/print.pdf?lang=en").data))
    for english in (
        "Guest-room cleaning",
        "Purpose",
        "Steps",
        "Key point",
        "Warning: Never enter",
        "Approved by",
        "Michael Tang",
        "23 Nov 2026",
        "Test Hotel TST · Housekeeping",
        "Uncontrolled when printed",
        "Page 1 of 1",
        "Version 1.0",
        "In force",
    ):
        assert english in text, english
    for chinese in ("目的", "关键点", "警告", "批准人", "唐明", "客房部", "页", "第1步中文"):
        assert chinese not in text, chinese


def test_a_bilingual_pdf_carries_both_labels_and_each_languages_own_warning(client, db, login_as):
    version = warned_sop()
    db.session.commit()
    login_as("manager", locale="zh_Hans")
    text = flat(pdf_text(client.get(f"/sops/versions/{version.id}/print.pdf?lang=both").data))
    assert "Purpose 目的" in text and "Steps 步骤" in text and "Key point 关键点" in text
    assert "Approved by 批准人" in text and "Michael Tang / 唐明" in text
    assert "23 Nov 2026 / 2026-11-23" in text
    assert "Warning: Never enter a room showing Do Not Disturb." in text
    assert "警告：挂有请勿打扰牌的房间不得进入。" in text
    assert "Warning: 挂有" not in text
    assert "Page 1 of 1 / 第 1 页，共 1 页" in text
    assert "Uncontrolled when printed" in text and "打印件为非受控文件" in text


def test_a_document_does_not_depend_on_the_screen_language(app, db):
    version = warned_sop()
    seen = set()
    for header in ("en", "zh-CN"):
        with app.test_request_context(headers={"Accept-Language": header}):
            document = documents.version_document(version, "zh")
            seen.add(document.inputs)
    assert len(seen) == 1  # one cached document for every printer


def test_the_binder_cover_and_contents_follow_the_document_language(client, db, login_as):
    version = warned_sop()
    db.session.commit()
    login_as("employee", dept="HK", locale="en")
    department = version.sop.department_id
    zh = flat(pdf_text(client.get(f"/sops/binder.pdf?department={department}&lang=zh").data))
    assert "标准操作程序" in zh and "客房部" in zh and "目录" in zh and "SOP 汇编" in zh
    assert "Standard operating procedures" not in zh and "Contents" not in zh
    client.post_form("/auth/language", {"locale": "zh_Hans"})
    both = flat(pdf_text(client.get(f"/sops/binder.pdf?department={department}&lang=both").data))
    assert "Standard operating procedures" in both and "标准操作程序" in both
    assert "Housekeeping" in both and "客房部" in both
    assert "Contents 目录" in both
    assert "1 SOP in force on" in both and "现行有效的 SOP 共 1 份" in both


# --- a missing translation: the other language, marked, never nothing ------------------------
def test_a_missing_chinese_text_prints_the_english_marked_as_such(client, db, login_as):
    version = english_only_version()
    db.session.commit()
    login_as("manager", locale="en")
    text = flat(pdf_text(client.get(f"/sops/versions/{version.id}/print.pdf?lang=zh").data))
    assert "警告：英文原文，暂无中文译文 Never enter a room showing Do Not Disturb." in text
    assert "英文原文，暂无中文译文 Close the door gently." in text
    assert "No Chinese translation" not in text and "English text" not in text
    both = flat(pdf_text(client.get(f"/sops/versions/{version.id}/print.pdf?lang=both").data))
    assert "Close the door gently. 暂无中文译文" in both
    assert "警告：暂无中文译文" in both


def test_the_reading_view_marks_the_other_languages_text(client, db, login_as):
    version = english_only_version()
    db.session.commit()
    login_as("employee", dept="HK", locale="zh_Hans")
    page = client.get(f"/sops/{version.sop_id}")
    body = flat(text_of(page))
    assert "英文原文，暂无中文译文 Close the door gently." in body
    assert "警告：英文原文，暂无中文译文 Never enter a room" in body
    html = page.get_data(as_text=True)
    assert '<span lang="en">Never enter a room showing Do Not Disturb.</span>' in html
    assert re.search(r'<p class="portal-step-text" lang="en">.*Close the door gently\.</p>', html)


# --- the languages a property requires --------------------------------------------------------
@pytest.fixture
def writers(ctx, db):
    prop = factories.property_()
    return (
        factories.person("hr", prop=prop, dept="HR"),
        factories.person("manager", prop=prop, dept="FO"),
    )


def half_translated(author, **kw):
    data = factories.version_data(steps=3, title_zh="", **kw)
    data.steps[1].text_zh = ""
    data.steps[0].note_en = "Wear gloves."
    data.steps[0].kind = StepKind.WARNING
    return factories.sop(author=author, effective=False, **{"title_zh": "", **kw}), data


def test_a_version_missing_a_required_language_is_not_sent_for_review(writers):
    author, _manager = writers
    version, data = half_translated(author)
    services.update_draft(version, data, by=author)
    state = rules.review_state(version, services.required_languages(version.sop.property_id))
    assert state.required == ("en", "zh")
    assert state.missing_in("zh") == ["title", "step 1 warning", "step 2 text"]
    assert state.missing_in("en") == []
    with pytest.raises(DomainError) as refused:
        services.submit_for_review(version, by=author)
    assert refused.value.message == (
        "This version cannot be sent for review yet. "
        "Chinese is missing: title, step 1 warning, step 2 text."
    )
    assert version.status == VersionStatus.DRAFT


def test_a_property_that_requires_english_only_sends_it(writers):
    author, manager = writers
    version, data = half_translated(author)
    services.update_draft(version, data, by=author)
    services.update_settings(author.property_id, languages=["en"], by=manager)
    services.submit_for_review(version, by=author)
    services.update_settings(author.property_id, languages=["zh", "en"], by=manager)
    with pytest.raises(DomainError, match=r"cannot be approved yet\. Chinese is missing: title"):
        services.approve(version, approver=manager, effective_date=local_today())
    assert version.status == VersionStatus.IN_REVIEW


def test_settings_need_a_language_and_are_audited_once_per_change(writers):
    author, manager = writers
    with pytest.raises(DomainError, match="Choose at least one language"):
        services.update_settings(author.property_id, languages=["fr"], by=manager)
    assert services.required_languages(author.property_id) == ("en", "zh")  # the default
    services.update_settings(author.property_id, languages=["zh"], by=manager)
    services.update_settings(author.property_id, languages=["zh"], by=manager)  # no change
    assert services.required_languages(author.property_id) == ("zh",)
    events = [
        e.summary
        for e in services.db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "sop.settings_changed")
        )
    ]
    assert events == ["required languages: en zh -> zh"]


# --- a step whose one language changed alone --------------------------------------------------
def saved_data(version):
    """The draft as the editor sends it back: each step names the saved step it came from."""
    data = factories.version_data(steps=len(version.steps))
    data.title_en, data.title_zh = version.title_en, version.title_zh
    data.steps = [
        services.StepData(s.text_en, s.text_zh, s.note_en, s.note_zh, s.kind, s.key_point, s.id)
        for s in version.steps
    ]
    return data


def marks(version):
    return [(s.position, s.languages_to_update) for s in version.steps if s.languages_to_update]


def test_changing_one_language_alone_marks_the_other_until_it_is_updated(writers):
    author, _manager = writers
    draft = factories.sop(author=author, effective=False)
    data = saved_data(draft)
    data.steps[1].text_en = "Knock three times, three knocks each time."
    services.update_draft(draft, data, by=author)
    assert marks(draft) == [(2, ["zh"])]
    with pytest.raises(DomainError) as refused:
        services.submit_for_review(draft, by=author)
    assert "Step 2: the Chinese needs updating after the English changed." in refused.value.message

    data = saved_data(draft)
    data.steps[0].text_en = "Arrive five minutes early."  # another step, unrelated
    services.update_draft(draft, data, by=author)
    assert marks(draft) == [(1, ["zh"]), (2, ["zh"])]  # the mark stays

    data = saved_data(draft)
    data.steps[1].text_zh = "敲门三次，每次敲三下。"  # the update: it marks nothing else
    data.steps[0].confirmed = ("zh",)  # "Chinese still correct"
    services.update_draft(draft, data, by=author)
    assert marks(draft) == []
    summary = services.db.session.scalar(
        select(AuditEvent.summary)
        .where(AuditEvent.action == "sop.draft_saved")
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    assert "step 1: zh confirmed" in summary and "step 2: zh updated" in summary
    services.submit_for_review(draft, by=author)


def test_changing_both_languages_together_marks_nothing(writers):
    author, _manager = writers
    draft = factories.sop(author=author, effective=False)
    data = saved_data(draft)
    data.steps[0].text_en, data.steps[0].text_zh = "Knock.", "敲门。"
    data.steps[2].text_zh = "第3步中文，改过"  # Chinese alone: the English needs updating
    services.update_draft(draft, data, by=author)
    assert marks(draft) == [(3, ["en"])]


def test_marks_follow_the_step_when_steps_are_inserted_or_moved(writers):
    author, _manager = writers
    draft = factories.sop(author=author, effective=False)
    data = saved_data(draft)
    data.steps[2].text_en = "Step 3, reworded"
    services.update_draft(draft, data, by=author)
    assert marks(draft) == [(3, ["zh"])]
    data = saved_data(draft)
    data.steps.insert(0, services.StepData("A new first step", "新的第一步"))
    data.steps[1], data.steps[2] = data.steps[2], data.steps[1]
    services.update_draft(draft, data, by=author)
    assert [s.text_en for s in draft.steps][3] == "Step 3, reworded"
    assert marks(draft) == [(4, ["zh"])]


def test_a_step_naming_another_versions_step_is_a_new_step(writers):
    author, _manager = writers
    other = factories.sop(number="HK-002", author=author, effective=False)
    draft = factories.sop(author=author, effective=False)
    data = saved_data(draft)
    data.steps[0].origin = other.steps[0].id
    data.steps[0].text_en = "Changed"
    data.steps[1].origin = 2**40  # no such step
    data.steps[1].text_en = "Changed too"
    services.update_draft(draft, data, by=author)
    assert marks(draft) == []


def test_a_new_version_starts_without_marks(writers):
    author, manager = writers
    first = factories.sop(author=author, approver=manager)
    draft = services.new_version(first.sop, by=author, major=False)
    assert marks(draft) == []
    assert (
        services.db.session.scalar(
            select(func.count()).select_from(SopStep).where(SopStep.needs_update_zh.is_(True))
        )
        == 0
    )


# --- the pages --------------------------------------------------------------------------------
def editor_post(version, **changes):
    data = {
        "title_en": version.title_en,
        "title_zh": version.title_zh,
        "purpose_en": version.purpose_en,
        "purpose_zh": version.purpose_zh,
        "lock": str(version.lock_version),
        "audience_departments": str(version.sop.department_id),
    }
    for i, step in enumerate(version.steps):
        data[f"steps-{i}-origin"] = str(step.id)
        data[f"steps-{i}-text_en"] = step.text_en
        data[f"steps-{i}-text_zh"] = step.text_zh
        data[f"steps-{i}-kind"] = step.kind
    data.update(changes)
    return data


def test_the_editor_marks_the_step_and_a_tap_confirms_it(client, db, login_as):
    hr = login_as("hr")
    draft = factories.sop(number="HK-050", effective=False, prop=hr.property, steps=3)
    db.session.commit()
    url = f"/sops/versions/{draft.id}/edit"
    changed = client.post_form(url, editor_post(draft, **{"steps-1-text_en": "Knock twice"}))
    assert changed.status_code == 303
    page = text_of(client.get(f"/sops/versions/{draft.id}"))
    assert "Needs updating: Step 2: the English changed, the Chinese needs updating." in page
    refused = client.post_form(f"/sops/versions/{draft.id}/submit")
    assert refused.status_code == 422
    assert "This version cannot be sent for review yet. Step 2: the Chinese needs updating" in (
        text_of(refused)
    )
    db.session.expire_all()
    assert draft.status == VersionStatus.DRAFT
    editor = client.get(url).get_data(as_text=True)
    assert "The English of this step changed: check that the Chinese still says the same." in (
        editor
    )
    assert editor.count('name="steps-1-confirm_zh"') == 1
    assert 'name="steps-0-confirm_zh"' not in editor  # only where the mark is
    db.session.expire_all()
    confirmed = client.post_form(url, editor_post(draft, **{"steps-1-confirm_zh": "y"}))
    assert confirmed.status_code == 303
    db.session.expire_all()
    assert marks(draft) == []
    sent = client.post_form(f"/sops/versions/{draft.id}/submit")
    assert sent.status_code == 303


def test_the_review_panel_lists_what_is_missing(client, db, login_as):
    hr = login_as("hr", locale="zh_Hans")
    draft = factories.sop(number="HK-051", effective=False, prop=hr.property, steps=3)
    db.session.commit()
    url = f"/sops/versions/{draft.id}/edit"
    client.post_form(
        url, editor_post(draft, title_zh="", **{"steps-2-text_zh": "", "steps-0-text_en": ""})
    )
    page = text_of(client.get(f"/sops/versions/{draft.id}"))
    assert "缺少英文： 第 1 步正文" in page
    assert "缺少中文： 标题 第 3 步正文" in page
    response = client.post_form(f"/sops/versions/{draft.id}/submit")
    assert response.status_code == 422
    assert (
        "此版本暂不能提交审核。 缺少英文：第 1 步正文。 缺少中文：标题、第 3 步正文。"
        in text_of(response)
    )
    assert (
        db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "sop.submitted")
        )
        == 0
    )


def test_managers_change_the_required_languages(client, db, login_as):
    manager = login_as("manager")
    url = f"/sops/settings/{manager.property_id}"
    page = client.get(url).get_data(as_text=True)
    assert page.count('type="checkbox"') == 2 and page.count("checked") == 2
    empty = client.post_form(url, {})
    assert empty.status_code == 422
    assert "Choose at least one language." in text_of(empty)
    fragment = client.post_form(url, {}, htmx=True)  # htmx: the form replaces itself
    assert fragment.status_code == 200
    assert fragment.get_data(as_text=True).lstrip().startswith('<form id="settings-form"')
    assert "Choose at least one language." in text_of(fragment)
    assert db.session.get(SopSettings, manager.property_id) is None  # nothing written
    bad = client.post_form(url, {"required_languages": ["en", "fr"]})
    assert bad.status_code == 422 and db.session.get(SopSettings, manager.property_id) is None
    no_token = client.post(url, data={"required_languages": "en"})
    assert no_token.status_code in (400, 422)
    assert db.session.get(SopSettings, manager.property_id) is None
    saved = client.post_form(url, {"required_languages": "zh"}, htmx=True)
    assert saved.headers["HX-Redirect"] == url
    db.session.expire_all()
    assert services.required_languages(manager.property_id) == ("zh",)
    again = client.get(url).get_data(as_text=True)
    assert again.count("checked") == 1
    assert client.get(f"/sops/settings/{2**63}").status_code == 404


def test_the_version_page_links_managers_to_the_setting(client, db, login_as):
    manager = login_as("manager")
    draft = factories.sop(number="HK-052", effective=False, prop=manager.property)
    db.session.commit()
    html = client.get(f"/sops/versions/{draft.id}").get_data(as_text=True)
    assert f'href="/sops/settings/{manager.property_id}"' in html
    assert "This property requires every SOP in English and Chinese." in html
    assert "Every text is there in both languages." in html


# --- compare: both languages, the words that changed -----------------------------------------
def test_compare_marks_the_words_that_changed_in_both_languages(client, db, login_as):
    first = factories.sop(steps=3)
    second = services.new_version(first.sop, by=first.author, major=False)
    data = saved_data(second)
    data.steps[1].text_en = "Contact the guest within 1 hour"
    data.steps[1].text_zh = "1小时内联系客人"
    services.update_draft(second, data, by=first.author)
    first.steps[1].text_en = "Contact the guest within 2 hours"  # the old text, for the test
    first.steps[1].text_zh = "2小时内联系客人"
    db.session.commit()
    login_as("manager")
    html = client.get(f"/sops/{first.sop_id}/compare").get_data(as_text=True)
    assert "Contact the guest within <del" in html
    assert '<span class="visually-hidden">[removed] </span>2 hours<span' in html
    assert '<span class="visually-hidden">[added] </span>1 hour<span' in html
    assert '<span class="visually-hidden">[added] </span>1<span' in html  # a character
    assert "小时内联系客人" in html
    body = text_of(client.get(f"/sops/{first.sop_id}/compare"))
    assert "in both languages" in body
    assert "English Contact the guest within [removed] 2 hours [end of removed]" in body


def test_writing_a_missing_translation_marks_nothing(writers):
    author, manager = writers
    services.update_settings(author.property_id, languages=["en"], by=manager)
    draft = factories.sop(author=author, effective=False)
    data = saved_data(draft)
    data.steps[0].text_zh = ""
    services.update_draft(draft, data, by=author)
    data = saved_data(draft)
    data.steps[0].text_zh = "提前到岗。"  # the translation, written now
    services.update_draft(draft, data, by=author)
    assert marks(draft) == []

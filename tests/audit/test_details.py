"""Audit summaries read back in the reader's language; stored rows are never changed."""

import pytest

from portal import audit
from portal.audit import AuditEvent, Detail
from tests import factories


def event(summary: str, property_id: int | None = None) -> AuditEvent:
    return AuditEvent(action="test.event", summary=summary, property_id=property_id)


def shown(summary: str, property_id: int | None = None) -> list[tuple]:
    return [
        (d.label, d.old, d.new) if d.is_change else (d.label, d.value)
        for d in audit.details(event(summary, property_id))
    ]


@pytest.fixture
def zh(app, db):
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        yield


def test_key_value_summaries_with_spaces_in_values_and_text_before_them(ctx):
    assert shown("name=Front desk PC location=B1 staff room") == [
        ("Name", "Front desk PC"),
        ("Location", "B1 staff room"),
    ]
    assert shown("GET /people/5 check=can_view_person") == [
        (None, "GET /people/5"),
        ("Check", "can_view_person"),
    ]
    assert shown("sessions ended=2") == [("Sessions ended", "2")]
    assert shown("identifier=unknown ref=4f2a9c reason=unknown") == [
        ("Name typed", "not known"),
        ("Reference", "4f2a9c"),
        ("Reason", "not known"),
    ]
    assert shown("reason=idle") == [("Reason", "nobody used the screen for a while")]


def test_changes_values_lists_and_empties(ctx, db):
    prop = factories.property_()
    assert shown("locale: None -> zh_Hans") == [("Language", "As the browser says", "简体中文")]
    assert shown("supervises: ['HK'] -> []; active: True -> False", prop.id) == [
        ("Supervises", "Housekeeping", "—"),
        ("active", "Yes", "No"),  # an unnamed key: as written, its values still readable
    ]
    old_style = f"department_id: {factories.department(prop, 'HK').id} -> "
    old_style += str(factories.department(prop, "FO").id)
    assert shown(old_style, prop.id) == [("Department", "Housekeeping", "Front Office")]
    assert shown("job_title: - -> 999999") == [("Job title", "—", "#999999")]


def test_what_no_module_names_stays_as_written(ctx):
    for summary in ("HK-001 version 1.0 drafted", "change 0", "x: y", "a=b", "=HYPERLINK()"):
        assert audit.details(event(summary)) == [Detail(None, summary)]
    assert audit.details(event("")) == []
    # A code that the renderer does not know (an older row): as written, never an error.
    assert shown("reason=melted") == [("Reason", "melted")]
    assert shown("role: chef -> employee") == [("Access role", "chef", "Employee")]


def test_whole_summaries_as_phrases(ctx):
    assert shown("terminal") == [(None, "On a shared terminal")]
    assert shown("no change") == [(None, "Nothing changed")]
    assert shown("locked for 15 minutes") == [(None, "Locked for 15 minutes")]


def test_in_chinese(zh, db):
    prop = factories.property_()
    assert shown("locale: en -> zh_Hans") == [("语言", "English", "简体中文")]
    assert shown("supervises: [] -> ['FO', 'HK']", prop.id) == [("分管部门", "—", "前厅部、客房部")]
    assert shown("role: employee -> supervisor; grade: junior -> senior") == [
        ("权限角色", "员工", "主管"),
        ("职级", "初级服务专员", "高级服务专员"),
    ]
    assert shown("locked for 15 minutes") == [(None, "锁定 15 分钟")]
    assert shown("name=Kiosk 2 location=B1") == [("名称", "Kiosk 2"), ("位置", "B1")]  # not 姓名
    assert audit.details_text(event("pin: not set -> set")) == "PIN 码: 未设置 → 已设置"


def test_join_list_follows_the_language(zh):
    from portal.i18n import join_list

    assert join_list(["客房部", "餐饮部", None, ""]) == "客房部、餐饮部"


def test_join_list_in_english(ctx):
    from portal.i18n import join_list

    assert join_list(["Housekeeping", "Food & Beverage"]) == "Housekeeping, Food & Beverage"
    assert join_list([]) == ""


SOP_SUMMARIES = [
    ("HK-001 version 1.0 drafted", "HK-001 version 1.0 drafted", "HK-001 第 1.0 版草稿已创建"),
    (
        "HK-001 1.1: 6 steps",
        "HK-001 version 1.1 saved: 6 steps",
        "HK-001 第 1.1 版已保存：6 个步骤",
    ),
    (
        "HK-001 1.1 sent for review",
        "HK-001 version 1.1 sent for review",
        "HK-001 第 1.1 版已提交审核",
    ),
    (
        "HK-001 2.0 effective 2026-12-01 review 2027-12-01",
        "HK-001 version 2.0 approved: in force from 2026-12-01, next review 2027-12-01",
        "HK-001 第 2.0 版已批准：自 2026-12-01 起生效，下次复审 2027-12-01",
    ),
    (
        "HK-001 1.1 effective 2026-12-01 review 2027-12-01 correction",
        "HK-001 version 1.1 approved as a correction: in force from 2026-12-01, next review "
        "2027-12-01",
        "HK-001 第 1.1 版作为更正已批准：自 2026-12-01 起生效，下次复审 2027-12-01",
    ),
    (
        "HK-001 1.1 drafted from 1.0 as a correction",
        "HK-001 version 1.1 started from version 1.0, as a correction",
        "HK-001 第 1.1 版以第 1.0 版为基础开始编写（更正）",
    ),
    (
        "HK-001 retired from 2026-12-31",
        "HK-001 retired from 2026-12-31",
        "HK-001 自 2026-12-31 起废止",
    ),
    (
        "HK-001 version 1.0",
        "HK-001 version 1.0 read and acknowledged",
        "HK-001 第 1.0 版已阅读确认",
    ),
    ("HK-001 reminder to E1001", "Reminded E1001 to read HK-001", "已提醒 E1001 阅读 HK-001"),
    (
        "HK-001 1.1: Step 3 needs the new chemical",
        "HK-001 version 1.1 sent back: Step 3 needs the new chemical",
        "HK-001 第 1.1 版已退回：Step 3 needs the new chemical",
    ),
]


@pytest.mark.parametrize(("stored", "english", "chinese"), SOP_SUMMARIES)
def test_sop_summaries_read_as_sentences(ctx, stored, english, chinese):
    from flask_babel import force_locale

    with force_locale("en"):
        assert shown(stored) == [(None, english)]
    with force_locale("zh_Hans"):
        assert shown(stored) == [(None, chinese)]


def test_a_draft_saved_with_notes_is_not_read_as_sent_back(ctx):
    stored = "HK-001 1.1: 6 steps; step 2 zh needs updating"
    assert shown(stored) == [(None, stored)]

"""Two languages, first-class: complete catalogue, no English left on Chinese pages."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests import factories
from tests.conftest import ROOT, text_of, visible_text

PO = ROOT / "portal/translations/zh_Hans/LC_MESSAGES/messages.po"
# Words that stay as they are in Chinese text: names of formats and of the languages.
ALLOWED_LATIN = {"PIN", "PDF", "CSV", "SOP", "English", "Ctrl", "Cmd"}


def test_catalogue_has_every_message_translated(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            "--no-location",
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as f:
        extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    with PO.open("rb") as f:
        catalog = read_po(f)
    translated = {}
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert not message.fuzzy, f"fuzzy: {key}"
        assert all(strings), f"untranslated: {key}"
        for s in strings:
            assert set(re.findall(r"%\(\w+\)s", s)) == set(re.findall(r"%\(\w+\)s", key)), key
        translated[key] = strings
    missing = sorted(extracted - set(translated))
    assert not missing, f"not in the zh_Hans catalogue (run make translations): {missing[:10]}"


def test_compiled_catalogue_is_up_to_date():
    mo = PO.with_suffix(".mo")
    assert mo.exists(), "run make translations"
    assert mo.stat().st_mtime >= PO.stat().st_mtime, "run make translations"


def english_words(response) -> set[str]:
    html = response.get_data(as_text=True)
    html = re.sub(r'<[^>]*translate="no"[^>]*>.*?</[^>]+>', " ", html, flags=re.S)
    # What people typed is theirs (the SOP editor shows both languages on purpose).
    html = re.sub(r"<textarea\b.*?</textarea>", " ", html, flags=re.S)
    # The switch to English names itself in English.
    html = re.sub(r'<button[^>]*lang="en"[^>]*>.*?</button>', " ", html, flags=re.S)
    words = set(re.findall(r"[A-Za-z]{3,}", visible_text(html)))
    return words - ALLOWED_LATIN


@pytest.fixture
def chinese_hr(client, db, login_as):
    user = login_as("hr", locale="zh_Hans", name_en="", name_zh="赵静", email=None)
    prop = user.property
    prop.name_en = ""
    factories.person("employee", name_en="", name_zh="钱明", email=None)
    db.session.commit()
    return user


# Each page, the status it must answer and a Chinese phrase of that page's own content.
CHINESE_PAGES = [
    ("/", 200, "赵静，您好"),
    ("/people/", 200, "钱明"),  # the colleague the fixture adds
    ("/people/new", 200, "初始 PIN 码（6 位数字）"),
    ("/audit/", 200, "SOP 已批准"),
    ("/no-such-page", 404, "此页面不存在，或您无权查看。"),
    ("/people/{me}", 200, "员工档案卡（PDF）"),
    ("/people/{me}/edit", 200, "编辑 赵静"),
    ("/sops/?scope=all", 200, "HK-001 客房清洁 客房部 尚未生效"),
    ("/sops/new", 200, "步骤（按顺序）"),
    ("/sops/{sop}", 200, "我已阅读并理解版本 1.0"),
    ("/sops/{sop}/acknowledgements", 200, "3 人中已有 0 人确认阅读"),
    ("/sops/versions/{version}/edit", 200, "编辑 HK-001 版本 1.0"),
]


@pytest.mark.parametrize(
    ("path", "status", "chinese"), CHINESE_PAGES, ids=[page[0] for page in CHINESE_PAGES]
)
def test_chinese_pages_have_no_english_ui_words(client, db, chinese_hr, path, status, chinese):
    from portal.blueprints.sops.models import SopSettings

    # A Chinese-only hotel: its SOPs need no English to be sent for review.
    db.session.add(
        SopSettings(property_id=chinese_hr.property_id, require_en=False, require_zh=True)
    )
    manager = factories.person("manager", prop=chinese_hr.property, name_en="", name_zh="孙经理")
    version = factories.sop(
        number="HK-001",
        prop=chinese_hr.property,
        effective=False,
        title="",
        title_zh="客房清洁",
        author=chinese_hr,
        approver=manager,
    )
    in_force = factories.sop(
        number="HK-002",
        prop=chinese_hr.property,
        title="",
        title_zh="客用品补充",
        author=chinese_hr,
        approver=manager,
    )
    db.session.commit()
    response = client.get(path.format(me=chinese_hr.id, sop=in_force.sop_id, version=version.id))
    assert response.status_code == status, path
    assert '<html lang="zh-Hans">' in response.get_data(as_text=True)
    assert chinese in text_of(response), path
    assert english_words(response) == set(), path


def test_chinese_form_errors_are_translated(client, db, chinese_hr):
    response = client.post_form("/people/new", {"staff_no": "", "pin": "abc"})
    assert response.status_code == 422
    assert english_words(response) == set()
    html = response.get_data(as_text=True)

    def message_under(field: str) -> str:
        found = re.search(rf'<div id="{field}-error"[^>]*>(.*?)</div>', html, re.S)
        assert found, f"no message under {field}"
        return visible_text(found.group(1))

    assert message_under("staff_no") == "请输入工号。"
    assert message_under("pin") == "PIN 码必须是 6 位数字。"


def test_sign_in_page_follows_the_browser_language(client, db):
    zh = client.get("/auth/login", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert "登录" in text_of(zh) and '<html lang="zh-Hans">' in zh.get_data(as_text=True)
    en = client.get("/auth/login", headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert "Sign in" in text_of(en)


def test_a_persons_saved_language_wins_over_the_browser(client, db, login_as):
    login_as("employee", locale="zh_Hans")
    page = client.get("/", headers={"Accept-Language": "en"})
    assert '<html lang="zh-Hans">' in page.get_data(as_text=True)
    assert "我的信息" in text_of(page) and "My details" not in text_of(page)


def test_language_switch_is_saved_on_the_person(client, db, login_as):
    me = login_as("employee")
    response = client.post_form("/auth/language", {"locale": "zh_Hans", "next": "/"})
    assert response.status_code == 303
    db.session.refresh(me)
    assert me.locale == "zh_Hans"
    assert '<html lang="zh-Hans">' in client.get("/").get_data(as_text=True)


def test_language_chosen_before_sign_in_does_not_survive_into_the_session(client, db):
    person = factories.person("employee")  # never chose a language
    client.post_form("/auth/language", {"locale": "zh_Hans"})
    assert '<html lang="zh-Hans">' in client.get("/auth/login").get_data(as_text=True)
    client.sign_in(person.staff_no, factories.PIN, headers={"Accept-Language": "en"})
    page = client.get("/", headers={"Accept-Language": "en"})
    assert '<html lang="en">' in page.get_data(as_text=True)


def test_terminal_default_language(client, db, app):
    term, key = factories.terminal(default_locale="zh_Hans")
    client.use_terminal(term, key)
    page = client.get("/auth/login", headers={"Accept-Language": "en"})
    assert '<html lang="zh-Hans">' in page.get_data(as_text=True)
    assert term.name in text_of(page)


def test_dates_follow_the_locale(client, db, login_as):
    from datetime import date

    person = factories.person("employee", hire_date=date(2026, 11, 23))
    login_as("hr", locale="en")
    assert "23 Nov 2026" in text_of(client.get(f"/people/{person.id}"))
    client.post_form("/auth/language", {"locale": "zh_Hans"})
    assert "2026-11-23" in text_of(client.get(f"/people/{person.id}"))


def test_chinese_font_stack_is_in_the_css():
    css = Path(ROOT / "portal/static/css/portal.css").read_text()
    assert '"Noto Sans CJK SC"' in css and '"PingFang SC"' in css and '"Microsoft YaHei"' in css


def test_the_templates_catalogue_follows_a_forced_locale(app):
    """Templates look the catalogue up once per request; a document rendered in its own
    language (force_locale) within the same request gets that language, and the page after it
    its own again."""
    from flask import render_template_string
    from flask_babel import force_locale

    page = "{{ _('Sign out') }}"
    with app.test_request_context("/", headers={"Accept-Language": "zh-CN"}):
        assert render_template_string(page) == "退出登录"
        with force_locale("en"):
            assert render_template_string(page) == "Sign out"
        assert render_template_string(page) == "退出登录"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert render_template_string(page) == "Sign out"
        with force_locale("zh_Hans"):
            assert render_template_string(page) == "退出登录"


@pytest.mark.parametrize("locale", ["en", "zh_Hans"])
def test_dates_and_times_are_written_as_babel_writes_them(app, locale):
    """fmt_date and fmt_datetime write the fixed patterns without Babel's pattern machinery:
    the same text as Babel, in every month, across midnight and a daylight-saving change of
    the properties' zone, for stored (UTC, naive or aware) times and for dates."""
    from datetime import UTC, date, datetime, timedelta

    from flask_babel import force_locale, format_date, format_datetime

    from portal.i18n import fmt_date, fmt_datetime, is_chinese

    patterns = {
        "en": ("d MMM yyyy", "d MMM yyyy, HH:mm"),
        "zh_Hans": ("yyyy-MM-dd", "yyyy-MM-dd HH:mm"),
    }[locale]
    moments = [datetime(2026, month, 1, 15, 59, tzinfo=UTC) for month in range(1, 13)]
    moments += [datetime(1999, 12, 31, 23, 0), datetime(2026, 3, 28, 16, 30)]  # naive: UTC
    moments += [datetime(2026, 10, 25, 0, 30, tzinfo=UTC) + timedelta(hours=h) for h in range(4)]
    kept = app.config["PORTAL_TIMEZONE"]
    for zone in ("Asia/Shanghai", "Europe/London"):
        app.config["PORTAL_TIMEZONE"] = zone
        try:
            with app.test_request_context("/"), force_locale(locale):
                assert is_chinese() is (locale == "zh_Hans")
                for moment in moments:
                    assert fmt_datetime(moment) == format_datetime(moment, patterns[1])
                    assert fmt_date(moment) == format_date(_as_local(moment), patterns[0])
                    day = moment.date()
                    assert fmt_date(day) == format_date(day, patterns[0])
                assert fmt_date(date(2026, 9, 5)) == (
                    "5 Sep 2026" if locale == "en" else "2026-09-05"
                )
        finally:
            app.config["PORTAL_TIMEZONE"] = kept


def _as_local(moment):
    from flask_babel import to_user_timezone

    return to_user_timezone(moment).date()

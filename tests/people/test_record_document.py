"""The staff record card is printed in the employee's language (both languages when they chose
none), whatever the screen language of the person in HR who prints it."""

import io
import re

from pypdf import PdfReader

from tests import factories


def printed(client, person) -> str:
    response = client.get(f"/people/{person.id}/record.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    return re.sub(r"\s+", " ", text)


def test_a_chinese_speakers_card_printed_from_an_english_session(client, db, login_as):
    hr = login_as("hr", locale="en", name_en="Grace Lin", name_zh="林佳")
    person = factories.person(
        "employee", name_zh="王秀英", name_en="Wang Xiuying", locale="zh_Hans"
    )
    text = printed(client, person)
    for chinese in ("员工档案卡", "工号", "客房部", "员工签名", "第 1 页，共 1 页", "由 林佳 于"):
        assert chinese in text, chinese
    for english in ("Staff record card", "Staff number", "Housekeeping", "Page 1", "Grace Lin"):
        assert english not in text, english
    assert hr.name_zh in text


def test_an_english_speakers_card_printed_from_a_chinese_session(client, db, login_as):
    login_as("hr", locale="zh_Hans", name_en="Grace Lin", name_zh="林佳")
    person = factories.person("employee", name_zh="王秀英", name_en="Wang Xiuying", locale="en")
    text = printed(client, person)
    for english in (
        "Staff record card",
        "Staff number",
        "Housekeeping",
        "Page 1 of 1",
        "Printed by Grace Lin",
    ):
        assert english in text, english
    for chinese in ("员工档案卡", "工号", "客房部", "页", "林佳"):
        assert chinese not in text, chinese


def test_a_card_without_a_chosen_language_is_bilingual(client, db, login_as):
    login_as("hr", locale="en")
    person = factories.person("employee", name_zh="王秀英", name_en="Wang Xiuying")
    text = printed(client, person)
    assert "Staff record card" in text and "员工档案卡" in text
    assert "Staff number 工号" in text and "Housekeeping / 客房部" in text
    assert "Page 1 of 1 / 第 1 页，共 1 页" in text

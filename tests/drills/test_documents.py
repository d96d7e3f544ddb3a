"""Drill documents read back from the PDF: a plan in the language asked for (its text in each
script, its version), a closed drill's report with the fire-code fields, the timings and the
roll call by department; none for a record still open."""

import io
import re

from pypdf import PdfReader

from portal.blueprints.drills import services
from tests import factories
from tests.conftest import text_of
from tests.drills import helpers


def printed(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    return re.sub(r"\s+", " ", text)


def test_a_plan_prints_in_chinese_english_or_both(client, db, login_as):
    employee = login_as("employee")
    plan = helpers.plan(
        employee.property, code="FIRE-01", texts={"rescue_zh": "引导员带领人员到集合点"}
    )
    db.session.commit()
    chinese = printed(client, f"/drills/plans/{plan.id}/plan.pdf?lang=zh")
    assert "火灾与疏散" in chinese and "引导员带领人员到集合点" in chinese
    assert "各阶段措施" in chinese and "Measures" not in chinese
    assert "打印件为非受控文件" in chinese  # a controlled document
    both = printed(client, f"/drills/plans/{plan.id}/plan.pdf?lang=both")
    assert "Fire and evacuation" in both and "火灾与疏散" in both and "FIRE-01" in both
    assert client.get(f"/drills/plans/{plan.id}/plan.pdf?lang=fr").status_code == 400


def test_a_closed_drill_reports_every_fire_code_field(app, client, db, login_as):
    hr = login_as("hr", dept="HR")
    prop = hr.property
    keeper = helpers.keeper(prop)
    drill = helpers.ended(prop, by=keeper, seconds=263)
    housekeeper = factories.person(prop=prop, dept="HK", name_en="Lan Roll")
    with app.test_request_context():
        services.account_for(drill, housekeeper, True, by=keeper)
        services.save_record(
            drill,
            {**helpers.COMPLETE, "weather": "小雨，22°C", "problems": "东侧楼梯警报声小"},
            by=keeper,
            expected_version=None,
        )
        services.close(drill, by=keeper)
    db.session.commit()
    report = printed(client, f"/drills/{drill.id}/report.pdf?lang=zh")
    for text in ("演练报告", "疏散时间: 4分23秒", "在目标时间 5分00秒 以内", "小雨，22°C"):
        assert text in report, text
    assert "东侧楼梯警报声小" in report and "Alarm bells and PA" in report  # as typed
    assert "客房部 1" in report  # the roll call by department: Housekeeping, 1 accounted for
    assert "53" in report  # people evacuated
    english = printed(client, f"/drills/{drill.id}/report.pdf?lang=en")
    assert "Evacuation time: 4 min 23 s" in english and "演练报告" not in english


def test_no_report_while_the_record_is_open(client, db, login_as):
    hr = login_as("hr", dept="HR")
    drill = helpers.ended(hr.property)
    db.session.commit()
    response = client.get(f"/drills/{drill.id}/report.pdf")
    assert response.status_code == 303
    assert "printed once the record is closed" in text_of(client.get(response.headers["Location"]))

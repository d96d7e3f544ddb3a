"""Training documents read back from the PDF: a session's sign-in sheet (the people with a seat,
in both scripts, by department) and a person's training record (the sessions they attended, with
score and result); each in the language asked for, for those allowed only, printed again when
what it shows changes."""

import io
import re
from datetime import timedelta

import pytest
from pypdf import PdfReader

from portal.blueprints.training import documents, services
from portal.blueprints.training.models import Enrolment, EnrolmentStatus
from portal.blueprints.training.print_views import transcript_link
from portal.database import utcnow
from portal.extensions import db as _db
from tests import factories
from tests.training import helpers

TOO_BIG = 2**63


def pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def printed(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/pdf"
    return flat(pdf_text(response.data))


def place(session, person, status: str) -> Enrolment:
    """A waiting or cancelled place, written as the services leave it."""
    enrolment = Enrolment(
        session_id=session.id, person_id=person.id, status=status, enrolled_by_id=person.id
    )
    if status == EnrolmentStatus.CANCELLED:
        enrolment.cancelled_at = utcnow()
    _db.session.add(enrolment)
    _db.session.flush()
    return enrolment


# --- the sign-in sheet ----------------------------------------------------------------------
@pytest.fixture
def sheet(db):
    """A session at the test hotel run by an HK supervisor: two HK people and one FO person
    seated, one waiting, one cancelled."""
    prop = factories.property_()
    hr = factories.person("hr", prop=prop, dept="HR", name_en="Grace Lin", name_zh="林佳")
    trainer = factories.person(
        "supervisor", prop=prop, dept="HK", name_en="Trainer Tan", name_zh="谭培训"
    )
    programme = helpers.programme(prop, by=hr, title_en="Towel folding", title_zh="毛巾折叠")
    session = helpers.session(
        prop, by=hr, trainer=trainer, programme_=programme, capacity=10, room="Ballroom B"
    )
    people = {
        "hk2": factories.person("employee", prop=prop, dept="HK", staff_no="H0200",
                                name_en="Wang Xiuying", name_zh="王秀英"),
        "hk1": factories.person("employee", prop=prop, dept="HK", staff_no="H0100",
                                name_en="Zhao Min", name_zh="赵敏"),
        "fo": factories.person("employee", prop=prop, dept="FO", staff_no="F0900",
                               name_en="Li Lei", name_zh="李雷"),
        "waiting": factories.person("employee", prop=prop, dept="HK", name_en="Wait Ing",
                                    name_zh="候补者"),
        "cancelled": factories.person("employee", prop=prop, dept="HK", name_en="Gone Away",
                                      name_zh="已取消"),
    }  # fmt: skip
    seats = {key: helpers.seat(session, people[key], by=hr) for key in ("hk2", "hk1", "fo")}
    place(session, people["waiting"], EnrolmentStatus.WAITING)
    place(session, people["cancelled"], EnrolmentStatus.CANCELLED)
    db.session.commit()
    return type(
        "Sheet",
        (),
        {"prop": prop, "hr": hr, "trainer": trainer, "session": session, "seats": seats,
         "people": people, "url": f"/training/sessions/{session.id}/sign-in.pdf"},
    )  # fmt: skip


def test_the_sign_in_sheet_lists_the_seated_in_both_scripts_by_department(client, sheet, login_as):
    login_as("hr", dept="HR", locale="en")
    text = printed(client, sheet.url + "?lang=both")
    for shown in ("王秀英", "Wang Xiuying", "赵敏", "Zhao Min", "李雷", "Li Lei", "H0100"):
        assert shown in text, shown
    for absent in ("Wait Ing", "候补者", "Gone Away", "已取消"):
        assert absent not in text, absent
    # Front Office comes before Housekeeping (the departments' order); then staff numbers.
    assert text.index("Li Lei") < text.index("Zhao Min") < text.index("Wang Xiuying")
    for header in ("Test Hotel TST", "测试酒店", "Towel folding", "毛巾折叠", "Ballroom B"):
        assert header in text, header
    assert "Trainer Tan / 谭培训" in text
    start = services.to_local(sheet.session.starts_at)
    assert f"{start:%H:%M}" in text and start.strftime("%Y-%m-%d") in text
    assert "Staff number 工号" in text and "Signature" in text
    # Three seated, then the blank rows for walk-ins, numbered on.
    assert " ".join(str(n) for n in range(4, 4 + documents.WALK_IN_ROWS)) in text


def test_the_sheet_language_changes_its_headings(client, sheet, login_as):
    login_as("hr", dept="HR", locale="en")
    zh = printed(client, sheet.url + "?lang=zh")
    for chinese in ("工号", "中文姓名", "英文姓名", "部门", "培训师", "地点", "客房部", "前厅部"):
        assert chinese in zh, chinese
    assert "培训师 谭培训" in zh  # the trainer's name in Chinese
    # (New labels show in English until the lead translates them: only translated ones here.)
    for english in ("Staff number", "Name in Chinese", "Department", "Housekeeping", "Trainer Tan"):
        assert english not in zh, english
    assert "王秀英" in zh and "Wang Xiuying" in zh  # both name columns, in any language
    en = printed(client, sheet.url + "?lang=en")
    for english in ("Staff number", "Name in Chinese", "Name in English", "Housekeeping"):
        assert english in en, english
    for chinese in ("工号", "中文姓名", "客房部", "谭培训"):
        assert chinese not in en, chinese
    assert client.get(sheet.url).status_code == 200  # both languages by default
    assert client.get(sheet.url + "?lang=fr").status_code == 400


def test_who_may_print_the_sign_in_sheet(client, sheet, login_as, db):
    other = factories.property_("OTH")
    elsewhere = helpers.session(other)
    db.session.commit()
    login_as("employee", dept="HK")
    assert client.get(sheet.url).status_code == 403  # sees the session, not everyone's seat
    assert client.get(f"/training/sessions/{elsewhere.id}/sign-in.pdf").status_code == 404
    assert client.get(f"/training/sessions/{TOO_BIG}/sign-in.pdf").status_code == 404
    assert client.get("/training/sessions/999999/sign-in.pdf").status_code == 404


@pytest.mark.parametrize(
    ("role", "dept", "status"),
    [
        ("hr", "HR", 200),
        ("manager", "FO", 200),
        ("supervisor", "FO", 200),  # supervises Li Lei, who has a seat
        ("supervisor", "HR", 403),  # nobody of theirs has a seat; not their trainer
    ],
)
def test_the_sheet_for_each_role(client, sheet, login_as, role, dept, status):
    login_as(role, dept=dept)
    assert client.get(sheet.url + "?lang=en").status_code == status
    page = client.get(f"/training/sessions/{sheet.session.id}").get_data(as_text=True)
    assert ('id="sign-in-sheet"' in page) == (status == 200)
    assert (f'href="{sheet.url}?lang=zh"' in page) == (status == 200)


def test_the_trainer_prints_their_own_sheet(client, sheet, db):
    trainer = factories.person("employee", prop=sheet.prop, dept="FO")
    sheet.session.trainer_id = trainer.id
    db.session.commit()
    client.sign_in(trainer.staff_no, factories.PIN)
    assert client.get(sheet.url).status_code == 200


def test_a_reprinted_sheet_shows_a_cancelled_seat_gone(client, sheet, login_as, db):
    login_as("hr", dept="HR")
    first = client.get(sheet.url + "?lang=en").data
    assert client.get(sheet.url + "?lang=en").data == first  # nothing changed: the same PDF
    assert "Li Lei" in pdf_text(first)
    seat = db.session.get(Enrolment, sheet.seats["fo"].id)
    seat.status = EnrolmentStatus.CANCELLED
    person = sheet.people["hk1"]
    person.name_en = "Zhao Minmin"
    db.session.commit()
    again = flat(pdf_text(client.get(sheet.url + "?lang=en").data))
    assert "Li Lei" not in again and "Zhao Minmin" in again


def test_the_sheets_inputs_follow_what_it_shows(ctx, sheet, db):
    before = documents.sign_in_document(sheet.session, "both")
    assert documents.sign_in_document(sheet.session, "both").inputs == before.inputs
    assert documents.sign_in_document(sheet.session, "zh").inputs != before.inputs
    sheet.session.room = "Ballroom C"
    assert documents.sign_in_document(sheet.session, "both").inputs != before.inputs


def test_the_sheet_takes_the_same_queries_for_more_seats(
    client, sheet, login_as, db, count_queries
):
    login_as("hr", dept="HR")
    with count_queries() as few:
        client.get(sheet.url + "?lang=en")
    for _ in range(6):
        helpers.seat(sheet.session, factories.person("employee", prop=sheet.prop, dept="FO"))
    db.session.commit()
    with count_queries() as more:
        assert client.get(sheet.url + "?lang=en").status_code == 200
    assert more.count == few.count


def test_a_long_sheet_repeats_its_header_on_every_page(client, sheet, login_as, db):
    sheet.session.capacity = 60
    for _ in range(40):
        helpers.seat(sheet.session, factories.person("employee", prop=sheet.prop, dept="FO"))
    db.session.commit()
    login_as("hr", dept="HR")
    response = client.get(sheet.url + "?lang=en")
    pages = [flat(p.extract_text()) for p in PdfReader(io.BytesIO(response.data)).pages]
    assert len(pages) >= 2
    assert all("Staff number" in page and "Signature" in page for page in pages)


# --- the training record --------------------------------------------------------------------
def past_session(prop, hr, title_en, title_zh, *, days_ago, pass_mark=70, hours=2):
    programme = helpers.programme(
        prop, by=hr, title_en=title_en, title_zh=title_zh, pass_mark=pass_mark
    )
    return helpers.session(
        prop, by=hr, programme_=programme, starts_in=-timedelta(days=days_ago), hours=hours
    )


@pytest.fixture
def record(db):
    """Wang Xiuying (HK, reads Chinese): present with 80 (passed) at Fire safety, late with 50
    (not passed) at Guest greeting, absent then corrected to present at Key control (no
    assessment); absent at Lost property, present then corrected to absent at Minibar, present
    at a session still running."""
    prop = factories.property_()
    hr = factories.person("hr", prop=prop, dept="HR")
    person = factories.person(
        "employee", prop=prop, dept="HK", staff_no="H0777", name_en="Wang Xiuying",
        name_zh="王秀英", locale="zh_Hans",
    )  # fmt: skip

    def marked(session, *marks, score=None):
        seat = helpers.seat(session, person, by=hr)
        for mark in marks:
            services.record_attendance(seat, by=hr, mark=mark)
        if score is not None:
            services.record_attendance(seat, by=hr, score=score)
        return seat

    seats = {
        "fire": marked(past_session(prop, hr, "Fire safety", "消防安全", days_ago=30), "present",
                       score=80),
        "greeting": marked(past_session(prop, hr, "Guest greeting", "迎宾礼仪", days_ago=10),
                           "late", score=50),
        "keys": marked(past_session(prop, hr, "Key control", "钥匙管理", days_ago=20,
                                    pass_mark=None), "absent", "present"),
        "lost": marked(past_session(prop, hr, "Lost property", "失物招领", days_ago=5), "absent"),
        "minibar": marked(past_session(prop, hr, "Minibar check", "迷你吧检查", days_ago=3),
                          "present", "absent"),
        "running": marked(helpers.running_session(prop, by=hr, programme_=helpers.programme(
            prop, by=hr, title_en="Still running", title_zh="进行中")), "present"),
    }  # fmt: skip
    db.session.commit()
    return type(
        "Record",
        (),
        {"prop": prop, "hr": hr, "person": person, "seats": seats,
         "url": f"/training/people/{person.id}/record.pdf"},
    )  # fmt: skip


def test_the_record_lists_what_was_attended_with_score_and_result(client, record, login_as):
    login_as("hr", dept="HR", locale="zh_Hans")
    text = printed(client, record.url + "?lang=en")
    for shown in ("Wang Xiuying", "王秀英", "H0777", "Housekeeping", "Training record"):
        assert shown in text, shown
    for attended in ("Fire safety", "Guest greeting", "Key control"):
        assert attended in text, attended
    for missed in ("Lost property", "Minibar check", "Still running"):
        assert missed not in text, missed
    # Newest first.
    assert text.index("Guest greeting") < text.index("Key control") < text.index("Fire safety")
    assert re.search(r"Guest greeting .*Late 50 Not passed", text)
    assert re.search(r"Fire safety .*Present 80 Passed", text)
    assert re.search(r"Key control .*Present — —", text)
    assert "3 sessions attended" in text and "1 of 2 assessed passed" in text


def test_the_record_is_printed_in_the_persons_language_by_default(client, record, login_as):
    login_as("hr", dept="HR", locale="en")
    zh = printed(client, record.url)
    for chinese in ("工号", "部门", "职位", "客房部", "消防安全", "出席", "迟到", "通过", "未通过"):
        assert chinese in zh, chinese
    for english in ("Staff number", "Housekeeping", "Fire safety", "Present", "Passed"):
        assert english not in zh, english
    both = printed(client, record.url + "?lang=both")
    assert "Staff number 工号" in both and "Housekeeping / 客房部" in both
    assert "Fire safety" in both and "消防安全" in both
    assert client.get(record.url + "?lang=fr").status_code == 400


def test_an_empty_record_says_so(client, db, login_as):
    person = login_as("employee", locale="en")
    text = printed(client, f"/training/people/{person.id}/record.pdf")
    assert "No training attended yet." in text and "0 sessions attended" in text


@pytest.mark.parametrize(
    ("role", "dept", "status"),
    [
        ("employee", "HK", 403),  # someone else's record
        ("supervisor", "FO", 403),  # another department
        ("supervisor", "HK", 200),  # theirs
        ("hr", "HR", 200),
        ("manager", "FO", 200),
    ],
)
def test_who_may_print_a_training_record(client, record, login_as, role, dept, status):
    login_as(role, dept=dept)
    assert client.get(record.url).status_code == status


def test_a_record_elsewhere_or_out_of_range_is_not_found(client, record, login_as, db):
    other = factories.property_("OTH")
    login_as("hr", prop=other, dept="HR")
    assert client.get(record.url).status_code == 404
    assert client.get(f"/training/people/{TOO_BIG}/record.pdf").status_code == 404
    assert client.get("/training/people/999999/record.pdf").status_code == 404


def test_the_person_prints_their_own_record_and_the_link_says_who_may(client, record, db, login_as):
    client.sign_in(record.person.staff_no, factories.PIN)
    assert client.get(record.url).status_code == 200
    other = factories.person("employee", prop=record.prop, dept="HK")
    with client.application.test_request_context():
        link = transcript_link(record.person, record.person)
        assert link.url == record.url
        assert transcript_link(other, record.person) is None
        assert transcript_link(record.hr, record.person) is not None


def test_a_reprinted_record_shows_a_corrected_mark(client, record, login_as, db):
    login_as("hr", dept="HR")
    first = client.get(record.url + "?lang=en").data
    assert client.get(record.url + "?lang=en").data == first  # nothing changed: the same PDF
    assert "Lost property" not in pdf_text(first)
    hr = db.session.get(type(record.hr), record.hr.id)
    lost = db.session.get(Enrolment, record.seats["lost"].id)
    services.record_attendance(lost, by=hr, mark="late", reason="arrived after the roll call")
    services.record_attendance(lost, by=hr, score=95)
    fire = db.session.get(Enrolment, record.seats["fire"].id)
    services.record_attendance(fire, by=hr, score=60)
    db.session.commit()
    again = flat(pdf_text(client.get(record.url + "?lang=en").data))
    assert re.search(r"Lost property .*Late 95 Passed", again)
    assert re.search(r"Fire safety .*Present 60 Not passed", again)
    assert "4 sessions attended" in again and "1 of 3 assessed passed" in again


def test_the_record_takes_the_same_queries_for_more_sessions(
    client, record, login_as, db, count_queries
):
    login_as("hr", dept="HR")
    with count_queries() as few:
        client.get(record.url)
    for n in range(5):
        session = past_session(record.prop, record.hr, f"Extra {n}", f"额外{n}", days_ago=40 + n)
        seat = helpers.seat(session, record.person, by=record.hr)
        services.record_attendance(seat, by=record.hr, mark="present")
    db.session.commit()
    with count_queries() as more:
        assert client.get(record.url).status_code == 200
    assert more.count == few.count

"""The compliance matrix as a PDF (/training/compliance.pdf), read back: the people of the
viewer's scope and the page's department filter, each programme's status in words in the
language asked for, the key of the numbered columns, who printed it; refused to employees; a
large property still renders."""

import io
import itertools
import re
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from portal import pdfcache
from portal.blueprints.people.models import User
from portal.blueprints.training import documents
from portal.blueprints.training.models import Attendance, Enrolment, EnrolmentStatus, Programme
from portal.database import utcnow
from portal.extensions import db as _db
from tests import factories
from tests.training import helpers
from tests.training.test_compliance import backdate, took

URL = "/training/compliance.pdf"


def pdf_pages(data: bytes) -> list[str]:
    return [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(io.BytesIO(data)).pages]


def printed(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/pdf"
    return " ".join(pdf_pages(response.data))


def staff(prop, dept, staff_no, name_en, name_zh, *, joined_days_ago=800):
    return factories.person(
        "employee", prop=prop, dept=dept, staff_no=staff_no, name_en=name_en, name_zh=name_zh,
        hire_date=date.today() - timedelta(days=joined_days_ago),
    )  # fmt: skip


@pytest.fixture
def hotel(db):
    """Hand hygiene (monthly) for every employee, Fire warden (yearly) for Housekeeping's:
    Zhao Min (HK) took hand hygiene 3 days ago, Wang Xiuying (HK) never took anything, Li Lei
    (FO) took hand hygiene 40 days ago."""
    prop = factories.property_()
    hr = factories.person("hr", prop=prop, dept="HR", name_en="Grace Lin", name_zh="林佳")
    hand = helpers.programme(
        prop, by=hr, title_en="Hand hygiene", title_zh="手部卫生", roles=["employee"],
        pass_mark=None,
    )  # fmt: skip
    warden = helpers.programme(
        prop, by=hr, title_en="Fire warden", title_zh="消防督导", roles=["employee"],
        cadence="yearly", pass_mark=None,
        department_ids=[factories.department(prop, "HK").id],
    )  # fmt: skip
    backdate(hand, 400)
    backdate(warden, 400)
    people = {
        "zhao": staff(prop, "HK", "H0100", "Zhao Min", "赵敏"),
        "wang": staff(prop, "HK", "H0200", "Wang Xiuying", "王秀英"),
        "li": staff(prop, "FO", "F0900", "Li Lei", "李雷"),
    }
    took(hand, people["zhao"], days_ago=3)
    took(hand, people["li"], days_ago=40)
    db.session.commit()
    return type(
        "Hotel",
        (),
        {"prop": prop, "hr": hr, "hand": hand, "warden": warden, "people": people,
         "hk": factories.department(prop, "HK"), "fo": factories.department(prop, "FO")},
    )  # fmt: skip


def test_the_pdf_holds_everyone_with_their_status_in_words(client, hotel, login_as):
    viewer = login_as("hr", dept="HR", name_en="Printing Person", locale="zh_Hans")
    text = printed(client, URL + "?lang=en")
    for shown in ("Test Hotel TST", "Training compliance", "All departments", "Per department"):
        assert shown in text, shown
    for shown in ("Zhao Min", "Wang Xiuying", "Li Lei", "H0100", "H0200", "F0900"):
        assert shown in text, shown
    # The other script in small type beside the name; departments in the document's language.
    assert "赵敏" in text and "Housekeeping" in text and "Front Office" in text
    for status in ("Done", "Overdue", "Never taken"):
        assert status in text, status
    assert "—" in text  # Fire warden is not required in Front Office
    # The columns are numbered in the matrix's order (by title), the key says which is which.
    assert "1 = Fire warden (Every year)" in text
    assert "2 = Hand hygiene (Every month)" in text
    # Behind / required per programme: Fire warden 2 / 2 (HK), Hand hygiene 2 / 3 (Wang, Li).
    assert re.search(r"Behind / required 2 / 2 2 / 3", text), text
    assert re.search(r"Housekeeping 2 2 25% \(1 of 4\)", text), text
    # A personal document: who printed it (in the document's language) and when.
    assert f"Printed by {viewer.name_en} at" in text
    assert "Uncontrolled" not in text


def test_the_pdf_speaks_the_language_asked_for(client, hotel, login_as):
    login_as("hr", dept="HR", locale="en")
    zh = printed(client, URL + "?lang=zh")
    for chinese in ("培训达标情况", "全部部门", "从未参加", "已完成", "已逾期", "客房部", "赵敏"):
        assert chinese in zh, chinese
    assert "1 = 消防督导" in zh and "手部卫生" in zh
    for english in ("Training compliance", "Never taken", "Done", "Housekeeping", "All depart"):
        assert english not in zh, english
    assert "Zhao Min" in zh  # the other script, in small type
    both = printed(client, URL + "?lang=both")
    for shown in ("Training compliance", "培训达标情况", "Never taken", "从未参加", "王秀英"):
        assert shown in both, shown
    assert client.get(URL + "?lang=fr").status_code == 400
    assert client.get(URL + "?lang=").status_code == 200


@pytest.mark.parametrize(("locale", "expected"), [("zh_Hans", "从未参加"), ("en", "Never taken")])
def test_the_viewers_language_is_the_default(client, hotel, login_as, locale, expected):
    login_as("manager", dept="FO", locale=locale)
    text = printed(client, URL)
    assert expected in text
    assert ("Never taken" in text) == (locale == "en")


def test_no_language_chosen_prints_both(client, hotel, login_as):
    login_as("hr", dept="HR")
    text = printed(client, URL)
    assert "Never taken" in text and "从未参加" in text


def test_a_supervisor_prints_only_their_departments_people(client, hotel, login_as):
    login_as("supervisor", dept="HK", locale="en")
    text = printed(client, URL + "?lang=en")
    assert "Zhao Min" in text and "Wang Xiuying" in text
    assert "Li Lei" not in text and "F0900" not in text
    assert "All departments" not in text and "Housekeeping" in text  # their departments, named
    # Another department in the filter is not theirs: the filter falls back to their own.
    again = printed(client, URL + f"?lang=en&department={hotel.fo.id}")
    assert "Li Lei" not in again and "Zhao Min" in again


def test_the_department_filter_narrows_the_matrix(client, hotel, login_as):
    login_as("hr", dept="HR", locale="en")
    text = printed(client, URL + f"?lang=en&department={hotel.fo.id}")
    assert "Li Lei" in text and "Overdue" in text
    assert "Zhao Min" not in text and "Wang Xiuying" not in text
    assert "All departments" not in text and "Fire warden" not in text
    # An unknown department is no filter (as the page).
    assert "Zhao Min" in printed(client, URL + "?lang=en&department=999999")


def test_who_may_print_the_matrix(client, hotel, login_as):
    login_as("employee", dept="HK")
    assert client.get(URL).status_code == 403


def test_the_page_offers_the_pdf_with_its_filter(client, hotel, login_as):
    login_as("hr", dept="HR", locale="en")
    page = client.get(f"/training/compliance?department={hotel.hk.id}").get_data(as_text=True)
    assert f'href="{URL}?department={hotel.hk.id}"' in page
    assert f'href="{URL}"' in client.get("/training/compliance").get_data(as_text=True)


def test_a_reprint_shows_what_changed(client, hotel, login_as, db, monkeypatch):
    """Personal, not cached: the next print (once the browser's own refetch is past) reads
    the matrix again."""
    monkeypatch.setattr(pdfcache, "HANDED_OVER_SECONDS", -1)
    login_as("hr", dept="HR", locale="en")
    first = printed(client, URL + "?lang=en")
    assert re.search(r"Behind / required 2 / 2 2 / 3", first), first
    hand = db.session.get(Programme, hotel.hand.id)
    took(hand, db.session.get(User, hotel.people["wang"].id), days_ago=1)
    db.session.commit()
    again = printed(client, URL + "?lang=en")
    assert re.search(r"Behind / required 2 / 2 1 / 3", again), again


def test_an_empty_matrix_says_so(client, db, login_as):
    login_as("hr", dept="HR", locale="en")
    text = printed(client, URL + "?lang=en")
    assert "No programme is required of these people yet." in text


def test_many_programmes_are_split_into_tables_of_readable_width():
    parts = documents.matrix_parts(list(range(20)))
    assert [(p.first, p.last) for p in parts] == [(1, 10), (11, 20)]
    assert [len(p.columns) for p in documents.matrix_parts(list(range(12)))] == [12]
    assert [len(p.columns) for p in documents.matrix_parts(list(range(13)))] == [7, 6]
    assert documents.matrix_parts([]) == []


# --- a large property ---------------------------------------------------------------------------
FAMILIES = [
    ("Wang", "王"), ("Li", "李"), ("Zhang", "张"), ("Liu", "刘"), ("Chen", "陈"),
    ("Yang", "杨"), ("Huang", "黄"), ("Zhao", "赵"), ("Wu", "吴"), ("Zhou", "周"),
]  # fmt: skip
GIVEN = [
    ("Xiuying", "秀英"), ("Min", "敏"), ("Wei", "伟"), ("Fang", "芳"), ("Jing", "静"),
    ("Lei", "雷"), ("Qiang", "强"), ("Yan", "燕"), ("Jun", "军"),
]  # fmt: skip
PROGRAMMES = [
    ("Hand hygiene", "手部卫生", "monthly"),
    ("Fire safety and evacuation drill", "消防安全与疏散演练", "yearly"),
    ("Guest greeting and telephone etiquette", "迎宾与电话礼仪", "quarterly"),
    ("Key control", "钥匙管理", "yearly"),
    ("Chemical handling (COSHH)", "化学品安全使用", "yearly"),
    ("Lost and found procedure", "失物招领流程", "once"),
    ("Manual handling and lifting", "搬运与提举安全", "yearly"),
    ("Food allergen awareness", "食物过敏原知识", "quarterly"),
    ("First aid basics", "急救基础", "yearly"),
    ("Data privacy for guest records", "宾客资料隐私保护", "yearly"),
    ("Complaint handling", "投诉处理", "quarterly"),
    ("Minibar check and billing", "迷你吧检查与计费", "monthly"),
    ("Pool and spa safety", "泳池与水疗安全", "yearly"),
    ("Anti-bribery and gifts policy", "反贿赂与礼品政策", "once"),
    ("Towel folding", "毛巾折叠", "monthly"),
    ("Emergency lighting check", "应急照明检查", "quarterly"),
    ("Night audit basics", "夜审基础", "yearly"),
    ("VIP arrival standards", "贵宾抵店标准", "quarterly"),
    ("Bed making standard", "铺床标准", "monthly"),
    ("Security awareness and suspicious items", "安全意识与可疑物品", "yearly"),
]


_hours = itertools.count(1)


def _attended(prop, hr, programme, people, days_ago):
    """`people` were present at a session of `programme` that ended `days_ago` days ago
    (written directly: hundreds of marks through the services would take minutes)."""
    for start in range(0, len(people), 200):
        group = people[start : start + 200]
        session = helpers.session(
            prop, programme_=programme, by=hr, capacity=200,
            starts_in=timedelta(days=-days_ago, hours=-3 * next(_hours)),  # one trainer
        )  # fmt: skip
        seats = [
            Enrolment(session_id=session.id, person_id=p.id, status=EnrolmentStatus.ENROLLED,
                      enrolled_by_id=hr.id, seated_at=utcnow())
            for p in group
        ]  # fmt: skip
        session.seats_taken = len(seats)
        _db.session.add_all(seats)
        _db.session.flush()
        _db.session.add_all(
            Attendance(enrolment_id=s.id, session_id=session.id, mark="present",
                       recorded_by_id=hr.id)
            for s in seats
        )  # fmt: skip
    _db.session.flush()


def build_hotel(n_people: int, n_programmes: int):
    """A property with `n_people` employees in Housekeeping and Front Office and
    `n_programmes` programmes for employees (every fourth for Housekeeping only); people
    took the first six some days ago, some joined recently (to take, due soon)."""
    prop = factories.property_()
    hr = factories.person("hr", prop=prop, dept="HR")
    hk = factories.department(prop, "HK")
    programmes = []
    for i, (en, zh, cadence) in enumerate((PROGRAMMES * 2)[:n_programmes]):
        programme = helpers.programme(
            prop, by=hr, title_en=en if i < len(PROGRAMMES) else f"{en} (advanced)",
            title_zh=zh if i < len(PROGRAMMES) else f"{zh}（进阶）", cadence=cadence,
            roles=["employee"], pass_mark=None,
            department_ids=[hk.id] if i % 4 == 3 else [],
        )  # fmt: skip
        backdate(programme, 400)
        programmes.append(programme)
    people = []
    for j in range(n_people):
        family, given = FAMILIES[j % len(FAMILIES)], GIVEN[j // len(FAMILIES) % len(GIVEN)]
        joined = {9: 10, 8: 26}.get(j % 10, 800)
        people.append(
            staff(prop, ("HK", "FO")[j % 2], f"S{j:04d}", f"{family[0]} {given[0]}",
                  family[1] + given[1], joined_days_ago=joined)
        )  # fmt: skip
    for i, programme in enumerate(programmes[:6]):
        _attended(prop, hr, programme, [p for j, p in enumerate(people) if (i + j) % 3 == 0], 3)
        _attended(prop, hr, programme, [p for j, p in enumerate(people) if (i + j) % 3 == 1], 40)
    return type("Built", (), {"prop": prop, "programmes": programmes, "people": people})


# 500 people x 20 programmes take about 45 s to render in English (55 pages) and more than the
# production PDF_TIMEOUT (60 s) in both languages: the suite prints a smaller property.
LARGE = (60, 20)


def test_a_large_property_renders(client, db, login_as):
    """Many people x 20 programmes: two tables of ten programmes, each with every person, the
    header on every page."""
    people, programmes = LARGE
    built = build_hotel(people, programmes)
    db.session.commit()
    login_as("hr", dept="HR", locale="en")
    response = client.get(URL + "?lang=en")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    pages = pdf_pages(response.data)
    text = " ".join(pages)
    assert built.people[0].staff_no in text and built.people[-1].staff_no in text
    assert "20 = VIP arrival standards (Every quarter)" in text and "Programmes 11–20" in text
    for status in ("Done", "Overdue", "Never taken", "To take", "Due soon"):
        assert status in text, status
    # Every person in both tables; the header row on every page with people on it.
    assert text.count(built.people[-1].staff_no) == 2
    with_rows = [page for page in pages if re.search(r"\bS\d{4}\b", page)]
    assert len(with_rows) >= 4
    assert all("Staff number" in page and "Behind / required" in page for page in with_rows)


def test_too_many_people_for_one_printout_are_asked_for_a_department(
    client, hotel, login_as, monkeypatch
):
    monkeypatch.setattr(documents, "PDF_PEOPLE_LIMIT", 2)
    login_as("hr", dept="HR")
    response = client.get(URL + "?lang=en")
    assert response.status_code == 303
    assert response.headers["Location"] == "/training/compliance"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 people are too many for one printout: choose a department" in page

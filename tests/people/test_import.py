"""The staff list from a spreadsheet: CSV (UTF-8 or GB18030, Chinese or English headers) and
Excel read; every row checked in words before anything is written; one import writes the valid
new rows (or none, all or nothing); a staff number already there is left alone, so the same
file twice changes nothing; a double tap imports once; the export reads back in."""

import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.blueprints.people import imports
from portal.blueprints.people.models import JobTitle, PeopleImport, User
from portal.errors import DomainError
from tests import factories
from tests.conftest import text_of

HEADER = "Staff number,Name in English,Name in Chinese,Department,Job title,Access role,Start date"


def people(db) -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def upload(client, text: str | bytes, name: str = "staff.csv"):
    data = text.encode() if isinstance(text, str) else text
    return client.post_form("/people/import", {"file": (io.BytesIO(data), name)})


def check_page(client, response) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)[:400]
    assert response.headers["Location"].startswith("/people/import/")
    return response.headers["Location"]


@pytest.fixture
def hr(login_as, db):
    person = login_as("hr", dept="HR")
    factories.department(person.property, "HK")
    db.session.add(
        JobTitle(
            property_id=person.property_id,
            department_id=factories.department(person.property, "HK").id,
            title_en="Room attendant",
            title_zh="客房服务员",
            grade="junior",
        )
    )
    db.session.commit()
    return person


def test_a_csv_is_checked_row_by_row_in_words_and_nothing_is_written(client, db, hr):
    before = people(db)
    existing = factories.person(prop=hr.property, dept="HK")
    db.session.commit()
    text = "\n".join(
        [
            HEADER,
            "E5001,Ann Lee,李安,HK,Room attendant,employee,2026-11-02",
            "E5002,,王芳,Housekeeping,,,",  # the department's name does as well as its code
            "E5003,Bo Chen,,Housekeping,,,",  # a typo in the department
            "E5001,Again,,HK,,,",  # the same staff number twice in the file
            f"{existing.staff_no},Already There,,HK,,,",
            "E5006,Cy Manager,,HK,,manager,",  # HR does not give the manager role
            "E5007,Di Title,,HK,Chef,,",  # no such job title in HK
            "E5008,Ed Date,,HK,,,31/02/2026",
            ",No Number,,HK,,,",
        ]
    )
    location = check_page(client, upload(client, text))
    shown = text_of(client.get(location))
    assert "9 rows checked" in shown
    assert "2 to add" in shown and "1 already in the portal" in shown and "6 with errors" in shown
    assert "Row 4: Department “Housekeping” does not exist at this property." in shown
    assert "Row 5: Staff number E5001 is in the file twice." in shown
    assert "Row 7: Only a group admin can give the manager or group admin role." in shown
    assert "Row 8: Job title “Chef” is not a current title of Housekeeping." in shown
    assert "Row 9: Start date:" in shown
    assert "Row 10: Staff number: Enter the staff number." in shown
    assert people(db) == before + 1  # the existing person only: nothing imported yet


def test_importing_adds_the_valid_rows_once_and_the_same_file_again_changes_nothing(client, db, hr):
    text = f"{HEADER}\nE5101,Ann Lee,李安,HK,Room attendant,,2026-11-02\nE5102,Bad,,XX,,,\n"
    location = check_page(client, upload(client, text))
    before = people(db)
    done = client.post_form(location, {})
    assert done.status_code == 303 and done.headers["Location"] == "/people/"
    shown = text_of(client.get("/people/"))
    assert "1 people added; 0 already in the portal; 1 rows with errors left out." in shown
    ann = db.session.scalar(select(User).where(User.staff_no == "E5101"))
    assert (ann.name_en, ann.name_zh, ann.department.code) == ("Ann Lee", "李安", "HK")
    assert ann.job_title.title_en == "Room attendant" and ann.hire_date == date(2026, 11, 2)
    assert ann.pin_hash is None and ann.password_hash is None  # HR gives the first PIN
    assert client.application.test_client().sign_in("E5101", "").status_code != 303
    assert people(db) == before + 1
    # a double tap or a second tab: imported once
    again = client.post_form(location, {})
    assert again.status_code == 303
    assert "This file was imported already." in text_of(client.get("/people/"))
    assert people(db) == before + 1
    # the same file uploaded again: nothing to add
    second = check_page(client, upload(client, text))
    shown = text_of(client.get(second))
    assert "0 to add" in shown and "1 already in the portal" in shown
    assert "Nobody to add" in shown
    actions = list(
        db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.action.like("people.import%"))
        )
    )
    assert actions == ["people.import_checked", "people.imported", "people.import_checked"]


def test_all_or_nothing_writes_no_one_when_a_row_is_wrong(client, db, hr):
    text = f"{HEADER}\nE5201,Ann Lee,,HK,,,\nE5202,Bad,,XX,,,\n"
    location = check_page(client, upload(client, text))
    before = people(db)
    refused = client.post_form(location, {"all_or_nothing": "y"})
    assert refused.status_code == 422
    assert "Nothing was imported: 1 rows have errors (all or nothing)." in text_of(refused)
    assert people(db) == before
    assert db.session.scalar(select(PeopleImport.done_at)) is None  # still there to import
    assert client.post_form(location, {}).status_code == 303  # without it: the valid row
    assert people(db) == before + 1


def test_excel_and_chinese_headers_and_gb18030_are_read(client, db, hr):
    book = Workbook()
    sheet = book.active
    sheet.append(["工号", "中文名", "英文名", "部门", "入职日期"])
    sheet.append([5301, "张伟", "Zhang Wei", "HK", date(2026, 10, 1)])  # a number, a date cell
    buffer = io.BytesIO()
    book.save(buffer)
    location = check_page(client, upload(client, buffer.getvalue(), "员工名单.xlsx"))
    client.post_form(location, {})
    zhang = db.session.scalar(select(User).where(User.staff_no == "5301"))
    assert zhang.name_zh == "张伟" and zhang.hire_date == date(2026, 10, 1)
    chinese = "工号,姓名,部门\nE5302,李娜,客房部\n".encode("gb18030")  # as Chinese Excel saves CSV
    client.post_form(check_page(client, upload(client, chinese)), {})
    assert db.session.scalar(select(User.name_zh).where(User.staff_no == "E5302")) == "李娜"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("staff.pdf", b"%PDF-1.4", "Choose a CSV or Excel (.xlsx) file."),
        ("staff.csv", b"", "The file is empty."),
        ("staff.csv", b"Name,Department\nAnn,HK\n", "one called “Staff number”"),
        ("staff.csv", f"{HEADER}\n".encode(), "The file has no people below its header row."),
        ("staff.xlsx", b"not a zip at all", "could not be read as an Excel workbook"),
        ("staff.csv", b"\xff\xfe\x00\xd8bad", "not text in UTF-8 or GB18030"),
    ],
)
def test_a_file_that_cannot_be_read_is_said_next_to_the_field(client, db, hr, name, data, message):
    response = upload(client, data, name)
    assert response.status_code == 422
    assert 'id="file-error"' in response.get_data(as_text=True)
    assert message in text_of(response)
    assert db.session.scalar(select(func.count()).select_from(PeopleImport)) == 0


def test_no_file_and_too_many_rows_are_refused(client, db, hr, monkeypatch):
    response = client.post_form("/people/import", {})
    assert response.status_code == 422 and "Choose the file to import." in text_of(response)
    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    rows = "\n".join(f"E59{i:02d},P {i},,HK" for i in range(4))
    response = upload(client, f"Staff number,Name in English,Name in Chinese,Department\n{rows}")
    assert response.status_code == 422
    assert "The file has more than 3 people: split it into smaller files." in text_of(response)


def test_another_propertys_upload_is_not_found_and_a_huge_id_neither(client, db, hr):
    other = factories.property_("SPX")
    stranger = factories.person("hr", prop=other, dept="HR")
    kept = PeopleImport(property_id=other.id, by_id=stranger.id, filename="x.csv", rows=[])
    db.session.add(kept)
    db.session.commit()
    assert client.get(f"/people/import/{kept.id}").status_code == 404
    assert client.post_form(f"/people/import/{kept.id}", {}).status_code == 404
    assert client.get(f"/people/import/{2**63}").status_code == 404


def test_the_export_imports_again_as_already_there(client, db, hr):
    factories.person(prop=hr.property, dept="HK", name_en="Export Me", name_zh="导出")
    db.session.commit()
    sheet = client.get("/people/export")
    assert sheet.status_code == 200 and sheet.mimetype.endswith("spreadsheetml.sheet")
    rows = list(load_workbook(io.BytesIO(sheet.data)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Staff number", "Name in English", "Name in Chinese")
    assert any(r[1] == "Export Me" and r[2] == "导出" for r in rows[1:])
    location = check_page(client, upload(client, sheet.data, "export.xlsx"))
    shown = text_of(client.get(location))
    assert "0 to add" in shown and f"{len(rows) - 1} already in the portal" in shown
    csv_text = client.get("/people/export?format=csv").get_data(as_text=True)
    assert csv_text.lstrip("\ufeff").startswith("Staff number,Name in English")
    assert (
        db.session.scalar(select(func.count()).where(AuditEvent.action == "people.exported")) == 2
    )


def test_a_group_admin_may_give_the_manager_role(client, db, login_as, ctx):
    admin = login_as("admin")
    factories.department(admin.property, "HK")
    db.session.commit()
    preview = imports.check(
        admin.property_id,
        [{"staff_no": "M5401", "name_en": "Max", "department": "HK", "role": "manager"}],
        by=admin,
    )
    assert preview.count("new") == 1
    kept = imports.keep(admin.property_id, "m.csv", preview_rows(preview), by=admin)
    outcome, _ = imports.run(kept, by=admin, all_or_nothing=True)
    assert outcome.added == 1
    with pytest.raises(DomainError, match="imported already"):
        imports.run(kept, by=admin, all_or_nothing=True)


def preview_rows(preview) -> list[dict]:
    return [row.values for row in preview.rows]


def test_the_check_reads_in_chinese(client, db, hr):
    location = check_page(
        client, upload(client, f"{HEADER}\nE5501,,王芳,客房部,,,\nE5502,Bo,,XX,,,\n")
    )
    shown = text_of(client.get(location, headers={"Accept-Language": "zh-CN"}))
    assert "将添加 1 人" in shown and "1 行有错误" in shown
    assert "第 3 行：本门店没有部门“XX”。" in shown

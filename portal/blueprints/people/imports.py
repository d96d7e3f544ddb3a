"""Staff lists from spreadsheets: HR uploads the CSV or Excel file they keep, sees every row
checked (added, already in the portal, or its errors in words), then imports in one step.

- Read: CSV (UTF-8, or GB18030 as Chinese Excel saves it; comma, semicolon or tab) or XLSX
  (the first sheet). The first row names the columns, in English or Chinese (`HEADERS`); the
  export (`export_rows`) writes the same columns, so an exported list imports again.
- Checked as the person form checks (the same field validators) and as create_person checks
  (department and job title of this property, roles the importer may give), plus repeats inside
  the file. A staff number already in the portal is left as it is: importing the same file
  twice changes nothing.
- The upload is kept as a row of `people_imports` until imported; the import claims it with one
  conditional UPDATE, so a double tap or a second tab imports once. Valid rows are written in
  one transaction; with "all or nothing", one bad row writes none.
- Imported people have no PIN or password yet: they sign in once HR gives them one (reset on
  their page), never with a secret written in a spreadsheet.

Plain functions that flush and never commit.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select, update
from werkzeug.datastructures import MultiDict

from portal import audit
from portal.blueprints.people import services
from portal.blueprints.people.forms import PersonForm
from portal.blueprints.people.models import Department, JobTitle, PeopleImport, Role, User
from portal.database import utcnow
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import PortalForm
from portal.i18n import gettext as _

MAX_ROWS = 5000
# Column names a staff list may use, by the field they fill (compared without case, spaces,
# dots, hyphens and underscores).
HEADERS = {
    "staff_no": ("staff number", "staff no", "staff_no", "employee number", "工号", "员工编号"),
    "name_en": ("name in english", "english name", "name_en", "name", "英文名", "英文姓名"),
    "name_zh": ("name in chinese", "chinese name", "name_zh", "中文名", "中文姓名", "姓名"),
    "department": ("department", "dept", "部门"),
    "job_title": ("job title", "title", "position", "职位", "岗位"),
    "role": ("access role", "role", "角色", "权限"),
    "hire_date": ("start date", "hire date", "hire_date", "入职日期"),
    "email": ("email", "e-mail", "邮箱", "电子邮件"),
    "phone": ("phone", "mobile", "telephone", "电话", "手机"),
    "username": ("user name", "username", "用户名"),
}
EXPORT_HEADERS = {
    "staff_no": "Staff number",
    "name_en": "Name in English",
    "name_zh": "Name in Chinese",
    "department": "Department",
    "job_title": "Job title",
    "role": "Access role",
    "hire_date": "Start date",
    "email": "Email",
    "phone": "Phone",
    "username": "User name",
}


def _key(text: str) -> str:
    return "".join(ch for ch in str(text or "").casefold() if ch not in " ._-\u3000")


_ALIASES = {_key(alias): name for name, aliases in HEADERS.items() for alias in aliases}


class AlreadyImported(DomainError):
    pass


class UnreadableFile(DomainError):
    def __init__(self, message: str):
        super().__init__(message, "file")


# --- reading ------------------------------------------------------------------------------------
def read_table(filename: str, data: bytes) -> list[dict[str, str]]:
    """The file's rows as {field: text}, by the header row's names."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        rows = _xlsx_rows(data)
    elif name.endswith((".csv", ".txt")):
        rows = _csv_rows(data)
    else:
        raise UnreadableFile(_("Choose a CSV or Excel (.xlsx) file."))
    header = next(rows, None)
    if header is None:
        raise UnreadableFile(_("The file is empty."))
    fields = [_ALIASES.get(_key(cell)) for cell in header]
    if "staff_no" not in fields:
        raise UnreadableFile(
            _("The first row must name the columns, with one called “Staff number” (工号).")
        )
    table = []
    for cells in rows:
        if not any(str(c or "").strip() for c in cells):
            continue  # a blank line
        if len(table) == MAX_ROWS:
            raise UnreadableFile(
                _(
                    "The file has more than %(num)s people: split it into smaller files.",
                    num=MAX_ROWS,
                )
            )
        table.append({f: _text(cells[i]) for i, f in enumerate(fields) if f and i < len(cells)})
    if not table:
        raise UnreadableFile(_("The file has no people below its header row."))
    return table


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel keeps 1001 as 1001.0
    return str(value).strip()


def _csv_rows(data: bytes):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableFile(_("The file is not text in UTF-8 or GB18030: save it as CSV again."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return iter(list(csv.reader(io.StringIO(text), dialect)))


def _xlsx_rows(data: bytes):
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a damaged file or not an Excel file at all
        raise UnreadableFile(_("The file could not be read as an Excel workbook.")) from exc
    sheet = book.worksheets[0]

    def rows():
        try:
            yield from sheet.iter_rows(values_only=True)  # read_table stops past MAX_ROWS
        finally:
            book.close()

    return rows()


# --- checking -------------------------------------------------------------------------------
class RowForm(PortalForm):
    """The person form's own checks of the text fields, for one row."""

    class Meta:
        csrf = False

    name_en = PersonForm.name_en
    name_zh = PersonForm.name_zh
    staff_no = PersonForm.staff_no
    username = PersonForm.username
    email = PersonForm.email
    phone = PersonForm.phone
    hire_date = PersonForm.hire_date


@dataclass
class Checked:
    number: int  # the row in the file (the header is row 1)
    values: dict[str, str]
    data: services.PersonData | None = None
    errors: list[str] = field(default_factory=list)
    existing: bool = False  # the staff number is in the portal already

    @property
    def status(self) -> str:
        return "error" if self.errors else ("existing" if self.existing else "new")


@dataclass
class Preview:
    rows: list[Checked]

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)


class _Lookups:
    """The property's departments, job titles and staff numbers, loaded once (three queries)."""

    def __init__(self, property_id: int):
        departments = list(
            db.session.scalars(select(Department).where(Department.property_id == property_id))
        )
        self.departments = {}
        for d in departments:
            for name in (d.code, d.name_en, d.name_zh):
                if name:
                    self.departments.setdefault(_key(name), d)
        self.titles: dict[tuple[int, str], JobTitle] = {}
        for t in db.session.scalars(
            select(JobTitle).where(
                JobTitle.property_id == property_id, JobTitle.retired_at.is_(None)
            )
        ):
            for name in (t.title_en, t.title_zh):
                if name:
                    self.titles.setdefault((t.department_id, _key(name)), t)
        self.staff_nos = set(
            db.session.scalars(select(User.staff_no).where(User.property_id == property_id))
        )
        self.usernames = {u for u in db.session.scalars(select(func.lower(User.username))) if u}


def _role(text: str) -> Role | None:
    if not text:
        return Role.EMPLOYEE
    wanted = _key(text)
    for role in Role:
        if wanted in {_key(role.value), _key(role.label)}:
            return role
    return None


def check(property_id: int, table: list[dict[str, str]], *, by: User) -> Preview:
    lookups = _Lookups(property_id)
    assignable = set(services.assignable_roles(by))
    seen_staff, seen_users = set(), set()
    rows = []
    for index, values in enumerate(table, start=2):
        row = Checked(index, values)
        rows.append(row)
        form = RowForm(formdata=MultiDict({k: v for k, v in values.items() if v}))
        form.validate()
        for name, messages in form.errors.items():
            label = form[name].label.text
            row.errors += [f"{label}: {m}" for m in messages]
        staff_no = form.staff_no.data or ""
        if not (form.name_en.data or form.name_zh.data):
            row.errors.append(_("Give a name in English or in Chinese."))
        department = lookups.departments.get(_key(values.get("department", "")))
        if department is None:
            row.errors.append(
                _(
                    "Department “%(name)s” does not exist at this property.",
                    name=values.get("department", ""),
                )
                if values.get("department")
                else _("Department: give the department's code or name.")
            )
        title = None
        if values.get("job_title") and department is not None:
            title = lookups.titles.get((department.id, _key(values["job_title"])))
            if title is None:
                row.errors.append(
                    _(
                        "Job title “%(title)s” is not a current title of %(department)s.",
                        title=values["job_title"],
                        department=department.name,
                    )
                )
        role = _role(values.get("role", ""))
        if role is None:
            row.errors.append(
                _("Access role “%(role)s” is not one of the portal's.", role=values["role"])
            )
        elif role not in assignable:
            row.errors.append(_("Only a group admin can give the manager or group admin role."))
        username = (form.username.data or "") if role is not None and not role.uses_pin else ""
        if staff_no:
            if staff_no in seen_staff:
                row.errors.append(_("Staff number %(no)s is in the file twice.", no=staff_no))
            seen_staff.add(staff_no)
            row.existing = staff_no in lookups.staff_nos
        if username and not row.existing:
            if username in seen_users or username in lookups.usernames:
                row.errors.append(_("User name %(name)s is already taken.", name=username))
            seen_users.add(username)
        if not row.errors and not row.existing:
            row.data = services.PersonData(
                name_en=form.name_en.data or "",
                name_zh=form.name_zh.data or "",
                staff_no=staff_no,
                property_id=property_id,
                department_id=department.id,
                role=role.value,
                job_title_id=title.id if title else None,
                username=username or None,
                email=form.email.data or None,
                phone=form.phone.data or None,
                hire_date=form.hire_date.data,
            )
    return Preview(rows)


# --- keeping and importing --------------------------------------------------------------------
def keep(property_id: int, filename: str, table: list[dict[str, str]], *, by: User) -> PeopleImport:
    upload = PeopleImport(
        property_id=property_id, by_id=by.id, filename=(filename or "")[:200], rows=table
    )
    db.session.add(upload)
    db.session.flush()
    audit.record(
        "people.import_checked",
        upload,
        actor=by,
        property_id=property_id,
        summary=f"file={upload.filename} rows={len(table)}",
    )
    return upload


@dataclass
class Outcome:
    added: int
    existing: int
    refused: int


def run(upload: PeopleImport, *, by: User, all_or_nothing: bool) -> tuple[Outcome, Preview]:
    """Import the kept file once: every valid new row (or, all or nothing, none when a row is
    refused). Raises DomainError when it was imported already."""
    claimed = db.session.execute(
        update(PeopleImport)
        .where(PeopleImport.id == upload.id, PeopleImport.done_at.is_(None))
        .values(done_at=utcnow(), done_by_id=by.id)
    ).rowcount
    if not claimed:
        raise AlreadyImported(_("This file was imported already."))
    preview = check(upload.property_id, upload.rows, by=by)
    refused = preview.count("error")
    if all_or_nothing and refused:
        raise DomainError(
            _("Nothing was imported: %(num)s rows have errors (all or nothing).", num=refused)
        )
    added = 0
    for row in preview.rows:
        if row.data is not None:
            services.create_person(row.data, by=by, first_secret_later=True)
            added += 1
    outcome = Outcome(added, preview.count("existing"), refused)
    audit.record(
        "people.imported",
        upload,
        actor=by,
        property_id=upload.property_id,
        summary=f"file={upload.filename} added={added} existing={outcome.existing} "
        f"refused={refused}",
    )
    return outcome, preview


# --- the export: the same columns --------------------------------------------------------------
def export_rows(people: list[User]) -> list[list[str]]:
    rows = [list(EXPORT_HEADERS.values())]
    for p in people:
        rows.append(
            [
                p.staff_no,
                p.name_en or "",
                p.name_zh or "",
                p.department.code if p.department else "",
                (p.job_title.title_en or p.job_title.title_zh) if p.job_title else "",
                p.role,
                p.hire_date.isoformat() if p.hire_date else "",
                p.email or "",
                p.phone or "",
                p.username or "",
            ]
        )
    return rows

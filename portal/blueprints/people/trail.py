"""How the people module's audit summaries read in the reader's language.

The summaries store codes (a department's code, a job title's id, a role); the trail's pages show
names. Departments and job titles are looked up once per request, all of them (a property has
a few dozen), so a page of the trail costs the same few queries whatever it shows.
"""

from __future__ import annotations

from flask import g
from sqlalchemy import select

from portal.audit import DetailKey, name_details
from portal.blueprints.people.models import GRADE_LABELS, Department, Grade, JobTitle
from portal.extensions import db
from portal.i18n import fmt_date
from portal.i18n import lazy_gettext as _l
from portal.roles import Role


def _departments() -> dict:
    if "trail_departments" not in g:
        found = {}
        for department in db.session.scalars(select(Department)):
            found[department.id] = department
            found[(department.property_id, department.code)] = department
        g.trail_departments = found
    return g.trail_departments


def _titles() -> dict[int, JobTitle]:
    if "trail_titles" not in g:
        g.trail_titles = {t.id: t for t in db.session.scalars(select(JobTitle))}
    return g.trail_titles


def _department(stored: str | None, event) -> str:
    if stored is None:
        return "—"
    departments = _departments()
    found = departments.get((event.property_id, stored))
    if found is None and stored.isdigit():
        found = departments.get(int(stored))  # older rows named the department by its id
    return found.name if found is not None else stored


def _title(stored: str | None, event) -> str:
    if stored is None:
        return "—"
    found = _titles().get(int(stored))
    return found.title if found is not None else f"#{stored}"


def _role(stored: str | None, event) -> str:
    return "—" if stored is None else Role(stored).label


def _grade(stored: str | None, event) -> str:
    return "—" if stored is None else str(GRADE_LABELS[Grade(stored)])


def _date(stored: str | None, event) -> str:
    from datetime import date

    return "—" if stored is None else fmt_date(date.fromisoformat(stored))


SECRET_STATES = {"set": _l("set"), "not set": _l("not set")}


def _secret_state(stored: str | None, event) -> str:
    return "—" if stored is None else str(SECRET_STATES[stored])


def register() -> None:
    name_details(
        {
            "staff_no": _l("Staff number"),
            "name_en": _l("Name in English"),
            "name_zh": _l("Name in Chinese"),
            "role": DetailKey(_l("Access role"), _role),
            "grade": DetailKey(_l("Grade"), _grade),
            "department": DetailKey(_l("Department"), _department),
            "department_id": DetailKey(_l("Department"), _department),
            "job_title": DetailKey(_l("Job title"), _title),
            "supervises": DetailKey(_l("Supervises"), _department),
            "username": _l("User name"),
            "email": _l("Email"),
            "phone": _l("Phone"),
            "hire_date": DetailKey(_l("Start date"), _date),
            "pin": DetailKey(_l("PIN"), _secret_state),
            "password": DetailKey(_l("Password"), _secret_state),
            "title_en": _l("Job title in English"),
            "title_zh": _l("Job title in Chinese"),
            "people": _l("People"),
            "properties": _l("Properties"),
        }
    )

"""Job titles: the hotel's own positions per department, which HR keeps.

Operations take the acting person (`by`), audit and flush, as every service does. A title that
someone holds or held is retired, never deleted; a retired title stays with the people who hold
it and is offered to nobody else. Changing a title's grade moves the grade of the people who
hold it (each audited).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select, update

from portal import audit
from portal.blueprints.people.models import Department, Grade, JobTitle, User, departments_for
from portal.database import utcnow
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import gettext as _


@dataclass
class TitleData:
    title_en: str
    title_zh: str
    grade: str


def _check(department: Department, data: TitleData, title_id: int | None) -> None:
    if not (data.title_en or data.title_zh):
        raise DomainError(_("Enter the title in Chinese, in English, or both."), "title_zh")
    if data.grade not in set(Grade):
        raise DomainError(_("Choose a grade of the career ladder."), "grade")
    same = []
    if data.title_en:
        same.append(func.lower(JobTitle.title_en) == data.title_en.lower())
    if data.title_zh:
        same.append(JobTitle.title_zh == data.title_zh)
    clash = db.session.scalar(
        select(JobTitle).where(
            JobTitle.department_id == department.id,
            JobTitle.id != (title_id or 0),
            or_(*same),
        )
    )
    if clash is not None:
        field = (
            "title_en"
            if data.title_en and clash.title_en.lower() == data.title_en.lower()
            else "title_zh"
        )
        raise DomainError(
            _(
                "%(department)s already has the job title %(title)s.",
                department=department.name,
                title=clash.title,
            ),
            field,
        )


def _describe(title: JobTitle) -> dict:
    return {
        "title_en": title.title_en,
        "title_zh": title.title_zh,
        "grade": title.grade,
    }


def create_job_title(department: Department, data: TitleData, *, by: User) -> JobTitle:
    _check(department, data, None)
    title = JobTitle(
        property_id=department.property_id,
        department_id=department.id,
        title_en=data.title_en,
        title_zh=data.title_zh,
        grade=data.grade,
    )
    db.session.add(title)
    db.session.flush()
    audit.record(
        "job_title.created",
        title,
        actor=by,
        summary=_summary(title, department),
    )
    return title


def update_job_title(
    title: JobTitle, data: TitleData, *, expected_version: int | None, by: User
) -> JobTitle:
    """Rename a title or move it to another grade; its holders move grade with it."""
    if expected_version is not None and expected_version != title.version:
        raise DomainError(
            _("Someone else changed this job title while you were editing. Reload and try again.")
        )
    _check(title.department, data, title.id)
    before = _describe(title)
    title.title_en, title.title_zh = data.title_en, data.title_zh
    old_grade, title.grade = title.grade, data.grade
    db.session.flush()
    summary = audit.describe_changes(before, _describe(title))
    audit.record("job_title.changed", title, actor=by, summary=summary or "no change")
    if old_grade != title.grade:
        holders = list(
            db.session.scalars(
                select(User).where(User.job_title_id == title.id).order_by(User.staff_no)
            )
        )
        db.session.execute(
            update(User)
            .where(User.job_title_id == title.id)
            .values(grade=title.grade, version=User.version + 1)
            .execution_options(synchronize_session=False)
        )
        for person in holders:
            audit.record(
                "person.updated",
                person,
                actor=by,
                summary=audit.describe_changes({"grade": old_grade}, {"grade": title.grade}),
            )
            db.session.expire(person)
    return title


def retire_job_title(title: JobTitle, *, by: User) -> JobTitle:
    if title.retired:
        return title
    title.retired_at = utcnow()
    db.session.flush()
    audit.record("job_title.retired", title, actor=by, summary=_summary(title))
    return title


def restore_job_title(title: JobTitle, *, by: User) -> JobTitle:
    if not title.retired:
        return title
    title.retired_at = None
    db.session.flush()
    audit.record("job_title.restored", title, actor=by, summary=_summary(title))
    return title


def delete_job_title(title: JobTitle, *, by: User) -> None:
    """Only a title nobody ever held (one added by mistake); the others are retired."""
    if not can_be_deleted(title):
        raise DomainError(
            _("Someone holds or held this job title: retire it instead, it stays in their record.")
        )
    audit.record("job_title.deleted", title, actor=by, summary=_summary(title))
    db.session.delete(title)
    db.session.flush()


def _summary(title: JobTitle, department: Department | None = None) -> str:
    """What the trail says about a title: "department=HK grade=junior title_en=... title_zh=..."
    (the titles last: they may hold spaces)."""
    department = department or title.department
    return (
        f"department={department.code} grade={title.grade} "
        f"title_en={title.title_en} title_zh={title.title_zh}"
    )


def can_be_deleted(title: JobTitle) -> bool:
    """Nobody holds it and nobody ever did (holding one marks it `assigned`)."""
    return not title.assigned and not holder_count(title)


# --- queries -----------------------------------------------------------------------------------
def holder_count(title: JobTitle) -> int:
    return db.session.scalar(select(func.count()).where(User.job_title_id == title.id)) or 0


@dataclass
class TitleRow:
    title: JobTitle
    active_holders: int
    holders: int


@dataclass
class DepartmentTitles:
    department: Department
    rows: list[TitleRow]

    @property
    def current(self) -> list[TitleRow]:
        return [row for row in self.rows if not row.title.retired]

    @property
    def retired(self) -> list[TitleRow]:
        return [row for row in self.rows if row.title.retired]


GRADE_ORDER = {grade.value: i for i, grade in enumerate(Grade)}


def titles_by_department(property_id: int) -> list[DepartmentTitles]:
    """Every department of a property with its titles (current first, up the ladder) and how
    many people hold each (two queries whatever the size)."""
    departments = departments_for(property_id)
    rows = db.session.execute(
        select(
            JobTitle,
            func.count(User.id).filter(User.active.is_(True)),
            func.count(User.id),
        )
        .outerjoin(User, User.job_title_id == JobTitle.id)
        .where(JobTitle.property_id == property_id)
        .group_by(JobTitle.id)
    ).all()
    by_department: dict[int, list[TitleRow]] = {d.id: [] for d in departments}
    for title, active, total in rows:
        by_department.setdefault(title.department_id, []).append(TitleRow(title, active, total))
    for titles in by_department.values():
        titles.sort(key=lambda r: (GRADE_ORDER.get(r.title.grade, 9), r.title.title.casefold()))
    return [DepartmentTitles(d, by_department[d.id]) for d in departments]


def titles_for_form(property_id: int, keep: int | None = None) -> list[JobTitle]:
    """The titles a person form offers: the current ones of the property, and the one the
    person holds even when it is retired (`keep`)."""
    query = select(JobTitle).where(
        JobTitle.property_id == property_id,
        or_(JobTitle.retired_at.is_(None), JobTitle.id == (keep or 0)),
    )
    titles = list(db.session.scalars(query))
    titles.sort(key=lambda t: (GRADE_ORDER.get(t.grade, 9), t.title.casefold()))
    return titles


def get_job_title(title_id: int) -> JobTitle | None:
    return db.session.get(JobTitle, title_id)

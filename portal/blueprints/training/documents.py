"""Training's documents: a session's sign-in sheet, one person's training record and the
compliance matrix, each printed in the language asked for ("en", "zh" or "both"), whatever the
screen language of whoever prints (people/pdf.py DocumentLanguage).

The sheet and the record carry `inputs`: everything their pages show, read by a fixed number of
queries (the rows themselves are part of the inputs). A reprint with nothing changed comes from
the cache (portal/pdf.py); a seat taken or cancelled, a mark corrected, a renamed room or person
renders again. The same pages for everyone allowed to print them, so `printed_on` (the day)
rather than who printed: the cache is shared.

The compliance matrix shows what the viewer's scope lets them see (a supervisor: their
departments' people): a personal document, naming who printed it and when, rendered anew for
each print.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import LazyString
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from portal.blueprints.people.models import Department, Property, User
from portal.blueprints.people.pdf import DOCUMENT_LANGUAGES, DocumentLanguage, language_of
from portal.blueprints.training import compliance
from portal.blueprints.training.compliance_views import departments_for
from portal.blueprints.training.models import (
    ATTENDED,
    Attendance,
    Cadence,
    Enrolment,
    EnrolmentStatus,
    Kind,
    Mark,
    Programme,
    TrainingSession,
)
from portal.blueprints.training.services import to_local
from portal.database import utcnow
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l
from portal.i18n import local_today
from portal.pdf import Document

LANGUAGES = DOCUMENT_LANGUAGES
# Blank rows under the enrolled people: walk-ins write themselves in by hand.
WALK_IN_ROWS = 5


def _both(obj, field: str = "name") -> tuple[str, str]:
    if obj is None:
        return ("", "")
    return (getattr(obj, f"{field}_en") or "", getattr(obj, f"{field}_zh") or "")


@dataclass(frozen=True)
class Span:
    """When a session runs on the property's wall clock: its first and last local day (an end
    at midnight belongs to the day before, as services.days_spanned counts) and its times."""

    first_day: date
    last_day: date
    starts: str  # "09:00"
    ends: str

    @property
    def one_day(self) -> bool:
        return self.first_day == self.last_day

    @classmethod
    def of(cls, starts_at: datetime, ends_at: datetime) -> Span:
        start, end = to_local(starts_at), to_local(ends_at)
        last = to_local(ends_at - timedelta(microseconds=1)).date()
        return cls(start.date(), last, f"{start:%H:%M}", f"{end:%H:%M}")


# --- the sign-in sheet ----------------------------------------------------------------------
@dataclass(frozen=True)
class Seat:
    """One enrolled person as the sheet prints them."""

    enrolment_id: int
    status: str
    staff_no: str
    name_zh: str
    name_en: str
    department: Department | None

    def inputs(self) -> tuple:
        dept = self.department
        return (
            self.enrolment_id,
            self.status,
            self.staff_no,
            self.name_zh,
            self.name_en,
            dept.id if dept else None,
            *_both(dept),
        )


def seats(session: TrainingSession) -> list[Seat]:
    """The people with a seat (not waiting, not cancelled), by department in display order
    (people without one last), then staff number: one query."""
    rows = db.session.execute(
        select(
            Enrolment.id,
            Enrolment.status,
            User.staff_no,
            User.name_zh,
            User.name_en,
            Department,
        )
        .join(User, User.id == Enrolment.person_id)
        .outerjoin(Department, Department.id == User.department_id)
        .where(Enrolment.session_id == session.id, Enrolment.status == EnrolmentStatus.ENROLLED)
        .order_by(
            Department.id.is_(None), Department.position, Department.id, User.staff_no, User.id
        )
    ).all()
    return [Seat(*row) for row in rows]


def sign_in_inputs(
    session: TrainingSession, prop: Property, people: list[Seat], lang: str
) -> tuple:
    """All the sheet shows: the session as edited (its version moves with every edit; the
    times, room and trainer are read as printed too), the programme's names, the property's,
    every seated person, the language and the day."""
    programme = session.programme
    return (
        session.id,
        session.version,
        session.starts_at.isoformat(),
        session.ends_at.isoformat(),
        session.room,
        session.trainer_id,
        _both(session.trainer),
        programme.id,
        _both(programme, "title"),
        programme.kind,
        _both(prop),
        tuple(seat.inputs() for seat in people),
        lang,
        local_today().isoformat(),
    )


def sign_in_document(session: TrainingSession, lang: str) -> Document:
    """The sheet people sign as they arrive: the enrolled, then blank rows for walk-ins."""
    doc = DocumentLanguage(lang)
    prop = db.session.get(Property, session.property_id)
    people = seats(session)
    programme = session.programme
    return Document(
        "training/pdf/sign_in.html",
        f"training-sign-in-{session.id}-{lang}.pdf",
        {
            "ts": session,
            "programme": programme,
            "kind": Kind(programme.kind),
            "property": prop,
            "seats": people,
            "walk_ins": WALK_IN_ROWS,
            "span": Span.of(session.starts_at, session.ends_at),
            "doc": doc,
            "lang": lang,
            "title": _l("Training sign-in sheet"),
            # Rendered in the document's language (the title it has in that language).
            "number": LazyString(lambda: programme.title),
            "printed_on": local_today(),
            "record": True,  # a record, not a controlled copy of a procedure
            "inputs": sign_in_inputs(session, prop, people, lang),
        },
    )


# --- one person's training record -----------------------------------------------------------
@dataclass(frozen=True)
class Attended:
    """One session the person took part in, with the mark that counts (the newest)."""

    enrolment_id: int
    attendance_id: int
    mark: str
    score: int | None
    passed: bool | None  # as recorded with the score: a later pass mark changes no history
    starts_at: datetime
    ends_at: datetime
    programme: Programme
    trainer_en: str
    trainer_zh: str

    @property
    def mark_enum(self) -> Mark:
        return Mark(self.mark)

    @property
    def kind(self) -> Kind:
        return Kind(self.programme.kind)

    @property
    def span(self) -> Span:
        return Span.of(self.starts_at, self.ends_at)

    def inputs(self) -> tuple:
        p = self.programme
        return (
            self.enrolment_id,
            self.attendance_id,
            self.mark,
            self.score,
            self.passed,
            self.starts_at.isoformat(),
            self.ends_at.isoformat(),
            p.id,
            *_both(p, "title"),
            p.kind,
            p.pass_mark,
            self.trainer_en,
            self.trainer_zh,
        )


def attended(person: User, now: datetime | None = None) -> list[Attended]:
    """Every session that is over where the person held a seat and their current mark (the
    newest row of the enrolment) is present or late, newest first: one query."""
    now = now or utcnow()
    latest = (
        select(Attendance.enrolment_id, func.max(Attendance.id).label("id"))
        .join(Enrolment, Enrolment.id == Attendance.enrolment_id)
        .where(Enrolment.person_id == person.id)
        .group_by(Attendance.enrolment_id)
        .subquery()
    )
    trainer = aliased(User)
    rows = db.session.execute(
        select(
            Enrolment.id,
            Attendance.id,
            Attendance.mark,
            Attendance.score,
            Attendance.passed,
            TrainingSession.starts_at,
            TrainingSession.ends_at,
            Programme,
            trainer.name_en,
            trainer.name_zh,
        )
        .join(latest, latest.c.enrolment_id == Enrolment.id)
        .join(Attendance, Attendance.id == latest.c.id)
        .join(TrainingSession, TrainingSession.id == Enrolment.session_id)
        .join(Programme, Programme.id == TrainingSession.programme_id)
        .outerjoin(trainer, trainer.id == TrainingSession.trainer_id)
        .where(
            Enrolment.person_id == person.id,
            Enrolment.status == EnrolmentStatus.ENROLLED,
            Attendance.mark.in_([str(m) for m in ATTENDED]),
            TrainingSession.ends_at <= now,
        )
        .order_by(TrainingSession.starts_at.desc(), TrainingSession.id.desc())
    ).all()
    return [Attended(*row) for row in rows]


@dataclass(frozen=True)
class Summary:
    attended: int
    assessed: int
    passed: int

    @classmethod
    def of(cls, rows: list[Attended]) -> Summary:
        results = [row.passed for row in rows]
        return cls(
            attended=len(rows),
            assessed=sum(1 for r in results if r is not None),
            passed=sum(1 for r in results if r),
        )


def transcript_inputs(person: User, rows: list[Attended], lang: str) -> tuple:
    """All the record shows: the person's names, number, property, department and job title
    (or grade) as printed, every attended session with its current mark, the language and the
    day."""
    return (
        person.id,
        person.staff_no,
        _both(person),
        _both(person.property),
        person.department_id,
        _both(person.department),
        person.job_title_id,
        _both(person.job_title, "title"),
        person.grade,
        tuple(row.inputs() for row in rows),
        lang,
        local_today().isoformat(),
    )


def transcript_document(person: User, lang: str | None = None) -> Document:
    """A person's training record, in `lang` (default: the person's own language, both
    languages when they chose none, as their staff record card)."""
    doc = DocumentLanguage(lang if lang in LANGUAGES else language_of(person))
    rows = attended(person)
    return Document(
        "training/pdf/transcript.html",
        f"training-record-{person.staff_no}-{doc.lang}.pdf",
        {
            "person": person,
            "rows": rows,
            "summary": Summary.of(rows),
            "doc": doc,
            "lang": doc.lang,
            "title": _l("Training record"),
            "number": person.staff_no,
            "printed_on": local_today(),
            "record": True,  # a record, not a controlled copy of a procedure
            "inputs": transcript_inputs(person, rows, doc.lang),
        },
    )


# --- the compliance matrix ------------------------------------------------------------------
# Programme columns per table: more are printed as several tables (each with every person),
# so that a status and its date stay readable in a column of an A4 landscape page.
COLUMNS_PER_TABLE = 12


@dataclass(frozen=True)
class MatrixPart:
    """Some of the matrix's programmes, printed as one table: (number in the key, column)."""

    columns: list[tuple[int, compliance.Column]]

    @property
    def first(self) -> int:
        return self.columns[0][0]

    @property
    def last(self) -> int:
        return self.columns[-1][0]


def matrix_parts(columns: list, per_table: int = COLUMNS_PER_TABLE) -> list[MatrixPart]:
    """The programmes numbered 1, 2, 3 … in the matrix's order, in tables of at most
    `per_table` columns, as even as can be (20 programmes: two tables of 10)."""
    numbered = list(enumerate(columns, start=1))
    if not numbered:
        return []
    parts = -(-len(numbered) // per_table)
    size = -(-len(numbered) // parts)
    return [MatrixPart(numbered[i : i + size]) for i in range(0, len(numbered), size)]


# A printed matrix lays out at about a second per page of 10 people: beyond this many people
# it would run into the PDF time limit; a department at a time (or the CSV) instead.
PDF_PEOPLE_LIMIT = 150


def compliance_document(
    viewer: User, department_id: int | None, lang: str, departments: list | None = None
) -> Document:
    """The compliance matrix the viewer may see (one department, or all of theirs), in `lang`:
    a summary per department, then one row per person and one column per programme.

    It shows people's standings as the viewer's scope allows, so it is a personal document:
    it names who printed it and when and is rendered for each print (no `inputs`).
    `departments`: those of the viewer's filter (compliance_views.departments_for), when the
    caller has them already."""
    doc = DocumentLanguage(lang)
    if departments is None:
        departments = departments_for(viewer)
    by_id = {d.id: d for d in departments}
    department = by_id.get(department_id) if department_id else None
    result = compliance.matrix(viewer, department_id=department.id if department else None)
    if len(result.people) > PDF_PEOPLE_LIMIT:
        raise DomainError(
            _(
                "%(n)s people are too many for one printout: choose a department, or download "
                "the CSV, which holds everyone.",
                n=len(result.people),
            )
        )
    suffix = f"-{department.id}" if department else ""
    return Document(
        "training/pdf/compliance.html",
        f"training-compliance{suffix}-{local_today():%Y%m%d}-{lang}.pdf",
        {
            "matrix": result,
            "parts": matrix_parts(result.columns),
            "property": db.session.get(Property, viewer.property_id),
            "department": department,
            # A supervisor's "all" is their departments, named; anyone else's the property's.
            "scope_departments": departments if viewer.role == "supervisor" else None,
            "departments": by_id,
            "cadences": {str(c): c for c in Cadence},
            "today": local_today(),
            "doc": doc,
            "lang": lang,
            "title": _l("Training compliance"),
            "record": True,  # a record, not a controlled copy of a procedure
            # Who printed it, in the document's language whenever it is rendered.
            "printed_by": LazyString(lambda: viewer.name),
            "printed_at": utcnow(),
        },
    )

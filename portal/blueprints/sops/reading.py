"""Reading SOPs: the library list and search, what a person must read, acknowledging, who has
read an SOP, reminders, the counts per department and the binder of a department.

Every list and count here composes the rules of rules.py, so they agree with each other.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import and_, bindparam, case, exists, func, or_, select, true
from sqlalchemy.orm import aliased, contains_eager, joinedload, selectinload

from portal import audit
from portal.blueprints.people import services as people
from portal.blueprints.people.models import Department, User
from portal.blueprints.sops import rules
from portal.blueprints.sops.models import (
    TEXT_FIELDS,
    Sop,
    SopAcknowledgement,
    SopReminder,
    SopStep,
    SopVersion,
    Stage,
    VersionStatus,
    pick,
)
from portal.database import advisory_lock, built_once, contains, like_pattern, utcnow
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import gettext as _
from portal.i18n import is_chinese, local_day_start, local_today, localized, select_timezone
from portal.pagination import Page, page_window, paginate


# --- the library --------------------------------------------------------------------------------
@dataclass
class SopRow:
    sop: Sop
    version: SopVersion | None  # in force, or None
    latest: SopVersion | None  # newest version of any status (for writers)
    acknowledged: bool | None  # None when the person is not in the audience
    reminded: bool = False  # the person was reminded to read it (at any time)


def list_sops(
    viewer: User,
    *,
    q: str = "",
    department_id: int | None = None,
    mine: bool = False,
    include_unpublished: bool = False,
    sop_id: int | None = None,
    today: date | None = None,
    paged: bool = False,
) -> list[SopRow] | Page:
    """SOPs of the viewer's property, with the version in force and the viewer's
    acknowledgement state, in a fixed number of queries whatever their number. `paged`: the
    page of them the query string asks for (portal.pagination), as a Page of SopRow."""
    today = today or local_today()
    statement = _library_statement(
        unpublished=include_unpublished,
        by_department=bool(department_id),
        one_sop=bool(sop_id),
        mine=mine,
        search=bool(q),
    )
    params = {
        "today": today,
        "yearly_cutoff": rules.yearly_cutoff(today),
        "viewer_id": viewer.id,
        "viewer_department_id": viewer.department_id,
        "viewer_role": viewer.role,
        "property_id": viewer.property_id,
        "department_id": department_id,
        "sop_id": sop_id,
        "pattern": like_pattern(q) if q else None,
    }
    found = paginate(statement, params, whole_rows=True) if paged else None
    rows = found.items if paged else db.session.execute(statement, params).all()
    latest_by_sop = {}
    if include_unpublished and rows:
        for version in db.session.scalars(
            _newest_versions_statement(), {"sop_ids": [r[0].id for r in rows]}
        ):
            latest_by_sop[version.sop_id] = version
    listed = [
        SopRow(
            sop,
            version,
            latest_by_sop.get(sop.id),
            (bool(ack) if version is not None else None) if in_audience else None,
            bool(reminded),
        )
        for sop, version, in_audience, ack, reminded in rows
    ]
    return replace(found, items=listed) if paged else listed


@built_once
def _library_statement(*, unpublished: bool, by_department: bool, one_sop: bool, mine, search):
    today = bindparam("today")
    current = rules.current_versions_subquery(today)
    baseline = rules.baseline_subquery(today)
    audience = rules.in_audience(bindparam("viewer_department_id"), bindparam("viewer_role"))
    acked = rules.acknowledged(
        bindparam("viewer_id"),
        Sop.id,
        baseline.c.baseline_key,
        Sop.yearly_ack,
        None,
        cutoff=bindparam("yearly_cutoff"),
    )
    reminded = exists(
        select(SopReminder.id).where(
            SopReminder.sop_id == Sop.id, SopReminder.user_id == bindparam("viewer_id")
        )
    )
    query = (
        select(
            Sop,
            SopVersion,
            audience.label("audience"),
            acked.label("acked"),
            reminded.label("reminded"),
        )
        .outerjoin(current, current.c.sop_id == Sop.id)
        .outerjoin(SopVersion, SopVersion.id == current.c.version_id)
        .outerjoin(baseline, baseline.c.sop_id == Sop.id)
        .where(Sop.property_id == bindparam("property_id"))
        .options(joinedload(Sop.department, innerjoin=True))
        .order_by(Sop.number)
    )
    if not unpublished:
        query = query.where(current.c.version_id.is_not(None))
    if by_department:
        query = query.where(Sop.department_id == bindparam("department_id"))
    if one_sop:
        query = query.where(Sop.id == bindparam("sop_id"))
    if mine:
        query = query.where(audience)
    if search:
        query = query.where(Sop.id.in_(search_sop_ids(bindparam("pattern"))))
    return query


@built_once
def _newest_versions_statement():
    newest = (
        select(SopVersion.sop_id, func.max(SopVersion.version_key).label("key"))
        .where(SopVersion.sop_id.in_(bindparam("sop_ids", expanding=True)))
        .group_by(SopVersion.sop_id)
        .subquery()
    )
    return select(SopVersion).join(
        newest,
        and_(newest.c.sop_id == SopVersion.sop_id, newest.c.key == SopVersion.version_key),
    )


def row_for(sop: Sop, user: User, today: date | None = None) -> SopRow | None:
    """One SOP as `user` sees it (version in force, acknowledged or not)."""
    rows = list_sops(user, sop_id=sop.id, today=today)
    return rows[0] if rows else None


def search_sop_ids(q):
    """SOPs whose number, title or any text (either language, any version) contains q, as typed
    (or a bound parameter holding its like_pattern). Substring search: Chinese needs no spaces
    between words."""
    text_match = or_(
        *[contains(getattr(SopVersion, name), q) for name in TEXT_FIELDS if "change" not in name]
    )
    step_match = exists(
        select(SopStep.id).where(
            SopStep.version_id == SopVersion.id,
            or_(
                contains(SopStep.text_en, q),
                contains(SopStep.text_zh, q),
                contains(SopStep.note_en, q),
                contains(SopStep.note_zh, q),
            ),
        )
    )
    return (
        select(Sop.id)
        .join(SopVersion, SopVersion.sop_id == Sop.id)
        .where(or_(contains(Sop.number, q), text_match, step_match))
    )


def pending_for(user: User, today: date | None = None) -> list[tuple[Sop, SopVersion, bool]]:
    """SOPs in force that this person must (re-)acknowledge: (sop, version, reminded)."""
    rows = list_sops(user, mine=True, today=today)
    return [(r.sop, r.version, r.reminded) for r in rows if r.acknowledged is False]


@dataclass(frozen=True)
class SopLabel:
    """What a home card shows of an SOP: read as columns, not as the whole document."""

    id: int
    number: str
    yearly_ack: bool


@dataclass(frozen=True)
class VersionLabel:
    id: int
    major: int
    minor: int
    title_en: str | None
    title_zh: str | None

    @property
    def number(self) -> str:
        return f"{self.major}.{self.minor}"

    @property
    def title(self) -> str:
        return pick(self, "title")


@dataclass(frozen=True)
class SopChoice:
    """An SOP as another module offers it in a list (e.g. what a training covers)."""

    id: int
    number: str
    title_en: str | None
    title_zh: str | None

    @property
    def title(self) -> str:
        return pick(self, "title")

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}".strip()


def sop_choices(property_id: int) -> list[SopChoice]:
    """The property's SOPs that are not retired, by number, each with the title of its newest
    version (one query)."""
    newest = (
        select(SopVersion.title_en, SopVersion.title_zh)
        .where(SopVersion.sop_id == Sop.id)
        .order_by(SopVersion.version_key.desc())
        .limit(1)
        .correlate(Sop)
    )
    rows = db.session.execute(
        select(
            Sop.id,
            Sop.number,
            newest.with_only_columns(SopVersion.title_en).scalar_subquery(),
            newest.with_only_columns(SopVersion.title_zh).scalar_subquery(),
        )
        .where(
            Sop.property_id == property_id,
            or_(Sop.retired_on.is_(None), Sop.retired_on > local_today()),
        )
        .order_by(Sop.number)
    )
    return [SopChoice(*row) for row in rows]


@dataclass(frozen=True)
class ToRead:
    """An SOP in force that a person must (re-)acknowledge, for their home page."""

    sop: SopLabel
    version: VersionLabel
    due_since: date | None  # since when they are asked to read it
    reminded_at: datetime | None  # the latest reminder they have not acted on
    reminded_by: str | None = None  # who sent it, in the reader's language
    reminded_by_role: str | None = None


def to_read_for(user: User, today: date | None = None) -> list[ToRead]:
    """What `user` must read, reminded first, then the longest due; one query.

    Due since: the effective date of the version that asked for the reading (the latest one
    that was not a minor edit), or the day a yearly reading ran out, and never before the
    person's hire date."""
    today = today or local_today()
    rows = db.session.execute(
        _to_read_statement(),
        {
            "today": today,
            "yearly_cutoff": rules.yearly_cutoff(today),
            "viewer_id": user.id,
            "viewer_department_id": user.department_id,
            "viewer_role": user.role,
            "property_id": user.property_id,
        },
    ).all()
    zh = is_chinese()
    found = []
    for row in rows:
        sop, version = SopLabel(*row[:3]), VersionLabel(*row[3:8])
        asked_from, last_read, at, by_en, by_zh, by_role = row[8:]
        due = asked_from
        if sop.yearly_ack and last_read is not None:
            ran_out = last_read.astimezone(ZoneInfo(select_timezone())).date() + timedelta(
                days=rules.YEARLY_DAYS
            )
            due = max(due, ran_out) if due else ran_out
        if due is not None and user.hire_date is not None:
            due = max(due, user.hire_date)
        by = ((by_zh or by_en) if zh else (by_en or by_zh)) if at else None
        found.append(ToRead(sop, version, due, at, by, by_role if at else None))
    found.sort(key=lambda r: (r.reminded_at is None, r.due_since or today, r.sop.number))
    return found


@built_once
def _to_read_statement():
    viewer = bindparam("viewer_id")
    today = bindparam("today")
    current = rules.current_versions_subquery(today)
    baseline = rules.baseline_subquery(today)
    asking = aliased(SopVersion)  # the version whose reading is asked for (the baseline)
    acked = rules.acknowledged(
        viewer,
        Sop.id,
        baseline.c.baseline_key,
        Sop.yearly_ack,
        None,
        cutoff=bindparam("yearly_cutoff"),
    )
    last_read = (
        select(func.max(SopAcknowledgement.acknowledged_at))
        .where(
            SopAcknowledgement.sop_id == Sop.id,
            SopAcknowledgement.user_id == viewer,
            SopAcknowledgement.version_key >= baseline.c.baseline_key,
        )
        .scalar_subquery()
    )
    reminders = _open_reminders(SopReminder.user_id == viewer)
    sender = aliased(User)
    return (
        select(
            Sop.id,
            Sop.number,
            Sop.yearly_ack,
            SopVersion.id,
            SopVersion.major,
            SopVersion.minor,
            SopVersion.title_en,
            SopVersion.title_zh,
            asking.effective_date,
            last_read,
            reminders.c.at,
            sender.name_en,
            sender.name_zh,
            sender.role,
        )
        .join(current, current.c.sop_id == Sop.id)
        .join(SopVersion, SopVersion.id == current.c.version_id)
        .join(baseline, baseline.c.sop_id == Sop.id)
        .outerjoin(
            asking,
            and_(asking.sop_id == Sop.id, asking.version_key == baseline.c.baseline_key),
        )
        .outerjoin(reminders, reminders.c.sop_id == Sop.id)
        .outerjoin(sender, sender.id == reminders.c.by_id)
        .where(
            Sop.property_id == bindparam("property_id"),
            rules.in_audience(bindparam("viewer_department_id"), bindparam("viewer_role")),
            ~acked,
        )
        .order_by(Sop.number)
    )


def overdue_reviews(property_id: int, today: date | None = None) -> list[SopVersion]:
    today = today or local_today()
    return list(
        db.session.scalars(
            _overdue_reviews_statement(), {"property_id": property_id, "today": today}
        )
    )


@built_once
def _overdue_reviews_statement():
    today = bindparam("today")
    current = rules.current_versions_subquery(today)
    return (
        select(SopVersion)
        .join(current, current.c.version_id == SopVersion.id)
        .join(Sop, Sop.id == SopVersion.sop_id)
        .where(Sop.property_id == bindparam("property_id"), SopVersion.review_date < today)
        .options(contains_eager(SopVersion.sop))
        .order_by(SopVersion.review_date)
    )


def awaiting_approval(viewer: User) -> list[SopVersion]:
    return list(
        db.session.scalars(
            _awaiting_approval_statement(),
            {"property_id": viewer.property_id, "viewer_id": viewer.id},
        )
    )


@built_once
def _awaiting_approval_statement():
    return (
        select(SopVersion)
        .join(Sop, Sop.id == SopVersion.sop_id)
        .where(
            Sop.property_id == bindparam("property_id"),
            SopVersion.status == VersionStatus.IN_REVIEW,
            SopVersion.author_id != bindparam("viewer_id"),
        )
        .options(contains_eager(SopVersion.sop), joinedload(SopVersion.author))
        .order_by(SopVersion.submitted_at)
    )


# --- acknowledging ------------------------------------------------------------------------------
def acknowledge(
    sop: Sop, version: SopVersion, user: User, today: date | None = None
) -> SopAcknowledgement | None:
    """Record 'I have read and understood version X'. None when already acknowledged."""
    current = rules.current_version(sop, today)
    if current is None or current.id != version.id:
        raise DomainError(_("This version is not in force any more. Read the current one."))
    mine = row_for(sop, user, today)
    if mine is not None and mine.acknowledged:
        return None
    ack = SopAcknowledgement(
        sop_id=sop.id,
        version_id=version.id,
        version_key=version.version_key,
        user_id=user.id,
        acknowledged_at=utcnow(),
    )
    db.session.add(ack)
    db.session.flush()
    audit.record(
        "sop.acknowledged", sop, actor=user, summary=f"{sop.number} version {version.number}"
    )
    return ack


# --- following up -------------------------------------------------------------------------------
def audience_query(sop: Sop):
    """SQL select of the active people of the SOP's property whom its audience names."""
    return people.people_at(sop.property_id).where(
        rules.in_audience(User.department_id, User.role, sop.id)
    )


def audience_people(sop: Sop) -> list[User]:
    """The people who must read the SOP, by department and staff number."""
    return list(
        db.session.scalars(
            audience_query(sop)
            .options(selectinload(User.department))
            .order_by(User.department_id, User.staff_no)
        )
    )


def version_in_force(sop: Sop, today: date | None = None) -> SopVersion | None:
    """The version in force of one SOP, without its steps (a page that names it only)."""
    return db.session.scalar(
        _version_in_force_statement(), {"sop_id": sop.id, "today": today or local_today()}
    )


@built_once
def _version_in_force_statement():
    current = rules.current_versions_subquery(bindparam("today"))
    return (
        select(SopVersion)
        .join(current, current.c.version_id == SopVersion.id)
        .where(current.c.sop_id == bindparam("sop_id"))
    )


# --- the acknowledgement table ------------------------------------------------------------------
@dataclass(frozen=True)
class CoverageRow:
    """One person of an SOP's audience on the acknowledgement table (read as a tuple).

    It answers what the permission predicates ask of a person (id, property, department,
    active), so `can_remind(viewer, row)` decides the row's Remind button without a query."""

    person_id: int
    name: str
    staff_no: str
    department: str
    acknowledged_at: datetime | None  # the latest acknowledgement that counts
    version_number: str | None
    reminded_at: datetime | None  # the latest reminder that no acknowledgement followed
    reminded_by: str | None = None  # who sent it
    department_id: int | None = None
    property_id: int | None = None
    reminded_today: bool = False  # once a day per person
    active = True  # the table lists people still working here only

    @property
    def id(self) -> int:
        return self.person_id


@dataclass(frozen=True)
class OwnReading:
    """The viewer's own place in the audience of the SOP they follow up."""

    acknowledged_at: datetime | None


# Coverage levels, from the highest: (lowest percentage, name). 0-49 % low, 50-89 % partial,
# 90-100 % good; the pages show each with its own colour, icon and word.
LEVELS = ((90, "good"), (50, "partial"), (0, "low"))


def coverage_level(done: int, total: int) -> str | None:
    """'low', 'partial' or 'good' for `done` of `total` (None when nobody is asked)."""
    if not total:
        return None
    percent = done * 100 // total
    return next(name for lowest, name in LEVELS if percent >= lowest)


@dataclass(frozen=True)
class Coverage:
    page: Page  # of CoverageRow: the audience but the viewer, by department and staff number
    done: int  # of the whole audience, the viewer included
    total: int
    outstanding_only: bool
    outstanding: int = 0  # not acknowledged yet, the viewer left out (whom one may remind)
    mine: OwnReading | None = None  # the viewer, when the audience names them

    @property
    def percent(self) -> int:
        return self.done * 100 // self.total if self.total else 0

    @property
    def level(self) -> str | None:
        return coverage_level(self.done, self.total)


def coverage(
    sop: Sop,
    *,
    viewer: User | None = None,
    today: date | None = None,
    outstanding_only: bool = False,
    page: int | None = None,
) -> Coverage:
    """Who has and has not acknowledged the version in force: the counts of the whole audience
    and one page of people, in two queries whatever the size of the audience.

    The viewer follows the others up: they are counted (they read the SOP like anyone) but not
    listed, and their own state comes apart (`mine`). `page` None reads the page from the query
    string; 0 means every row (tests, exports)."""
    today = today or local_today()
    params = {
        "sop_id": sop.id,
        "property_id": sop.property_id,
        "today": today,
        "yearly_cutoff": rules.yearly_cutoff(today),
        "viewer_id": viewer.id if viewer is not None else 0,  # 0 names nobody
    }
    done, total, me, me_done, me_at = db.session.execute(_coverage_counts_statement(), params).one()
    done, total = done or 0, total or 0
    mine = OwnReading(me_at if me_done else None) if me else None
    outstanding = total - done - (1 if me and not me_done else 0)
    shown = outstanding if outstanding_only else total - (1 if me else 0)
    if page == 0:
        number, per_page, offset = 1, max(shown, 1), 0
    elif page is None:
        number, per_page, offset = page_window(shown)
    else:
        per_page = current_app.config["PER_PAGE"]
        number = min(max(page, 1), max(1, -(-shown // per_page)))
        offset = (number - 1) * per_page
    found = db.session.execute(
        _coverage_rows_statement(outstanding_only),
        params | {"limit": per_page, "offset": offset},
    )
    zh = is_chinese()
    since = local_day_start(today)

    def pick(en, zh_):
        return (zh_ or en) if zh else (en or zh_)

    rows = [
        CoverageRow(
            pid,
            pick(name_en, name_zh),
            staff_no,
            pick(dept_en, dept_zh) or "—",
            acked_at,
            f"{key // 1000}.{key % 1000}" if key is not None else None,
            reminded_at,
            pick(by_en, by_zh) if reminded_at else None,
            department_id,
            sop.property_id,
            reminded_at is not None and reminded_at >= since,
        )
        for (
            pid,
            name_en,
            name_zh,
            staff_no,
            department_id,
            dept_en,
            dept_zh,
            acked_at,
            key,
            reminded_at,
            by_en,
            by_zh,
        ) in found
    ]
    return Coverage(
        Page(rows, number, per_page, shown), done, total, outstanding_only, outstanding, mine
    )


def _coverage_parts():
    """The audience of an SOP (active people of its property whom its audience rows name) with
    each one's latest acknowledgement that still counts."""
    baseline = rules.baseline_subquery(bindparam("today"))
    acks = (
        select(
            SopAcknowledgement.user_id.label("user_id"),
            func.max(SopAcknowledgement.acknowledged_at).label("at"),
            func.max(SopAcknowledgement.version_key).label("key"),
        )
        .join(Sop, Sop.id == SopAcknowledgement.sop_id)
        .join(baseline, baseline.c.sop_id == Sop.id)
        .where(
            SopAcknowledgement.sop_id == bindparam("sop_id"),
            rules.still_counts(
                SopAcknowledgement,
                baseline.c.baseline_key,
                Sop.yearly_ack,
                None,
                cutoff=bindparam("yearly_cutoff"),
            ),
        )
        .group_by(SopAcknowledgement.user_id)
        .subquery()
    )
    audience = and_(
        User.property_id == bindparam("property_id"),
        User.active.is_(True),
        rules.in_audience(User.department_id, User.role, bindparam("sop_id")),
    )
    return acks, audience


def _open_reminders(*where):
    """Per SOP and person, the latest reminder that no acknowledgement has followed (what the
    person still has to act on): (sop_id, user_id, at, by_id), narrowed by `where`."""
    acknowledged_since = exists(
        select(SopAcknowledgement.id).where(
            SopAcknowledgement.sop_id == SopReminder.sop_id,
            SopAcknowledgement.user_id == SopReminder.user_id,
            SopAcknowledgement.acknowledged_at >= SopReminder.reminded_at,
        )
    )
    ranked = (
        select(
            SopReminder.sop_id.label("sop_id"),
            SopReminder.user_id.label("user_id"),
            SopReminder.reminded_at.label("at"),
            SopReminder.reminded_by_id.label("by_id"),
            func.row_number()
            .over(
                partition_by=(SopReminder.sop_id, SopReminder.user_id),
                order_by=(SopReminder.reminded_at.desc(), SopReminder.id.desc()),
            )
            .label("rank"),
        )
        .where(*where, ~acknowledged_since)
        .subquery()
    )
    return (
        select(ranked.c.sop_id, ranked.c.user_id, ranked.c.at, ranked.c.by_id)
        .where(ranked.c.rank == 1)
        .subquery()
    )


@built_once
def _coverage_counts_statement():
    acks, audience = _coverage_parts()
    me = User.id == bindparam("viewer_id")
    return (
        select(
            func.count(acks.c.user_id),
            func.count(User.id),
            func.count(case((me, User.id))),
            func.count(case((me, acks.c.user_id))),
            func.max(case((me, acks.c.at))),
        )
        .select_from(User)
        .outerjoin(acks, acks.c.user_id == User.id)
        .where(audience)
    )


@built_once
def _coverage_rows_statement(outstanding_only: bool):
    acks, audience = _coverage_parts()
    reminders = _open_reminders(SopReminder.sop_id == bindparam("sop_id"))
    sender = aliased(User)
    query = (
        select(
            User.id,
            User.name_en,
            User.name_zh,
            User.staff_no,
            User.department_id,
            Department.name_en,
            Department.name_zh,
            acks.c.at,
            acks.c.key,
            reminders.c.at,
            sender.name_en,
            sender.name_zh,
        )
        .outerjoin(Department, Department.id == User.department_id)
        .outerjoin(acks, acks.c.user_id == User.id)
        .outerjoin(reminders, reminders.c.user_id == User.id)
        .outerjoin(sender, sender.id == reminders.c.by_id)
        .where(audience, User.id != bindparam("viewer_id"))
        .order_by(Department.position, User.staff_no)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    if outstanding_only:
        query = query.where(acks.c.user_id.is_(None))
    return query


# --- reminding ----------------------------------------------------------------------------------
def _reminder_lock(sop: Sop) -> None:
    """Reminders of one SOP are written one transaction at a time, so that two taps (or a
    retried request) on two workers cannot both find someone 'not reminded today'."""
    advisory_lock(f"sop_reminders:{sop.id}")


def _add_reminders(sop: Sop, persons: list[User], by: User) -> list[SopReminder]:
    """Write the reminders, and one audit row per person."""
    now = utcnow()
    reminders = [
        SopReminder(sop_id=sop.id, user_id=p.id, reminded_by_id=by.id, reminded_at=now)
        for p in persons
    ]
    db.session.add_all(reminders)
    db.session.flush()
    for person in persons:
        audit.record(
            "sop.reminded", sop, actor=by, summary=f"{sop.number} reminder to {person.staff_no}"
        )
    return reminders


def remind(sop: Sop, person: User, *, by: User, today: date | None = None) -> SopReminder | None:
    """A reminder to read the SOP, for someone its audience names who has not acknowledged it.

    Once a day per person: None when they were reminded today already (a double tap, a retried
    request), and nothing is written."""
    if person.id == by.id:
        raise DomainError(_("You do not remind yourself: read the SOP and acknowledge it."))
    today = today or local_today()
    _reminder_lock(sop)
    state = None
    if person.property_id == sop.property_id:
        state = db.session.execute(
            _remind_state_statement(),
            {
                "sop_id": sop.id,
                "person_id": person.id,
                "today": today,
                "yearly_cutoff": rules.yearly_cutoff(today),
                "since": local_day_start(today),
            },
        ).one_or_none()
    if state is None or not state.asked:
        raise DomainError(_("%(name)s is not asked to read this SOP.", name=person.name))
    if state.acknowledged:
        raise DomainError(_("%(name)s has acknowledged it already.", name=person.name))
    if state.today:
        return None
    return _add_reminders(sop, [person], by)[0]


@built_once
def _remind_state_statement():
    acks, _audience = _coverage_parts()
    return select(
        rules.in_audience(User.department_id, User.role, bindparam("sop_id")).label("asked"),
        exists(select(acks.c.user_id).where(acks.c.user_id == User.id)).label("acknowledged"),
        _reminded_since().label("today"),
    ).where(User.id == bindparam("person_id"))


def _reminded_since():
    """SQL: the person (User) was reminded to read the SOP :sop_id at :since or later."""
    return exists(
        select(SopReminder.id).where(
            SopReminder.sop_id == bindparam("sop_id"),
            SopReminder.user_id == User.id,
            SopReminder.reminded_at >= bindparam("since"),
        )
    )


@dataclass(frozen=True)
class Outstanding:
    """Whom 'remind everyone outstanding' reaches: the people of the audience in the actor's
    scope who have not acknowledged yet, the actor left out."""

    to_remind: list[User]  # not reminded today
    reminded_today: list[User]  # reminded today already: not again
    out_of_scope: int  # not acknowledged, but of departments the actor does not supervise


def outstanding(sop: Sop, *, by: User, today: date | None = None) -> Outstanding:
    """Who a reminder to everyone outstanding would reach now (the confirmation shows it)."""
    today = today or local_today()
    rows = db.session.execute(
        _outstanding_statement(),
        {
            "sop_id": sop.id,
            "property_id": sop.property_id,
            "today": today,
            "yearly_cutoff": rules.yearly_cutoff(today),
            "viewer_id": by.id,
            "since": local_day_start(today),
        },
    ).all()
    mine = [(person, today_) for person, today_ in rows if people.in_scope(by, person)]
    return Outstanding(
        [person for person, today_ in mine if not today_],
        [person for person, today_ in mine if today_],
        len(rows) - len(mine),
    )


@dataclass(frozen=True)
class OutstandingSummary:
    """What 'remind everyone outstanding' would do, as the question before it shows it: the
    numbers, and the first people it would remind (by department, then staff number)."""

    to_remind: int
    first: list[User]
    reminded_today: int
    out_of_scope: int


SUMMARY_NAMES = 8


def outstanding_summary(sop: Sop, *, by: User, today: date | None = None) -> OutstandingSummary:
    """outstanding() counted in SQL, with the first SUMMARY_NAMES people: asking first reads
    no more rows than it shows, whatever the audience (one query)."""
    today = today or local_today()
    shape, scope_params = people.scope_shape(by)
    rows = db.session.execute(
        _summary_statement(shape, SUMMARY_NAMES),
        {
            "sop_id": sop.id,
            "property_id": sop.property_id,
            "today": today,
            "yearly_cutoff": rules.yearly_cutoff(today),
            "viewer_id": by.id,
            "since": local_day_start(today),
            **scope_params,
        },
    ).all()
    if not rows:
        return OutstandingSummary(0, [], 0, 0)
    to_remind, reminded_today, out_of_scope = (int(n or 0) for n in rows[0][1:])
    return OutstandingSummary(
        to_remind, [row[0] for row in rows[:to_remind]], reminded_today, out_of_scope
    )


@built_once
def _summary_statement(shape: str, names: int):
    in_scope = people.scope_clause_of(shape)
    reminded = _reminded_since()

    def counted(condition):
        return func.sum(case((condition, 1), else_=0)).over()

    counts = select(
        User,
        counted(and_(in_scope, ~reminded)),
        counted(and_(in_scope, reminded)),
        counted(~in_scope),
    )
    return (
        _not_acknowledged(counts)
        .order_by(case((and_(in_scope, ~reminded), 0), else_=1), Department.position, User.staff_no)
        .limit(names)
    )


def remind_outstanding(sop: Sop, *, by: User, today: date | None = None) -> Outstanding:
    """Remind, at once, everyone of the audience in the actor's scope who has not acknowledged
    the SOP and was not reminded today; one audit row per person. Repeating it the same day
    (a double tap, a retry on a slow connection) reminds nobody twice. Returns who was reminded
    (`to_remind`) and who was left alone."""
    _reminder_lock(sop)
    found = outstanding(sop, by=by, today=today)
    _add_reminders(sop, found.to_remind, by)
    return found


def _not_acknowledged(query):
    """The audience of :sop_id in the actor's property who have not acknowledged it, the
    actor (:viewer_id) left out: the people 'remind everyone' reaches and asks about."""
    acks, audience = _coverage_parts()
    return (
        query.outerjoin(Department, Department.id == User.department_id)
        .outerjoin(acks, acks.c.user_id == User.id)
        .where(audience, acks.c.user_id.is_(None), User.id != bindparam("viewer_id"))
    )


@built_once
def _outstanding_statement():
    return _not_acknowledged(select(User, _reminded_since().label("today"))).order_by(
        Department.position, User.staff_no
    )


@dataclass(frozen=True)
class DepartmentCoverage:
    """One SOP in force, as the card shows it (read as columns, not as documents)."""

    sop_id: int
    number: str
    title_en: str
    title_zh: str
    done: int
    total: int

    @property
    def title(self) -> str:
        return localized(self, "title")


def department_coverage(
    property_id: int, department_ids: list[int], today: date | None = None
) -> list[DepartmentCoverage]:
    """For SOPs in force: how many active people of these departments must read each one, and
    how many of them hold an acknowledgement that counts. One query whatever the numbers."""
    today = today or local_today()
    if not department_ids:
        return []
    rows = db.session.execute(
        _department_coverage_statement(),
        {
            "property_id": property_id,
            "department_ids": list(department_ids),
            "today": today,
            "yearly_cutoff": rules.yearly_cutoff(today),
        },
    ).all()
    return [DepartmentCoverage(*row) for row in rows]


@built_once
def _department_coverage_statement():
    """Counted per group of people (department and role), not per person: who must read an SOP
    depends on their department and role only, so the audience is matched once per group
    (SOPs x a few dozen groups), and the acknowledgements are counted by one pass over those of
    the groups' people, joined to the matches."""
    today = bindparam("today")
    staff = (
        people.people_at(bindparam("property_id"))
        .where(User.department_id.in_(bindparam("department_ids", expanding=True)))
        .subquery()
    )
    groups = (
        select(staff.c.department_id, staff.c.role, func.count().label("n"))
        .group_by(staff.c.department_id, staff.c.role)
        .subquery()
    )
    baseline = rules.baseline_subquery(today)
    matched = (
        select(
            baseline.c.sop_id,
            baseline.c.baseline_key,
            groups.c.department_id,
            groups.c.role,
            groups.c.n,
        )
        .join(Sop, Sop.id == baseline.c.sop_id)
        .join(groups, true())
        .where(
            Sop.property_id == bindparam("property_id"),
            rules.in_audience(groups.c.department_id, groups.c.role, baseline.c.sop_id),
        )
        # Computed once (SQLite and PostgreSQL 12+): flattened into the count of
        # acknowledgements, the baseline would be worked out again for every row it counts.
        .cte("coverage_matched")
        .prefix_with("MATERIALIZED")
    )
    totals = (
        select(matched.c.sop_id, func.sum(matched.c.n).label("total"))
        .group_by(matched.c.sop_id)
        .subquery()
    )
    ack = SopAcknowledgement
    done = (
        select(ack.sop_id, func.count(ack.user_id.distinct()).label("done"))
        .join(staff, staff.c.id == ack.user_id)
        .join(
            matched,
            and_(
                matched.c.sop_id == ack.sop_id,
                matched.c.department_id == staff.c.department_id,
                matched.c.role == staff.c.role,
            ),
        )
        .join(Sop, Sop.id == ack.sop_id)
        .where(
            rules.still_counts(
                ack, matched.c.baseline_key, Sop.yearly_ack, None, cutoff=bindparam("yearly_cutoff")
            )
        )
        .group_by(ack.sop_id)
        .subquery()
    )
    current = rules.current_versions_subquery(today)
    return (
        select(
            Sop.id,
            Sop.number,
            SopVersion.title_en,
            SopVersion.title_zh,
            func.coalesce(done.c.done, 0),
            totals.c.total,
        )
        .join(current, current.c.sop_id == Sop.id)
        .join(SopVersion, SopVersion.id == current.c.version_id)
        .join(totals, totals.c.sop_id == Sop.id)
        .outerjoin(done, done.c.sop_id == Sop.id)
        .order_by(Sop.number)
    )


# --- print --------------------------------------------------------------------------------------
def binder_entries(
    property_id: int, department_id: int, today: date | None = None
) -> list[tuple[Sop, SopVersion, Stage]]:
    """The SOPs in force that a department owns, in number order, ready to print."""
    today = today or local_today()
    current = rules.current_versions_subquery(today)
    rows = db.session.execute(
        select(Sop, SopVersion)
        .join(current, current.c.sop_id == Sop.id)
        .join(SopVersion, SopVersion.id == current.c.version_id)
        .where(Sop.property_id == property_id, Sop.department_id == department_id)
        .options(
            selectinload(SopVersion.steps),
            selectinload(SopVersion.approver),
            selectinload(Sop.department),
            selectinload(Sop.property),
        )
        .order_by(Sop.number)
    ).all()
    return [(sop, version, Stage.EFFECTIVE) for sop, version in rows]

"""What training adds to the home page: numbers read with every other card's in one query, the
employee's list of what they must still take (two queries of its own), and compliance per
department for HR and managers (kept per property until something changes)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from flask import url_for
from sqlalchemy import bindparam, func, literal, select

from portal import audit
from portal.blueprints.people import services as people
from portal.blueprints.training import budget, certificates, compliance, services
from portal.blueprints.training.compliance import STATUS_ICONS, Status
from portal.blueprints.training.models import (
    DEFAULT_ANNUAL_BUDGET,
    Enrolment,
    EnrolmentStatus,
    Programme,
    TrainingSession,
    TrainingSettings,
)
from portal.database import built_once, utcnow
from portal.extensions import db
from portal.i18n import fmt_date, fmt_datetime, fmt_money, fmt_time, local_today, localized
from portal.i18n import gettext as _
from portal.memo import Memo
from portal.modules import Numbers


def my_sessions_numbers(user) -> Numbers:
    return Numbers()


def my_sessions_numbers_sql(_shape) -> dict:
    mine = (
        select(func.count(Enrolment.id))
        .join(TrainingSession, TrainingSession.id == Enrolment.session_id)
        .where(
            Enrolment.person_id == bindparam("card_user_id"),
            TrainingSession.ends_at >= bindparam("card_now"),
        )
    )
    return {
        "enrolled": mine.where(Enrolment.status == EnrolmentStatus.ENROLLED).scalar_subquery(),
        "waiting": mine.where(Enrolment.status == EnrolmentStatus.WAITING).scalar_subquery(),
    }


SESSIONS_SHOWN = 3


@dataclass(frozen=True)
class NextSession:
    id: int
    starts_at: datetime
    ends_at: datetime
    room: str
    title_en: str
    title_zh: str

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def one_day(self) -> bool:
        tz = services.zone()
        return self.starts_at.astimezone(tz).date() == self.ends_at.astimezone(tz).date()


@built_once
def _next_sessions_statement():
    return (
        select(
            TrainingSession.id,
            TrainingSession.starts_at,
            TrainingSession.ends_at,
            TrainingSession.room,
            Programme.title_en,
            Programme.title_zh,
        )
        .join(Enrolment, Enrolment.session_id == TrainingSession.id)
        .join(Programme, Programme.id == TrainingSession.programme_id)
        .where(
            Enrolment.person_id == bindparam("person_id"),
            Enrolment.status == EnrolmentStatus.ENROLLED,
            TrainingSession.ends_at >= bindparam("now"),
        )
        .order_by(TrainingSession.starts_at, TrainingSession.id)
        .limit(bindparam("limit"))
    )


def next_sessions(user, limit: int = SESSIONS_SHOWN) -> list[NextSession]:
    """The sessions not over yet where the user holds a seat, the soonest first (one query,
    read as rows)."""
    rows = db.session.execute(
        _next_sessions_statement(), {"person_id": user.id, "now": utcnow(), "limit": limit}
    )
    return [NextSession(*row) for row in rows]


def _when(session: NextSession) -> dict:
    """The reminder's badge: now, today, tomorrow or the day."""
    now = utcnow()
    tz = services.zone()
    day = session.starts_at.astimezone(tz).date()
    today = local_today()
    if session.starts_at <= now:
        return {"text": _("Running now"), "cls": "text-bg-success", "icon": "clock"}
    if day == today:
        return {"text": _("Today"), "cls": "text-bg-warning", "icon": "clock"}
    if day == today + timedelta(days=1):
        return {"text": _("Tomorrow"), "cls": "text-bg-info", "icon": "calendar-event"}
    return {
        "text": fmt_date(session.starts_at),
        "cls": "text-bg-secondary",
        "icon": "calendar-event",
    }


def my_sessions(user, numbers: dict) -> dict:
    """The learner's reminder: their next sessions with the day, time and room (one query when
    they hold a seat, none otherwise)."""
    url = url_for("training.index", show="mine")
    card = {
        "id": "my-training",
        "icon": "journal-check",
        "title": _("My next training"),
        "numbers": [(_("Sessions I am enrolled in"), numbers["enrolled"] or 0, url)],
        "link": (url_for("training.index"), _("Find a session")),
    }
    if numbers["waiting"]:
        card["numbers"].append((_("On a waiting list"), numbers["waiting"], url))
    if numbers["enrolled"]:
        card["entries"] = [
            {
                "url": url_for("training.detail", session_id=s.id),
                "label": s.title,
                "badge": _when(s),
                "notes": [
                    _(
                        "%(start)s until %(end)s, %(room)s",
                        start=fmt_time(s.starts_at),  # the badge says the day
                        end=fmt_time(s.ends_at) if s.one_day else fmt_datetime(s.ends_at),
                        room=s.room,
                    )
                ],
            }
            for s in next_sessions(user)
        ]
    else:
        card["empty"] = _("You are not enrolled in any session. Find one below.")
    return card


def supervisor_numbers(user) -> Numbers:
    shape, params = people.scope_shape(user)
    start, end = services.today_bounds()
    return Numbers(
        shape,
        {
            **params,
            "training_day_start": start,
            "training_day_end": end,
            "training_week_end": utcnow() + timedelta(days=7),
        },
    )


def supervisor_numbers_sql(shape: str) -> dict:
    """Today's sessions to run, rows still to mark, people booked in the next 7 days: the
    rules of the session list, with the supervisor's scope and the times bound parameters."""
    scope = services.scope_ids_of(shape)
    now = bindparam("card_now")
    today = (
        select(func.count(TrainingSession.id))
        .where(
            TrainingSession.property_id == bindparam("card_property_id"),
            services.today_clause(bindparam("training_day_start"), bindparam("training_day_end")),
            services.involves(bindparam("card_user_id"), scope),
        )
        .scalar_subquery()
    )
    still_open = (
        select(func.count(Enrolment.id))
        .join(TrainingSession, TrainingSession.id == Enrolment.session_id)
        .where(
            TrainingSession.property_id == bindparam("card_property_id"),
            services.open_clause(scope, now),
        )
        .scalar_subquery()
    )
    week = (
        select(func.count(Enrolment.id))
        .join(TrainingSession, TrainingSession.id == Enrolment.session_id)
        .where(
            TrainingSession.property_id == bindparam("card_property_id"),
            TrainingSession.starts_at >= now,
            TrainingSession.starts_at < bindparam("training_week_end"),
            Enrolment.status == EnrolmentStatus.ENROLLED,
            Enrolment.person_id.in_(scope),
        )
        .scalar_subquery()
    )
    return {"today": today, "open": still_open, "week": week}


def supervisor_training(user, numbers: dict) -> dict:
    return {
        "id": "training-today",
        "icon": "person-check",
        "title": _("Training to run"),
        "numbers": [
            (_("Sessions today"), numbers["today"] or 0, url_for("training.index", show="today")),
            (
                _("Attendance still open (people)"),
                numbers["open"] or 0,
                url_for("training.index", show="open"),
            ),
            (
                _("My people booked in the next 7 days"),
                numbers["week"] or 0,
                url_for("training.calendar", view="week"),
            ),
        ],
    }


TO_TAKE_SHOWN = 4
BADGES = {
    Status.NEVER: "text-bg-danger",
    Status.OVERDUE: "text-bg-danger",
    Status.DUE_SOON: "text-bg-warning",
    Status.DUE: "text-bg-secondary",
}


def still_to_take(user) -> dict | None:
    """The employee's "what I must still take", the most urgent first (two queries)."""
    items = compliance.still_to_take(user)
    if not items:
        return None
    behind = sum(1 for item in items if not item.cell.status.compliant)
    entries = []
    for item in items[:TO_TAKE_SHOWN]:
        status = item.cell.status
        entries.append(
            {
                "url": url_for("training.index", programme=item.programme.id),
                "label": item.programme.title,
                "badge": {
                    "text": status.label,
                    "cls": BADGES[status],
                    "icon": STATUS_ICONS[status][0],
                },
                "notes": [_("by %(date)s", date=fmt_date(item.cell.due_on))]
                if item.cell.due_on
                else [],
            }
        )
    card = {
        "id": "training-to-take",
        "icon": "clipboard-check",
        "title": _("What I must still take"),
        "entries": entries,
        "link": (url_for("training.index"), _("Find a session")),
    }
    if behind:
        card["numbers"] = [(_("Overdue or never taken"), behind, url_for("training.index"))]
    return card


def budget_numbers(user) -> Numbers:
    start, end = budget.year_bounds(local_today().year)
    return Numbers(None, {"training_year_start": start, "training_year_end": end})


def budget_numbers_sql(_shape) -> dict:
    property_id = bindparam("card_property_id")
    spent, planned = budget.spend_columns(
        property_id,
        bindparam("training_year_start"),
        bindparam("training_year_end"),
        bindparam("card_now"),
    )
    set_budget = (
        select(TrainingSettings.annual_budget)
        .where(TrainingSettings.property_id == property_id)
        .scalar_subquery()
    )
    return {
        "spent": spent,
        "planned": planned,
        "budget": func.coalesce(set_budget, literal(DEFAULT_ANNUAL_BUDGET)),
    }


def training_budget(user, numbers: dict) -> dict:
    spent, planned = numbers["spent"] or 0, numbers["planned"] or 0
    total = Decimal(numbers["budget"] or 0)
    share = int(Decimal(spent) * 100 // total) if total else 0
    url = url_for("training.budget_page")
    return {
        "id": "training-budget",
        "icon": "journal-check",
        "title": _("Training budget this year"),
        "numbers": [(_("Budget used (%)"), share, url)],
        "rows": [
            (_("Spent"), fmt_money(spent)),
            (_("Planned"), fmt_money(planned)),
            (_("Annual budget"), fmt_money(total)),
        ],
    }


def certificate_numbers(user) -> Numbers:
    return Numbers(*certificates.counts_params(user))


def certificate_numbers_sql(shape: str) -> dict:
    return certificates.counts_sql(shape)


def certificates_card(user, numbers: dict) -> dict | None:
    """Certificates running out within 60 days or expired: the person's own (an employee),
    their people's (a supervisor), the property's (HR). Nothing to show: no card."""
    expiring, expired = numbers["expiring"] or 0, numbers["expired"] or 0
    if not (expiring or expired):
        return None
    card = {
        "id": "training-certificates",
        "icon": "hourglass-split",
        "title": _("Certificates to renew"),
        "numbers": [
            (
                _("Expiring within 60 days"),
                expiring,
                url_for("training.certificates_list", show="expiring"),
            )
        ],
    }
    if expired:
        card["numbers"].append(
            (_("Expired"), expired, url_for("training.certificates_list", show="expired"))
        )
    return card


# --- compliance per department (HR, managers) ---------------------------------------------------
@dataclass(frozen=True)
class DepartmentStanding:
    department_id: int | None
    name_en: str
    name_zh: str
    people: int
    behind: int  # people overdue on, or never having taken, something required of them
    percent: int | None  # compliant share of the department's required cells

    @property
    def name(self) -> str:
        return localized(self)


_standings_memo = Memo()
MEMO_BUCKET = timedelta(minutes=5)  # a session ending counts its completions within 5 minutes
DEPARTMENTS_SHOWN = 5


def compliance_numbers(user) -> Numbers:
    return Numbers()


def compliance_numbers_sql(_shape) -> dict:
    return {"changed": audit.newest_change(bindparam("card_property_id"))}


def department_standings(user) -> list[DepartmentStanding]:
    """The matrix's department lines of the user's scope, the furthest behind first (the
    matrix's three queries and the department names; kept until the property changes)."""
    m = compliance.matrix(user)
    names = {d.id: (d.name_en, d.name_zh) for d in people.property_departments(user.property_id)}
    lines = [
        DepartmentStanding(
            line.department_id,
            *names.get(line.department_id, ("", "")),
            line.people,
            line.behind_people,
            line.tally.percent,
        )
        for line in m.by_department
        if line.tally.required
    ]
    return sorted(lines, key=lambda d: (d.percent, -d.behind, d.name_en))


def compliance_card(user, numbers: dict) -> dict | None:
    """Compliance per department: where people are behind, the worst first. Nothing required
    of anyone yet: no card."""
    shape, params = people.scope_shape(user)
    key = (
        user.property_id,
        shape,
        tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items())),
        numbers["changed"],
        local_today(),
        int(utcnow().timestamp() // MEMO_BUCKET.total_seconds()),
    )
    lines = _standings_memo.get(key, lambda: department_standings(user))
    if not lines:
        return None
    entries = []
    for line in lines[:DEPARTMENTS_SHOWN]:
        percent = line.percent
        cls = (
            "text-bg-success"
            if percent == 100
            else "text-bg-warning"
            if percent >= 80
            else "text-bg-danger"
        )
        entries.append(
            {
                "url": url_for("training.compliance_matrix", department=line.department_id)
                if line.department_id
                else url_for("training.compliance_matrix"),
                "label": line.name or _("No department"),
                "badge": {
                    "text": _("%(percent)s%% compliant", percent=percent),
                    "cls": cls,
                    "icon": "check-circle-fill" if percent == 100 else "exclamation-triangle-fill",
                },
                "notes": [
                    _(
                        "%(behind)s of %(people)s people behind",
                        behind=line.behind,
                        people=line.people,
                    )
                ]
                if line.behind
                else [_("Everyone up to date")],
            }
        )
    behind = sum(line.behind for line in lines)
    url = url_for("training.compliance_matrix")
    return {
        "id": "training-compliance",
        "icon": "clipboard-check",
        "title": _("Training compliance by department"),
        "numbers": [(_("People behind on training"), behind, url)],
        "entries": entries,
        "link": (url, _("Compliance matrix")),
    }

"""What training adds to the home page: numbers read with every other card's in one query, and
the employee's list of what they must still take (two queries of its own)."""

from decimal import Decimal

from flask import url_for
from sqlalchemy import func, literal, select

from portal.blueprints.training import budget, certificates, compliance, services
from portal.blueprints.training.compliance import STATUS_ICONS, Status
from portal.blueprints.training.models import (
    DEFAULT_ANNUAL_BUDGET,
    Enrolment,
    EnrolmentStatus,
    TrainingSession,
    TrainingSettings,
)
from portal.database import utcnow
from portal.i18n import fmt_date, fmt_datetime, fmt_money, local_today
from portal.i18n import gettext as _


def my_sessions_numbers(user) -> dict:
    now = utcnow()
    mine = (
        select(func.count(Enrolment.id))
        .join(TrainingSession, TrainingSession.id == Enrolment.session_id)
        .where(Enrolment.person_id == user.id, TrainingSession.ends_at >= now)
    )
    return {
        "enrolled": mine.where(Enrolment.status == EnrolmentStatus.ENROLLED).scalar_subquery(),
        "waiting": mine.where(Enrolment.status == EnrolmentStatus.WAITING).scalar_subquery(),
        "next": select(func.min(TrainingSession.starts_at))
        .join(Enrolment, Enrolment.session_id == TrainingSession.id)
        .where(
            Enrolment.person_id == user.id,
            Enrolment.status == EnrolmentStatus.ENROLLED,
            TrainingSession.starts_at >= now,
        )
        .scalar_subquery(),
    }


def my_sessions(user, numbers: dict) -> dict:
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
    if numbers["next"] is not None:
        card["rows"] = [(_("Next session"), fmt_datetime(numbers["next"]))]
    elif not numbers["enrolled"]:
        card["empty"] = _("You are not enrolled in any session. Find one below.")
    return card


def supervisor_numbers(user) -> dict:
    today = (
        select(func.count(TrainingSession.id))
        .where(
            TrainingSession.property_id == user.property_id,
            services.today_clause(),
            services.involves(user),
        )
        .scalar_subquery()
    )
    still_open = (
        select(func.count(Enrolment.id))
        .join(TrainingSession, TrainingSession.id == Enrolment.session_id)
        .where(TrainingSession.property_id == user.property_id, services.open_clause(user))
        .scalar_subquery()
    )
    return {"today": today, "open": still_open}


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


def budget_numbers(user) -> dict:
    spent, planned = budget.spend_columns(user.property_id, local_today().year)
    set_budget = (
        select(TrainingSettings.annual_budget)
        .where(TrainingSettings.property_id == user.property_id)
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


def certificate_numbers(user) -> dict:
    return certificates.counts(user)


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

"""What training adds to the home page: numbers read with every other card's in one query."""

from flask import url_for
from sqlalchemy import func, select

from portal.blueprints.training import services
from portal.blueprints.training.models import Enrolment, EnrolmentStatus, TrainingSession
from portal.database import utcnow
from portal.i18n import fmt_datetime
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

"""The drills card of the home page: for the security manager, the drill running now and the
shifts whose drill is overdue or due soon, the worst first.

Its figures sum up every plan and shift of the property (compliance.overview, one query), so
they are kept (portal/memo.py) under the property's newest audited change and the day: every
step of a drill and every revision of a plan writes the audit trail, and the day moves what is
due. The home page adds only the newest change, which goes into its one statement of numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import url_for
from sqlalchemy import bindparam, func, select

from portal import audit
from portal.blueprints.drills import compliance, plans
from portal.blueprints.drills.compliance import STANDING_ICONS, Standing
from portal.blueprints.drills.models import (
    DUTY_LABELS,
    SHIFT_LABELS,
    ActionStatus,
    CorrectiveAction,
    Incident,
    IncidentStatus,
    Severity,
)
from portal.blueprints.drills.permissions import is_security
from portal.i18n import fmt_date, local_today, localized
from portal.i18n import gettext as _
from portal.memo import Memo
from portal.modules import Numbers

SHOWN = 4
_memo = Memo()


@dataclass(frozen=True)
class Due:
    plan_id: int
    code: str
    title_en: str
    title_zh: str
    shift: str
    standing: Standing
    due: object
    planned: object

    @property
    def title(self) -> str:
        return localized(self, "title")


@dataclass(frozen=True)
class Running:
    drill_id: int
    code: str
    title_en: str
    title_zh: str

    @property
    def title(self) -> str:
        return localized(self, "title")


def numbers(user) -> Numbers:
    return Numbers()


def numbers_sql(_shape) -> dict:
    overdue = (
        select(func.count())
        .select_from(CorrectiveAction)
        .where(
            CorrectiveAction.property_id == bindparam("card_property_id"),
            CorrectiveAction.status == ActionStatus.OPEN,
            CorrectiveAction.due_on < bindparam("card_today"),
        )
        .scalar_subquery()
    )
    return {"changed": audit.newest_change(bindparam("card_property_id")), "late": overdue}


def my_actions_numbers(user) -> Numbers:
    return Numbers()


def my_actions_numbers_sql(_shape) -> dict:
    """The signed-in person's open corrective actions, and how many are overdue."""
    mine = (
        CorrectiveAction.owner_id == bindparam("card_user_id"),
        CorrectiveAction.status == ActionStatus.OPEN,
    )
    count = select(func.count()).select_from(CorrectiveAction)
    return {
        "open": count.where(*mine).scalar_subquery(),
        "overdue": count.where(
            *mine, CorrectiveAction.due_on < bindparam("card_today")
        ).scalar_subquery(),
    }


def my_actions_card(user, values: dict) -> dict | None:
    if not values["open"]:
        return None
    url = url_for("drills.action_list", show="mine")
    return {
        "id": "drill-actions-mine",
        "icon": "clipboard-check",
        "title": _("My corrective actions"),
        "numbers": [
            (_("Open"), values["open"], url),
            (_("Overdue"), values["overdue"], url),
        ],
        "link": (url, _("See my actions")),
    }


def _facts(property_id: int) -> tuple[list[Running], list[Due]]:
    """The drills running now and the shifts not up to date (compliance.overview's one
    query), in both languages: kept for every viewer of the property alike."""
    cells = compliance.overview(property_id)
    running = [
        Running(c.running_id, c.plan.code, c.title_en, c.title_zh) for c in cells if c.running_id
    ]
    due = [
        Due(
            c.plan.id,
            c.plan.code,
            c.title_en,
            c.title_zh,
            c.shift.value,
            c.standing,
            c.due,
            c.planned,
        )
        for c in cells
        if c.standing is not Standing.OK
    ]
    return running, due


def drills_card(user, values: dict) -> dict | None:
    if not is_security(user):
        return None
    key = (user.property_id, values["changed"], local_today())
    running, due = _memo.get(key, lambda: _facts(user.property_id))
    if not running and not due and not values["late"]:
        return None
    entries = [
        {
            "url": url_for("drills.detail", drill_id=r.drill_id),
            "label": f"{r.code} · {r.title}",
            "badge": {"text": _("Running"), "cls": "text-bg-danger", "icon": "megaphone"},
        }
        for r in running
    ]
    for d in due[:SHOWN]:
        icon, cls = STANDING_ICONS[d.standing]
        note = _("Due by %(day)s", day=fmt_date(d.due))
        if d.planned:
            note += " · " + _("planned for %(day)s", day=fmt_date(d.planned))
        entries.append(
            {
                "url": url_for("drills.plan", plan_id=d.plan_id),
                "label": f"{d.code} · {d.title} · {SHIFT_LABELS[d.shift]}",
                "badge": {"text": d.standing.label, "cls": cls, "icon": icon},
                "notes": [note],
            }
        )
    overdue = sum(d.standing in (Standing.OVERDUE, Standing.NEVER) for d in due)
    url = url_for("drills.compliance_view")
    return {
        "id": "drills-due",
        "icon": "fire",
        "title": _("Drills due"),
        "numbers": [
            (_("Shifts overdue for a drill"), overdue, url),
            (_("Due within 30 days"), len(due) - overdue, url),
            (
                _("Corrective actions overdue"),
                values["late"],
                url_for("drills.action_list", show="open"),
            ),
        ],
        "entries": entries,
        "link": (url, _("Compliance by shift")),
    }


def incident_numbers(user) -> Numbers:
    return Numbers()


def incident_numbers_sql(_shape) -> dict:
    """The property's incidents not closed yet, and the serious ones among them."""
    open_ = (
        Incident.property_id == bindparam("card_property_id"),
        Incident.status != IncidentStatus.CLOSED,
    )
    count = select(func.count()).select_from(Incident)
    serious = Incident.severity.in_((Severity.HIGH, Severity.CRITICAL))
    return {
        "open": count.where(*open_).scalar_subquery(),
        "new": count.where(*open_, Incident.status == IncidentStatus.REPORTED).scalar_subquery(),
        "serious": count.where(*open_, serious).scalar_subquery(),
    }


def incidents_card(user, values: dict) -> dict | None:
    if not is_security(user) or not values["open"]:
        return None
    url = url_for("drills.incident_list")
    return {
        "id": "security-incidents",
        "icon": "shield-exclamation",
        "title": _("Open security incidents"),
        "numbers": [
            (_("Not closed"), values["open"], url),
            (_("Waiting for triage"), values["new"], url),
            (_("High or critical"), values["serious"], url),
        ],
        "link": (url, _("Security incidents")),
    }


def to_read_numbers(user) -> Numbers:
    return Numbers()


def to_read_numbers_sql(_shape) -> dict:
    """The plans whose version in force the signed-in person has not confirmed."""
    pending = plans.to_read_clause(bindparam("card_user_id"), bindparam("card_property_id"))
    return {"plans": select(func.count()).select_from(pending.subquery()).scalar_subquery()}


def to_read_card(user, values: dict) -> dict | None:
    if not values["plans"]:
        return None
    url = url_for("drills.plan_list")
    return {
        "id": "plans-to-read",
        "icon": "book",
        "title": _("Emergency plans to read"),
        "numbers": [(_("Plans new or revised since you read them"), values["plans"], url)],
        "link": (url, _("Emergency plans")),
    }


def my_role_numbers(user) -> Numbers:
    return Numbers()


def my_role_numbers_sql(_shape) -> dict:
    from portal.blueprints.drills import roles

    return roles.next_role_sql()


def my_role_card(user, values: dict) -> dict | None:
    """The signed-in person's duty at their next drill (or the one running now)."""
    if not values["role_drill_id"]:
        return None
    duty = DUTY_LABELS.get(values["role_duty"], values["role_duty"])
    label = str(duty) + (f" · {values['role_area']}" if values["role_area"] else "")
    day = values["role_day"]
    if isinstance(day, str):  # SQLite hands a scalar subquery's date back as text
        day = date.fromisoformat(day)
    when = (
        _("Running now")
        if values["role_running"]
        else _("%(day)s, %(shift)s", day=fmt_date(day), shift=SHIFT_LABELS[values["role_shift"]])
    )
    url = url_for("drills.detail", drill_id=values["role_drill_id"])
    return {
        "id": "my-drill-role",
        "icon": "megaphone",
        "title": _("My role at the next drill"),
        "entries": [
            {
                "url": url,
                "label": label,
                "notes": [f"{values['role_code']} · {when}"],
                "badge": {"text": _("Running"), "cls": "text-bg-danger", "icon": "megaphone"}
                if values["role_running"]
                else None,
            }
        ],
        "link": (url, _("The drill")),
    }

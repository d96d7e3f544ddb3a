"""What the SOP library adds to pages it does not own: home-page cards, a person's link.

A card entry is a dict: `url`, `label`, and optionally `badge` ({text, cls, icon}: a colour,
an icon and words, never colour alone), `notes` (short lines under the link) and `links`
((url, text) pairs: numbers link to what they count).
"""

from flask import url_for
from flask_babel import format_percent

from portal.blueprints.people.models import User
from portal.blueprints.sops import reading
from portal.blueprints.sops.permissions import can_follow_person
from portal.i18n import fmt_date, ngettext
from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l
from portal.modules import Link
from portal.roles import Role

SHOWN_TO_READ = 6  # a longer reading list continues in the library

# How each coverage level looks: Bootstrap's badge colours (each keeps 4.5:1 for its label),
# an icon and a word.
LEVEL_LOOKS = {
    "low": ("text-bg-danger", "x-circle-fill", _l("Low")),
    "partial": ("text-bg-warning", "hourglass-split", _l("Partial")),
    "good": ("text-bg-success", "check-circle-fill", _l("Good")),
}

# A reminder reads as the reminder of the person's superior: 主管已提醒, not a bare 已提醒.
REMINDED_BY_ROLE = {
    Role.SUPERVISOR: _l("Reminded by your supervisor"),
    Role.MANAGER: _l("Reminded by your manager"),
    Role.HR: _l("Reminded by HR"),
    Role.ADMIN: _l("Reminded by the group admin"),
}


def level_badge(done: int, total: int, *, counts: bool = False) -> dict | None:
    """The badge of a coverage: '40% · Low' in red with its icon ('4 of 10 · Low' with
    counts). None when nobody is asked."""
    level = reading.coverage_level(done, total)
    if level is None:
        return None
    cls, icon, word = LEVEL_LOOKS[level]
    figure = (
        _("%(done)s of %(total)s", done=done, total=total)
        if counts
        else format_percent(done / total)
    )
    return {"text": f"{figure} · {word}", "cls": cls, "icon": icon, "level": level}


def reminder_badge(role: str | None) -> dict:
    text = REMINDED_BY_ROLE.get(role, REMINDED_BY_ROLE[Role.SUPERVISOR])
    return {"text": str(text), "cls": "text-bg-warning", "icon": "info-circle-fill"}


def sops_to_read(user: User):
    pending = reading.to_read_for(user)
    if not pending and user.role != Role.EMPLOYEE:
        return None
    entries = []
    for item in pending[:SHOWN_TO_READ]:
        notes = []
        if item.due_since is not None:
            notes.append(_("Due since %(date)s", date=fmt_date(item.due_since)))
        if item.reminded_at is not None:
            notes.append(
                _(
                    "%(name)s reminded you on %(date)s",
                    name=item.reminded_by or "—",
                    date=fmt_date(item.reminded_at),
                )
            )
        entries.append(
            {
                "url": url_for("sops.detail", sop_id=item.sop.id),
                "label": _(
                    "%(no)s %(title)s (version %(v)s)",
                    no=item.sop.number,
                    title=item.version.title,
                    v=item.version.number,
                ),
                "badge": reminder_badge(item.reminded_by_role) if item.reminded_at else None,
                "notes": notes,
            }
        )
    card = {
        "id": "sops-to-read",
        "icon": "book",
        "title": _("SOPs to read"),
        "empty": None if pending else _("Nothing to read: you are up to date."),
        "entries": entries,
    }
    if len(pending) > SHOWN_TO_READ:
        card["link"] = (
            url_for("sops.index", scope="mine"),
            ngettext("All %(num)s SOPs to read", "All %(num)s SOPs to read", len(pending)),
        )
    return card


def sops_needing_me(user: User):
    awaiting = reading.awaiting_approval(user) if user.role != Role.HR else []
    overdue = reading.overdue_reviews(user.property_id)
    if not awaiting and not overdue:
        return None
    items = [
        {
            "url": url_for("sops.version", version_id=v.id),
            "label": _("Approve %(no)s version %(v)s", no=v.sop.number, v=v.number),
        }
        for v in awaiting
    ] + [
        {
            "url": url_for("sops.version", version_id=v.id),
            "label": _("Review %(no)s %(title)s", no=v.sop.number, title=v.title),
            "badge": {
                "text": _("overdue"),
                "cls": "text-bg-warning",
                "icon": "exclamation-triangle-fill",
            },
            "notes": [_("Review was due on %(date)s", date=fmt_date(v.review_date))],
        }
        for v in overdue
    ]
    return {
        "id": "sops-for-me",
        "icon": "hourglass-split",
        "title": _("SOP approvals and reviews"),
        "entries": items,
    }


COVERAGE_SHOWN = 6


def sop_coverage(user: User):
    rows = reading.department_coverage(user.property_id, [d.id for d in user.supervises])
    if not rows:
        return None
    entries = []
    # What needs the supervisor most comes first: the lowest share of readers; a card, not the
    # whole manual (the SOP list has the rest).
    ranked = sorted(rows, key=lambda r: (r.done / r.total if r.total else 1, r.number))
    for r in ranked[:COVERAGE_SHOWN]:
        entry = {
            "url": url_for("sops.coverage", sop_id=r.sop_id),
            "label": f"{r.number} {r.title}",
            "badge": level_badge(r.done, r.total, counts=True),
        }
        if r.total > r.done:
            entry["links"] = [
                (
                    url_for("sops.coverage", sop_id=r.sop_id, outstanding="1"),
                    ngettext("%(num)s not yet", "%(num)s not yet", r.total - r.done),
                )
            ]
        entries.append(entry)
    card = {
        "id": "sop-coverage",
        "icon": "people",
        "title": _("SOP acknowledgements in my departments"),
        "entries": entries,
    }
    if len(rows) > COVERAGE_SHOWN:
        card["link"] = (
            url_for("sops.index", scope="all"),
            ngettext("All %(num)s SOPs in force", "All %(num)s SOPs in force", len(rows)),
        )
    return card


def reading_record_link(viewer, person) -> Link | None:
    """On a person's page: their SOP reading record, for those who follow it up."""
    if not can_follow_person(viewer, person):
        return None
    return Link(url_for("sops.person_status", user_id=person.id), _("SOPs read"), "book")

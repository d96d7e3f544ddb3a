"""What the SOP library adds to pages it does not own: home-page cards, a person's link."""

from flask import url_for
from flask_babel import gettext as _

from portal.blueprints.people.models import User
from portal.blueprints.sops import reading
from portal.blueprints.sops.permissions import can_follow_person
from portal.modules import Link
from portal.roles import Role


def sops_to_read(user: User):
    pending = reading.pending_for(user)
    if not pending and user.role != Role.EMPLOYEE:
        return None
    return {
        "id": "sops-to-read",
        "icon": "book",
        "title": _("SOPs to read"),
        "empty": None if pending else _("Nothing to read: you are up to date."),
        "entries": [
            (
                url_for("sops.detail", sop_id=sop.id),
                _(
                    "%(no)s %(title)s (version %(v)s)",
                    no=sop.number,
                    title=version.title,
                    v=version.number,
                ),
                _("reminded") if reminded else None,
            )
            for sop, version, reminded in pending
        ],
    }


def sops_needing_me(user: User):
    awaiting = reading.awaiting_approval(user) if user.role != Role.HR else []
    overdue = reading.overdue_reviews(user.property_id)
    if not awaiting and not overdue:
        return None
    items = [
        (
            url_for("sops.version", version_id=v.id),
            _("Approve %(no)s version %(v)s", no=v.sop.number, v=v.number),
            None,
        )
        for v in awaiting
    ] + [
        (
            url_for("sops.version", version_id=v.id),
            _("Review %(no)s %(title)s", no=v.sop.number, title=v.title),
            _("overdue"),
        )
        for v in overdue
    ]
    return {
        "id": "sops-for-me",
        "icon": "hourglass-split",
        "title": _("SOP approvals and reviews"),
        "entries": items,
    }


def sop_coverage(user: User):
    rows = reading.department_coverage(user.property_id, [d.id for d in user.supervises])
    if not rows:
        return None
    return {
        "id": "sop-coverage",
        "icon": "people",
        "title": _("SOP acknowledgements in my departments"),
        "entries": [
            (
                url_for("sops.coverage", sop_id=r.sop.id),
                f"{r.sop.number} {r.version.title}",
                _("%(done)s of %(total)s", done=r.done, total=r.total),
            )
            for r in rows
        ],
    }


def reading_record_link(viewer, person) -> Link | None:
    """On a person's page: their SOP reading record, for those who follow it up."""
    if not can_follow_person(viewer, person):
        return None
    return Link(url_for("sops.person_status", user_id=person.id), _("SOPs read"), "book")

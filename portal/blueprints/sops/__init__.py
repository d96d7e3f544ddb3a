"""The SOP library: bilingual versioned SOPs, review and approval, acknowledgement, print."""

from flask import Blueprint

from portal.i18n import lazy_gettext as _l
from portal.modules import Card, Module, NavEntry
from portal.roles import EVERY_ROLE, Role

bp = Blueprint("sops", __name__, url_prefix="/sops")


def module() -> Module:
    from portal.blueprints.sops import cards, demo, models, trail, views  # noqa: F401 - routes
    from portal.blueprints.sops.permissions import can_list_sops

    trail.register()  # how its audit summaries read

    return Module(
        name="sops",
        blueprint=bp,
        nav=[NavEntry("sops.index", _l("SOP library"), "book", can_list_sops, 20)],
        audit_actions={
            "sop.created": _l("SOP created"),
            "sop.draft_saved": _l("SOP draft saved"),
            "sop.submitted": _l("SOP sent for review"),
            "sop.returned": _l("SOP sent back to its author"),
            "sop.approved": _l("SOP approved"),
            "sop.version_started": _l("New SOP version started"),
            "sop.retired": _l("SOP retired"),
            "sop.acknowledged": _l("SOP acknowledged"),
            "sop.reminded": _l("Reminder to read an SOP"),
            "sop.audience_changed": _l("SOP audience changed"),
            **models.AUDIT_ACTIONS,
        },
        audit_objects={"sops": _l("SOP"), **models.AUDIT_OBJECTS},
        seeder=demo.seed_sops,
        seed_after=("people",),
        cards=[
            Card(cards.sops_to_read, EVERY_ROLE, order=10),
            Card(cards.sops_needing_me, frozenset({Role.MANAGER, Role.ADMIN, Role.HR}), order=30),
            Card(cards.sop_coverage, frozenset({Role.SUPERVISOR}), order=40),
        ],
        person_links=[cards.reading_record_link],
    )

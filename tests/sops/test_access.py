"""Who may reach each SOP endpoint: every role, anonymous, another property's SOPs, versions,
binders, reading records and reminders, and a supervisor of another department (see
tests/access.py for the walk)."""

import re
from datetime import timedelta

from sqlalchemy import select

from portal.blueprints.sops.models import (
    Sop,
    SopAcknowledgement,
    SopReminder,
    SopReview,
    VersionStatus,
)
from portal.i18n import local_today
from tests import access
from tests.access import ALL, WRITERS, Elsewhere, Row, page, pdf, redirect

APPROVERS = frozenset({"manager", "admin"})
FOLLOW = frozenset({"supervisor", "hr", "manager", "admin"})
SEE_ALL_STAGES = {"employee": 404, "supervisor": 404}  # a draft is hidden from them
NOT_WRITERS = 403  # they read the SOP, but may not change it


def sop_form(ctx, **fields) -> dict:
    """A valid editor form: the texts in both languages and two steps."""
    data = {
        "title_en": "Towel change",
        "title_zh": "更换毛巾",
        "purpose_en": "Fresh towels every day.",
        "purpose_zh": "每天更换毛巾。",
        "audience_departments": str(ctx.home.department().id),
    }
    for i in range(2):
        data[f"steps-{i}-text_en"] = f"Towel step {i + 1}"
        data[f"steps-{i}-text_zh"] = f"毛巾步骤{i + 1}"
        data[f"steps-{i}-kind"] = "step"
    data.update(fields)
    return data


def created(ctx):
    sop = ctx.db.session.scalar(select(Sop).where(Sop.number == "HK-950"))
    assert sop is not None and sop.property_id == ctx.actor.property_id
    assert ctx.location == f"/sops/versions/{sop.versions[0].id}"


def draft_saved(ctx):
    draft = ctx.world.draft
    ctx.db.session.refresh(draft)
    assert draft.title_en == "Towel change" and len(draft.steps) == 2


def in_force(ctx):
    return ctx.world.in_force


def sop_of(version):
    return lambda ctx: version(ctx).sop


def version_page(version):
    return lambda ctx: f"/sops/versions/{version(ctx).id}"


def status_is(version, status):
    def check(ctx):
        ctx.db.session.refresh(version(ctx))
        assert version(ctx).status == status

    return check


def acknowledged(ctx):
    assert ctx.db.session.scalar(
        select(SopAcknowledgement).where(
            SopAcknowledgement.sop_id == ctx.world.in_force.sop_id,
            SopAcknowledgement.user_id == ctx.actor.id,
        )
    )


def reminded(ctx):
    assert ctx.db.session.scalar(
        select(SopReminder).where(
            SopReminder.sop_id == ctx.world.in_force.sop_id,
            SopReminder.user_id == ctx.world.person.id,
            SopReminder.reminded_by_id == ctx.actor.id,
        )
    )


def retired(ctx):
    sop = ctx.db.session.get(Sop, ctx.world.in_force.sop_id)
    ctx.db.session.refresh(sop)
    assert sop.retired_on == local_today()


def new_draft(ctx):
    sop = ctx.world.in_force.sop
    ctx.db.session.refresh(sop)
    draft = sop.versions[-1]
    assert draft.status == VersionStatus.DRAFT and draft.number == "1.1"
    assert ctx.location == f"/sops/versions/{draft.id}/edit"


def next_review():
    return local_today() + timedelta(days=200)


def reviewed(ctx):
    version = ctx.world.in_force
    ctx.db.session.refresh(version)
    (review,) = ctx.db.session.scalars(select(SopReview).where(SopReview.version_id == version.id))
    assert review.reviewed_by_id == ctx.actor.id
    assert version.review_date == review.next_review == next_review()


def review_form(ctx) -> dict:
    return {
        "next_review": next_review().isoformat(),
        "was_due": ctx.world.in_force.review_date.isoformat(),
        "idempotency_key": "access-matrix-review-0001",
    }


def requires_english_only(ctx):
    from portal.blueprints.sops import services

    ctx.db.session.expire_all()
    assert services.required_languages(ctx.world.prop.id) == ("en",)


ROWS = access.domain(
    "sops",
    [
        Row("sops.index", ALL, page("SOP library", "HK-900"), given=in_force),
        Row("sops.create", WRITERS, page("New SOP", "SOP number")),
        Row(
            "sops.create",
            WRITERS,
            redirect(re.compile(r"/sops/versions/\d+"), "Draft HK-950 saved.", then=created),
            method="POST",
            data=lambda c: sop_form(
                c,
                number="HK-950",
                department_id=str(c.home.department().id),
                idempotency_key="access-matrix-new-sop-0001",
            ),
        ),
        Row(
            "sops.detail",
            ALL,
            page("HK-900", "Guest-room cleaning", "Step 2 in English"),
            args=lambda c: {"sop_id": c.world.in_force.sop_id},
            obj=sop_of(in_force),
        ),
        Row(
            "sops.version",
            ALL,
            page("HK-900", "Guest-room cleaning", "Step 2 in English"),
            args=lambda c: {"version_id": c.world.in_force.id},
            obj=in_force,
        ),
        Row(
            "sops.edit",
            WRITERS,
            page("HK-901", "Guest-room cleaning"),
            args=lambda c: {"version_id": c.world.draft.id},
            obj=lambda c: c.world.draft,
            refused=SEE_ALL_STAGES,
        ),
        Row(
            "sops.edit",
            WRITERS,
            redirect(version_page(lambda c: c.world.draft), "Draft saved.", then=draft_saved),
            method="POST",
            args=lambda c: {"version_id": c.world.draft.id},
            data=lambda c: sop_form(
                c,
                audience_departments=str(c.world.department().id),
                lock=str(c.world.draft.lock_version),
            ),
            obj=lambda c: c.world.draft,
            refused=SEE_ALL_STAGES,
        ),
        Row(
            "sops.submit",
            WRITERS,
            redirect(
                version_page(lambda c: c.world.draft),
                "Sent for review.",
                then=status_is(lambda c: c.world.draft, VersionStatus.IN_REVIEW),
            ),
            method="POST",
            args=lambda c: {"version_id": c.world.draft.id},
            obj=lambda c: c.world.draft,
            refused=SEE_ALL_STAGES,
        ),
        Row(
            "sops.approve",
            APPROVERS,
            redirect(
                version_page(lambda c: c.world.in_review),
                "Approved.",
                then=status_is(lambda c: c.world.in_review, VersionStatus.APPROVED),
            ),
            method="POST",
            args=lambda c: {"version_id": c.world.in_review.id},
            data=lambda c: {"effective_date": local_today().isoformat()},
            obj=lambda c: c.world.in_review,
            refused={**SEE_ALL_STAGES, "hr": 403},
        ),
        Row(
            "sops.return_draft",
            APPROVERS,
            redirect(
                version_page(lambda c: c.world.in_review),
                "Sent back to its author as a draft.",
                then=status_is(lambda c: c.world.in_review, VersionStatus.DRAFT),
            ),
            method="POST",
            args=lambda c: {"version_id": c.world.in_review.id},
            data=lambda c: {"reason": "Say which towels."},
            obj=lambda c: c.world.in_review,
            refused={**SEE_ALL_STAGES, "hr": 403},
        ),
        Row(
            "sops.record_review",
            APPROVERS,
            redirect(version_page(in_force), "Review recorded: HK-900 version 1.0", then=reviewed),
            method="POST",
            args=lambda c: {"version_id": c.world.in_force.id},
            data=review_form,
            obj=in_force,
            # Everyone at the property reads the version in force: they may not review it.
            refused=403,
            other_department=(Elsewhere(code=403),),
        ),
        Row(
            "sops.new_version",
            WRITERS,
            redirect(re.compile(r"/sops/versions/\d+/edit"), then=new_draft),
            method="POST",
            args=lambda c: {"sop_id": c.world.in_force.sop_id},
            data=lambda c: {"kind": "change"},
            obj=sop_of(in_force),
            refused=NOT_WRITERS,
        ),
        Row(
            "sops.retire",
            WRITERS,
            redirect("/sops/", "HK-900 is retired.", then=retired),
            method="POST",
            args=lambda c: {"sop_id": c.world.in_force.sop_id},
            data=lambda c: {"retired_on": local_today().isoformat()},
            obj=sop_of(in_force),
            refused=NOT_WRITERS,
        ),
        Row(
            "sops.acknowledge",
            ALL,
            redirect(
                lambda c: f"/sops/{c.world.in_force.sop_id}",
                "Thank you: you acknowledged HK-900 version 1.0.",
                then=acknowledged,
            ),
            method="POST",
            args=lambda c: {"sop_id": c.world.in_force.sop_id},
            data=lambda c: {"version_id": str(c.world.in_force.id)},
            obj=sop_of(in_force),
        ),
        Row(
            "sops.coverage",
            FOLLOW,
            page("HK-900", lambda c: c.world.person.name_en),
            given=lambda c: c.world.person,
            args=lambda c: {"sop_id": c.world.in_force.sop_id},
            obj=sop_of(in_force),
            refused=NOT_WRITERS,
            # The department's record of who has read its SOP: not another department's supervisor.
            other_department=(Elsewhere(code=403),),
        ),
        Row(
            "sops.remind",
            FOLLOW,
            redirect(
                lambda c: f"/sops/{c.world.in_force.sop_id}/acknowledgements",
                lambda c: f"{c.world.person.name_en} will see a reminder when they sign in.",
                then=reminded,
            ),
            method="POST",
            args=lambda c: {"sop_id": c.world.in_force.sop_id, "user_id": c.world.person.id},
            obj=sop_of(in_force),
            refused=NOT_WRITERS,
            other_property=(
                Elsewhere("sop"),
                # An SOP of one's own property, a person of another one.
                Elsewhere(
                    "person",
                    args=lambda c: {"sop_id": c.home.in_force.sop_id, "user_id": c.world.person.id},
                    obj=lambda c: c.world.person,
                ),
            ),
            # An SOP both departments read: its follow-up is open to the other department's
            # supervisor, the people of the target department are not.
            other_department=(
                Elsewhere(
                    "person",
                    args=lambda c: {
                        "sop_id": c.world.shared_sop.sop_id,
                        "user_id": c.world.person.id,
                    },
                    obj=lambda c: c.world.person,
                ),
            ),
        ),
        # "Remind everyone outstanding": asked first (GET), then done (POST), for the same
        # people as the acknowledgement table; another department's supervisor is refused.
        Row(
            "sops.remind_all",
            FOLLOW,
            page("Remind everyone who has not read HK-900", lambda c: c.world.person.name_en),
            given=lambda c: c.world.person,
            args=lambda c: {"sop_id": c.world.in_force.sop_id},
            obj=sop_of(in_force),
            refused=NOT_WRITERS,
            other_department=(Elsewhere(code=403),),
        ),
        Row(
            "sops.remind_all",
            FOLLOW,
            redirect(
                lambda c: f"/sops/{c.world.in_force.sop_id}/acknowledgements",
                "Reminded 1 person.",
                then=reminded,
            ),
            method="POST",
            given=lambda c: c.world.person,
            args=lambda c: {"sop_id": c.world.in_force.sop_id},
            obj=sop_of(in_force),
            refused=NOT_WRITERS,
            other_department=(Elsewhere(code=403),),
        ),
        Row(
            "sops.print_pdf",
            ALL,
            pdf("HK-900", "Guest-room cleaning"),
            args=lambda c: {"version_id": c.world.in_force.id},
            obj=in_force,
        ),
        Row(
            "sops.binder_pdf",
            ALL,
            pdf("HK-900", "Guest-room cleaning"),
            args=lambda c: {"department": c.world.in_force.sop.department_id},
            obj=lambda c: c.world.department(),
            # The binder is the operating manual of the whole property: open to every
            # department's staff.
            other_department=(Elsewhere(code=None),),
        ),
        Row(
            "sops.compare",
            WRITERS,
            page("HK-904", "1.0", "1.1"),
            args=lambda c: {"sop_id": c.world.two_versions.sop_id},
            obj=lambda c: c.world.two_versions.sop,
            refused=NOT_WRITERS,
        ),
        Row(
            "sops.settings",
            APPROVERS,
            page("SOP library settings", "Chinese"),
            args=lambda c: {"property_id": c.world.prop.id},
            obj=lambda c: c.world.prop,
            refused=403,
            bound_role="manager",
        ),
        Row(
            "sops.settings",
            APPROVERS,
            redirect(
                lambda c: f"/sops/settings/{c.world.prop.id}",
                "Settings saved.",
                then=requires_english_only,
            ),
            method="POST",
            args=lambda c: {"property_id": c.world.prop.id},
            data=lambda c: {"required_languages": ["en"]},
            obj=lambda c: c.world.prop,
            refused=403,
            bound_role="manager",
        ),
        Row(
            "sops.person_status",
            FOLLOW,
            page(lambda c: c.world.person.name_en, "HK-900"),
            given=in_force,
            args=lambda c: {"user_id": c.world.person.id},
            obj=lambda c: c.world.person,
            other_department=(Elsewhere(),),
        ),
    ],
)

globals().update(access.tests_for(ROWS))

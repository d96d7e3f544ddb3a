"""Who may reach each training endpoint: every role, anonymous, another property's programmes,
sessions, enrolments and people, and a supervisor of another department (tests/access.py)."""

import re
from datetime import timedelta

from sqlalchemy import select

from portal.blueprints.training import services
from portal.blueprints.training.models import (
    Attendance,
    Enrolment,
    EnrolmentStatus,
    Programme,
    TrainingSession,
)
from portal.database import utcnow
from tests import access
from tests.access import ALL, Elsewhere, Row, csv, page, pdf, redirect
from tests.training import helpers

KEEPERS = frozenset({"hr", "admin"})
SCHEDULERS = frozenset({"hr", "admin", "supervisor"})
OVERSEERS = frozenset({"supervisor", "hr", "manager", "admin"})


def _cache(ctx_world) -> dict:
    return ctx_world.__dict__.setdefault("_training", {})


def _once(name, build):
    def get(ctx):
        cache = _cache(ctx.world)
        if name not in cache:
            cache[name] = build(ctx.world)
        return cache[name]

    return get


programme = _once("programme", lambda w: helpers.programme(w.prop, title_en="Fire drill basics"))
future = _once(
    "future", lambda w: helpers.session(w.prop, programme_=programme_of(w), room="Ballroom A")
)
running = _once(
    "running",
    lambda w: helpers.running_session(w.prop, programme_=programme_of(w), room="Ballroom R"),
)


required = _once(
    "required",
    lambda w: helpers.programme(w.prop, title_en="Hand hygiene", roles=["employee"]),
)


def certified(ctx):
    """A certificate of the target employee (an employee signed in sees only their own)."""
    from portal.blueprints.training import certificates
    from portal.i18n import local_today

    cache = _cache(ctx.world)
    if "certificate" not in cache:
        hr = services.people.get_people([programme(ctx).created_by_id])[
            programme(ctx).created_by_id
        ]
        issued = local_today() - timedelta(days=10)
        cache["certificate"] = certificates.record(
            ctx.world.prop.id,
            certificates.CertificateData(
                ctx.world.person.staff_no, programme(ctx).id, "FA-9", "Red Cross", issued,
                issued + timedelta(days=365),
            ),
            by=hr,
        )  # fmt: skip
    return cache["certificate"]


def certificate_form(ctx):
    from portal.i18n import local_today

    today = local_today()
    return {
        "staff_no": ctx.world.person.staff_no,
        "programme_id": str(programme(ctx).id),
        "issued_on": (today - timedelta(days=3)).isoformat(),
        "expires_on": (today + timedelta(days=700)).isoformat(),
        "idempotency_key": "access-matrix-certificate-01",
    }


def budget_set(ctx):
    from portal.blueprints.training.models import TrainingSettings

    ctx.db.session.expire_all()
    saved = ctx.db.session.get(TrainingSettings, ctx.actor.property_id)
    assert saved is not None and str(saved.annual_budget) == "61000.00"


def compliance_world(ctx):
    """A programme every employee must take, and the target employee."""
    required(ctx)
    return ctx.world.person


def programme_of(world):
    return programme(type("C", (), {"world": world})())


def future_seat(ctx):
    cache = _cache(ctx.world)
    if "future_seat" not in cache:
        cache["future_seat"] = services.enrol(future(ctx), ctx.world.person, by=ctx.world.person)
    return cache["future_seat"]


def running_seat(ctx):
    cache = _cache(ctx.world)
    if "running_seat" not in cache:
        cache["running_seat"] = helpers.seat(running(ctx), ctx.world.person)
    return cache["running_seat"]


def marked_seat(ctx):
    cache = _cache(ctx.world)
    if "marked_seat" not in cache:
        seat = running_seat(ctx)
        hr = (
            ctx.world.__dict__.setdefault("_hr", None)
            or services.people.get_people([running(ctx).trainer_id])[running(ctx).trainer_id]
        )
        services.record_attendance(seat, by=hr, mark="present")
        cache["marked_seat"] = seat
    return cache["marked_seat"]


def session_form(ctx, **fields):
    starts = (utcnow() + timedelta(days=20)).astimezone(services.zone())
    data = {
        "programme_id": str(programme(ctx).id) if ctx.world is ctx.home else "",
        "starts_at": starts.strftime("%Y-%m-%dT09:00"),
        "ends_at": starts.strftime("%Y-%m-%dT11:30"),
        "room": "Access room",
        "trainer_id": str(ctx.actor.id if ctx.actor else 0),
        "capacity": "6",
    }
    data.update(fields)
    return data


def programme_form(**fields):
    data = {
        "title_en": "Night audit basics",
        "title_zh": "夜审基础",
        "kind": "skill_upgrade",
        "method": "case_study",
        "cadence": "yearly",
        "pass_mark": "65",
        "cost_per_session": "5000.00",
    }
    data.update(fields)
    return data


def programme_made(ctx):
    made = ctx.db.session.scalar(
        select(Programme).where(Programme.title_en == "Night audit basics")
    )
    assert made is not None and made.property_id == ctx.actor.property_id
    assert made.pass_mark == 65 and str(made.cost_per_session) == "5000.00"


def programme_changed(ctx):
    ctx.db.session.expire_all()
    assert ctx.db.session.get(Programme, programme(ctx).id).title_en == "Night audit basics"


def session_made(ctx):
    made = ctx.db.session.scalar(
        select(TrainingSession).where(TrainingSession.room == "Access room")
    )
    assert made is not None and made.capacity == 6
    assert ctx.location == f"/training/sessions/{made.id}"


def session_changed(ctx):
    ctx.db.session.expire_all()
    assert ctx.db.session.get(TrainingSession, future(ctx).id).room == "Access room"


def person_enrolled(ctx):
    enrolment = ctx.db.session.scalar(
        select(Enrolment).where(
            Enrolment.session_id == future(ctx).id, Enrolment.person_id == ctx.world.person.id
        )
    )
    assert enrolment is not None and enrolment.status == EnrolmentStatus.ENROLLED


def cancelled(ctx):
    ctx.db.session.expire_all()
    seat = ctx.db.session.get(Enrolment, future_seat(ctx).id)
    assert seat.status == EnrolmentStatus.CANCELLED


def marked(value, score=None):
    def check(ctx):
        row = ctx.db.session.scalar(
            select(Attendance)
            .where(Attendance.enrolment_id == running_seat(ctx).id)
            .order_by(Attendance.id.desc())
            .limit(1)
        )
        assert row is not None and row.mark == value and row.recorded_by_id == ctx.actor.id
        if score is not None:
            assert row.score == score and row.passed is True

    return check


def detail_of(getter, anchor=None):
    def path(ctx):
        seat = getter(ctx)
        return re.compile(
            rf"/training/sessions/{seat.session_id}" + (rf"#enrolment-{seat.id}" if anchor else "")
        )

    return path


ROWS = access.domain(
    "training",
    [
        Row("training.index", ALL, page("Training sessions", "Fire drill basics"), given=future),
        Row(
            # A list of the actor's own property (no record named): another property's
            # sessions never show there (tests/training/test_calendar.py).
            "training.calendar",
            ALL,
            page("Training calendar", "Fire drill basics", "Ballroom A"),
            args=lambda c: {
                "view": "week",
                "day": services.to_local(future(c).starts_at).date().isoformat(),
            },
            given=future,
        ),
        Row(
            "training.programmes",
            ALL,
            page("Training programmes", "Fire drill basics"),
            given=programme,
        ),
        Row("training.create_programme", KEEPERS, page("New programme", "Pass mark")),
        Row(
            "training.create_programme",
            KEEPERS,
            redirect(
                re.compile(r"/training/programmes#programme-\d+"),
                "Programme saved.",
                then=programme_made,
            ),
            method="POST",
            data=lambda c: programme_form(idempotency_key="access-matrix-programme-0001"),
        ),
        Row(
            "training.edit_programme",
            KEEPERS,
            page("Edit programme", "Pass mark"),
            args=lambda c: {"programme_id": programme(c).id},
            obj=programme,
            refused=403,
        ),
        Row(
            "training.edit_programme",
            KEEPERS,
            redirect(
                re.compile(r"/training/programmes#programme-\d+"),
                "Programme saved.",
                then=programme_changed,
            ),
            method="POST",
            args=lambda c: {"programme_id": programme(c).id},
            data=lambda c: programme_form(version=str(programme(c).version)),
            obj=programme,
            refused=403,
        ),
        Row(
            "training.create_session",
            SCHEDULERS,
            page("Schedule a session", "Trainer"),
            given=programme,
        ),
        Row(
            "training.create_session",
            SCHEDULERS,
            redirect(
                re.compile(r"/training/sessions/\d+"), "Session scheduled.", then=session_made
            ),
            method="POST",
            given=programme,
            data=lambda c: session_form(c, idempotency_key="access-matrix-session-00001"),
        ),
        Row(
            "training.edit_session",
            KEEPERS,
            page("Edit session", "Trainer"),
            args=lambda c: {"session_id": future(c).id},
            obj=future,
            refused=403,
        ),
        Row(
            "training.edit_session",
            KEEPERS,
            redirect(
                lambda c: f"/training/sessions/{future(c).id}",
                "Session saved.",
                then=session_changed,
            ),
            method="POST",
            args=lambda c: {"session_id": future(c).id},
            data=lambda c: {
                **session_form(c, trainer_id=str(future(c).trainer_id)),
                "programme_id": str(programme(c).id),
            },
            obj=future,
            refused=403,
        ),
        Row(
            "training.detail",
            ALL,
            page("Fire drill basics", "Ballroom A"),
            args=lambda c: {"session_id": future(c).id},
            obj=future,
        ),
        Row(
            "training.enrol",
            SCHEDULERS,
            redirect(
                lambda c: f"/training/sessions/{future(c).id}",
                lambda c: f"{c.world.person.name_en} is enrolled.",
                then=person_enrolled,
            ),
            method="POST",
            args=lambda c: {"session_id": future(c).id},
            data=lambda c: {
                "person_id": str(c.world.person.id),
                "idempotency_key": "access-matrix-enrol-000001",
            },
            obj=lambda c: c.world.person,
            refused={"employee": 403, "manager": 403},
            other_property=(
                Elsewhere("session", obj=future),
                Elsewhere(
                    "person",
                    args=lambda c: {"session_id": future(type("C", (), {"world": c.home})()).id},
                    obj=lambda c: c.world.person,
                ),
            ),
            other_department=(Elsewhere(code=403),),
        ),
        Row(
            "training.cancel",
            SCHEDULERS,
            redirect(
                lambda c: f"/training/sessions/{future(c).id}",
                lambda c: f"{c.world.person.name_en} no longer takes this session.",
                then=cancelled,
            ),
            method="POST",
            args=lambda c: {"enrolment_id": future_seat(c).id},
            obj=future_seat,
            refused=403,
            other_department=(Elsewhere(code=403),),
        ),
        Row(
            "training.mark",
            SCHEDULERS,
            redirect(
                detail_of(running_seat, anchor=True),
                lambda c: f"{c.world.person.name_en}: Present",
                then=marked("present"),
            ),
            method="POST",
            args=lambda c: {"enrolment_id": running_seat(c).id},
            data=lambda c: {"mark": "present"},
            obj=running_seat,
            refused=403,
            other_department=(Elsewhere(code=403),),
        ),
        Row(
            "training.score",
            SCHEDULERS,
            redirect(
                detail_of(marked_seat, anchor=True), "Score saved", then=marked("present", 88)
            ),
            method="POST",
            args=lambda c: {"enrolment_id": marked_seat(c).id},
            data=lambda c: {"score": "88"},
            obj=marked_seat,
            refused=403,
            other_department=(Elsewhere(code=403),),
        ),
        Row(
            # Only the person in the seat checks in: every other signed-in person is refused.
            "training.check_in",
            frozenset(),
            page("Check me in"),
            method="POST",
            args=lambda c: {"enrolment_id": running_seat(c).id},
            data=lambda c: {},
            obj=running_seat,
            refused=403,
        ),
        Row(
            "training.certificates_list",
            ALL,
            page("Certificates", "Expiring within 60 days"),
            args=lambda c: {"show": "all"},
            given=certified,
        ),
        Row("training.record_certificate", KEEPERS, page("Record a certificate", "Valid until")),
        Row(
            "training.record_certificate",
            KEEPERS,
            redirect("/training/certificates?show=all", "Certificate saved for Mei Target."),
            method="POST",
            data=lambda c: certificate_form(c),
        ),
        Row(
            "training.budget_page",
            frozenset({"hr", "manager", "admin"}),
            page("Training budget", "Annual budget"),
        ),
        Row(
            "training.set_budget",
            KEEPERS,
            redirect("/training/budget", "Budget saved.", then=budget_set),
            method="POST",
            data=lambda c: {"annual_budget": "61000"},
        ),
        Row(
            "training.compliance_matrix",
            OVERSEERS,
            page("Training compliance", "Hand hygiene", "Mei Target"),
            given=compliance_world,
        ),
        Row(
            "training.compliance_csv",
            OVERSEERS,
            csv("Hand hygiene", lambda c: c.world.person.staff_no),
            given=compliance_world,
        ),
        Row(
            "training.compliance_pdf",
            OVERSEERS,
            pdf("Hand hygiene", lambda c: c.world.person.staff_no),
            given=compliance_world,
        ),
        Row(
            "training.sign_in_sheet",
            OVERSEERS,
            pdf(lambda c: c.world.person.staff_no),
            args=lambda c: {"session_id": future_seat(c).session_id},
            obj=future,
            refused={"employee": 403},
            other_department=(Elsewhere(code=403),),
        ),
        Row(
            "training.transcript",
            OVERSEERS,
            pdf(lambda c: c.world.person.staff_no),
            args=lambda c: {"person_id": c.world.person.id},
            obj=lambda c: c.world.person,
            refused={"employee": 403},
            other_department=(Elsewhere(code=403),),
        ),
    ],
)

globals().update(access.tests_for(ROWS))

"""The training pages and fragments in the fixed-query-count test (tests/test_query_counts.py):
the counts hold with more sessions, seats, marks and programmes (grow)."""

from datetime import timedelta

from portal.blueprints.training import services
from tests import factories
from tests.test_query_counts import Case
from tests.training import helpers

CASES = [
    Case("training.index", "employee", "/training/", 6, expect="What I must still take"),
    Case(
        "training.index", "supervisor", "/training/?show=open", 4, fragment=True, expect="Briefing"
    ),
    Case(
        "training.calendar",
        "employee",
        "/training/calendar?day={training_day}",
        4,
        expect="Briefing on towels",
    ),
    Case(
        "training.calendar",
        "supervisor",
        "/training/calendar?view=week&day={training_day}",
        4,
        fragment=True,
        expect="Briefing on towels",
    ),
    Case("training.programmes", "hr", "/training/programmes", 2, expect="Briefing"),
    Case("training.create_programme", "hr", "/training/programmes/new", 3, expect="Pass mark"),
    Case(
        "training.edit_programme",
        "hr",
        "/training/programmes/{training_programme}/edit",
        7,
        expect="Pass mark",
    ),
    Case("training.create_session", "supervisor", "/training/sessions/new", 3, expect="Trainer"),
    Case(
        "training.edit_session",
        "hr",
        "/training/sessions/{training_future}/edit",
        4,
        expect="Trainer",
    ),
    Case(
        "training.detail",
        "supervisor",
        "/training/sessions/{training_running}",
        5,
        expect="Roll call",
    ),
    Case(
        "training.detail",
        "employee",
        "/training/sessions/{training_future}",
        4,
        expect="My place",
    ),
    Case("training.compliance_matrix", "hr", "/training/compliance", 5, expect="Briefing"),
    Case(
        "training.compliance_matrix",
        "supervisor",
        "/training/compliance?department={training_department}",
        4,
        fragment=True,
        expect="Briefing",
    ),
    Case("training.compliance_csv", "hr", "/training/compliance.csv", 5, expect="Briefing"),
    Case("training.budget_page", "hr", "/training/budget", 4, expect="Annual budget"),
    Case("training.certificates_list", "hr", "/training/certificates?show=all", 2, expect="FA-1"),
    Case(
        "training.certificates_list",
        "supervisor",
        "/training/certificates?show=expiring",
        2,
        fragment=True,
        expect="FA-",
    ),
    Case(
        "training.record_certificate", "hr", "/training/certificates/new", 2, expect="Valid until"
    ),
]


def _fill(prop, hr, programme, n: int, *, running: bool):
    trainer = factories.person("supervisor", prop=prop, dept="HK")
    options = {"programme_": programme, "by": hr, "trainer": trainer, "capacity": n + 2}
    made = helpers.running_session(prop, **options) if running else helpers.session(prop, **options)
    for i in range(n):
        person = factories.person("employee", prop=prop, dept=("HK", "FO")[i % 2])
        if running:
            seat = helpers.seat(made, person, by=hr)
            if i % 3:
                services.record_attendance(seat, by=hr, mark="present")
                if programme.pass_mark is not None:
                    services.record_attendance(seat, by=hr, score=60 + i)
        else:
            services.enrol(made, person, by=hr)
    return made


NOT_PAGES = {
    "training.sign_in_sheet": "a document",
    "training.transcript": "a document",
    "training.compliance_pdf": "a document",
}

# The ids tests/test_input.py gives the training routes' arguments (keys of world()).
ROUTE_ARGUMENTS = {"programme_id": "training_programme", "session_id": "training_future"}


def world(prop, ids):
    hr = factories.person("hr", prop=prop, dept="HR")
    programme = helpers.programme(
        prop, by=hr, title_en="Briefing on towels", pass_mark=70, roles=["employee"]
    )
    future = _fill(prop, hr, programme, 2, running=False)
    running = _fill(prop, hr, programme, 3, running=True)
    _certificates(prop, hr, programme, 2)
    return {
        "training_programme": programme.id,
        "training_future": future.id,
        "training_running": running.id,
        # The local day of the upcoming session: the calendar's month and week that show it.
        "training_day": services.to_local(future.starts_at).date().isoformat(),
        "training_department": factories.department(prop, "HK").id,
    }


def _certificates(prop, hr, programme, n: int):
    from portal.blueprints.training import certificates
    from portal.i18n import local_today

    for i in range(n):
        holder = factories.person("employee", prop=prop, dept="HK")
        issued = local_today() - timedelta(days=330)
        certificates.record(
            prop.id,
            certificates.CertificateData(
                holder.staff_no, programme.id, f"FA-{i + 1}", "Red Cross", issued,
                issued + timedelta(days=365),
            ),
            by=hr,
        )  # fmt: skip


def grow(prop, count):
    hr = factories.person("hr", prop=prop, dept="HR")
    from sqlalchemy import select as _select

    from portal.blueprints.training.models import Programme as _Programme
    from portal.extensions import db as _db

    first = _db.session.scalar(
        _select(_Programme).where(_Programme.property_id == prop.id).order_by(_Programme.id)
    ) or helpers.programme(prop, by=hr, title_en="First aid")
    _certificates(prop, hr, first, count)
    for i in range(count):
        programme = helpers.programme(
            prop, by=hr, title_en=f"Programme {i}", pass_mark=None, roles=["employee"]
        )
        _fill(prop, hr, programme, 2, running=bool(i % 2))
    # More seats and marks on the sessions the pages show.
    from sqlalchemy import select

    from portal.blueprints.training.models import TrainingSession
    from portal.extensions import db

    for session in db.session.scalars(
        select(TrainingSession).where(TrainingSession.property_id == prop.id)
    ):
        if session.capacity - session.seats_taken >= 1 and session.starts_at > services.utcnow():
            services.enrol(session, factories.person("employee", prop=prop), by=hr)
        elif session.starts_at <= services.utcnow() + timedelta(hours=1):
            seat = helpers.seat(session, factories.person("employee", prop=prop, dept="HK"), by=hr)
            session.capacity += 1
            services.record_attendance(seat, by=hr, mark="late")
    # The data set's newest trail event names a person (tests/test_query_counts.py): keep it so.
    from portal import audit

    audit.record("person.updated", hr, actor=hr, summary="phone")

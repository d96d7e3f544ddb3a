"""Who must take what: statuses by cadence, completions, assignments on hire and on a new SOP
version, the matrix and one person's list."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.audit import AuditEvent
from portal.blueprints.people import services as people
from portal.blueprints.people.models import Property
from portal.blueprints.sops import services as sops
from portal.blueprints.training import compliance, services
from portal.blueprints.training.compliance import Status, add_months, cell_of
from portal.blueprints.training.models import Assignment, Programme
from portal.database import utcnow
from portal.extensions import db
from portal.i18n import local_day_start, local_today
from tests import factories
from tests.training import helpers


@pytest.fixture
def hotel(ctx):
    return factories.property_()


def took(programme, person, *, days_ago=10, mark="present", score=None):
    """`person` attended a session of `programme` that ended on the local day `days_ago` days
    ago (at noon, or a minute ago when that noon is still to come), whatever the hour the test
    runs at: a session ending ten times 24 hours ago ends eleven local days ago just after
    midnight."""
    prop = db.session.get(Property, programme.property_id)
    hr = factories.person("hr", prop=prop, dept="HR")
    noon = local_day_start(local_today() - timedelta(days=days_ago)) + timedelta(hours=12)
    ends = min(noon, utcnow() - timedelta(minutes=1))
    session = helpers.session(
        prop,
        programme_=programme,
        by=hr,
        starts_in=ends - timedelta(hours=2) - utcnow(),
        hours=2,
    )
    enrolment = helpers.seat(session, person)
    services.record_attendance(enrolment, by=hr, mark=mark)
    if score is not None:
        services.record_attendance(enrolment, by=hr, score=score)
    return enrolment


def veteran(prop, dept="HK", role="employee"):
    """Someone who joined long ago: a programme never taken is past its date."""
    return factories.person(role, prop=prop, dept=dept, hire_date=date.today() - timedelta(800))


def backdate(programme, days):
    programme.created_at = utcnow() - timedelta(days=days)
    db.session.flush()


# --- the rule, without the database ----------------------------------------------------------
TODAY = date(2027, 3, 15)


def test_months_are_added_on_the_calendar():
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert add_months(date(2027, 3, 15), 12) == date(2028, 3, 15)


@pytest.mark.parametrize(
    ("cadence", "last_done", "expected", "due"),
    [
        ("monthly", date(2027, 3, 1), Status.DONE, date(2027, 4, 1)),
        ("monthly", date(2027, 2, 20), Status.DUE_SOON, date(2027, 3, 20)),
        ("monthly", date(2027, 2, 15), Status.DUE_SOON, date(2027, 3, 15)),  # last valid day
        ("monthly", date(2027, 2, 14), Status.OVERDUE, date(2027, 3, 14)),
        ("quarterly", date(2027, 1, 1), Status.DONE, date(2027, 4, 1)),
        ("quarterly", date(2026, 12, 20), Status.DUE_SOON, date(2027, 3, 20)),
        ("yearly", date(2026, 5, 1), Status.DONE, date(2027, 5, 1)),
        ("yearly", date(2026, 4, 1), Status.DUE_SOON, date(2027, 4, 1)),
        ("once", date(2020, 1, 1), Status.DONE, None),
    ],
)
def test_a_completion_keeps_a_person_compliant_for_one_period(cadence, last_done, expected, due):
    cell = cell_of(
        kind="monthly_service",
        cadence=cadence,
        required=True,
        starts_on=date(2019, 1, 1),
        last_done=last_done,
        assigned_due=None,
        today=TODAY,
    )
    assert (cell.status, cell.due_on, cell.last_done) == (expected, due, last_done)


def test_someone_who_never_took_it_has_one_period_from_joining():
    def never(kind, cadence, joined):
        return cell_of(
            kind=kind,
            cadence=cadence,
            required=True,
            starts_on=joined,
            last_done=None,
            assigned_due=None,
            today=TODAY,
        )

    assert never("quarterly_all_staff", "quarterly", date(2026, 12, 20)).status is Status.DUE_SOON
    assert never("quarterly_all_staff", "quarterly", date(2027, 1, 1)).status is Status.DUE
    assert never("quarterly_all_staff", "quarterly", date(2026, 12, 14)).status is Status.NEVER
    induction = never("induction", "once", date(2027, 3, 10))
    assert (induction.status, induction.due_on) == (Status.DUE_SOON, date(2027, 3, 17))
    assert never("induction", "once", date(2027, 3, 1)).status is Status.NEVER
    assert never("skill_upgrade", "once", date(2027, 3, 1)).due_on == date(2027, 3, 31)


def test_an_open_assignment_counts_besides_the_audience():
    def cell(required, last_done, assigned_due):
        return cell_of(
            kind="sop_briefing",
            cadence="once",
            required=required,
            starts_on=date(2026, 1, 1),
            last_done=last_done,
            assigned_due=assigned_due,
            today=TODAY,
        )

    # Done once for good by the audience, but a new SOP version asks for it again.
    again = cell(True, date(2026, 2, 1), date(2027, 3, 10))
    assert (again.status, again.due_on) == (Status.OVERDUE, date(2027, 3, 10))
    assert cell(False, None, date(2027, 3, 10)).status is Status.NEVER
    assert cell(False, None, date(2027, 5, 1)).status is Status.DUE
    # Assigned, fulfilled, and not required otherwise: done.
    assert cell(False, date(2027, 3, 1), None).status is Status.DONE


# --- completions from the roll call ----------------------------------------------------------
def test_a_completion_needs_attendance_and_a_pass(hotel):
    hr = factories.person("hr", prop=hotel, dept="HR")
    programme = helpers.programme(hotel, by=hr, roles=["employee"], cadence="monthly")
    backdate(programme, 200)
    passed, failed, absent, unscored = (veteran(hotel) for _ in range(4))
    took(programme, passed, score=80)
    took(programme, failed, score=40)
    took(programme, absent, mark="absent")
    took(programme, unscored)  # present, the score not entered yet
    cells = compliance.standings(hr)
    assert cells[passed.id, programme.id].status is Status.DONE
    assert cells[passed.id, programme.id].last_done == local_today() - timedelta(days=10)
    for person in (failed, absent, unscored):
        assert cells[person.id, programme.id].status is Status.NEVER


def test_a_corrected_mark_counts_as_corrected(hotel):
    hr = factories.person("hr", prop=hotel, dept="HR")
    programme = helpers.programme(hotel, by=hr, roles=["employee"], pass_mark=None)
    backdate(programme, 200)
    person = veteran(hotel)
    enrolment = took(programme, person)
    assert compliance.standings(hr)[person.id, programme.id].status is Status.DONE
    services.record_attendance(enrolment, by=hr, mark="absent", reason="signed in for a friend")
    assert compliance.standings(hr)[person.id, programme.id].status is Status.NEVER


def test_the_audience_is_roles_within_departments(hotel):
    hr = factories.person("hr", prop=hotel, dept="HR")
    hk = factories.department(hotel, "HK")
    programme = helpers.programme(hotel, by=hr, roles=["employee"], department_ids=[hk.id])
    in_hk = factories.person(prop=hotel, dept="HK")
    in_fo = factories.person(prop=hotel, dept="FO")
    supervisor = factories.person("supervisor", prop=hotel, dept="HK")
    cells = compliance.standings(hr)
    assert (in_hk.id, programme.id) in cells
    assert (in_fo.id, programme.id) not in cells
    assert (supervisor.id, programme.id) not in cells


def test_a_supervisor_sees_the_standings_of_their_departments_only(hotel):
    hr = factories.person("hr", prop=hotel, dept="HR")
    programme = helpers.programme(hotel, by=hr, roles=["employee"])
    supervisor = factories.person("supervisor", prop=hotel, dept="HK")
    supervisor.supervises = [factories.department(hotel, "HK")]
    mine = factories.person(prop=hotel, dept="HK")
    other = factories.person(prop=hotel, dept="FO")
    cells = compliance.standings(supervisor)
    assert (mine.id, programme.id) in cells
    assert (other.id, programme.id) not in cells
    assert compliance.standings(supervisor, person=other) == {}
    away = factories.property_("OTH")
    stranger = factories.person(prop=away)
    assert all(pid != stranger.id for pid, _ in compliance.standings(hr))


# --- assignments ---------------------------------------------------------------------------------
def _person_data(prop, **kw):
    return people.PersonData(
        property_id=prop.id,
        staff_no=kw.pop("staff_no", "N1001"),
        name_en=kw.pop("name_en", "New Starter"),
        name_zh=kw.pop("name_zh", "新员工"),
        role=kw.pop("role", "employee"),
        department_id=factories.department(prop, kw.pop("dept", "HK")).id,
        hire_date=kw.pop("hire_date", local_today()),
        **kw,
    )


def test_a_new_hire_gets_the_induction_their_audience_names(hotel):
    hr = factories.person("hr", prop=hotel, dept="HR")
    induction = helpers.programme(
        hotel, by=hr, kind="induction", cadence="once", roles=["employee", "supervisor"]
    )
    helpers.programme(hotel, by=hr, kind="induction", cadence="once", roles=["manager"])
    other = factories.property_("OTH")
    helpers.programme(other, kind="induction", cadence="once", roles=["employee"])
    hired = local_today() - timedelta(days=2)
    person = people.create_person(_person_data(hotel, hire_date=hired), pin="135790", by=hr)
    rows = db.session.scalars(select(Assignment).where(Assignment.person_id == person.id)).all()
    assert [(a.programme_id, a.reason, a.due_on) for a in rows] == [
        (induction.id, "hire", hired + timedelta(days=7))
    ]
    audit = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "training.assigned")
    ).all()
    assert len(audit) == 1 and f"person={person.staff_no}" in audit[0].summary
    (item,) = compliance.still_to_take(person)
    assert item.programme.id == induction.id
    assert item.cell.status is Status.DUE_SOON


def test_a_new_sop_version_assigns_its_briefing_to_its_audience(hotel):
    hr = factories.person("hr", prop=hotel, dept="HR")
    manager = factories.person("manager", prop=hotel, dept="FO")
    first = factories.sop("HK-001", prop=hotel, author=hr, approver=manager)
    sop = first.sop
    briefing = helpers.programme(
        hotel, by=hr, kind="sop_briefing", cadence="once", roles=[], pass_mark=None
    )
    briefing.sops = [sop]
    unrelated = helpers.programme(hotel, by=hr, kind="sop_briefing", cadence="once", roles=[])
    db.session.flush()
    readers = [factories.person(prop=hotel, dept="HK") for _ in range(3)]
    audience = {p.id for p in sops_audience(sop)}
    assert {p.id for p in readers} <= audience

    correction = sops.new_version(sop, by=hr, major=False, correction=True)
    correction.minor_edit_reason = "A typing error"
    sops.submit_for_review(correction, by=hr)
    sops.approve(correction, approver=manager, effective_date=local_today())
    assert db.session.scalar(select(Assignment.id).limit(1)) is None  # a correction: nothing

    second = sops.new_version(sop, by=hr, major=True)
    sops.submit_for_review(second, by=hr)
    effective = local_today() + timedelta(days=5)
    sops.approve(second, approver=manager, effective_date=effective)
    rows = db.session.scalars(select(Assignment)).all()
    assert {a.person_id for a in rows} == audience
    assert {(a.programme_id, a.sop_version_id, a.due_on) for a in rows} == {
        (briefing.id, second.id, effective + timedelta(days=14))
    }
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "training.briefing_assigned")
    )
    assert f"people={len(audience)}" in event.summary
    assert compliance.still_to_take(readers[0])[0].programme.id == briefing.id
    assert all(t.programme.id != unrelated.id for t in compliance.still_to_take(readers[0]))

    # A session that ended before the approval does not fulfil it; one after it does.
    took(briefing, readers[0], days_ago=0)
    assert compliance.standings(hr)[readers[0].id, briefing.id].status is Status.DUE
    for row in rows:
        row.assigned_at -= timedelta(days=1)
    db.session.flush()
    assert compliance.standings(hr)[readers[0].id, briefing.id].status is Status.DONE
    assert compliance.standings(hr)[readers[1].id, briefing.id].status is Status.DUE


def sops_audience(sop):
    from portal.blueprints.sops import reading

    return reading.audience_people(sop)


# --- the matrix ---------------------------------------------------------------------------------
def test_the_matrix_counts_per_programme_and_department(hotel):
    hr = factories.person("hr", prop=hotel, dept="HR")
    monthly = helpers.programme(hotel, by=hr, roles=["employee"], pass_mark=None)
    yearly = helpers.programme(
        hotel, by=hr, title_en="Fire warden", roles=["employee"], cadence="yearly"
    )
    optional = helpers.programme(hotel, by=hr, title_en="Wine basics", roles=[])
    backdate(monthly, 400)
    backdate(yearly, 400)
    hk = [veteran(hotel) for _ in range(3)]
    fo = veteran(hotel, "FO")
    took(monthly, hk[0], days_ago=3)
    took(monthly, hk[1], days_ago=40)
    result = compliance.matrix(hr)
    assert [c.id for c in result.columns] == sorted(
        [monthly.id, yearly.id], key=lambda i: db.session.get(Programme, i).title_en
    )
    assert optional.id not in {c.id for c in result.columns}
    assert result.cell(hk[0].id, monthly.id).status is Status.DONE
    assert result.cell(hk[1].id, monthly.id).status is Status.OVERDUE
    assert result.cell(hk[2].id, monthly.id).status is Status.NEVER
    assert result.cell(hr.id, monthly.id) is None  # HR staff are not employees
    assert result.by_column[monthly.id].counts == {
        Status.DONE: 1,
        Status.OVERDUE: 1,
        Status.NEVER: 2,
    }
    lines = {line.department_id: line for line in result.by_department}
    hk_line = lines[factories.department(hotel, "HK").id]
    assert (hk_line.people, hk_line.behind_people) == (3, 3)
    assert hk_line.tally.required == 6 and hk_line.tally.percent == 16
    only_fo = compliance.matrix(hr, department_id=factories.department(hotel, "FO").id)
    assert [p.id for p in only_fo.people] == [fo.id]


def test_an_induction_is_required_of_those_who_join_after_it_was_set_up(hotel):
    hr = factories.person("hr", prop=hotel, dept="HR")
    induction = helpers.programme(
        hotel, by=hr, kind="induction", cadence="once", roles=["employee"]
    )
    old_hand = veteran(hotel)
    newcomer = factories.person(prop=hotel, hire_date=local_today())
    cells = compliance.standings(hr)
    assert (old_hand.id, induction.id) not in cells
    assert cells[newcomer.id, induction.id].status is Status.DUE_SOON

"""The rules that the SOP lists and the counts share, each written once.

The same question ("does this person's acknowledgement still count?", "is this person asked to
read it?") is answered by the list of SOPs, the coverage table of one SOP and the department
counts on a supervisor's home page: the three must agree, at the boundaries too.
"""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal.blueprints.sops import reading, services
from portal.blueprints.sops.models import SopAcknowledgement
from portal.extensions import db
from portal.i18n import local_today, select_timezone
from tests import factories


@pytest.fixture
def hotel(ctx, db):
    prop = factories.property_()
    return {
        "prop": prop,
        "hr": factories.person("hr", prop=prop, dept="HR"),
        "manager": factories.person("manager", prop=prop, dept="FO"),
        "hk": factories.department(prop, "HK"),
        "fo": factories.department(prop, "FO"),
    }


def acknowledged_at(version, person, when: datetime) -> None:
    db.session.add(
        SopAcknowledgement(
            sop_id=version.sop_id,
            version_id=version.id,
            version_key=version.version_key,
            user_id=person.id,
            acknowledged_at=when.astimezone(UTC),
        )
    )
    db.session.flush()


def three_answers(version, person, department_ids, today):
    """(the person's list says acknowledged, the coverage table says so, department count)."""
    (row,) = reading.list_sops(person, sop_id=version.sop_id, today=today)
    table = {r.person_id: r for r in reading.coverage(version.sop, today=today, page=0).page.items}
    counts = {
        c.sop_id: c
        for c in reading.department_coverage(version.sop.property_id, department_ids, today)
    }
    count = counts[version.sop_id]
    return (
        row.acknowledged,
        table[person.id].acknowledged_at is not None,
        (count.done, count.total),
    )


@pytest.mark.parametrize("clock", [time(0, 30), time(12, 0), time(23, 30)])
def test_a_yearly_acknowledgement_counts_for_365_local_days(hotel, clock):
    """Acknowledged on local day D: it counts up to D + 364 and is due again on D + 365 (the
    anniversary), whatever the hour, by the property's calendar (not by UTC dates)."""
    version = factories.sop(author=hotel["hr"], approver=hotel["manager"], dept="HK")
    version.sop.yearly_ack = True
    reader = factories.person("employee", prop=hotel["prop"], dept="HK")
    day = local_today()
    acknowledged_at(version, reader, datetime.combine(day, clock, ZoneInfo(select_timezone())))
    departments = [hotel["hk"].id]
    assert three_answers(version, reader, departments, day) == (True, True, (1, 1))
    last = day + timedelta(days=364)
    assert three_answers(version, reader, departments, last) == (True, True, (1, 1))
    due = day + timedelta(days=365)
    assert three_answers(version, reader, departments, due) == (False, False, (0, 1))
    assert [v.id for _s, v, _r in reading.pending_for(reader, today=due)] == [version.id]


def test_an_acknowledgement_of_an_sop_not_read_yearly_counts_for_good(hotel):
    version = factories.sop(author=hotel["hr"], approver=hotel["manager"], dept="HK")
    reader = factories.person("employee", prop=hotel["prop"], dept="HK")
    acknowledged_at(version, reader, datetime.now(UTC) - timedelta(days=400))
    later = local_today() + timedelta(days=1000)
    assert three_answers(version, reader, [hotel["hk"].id], later) == (True, True, (1, 1))


def test_the_audience_is_the_same_person_for_the_list_the_table_and_the_counts(hotel):
    """Audience: Housekeeping and Front Office employees (not their supervisors, not managers,
    not other departments, not people who left)."""
    prop = hotel["prop"]
    version = factories.sop(author=hotel["hr"], approver=hotel["manager"], dept="HK")
    services.set_audience(version.sop, [hotel["hk"].id, hotel["fo"].id], ["employee"])
    asked = [
        factories.person("employee", prop=prop, dept="HK"),
        factories.person("employee", prop=prop, dept="FO"),
    ]
    not_asked = [
        factories.person("supervisor", prop=prop, dept="HK"),
        factories.person("employee", prop=prop, dept="HR"),
        hotel["manager"],
    ]
    gone = factories.person("employee", prop=prop, dept="HK", active=False)
    db.session.flush()
    today = local_today()
    table = {r.person_id for r in reading.coverage(version.sop, today=today, page=0).page.items}
    assert table == {p.id for p in asked}
    assert {p.id for p in reading.audience_people(version.sop)} == table
    for person in asked:
        (row,) = reading.list_sops(person, sop_id=version.sop_id, today=today)
        assert row.acknowledged is False
    for person in not_asked:
        (row,) = reading.list_sops(person, sop_id=version.sop_id, today=today)
        assert row.acknowledged is None
    assert gone.id not in table  # people who left are not counted, nor asked
    hk_only = reading.department_coverage(prop.id, [hotel["hk"].id], today)
    both = reading.department_coverage(prop.id, [hotel["hk"].id, hotel["fo"].id], today)
    assert [(c.done, c.total) for c in hk_only] == [(0, 1)]
    assert [(c.done, c.total) for c in both] == [(0, 2)]


def test_the_baseline_after_minor_and_major_versions(hotel):
    """1.0 read; 1.1 (a minor edit) keeps it; 2.0 asks again; 2.1 (minor) keeps a 2.0 reading."""
    hr, manager = hotel["hr"], hotel["manager"]
    first = factories.sop(author=hr, approver=manager, dept="HK")
    reader = factories.person("employee", prop=hotel["prop"], dept="HK")
    reading.acknowledge(first.sop, first, reader)
    departments = [hotel["hk"].id]
    today = local_today()

    def publish(major: bool, minor_edit: bool):
        draft = services.new_version(first.sop, by=hr, major=major)
        if minor_edit:
            data = factories.version_data(minor_edit=True, minor_edit_reason="Typo")
            services.update_draft(draft, data, by=hr)
        services.submit_for_review(draft, by=hr)
        services.approve(draft, approver=manager, effective_date=today)
        return draft

    minor = publish(major=False, minor_edit=True)
    assert three_answers(minor, reader, departments, today) == (True, True, (1, 1))
    major = publish(major=True, minor_edit=False)
    assert three_answers(major, reader, departments, today) == (False, False, (0, 1))
    reading.acknowledge(first.sop, major, reader)
    after = publish(major=False, minor_edit=True)
    assert three_answers(after, reader, departments, today) == (True, True, (1, 1))
    (row,) = [
        r
        for r in reading.coverage(first.sop, today=today, page=0).page.items
        if r.person_id == reader.id
    ]
    assert row.version_number == "2.0"


def test_the_baseline_is_each_sops_own(hotel):
    """A reading of HK-001 1.0 stops counting once its 2.0 is in force, even while another SOP
    has a version in force since a later day (the baseline is worked out per SOP, never from
    the newest version of the whole library)."""
    hr, manager = hotel["hr"], hotel["manager"]
    today = local_today()
    first = factories.sop(author=hr, approver=manager, dept="HK")
    reader = factories.person("employee", prop=hotel["prop"], dept="HK")
    reading.acknowledge(first.sop, first, reader)
    draft = services.new_version(first.sop, by=hr, major=True)
    services.submit_for_review(draft, by=hr)
    services.approve(draft, approver=manager, effective_date=today)
    first.effective_date, draft.effective_date = today - timedelta(30), today - timedelta(10)
    factories.sop(number="HK-002", prop=hotel["prop"], author=hr, approver=manager, dept="HK")
    db.session.flush()
    assert three_answers(draft, reader, [hotel["hk"].id], today) == (False, False, (0, 1))

"""Inspection policies: every room, every Nth room (the others released as inspected), or a
trusted self-checker; a re-clean is always inspected; an inspector releases a room without
inspecting it only with a coded reason, never their own cleaning or a re-clean."""

import pytest

from portal.blueprints.rosters import policies, services
from portal.blueprints.rosters.models import Policy, Release, RoomStatus, SkipReason
from portal.errors import DomainError
from tests import factories
from tests.rosters import helpers


@pytest.fixture
def prop(db, ctx):
    return factories.property_()


def _clean_one(prop, person):
    room = helpers.room(prop)
    cleaning = helpers.finish(helpers.tick_all(helpers.start(helpers.assign(room, person))))
    return room, cleaning


def test_by_default_every_room_waits_for_inspection(prop):
    room, cleaning = _clean_one(prop, helpers.attendant(prop))
    assert room.status == RoomStatus.CLEAN and cleaning.released is None


def test_a_trusted_self_checker_releases_their_rooms_as_inspected(prop):
    person = helpers.attendant(prop)
    policies.set_policy(person, Policy.SELF, 3, by=helpers.hk_supervisor(prop))
    room, cleaning = _clean_one(prop, person)
    assert room.status == RoomStatus.INSPECTED and cleaning.released == Release.SELF
    assert cleaning.inspection is None  # no inspection: it counts for no first-pass rate


def test_every_third_room_is_inspected_and_the_others_released(prop):
    person = helpers.attendant(prop)
    policies.set_policy(person, Policy.SAMPLE, 3, by=helpers.hk_supervisor(prop))
    statuses = [_clean_one(prop, person)[0].status for _ in range(6)]
    inspected, clean = RoomStatus.INSPECTED, RoomStatus.CLEAN
    assert statuses == [inspected, inspected, clean, inspected, inspected, clean]


def test_a_re_clean_is_inspected_whatever_the_policy(prop):
    person = helpers.attendant(prop)
    boss = helpers.hk_supervisor(prop)
    room, cleaning = _clean_one(prop, person)
    helpers.inspect(cleaning, fail=(2,), note="Towels", by=boss)
    policies.set_policy(person, Policy.SELF, 3, by=boss)
    assignment = services.assignment_for(room, cleaning.day)
    again = helpers.finish(helpers.tick_all(helpers.start(assignment)))
    assert again.reclean and room.status == RoomStatus.CLEAN and again.released is None
    with pytest.raises(DomainError, match="is a re-clean"):
        policies.release(again, SkipReason.GUEST_WAITING, by=boss)


def test_an_inspector_releases_a_room_with_a_coded_reason(prop):
    boss = helpers.hk_supervisor(prop)
    person = helpers.attendant(prop)
    room, cleaning = _clean_one(prop, person)
    room.rush = True
    with pytest.raises(DomainError, match="Someone else inspects"):
        policies.release(cleaning, SkipReason.SHORT_STAFFED, by=person)
    policies.release(cleaning, SkipReason.GUEST_WAITING, by=boss)
    assert room.status == RoomStatus.INSPECTED and room.rush is False
    assert (cleaning.released, cleaning.release_reason, cleaning.released_by_id) == (
        Release.SKIPPED,
        SkipReason.GUEST_WAITING,
        boss.id,
    )
    with pytest.raises(DomainError):  # released already: it is no longer clean
        policies.release(cleaning, SkipReason.GUEST_WAITING, by=boss)


def test_a_policy_is_for_an_attendant_and_bounded(prop):
    boss = helpers.hk_supervisor(prop)
    with pytest.raises(DomainError, match="not a room attendant"):
        policies.set_policy(helpers.front_office(prop), Policy.SELF, 3, by=boss)
    with pytest.raises(DomainError, match="every 2nd to every 20th"):
        policies.set_policy(helpers.attendant(prop), Policy.SAMPLE, 1, by=boss)
    person = helpers.attendant(prop)
    policies.set_policy(person, Policy.SAMPLE, 4, by=boss)
    policies.set_policy(person, Policy.EVERY, 4, by=boss)  # changed, not added
    assert [(p.rule, p.every_n) for p in policies.policies(prop.id).values()] == [("every", 4)]

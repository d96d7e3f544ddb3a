"""Drills from the plan to the closed record: scheduling, the timer from server times, the roll
call, the record's rules and the closing checks."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.blueprints.drills import plans, services
from portal.blueprints.drills.models import Drill, DrillStatus, PlanVersion, RollCall
from portal.database import utcnow
from portal.errors import DomainError
from portal.i18n import local_today
from tests import factories
from tests.drills import helpers


def actions(db, ctx) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_plan_needs_both_languages_and_a_shift(db, ctx):
    prop = factories.property_()
    with pytest.raises(DomainError) as error:
        helpers.plan(prop, texts={"rescue_zh": ""})
    assert error.value.field == "rescue_zh"
    with pytest.raises(DomainError) as error:
        helpers.plan(prop, shifts=[])
    assert error.value.field == "shifts"


def test_a_plan_code_is_unique_in_its_property_whatever_the_case(db, ctx):
    prop = factories.property_()
    helpers.plan(prop, code="FIRE-01")
    with pytest.raises(DomainError) as error:
        helpers.plan(prop, code="fire-01")
    assert error.value.field == "code"
    helpers.plan(factories.property_("SPX"), code="FIRE-01")  # another property's own


def test_a_revision_is_a_new_version_and_the_old_one_stays(db, ctx):
    prop = factories.property_()
    plan = helpers.plan(prop, code="FIRE-01")
    keeper = helpers.keeper(prop)
    drill = helpers.closed(prop, plan)
    data = plans.PlanData(
        code="FIRE-01",
        kind="fire",
        every_months=6,
        shifts=["night"],
        target_seconds=240,
        texts=helpers.texts(title_en="Fire, revised"),
        change_note="Night team is smaller after the refit",
    )
    plans.revise_plan(plan, data, by=keeper, expected_version=plan.version)
    versions = plans.history(plan)
    assert [v.number for v in versions] == [2, 1]
    assert versions[0].title_en == "Fire, revised" and versions[1].title_en == "Fire and evacuation"
    assert plan.every_months == 6 and plan.shift_list == ["night"]
    # the drill keeps the version it ran under
    db.session.expire_all()
    assert db.session.get(Drill, drill.id).plan_version.number == 1
    assert "drills.plan_revised" in actions(db, ctx)


def test_a_revision_says_why_and_refuses_a_stale_form(db, ctx):
    prop = factories.property_()
    plan = helpers.plan(prop)
    data = plans.PlanData("FIRE-09", "fire", 3, ["morning"], texts=helpers.texts())
    with pytest.raises(DomainError) as error:
        plans.revise_plan(plan, data, by=helpers.keeper(prop), expected_version=plan.version)
    assert error.value.field == "change_note"
    data.change_note = "why"
    with pytest.raises(DomainError, match="Someone else revised"):
        plans.revise_plan(plan, data, by=helpers.keeper(prop), expected_version=plan.version - 1)
    assert db.session.scalar(select(func.count()).select_from(PlanVersion)) == 1


def test_a_drill_is_scheduled_on_a_shift_of_its_plan_not_in_the_past(db, ctx):
    prop = factories.property_()
    plan = helpers.plan(prop, shifts=["night"])
    keeper = helpers.keeper(prop)
    with pytest.raises(DomainError) as error:
        services.schedule(plan, "morning", local_today(), by=keeper)
    assert error.value.field == "shift"
    with pytest.raises(DomainError) as error:
        services.schedule(plan, "night", local_today() - timedelta(days=1), by=keeper)
    assert error.value.field == "planned_on"
    services.schedule(plan, "night", local_today(), by=keeper)
    with pytest.raises(DomainError, match="already has a drill"):
        services.schedule(plan, "night", local_today(), by=keeper)


def test_the_timer_runs_from_the_servers_alarm_time_and_a_second_tap_changes_nothing(db, ctx):
    prop = factories.property_()
    keeper = helpers.keeper(prop)
    drill = helpers.drill(prop, by=keeper)
    alarm = utcnow() - timedelta(seconds=200)
    assert services.start(drill, by=keeper, now=alarm) is True
    assert services.start(drill, by=keeper, now=alarm + timedelta(seconds=5)) is False
    assert drill.alarm_at == alarm and drill.status == DrillStatus.RUNNING
    done = alarm + timedelta(seconds=263)
    assert services.all_clear(drill, by=keeper, now=done) is True
    assert services.all_clear(drill, by=keeper, now=done + timedelta(seconds=9)) is False
    assert drill.evacuation_time == timedelta(seconds=263)
    assert drill.within_target() is True  # the plan's target is 300 s
    assert actions(db, ctx).count("drills.started") == 1
    assert actions(db, ctx).count("drills.all_clear") == 1


def test_a_future_drill_cannot_start_and_an_all_clear_needs_an_alarm(db, ctx):
    prop = factories.property_()
    keeper = helpers.keeper(prop)
    later = helpers.drill(prop, day=local_today() + timedelta(days=2), by=keeper)
    with pytest.raises(DomainError, match="it can be started on that day"):
        services.start(later, by=keeper)
    with pytest.raises(DomainError, match="Give the alarm first"):
        services.all_clear(later, by=keeper)
    assert later.alarm_at is None and later.status == DrillStatus.PLANNED


def test_the_roll_call_is_history_and_a_repeated_tap_writes_nothing(db, ctx):
    prop = factories.property_()
    keeper = helpers.keeper(prop)
    person = factories.person(prop=prop)
    drill = helpers.running(prop, by=keeper)
    assert services.account_for(drill, person, True, by=keeper) is not None
    assert services.account_for(drill, person, True, by=keeper) is None  # double tap
    assert services.accounted_count(drill)[0] == 1
    services.account_for(drill, person, False, by=keeper)  # a wrong tap undone
    rows = db.session.scalars(select(RollCall.accounted).order_by(RollCall.id)).all()
    assert rows == [True, False]
    assert services.accounted_count(drill)[0] == 0
    assert services.roll_state(drill, person.id).accounted is False


def test_no_roll_call_before_the_alarm_or_after_the_record_is_closed(db, ctx):
    prop = factories.property_()
    keeper = helpers.keeper(prop)
    person = factories.person(prop=prop)
    with pytest.raises(DomainError, match="opens when the alarm"):
        services.account_for(helpers.drill(prop, by=keeper), person, True, by=keeper)
    with pytest.raises(DomainError, match="closed"):
        services.account_for(helpers.closed(prop, by=keeper), person, True, by=keeper)


def test_the_roster_is_the_marshals_departments_with_each_persons_newest_tap(
    db, ctx, count_queries
):
    prop = factories.property_()
    keeper = helpers.keeper(prop)
    hk = [factories.person(prop=prop, dept="HK") for _ in range(3)]
    fo = factories.person(prop=prop, dept="FO")
    marshal = factories.person("supervisor", prop=prop, dept="HK")
    drill = helpers.running(prop, by=keeper)
    services.account_for(drill, hk[0], True, by=marshal)
    services.account_for(drill, hk[1], True, by=marshal)
    services.account_for(drill, hk[1], False, by=marshal)
    with count_queries() as queries:
        rows = services.roster(drill, marshal)
    assert queries.count == 1
    by_id = {r.person.id: r.accounted for r in rows}
    assert fo.id not in by_id and keeper.id not in by_id
    assert by_id[hk[0].id] is True and by_id[hk[1].id] is False and by_id[hk[2].id] is False
    everyone = {r.person.id for r in services.roster(drill, keeper)}
    assert {fo.id, keeper.id, *(p.id for p in hk)} <= everyone


def test_the_record_refuses_counts_that_cannot_be(db, ctx):
    prop = factories.property_()
    keeper = helpers.keeper(prop)
    drill = helpers.ended(prop, by=keeper)
    cases = [
        ({"evacuated_count": 54}, "evacuated_count"),  # 53 present
        ({"staff_taking_part": 23}, "staff_taking_part"),  # 22 on duty
        ({"guest_count": 100_001}, "guest_count"),
        ({"notice_given_on": local_today() + timedelta(days=1)}, "notice_given_on"),
    ]
    for change, field in cases:
        with pytest.raises(DomainError) as error:
            services.save_record(
                drill, {**helpers.COMPLETE, **change}, by=keeper, expected_version=None
            )
        assert error.value.field == field, change
    assert drill.evacuated_count == 0


def test_no_record_before_the_all_clear(db, ctx):
    prop = factories.property_()
    keeper = helpers.keeper(prop)
    drill = helpers.running(prop, by=keeper)
    with pytest.raises(DomainError, match="after the all-clear"):
        services.save_record(drill, helpers.COMPLETE, by=keeper, expected_version=None)


def test_closing_names_every_missing_fire_code_field(db, ctx):
    prop = factories.property_()
    keeper = helpers.keeper(prop)
    plan = helpers.plan(prop, notice_required=True)
    drill = helpers.ended(prop, plan, by=keeper)
    with pytest.raises(services.RecordIncomplete) as error:
        services.close(drill, by=keeper)
    assert set(error.value.missing) == {
        "alert_method",
        "alarm_audible",
        "exits_used",
        "staff_on_duty",
        "evacuated_count",
        "special_conditions",
        "weather",
        "problems",
        "notice_given_on",
    }
    assert drill.status == DrillStatus.ENDED
    values = {**helpers.COMPLETE, "notice_given_on": local_today() - timedelta(days=7)}
    services.save_record(drill, values, by=keeper, expected_version=None)
    assert services.close(drill, by=keeper) is True
    assert services.close(drill, by=keeper) is False  # a second tap
    assert drill.status == DrillStatus.CLOSED and drill.closed_by_id == keeper.id


def test_a_closed_record_never_changes(db, ctx):
    prop = factories.property_()
    keeper = helpers.keeper(prop)
    drill = helpers.closed(prop, by=keeper)
    with pytest.raises(DomainError, match="closed"):
        services.save_record(
            drill, {**helpers.COMPLETE, "weather": "Snow"}, by=keeper, expected_version=None
        )
    db.session.expire_all()
    assert db.session.get(Drill, drill.id).weather == "Clear"

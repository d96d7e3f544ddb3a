"""Who may reach each drill endpoint: every role, anonymous, another property's plans, drills
and people, and a supervisor of another department (tests/access.py)."""

import re

from sqlalchemy import select

from portal.blueprints.drills.models import (
    ActionStatus,
    Amendment,
    CorrectiveAction,
    Drill,
    DrillRole,
    DrillStatus,
    Incident,
    IncidentStatus,
    Plan,
    PlanRead,
    PlanVersion,
    RollCall,
)
from portal.database import utcnow
from portal.i18n import local_today, to_local
from tests import access
from tests.access import ALL, Elsewhere, Row, page, pdf, redirect
from tests.drills import helpers

SECURITY = frozenset({"manager", "admin"})  # and a supervisor of the security department
OVERSEERS = frozenset({"supervisor", "hr", "manager", "admin"})
MARSHALS = frozenset({"supervisor", "hr", "manager", "admin"})


def _once(name, build):
    def get(ctx):
        cache = ctx.world.__dict__.setdefault("_drills", {})
        if name not in cache:
            cache[name] = build(ctx.world, cache)
        return cache[name]

    return get


def _keeper(world, cache):
    if "keeper" not in cache:
        cache["keeper"] = helpers.keeper(world.prop)
    return cache["keeper"]


plan = _once("plan", lambda w, c: helpers.plan(w.prop, by=_keeper(w, c), code="FIRE-77"))
planned = _once("planned", lambda w, c: helpers.drill(w.prop, plan(_C(w)), by=_keeper(w, c)))
running = _once(
    "running",
    lambda w, c: helpers.running(w.prop, plan(_C(w)), by=_keeper(w, c)),
)
ended = _once("ended", lambda w, c: helpers.ended(w.prop, plan(_C(w)), by=_keeper(w, c)))
recorded = _once("recorded", lambda w, c: helpers.recorded(w.prop, plan(_C(w)), by=_keeper(w, c)))
closed = _once("closed", lambda w, c: helpers.closed(w.prop, plan(_C(w)), by=_keeper(w, c)))


def _action(world, cache, done=False):
    from portal.blueprints.drills import actions

    drill = ended(_C(world))
    made = actions.add(
        drill, "Fix the sounder", world.person, local_today(), by=_keeper(world, cache)
    )
    if done:
        actions.mark_done(made, "Fitted", by=world.person)
    return made


action = _once("action", _action)


def _incident(world, cache, triaged=False):
    from datetime import timedelta

    from portal.blueprints.drills import incidents
    from portal.database import utcnow

    made = incidents.report(
        world.prop.id,
        incidents.Report(utcnow() - timedelta(hours=1), "Loading bay", "Gate left open", "", "low"),
        by=world.person,
    )
    if triaged:
        incidents.triage(made, "low", "Gate checked", by=_keeper(world, cache))
    return made


incident = _once("incident", _incident)
incident_in_hand = _once("incident_in_hand", lambda w, c: _incident(w, c, triaged=True))


def _read_by_actor(ctx):
    read = ctx.db.session.scalar(select(PlanRead).where(PlanRead.person_id == ctx.actor.id))
    assert read is not None and read.plan_version_id == plan(ctx).versions[0].id


def incident_reported(ctx):
    made = ctx.db.session.scalar(select(Incident).where(Incident.location == "Bike store"))
    assert made is not None and made.reported_by_id == ctx.actor.id
    assert made.property_id == ctx.actor.property_id


def incident_is(getter, status):
    def check(ctx):
        ctx.db.session.expire_all()
        assert ctx.db.session.get(Incident, getter(ctx).id).status == status

    return check


done_action = _once("done_action", lambda w, c: _action(w, c, done=True))


def action_added(ctx):
    made = ctx.db.session.scalar(
        select(CorrectiveAction).where(CorrectiveAction.description == "Check the west stair")
    )
    assert made is not None and made.owner_id == ctx.world.person.id
    assert ctx.location == f"/drills/{ended(ctx).id}#action-{made.id}"


def action_is(getter, status):
    def check(ctx):
        ctx.db.session.expire_all()
        assert ctx.db.session.get(CorrectiveAction, getter(ctx).id).status == status

    return check


class _C:
    def __init__(self, world):
        self.world = world


def plan_form(**fields):
    data = {
        "code": "EVAC-05",
        "kind": "fire",
        "every_months": "6",
        "shifts": ["morning", "night"],
        "target": "4:30",
        **helpers.texts(title_en="Evacuation of the spa", title_zh="水疗区疏散"),
    }
    data.update(fields)
    return data


def plan_made(ctx):
    made = ctx.db.session.scalar(select(Plan).where(Plan.code == "EVAC-05"))
    assert made is not None and made.property_id == ctx.actor.property_id
    assert made.target_seconds == 270 and made.every_months == 6
    assert ctx.location == f"/drills/plans/{made.id}"


def plan_revised(ctx):
    ctx.db.session.expire_all()
    numbers = ctx.db.session.scalars(
        select(PlanVersion.number).where(PlanVersion.plan_id == plan(ctx).id)
    ).all()
    assert sorted(numbers) == [1, 2]


def drill_made(ctx):
    made = ctx.db.session.scalar(select(Drill).where(Drill.plan_id == plan(ctx).id))
    assert made is not None and made.shift == "night"
    assert ctx.location == f"/drills/{made.id}"


def status_is(getter, status):
    def check(ctx):
        ctx.db.session.expire_all()
        assert ctx.db.session.get(Drill, getter(ctx).id).status == status

    return check


def record_form(ctx):
    values = {k: "" if v is None else str(v) for k, v in helpers.COMPLETE.items()}
    values["alarm_audible"] = "yes"
    values["weather"] = "Light rain"
    return values


def record_saved(ctx):
    ctx.db.session.expire_all()
    assert ctx.db.session.get(Drill, ended(ctx).id).weather == "Light rain"


def _role(world, cache):
    from portal.blueprints.drills import roles

    drill = planned(_C(world))
    return roles.assign(drill, world.person, "first_aid", "", by=_keeper(world, cache))


role = _once("role", _role)


def role_given(ctx):
    row = ctx.db.session.scalar(select(DrillRole).where(DrillRole.drill_id == planned(ctx).id))
    assert row is not None and row.person_id == ctx.world.person.id
    assert (row.duty, row.area, row.assigned_by_id) == ("floor_warden", "Level 3", ctx.actor.id)


def role_gone(ctx):
    ctx.db.session.expire_all()
    left = select(DrillRole).where(DrillRole.drill_id == planned(ctx).id)
    assert ctx.db.session.scalars(left).all() == []


def amended(ctx):
    row = ctx.db.session.scalar(select(Amendment).where(Amendment.drill_id == closed(ctx).id))
    assert row is not None and row.field == "weather" and row.after == "Light rain"
    assert row.before == "Clear" and row.by_id == ctx.actor.id
    ctx.db.session.expire_all()
    assert ctx.db.session.get(Drill, closed(ctx).id).weather == "Clear"  # the record as closed


def accounted(ctx):
    row = ctx.db.session.scalar(
        select(RollCall).where(
            RollCall.drill_id == running(ctx).id, RollCall.person_id == ctx.world.person.id
        )
    )
    assert row is not None and row.accounted and row.marked_by_id == ctx.actor.id


def drill_path(getter, anchor=None):
    return lambda c: f"/drills/{getter(c).id}" + (anchor(c) if anchor else "")


ROWS = access.domain(
    "drills",
    [
        Row("drills.index", ALL, page("Drills", "Running and planned", "FIRE-77"), given=planned),
        Row("drills.calendar", ALL, page("Drill calendar", "FIRE-77", "Planned"), given=planned),
        Row(
            "drills.compliance_view",
            OVERSEERS,
            page("Drill compliance by shift", "FIRE-77", "Never drilled"),
            given=plan,
        ),
        Row("drills.plan_list", ALL, page("Emergency plans", "FIRE-77"), given=plan),
        Row("drills.create_plan", SECURITY, page("New emergency plan", "Plan code")),
        Row(
            "drills.create_plan",
            SECURITY,
            redirect(re.compile(r"/drills/plans/\d+"), "Plan saved.", then=plan_made),
            method="POST",
            data=lambda c: plan_form(idempotency_key="access-matrix-drill-plan-01"),
        ),
        Row(
            "drills.plan",
            ALL,
            page("FIRE-77", "Fire and evacuation", "Measures, phase by phase"),
            args=lambda c: {"plan_id": plan(c).id},
            obj=plan,
        ),
        Row(
            "drills.revise_plan",
            SECURITY,
            page("Revise plan", "What changed and why"),
            args=lambda c: {"plan_id": plan(c).id},
            obj=plan,
            refused=403,
        ),
        Row(
            "drills.revise_plan",
            SECURITY,
            redirect(
                lambda c: f"/drills/plans/{plan(c).id}", "version 2 is in force", then=plan_revised
            ),
            method="POST",
            args=lambda c: {"plan_id": plan(c).id},
            data=lambda c: plan_form(
                code="FIRE-77", change_note="Assembly point moved", version=str(plan(c).version)
            ),
            obj=plan,
            refused=403,
        ),
        Row("drills.schedule", SECURITY, page("Schedule a drill", "FIRE-77"), given=plan),
        Row(
            "drills.schedule",
            SECURITY,
            redirect(re.compile(r"/drills/\d+"), "Drill scheduled.", then=drill_made),
            method="POST",
            given=plan,
            data=lambda c: {
                "plan_id": str(plan(c).id) if c.world is c.home else "",
                "shift": "night",
                "planned_on": local_today().isoformat(),
                "idempotency_key": "access-matrix-drill-0000001",
            },
        ),
        Row(
            "drills.detail",
            ALL,
            page("FIRE-77", "Planned for"),
            args=lambda c: {"drill_id": planned(c).id},
            obj=planned,
        ),
        Row(
            "drills.start",
            SECURITY,
            redirect(
                drill_path(planned),
                "Alarm given",
                then=status_is(planned, DrillStatus.RUNNING),
            ),
            method="POST",
            args=lambda c: {"drill_id": planned(c).id},
            data=lambda c: {},
            obj=planned,
            refused=403,
        ),
        Row(
            "drills.all_clear",
            SECURITY,
            redirect(drill_path(running), "All clear", then=status_is(running, DrillStatus.ENDED)),
            method="POST",
            args=lambda c: {"drill_id": running(c).id},
            data=lambda c: {},
            obj=running,
            refused=403,
        ),
        Row(
            "drills.record",
            SECURITY,
            redirect(lambda c: f"/drills/{ended(c).id}#record", "Record saved.", then=record_saved),
            method="POST",
            args=lambda c: {"drill_id": ended(c).id},
            data=record_form,
            obj=ended,
            refused=403,
        ),
        Row(
            "drills.close",
            SECURITY,
            redirect(
                drill_path(recorded), "Record closed.", then=status_is(recorded, DrillStatus.CLOSED)
            ),
            method="POST",
            args=lambda c: {"drill_id": recorded(c).id},
            data=lambda c: {},
            obj=recorded,
            refused=403,
        ),
        Row(
            "drills.amend",
            SECURITY,
            page("Amend the record", "Why the record is amended"),
            args=lambda c: {"drill_id": closed(c).id},
            obj=closed,
            refused=403,
        ),
        Row(
            "drills.amend",
            SECURITY,
            redirect(
                lambda c: f"/drills/{closed(c).id}#amendments",
                "Amendment recorded.",
                then=amended,
            ),
            method="POST",
            args=lambda c: {"drill_id": closed(c).id},
            data=lambda c: {
                **record_form(c),
                "reason": "Weather taken from the log",
                "version": str(closed(c).version),
            },
            obj=closed,
            refused=403,
        ),
        Row(
            "drills.assign_role",
            SECURITY,
            redirect(lambda c: f"/drills/{planned(c).id}#roles", then=role_given),
            method="POST",
            args=lambda c: {"drill_id": planned(c).id},
            data=lambda c: {
                "person_id": str(c.world.person.id),
                "duty": "floor_warden",
                "area": "Level 3",
            },
            obj=planned,
            refused=403,
        ),
        Row(
            "drills.remove_role",
            SECURITY,
            redirect(
                lambda c: f"/drills/{planned(c).id}#roles", "Role taken back.", then=role_gone
            ),
            method="POST",
            args=lambda c: {"role_id": role(c).id},
            data=lambda c: {},
            obj=planned,  # the refusal names the drill
            refused=403,
        ),
        Row(
            "drills.account",
            MARSHALS,
            redirect(drill_path(running, lambda c: f"#person-{c.world.person.id}"), then=accounted),
            method="POST",
            args=lambda c: {"drill_id": running(c).id, "person_id": c.world.person.id},
            data=lambda c: {"accounted": "1"},
            obj=lambda c: c.world.person,
            refused=403,
            other_property=(
                Elsewhere("drill", obj=lambda c: c.world.person),
                Elsewhere(
                    "person",
                    args=lambda c: {
                        "drill_id": running(_C(c.home)).id,
                        "person_id": c.world.person.id,
                    },
                    obj=lambda c: c.world.person,
                ),
            ),
            other_department=(Elsewhere(code=403),),
        ),
        Row(
            "drills.plan_pdf",
            ALL,
            pdf("FIRE-77", "Fire and evacuation"),
            args=lambda c: {"plan_id": plan(c).id, "lang": "en"},
            obj=plan,
        ),
        Row(
            "drills.report_pdf",
            OVERSEERS,
            pdf("FIRE-77", "Evacuation time"),
            args=lambda c: {"drill_id": closed(c).id, "lang": "en"},
            obj=closed,
            refused={"employee": 403},
        ),
        Row(
            "drills.add_action",
            SECURITY,
            redirect(lambda c: re.compile(rf"/drills/{ended(c).id}#action-\d+"), then=action_added),
            method="POST",
            args=lambda c: {"drill_id": ended(c).id},
            data=lambda c: {
                "description": "Check the west stair",
                "owner_id": str(c.world.person.id),
                "due_on": local_today().isoformat(),
                "idempotency_key": "access-matrix-drill-action-1",
            },
            obj=ended,
            refused=403,
        ),
        Row(
            # The owner (an employee of the target department) or security; another
            # supervisor, HR and other employees are refused.
            "drills.action_done",
            SECURITY,
            redirect(
                lambda c: f"/drills/{action(c).drill_id}#action-{action(c).id}",
                "Marked done",
                then=action_is(action, ActionStatus.DONE),
            ),
            method="POST",
            args=lambda c: {"action_id": action(c).id},
            data=lambda c: {"done_note": "Checked"},
            obj=action,
            refused=403,
        ),
        Row(
            "drills.action_verify",
            SECURITY,
            redirect(
                lambda c: f"/drills/{done_action(c).drill_id}#action-{done_action(c).id}",
                "Action verified.",
                then=action_is(done_action, ActionStatus.VERIFIED),
            ),
            method="POST",
            args=lambda c: {"action_id": done_action(c).id},
            data=lambda c: {},
            obj=done_action,
            refused=403,
        ),
        Row(
            "drills.action_list",
            ALL,
            page("orrective actions"),  # the property's, or "My corrective actions"
            args=lambda c: {"show": "open"},
            given=action,
        ),
        Row(
            "drills.confirm_read",
            ALL,
            redirect(
                lambda c: f"/drills/plans/{plan(c).id}",
                "you have read version 1",
                then=lambda c: _read_by_actor(c),
            ),
            method="POST",
            args=lambda c: {"plan_id": plan(c).id},
            data=lambda c: {"version": "1"},
            obj=plan,
            # A group admin reads another property's plans but is not its staff: refused
            # (tests/drills/test_reading.py); the row's own case is the bound role's.
            other_property=(Elsewhere(args=lambda c: {"plan_id": plan(c).id}),),
        ),
        Row("drills.report_incident", ALL, page("Report a security incident", "Where")),
        Row(
            "drills.report_incident",
            ALL,
            redirect(
                re.compile(r"/drills/incidents/\d+"),
                "security has your report",
                then=incident_reported,
            ),
            method="POST",
            data=lambda c: {
                "occurred_at": to_local(utcnow()).strftime("%Y-%m-%dT%H:%M"),
                "location": "Bike store",
                "what": "A bike lock cut",
                "severity": "low",
                "idempotency_key": "access-matrix-incident-001",
            },
        ),
        Row("drills.incident_list", ALL, page("ncident"), given=incident),
        Row(
            # Security, and the one who reported it (the target employee, not the actor).
            "drills.incident",
            SECURITY,
            page("Gate left open", "Loading bay"),
            args=lambda c: {"incident_id": incident(c).id},
            obj=incident,
        ),
        Row(
            "drills.triage_incident",
            SECURITY,
            redirect(
                lambda c: f"/drills/incidents/{incident(c).id}",
                "Incident in hand.",
                then=incident_is(incident, IncidentStatus.IN_HAND),
            ),
            method="POST",
            args=lambda c: {"incident_id": incident(c).id},
            data=lambda c: {"severity": "medium", "triage_note": "On it"},
            obj=incident,
        ),
        Row(
            "drills.close_incident",
            SECURITY,
            redirect(
                lambda c: f"/drills/incidents/{incident_in_hand(c).id}",
                "Incident closed.",
                then=incident_is(incident_in_hand, IncidentStatus.CLOSED),
            ),
            method="POST",
            args=lambda c: {"incident_id": incident_in_hand(c).id},
            data=lambda c: {"actions_taken": "Gate fixed", "plan_id": "0"},
            obj=incident_in_hand,
        ),
    ],
)

globals().update(access.tests_for(ROWS))

"""The drills demo, loaded by `flask seed-demo`: the four plans the issue names, two years of
quarterly fire drills on three shifts with times improving, overdue actions, an open incident
a record amended after closing, and drill roles (E1001 is a floor warden at the next drill)."""

from sqlalchemy import select

from portal.blueprints.drills import amendments
from portal.blueprints.drills.models import (
    Amendment,
    CorrectiveAction,
    Drill,
    DrillRole,
    DrillStatus,
    Incident,
    IncidentStatus,
    Plan,
)
from portal.i18n import local_today
from tests.conftest import text_of


def test_seed_demo_loads_drills_a_newcomer_can_read(app, db, client):
    result = app.test_cli_runner().invoke(args=["seed-demo"], catch_exceptions=False)
    assert "demo data drills: loaded" in result.output
    kinds = set(db.session.scalars(select(Plan.kind)))
    assert {"fire", "intruder", "food_safety", "public_health"} <= kinds
    fire = db.session.scalar(select(Plan).where(Plan.code == "FIRE-01"))
    drills = list(
        db.session.scalars(
            select(Drill)
            .where(Drill.plan_id == fire.id, Drill.status == DrillStatus.CLOSED)
            .order_by(Drill.alarm_at)
        )
    )
    assert len(drills) == 24 and {d.shift for d in drills} == {"morning", "evening", "night"}
    first, last = drills[:3], drills[-3:]
    assert max(d.evacuation_time for d in last) < min(d.evacuation_time for d in first)
    overdue = [a for a in db.session.scalars(select(CorrectiveAction)) if a.overdue(local_today())]
    assert overdue
    assert (
        db.session.scalar(select(Incident).where(Incident.status != IncidentStatus.CLOSED))
        is not None
    )
    (amended,) = {a.drill_id for a in db.session.scalars(select(Amendment))}
    newest = drills[-1]
    assert amended == newest.id
    assert amendments.record_values(newest)["guest_count"] == newest.guest_count + 2
    assert db.session.scalar(select(DrillRole.id).where(DrillRole.drill_id == newest.id))
    assert client.sign_in("E1001", "246810").status_code == 303
    home = text_of(client.get("/"))
    assert "我在下次演练中的职责" in home and "楼层疏散员 · Level 3" in home  # E1001 reads Chinese
    assert "FIRE-01" in home

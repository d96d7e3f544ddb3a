"""Drill objects for tests, in one line each."""

from __future__ import annotations

from datetime import timedelta

from portal.blueprints.drills import plans, services
from portal.blueprints.drills.models import PHASES
from portal.database import utcnow
from portal.extensions import db
from portal.i18n import local_today
from tests import factories

_codes = iter(range(10_000))


def texts(**overrides) -> dict[str, str]:
    values = {}
    for name in ("title", "scope", "goals", *PHASES):
        values[f"{name}_en"] = f"{name.capitalize()} of the plan"
        values[f"{name}_zh"] = f"预案{name}"
    values.update({"title_en": "Fire and evacuation", "title_zh": "火灾与疏散"})
    values.update(overrides)
    return values


def keeper(prop):
    return factories.person("manager", prop=prop, dept="FO")


def plan(prop, by=None, **kw) -> plans.Plan:
    by = by or keeper(prop)
    data = plans.PlanData(
        code=kw.pop("code", f"FIRE-{next(_codes):02d}"),
        kind=kw.pop("kind", "fire"),
        every_months=kw.pop("every_months", 3),
        shifts=kw.pop("shifts", ["morning", "evening", "night"]),
        notice_required=kw.pop("notice_required", False),
        target_seconds=kw.pop("target_seconds", 300),
        texts=texts(**kw.pop("texts", {})),
    )
    assert not kw, kw
    return plans.create_plan(prop.id, data, by=by)


def drill(prop, plan_=None, shift="morning", day=None, by=None):
    plan_ = plan_ or plan(prop, by=by)
    by = by or keeper(prop)
    return services.schedule(plan_, shift, day or local_today(), by=by)


def running(prop, plan_=None, seconds_ago=90, by=None):
    by = by or keeper(prop)
    d = drill(prop, plan_, by=by)
    services.start(d, by=by, now=utcnow() - timedelta(seconds=seconds_ago))
    return d


def ended(prop, plan_=None, seconds=240, by=None):
    by = by or keeper(prop)
    d = running(prop, plan_, seconds_ago=seconds + 60, by=by)
    services.all_clear(d, by=by, now=d.alarm_at + timedelta(seconds=seconds))
    return d


COMPLETE = {
    "alert_method": "Alarm bells and PA",
    "alarm_audible": True,
    "exits_used": "East stair",
    "staff_count": 20,
    "guest_count": 30,
    "visitor_count": 2,
    "contractor_count": 1,
    "staff_on_duty": 22,
    "staff_taking_part": 20,
    "evacuated_count": 53,
    "special_conditions": "Smoke in the east stair",
    "weather": "Clear",
    "problems": "None",
    "strengths": "",
    "improvements": "",
    "notice_given_on": None,
}


def recorded(prop, plan_=None, by=None, **values):
    by = by or keeper(prop)
    d = ended(prop, plan_, by=by)
    services.save_record(d, {**COMPLETE, **values}, by=by, expected_version=None)
    return d


def closed(prop, plan_=None, by=None):
    by = by or keeper(prop)
    d = recorded(prop, plan_, by=by)
    services.close(d, by=by)
    db.session.flush()
    return d

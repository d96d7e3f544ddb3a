"""Security and emergency drills: the plans the security manager keeps, the drill schedule by
shift and cadence, drills run on a tablet (alarm, roll call, all-clear) and their fire-code
records."""

from flask import Blueprint

from portal.i18n import lazy_gettext as _l
from portal.modules import Card, Module, NavEntry
from portal.roles import Role

bp = Blueprint("drills", __name__, url_prefix="/drills")


def module() -> Module:
    from portal.blueprints.drills import (  # noqa: F401 - the routes
        action_views,
        calendar_views,
        cards,
        demo,
        incident_views,
        print_views,
        role_views,
        views,
    )
    from portal.blueprints.drills.permissions import can_list_drills

    return Module(
        name="drills",
        blueprint=bp,
        nav=[NavEntry("drills.index", _l("Drills"), "fire", can_list_drills, 40)],
        audit_actions={
            "drills.plan_created": _l("Emergency plan added"),
            "drills.plan_revised": _l("Emergency plan revised"),
            "drills.plan_read": _l("Emergency plan read and confirmed"),
            "drills.scheduled": _l("Drill scheduled"),
            "drills.started": _l("Drill alarm given"),
            "drills.all_clear": _l("Drill all-clear given"),
            "drills.accounted": _l("Accounted for at a drill"),
            "drills.unaccounted": _l("Roll call at a drill undone"),
            "drills.record_saved": _l("Drill record saved"),
            "drills.closed": _l("Drill record closed"),
            "drills.record_amended": _l("Drill record amended"),
            "drills.role_assigned": _l("Drill role given"),
            "drills.role_removed": _l("Drill role taken back"),
            "drills.action_added": _l("Corrective action added"),
            "drills.action_done": _l("Corrective action done"),
            "drills.action_verified": _l("Corrective action verified"),
            "drills.incident_reported": _l("Security incident reported"),
            "drills.incident_triaged": _l("Security incident triaged"),
            "drills.incident_closed": _l("Security incident closed"),
        },
        audit_objects={
            "drill_plans": _l("Emergency plan"),
            "drills": _l("Drill"),
            "drill_roll_calls": _l("Drill roll call"),
            "drill_roles": _l("Drill role"),
            "drill_actions": _l("Corrective action"),
            "security_incidents": _l("Security incident"),
        },
        seeder=demo.seed_drills,
        cards=[
            Card(
                cards.drills_card,
                frozenset({Role.MANAGER, Role.ADMIN, Role.SUPERVISOR}),
                order=30,
                numbers=cards.numbers,
                numbers_sql=cards.numbers_sql,
            ),
            Card(
                cards.my_actions_card,
                frozenset(Role),
                order=32,
                numbers=cards.my_actions_numbers,
                numbers_sql=cards.my_actions_numbers_sql,
            ),
            Card(
                cards.to_read_card,
                frozenset(Role),
                order=14,
                numbers=cards.to_read_numbers,
                numbers_sql=cards.to_read_numbers_sql,
            ),
            Card(
                cards.my_role_card,
                frozenset(Role),
                order=13,
                numbers=cards.my_role_numbers,
                numbers_sql=cards.my_role_numbers_sql,
            ),
            Card(
                cards.incidents_card,
                frozenset({Role.MANAGER, Role.ADMIN, Role.SUPERVISOR}),
                order=31,
                numbers=cards.incident_numbers,
                numbers_sql=cards.incident_numbers_sql,
            ),
        ],
        seed_after=("people", "sops"),
    )

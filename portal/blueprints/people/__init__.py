"""Properties, departments and people; the people query API every other module uses."""

from flask import Blueprint

from portal.i18n import lazy_gettext as _l
from portal.modules import Card, Module, NavEntry
from portal.roles import EVERY_ROLE, Role

bp = Blueprint("people", __name__, url_prefix="/people")


def module() -> Module:
    from portal.blueprints.people import (  # noqa: F401 - attaches the routes
        cards,
        demo,
        import_views,
        job_title_views,
        trail,
        views,
    )
    from portal.blueprints.people.permissions import can_list_people

    trail.register()  # how its audit summaries read

    return Module(
        name="people",
        blueprint=bp,
        nav=[NavEntry("people.index", _l("People"), "people", can_list_people, 10)],
        audit_actions={
            "person.created": _l("Person added"),
            "person.updated": _l("Person changed"),
            "person.deactivated": _l("Person deactivated"),
            "person.reactivated": _l("Person reactivated"),
            "person.pin_reset": _l("PIN reset"),
            "person.password_reset": _l("Password reset"),
            "job_title.created": _l("Job title added"),
            "job_title.changed": _l("Job title changed"),
            "job_title.retired": _l("Job title retired"),
            "job_title.restored": _l("Job title in use again"),
            "job_title.deleted": _l("Job title removed"),
            "people.import_checked": _l("Staff list checked for import"),
            "people.imported": _l("Staff list imported"),
            "people.exported": _l("Staff list exported"),
        },
        audit_objects={
            "users": _l("Person"),
            "job_titles": _l("Job title"),
            "people_imports": _l("Staff list import"),
        },
        seeder=demo.seed_people,
        cards=[
            Card(cards.my_details, EVERY_ROLE, order=0),
            Card(
                cards.people_counts,
                frozenset({Role.HR, Role.ADMIN, Role.MANAGER}),
                order=70,
                numbers=cards.people_numbers,
                numbers_sql=cards.people_numbers_sql,
            ),
            Card(cards.my_team, frozenset({Role.SUPERVISOR, Role.MANAGER}), order=20),
        ],
        cli=[demo.demo_accounts],
    )

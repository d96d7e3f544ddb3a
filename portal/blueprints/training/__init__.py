"""Training: programmes HR keeps, their sessions, enrolment with a waiting list, attendance and
scores taken on a tablet."""

from flask import Blueprint

from portal.i18n import lazy_gettext as _l
from portal.modules import Card, Module, NavEntry
from portal.roles import Role

bp = Blueprint("training", __name__, url_prefix="/training")


def module() -> Module:
    from portal import events
    from portal.blueprints.training import (  # noqa: F401 - the routes
        assignments,
        budget_views,
        calendar_views,
        cards,
        certificates_views,
        compliance_views,
        demo,
        print_views,
        views,
    )
    from portal.blueprints.training.permissions import can_list_training

    return Module(
        name="training",
        blueprint=bp,
        nav=[NavEntry("training.index", _l("Training"), "journal-check", can_list_training, 30)],
        audit_actions={
            "training.programme_created": _l("Training programme added"),
            "training.programme_changed": _l("Training programme changed"),
            "training.session_scheduled": _l("Training session scheduled"),
            "training.session_changed": _l("Training session changed"),
            "training.enrolled": _l("Enrolled in a training session"),
            "training.waitlisted": _l("Put on a training waiting list"),
            "training.moved_up": _l("Moved up from a training waiting list"),
            "training.cancelled": _l("Training enrolment cancelled"),
            "training.attendance_marked": _l("Training attendance marked"),
            "training.attendance_corrected": _l("Training attendance corrected"),
            "training.score_recorded": _l("Training score recorded"),
            "training.checked_in": _l("Checked in to a training session"),
            "training.budget_changed": _l("Training budget changed"),
            "training.certificate_recorded": _l("Training certificate recorded"),
            "training.assigned": _l("Training assigned"),
            "training.briefing_assigned": _l("SOP briefing assigned"),
        },
        audit_objects={
            "training_programmes": _l("Training programme"),
            "training_sessions": _l("Training session"),
            "training_enrolments": _l("Training enrolment"),
            "training_attendance": _l("Training attendance"),
            "training_assignments": _l("Training assignment"),
            "training_settings": _l("Training budget"),
            "training_certificates": _l("Training certificate"),
        },
        listeners={
            events.PERSON_CREATED: [assignments.on_person_created],
            events.SOP_VERSION_APPROVED: [assignments.on_sop_version_approved],
        },
        person_links=[print_views.transcript_link],
        seeder=demo.seed_training,
        seed_after=("people", "sops"),
        cards=[
            Card(
                cards.my_sessions,
                frozenset({Role.EMPLOYEE}),
                order=15,
                numbers=cards.my_sessions_numbers,
                numbers_sql=cards.my_sessions_numbers_sql,
            ),
            Card(cards.still_to_take, frozenset({Role.EMPLOYEE}), order=12),
            Card(
                cards.certificates_card,
                frozenset(Role),
                order=45,
                numbers=cards.certificate_numbers,
                numbers_sql=cards.certificate_numbers_sql,
            ),
            Card(
                cards.compliance_card,
                frozenset({Role.HR, Role.MANAGER}),
                order=35,
                numbers=cards.compliance_numbers,
                numbers_sql=cards.compliance_numbers_sql,
            ),
            Card(
                cards.training_budget,
                frozenset({Role.HR, Role.MANAGER}),
                order=40,
                numbers=cards.budget_numbers,
                numbers_sql=cards.budget_numbers_sql,
            ),
            Card(
                cards.supervisor_training,
                frozenset({Role.SUPERVISOR}),
                order=25,
                numbers=cards.supervisor_numbers,
                numbers_sql=cards.supervisor_numbers_sql,
            ),
        ],
    )

"""Readable names of audit actions; the raw action code stays available as a title."""

from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    "auth.sign_in": _l("Signed in"),
    "auth.sign_out": _l("Signed out"),
    "auth.sign_in_failed": _l("Sign-in failed"),
    "auth.sign_in_refused_locked": _l("Sign-in refused: account locked"),
    "auth.locked": _l("Account locked"),
    "auth.session_ended": _l("Session ended"),
    "access.refused": _l("Access refused"),
    "audit.exported": _l("Audit trail downloaded"),
    "person.created": _l("Person added"),
    "person.updated": _l("Person changed"),
    "person.deactivated": _l("Person deactivated"),
    "person.reactivated": _l("Person reactivated"),
    "person.pin_reset": _l("PIN reset"),
    "person.password_reset": _l("Password reset"),
    "user.language_changed": _l("Language changed"),
    "terminal.enrolled": _l("Terminal enrolled"),
    "terminal.revoked": _l("Terminal revoked"),
    "demo.seeded": _l("Demo data loaded"),
    "auth.reauthenticated": _l("Password confirmed again"),
    "sop.created": _l("SOP created"),
    "sop.draft_saved": _l("SOP draft saved"),
    "sop.submitted": _l("SOP sent for review"),
    "sop.returned": _l("SOP sent back to its author"),
    "sop.approved": _l("SOP approved"),
    "sop.version_started": _l("New SOP version started"),
    "sop.retired": _l("SOP retired"),
    "sop.acknowledged": _l("SOP acknowledged"),
    "sop.reminded": _l("Reminder to read an SOP"),
    "sop.audience_changed": _l("SOP audience changed"),
}

OBJECT_LABELS = {
    "users": _l("Person"),
    "terminals": _l("Terminal"),
    "user_sessions": _l("Session"),
    "sops": _l("SOP"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def object_label(object_type: str | None) -> str:
    return str(OBJECT_LABELS.get(object_type or "", object_type or ""))

"""Who may read the audit trail: every role and anonymous visitors (see tests/access.py).

The trail's pages take no record: what another property's trail holds is kept out by the
query (tests/audit/test_audit.py shows that a property's list and export hold only its rows)."""

from sqlalchemy import select

from portal.audit import AuditEvent
from tests import access
from tests.access import Row, csv, page

READERS = frozenset({"hr", "admin"})


def exported(ctx):
    assert ctx.db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "audit.exported", AuditEvent.actor_id == ctx.actor.id
        )
    )


ROWS = access.domain(
    "audit",
    [
        Row("audit.index", READERS, page("Audit trail", "Signed in", lambda c: c.actor.name_en)),
        Row(
            "audit.export_csv",
            READERS,
            csv("Number,Local time (Asia/Shanghai)", "Signed in", "auth.sign_in", then=exported),
        ),
    ],
)

globals().update(access.tests_for(ROWS))

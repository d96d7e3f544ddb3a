"""Refuse UPDATE and DELETE on audit_events on SQLite too, as the PostgreSQL trigger does.

SQLite has no TRUNCATE (a DELETE without WHERE fires the DELETE trigger for each row). A later
migration that rebuilds audit_events on SQLite (batch_alter_table copies the table) drops these
triggers with the old table and must create them again.

Revision ID: b3e9f7a2c5d4
Revises: a8d2c6e41f01
Create Date: 2026-12-01 23:35:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "b3e9f7a2c5d4"
down_revision = "a8d2c6e41f01"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        for operation in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_events_no_{operation.lower()} "
                f"BEFORE {operation} ON audit_events "
                f"BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: {operation} refused'); "
                "END"
            )


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")

"""Record when and by whom an account got its role.

Existing accounts take their creation time as the time they got their role; who gave it is not
known for them.

Revision ID: a8d2c6e41f01
Revises: de1d1d96b0f4
Create Date: 2026-12-01 23:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

import portal.database

# revision identifiers, used by Alembic.
revision = "a8d2c6e41f01"
down_revision = "de1d1d96b0f4"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("role_granted_at", portal.database.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(sa.Column("role_granted_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_users_role_granted_by_id_users"),
            "users",
            ["role_granted_by_id"],
            ["id"],
        )
    op.execute("UPDATE users SET role_granted_at = created_at")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column(
            "role_granted_at", existing_type=portal.database.UTCDateTime(), nullable=False
        )


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_users_role_granted_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("role_granted_by_id")
        batch_op.drop_column("role_granted_at")

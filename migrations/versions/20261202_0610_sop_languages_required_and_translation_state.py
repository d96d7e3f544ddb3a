"""SOP library: which languages a property requires, and a step's other language marked
"needs updating" when one language changed alone.

A property without a sop_settings row requires both languages. Existing steps start with no
marks: what was saved before is taken as it stands.

Revision ID: d7e8f9a0b1c2
Revises: c1d2e3f4a5b6
Create Date: 2026-12-02 06:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d7e8f9a0b1c2"
down_revision = "c1d2e3f4a5b6"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sop_settings",
        sa.Column("property_id", sa.Integer(), nullable=False),
        sa.Column("require_en", sa.Boolean(), nullable=False),
        sa.Column("require_zh", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["property_id"], ["properties.id"], name=op.f("fk_sop_settings_property_id_properties")
        ),
        sa.PrimaryKeyConstraint("property_id", name=op.f("pk_sop_settings")),
    )
    with op.batch_alter_table("sop_steps", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("needs_update_en", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("needs_update_zh", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table("sop_steps", schema=None) as batch_op:
        batch_op.drop_column("needs_update_zh")
        batch_op.drop_column("needs_update_en")
    op.drop_table("sop_settings")

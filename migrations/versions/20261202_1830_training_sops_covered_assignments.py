"""Training: the SOPs a programme covers, programmes assigned by events, the annual budget.

training_programme_sops links a programme to the SOPs it covers (a new version of one of them
assigns the programme's briefing). training_assignments keeps each programme someone must take
once by a date because of an event (a hire, a new SOP version); `source` names the event, unique
per person and programme, so that an event assigns once. training_settings keeps a
property's annual training budget (no row: 60,000).

Revision ID: b2c3d4e5f6a7
Revises: a1b2c3d4e5f6
Create Date: 2026-12-02 18:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

import portal.database

# revision identifiers, used by Alembic.
revision = "b2c3d4e5f6a7"
down_revision = "a1b2c3d4e5f6"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "training_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("property_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("sop_version_id", sa.Integer(), nullable=True),
        sa.Column("assigned_at", portal.database.UTCDateTime(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("assigned_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assigned_by_id"],
            ["users.id"],
            name=op.f("fk_training_assignments_assigned_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["users.id"], name=op.f("fk_training_assignments_person_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["training_programmes.id"],
            name=op.f("fk_training_assignments_programme_id_training_programmes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["property_id"],
            ["properties.id"],
            name=op.f("fk_training_assignments_property_id_properties"),
        ),
        sa.ForeignKeyConstraint(
            ["sop_version_id"],
            ["sop_versions.id"],
            name=op.f("fk_training_assignments_sop_version_id_sop_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_assignments")),
        sa.UniqueConstraint(
            "person_id", "programme_id", "source", name="uq_training_assignments_source"
        ),
    )
    with op.batch_alter_table("training_assignments", schema=None) as batch_op:
        batch_op.create_index("ix_training_assignments_programme", ["programme_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_training_assignments_property_id"), ["property_id"], unique=False
        )

    op.create_table(
        "training_programme_sops",
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("sop_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["training_programmes.id"],
            name=op.f("fk_training_programme_sops_programme_id_training_programmes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sop_id"],
            ["sops.id"],
            name=op.f("fk_training_programme_sops_sop_id_sops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("programme_id", "sop_id", name=op.f("pk_training_programme_sops")),
    )
    with op.batch_alter_table("training_programme_sops", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_programme_sops_sop_id"), ["sop_id"], unique=False
        )

    op.create_table(
        "training_settings",
        sa.Column("property_id", sa.Integer(), nullable=False),
        sa.Column("annual_budget", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", portal.database.UTCDateTime(), nullable=False),
        sa.CheckConstraint("annual_budget >= 0", name="ck_training_settings_budget"),
        sa.ForeignKeyConstraint(
            ["property_id"],
            ["properties.id"],
            name=op.f("fk_training_settings_property_id_properties"),
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_training_settings_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("property_id", name=op.f("pk_training_settings")),
    )


def downgrade():
    op.drop_table("training_settings")
    with op.batch_alter_table("training_programme_sops", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_programme_sops_sop_id"))

    op.drop_table("training_programme_sops")
    with op.batch_alter_table("training_assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_assignments_property_id"))
        batch_op.drop_index("ix_training_assignments_programme")

    op.drop_table("training_assignments")

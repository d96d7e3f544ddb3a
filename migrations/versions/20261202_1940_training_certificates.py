"""Training: certificates people hold for a programme, valid until their expiry date.

Revision ID: c3d4e5f6a7b8
Revises: b2c3d4e5f6a7
Create Date: 2026-12-02 19:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

import portal.database

# revision identifiers, used by Alembic.
revision = "c3d4e5f6a7b8"
down_revision = "b2c3d4e5f6a7"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "training_certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("property_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("issuer", sa.String(length=120), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", portal.database.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "expires_on > issued_on",
            name="ck_training_certificates_dates",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["users.id"], name=op.f("fk_training_certificates_person_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["training_programmes.id"],
            name=op.f("fk_training_certificates_programme_id_training_programmes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["property_id"],
            ["properties.id"],
            name=op.f("fk_training_certificates_property_id_properties"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_training_certificates_recorded_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_certificates")),
    )
    with op.batch_alter_table("training_certificates", schema=None) as batch_op:
        batch_op.create_index(
            "ix_training_certificates_person",
            ["person_id", "programme_id", "expires_on"],
            unique=False,
        )
        batch_op.create_index(
            "ix_training_certificates_property_expiry", ["property_id", "expires_on"], unique=False
        )


def downgrade():
    with op.batch_alter_table("training_certificates", schema=None) as batch_op:
        batch_op.drop_index("ix_training_certificates_property_expiry")
        batch_op.drop_index("ix_training_certificates_person")

    op.drop_table("training_certificates")

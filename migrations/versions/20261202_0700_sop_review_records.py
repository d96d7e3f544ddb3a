"""SOP library: a periodic review recorded without a new version ("reviewed, still valid").

Each review is a row of sop_reviews (who, when, the review date it moved and the next one); the
version's own review_date is moved on with it, so that the lists of reviews due keep reading
one column. Nothing existing changes: versions keep their review dates, with no reviews yet.

Revision ID: e5f6a7b8c9d0
Revises: d7e8f9a0b1c2
Create Date: 2026-12-02 07:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

import portal.database

# revision identifiers, used by Alembic.
revision = "e5f6a7b8c9d0"
down_revision = "d7e8f9a0b1c2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sop_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_at", portal.database.UTCDateTime(), nullable=False),
        sa.Column("was_due", sa.Date(), nullable=True),
        sa.Column("next_review", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"], ["users.id"], name=op.f("fk_sop_reviews_reviewed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["sop_versions.id"],
            name=op.f("fk_sop_reviews_version_id_sop_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sop_reviews")),
    )
    with op.batch_alter_table("sop_reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sop_reviews_version_id"), ["version_id"], unique=False)


def downgrade():
    with op.batch_alter_table("sop_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sop_reviews_version_id"))
    op.drop_table("sop_reviews")

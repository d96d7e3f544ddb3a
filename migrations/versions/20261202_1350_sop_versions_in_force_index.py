"""SOP library: an index for finding the version in force of each SOP by its own versions.

The version in force is looked up per SOP (its approved versions, latest effective date on or
before today, highest number on a tie); this index answers that lookup, and the baseline's,
without reading the versions of other SOPs. Nothing else changes.

Revision ID: f1a2b3c4d5e6
Revises: e5f6a7b8c9d0
Create Date: 2026-12-02 13:50:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "f1a2b3c4d5e6"
down_revision = "e5f6a7b8c9d0"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_sop_versions_in_force",
        "sop_versions",
        ["sop_id", "status", "effective_date", "version_key"],
    )


def downgrade():
    op.drop_index("ix_sop_versions_in_force", table_name="sop_versions")

"""Training: programmes (who must take them, how often), sessions with counted seats,
enrolments with a waiting list, and attendance marks kept as history.

Revision ID: a1b2c3d4e5f6
Revises: f1a2b3c4d5e6
Create Date: 2026-12-02 14:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

from portal.database import UTCDateTime

# revision identifiers, used by Alembic.
revision = "a1b2c3d4e5f6"
down_revision = "f1a2b3c4d5e6"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "training_programmes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("property_id", sa.Integer(), nullable=False),
        sa.Column("title_en", sa.String(length=160), nullable=False),
        sa.Column("title_zh", sa.String(length=160), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("cadence", sa.String(length=12), nullable=False),
        sa.Column("pass_mark", sa.Integer(), nullable=True),
        sa.Column("cost_per_session", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "pass_mark IS NULL OR (pass_mark >= 0 AND pass_mark <= 100)",
            name="ck_training_programmes_pass_mark",
        ),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["property_id"], ["properties.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_training_programmes_property_title",
        "training_programmes",
        ["property_id", "title_en"],
    )
    op.create_table(
        "training_programme_departments",
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["department_id"], ["departments.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["programme_id"], ["training_programmes.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("programme_id", "department_id"),
    )
    op.create_table(
        "training_programme_roles",
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["programme_id"], ["training_programmes.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("programme_id", "role"),
    )
    op.create_table(
        "training_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("property_id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("ends_at", UTCDateTime(), nullable=False),
        sa.Column("room", sa.String(length=80), nullable=False),
        sa.Column("trainer_id", sa.Integer(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("seats_taken", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("capacity >= 1", name="ck_training_sessions_capacity"),
        sa.CheckConstraint(
            "seats_taken >= 0 AND seats_taken <= capacity", name="ck_training_sessions_seats"
        ),
        sa.CheckConstraint("ends_at > starts_at", name="ck_training_sessions_order"),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["programme_id"], ["training_programmes.id"]),
        sa.ForeignKeyConstraint(["property_id"], ["properties.id"]),
        sa.ForeignKeyConstraint(["trainer_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_training_sessions_property_starts", "training_sessions", ["property_id", "starts_at"]
    )
    op.create_index(
        "ix_training_sessions_trainer_starts", "training_sessions", ["trainer_id", "starts_at"]
    )
    op.create_index(
        op.f("ix_training_sessions_programme_id"), "training_sessions", ["programme_id"]
    )
    op.create_table(
        "training_enrolments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("enrolled_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("seated_at", UTCDateTime(), nullable=True),
        sa.Column("cancelled_at", UTCDateTime(), nullable=True),
        sa.Column("cancelled_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["cancelled_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["enrolled_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["session_id"], ["training_sessions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id", "person_id", name="uq_training_enrolments_person"),
    )
    op.create_index(
        "ix_training_enrolments_person_status", "training_enrolments", ["person_id", "status"]
    )
    op.create_index(
        "ix_training_enrolments_session_status",
        "training_enrolments",
        ["session_id", "status", "id"],
    )
    op.create_table(
        "training_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("mark", sa.String(length=12), nullable=True),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.Column("corrects_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "score IS NULL OR (score >= 0 AND score <= 100)", name="ck_training_attendance_score"
        ),
        sa.ForeignKeyConstraint(["corrects_id"], ["training_attendance.id"]),
        sa.ForeignKeyConstraint(["enrolment_id"], ["training_enrolments.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["session_id"], ["training_sessions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("corrects_id"),
    )
    op.create_index(
        "ix_training_attendance_enrolment", "training_attendance", ["enrolment_id", "id"]
    )
    op.create_index(
        op.f("ix_training_attendance_session_id"), "training_attendance", ["session_id"]
    )


def downgrade():
    op.drop_index(op.f("ix_training_attendance_session_id"), table_name="training_attendance")
    op.drop_index("ix_training_attendance_enrolment", table_name="training_attendance")
    op.drop_table("training_attendance")
    op.drop_index("ix_training_enrolments_session_status", table_name="training_enrolments")
    op.drop_index("ix_training_enrolments_person_status", table_name="training_enrolments")
    op.drop_table("training_enrolments")
    op.drop_index(op.f("ix_training_sessions_programme_id"), table_name="training_sessions")
    op.drop_index("ix_training_sessions_trainer_starts", table_name="training_sessions")
    op.drop_index("ix_training_sessions_property_starts", table_name="training_sessions")
    op.drop_table("training_sessions")
    op.drop_table("training_programme_roles")
    op.drop_table("training_programme_departments")
    op.drop_index("ix_training_programmes_property_title", table_name="training_programmes")
    op.drop_table("training_programmes")

"""Job titles: the hotel's own positions per department, on the career ladder's grades.

Until now a person's "job title" was their grade on the ladder. Each department that has people
gets one job title per grade its people hold, named after the grade in both languages (HR renames
them to the hotel's own words later), and every person with a department holds the one of their
department and grade. A person form refused for another field keeps the PIN or first password
typed on it, hashed, in kept_secrets for a few minutes.

Revision ID: c1d2e3f4a5b6
Revises: b3e9f7a2c5d4
Create Date: 2026-12-02 06:00:00.000000

"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import portal.database

# revision identifiers, used by Alembic.
revision = "c1d2e3f4a5b6"
down_revision = "b3e9f7a2c5d4"
branch_labels = None
depends_on = None

# The ladder's names as the catalogue had them when this was written (a migration keeps its own).
GRADE_TITLES = {
    "junior": ("Junior service specialist", "初级服务专员"),
    "senior": ("Senior service specialist", "高级服务专员"),
    "supervisor": ("Service supervisor", "服务主管"),
    "manager": ("Service manager", "服务经理"),
}


def upgrade():
    op.create_table(
        "job_titles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("property_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("title_en", sa.String(length=120), nullable=False),
        sa.Column("title_zh", sa.String(length=120), nullable=False),
        sa.Column("grade", sa.String(length=16), nullable=False),
        sa.Column("assigned", sa.Boolean(), nullable=False),
        sa.Column("retired_at", portal.database.UTCDateTime(), nullable=True),
        sa.Column("created_at", portal.database.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_job_titles_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["property_id"], ["properties.id"], name=op.f("fk_job_titles_property_id_properties")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_titles")),
    )
    with op.batch_alter_table("job_titles", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_job_titles_department_id"), ["department_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_job_titles_property_id"), ["property_id"], unique=False
        )

    op.create_table(
        "kept_secrets",
        sa.Column("form_key", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("editor_id", sa.Integer(), nullable=False),
        sa.Column("secret_hash", sa.String(length=256), nullable=False),
        sa.Column("created_at", portal.database.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["editor_id"], ["users.id"], name=op.f("fk_kept_secrets_editor_id_users")
        ),
        sa.PrimaryKeyConstraint("form_key", "kind", name=op.f("pk_kept_secrets")),
    )
    with op.batch_alter_table("kept_secrets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kept_secrets_editor_id"), ["editor_id"], unique=False)

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("job_title_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_users_job_title_id"), ["job_title_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_users_job_title_id_job_titles"), "job_titles", ["job_title_id"], ["id"]
        )

    _titles_from_grades()


def _titles_from_grades():
    """One title per department and grade that people hold; each person gets theirs."""
    bind = op.get_bind()
    users = sa.table(
        "users",
        sa.column("id", sa.Integer),
        sa.column("department_id", sa.Integer),
        sa.column("grade", sa.String),
        sa.column("job_title_id", sa.Integer),
    )
    departments = sa.table(
        "departments", sa.column("id", sa.Integer), sa.column("property_id", sa.Integer)
    )
    job_titles = sa.table(
        "job_titles",
        sa.column("id", sa.Integer),
        sa.column("property_id", sa.Integer),
        sa.column("department_id", sa.Integer),
        sa.column("title_en", sa.String),
        sa.column("title_zh", sa.String),
        sa.column("grade", sa.String),
        sa.column("assigned", sa.Boolean),
        sa.column("created_at", portal.database.UTCDateTime()),
        sa.column("version", sa.Integer),
    )
    held = bind.execute(
        sa.select(departments.c.property_id, users.c.department_id, users.c.grade)
        .select_from(users.join(departments, departments.c.id == users.c.department_id))
        .distinct()
        .order_by(users.c.department_id, users.c.grade)
    ).all()
    now = datetime.now(UTC)
    for property_id, department_id, grade in held:
        title_en, title_zh = GRADE_TITLES.get(grade, (grade, grade))
        title_id = bind.execute(
            sa.insert(job_titles)
            .values(
                property_id=property_id,
                department_id=department_id,
                title_en=title_en,
                title_zh=title_zh,
                grade=grade,
                assigned=True,
                created_at=now,
                version=1,
            )
            .returning(job_titles.c.id)
        ).scalar_one()
        bind.execute(
            sa.update(users)
            .where(users.c.department_id == department_id, users.c.grade == grade)
            .values(job_title_id=title_id)
        )


def downgrade():
    # The grades stay on the people: only the hotel's names for the positions go.
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_users_job_title_id_job_titles"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_users_job_title_id"))
        batch_op.drop_column("job_title_id")

    with op.batch_alter_table("kept_secrets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kept_secrets_editor_id"))
    op.drop_table("kept_secrets")

    with op.batch_alter_table("job_titles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_titles_property_id"))
        batch_op.drop_index(batch_op.f("ix_job_titles_department_id"))
    op.drop_table("job_titles")

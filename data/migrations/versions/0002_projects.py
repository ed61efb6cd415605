"""Six Sigma projects: charter as an artifact, planned end, status, tollgate reasons, one artifact per tool

Revision ID: 0002
Revises: 0001
"""

from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

CHARTER_COLUMNS = ("problem", "goal", "scope", "business_case", "team")


def upgrade() -> None:
    with op.batch_alter_table("project") as batch:
        for column in CHARTER_COLUMNS:
            batch.drop_column(column)
        batch.alter_column("due", new_column_name="planned_end")
        batch.add_column(sa.Column("objective_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("status", sa.String(10), nullable=False, server_default="active"))
        batch.add_column(sa.Column("closed_on", sa.Date(), nullable=True))
        batch.create_foreign_key("fk_project_objective", "objective", ["objective_id"], ["id"], ondelete="SET NULL")
    op.execute("UPDATE project SET kind = lower(kind), phase = lower(phase)")
    with op.batch_alter_table("tollgate") as batch:
        batch.add_column(sa.Column("reason", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("artifact") as batch:
        batch.add_column(sa.Column("updated_by", sa.String(80), nullable=False, server_default=""))
        batch.create_unique_constraint("uq_artifact_tool", ["project_id", "phase", "type"])
    with op.batch_alter_table("benefit") as batch:
        batch.create_unique_constraint("uq_benefit_project", ["project_id"])


def downgrade() -> None:
    with op.batch_alter_table("benefit") as batch:
        batch.drop_constraint("uq_benefit_project", type_="unique")
    with op.batch_alter_table("artifact") as batch:
        batch.drop_constraint("uq_artifact_tool", type_="unique")
        batch.drop_column("updated_by")
    with op.batch_alter_table("tollgate") as batch:
        batch.drop_column("reason")
    with op.batch_alter_table("project") as batch:
        batch.drop_constraint("fk_project_objective", type_="foreignkey")
        batch.drop_column("closed_on")
        batch.drop_column("status")
        batch.drop_column("objective_id")
        batch.alter_column("planned_end", new_column_name="due")
        for column in CHARTER_COLUMNS:
            batch.add_column(sa.Column(column, sa.Text(), nullable=True))

"""Data version: a counter per area, raised with every write, that cached pages are keyed by

Revision ID: 0007
Revises: 0006
"""

from alembic import op
import sqlalchemy as sa

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

AREAS = ("accounts", "audit", "discussion", "other", "projects", "scenarios", "scorecard")  # data/versions.ALL_AREAS


def upgrade() -> None:
    table = op.create_table(
        "data_version",
        sa.Column("area", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.current_timestamp()),
        sa.PrimaryKeyConstraint("area"),
    )
    op.bulk_insert(table, [{"area": area, "version": 1} for area in AREAS])


def downgrade() -> None:
    op.drop_table("data_version")

"""Sign-in sessions that survive a reload (data/sessions.py): hashes of hand-over codes and tokens

Revision ID: 0008
Revises: 0007
"""

from alembic import op
import sqlalchemy as sa

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("handover_hash", sa.String(length=64), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("handover_hash"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_user_session_username", "user_session", ["username"])


def downgrade() -> None:
    op.drop_index("ix_user_session_username", table_name="user_session")
    op.drop_table("user_session")

"""Sign-in failures per account and source (throttling that an attacker cannot turn against others)

The per-account counters (``failed_attempts``, ``locked_until``) on ``user_account`` go: one
attacker's guesses locked the account for everyone. Failures are now rows with their source, and
a lock holds only for the source that failed (see data/throttle.py).

Revision ID: 0006
Revises: 0005
"""

from alembic import op
import sqlalchemy as sa

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("while_locked", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sign_in_failure_source_at", "sign_in_failure", ["source", "at"])
    op.create_index("ix_sign_in_failure_username_source", "sign_in_failure", ["username", "source"])
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("failed_attempts")
        batch.drop_column("locked_until")


def downgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("failed_attempts", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
    op.drop_index("ix_sign_in_failure_username_source", table_name="sign_in_failure")
    op.drop_index("ix_sign_in_failure_source_at", table_name="sign_in_failure")
    op.drop_table("sign_in_failure")

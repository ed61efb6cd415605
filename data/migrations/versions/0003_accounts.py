"""Accounts and optimistic locking: passwords, lockout, language, e-mail (OIDC), demo accounts, role codes
of the source documents, and a version column on the rows people edit

Revision ID: 0003
Revises: 0002
"""

from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

VERSIONED = ("setting", "perspective", "objective", "kpi", "target", "project", "artifact")
# The demo's users as 0002 created them (frozen here: the catalog may change later).
DEMO_USERNAMES = ("admin", "sara", "reza", "leila", "nima", "maryam", "guest")


def upgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("email", sa.String(254), nullable=True))
        batch.add_column(sa.Column("password_hash", sa.String(200), nullable=True))
        batch.add_column(sa.Column("failed_attempts", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("language", sa.String(5), nullable=True))
        batch.add_column(sa.Column("demo", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.create_unique_constraint("uq_user_account_email", ["email"])
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    users = sa.table("user_account", sa.column("username"), sa.column("display_name"), sa.column("role"),
                     sa.column("demo"))
    # The one "belt" role splits into the seed's black and green belts.
    op.execute(users.update().where(users.c.role == "belt", users.c.display_name.ilike("%green belt%"))
               .values(role="green_belt"))
    op.execute(users.update().where(users.c.role == "belt").values(role="black_belt"))
    op.execute(users.update().where(users.c.username.in_(DEMO_USERNAMES)).values(demo=True))


def downgrade() -> None:
    users = sa.table("user_account", sa.column("role"))
    op.execute(users.update().where(users.c.role.in_(("black_belt", "green_belt"))).values(role="belt"))
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
    with op.batch_alter_table("user_account") as batch:
        batch.drop_constraint("uq_user_account_email", type_="unique")
        for column in ("demo", "language", "locked_until", "failed_attempts", "password_hash", "email"):
            batch.drop_column(column)

"""Alembic environment: runs migrations on the app's engine (or DATABASE_URL from the CLI)."""

from alembic import context

from data.db import make_engine
from data.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine") or make_engine()
    with engine.begin() as connection:
        connection.info["migrating"] = True  # data/versions.py: a migration raises every area once, after it
        try:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=connection.dialect.name == "sqlite",
            )
            context.run_migrations()
        finally:
            connection.info.pop("migrating", None)


run_migrations_online()

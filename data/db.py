"""Engine, migrations and first-run setup.

``DATABASE_URL`` selects the database; by default a SQLite file under ``data/`` is created,
migrated with Alembic and seeded with the demo on first use. Configuration problems surface as
``DatabaseUnavailable`` with one plain message, never as a raw driver traceback.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, event, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session

from data import versions
from data.models import Kpi
from errors import DomainError, Message, MessageError

log = logging.getLogger(__name__)

BUSY_TIMEOUT_SECONDS = 15.0
BUSY_TIMEOUT_VARIABLE = "SQLITE_BUSY_TIMEOUT"
# SQLSTATEs of a change that waited too long for another's lock: lock_not_available, deadlock_detected
BUSY_SQLSTATES = {"55P03", "40P01"}
DATA_DIR = Path(__file__).resolve().parent
DEFAULT_SQLITE_PATH = DATA_DIR / "crm_dashboard.db"
MIGRATIONS_DIR = DATA_DIR / "migrations"


class DatabaseUnavailable(MessageError, RuntimeError):
    """The configured database cannot be reached, created or migrated."""


class DatabaseBusy(DomainError):
    """Another change holds the database longer than a write may wait; the user should simply try again."""


def is_busy(exc: BaseException) -> bool:
    """Whether a driver error means "another transaction holds the lock" (SQLite locked, PostgreSQL lock timeout)."""
    original = getattr(exc, "orig", None) or exc
    if getattr(original, "sqlstate", None) in BUSY_SQLSTATES:
        return True
    text = str(original).lower()
    return "database is locked" in text or "database table is locked" in text


def is_unreachable(exc: BaseException) -> bool:
    """Whether a driver error means the database stopped answering (a restart, a network cut), not a bug:
    a connection the pool found dead, a PostgreSQL operational error, or a SQLite file that cannot be opened."""
    if getattr(exc, "connection_invalidated", False):
        return True
    if not isinstance(exc, OperationalError) or is_busy(exc):
        return False
    original = getattr(exc, "orig", None) or exc
    if type(original).__module__.startswith("psycopg"):
        return True
    text = str(original).lower()
    return "unable to open database file" in text or "disk i/o error" in text


def busy_timeout() -> float:
    """How long a SQLite write waits for another to finish: ``SQLITE_BUSY_TIMEOUT`` seconds (default 15)."""
    raw = os.environ.get(BUSY_TIMEOUT_VARIABLE, "").strip()
    try:
        return float(raw) if raw else BUSY_TIMEOUT_SECONDS
    except ValueError:
        raise DatabaseUnavailable("{variable} must be a number of seconds, not {raw!r}.", variable=BUSY_TIMEOUT_VARIABLE,
                                  raw=raw) from None


def database_url() -> str:
    """The configured database URL: ``DATABASE_URL`` or the default SQLite file."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}"


def demo_mode(url: str | None = None) -> bool:
    """Whether demo accounts may sign in: ``CRM_DEMO_MODE`` (1/0) when set, else only on the
    embedded SQLite demo database (so that a plain ``streamlit run app.py`` can be tried at once)."""
    value = (os.environ.get("CRM_DEMO_MODE") or "").strip().lower()
    if value:
        return value in {"1", "true", "yes", "on"}
    return (url or database_url()) == f"sqlite:///{DEFAULT_SQLITE_PATH}"


def _enable_sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _check_sqlite_folder(url: str) -> None:
    path = make_url(url).database
    if not path or path == ":memory:":
        return
    folder = Path(path).resolve().parent
    if not folder.is_dir():
        raise DatabaseUnavailable("The database folder {folder} does not exist.", folder=str(folder))
    if not os.access(folder, os.W_OK):
        raise DatabaseUnavailable(
            "The database folder {folder} is not writable: the app cannot create "
            "or update its SQLite database there. Fix the folder's permissions or set "
            "DATABASE_URL to another location.", folder=str(folder)
        )


def make_engine(url: str | None = None, *, timeout: float | None = None) -> Engine:
    """Create an engine for ``url`` (default: :func:`database_url`) with dialect settings.

    On SQLite a write waits up to ``timeout`` seconds (default :func:`busy_timeout`) for another
    write to finish before it is refused as busy (:class:`DatabaseBusy`, from :mod:`data.writes`).    """
    url = url or database_url()
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseUnavailable("DATABASE_URL is not a valid database URL: {url!r}.", url=url) from exc
    if parsed.get_backend_name() == "sqlite":
        _check_sqlite_folder(url)
        engine = create_engine(url, connect_args={"timeout": busy_timeout() if timeout is None else timeout})
        event.listen(engine, "connect", _enable_sqlite_pragmas)
    else:
        if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        engine = create_engine(parsed, pool_pre_ping=True)
    versions.track_changes(engine)  # every commit raises the data version of what it wrote (data/versions.py)
    return engine


def _alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def _revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision; a migration that ran raises every data version."""
    before = _revision(engine)
    command.upgrade(_alembic_config(engine), "head")
    if _revision(engine) != before:
        versions.raise_all(engine)


def is_seeded(engine: Engine) -> bool:
    """Whether the scorecard has any KPI (a database that is set up and in use)."""
    if "kpi" not in inspect(engine).get_table_names():
        return False
    with Session(engine) as session:
        return session.scalar(select(Kpi.id).limit(1)) is not None


def describe(exc: Exception, url: str) -> Message:
    """One plain line for a database error: the URL without its password and the driver's reason."""
    safe_url = make_url(url).render_as_string(hide_password=True)
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    return Message("Cannot open the database {url}: {detail}", url=safe_url, detail=reason)

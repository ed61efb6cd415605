"""Shared fixtures: a seeded demo database on SQLite and on PostgreSQL.

PostgreSQL tests use ``TEST_DATABASE_URL`` (a server URL whose user may create databases);
each test session creates its own throw-away database there. Without it they skip, except
when ``REQUIRE_POSTGRES=1`` (set by .ci/run), where a missing server fails the run.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from data.bootstrap import prepare_database

# The tests' demo databases run in demo mode: the demo accounts sign in with the demo password.
os.environ.setdefault("CRM_DEMO_MODE", "1")


def required(name: str) -> bool:
    """Whether CI demands the tests behind ``name`` (postgres, browser) to run."""
    return os.environ.get(f"REQUIRE_{name.upper()}") == "1"


def skip_or_fail(name: str, reason: str) -> None:
    """Skip on a laptop without the service; fail where CI requires it."""
    if required(name):
        pytest.fail(f"{reason} (REQUIRE_{name.upper()}=1)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'demo.db'}"


@pytest.fixture(scope="session")
def sqlite_engine(sqlite_url) -> Engine:
    """A migrated and demo-seeded SQLite database shared by read-only tests."""
    return prepare_database(sqlite_url)


def _admin_engine(server_url: str) -> Engine:
    return create_engine(make_url(server_url).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def new_postgres_database() -> Iterator:
    """A factory of fresh, empty PostgreSQL databases (URLs), all dropped after the session."""
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        skip_or_fail("postgres", "TEST_DATABASE_URL is not set")
    admin = _admin_engine(server)
    created: list[str] = []

    def create() -> str:
        name = f"crm_test_{uuid.uuid4().hex[:10]}"
        try:
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        except Exception as exc:  # noqa: BLE001 - any connection problem means "no server"
            skip_or_fail("postgres", f"PostgreSQL at TEST_DATABASE_URL is not reachable: {exc}")
        created.append(name)
        url = make_url(server).set(drivername="postgresql+psycopg", database=name)
        return url.render_as_string(hide_password=False)

    yield create
    with admin.connect() as connection:
        for name in created:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def postgres_url(new_postgres_database) -> str:
    """The PostgreSQL database holding the shared demo (read-only tests)."""
    return new_postgres_database()


@pytest.fixture(scope="session")
def postgres_engine(postgres_url) -> Iterator[Engine]:
    engine = prepare_database(postgres_url)
    yield engine
    engine.dispose()


def new_database_url(request, folder) -> str:
    """A new, empty database on the test's backend (``request.param``): a SQLite file in ``folder``
    or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{folder / 'test.db'}"
    return request.getfixturevalue("new_postgres_database")()


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request) -> Engine:
    """The seeded demo database on each backend (the same code must run on both)."""
    return request.getfixturevalue(f"{request.param}_engine")


@pytest.fixture()
def own_url(sqlite_url, sqlite_engine, tmp_path) -> str:
    """A private copy of the demo database for a test that writes."""
    copy = tmp_path / "copy.db"
    with sqlite3.connect(sqlite_url.removeprefix("sqlite:///")) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    return f"sqlite:///{copy}"

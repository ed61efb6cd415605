"""The data layer on SQLite and PostgreSQL: migrations, first-run seeding, the audited write path."""

from __future__ import annotations

import os
import stat

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from data import repository
from data.demo.catalog import DEMO_USERS
from data.bootstrap import prepare_database
from data.db import DatabaseUnavailable, is_seeded
from data.models import AuditLog, Base, Comment, Kpi, Measurement, Perspective, User
from data.writes import PermissionDenied, write_session


def _count(engine, model) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(model))


def test_migration_creates_every_model_table(engine):
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())


def test_first_run_seeds_the_demo_scorecard(engine):
    definition = repository.scorecard_definition(engine)
    assert definition["perspective"].nunique() == 6
    assert len(definition) >= 20
    assert set(repository.segments(engine)["name"]) == {"All", "Corporate", "SME", "Retail"}
    assert len(repository.links(engine)) >= 10
    assert _count(engine, Measurement) == len(definition) * 4 * 36


def test_second_run_reuses_the_database(sqlite_url, sqlite_engine):
    before = _count(sqlite_engine, AuditLog), _count(sqlite_engine, Measurement)
    again = prepare_database(sqlite_url)
    assert is_seeded(again)
    assert (_count(again, AuditLog), _count(again, Measurement)) == before


@pytest.fixture(params=["sqlite", "postgres"])
def empty_engine(request, tmp_path):
    """A migrated database with the demo users but no scorecard, fresh for each test."""
    if request.param == "sqlite":
        engine = prepare_database(f"sqlite:///{tmp_path / 'w.db'}", seed_demo=False)
    else:
        engine = prepare_database(request.getfixturevalue("new_postgres_database")(), seed_demo=False)
    with Session(engine) as session, session.begin():
        session.add_all(User(**values) for values in DEMO_USERS)
    return engine


def test_write_is_audited_with_old_and_new_values(empty_engine):
    with write_session(empty_engine, "sara", "scorecard.edit") as writer:
        perspective = writer.create(Perspective, {"name": "Financial", "weight": 1.0})
    with write_session(empty_engine, "sara", "scorecard.edit") as writer:
        writer.update(Perspective, perspective.id, {"weight": 2.5, "name": "Financial"})
    log = repository.audit_log(empty_engine)
    assert list(log["action"]) == ["update", "create"]
    update = log.iloc[0]
    assert update["username"] == "sara" and update["entity"] == "perspective"
    assert update["old"] == {"weight": 1.0} and update["new"] == {"weight": 2.5}


def test_role_without_permission_changes_nothing(empty_engine):
    with pytest.raises(PermissionDenied, match="Guest .read only. .role: Viewer. may not change the scorecard"):
        with write_session(empty_engine, "guest", "scorecard.edit") as writer:
            writer.create(Perspective, {"name": "Financial"})
    with pytest.raises(PermissionDenied, match="Unknown user"):
        with write_session(empty_engine, "nobody", "comments.write"):
            pass
    assert _count(empty_engine, Perspective) == 0


def test_failed_write_leaves_nothing_half_written(empty_engine):
    with pytest.raises(ValueError, match="No kpi with id 999"):
        with write_session(empty_engine, "admin", "scorecard.edit") as writer:
            writer.create(Perspective, {"name": "Customer"})
            writer.update(Kpi, 999, {"weight": 1.0})
    assert _count(empty_engine, Perspective) == 0
    assert _count(empty_engine, AuditLog) == 0


def test_delete_keeps_the_last_values_in_the_audit_log(empty_engine):
    with write_session(empty_engine, "admin", "scorecard.edit") as writer:
        row = writer.create(Perspective, {"name": "Customer", "weight": 1.0})
    with write_session(empty_engine, "admin", "scorecard.edit") as writer:
        writer.delete(Perspective, row.id)
    entry = repository.audit_log(empty_engine).iloc[0]
    assert entry["action"] == "delete" and entry["old"]["name"] == "Customer"


def test_unreachable_database_gives_one_clear_message():
    with pytest.raises(DatabaseUnavailable, match="Cannot open the database postgresql"):
        prepare_database("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")


def test_invalid_url_is_named():
    with pytest.raises(DatabaseUnavailable, match="not a valid database URL"):
        prepare_database("not a url")


def test_unwritable_folder_is_named(tmp_path, monkeypatch):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    if os.access(folder, os.W_OK):  # root ignores permissions: let the check see what a user would
        monkeypatch.setattr(os, "access", lambda path, mode: False)
    with pytest.raises(DatabaseUnavailable, match="not writable"):
        prepare_database(f"sqlite:///{folder / 'app.db'}")


def test_missing_folder_is_named(tmp_path):
    with pytest.raises(DatabaseUnavailable, match="does not exist"):
        prepare_database(f"sqlite:///{tmp_path / 'missing' / 'app.db'}")

"""Upgrades keep data (issue #21 §5): a database with the previous release's schema (built by its own
migrations, up to 0003) holding the demo's full data is upgraded through every newer migration, and
every row of every table is still there with the same values.

The only differences allowed are the ones the new migrations document: columns they drop
(``user_account.failed_attempts`` and ``locked_until``, replaced by ``sign_in_failure`` in 0006) and
audit entries they append (0004 records its recompute of the All totals).
"""

from __future__ import annotations

import math

import pytest
from alembic import command
from sqlalchemy import MetaData, insert, select

from data.db import _alembic_config, make_engine

PREVIOUS_RELEASE = "0003"
DROPPED = {("user_account", "failed_attempts"), ("user_account", "locked_until")}


@pytest.fixture(params=["sqlite", "postgres"])
def previous_release(request, tmp_path, sqlite_engine):
    """A database at the previous release's schema, filled with every row of the demo the old tables can hold."""
    url = (f"sqlite:///{tmp_path / 'previous.db'}" if request.param == "sqlite"
           else request.getfixturevalue("new_postgres_database")())
    engine = make_engine(url)
    command.upgrade(_alembic_config(engine), PREVIOUS_RELEASE)
    old, demo = MetaData(), MetaData()
    old.reflect(engine)
    demo.reflect(sqlite_engine)
    with sqlite_engine.connect() as source, engine.begin() as target:
        for table in old.sorted_tables:
            if table.name == "alembic_version" or table.name not in demo.tables:
                continue
            shared = [c.name for c in table.columns if c.name in demo.tables[table.name].columns]
            rows = [dict(row._mapping) for row in source.execute(select(*demo.tables[table.name].c[*shared]))]
            if rows:
                target.execute(insert(table), rows)
    if engine.dialect.name == "postgresql":  # ids were copied: move each sequence past them
        with engine.begin() as connection:
            for table in old.sorted_tables:
                if "id" in table.columns and table.name != "alembic_version":
                    connection.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)")
    yield engine
    engine.dispose()


def _snapshot(engine) -> dict[str, dict[tuple, dict]]:
    """Every table's rows by primary key (columns by name), without Alembic's own bookkeeping."""
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        return {table.name: {tuple(row._mapping[c.name] for c in table.primary_key): dict(row._mapping)
                             for row in connection.execute(select(table))}
                for table in metadata.sorted_tables if table.name != "alembic_version"}


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-12) or (math.isnan(a) and math.isnan(b))
    return a == b


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection")
def test_every_row_survives_the_upgrade_to_this_release(previous_release):
    before = _snapshot(previous_release)
    assert sum(map(len, before.values())) > 10_000 and before["measurement"] and before["project"]
    command.upgrade(_alembic_config(previous_release), "head")
    after = _snapshot(previous_release)
    for table, rows in before.items():
        kept = after[table]
        if table == "audit_log":
            assert all(key in kept for key in rows), "audit entries lost"
            continue
        assert set(kept) == set(rows), f"{table}: rows lost or added"
        for key, row in rows.items():
            changed = {column: (value, kept[key].get(column)) for column, value in row.items()
                       if (table, column) not in DROPPED and not _same(value, kept[key].get(column))}
            assert not changed, f"{table} {key}: {changed}"

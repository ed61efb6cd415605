"""The CRM source: where the SQL metrics run, its schema and bulk loading.

``CRM_SOURCE_URL`` names the source database (default: the app's own database). It may be
SQLite, PostgreSQL, DuckDB (the embedded analytical engine for a large source) or any
database with a SQLAlchemy dialect that holds the ``crm_*`` tables. Generated sources are
written in bulk: DuckDB inserts whole DataFrames (``INSERT … SELECT`` from pandas),
PostgreSQL streams CSV through ``COPY``, SQLite gets the driver's ``executemany`` of plain tuples,
other databases Core ``executemany``, all in chunks.
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection, Double, Engine, Float, Index, MetaData, Table, delete, insert, inspect, select, text
from sqlalchemy.dialects import registry
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.schema import CreateIndex, DropIndex

from data.db import DatabaseUnavailable, database_url, describe, make_engine
from data.dialects import month_of
from data.models import Base, CrmCustomer

Progress = Callable[[int, int, str], None]
"""Reports ``(done, total, label)`` while a long operation runs."""

CRM_TABLES: tuple[Table, ...] = tuple(table for table in Base.metadata.sorted_tables if table.name.startswith("crm_"))
"""The source's tables (the models' ``crm_*`` tables), parents before the tables that refer to them."""

CHUNK_ROWS = 250_000

registry.register("spark", "data.spark_source", "SparkDialect")  # spark:///FOLDER (imported when used)


@dataclass(frozen=True)
class LoadSummary:
    """What a bulk load wrote."""

    rows: int
    seconds: float


def source_url(default: str | None = None) -> str:
    """The configured CRM source: ``CRM_SOURCE_URL``, else ``default``, else the app's own database."""
    return os.environ.get("CRM_SOURCE_URL") or default or database_url()


def configured_source(app: Engine) -> Engine:
    """The CRM source's engine: ``CRM_SOURCE_URL``'s when it is set, else the app's own ``app``."""
    return source_engine() if os.environ.get("CRM_SOURCE_URL") else app


def source_engine(url: str | None = None) -> Engine:
    """An engine on the CRM source ``url`` (default: :func:`source_url`); a bad URL is ``DatabaseUnavailable``."""
    url = url or source_url()
    try:
        return make_engine(url)
    except (NoSuchModuleError, ArgumentError) as exc:
        raise DatabaseUnavailable("The CRM source URL {url!r} names no database SQLAlchemy can open: {detail}", url=url,
                                  detail=str(exc)) from exc


@contextmanager
def reported(engine: Engine) -> Iterator[None]:
    """Turn a database error inside the block into ``DatabaseUnavailable`` with one plain message."""
    try:
        yield
    except SQLAlchemyError as exc:
        raise DatabaseUnavailable.from_message(describe(exc, engine.url.render_as_string(hide_password=False))) from exc


def _is_duckdb(bind: Engine | Connection) -> bool:
    return bind.dialect.name == "duckdb"


def _analytical_tables() -> list[Table]:
    """The CRM tables for DuckDB: 64-bit floats, explicit ids, no row indexes or foreign keys.

    DuckDB scans columns with zone maps, so row indexes and foreign-key checks would only slow
    the bulk load; its FLOAT is 32-bit, so floats become DOUBLE to sum exactly as elsewhere.
    """
    metadata, tables = MetaData(), []
    for source in CRM_TABLES:
        table = Table(source.name, metadata, *[column._copy() for column in source.columns])
        for column in table.columns:
            column.foreign_keys.clear()
            column.index = None
            column.autoincrement = False
            if isinstance(column.type, Float):
                column.type = Double()
        tables.append(table)
    return tables


MONTHLY_COLUMNS = {
    "crm_order": ("ordered_on", "revenue", "cost", "customer_id"),
    "crm_ticket": ("opened_on", "cost", "sla_met", "resolution_hours"),
    "crm_complaint": ("received_on", "resolution_days", "resolved_ok"),
    "crm_survey": ("answered_on", "score"),
    "crm_opportunity": ("opened_on", "won", "cost_of_sale"),
}
"""Per fact table: the date the metrics group by month, then the columns they add up."""


def _sqlite_indexes() -> list[Index]:
    """Covering indexes in (segment, month) order, so SQLite groups a fact table without sorting it
    (and filters ``--since`` months) from the index alone.

    They live on copies of the tables (a MetaData of their own), so the app's models and its
    Alembic migrations never see them; the source gets them when it is written.
    """
    metadata, indexes = MetaData(), []
    for source in CRM_TABLES:
        if source.name in MONTHLY_COLUMNS:
            table = source.to_metadata(metadata)
            date_column, *values = (table.c[name] for name in MONTHLY_COLUMNS[source.name])
            indexes.append(Index(f"ix_{table.name}_monthly", table.c.segment, month_of(date_column), date_column,
                                 *values))
    customers = CrmCustomer.__table__.to_metadata(metadata)
    indexes.append(Index("ix_crm_customer_flows", customers.c.segment, customers.c.acquired_on, customers.c.churned_on))
    return indexes


def create_source_schema(connection: Connection) -> None:
    """Create the CRM tables (with the models' own indexes) in the source where they are missing."""
    if _is_duckdb(connection):
        tables = _analytical_tables()
        tables[0].metadata.create_all(connection, checkfirst=True)
        return
    CRM_TABLES[0].metadata.create_all(connection, tables=list(CRM_TABLES), checkfirst=True)


def _metric_indexes(connection: Connection, create: bool) -> None:
    """Create (or drop, before a bulk load, which is faster without them) the SQLite metric indexes.

    IF [NOT] EXISTS, because reflection (``checkfirst``) cannot see expression indexes.
    """
    if connection.dialect.name != "sqlite":
        return
    for index in _sqlite_indexes():
        connection.execute(CreateIndex(index, if_not_exists=True) if create else DropIndex(index, if_exists=True))


def _analyze(connection: Connection) -> None:
    """Fresh planner statistics after a bulk load (DuckDB keeps its own as it inserts)."""
    if connection.dialect.name in ("postgresql", "sqlite"):
        connection.execute(text("ANALYZE"))


def _with_ids(table: Table, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with an ``id`` 1…n when the table has an id the generator left out."""
    if "id" in table.columns and "id" not in frame.columns:
        return frame.assign(id=range(1, len(frame) + 1))
    return frame


def _chunks(frame: pd.DataFrame) -> list[pd.DataFrame]:
    return [frame.iloc[start:start + CHUNK_ROWS] for start in range(0, max(len(frame), 1), CHUNK_ROWS)]


def _write_duckdb(connection: Connection, table: Table, chunk: pd.DataFrame) -> None:
    duck = connection.connection.driver_connection
    duck.register("_chunk", chunk)
    try:
        names = ", ".join(f'"{name}"' for name in chunk.columns)
        duck.execute(f'INSERT INTO "{table.name}" ({names}) SELECT {names} FROM _chunk')
    finally:
        duck.unregister("_chunk")


def _write_postgresql(connection: Connection, table: Table, chunk: pd.DataFrame) -> None:
    names = ", ".join(f'"{name}"' for name in chunk.columns)
    buffer = io.StringIO()
    chunk.to_csv(buffer, header=False, index=False, date_format="%Y-%m-%d")
    with connection.connection.driver_connection.cursor() as cursor, \
            cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN (FORMAT csv)') as copy:
        copy.write(buffer.getvalue())


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts of plain Python values (dates as ``date``, no NumPy scalars)."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.date
    return out.astype(object).where(out.notna(), None).to_dict("records")


def _write_core(connection: Connection, table: Table, chunk: pd.DataFrame) -> None:
    connection.execute(insert(table), _records(chunk))


def _write_sqlite(connection: Connection, table: Table, chunk: pd.DataFrame) -> None:
    """The driver's executemany of plain tuples, dates as the ISO text SQLAlchemy stores in SQLite."""
    out = chunk.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
    rows = list(out.astype(object).where(out.notna(), None).itertuples(index=False, name=None))
    names = ", ".join(f'"{name}"' for name in out.columns)
    marks = ", ".join("?" for _ in out.columns)
    connection.exec_driver_sql(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', rows)


def _writer(engine: Engine) -> Callable:
    if _is_duckdb(engine):
        return _write_duckdb
    if engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg":
        return _write_postgresql
    if engine.dialect.name == "sqlite" and engine.dialect.driver == "pysqlite":
        return _write_sqlite
    return _write_core


def _dated(frame: pd.DataFrame) -> pd.DataFrame:
    """Date-like object columns (``datetime.date`` values) as datetime64, for the bulk writers."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object and column.endswith(("_on", "_start", "_end")):
            out[column] = pd.to_datetime(out[column])
    return out


def _empty(connection: Connection) -> None:
    """Remove every CRM row (PostgreSQL: TRUNCATE, which skips the per-row foreign-key checks)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("TRUNCATE " + ", ".join(f'"{table.name}"' for table in CRM_TABLES)))
        return
    for table in reversed(CRM_TABLES):
        connection.execute(delete(table))


def write_source(engine: Engine, tables: dict[Table, pd.DataFrame], progress: Progress | None = None) -> LoadSummary:
    """Replace the CRM tables' rows with ``tables`` in one transaction, in bulk."""
    started = time.perf_counter()
    frames = {table: _dated(_with_ids(table, tables[table])) for table in CRM_TABLES if table in tables}
    if engine.dialect.name == "spark":  # Parquet folders, written without Spark
        from data.spark_source import write_parquet_source

        rows = write_parquet_source(engine.url, frames, progress)
        return LoadSummary(rows=rows, seconds=time.perf_counter() - started)
    total, done = sum(len(frame) for frame in frames.values()), 0
    write = _writer(engine)
    with reported(engine), engine.begin() as connection:
        create_source_schema(connection)
        _metric_indexes(connection, create=False)
        _empty(connection)
        for table, frame in frames.items():
            for chunk in _chunks(frame):
                if len(chunk):
                    write(connection, table, chunk)
                done += len(chunk)
                if progress:
                    progress(done, total, table.name)
        _metric_indexes(connection, create=True)
        _analyze(connection)
    return LoadSummary(rows=total, seconds=time.perf_counter() - started)


def has_crm_tables(engine: Engine) -> bool:
    """Whether every CRM table exists in the source."""
    return not missing_tables(engine)


def missing_tables(engine: Engine) -> list[str]:
    """The CRM tables the source lacks (tables or views)."""
    inspector = inspect(engine)
    present = set(inspector.get_table_names()) | set(inspector.get_view_names())
    return [table.name for table in CRM_TABLES if table.name not in present]


def _selects(engine: Engine, *columns) -> bool:
    """Whether ``SELECT columns … LIMIT 0`` runs (no row is read), on a connection of its own."""
    try:
        with engine.connect() as connection:
            connection.execute(select(*columns).limit(0))
        return True
    except SQLAlchemyError:
        return False


def _columns_present(engine: Engine, table: str, columns: tuple[str, ...]) -> set[str]:
    """Which of ``columns`` the source's ``table`` has: reflected, or, where the dialect cannot reflect
    (duckdb-engine), probed: all of them at once, then each one if that fails."""
    try:
        return {column["name"].lower() for column in inspect(engine).get_columns(table)}
    except (SQLAlchemyError, NotImplementedError):
        pass
    model = Base.metadata.tables[table]
    if _selects(engine, *(model.c[name] for name in columns)):
        return set(columns)
    return {name for name in columns if _selects(engine, model.c[name])}


def missing_columns(engine: Engine, needed: dict[str, tuple[str, ...]]) -> list[str]:
    """The ``needed`` columns (by table) the source's tables lack, as ``table.column``."""
    missing = []
    for table, columns in needed.items():
        present = _columns_present(engine, table, columns)
        missing += [f"{table}.{name}" for name in columns if name.lower() not in present]
    return missing


__all__ = ["CRM_TABLES", "LoadSummary", "Progress", "configured_source", "create_source_schema", "has_crm_tables",
           "missing_columns", "missing_tables",
           "source_engine", "source_url", "write_source"]

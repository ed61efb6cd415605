"""Apache Spark as the CRM source: ``spark:///ABSOLUTE/FOLDER``, one Parquet folder per ``crm_*`` table.

A SQLAlchemy dialect named ``spark`` makes the folder an :class:`~sqlalchemy.Engine` like any other
source, so the refresh (:mod:`data.refresh`) runs unchanged: the metrics of :mod:`data.metrics` are
compiled by SQLAlchemy (PostgreSQL's compiler, values written in as literals), transpiled to Spark
SQL by sqlglot and submitted with ``spark.sql``; only the KPI-sized rows come back. Each connection
is a Spark session of its own (one driver per process) with every table folder as a temporary view.

Where Spark runs: ``SPARK_REMOTE`` (a Spark Connect server, ``sc://host:15002``), else
``SPARK_MASTER`` (``spark://host:7077``, ``yarn``, ``local[2]``), else ``local[*]`` on this machine.
The folder must be readable there under the same path. Writing a source (``demo``) needs neither
Spark nor Java: pyarrow writes the Parquet files. pyspark and sqlglot are imported only when a
Spark source is opened (``pip install -r requirements-spark.txt``).
"""

from __future__ import annotations

import os
import shutil
import threading
import warnings
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import pandas as pd
from sqlalchemy import Boolean, Date, DateTime, Float, Integer, Numeric, Table
from sqlalchemy.dialects.postgresql.base import PGCompiler, PGDialect
from sqlalchemy.engine import URL

from data.db import DatabaseUnavailable

NAME = "spark"
NO_PYSPARK = "Spark cannot start: pyspark or sqlglot is not installed (pip install -r requirements-spark.txt)."
NO_JAVA = ("Spark cannot start: no Java runtime ({java}). Install Java 17 (Debian: openjdk-17-jre-headless) "
           "or point SPARK_REMOTE at a Spark Connect server.")
NOT_STARTED = "Spark cannot start: {detail}"

# The DB-API 2.0 module a SQLAlchemy dialect expects (PEP 249): this module is it.
apilevel, threadsafety, paramstyle = "2.0", 1, "pyformat"


class Warning(Exception):  # noqa: A001 - the name PEP 249 gives it
    pass


class Error(Exception):
    """Spark's own reason (the first line of the exception it raised), as a driver's error carries it."""

    def __str__(self) -> str:
        cause = str(self.__cause__ or "").strip()
        return cause.splitlines()[0] if cause else (type(self).__doc__ or type(self).__name__).strip()


class InterfaceError(Error):
    pass


class DatabaseError(Error):
    pass


class OperationalError(DatabaseError):
    pass


class ProgrammingError(DatabaseError):
    pass


class IntegrityError(DatabaseError):
    pass


class DataError(DatabaseError):
    pass


class InternalError(DatabaseError):
    pass


class NotSupportedError(DatabaseError):
    """The Spark source takes statements with their values written in, not bound parameters."""


def folder_of(url: URL) -> Path:
    """The source folder of ``spark:///ABSOLUTE/FOLDER`` (always absolute)."""
    return Path("/" + (url.database or "").lstrip("/"))


# Writing: pyarrow, no Spark needed.

def _arrow_type(column):
    import pyarrow as pa

    kind = column.type
    if isinstance(kind, Boolean):
        return pa.bool_()
    if isinstance(kind, DateTime):
        return pa.timestamp("us")
    if isinstance(kind, Date):
        return pa.date32()  # a calendar day, never shifted by a session time zone
    if isinstance(kind, (Float, Numeric)):
        return pa.float64()
    if isinstance(kind, Integer):
        return pa.int64()
    return pa.string()


def write_table(folder: Path, table: Table, frame: pd.DataFrame) -> None:
    """Replace ``folder/<table>`` with one Parquet file of ``frame`` in the model's column order and types."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([pa.field(column.name, _arrow_type(column), nullable=column.nullable)
                        for column in table.columns])
    out = frame.copy()
    for column in table.columns:
        if isinstance(column.type, Date) and not isinstance(column.type, DateTime):
            out[column.name] = pd.to_datetime(out[column.name]).dt.date
    arrays = [pa.array(out[field.name].astype(object).where(out[field.name].notna(), None).tolist(), type=field.type)
              for field in schema]
    target, staging = folder / table.name, folder / f".{table.name}.writing"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    pq.write_table(pa.Table.from_arrays(arrays, schema=schema), staging / "part-0.parquet")
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)


# Starting Spark.

def check_java() -> None:
    """Refuse at once (no JVM launch, whose failure is a page of text) when no Java runtime is there."""
    if os.environ.get("SPARK_REMOTE"):
        return  # Spark Connect: the server runs the JVM
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        java = Path(java_home, "bin", "java")
        if not java.exists():
            raise DatabaseUnavailable(NO_JAVA, java=f"JAVA_HOME={java_home} has no bin/java")
    elif shutil.which("java") is None:
        raise DatabaseUnavailable(NO_JAVA, java="no java on PATH")


_started = threading.Lock()


def spark_session():
    """The process's Spark session (started on first use), from ``SPARK_REMOTE``, ``SPARK_MASTER`` or ``local[*]``."""
    try:
        import sqlglot  # noqa: F401 - the statements' translator, installed with pyspark
        from pyspark.sql import SparkSession
    except ImportError:
        raise DatabaseUnavailable(NO_PYSPARK) from None
    check_java()
    with _started:
        builder = SparkSession.builder.appName("crm-scorecard-refresh")
        remote = os.environ.get("SPARK_REMOTE")
        if remote:
            builder = builder.remote(remote)
        else:
            master = os.environ.get("SPARK_MASTER", "local[*]")
            builder = (builder.master(master).config("spark.ui.enabled", "false")
                       .config("spark.ui.showConsoleProgress", "false"))
            if master.startswith("local"):  # KPI-sized results: few shuffle partitions, a small driver
                builder = (builder.config("spark.sql.shuffle.partitions", os.environ.get("SPARK_SHUFFLE_PARTITIONS", "4"))
                           .config("spark.driver.memory", os.environ.get("SPARK_DRIVER_MEMORY", "1g")))
        try:
            with warnings.catch_warnings():  # pyspark's notice about pandas 3 concerns its pandas API, unused here
                warnings.simplefilter("ignore", FutureWarning)
                session = builder.getOrCreate()
            if not remote:
                session.sparkContext.setLogLevel("ERROR")  # the driver's warnings would fill the terminal
            return session
        except Exception as exc:  # noqa: BLE001 - a JVM that would not start, a server that does not answer
            raise DatabaseUnavailable(NOT_STARTED, detail=str(exc).strip().splitlines()[0]) from exc


@lru_cache(maxsize=256)
def spark_sql(statement: str) -> str:
    """The statement SQLAlchemy compiled (PostgreSQL syntax, literal values) in Spark SQL."""
    import sqlglot

    return sqlglot.transpile(statement, read="postgres", write="spark")[0]


class Cursor:
    """Runs one statement at a time with ``spark.sql``; rows come back whole (they are KPI-sized)."""

    arraysize = 1

    def __init__(self, connection: Connection) -> None:
        self.connection, self.description, self.rowcount = connection, None, -1
        self._rows: list[tuple] = []

    def execute(self, statement: str, parameters=None) -> None:
        if parameters:
            raise NotSupportedError
        session = self.connection.session  # Spark that cannot start is DatabaseUnavailable, not a statement's error
        try:
            frame = session.sql(spark_sql(statement))
            rows = frame.collect()
        except Exception as exc:  # noqa: BLE001 - Spark's analysis and execution errors, as the DB-API's
            raise ProgrammingError from exc
        self.description = [(name, None, None, None, None, None, True) for name in frame.columns]
        self._rows, self.rowcount = [tuple(row) for row in rows], len(rows)

    def fetchall(self) -> list[tuple]:
        rows, self._rows = self._rows, []
        return rows

    def fetchone(self) -> tuple | None:
        return self._rows.pop(0) if self._rows else None

    def fetchmany(self, size: int | None = None) -> list[tuple]:
        size = size or self.arraysize
        rows, self._rows = self._rows[:size], self._rows[size:]
        return rows

    def close(self) -> None:
        self._rows = []


class Connection:
    """The source folder: its ``crm_*`` tables and their columns read from the Parquet footers (no Spark
    needed to check them), and, from the first statement on, a Spark session of its own (one driver per
    process) with each table folder as a temporary view."""

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder)
        self.columns: dict[str, list[str]] = {}
        if self.folder.is_dir():
            for table in sorted(p for p in self.folder.iterdir() if p.is_dir() and p.name.startswith("crm_")):
                self.columns[table.name] = _parquet_columns(table)
        self._session = None

    @property
    def session(self):
        if self._session is None:
            session = spark_session().newSession()
            for name in self.columns:
                session.read.parquet(str(self.folder / name)).createOrReplaceTempView(name)
            self._session = session
        return self._session

    def cursor(self) -> Cursor:
        return Cursor(self)

    def commit(self) -> None:
        pass

    def rollback(self) -> None:
        pass

    def close(self) -> None:
        self._session = None


def _parquet_columns(folder: Path) -> list[str]:
    """The columns of a table folder's Parquet files (the first file's schema; none without a file)."""
    import pyarrow.parquet as pq

    files = sorted(folder.rglob("*.parquet"))
    return list(pq.read_schema(files[0]).names) if files else []


def connect(folder: str) -> Connection:
    """PEP 249's ``connect``: the source folder opened in Spark."""
    return Connection(folder)


class SparkCompiler(PGCompiler):
    """PostgreSQL's compiler with every value written in (Spark SQL takes no bound parameters)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs["compile_kwargs"] = {**kwargs.get("compile_kwargs", {}), "literal_binds": True}
        super().__init__(*args, **kwargs)


class SparkDialect(PGDialect):
    """``spark:///FOLDER``: the metrics compiled as PostgreSQL, transpiled to Spark SQL by sqlglot, run by Spark."""

    name, driver = NAME, "pyspark"
    statement_compiler = SparkCompiler
    supports_statement_cache = False  # values are part of the statement text
    supports_native_boolean = True
    default_paramstyle = "pyformat"

    @classmethod
    def import_dbapi(cls):
        import sys

        return sys.modules[__name__]

    def create_connect_args(self, url: URL) -> tuple[Sequence, dict]:
        return [], {"folder": str(folder_of(url))}

    def initialize(self, connection) -> None:
        self.server_version_info = (16, 0)
        self.default_schema_name = "default"
        self.default_isolation_level = None
        self._backslash_escapes = False
        self.supports_smallserial = self.supports_identity_columns = False

    def on_connect(self):
        return None

    def _get_server_version_info(self, connection):
        return self.server_version_info or (16, 0)

    def get_isolation_level(self, dbapi_connection):
        return None

    def set_isolation_level(self, dbapi_connection, level) -> None:
        pass

    def reset_isolation_level(self, dbapi_connection) -> None:
        pass

    def do_ping(self, dbapi_connection) -> bool:
        return True

    def do_begin(self, dbapi_connection) -> None:
        pass

    def do_rollback(self, dbapi_connection) -> None:
        pass

    def do_commit(self, dbapi_connection) -> None:
        pass

    def do_execute(self, cursor, statement, parameters, context=None) -> None:
        cursor.execute(statement, parameters or None)

    def _source(self, connection) -> Connection:
        return connection.connection.dbapi_connection

    def get_table_names(self, connection, schema=None, **kw) -> list[str]:
        return sorted(self._source(connection).columns)

    def get_view_names(self, connection, schema=None, **kw) -> list[str]:
        return []

    def has_table(self, connection, table_name, schema=None, **kw) -> bool:
        return table_name in self._source(connection).columns

    def get_columns(self, connection, table_name, schema=None, **kw) -> list[dict]:
        from sqlalchemy.types import NullType

        return [{"name": name, "type": NullType(), "nullable": True, "default": None}
                for name in self._source(connection).columns.get(table_name, [])]


def write_parquet_source(url: URL, tables: dict[Table, pd.DataFrame], progress=None) -> int:
    """Write each table of ``tables`` as its Parquet folder under the source folder; the rows written."""
    folder, total, done = folder_of(url), sum(len(frame) for frame in tables.values()), 0
    folder.mkdir(parents=True, exist_ok=True)
    for table, frame in tables.items():
        write_table(folder, table, frame)
        done += len(frame)
        if progress:
            progress(done, total, table.name)
    return total


__all__ = ["SparkDialect", "check_java", "folder_of", "spark_session", "spark_sql", "write_parquet_source"]

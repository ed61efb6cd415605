"""Refresh: every SQL-sourced KPI computed inside the CRM source, stored in the app's database.

The metrics run where the data lives (the source, see :mod:`data.source`); only KPI-sized
monthly rows come back. They replace the stored actuals of those KPIs (from ``since`` on) in
one transaction of the app's database: a source that cannot be read, or a failure half-way,
leaves every measurement as it was.
"""

from __future__ import annotations

import fcntl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, delete, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from data.db import describe
from data.metrics import METRICS, RAW_COLUMNS, columns_read, metric_rows, month_start, monthly_actuals
from data.models import Kpi, Measurement, Segment
from data.source import Progress, missing_columns, missing_tables, reported
from data.writes import SYSTEM_USER, write_session
from errors import MessageError

RUNNING = "Another refresh of this database is running; this one changed nothing. Try again when it has finished."
COLUMNS = ["kpi_id", "segment_id", "period", "actual", "numerator", "denominator"]


class RefreshFailed(MessageError, RuntimeError):
    """The refresh could not compute the KPIs; nothing was changed."""


class RefreshRunning(RefreshFailed):
    """Another refresh of the same database is running; this one changed nothing."""


REFRESH_LOCK_KEY = 7_402_117  # PostgreSQL advisory lock of "a refresh is running" (any number the app owns)


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RefreshRunning(RUNNING) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def _advisory_lock(engine: Engine) -> Iterator[None]:
    with engine.connect() as conn:
        if not conn.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": REFRESH_LOCK_KEY}):
            raise RefreshRunning(RUNNING)
        try:
            yield
        finally:
            conn.scalar(text("SELECT pg_advisory_unlock(:key)"), {"key": REFRESH_LOCK_KEY})


@contextmanager
def only_refresh(engine: Engine) -> Iterator[None]:
    """Hold "a refresh is running" for the app's database, or raise :class:`RefreshRunning` at once.

    PostgreSQL: a session advisory lock (any process, any host). SQLite: a lock on the file beside the
    database (``<file>.refresh-lock``; SQLite serves one host). Other databases are not guarded.
    """
    if engine.dialect.name == "postgresql":
        with _advisory_lock(engine):
            yield
    elif engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        with _file_lock(Path(f"{engine.url.database}.refresh-lock")):
            yield
    else:
        yield


@dataclass(frozen=True)
class RefreshSummary:
    """What a refresh stored: measurement rows, KPIs, from which month, and how long it took."""

    rows: int
    kpis: int
    since: str | None
    seconds: float


def _for_segments(rows: pd.DataFrame, segments: dict[str, int]) -> pd.DataFrame:
    """Rows of the app's segments; a metric without segments (All only) is repeated for each."""
    shared = ~rows["metric"].map({code: metric.by_segment for code, metric in METRICS.items()}).astype(bool)
    copies = [rows[shared].assign(segment=name) for name in segments]
    rows = pd.concat([rows[~shared], *copies], ignore_index=True)
    return rows[rows["segment"].isin(segments)]


def sql_kpis(engine: Engine) -> tuple[list[tuple[int, str]], dict[str, int]]:
    """The SQL-sourced KPIs (id, metric code) and the segments (name → id) of the app."""
    with Session(engine) as session:
        segments = dict(session.execute(select(Segment.name, Segment.id)).all())
        kpis = [(kpi_id, code) for kpi_id, code in
                session.execute(select(Kpi.id, Kpi.metric).where(Kpi.source == "sql").order_by(Kpi.id)).all()]
    unknown = sorted({code for _, code in kpis if code not in METRICS})
    if unknown:
        raise RefreshFailed("KPIs name SQL metrics that do not exist: {metrics}.", metrics=[str(code) for code in unknown])
    return kpis, segments


def _check_source(source: Engine) -> None:
    """The source has every CRM table and every column the metrics read, or one message names what is missing."""
    url = source.url.render_as_string(hide_password=True)
    with reported(source):
        tables = missing_tables(source)
        if tables:
            raise RefreshFailed("The CRM source {url} lacks the CRM tables ({tables}); write one with "
                                "`python -m scorecard demo` or set CRM_SOURCE_URL.", url=url, tables=tables)
        columns = missing_columns(source, columns_read())
    if columns:
        raise RefreshFailed("The CRM source {url} lacks columns the metrics read: {columns}; nothing was changed "
                            "(the columns are those of data/models.py, section \"CRM source\").",
                            url=url, columns=columns)


def compute_actuals(source: Engine, kpis: list[tuple[int, str]], segments: dict[str, int],
                    since: str | None = None, progress: Progress | None = None) -> pd.DataFrame:
    """Monthly actuals of ``kpis`` from the source, one row per KPI, segment and month (columns ``COLUMNS``)."""
    raw, codes = [], sorted({code for _, code in kpis})
    with source.connect() as connection:
        for done, code in enumerate(codes):
            if progress:
                progress(done, len(codes), code)
            try:
                raw.extend(metric_rows(connection, code, since))
            except SQLAlchemyError as exc:
                raise RefreshFailed("Computing {metric} in the CRM source failed; nothing was changed. {problem}",
                                    metric=code,
                                    problem=describe(exc, source.url.render_as_string(hide_password=False))) from exc
    rows = _for_segments(monthly_actuals(pd.DataFrame(raw, columns=RAW_COLUMNS)), segments)
    ids = pd.DataFrame(kpis, columns=["kpi_id", "metric"])
    rows = rows.merge(ids, on="metric").assign(segment_id=lambda f: f["segment"].map(segments))
    return rows[COLUMNS].reset_index(drop=True)


def source_name(source: Engine) -> str:
    """The CRM source as a reader may see it: its engine and database name, no host or password ("duckdb crm.duckdb")."""
    database = source.url.database or ""
    return f"{source.url.get_backend_name()} {Path(database).name}".strip()


def _store(engine: Engine, username: str, kpi_ids: list[int], actuals: pd.DataFrame, since: str | None,
           source: str) -> None:
    """Replace the KPIs' measurements (from ``since`` on) with ``actuals`` in one audited transaction."""
    records = actuals.astype(object).where(actuals.notna(), None).to_dict("records")
    with write_session(engine, username, "measurements.edit") as writer:
        old = delete(Measurement).where(Measurement.kpi_id.in_(kpi_ids))
        if since is not None:
            old = old.where(Measurement.period >= since)
        writer.session.execute(old)
        if records:
            writer.session.execute(Measurement.__table__.insert(), records)
        writer.note("refresh", Measurement, {"kpis": len(kpi_ids), "rows": len(records), "since": since,
                                             "source": source})


def refresh(engine: Engine, source: Engine | None = None, *, since: str | None = None,
            username: str = SYSTEM_USER, progress: Progress | None = None) -> RefreshSummary:
    """Recompute every SQL-sourced KPI (all months, or ``since`` YYYY-MM and later) and store it."""
    started = time.perf_counter()
    month_start(since)  # a malformed month fails before anything runs
    source = source or engine
    with only_refresh(engine):
        kpis, segments = sql_kpis(engine)
        _check_source(source)
        actuals = compute_actuals(source, kpis, segments, since, progress)
        if progress:
            steps = len({code for _, code in kpis})
            progress(steps, steps, "storing")
        _store(engine, username, [kpi_id for kpi_id, _ in kpis], actuals, since, source_name(source))
    return RefreshSummary(rows=len(actuals), kpis=len(kpis), since=since, seconds=time.perf_counter() - started)


__all__ = ["RefreshFailed", "RefreshRunning", "RefreshSummary", "only_refresh", "compute_actuals", "refresh", "sql_kpis"]

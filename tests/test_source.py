"""The CRM source at scale: the generator, bulk loading, the metrics on SQLite, PostgreSQL and
DuckDB against pandas, and the all-or-nothing, incremental refresh (CLI ``demo``/``refresh``)."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from duckdb_engine import Dialect as DuckDBDialect
from sqlalchemy import create_engine, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError

from data import refresh as refresh_module
from data import repository
from data import source as source_module
from data.db import DatabaseUnavailable, make_engine
from data.demo.generator import generate_crm
from data.metrics import METRICS, compute_metric, month_start
from data.models import CrmCustomer, CrmOrder
from data.refresh import RefreshFailed, compute_actuals, refresh
from data.source import CRM_TABLES, source_engine, write_source
from data.writes import Writer
from scorecard.progress import TerminalProgress
from tests.test_metrics import as_frames, with_all

ROOT = Path(__file__).resolve().parent.parent
SMALL = {"seed": 7, "customers": 1_500, "n_months": 14}


@pytest.fixture(scope="module")
def small_tables():
    """A small generated source: 1,500 customers over 14 months, seed 7."""
    return generate_crm(**SMALL)


@pytest.fixture(scope="module")
def small_crm(small_tables) -> dict[str, pd.DataFrame]:
    return as_frames(small_tables)


def _url(backend: str, folder: Path, request) -> str:
    if backend == "postgresql":
        return request.getfixturevalue("new_postgres_database")()
    return f"{backend}:///{folder / f'source.{backend}'}"


@pytest.fixture(scope="module", params=["sqlite", "postgresql", "duckdb"])
def source(request, tmp_path_factory, small_tables):
    """The small source written in bulk into each engine."""
    engine = source_engine(_url(request.param, tmp_path_factory.mktemp(request.param), request))
    write_source(engine, small_tables)
    yield engine
    engine.dispose()


def _actuals(frame: pd.DataFrame) -> pd.Series:
    return frame.set_index(["segment", "period"]).sort_index()["actual"]


@pytest.mark.parametrize("code", sorted(METRICS))
def test_metric_equals_pandas_on_every_engine(source, small_crm, code):
    got = _actuals(compute_metric(source, code))
    want = with_all(code, small_crm)
    want["actual"] = METRICS[code].scale * want["numerator"] / want["denominator"].where(want["denominator"] != 0)
    want = _actuals(want)
    assert list(got.index) == list(want.index), code
    np.testing.assert_allclose(got.to_numpy(), want.to_numpy(), rtol=1e-9, err_msg=f"{code} on {source.dialect.name}")


@pytest.mark.postgres  # reaches PostgreSQL through request.getfixturevalue
def test_sqlite_postgresql_and_duckdb_give_identical_actuals(tmp_path, request, small_tables):
    results = {}
    for backend in ("sqlite", "duckdb", "postgresql"):
        engine = source_engine(_url(backend, tmp_path, request))
        write_source(engine, small_tables)
        results[backend] = pd.concat([compute_metric(engine, code).assign(metric=code) for code in sorted(METRICS)],
                                     ignore_index=True)
        engine.dispose()
    reference = results.pop("sqlite")
    for backend, frame in results.items():
        pd.testing.assert_frame_equal(frame[["metric", "segment", "period"]], reference[["metric", "segment", "period"]])
        np.testing.assert_allclose(frame["actual"], reference["actual"], rtol=1e-9, err_msg=backend)


@pytest.mark.parametrize("dialect", [postgresql.dialect(), DuckDBDialect(), sqlite.dialect()],
                         ids=["postgresql", "duckdb", "sqlite"])
def test_every_metric_compiles_for_warehouse_dialects(dialect):
    month_key = {"postgresql": "to_char(", "duckdb": "strftime(", "sqlite": "substr("}[dialect.name]
    for code, metric in METRICS.items():
        for since in (None, month_start("2025-07")):
            sql = str(metric.query(since).compile(dialect=dialect))
            assert month_key in sql, (code, dialect.name)
            assert "numerator" in sql and "denominator" in sql


def test_no_metric_joins_every_customer_with_every_month():
    """Customer counts come from flows grouped by month, never from customers × months rows."""
    for code, metric in METRICS.items():
        sql = str(metric.query(None).compile(dialect=postgresql.dialect()))
        assert not re.search(r"crm_customer\.\w+ [<>=]+ crm_month\.", sql), code


def test_generator_is_deterministic_and_scales(small_tables):
    again = generate_crm(**SMALL)
    for table, frame in small_tables.items():
        pd.testing.assert_frame_equal(frame, again[table])
    other = generate_crm(seed=8, customers=1_500, n_months=14)
    assert not small_tables[CrmOrder.__table__]["revenue"].equals(other[CrmOrder.__table__]["revenue"])
    assert len(small_tables[CrmCustomer.__table__]) == 1_500
    demo = generate_crm()
    per_customer = len(demo[CrmOrder.__table__]) / len(demo[CrmCustomer.__table__])
    assert 6.5 < per_customer < 8.0  # "about 7–8 orders per customer over 36 months" (API.md)
    with pytest.raises(ValueError, match="at least one customer"):
        generate_crm(customers=0)


@pytest.mark.parametrize("backend", ["sqlite", "duckdb"])
def test_bulk_load_replaces_the_source_rows(tmp_path, small_tables, backend):
    engine = source_engine(f"{backend}:///{tmp_path / f'twice.{backend}'}")
    for _ in range(2):
        summary = write_source(engine, small_tables)
    assert summary.rows == sum(len(frame) for frame in small_tables.values())
    with engine.connect() as connection:
        orders = connection.execute(text("SELECT count(*), min(id), max(id) FROM crm_order")).one()
    assert orders == (len(small_tables[CrmOrder.__table__]), 1, len(small_tables[CrmOrder.__table__]))


def _measurements(url: str) -> pd.DataFrame:
    engine = make_engine(url)
    frame = repository.measurements(engine)
    engine.dispose()
    return frame.sort_values(["kpi_id", "segment", "period"], ignore_index=True)


@pytest.fixture()
def duck_source(tmp_path, small_tables) -> str:
    url = f"duckdb:///{tmp_path / 'small.duckdb'}"
    engine = source_engine(url)
    write_source(engine, small_tables)
    engine.dispose()
    return url


def test_refresh_stores_the_sources_actuals_in_one_audited_write(own_url, duck_source):
    engine = make_engine(own_url)
    assert (repository.scorecard_definition(engine)["source"] == "sql").all()  # the demo: every KPI from SQL
    summary = refresh(engine, source_engine(duck_source))
    stored = repository.measurements(engine)
    assert (summary.kpis, summary.rows) == (23, len(stored))
    assert set(stored["period"]) == {str(p) for p in pd.period_range("2023-11", periods=14, freq="M")}
    assert set(stored["segment"]) == {"All", "Corporate", "SME", "Retail"}
    entry = repository.audit_log(engine).iloc[0]
    assert entry["action"] == "refresh" and entry["new"]["rows"] == summary.rows


def test_incremental_refresh_equals_the_full_one_for_its_months(own_url, duck_source):
    engine, source = make_engine(own_url), source_engine(duck_source)
    kpis, segments = refresh_module.sql_kpis(engine)
    full = compute_actuals(source, kpis, segments)
    since = compute_actuals(source, kpis, segments, since="2024-06")
    later = full[full["period"] >= "2024-06"].sort_values(COLUMNS_KEY, ignore_index=True)
    pd.testing.assert_frame_equal(since.sort_values(COLUMNS_KEY, ignore_index=True), later)

    refresh(engine, source)
    before = _measurements(own_url)
    with engine.begin() as connection:  # spoil every month, then recompute only from June 2024
        connection.execute(text("UPDATE measurement SET actual = -1"))
    refresh(engine, source, since="2024-06")
    after = _measurements(own_url)
    recomputed = after["period"] >= "2024-06"
    pd.testing.assert_frame_equal(after[recomputed].reset_index(drop=True), before[recomputed].reset_index(drop=True))
    assert (after.loc[~recomputed, "actual"] == -1).all()


COLUMNS_KEY = ["kpi_id", "segment_id", "period"]


def test_a_bad_source_changes_nothing(own_url, tmp_path):
    engine, before = make_engine(own_url), _measurements(own_url)
    with pytest.raises(DatabaseUnavailable):
        refresh(engine, source_engine("nosuchdialect://x"))
    with pytest.raises(RefreshFailed, match="lacks the CRM tables"):
        refresh(engine, source_engine(f"sqlite:///{tmp_path / 'empty.db'}"))
    with pytest.raises(ValueError, match="YYYY-MM"):
        refresh(engine, since="2025-13")
    pd.testing.assert_frame_equal(_measurements(own_url), before)


def test_a_failure_half_way_changes_nothing(own_url, duck_source, monkeypatch):
    engine, before = make_engine(own_url), _measurements(own_url)
    calls = []
    real = refresh_module.metric_rows

    def failing(connection, code, since=None):
        calls.append(code)
        if len(calls) == 5:
            raise OperationalError("SELECT …", {}, Exception("connection lost"))
        return real(connection, code, since)

    monkeypatch.setattr(refresh_module, "metric_rows", failing)
    with pytest.raises(RefreshFailed, match="nothing was changed"):
        refresh(engine, source_engine(duck_source))
    monkeypatch.setattr(refresh_module, "metric_rows", real)
    monkeypatch.setattr(Writer, "note", lambda *args: (_ for _ in ()).throw(RuntimeError("disk full")))
    with pytest.raises(RuntimeError, match="disk full"):  # after the old rows were deleted and new ones inserted
        refresh(engine, source_engine(duck_source))
    pd.testing.assert_frame_equal(_measurements(own_url), before)


KILLED = """
import os, sys
from data.db import make_engine
from data.refresh import refresh
from data.source import source_engine
from data.writes import Writer
Writer.note = lambda *args: os._exit(9)  # the process dies inside the write transaction
refresh(make_engine(sys.argv[1]), source_engine(sys.argv[2]))
"""


def test_a_killed_refresh_changes_nothing(own_url, duck_source):
    before = _measurements(own_url)
    done = subprocess.run([sys.executable, "-c", KILLED, own_url, duck_source], cwd=ROOT, timeout=300)
    assert done.returncode == 9
    pd.testing.assert_frame_equal(_measurements(own_url), before)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scorecard", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_cli_demo_then_refresh_print_one_summary_line(own_url, tmp_path):
    source = f"duckdb:///{tmp_path / 'cli.duckdb'}"
    demo = _cli("demo", "--customers", "800", "--months", "12", "--seed", "3", "--source", source)
    assert demo.returncode == 0, demo.stderr
    assert re.fullmatch(r"demo: \d+ rows \(800 customers, 12 months, seed 3\) written to \S+ in [\d.]+ s\n", demo.stdout)
    assert demo.stderr == ""  # no progress bar when stderr is not a terminal
    full = _cli("refresh", "--source", source, "--db", own_url)
    assert full.returncode == 0, full.stderr
    rows = int(re.fullmatch(r"refresh: (\d+) measurements of 23 KPIs \(all months\) computed in \S+ in [\d.]+ s\n",
                            full.stdout).group(1))
    assert rows == len(_measurements(own_url).query("period >= '2023-11'"))
    since = _cli("refresh", "--source", source, "--db", own_url, "--since", "2024-09")
    assert re.fullmatch(r"refresh: \d+ measurements of 23 KPIs \(from 2024-09\) computed in \S+ in [\d.]+ s\n",
                        since.stdout), since.stdout + since.stderr


def test_cli_refresh_from_a_bad_source_fails_with_a_message_and_changes_nothing(own_url, tmp_path):
    before = _measurements(own_url)
    done = _cli("refresh", "--source", f"sqlite:///{tmp_path / 'none.db'}", "--db", own_url)
    assert done.returncode == 1 and "lacks the CRM tables" in done.stderr and "Traceback" not in done.stderr
    done = _cli("refresh", "--source", "postgresql+psycopg://nobody@127.0.0.1:1/none", "--db", own_url)
    assert done.returncode == 1 and done.stderr.startswith("error: Cannot open the database")
    pd.testing.assert_frame_equal(_measurements(own_url), before)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal():
    terminal, pipe = _Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        with TerminalProgress("refresh", stream=stream) as progress:
            for done in range(4):
                progress(done, 3, f"metric {done}")
    assert "refresh" in terminal.getvalue() and "metric 2" in terminal.getvalue()
    assert pipe.getvalue() == ""


def test_core_executemany_writes_the_same_source_as_the_fast_writers(tmp_path, small_tables, monkeypatch):
    """Databases without a bulk path (MySQL, warehouses) get Core executemany: same actuals."""
    fast = source_engine(f"sqlite:///{tmp_path / 'fast.db'}")
    write_source(fast, small_tables)
    monkeypatch.setattr(source_module, "_writer", lambda engine: source_module._write_core)
    core = source_engine(f"sqlite:///{tmp_path / 'core.db'}")
    write_source(core, small_tables)
    for code in ("retention_pct", "revenue", "win_rate_pct", "crm_trained_pct"):
        pd.testing.assert_frame_equal(compute_metric(core, code), compute_metric(fast, code))


def test_a_second_refresh_while_one_runs_exits_with_a_message_and_changes_nothing(own_url):
    before = _measurements(own_url)
    with refresh_module.only_refresh(make_engine(own_url)):  # a refresh of this database is running
        second = _cli("refresh", "--db", own_url)
    assert second.returncode == 1 and "Traceback" not in second.stderr
    assert second.stderr == ("error: Another refresh of this database is running; this one changed nothing. "
                             "Try again when it has finished.\n")
    pd.testing.assert_frame_equal(_measurements(own_url), before)
    assert _cli("refresh", "--db", own_url).returncode == 0  # once it has finished, the next one runs


def test_postgresql_lets_one_refresh_run_at_a_time_across_connections(new_postgres_database):
    url = new_postgres_database()
    first, second = make_engine(url), make_engine(url)  # as two processes would hold
    try:
        with refresh_module.only_refresh(first):
            with pytest.raises(refresh_module.RefreshRunning):
                with refresh_module.only_refresh(second):
                    pass
        with refresh_module.only_refresh(second):  # released: the other one may run now
            pass
    finally:
        first.dispose()
        second.dispose()


def test_a_source_table_missing_a_column_is_refused_by_name(own_url, tmp_path, small_tables):
    engine, before = make_engine(own_url), _measurements(own_url)
    source = source_engine(f"sqlite:///{tmp_path / 'no_revenue.db'}")
    write_source(source, small_tables)
    with source.begin() as connection:
        connection.execute(text("DROP INDEX IF EXISTS ix_crm_order_monthly"))
        connection.execute(text("ALTER TABLE crm_order DROP COLUMN revenue"))
    with pytest.raises(RefreshFailed, match=r"lacks columns the metrics read: crm_order\.revenue;"):
        refresh(engine, source)
    pd.testing.assert_frame_equal(_measurements(own_url), before)


def test_a_refresh_needs_only_the_columns_the_metrics_read(own_url, tmp_path, small_tables):
    """Read off data/metrics.py by hand: orders give revenue, margin and penetration; opportunities' amount
    and every channel are never read, so a source without them refreshes."""
    from data.metrics import columns_read

    needed = columns_read()
    assert needed["crm_order"] == ("cost", "customer_id", "ordered_on", "revenue", "segment")
    assert needed["crm_opportunity"] == ("cost_of_sale", "opened_on", "segment", "won")
    assert "crm_employee" not in needed and "amount" not in needed["crm_opportunity"]
    source = source_engine(f"sqlite:///{tmp_path / 'no_amount.db'}")
    write_source(source, small_tables)
    with source.begin() as connection:
        connection.execute(text("ALTER TABLE crm_opportunity DROP COLUMN amount"))
    assert refresh(make_engine(own_url), source).kpis == 23

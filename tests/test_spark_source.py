"""Apache Spark as the CRM source: the demo written as Parquet folders, every SQL KPI computed with
Spark SQL (local mode) from the metric definitions of data/metrics.py, stored as a DuckDB refresh
stores it, and bad input (tables or columns missing, no Java) refused with one message.

The expected numbers come from another engine: the same generated source refreshed through DuckDB
(itself checked against pandas in tests/test_source.py and tests/test_true_totals.py).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from data import repository, versions
from data.db import DatabaseUnavailable, make_engine
from data.demo.generator import generate_crm
from data.refresh import RefreshFailed, RefreshRunning, compute_actuals, only_refresh, refresh, sql_kpis
from data.source import CRM_TABLES, source_engine, write_source

ROOT = Path(__file__).resolve().parent.parent
LARGE = {"seed": 11, "customers": 20_000}  # the demo's size: 36 months, about 150k orders
KEY = ["kpi_id", "segment", "period"]


@pytest.fixture(scope="module")
def tables():
    return generate_crm(**LARGE)


@pytest.fixture(scope="module")
def sources(spark, tmp_path_factory, tables) -> dict[str, str]:
    """One generated source written twice: a DuckDB file and a folder of Parquet tables for Spark.
    (``spark`` comes first: without Spark the test skips before anything is generated.)"""
    folder = tmp_path_factory.mktemp("sources")
    urls = {"duckdb": f"duckdb:///{folder / 'crm.duckdb'}", "spark": f"spark://{folder / 'lake'}"}
    for url in urls.values():
        engine = source_engine(url)
        write_source(engine, tables)
        engine.dispose()
    return urls


def _copy(url: str, path: Path) -> str:
    """A private copy of the SQLite app database ``url`` (its write-ahead log included)."""
    with sqlite3.connect(url.removeprefix("sqlite:///")) as source, sqlite3.connect(path) as target:
        source.backup(target)
    return f"sqlite:///{path}"


@pytest.fixture(scope="module")
def apps(spark, tmp_path_factory, sqlite_url, sqlite_engine, sources) -> dict[str, str]:
    """Two copies of the seeded demo app, the first refreshed from DuckDB, the second from Spark (all months)."""
    folder = tmp_path_factory.mktemp("apps")
    urls = {}
    for name, source in sources.items():
        urls[name] = _copy(sqlite_url, folder / f"{name}.db")
        refresh(make_engine(urls[name]), source_engine(source))
    return urls


def _stored(url: str) -> pd.DataFrame:
    engine = make_engine(url)
    frame = repository.measurements(engine).sort_values(KEY, ignore_index=True)
    engine.dispose()
    return frame


def _assert_same_actuals(got: pd.DataFrame, want: pd.DataFrame, key: list[str]) -> None:
    got, want = got.sort_values(key, ignore_index=True), want.sort_values(key, ignore_index=True)
    pd.testing.assert_frame_equal(got[key], want[key])
    for column in ("numerator", "denominator", "actual"):
        both = want[column].notna()
        assert (got[column].notna() == both).all(), column
        np.testing.assert_allclose(got.loc[both, column].to_numpy(float), want.loc[both, column].to_numpy(float),
                                   rtol=1e-9, atol=0, err_msg=column)


def test_every_kpi_segment_and_month_from_spark_equals_duckdb(apps):
    duck, spark = _stored(apps["duckdb"]), _stored(apps["spark"])
    assert len(duck) == 23 * 4 * 36  # every SQL KPI of the demo, All and three segments, 36 months
    _assert_same_actuals(spark, duck, KEY)


def test_since_computes_and_replaces_the_same_months_on_spark_as_on_duckdb(apps, sources, tmp_path):
    url = _copy(apps["spark"], tmp_path / "app.db")
    engine = make_engine(url)
    before, version = _stored(url), versions.current(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE measurement SET actual = -1")
    summary = refresh(engine, source_engine(sources["spark"]), since="2025-06")
    after = _stored(url)
    recomputed = after["period"] >= "2025-06"
    assert set(after.loc[recomputed, "period"]) == {str(p) for p in pd.period_range("2025-06", "2026-10", freq="M")}
    assert summary.rows == recomputed.sum() and summary.kpis == 23
    kpis, segments = sql_kpis(engine)
    duck = compute_actuals(source_engine(sources["duckdb"]), kpis, segments, since="2025-06")
    duck["segment"] = duck["segment_id"].map({number: name for name, number in segments.items()})
    _assert_same_actuals(after[recomputed].reset_index(drop=True), duck[after.columns], KEY)
    _assert_same_actuals(after[recomputed].reset_index(drop=True), before[recomputed].reset_index(drop=True), KEY)
    assert (after.loc[~recomputed, "actual"] == -1).all()
    entry = repository.audit_log(engine).iloc[0]
    assert entry["action"] == "refresh" and entry["new"]["source"] == "spark lake"
    assert entry["new"]["since"] == "2025-06" and entry["new"]["rows"] == summary.rows
    assert versions.current(engine)["scorecard"] > version["scorecard"]


def test_a_spark_refresh_waits_for_no_one_while_another_runs(apps, sources, tmp_path):
    url = _copy(apps["spark"], tmp_path / "app.db")
    engine, before = make_engine(url), _stored(url)
    with only_refresh(engine), pytest.raises(RefreshRunning):
        refresh(engine, source_engine(sources["spark"]))
    pd.testing.assert_frame_equal(_stored(url), before)


def test_parquet_folders_hold_one_table_each_with_the_models_columns(sources, tables):
    folder = Path(sources["spark"].removeprefix("spark://"))
    assert sorted(p.name for p in folder.iterdir()) == sorted(table.name for table in CRM_TABLES)
    for table in CRM_TABLES:
        read = pq.read_table(folder / table.name)
        assert read.column_names == [column.name for column in table.columns], table.name
        assert read.num_rows == len(tables[table]), table.name
    orders = pq.read_table(folder / "crm_order").schema
    assert str(orders.field("ordered_on").type) == "date32[day]" and str(orders.field("revenue").type) == "double"


# Bad input: one message naming what is missing, nothing stored.

def _lake_without(folder: Path, lake: Path, table: str, column: str | None = None) -> str:
    """A copy of the Parquet source ``lake`` without ``table``, or without one ``column`` of it."""
    shutil.copytree(lake, folder)
    if column is None:
        shutil.rmtree(folder / table)
    else:
        read = pq.read_table(lake / table)
        shutil.rmtree(folder / table)
        (folder / table).mkdir()
        pq.write_table(read.drop_columns([column]), folder / table / "part-0.parquet")
    return f"spark://{folder}"


def test_a_folder_without_the_crm_tables_is_refused_by_name(sources, own_url, tmp_path):
    engine, before = make_engine(own_url), _stored(own_url)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(RefreshFailed, match=r"lacks the CRM tables \(crm_campaign, crm_customer"):
        refresh(engine, source_engine(f"spark://{empty}"))
    lake = Path(sources["spark"].removeprefix("spark://"))
    partial = _lake_without(tmp_path / "partial", lake, "crm_ticket")
    with pytest.raises(RefreshFailed) as raised:
        refresh(engine, source_engine(partial))
    assert "lacks the CRM tables (crm_ticket)" in str(raised.value)
    pd.testing.assert_frame_equal(_stored(own_url), before)


def test_a_table_missing_a_column_is_refused_by_name(sources, own_url, tmp_path):
    engine, before = make_engine(own_url), _stored(own_url)
    lake = Path(sources["spark"].removeprefix("spark://"))
    source = _lake_without(tmp_path / "lake", lake, "crm_order", "revenue")
    with pytest.raises(RefreshFailed) as raised:
        refresh(engine, source_engine(source))
    assert "lacks columns the metrics read: crm_order.revenue" in str(raised.value)
    pd.testing.assert_frame_equal(_stored(own_url), before)


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scorecard", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, env={**os.environ, "SPARK_MASTER": "local[2]", **env})


def test_cli_demo_and_refresh_on_spark_then_bad_input_exits_1(spark, sources, own_url, tmp_path):
    """The README's commands: a demo source written as Parquet, refreshed with Spark; then a folder without
    the tables, a table without a column, and a Spark that cannot start (no Java) exit 1 with one line."""
    lake = tmp_path / "crm"
    demo = _cli("demo", "--customers", "500", "--months", "6", "--seed", "3", "--source", f"spark://{lake}")
    assert demo.returncode == 0, demo.stderr
    assert demo.stdout.startswith("demo: ") and f"written to spark://{lake}" in demo.stdout
    done = _cli("refresh", "--source", f"spark://{lake}", "--db", own_url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("refresh: ") and " measurements of 23 KPIs (all months) computed in spark" in done.stdout
    before = _stored(own_url)
    assert set(before["period"]) >= {str(p) for p in pd.period_range("2023-11", periods=6, freq="M")}

    empty = tmp_path / "empty"
    empty.mkdir()
    bad = _cli("refresh", "--source", f"spark://{empty}", "--db", own_url)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert bad.stderr.startswith("error: The CRM source spark://") and "lacks the CRM tables (crm_campaign" in bad.stderr
    no_column = _lake_without(tmp_path / "no_column", lake, "crm_survey", "score")
    bad = _cli("refresh", "--source", no_column, "--db", own_url)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert "lacks columns the metrics read: crm_survey.score" in bad.stderr
    no_java = _cli("refresh", "--source", f"spark://{lake}", "--db", own_url, JAVA_HOME=str(tmp_path / "no-java"),
                   PATH=f"{tmp_path / 'bin'}:{Path(sys.executable).parent}")
    assert no_java.returncode == 1 and "Traceback" not in no_java.stderr, no_java.stderr
    assert no_java.stderr.startswith("error: Spark cannot start: no Java runtime"), no_java.stderr
    assert str(tmp_path / "no-java") in no_java.stderr
    pd.testing.assert_frame_equal(_stored(own_url), before)


def test_without_java_spark_is_refused_before_it_starts(monkeypatch, tmp_path):
    """In process: no JVM is launched (its launcher would fail with a page of text)."""
    from data import spark_source

    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "no-java"))
    with pytest.raises(DatabaseUnavailable, match="Spark cannot start: no Java runtime"):
        spark_source.check_java()
    monkeypatch.delenv("JAVA_HOME")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(DatabaseUnavailable, match="no java on PATH"):
        spark_source.check_java()


WITHOUT_PYSPARK = """
import runpy, sys
sys.modules["pyspark"] = sys.modules["sqlglot"] = None  # as if not installed: importing them fails
sys.argv = ["scorecard", *sys.argv[1:]]
runpy.run_module("scorecard", run_name="__main__")
"""


def test_without_pyspark_the_cli_writes_a_spark_source_and_its_refresh_says_what_to_install(own_url, tmp_path):
    """No spark marker: this runs everywhere, pyspark or not (it is blocked in the subprocess)."""
    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", WITHOUT_PYSPARK, *args], cwd=ROOT, capture_output=True,
                              text=True, timeout=300)

    before = _stored(own_url)
    lake = f"spark://{tmp_path / 'crm'}"
    demo = run("demo", "--customers", "200", "--months", "3", "--source", lake)
    assert demo.returncode == 0 and demo.stdout.startswith("demo: "), demo.stderr
    assert sorted(p.name for p in (tmp_path / "crm").iterdir()) == sorted(table.name for table in CRM_TABLES)
    done = run("refresh", "--source", lake, "--db", own_url)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr == ("error: Spark cannot start: pyspark or sqlglot is not installed "
                           "(pip install -r requirements-spark.txt).\n")
    pd.testing.assert_frame_equal(_stored(own_url), before)

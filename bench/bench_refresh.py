"""Refresh at scale: demo source generation, full and incremental refresh on DuckDB, PostgreSQL,
SQLite and Apache Spark, against the hand-written DuckDB queries of bench/duckdb_baseline.sql.

    python bench/bench_refresh.py --customers 20000 200000 1000000 --engines duckdb postgresql sqlite
    python bench/bench_refresh.py --customers 1000000 --engines duckdb spark   # Spark: local[2] unless SPARK_MASTER

Spark (``spark:///FOLDER``, Parquet folders, requirements-spark.txt) runs in local mode on this
machine; its driver is started (and timed) before the refresh runs, so the refresh times do not
include the JVM's start.

For each size the source is generated once (``generate_crm``, timed), written into each engine
in bulk (``write_source``, timed), then refreshed into a seeded SQLite app database: the full
refresh (every SQL KPI, all months, stored in one transaction), the queries alone, and an
incremental refresh of the last month (``--since``). On DuckDB the hand-written baseline runs on
the same file, is checked against the metrics (same active customers, retention and revenue),
and the ratio metrics/baseline is printed. Times are the best of ``--repeat`` runs. PostgreSQL
sources are throw-away databases on ``--postgres`` (dropped at the end). An engine whose load
plus refresh would pass ``--budget`` seconds is skipped for larger sizes.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import best_of, machine  # noqa: E402
from data.bootstrap import prepare_database  # noqa: E402
from data.demo.generator import generate_crm, months  # noqa: E402
from data.metrics import compute_metric  # noqa: E402
from data.refresh import compute_actuals, refresh, sql_kpis  # noqa: E402
from data.source import source_engine, write_source  # noqa: E402

BASELINE = (Path(__file__).parent / "duckdb_baseline.sql").read_text()
STATEMENTS = [part for part in BASELINE.split("\n;") if "SELECT" in part]


def baseline(engine) -> list[pd.DataFrame]:
    """Run every hand-written query on the DuckDB source (its native connection); results as frames."""
    with engine.connect() as connection:
        duck = connection.connection.driver_connection
        return [duck.execute(statement).df() for statement in STATEMENTS]


def check_baseline(engine) -> None:
    """The baseline computes the same numbers as the metrics (else the ratio would mean nothing)."""
    results = baseline(engine)
    customers = results[-1].assign(period=lambda f: f["month"].dt.strftime("%Y-%m"))
    retention = compute_metric(engine, "retention_pct").merge(customers, on=["segment", "period"])
    assert len(retention) == len(customers)
    assert (retention["denominator"] == retention["active"]).all() and (retention["numerator"] == retention["retained"]).all()
    orders = results[0].assign(period=lambda f: f["month"].dt.strftime("%Y-%m"))
    revenue = compute_metric(engine, "revenue").merge(orders, on=["segment", "period"])
    assert len(revenue) == len(orders)
    np.testing.assert_allclose(revenue["numerator"], revenue["revenue"], rtol=1e-9)


def _postgres_url(server: str) -> tuple[str, callable]:
    admin = create_engine(make_url(server).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    name = f"crm_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(server).set(drivername="postgresql+psycopg", database=name).render_as_string(False), drop


def _start_spark() -> float:
    """Start the Spark driver (local[2], a 2 GB driver unless SPARK_MASTER / SPARK_DRIVER_MEMORY say otherwise)."""
    os.environ.setdefault("SPARK_MASTER", "local[2]")
    os.environ.setdefault("SPARK_DRIVER_MEMORY", "2g")
    from data.spark_source import spark_session

    started = time.perf_counter()
    spark_session()
    return time.perf_counter() - started


def measure(engine_name: str, url: str, tables, app, repeat: int) -> dict[str, float]:
    source = source_engine(url)
    load = write_source(source, tables).seconds
    start = _start_spark() if engine_name == "spark" else None
    kpis, segments = sql_kpis(app)
    last = str(months()[-1])
    row = {"load": load,
           "refresh": best_of(lambda: refresh(app, source), repeat),
           "queries": best_of(lambda: compute_actuals(source, kpis, segments), repeat),
           "incremental": best_of(lambda: refresh(app, source, since=last), repeat)}
    if engine_name == "duckdb":
        check_baseline(source)
        row["baseline"] = best_of(lambda: baseline(source), repeat)
    if start is not None:
        row["start"] = start
    source.dispose()
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, nargs="+", default=[20_000, 200_000, 1_000_000])
    parser.add_argument("--engines", nargs="+", default=["duckdb", "postgresql", "sqlite"])
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--folder", default=None, help="where SQLite and DuckDB sources go (default: a temp folder)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--budget", type=float, default=600.0, help="seconds an engine may take per size")
    args = parser.parse_args()
    folder = Path(args.folder or tempfile.mkdtemp(prefix="crm-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(machine())
    app = prepare_database(f"sqlite:///{folder / 'app.db'}")
    skipped: set[str] = set()
    for customers in args.customers:
        started = time.perf_counter()
        tables = generate_crm(customers=customers)
        generation = time.perf_counter() - started
        rows = sum(len(frame) for frame in tables.values())
        print(f"\n{customers:,} customers: {rows:,} source rows ({len(months())} months), generated in {generation:.1f} s")
        for name in args.engines:
            if name in skipped:
                print(f"  {name}: skipped (over the budget at a smaller size)")
                continue
            drop = None
            if name == "postgresql":
                url, drop = _postgres_url(args.postgres)
            elif name == "spark":
                url = f"spark://{folder / f'crm_{customers}_parquet'}"
            else:
                url = f"{name}:///{folder / f'crm_{customers}.{name}'}"
            started = time.perf_counter()
            try:
                row = measure(name, url, tables, app, args.repeat if customers < 1_000_000 else 1)
            finally:
                if drop:
                    drop()
            if time.perf_counter() - started > args.budget:
                skipped.add(name)
            line = (f"  {name}: load {row['load']:.1f} s, full refresh {row['refresh']:.2f} s "
                    f"(queries {row['queries']:.2f} s), incremental (last month) {row['incremental']:.2f} s")
            if "start" in row:
                line += f", Spark driver start {row['start']:.1f} s (not in the refresh times)"
            if "baseline" in row:
                line += (f", hand-written baseline {row['baseline']:.2f} s, ratio queries/baseline "
                         f"{row['queries'] / row['baseline']:.2f}, full refresh/baseline {row['refresh'] / row['baseline']:.2f}")
            print(line, flush=True)


if __name__ == "__main__":
    main()

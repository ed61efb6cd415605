"""Imports at the speed of the database (issue #21): 300,000 measurement rows (200 KPIs × 5 segments ×
300 months, 2000-01 … 2024-12) read, validated and saved in one transaction, on SQLite and PostgreSQL.

    python bench/bench_import.py [--kpis 200] [--segments 5] [--months 300] [--engines sqlite postgresql]

For each engine a fresh database gets the KPI file (200 KPIs, each with a target per segment) and
its segments; then the measurements CSV is imported twice: first every row is new (inserts), then
every actual has changed (updates, with the overwritten values kept in the one audit entry). Each
import is timed as the app runs it: ``read_table`` → ``validate_measurements`` → ``save_import``.
PostgreSQL databases are throw-away databases on ``--postgres`` (dropped at the end).
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import machine  # noqa: E402
from data.bootstrap import prepare_database  # noqa: E402
from data.imports import kpi_names, save_import, segment_names  # noqa: E402
from data.models import AuditLog, Measurement, Segment  # noqa: E402
from data.writes import SYSTEM_USER, write_session  # noqa: E402
from scorecard.io.importer import read_table, validate_kpis, validate_measurements  # noqa: E402


def files(kpis: int, segments: int, months: int, shift: float) -> tuple[bytes, bytes]:
    """The KPI file and a measurements CSV (every actual offset by ``shift``)."""
    names = [f"Segment {s}" for s in range(1, segments)] + ["All"]
    kpi_lines = ["perspective,objective,kpi,unit,direction,target,weight,segment"]
    kpi_lines += [f"P{k % 4},O{k % 20},KPI {k:03d},count,higher,100,1,{segment}" for k in range(kpis) for segment in names]
    periods = [f"{2000 + m // 12}-{m % 12 + 1:02d}" for m in range(months)]
    rows = ["kpi,period,actual,segment"]
    rows += [f"KPI {k:03d},{period},{(k * 7 + i) % 997 + shift},{segment}"
             for k in range(kpis) for segment in names for i, period in enumerate(periods)]
    return "\n".join(kpi_lines).encode() + b"\n", "\n".join(rows).encode() + b"\n"


def timed_import(engine, data: bytes) -> dict[str, float]:
    times, start = {}, time.perf_counter()
    table = read_table(io.BytesIO(data), "MEASUREMENTS.csv")
    times["read"] = time.perf_counter() - start
    clean = validate_measurements(table, "MEASUREMENTS.csv", kpi_names(engine), segment_names(engine))
    times["validate"] = time.perf_counter() - start - times["read"]
    save_import(engine, SYSTEM_USER, None, clean)
    times["total"] = time.perf_counter() - start
    times["save"] = times["total"] - times["read"] - times["validate"]
    return times


def run(url: str, args) -> None:
    engine = prepare_database(url, seed_demo=False)
    kpi_file, first = files(args.kpis, args.segments, args.months, 0.0)
    _, second = files(args.kpis, args.segments, args.months, 0.5)
    with write_session(engine, SYSTEM_USER, "scorecard.edit") as writer:
        for s in range(1, args.segments):
            writer.create(Segment, {"name": f"Segment {s}", "position": s})
    kpis = validate_kpis(read_table(io.BytesIO(kpi_file), "KPIS.csv"), "KPIS.csv")
    save_import(engine, SYSTEM_USER, kpis, None)
    rows = args.kpis * args.segments * args.months
    print(f"  {engine.dialect.name}: {rows:,} rows, {len(first) / 1e6:.1f} MB CSV")
    for label, data in (("first import (inserts)", first), ("re-import, every actual changed (updates)", second)):
        times = timed_import(engine, data)
        print(f"    {label}: total {times['total']:.1f} s (read {times['read']:.1f} s, validate "
              f"{times['validate']:.1f} s, save {times['save']:.1f} s)")
    with engine.connect() as connection:
        stored = connection.scalar(select(func.count()).select_from(Measurement))
        entries = connection.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "import"))
    print(f"    stored measurements: {stored:,}; import audit entries: {entries}")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kpis", type=int, default=200)
    parser.add_argument("--segments", type=int, default=5)
    parser.add_argument("--months", type=int, default=300)
    parser.add_argument("--engines", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    print(machine())
    for name in args.engines:
        if name == "sqlite":
            with tempfile.TemporaryDirectory() as folder:
                run(f"sqlite:///{folder}/bench_import.db", args)
            continue
        server = make_url(args.postgres)
        database = f"bench_import_{uuid.uuid4().hex[:8]}"
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{database}"'))
        try:
            run(server.set(database=database).render_as_string(hide_password=False), args)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()

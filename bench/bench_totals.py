"""True totals at scale: a synthetic CRM source refreshed through the command line, then every
month's stored All revenue and new-customer count compared with a plain SUM / COUNT run on the
source itself (not through data/metrics.py).

    python bench/bench_totals.py --customers 1000000

Steps, each timed: ``python -m scorecard demo --customers N --source duckdb:///…`` (the source),
``python -m scorecard refresh --source … --db sqlite:///…`` (a new demo app database, its KPIs
recomputed from the big source), then the comparison. Exits non-zero when any month differs.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import machine  # noqa: E402
from data.bootstrap import prepare_database  # noqa: E402

PLAIN = {  # the source's own arithmetic: one month's sum of order revenue ($k) and count of acquisitions
    "revenue": "SELECT strftime(ordered_on, '%Y-%m') AS period, SUM(revenue) / 1000.0 AS truth FROM crm_order GROUP BY 1",
    "new_customers": "SELECT strftime(acquired_on, '%Y-%m') AS period, COUNT(*) AS truth FROM crm_customer "
                     "WHERE acquired_on >= (SELECT MIN(month_start) FROM crm_month) GROUP BY 1",
}
STORED = ("SELECT m.period, m.actual FROM measurement m JOIN kpi k ON k.id = m.kpi_id "
          "JOIN segment s ON s.id = m.segment_id WHERE s.name = 'All' AND k.metric = :metric")


def _timed(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "scorecard", *args], cwd=ROOT, check=True)
    return time.perf_counter() - start


def compare(source_url: str, app_url: str) -> dict[str, tuple[int, int, float]]:
    """Per metric: (months matching, months compared, largest relative difference)."""
    source, app = create_engine(source_url), create_engine(app_url)
    out = {}
    for metric, sql in PLAIN.items():
        with source.connect() as connection:
            truth = pd.read_sql(text(sql), connection)
        with app.connect() as connection:
            stored = pd.read_sql(text(STORED), connection, params={"metric": metric})
        both = truth.merge(stored, on="period")
        relative = ((both["actual"] - both["truth"]).abs() / both["truth"].abs()).fillna(0)
        out[metric] = (int((relative <= 1e-9).sum()), len(truth), float(relative.max()))
    source.dispose()
    app.dispose()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    args = parser.parse_args()
    print(machine())
    with tempfile.TemporaryDirectory() as folder:
        source_url, app_url = f"duckdb:///{folder}/crm.duckdb", f"sqlite:///{folder}/app.db"
        print(f"demo source, {args.customers:,} customers: {_timed('demo', '--customers', str(args.customers), '--source', source_url):.1f} s")
        start = time.perf_counter()
        prepare_database(app_url).dispose()
        print(f"new demo app database: {time.perf_counter() - start:.1f} s")
        print(f"refresh into the app database: {_timed('refresh', '--source', source_url, '--db', app_url):.1f} s")
        results = compare(source_url, app_url)
    for metric, (matching, months, worst) in results.items():
        print(f"{metric}: All equals the plain total in {matching} of {months} months (largest relative difference {worst:.1e})")
    return 0 if all(matching == months for matching, months, _ in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: the Scorecard page with 60 KPIs × 36 months × 4 segments.

Measures, under Streamlit's AppTest in one process, the page script's warm rerun and the
rerun after changing the period and the segment (a cache miss for that period/segment).
Run: python bench/bench_scorecard.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import machine, open_page, summary, timed  # noqa: E402
from data.demo.catalog import DEMO_SEGMENTS, DEMO_USERS  # noqa: E402
from data.bootstrap import prepare_database  # noqa: E402
from data.models import Measurement, Target  # noqa: E402
from data.repository import create_scorecard, scorecard_definition, segments  # noqa: E402

N_KPIS, N_MONTHS = 60, 36
PAGE = "screens/scorecard.py"


def synthetic_definition() -> list[dict]:
    """Six perspectives × two objectives × five KPIs, mixed aggregation rules."""
    rules = ["sum", "ratio", "mean", "last", "ratio"]
    return [{"name": f"Perspective {p}", "name_fa": None, "weight": 1.0, "objectives": [
        {"name": f"Objective {p}.{o}", "name_fa": None, "kpis": [
            {"name": f"KPI {p}.{o}.{k}", "name_fa": None, "unit": "%", "direction": "higher" if k % 2 else "lower",
             "aggregation": rules[k], "owner": "Owner", "weight": 1.0} for k in range(5)]}
        for o in range(2)]} for p in range(6)]


def fill(engine) -> None:
    create_scorecard(engine, DEMO_SEGMENTS, synthetic_definition(), [], DEMO_USERS)
    kpis = scorecard_definition(engine)["kpi_id"].to_numpy()
    segment_ids = segments(engine)["id"].to_numpy()
    months = pd.period_range("2023-11", periods=N_MONTHS, freq="M").strftime("%Y-%m")
    rng = np.random.default_rng(1)
    grid = pd.MultiIndex.from_product([kpis, segment_ids, months], names=["kpi_id", "segment_id", "period"]).to_frame(index=False)
    grid["denominator"] = rng.integers(500, 5000, len(grid)).astype(float)
    grid["numerator"] = np.round(grid["denominator"] * rng.uniform(0.2, 0.9, len(grid)))
    grid["actual"] = 100 * grid["numerator"] / grid["denominator"]
    targets = grid.groupby(["kpi_id", "segment_id"], as_index=False)["actual"].mean().rename(columns={"actual": "value"})
    with engine.begin() as connection:
        connection.execute(Measurement.__table__.insert(), grid.astype(object).to_dict("records"))
        connection.execute(Target.__table__.insert(), targets.assign(period=None, amber=0.1).astype(object).to_dict("records"))
    assert len(grid) == N_KPIS * len(segment_ids) * N_MONTHS


def main() -> None:
    print(machine())
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        engine = prepare_database(url, seed_demo=False)
        fill(engine)
        at = open_page(url, PAGE)
        warm = [timed(at) for _ in range(10)]
        periods = at.selectbox(key="scorecard_period_gregorian_month").options
        segment_box = at.selectbox(key="scorecard_segment")
        changes = []
        for i in range(1, 9):
            at.selectbox(key="scorecard_period_gregorian_month").set_value(periods[i])
            changes.append(timed(at))
            segment_box = at.selectbox(key="scorecard_segment")
            segment_box.set_value(segment_box.options[i % len(segment_box.options)])
            changes.append(timed(at))
    print(f"scorecard page, {N_KPIS} KPIs x {N_MONTHS} months x 4 segments")
    print(f"  warm rerun: {summary(warm)}")
    print(f"  change period or segment (uncached): {summary(changes)}")


if __name__ == "__main__":
    main()

"""Benchmark: the SPC studio page charting one KPI with 5,000 monthly points.

Builds a database with one manual KPI holding 5,000 consecutive monthly actuals ("1600-01" …
"2016-08") for segment All, selects it in the studio (data source "kpi") and times, under
Streamlit's AppTest in one process, the page script's warm rerun and the rerun after changing
the run-rule selectbox. Outside Streamlit it times the engine (``control_chart`` I-MR with the
chosen rules), the figure builder (``control_chart_figure``) and the figure's JSON (what
``st.plotly_chart`` sends) on the same 5,000 points, to show how much is the engine vs the page.

Run: python bench/bench_spc_studio.py   (add --profile for the top functions of a warm rerun)
"""

from __future__ import annotations

import cProfile
import io
import json
import pstats
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import plotly
import plotly.io as pio

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from bench.timing import best_of, machine, open_page, summary, timed  # noqa: E402
from data.demo.catalog import DEMO_SEGMENTS, DEMO_USERS  # noqa: E402
from data.bootstrap import prepare_database  # noqa: E402
from data.models import Measurement  # noqa: E402
from data.repository import create_scorecard, scorecard_definition, segments  # noqa: E402
from sixsigma import control_chart, control_chart_figure  # noqa: E402

N_POINTS = 5_000
FIRST_MONTH = "1600-01"
PAGE = "screens/spc_studio.py"
RULES = ["nelson", "western_electric", "none"]


def definition() -> list[dict]:
    """One perspective, one objective, one manual KPI (mean of months: charted as individuals)."""
    return [{"name": "Process", "name_fa": None, "weight": 1.0, "objectives": [
        {"name": "Stable process", "name_fa": None, "kpis": [
            {"name": "Cycle time", "name_fa": None, "unit": "days", "direction": "lower",
             "aggregation": "mean", "owner": "Owner", "weight": 1.0}]}]}]


def months() -> list[str]:
    return pd.period_range(FIRST_MONTH, periods=N_POINTS, freq="M").strftime("%Y-%m").tolist()


def values() -> np.ndarray:
    """Normal noise around 20 with a small shift in the last fifth, so a few rules fire."""
    x = np.random.default_rng(5000).normal(20.0, 2.0, N_POINTS)
    x[-N_POINTS // 5:] += 1.0
    return np.round(x, 3)


def fill(engine) -> int:
    """Create the scorecard and the KPI's 5,000 monthly actuals for All; return the KPI's id."""
    create_scorecard(engine, DEMO_SEGMENTS, definition(), [], DEMO_USERS)
    kpi_id = int(scorecard_definition(engine)["kpi_id"].iloc[0])
    table = segments(engine)
    segment_all = int(table.loc[table["name"] == "All", "id"].iloc[0])
    rows = [{"kpi_id": kpi_id, "segment_id": segment_all, "period": p, "actual": float(v),
             "numerator": None, "denominator": None} for p, v in zip(months(), values(), strict=True)]
    with engine.begin() as connection:
        connection.execute(Measurement.__table__.insert(), rows)
    return kpi_id


def charted_points(at: AppTest) -> int:
    """Points in the studio's control chart (x of the first trace), to check the page drew all 5,000."""
    chart = next(e for e in at.get("plotly_chart") if "spc_chart" in e.proto.id)
    figure = json.loads(chart.proto.spec)
    return len(figure["data"][0]["x"])


def engine_vs_figure() -> None:
    x, labels = values(), months()
    control_chart(x[:100], "i_mr")  # warm-up
    print(f"outside Streamlit, {N_POINTS:,} points, best of 7:")
    for rules in RULES:
        chart = best_of(lambda r=rules: control_chart(x, "i_mr", rules=r))
        print(f"  control_chart(i_mr, rules={rules}): {chart * 1000:.1f} ms")
    chartset = control_chart(x, "i_mr", rules="nelson")
    figure_time = best_of(lambda: control_chart_figure(chartset, labels=labels, title="Cycle time"))
    figure = control_chart_figure(chartset, labels=labels, title="Cycle time")
    json_time = best_of(lambda: pio.to_json(figure, validate=False))
    signals = sum(len(c.signals) for c in chartset.charts)
    print(f"  control_chart_figure (nelson, {signals} signals): {figure_time * 1000:.1f} ms")
    print(f"  figure to JSON (plotly.io.to_json, validate=False): {json_time * 1000:.1f} ms")


def profile_rerun(at: AppTest, runs: int = 5) -> None:
    """cProfile the page script over a few warm reruns (AppTest runs the script in its own thread)."""
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    profiler = cProfile.Profile()
    original = LocalScriptRunner._run_script_thread

    def profiled(self) -> None:
        profiler.enable()
        try:
            original(self)
        finally:
            profiler.disable()

    LocalScriptRunner._run_script_thread = profiled
    try:
        for _ in range(runs):
            at.run()
    finally:
        LocalScriptRunner._run_script_thread = original
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    print(f"profile of {runs} warm reruns (script thread), by cumulative time:")
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(15)
    print(out.getvalue())


def main() -> None:
    print(f"{machine()}, NumPy {np.__version__}, Plotly {plotly.__version__}")
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        engine = prepare_database(url, seed_demo=False)
        kpi_id = fill(engine)
        engine.dispose()
        at = open_page(url, PAGE)
        at.segmented_control(key="spc_source").set_value("kpi")
        at.selectbox(key="spc_kpi").set_value(kpi_id)
        at.selectbox(key="spc_segment").set_value("All")
        at.run()  # warm the loaders
        assert not at.exception, at.exception
        points = charted_points(at)
        assert points == N_POINTS, f"the studio charted {points} points, not {N_POINTS}"
        warm = [timed(at) for _ in range(10)]
        changes = []
        for i in range(1, 10):
            at.selectbox(key="spc_rules").set_value(RULES[i % len(RULES)])
            changes.append(timed(at))
        assert at.selectbox(key="spc_rules").value == RULES[9 % len(RULES)]
        if "--profile" in sys.argv:
            profile_rerun(at)
    print(f"SPC studio page, one KPI with {N_POINTS:,} monthly points (segment All, I-MR)")
    print(f"  warm rerun: {summary(warm)}")
    print(f"  change run rules: {summary(changes)}")
    engine_vs_figure()


if __name__ == "__main__":
    main()

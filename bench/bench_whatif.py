"""Benchmark: the What-if page and its engine on a 60-KPI scorecard.

Builds the synthetic scorecard of ``bench_scorecard`` (6 perspectives × 2 objectives × 5 KPIs,
36 months × 4 segments) with 11 cause → effect links between its 12 objectives, opens the
What-if page with all 60 KPIs on sliders and times, under Streamlit's AppTest in one process:
the page's warm rerun and the rerun after a target slider move and after a driver slider move.
AppTest reruns the whole page; in the browser a slider move reruns only the ``playground``
fragment, whose own time is measured too. The page fits the chosen KPIs' forecasts in a
background thread; the bench times that pre-fit and waits for it (as a user reads the page
before moving a slider), then reports a KPI's first target move apart from later moves. Outside Streamlit it times one
scenario evaluation (propagation with 2,000 draws, scoring, comparison) on the same 60 KPIs, and,
on the demo scorecard and strategy map, how long "What would it take?" (goal seek) takes to answer.

Run: python bench/bench_whatif.py
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_scorecard import fill  # noqa: E402
from bench.timing import best_of, machine, open_page, summary, timed  # noqa: E402
from data.bootstrap import prepare_database  # noqa: E402
from data.models import Link  # noqa: E402
from data.repository import objectives, scorecard_definition  # noqa: E402
from data.writes import SYSTEM_USER, write_session  # noqa: E402

PAGE = "screens/whatif.py"
FRAGMENT_SECONDS: list[float] = []


def time_the_fragment() -> None:
    """Record the wall time of every run of the What-if fragment (ui.whatif.panels.playground)."""
    from ui.whatif import panels as page_module

    fragment = page_module.playground

    def timed_fragment(*args, **kwargs):
        start = time.perf_counter()
        try:
            return fragment(*args, **kwargs)
        finally:
            FRAGMENT_SECONDS.append(time.perf_counter() - start)

    page_module.playground = timed_fragment


def moves(at, keys: list[str]) -> tuple[list, list[float]]:
    """Move each slider to an end and back; page run times and the fragment's own times."""
    runs, FRAGMENT_SECONDS[:] = [], []
    for key in keys:
        slider = at.slider(key=key)
        slider.set_value(slider.max)
        runs.append(timed(at))
    return runs, list(FRAGMENT_SECONDS)


def fragment_summary(seconds: list[float]) -> str:
    ordered = sorted(seconds)
    return f"fragment median {ordered[len(ordered) // 2] * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms"


def wait_for_prefit() -> float:
    """Seconds until the page's background forecast fits have finished."""
    start = time.perf_counter()
    for thread in threading.enumerate():
        if thread.name.startswith("prefit"):
            thread.join()
    return time.perf_counter() - start


def add_links(engine) -> None:
    """Each objective drives the next one, and every third one also the one after that (11 links)."""
    ids = objectives(engine)["id"].tolist()
    pairs = [(a, b) for a, b in zip(ids, ids[1:])]
    with write_session(engine, SYSTEM_USER, "scorecard.edit") as writer:
        for cause, effect in pairs[:11]:
            writer.create(Link, {"cause_id": cause, "effect_id": effect, "strength": 0.5})


def inputs(url: str):
    """What the page's loaders hand the engine: definition, measurements, the month's KPI rows (All
    customers) and the strategy map's link effects between headline KPIs, estimated from history."""
    import services
    from data.db import make_engine
    from scorecard import view

    tables = services.read_tables(make_engine(url))
    rows = view.kpi_rows(tables.definition, tables.measurements, tables.targets, "2026-10", "All")
    return tables.definition, tables.measurements, rows, services.link_effects(tables, "All")


def engine_time(url: str) -> float:
    """Seconds for one scenario evaluation on the bench scorecard (loaders' inputs built once)."""
    from scorecard import whatif

    definition, _, rows, effects = inputs(url)
    first = next(iter(whatif.headline_kpis(definition).values()))
    scenario = whatif.Scenario(targets={int(k): float(v) * 1.05 for k, v in zip(rows["kpi_id"], rows["target"])},
                               changes={first: 1.0})
    return best_of(lambda: whatif.evaluate(rows, scenario, effects))


def goal_seek_times(url: str, horizon: int = 3) -> list[tuple[str, float, float]]:
    """For every KPI the strategy map drives: seconds for "What would it take?" to answer a target 10 %
    beyond the official one (80 % chance), with the KPI's forecast already fitted (the page pre-fits it)
    and with the fit included (a KPI nobody had chosen). Returns (KPI, fitted, with the fit)."""
    from scorecard import goalseek, view
    from scorecard.forecast import FIT_HORIZON, predictive

    _, measurements, rows, effects = inputs(url)
    cards = rows.set_index("kpi_id")
    histories = {cause: view.kpi_history(measurements, cause, "All") for cause, _ in effects}
    times = []
    for kpi in sorted({effect for _, effect in effects}):
        card = cards.loc[kpi]
        target = float(card["target"]) * (1.1 if card["direction"] == "higher" else 0.9)
        history = view.kpi_history(measurements, kpi, "All")

        def ask(fitted):
            return goalseek.goal_seek(fitted, horizon, card["direction"], target, kpi, effects, histories)

        start = time.perf_counter()
        fitted = predictive(history.iloc[:-1], FIT_HORIZON)           # another history: no cached fit
        ask(fitted)
        cold = time.perf_counter() - start
        fitted = predictive(history, FIT_HORIZON)
        times.append((str(card["kpi"]), best_of(lambda: ask(fitted)), cold))
    return times


def demo_goal_seek() -> None:
    """Goal-seek timing on the demo scorecard and strategy map."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/demo.db"
        prepare_database(url)
        times = goal_seek_times(url)
    warm, cold = sorted(t for _, t, _ in times), sorted(t for _, _, t in times)
    print(f"goal seek on the demo map ({len(times)} KPIs driven along it, target 10 % beyond the official, 80 % chance):")
    for name, fitted, with_fit in times:
        print(f"  {name}: {fitted * 1000:.0f} ms (forecast fitted, best of 7); {with_fit * 1000:.0f} ms with the fit")
    print(f"  median {warm[len(warm) // 2] * 1000:.0f} ms, max {warm[-1] * 1000:.0f} ms fitted; "
          f"median {cold[len(cold) // 2] * 1000:.0f} ms, max {cold[-1] * 1000:.0f} ms with the fit")


def main() -> None:
    print(machine())
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        engine = prepare_database(url, seed_demo=False)
        fill(engine)
        add_links(engine)
        print(f"engine: one scenario evaluation, 60 KPIs, 11 links, 2,000 draws: {engine_time(url) * 1000:.1f} ms (best of 7)")
        time_the_fragment()
        at = open_page(url, PAGE)
        at.multiselect(key="whatif_kpis").set_value([int(k) for k in scorecard_definition(engine)["kpi_id"]])
        at.run()
        prefit_seconds = wait_for_prefit()
        FRAGMENT_SECONDS.clear()
        warm = [timed(at) for _ in range(10)]
        warm_fragment = list(FRAGMENT_SECONDS)
        targets = [s.key for s in at.slider if s.key.startswith("whatif_target_")][:8]
        drivers = [s.key for s in at.slider if s.key.startswith("whatif_change_")][:8]
        first_moves, first_fragment = moves(at, targets)
        for key in targets:                                    # back to the official values
            at.slider(key=key).set_value(at.slider(key=key).min)
        at.run()
        later_moves, later_fragment = moves(at, targets)
        driver_moves, driver_fragment = moves(at, drivers)
    print(f"what-if page, 60 KPIs on sliders (60 targets, {len(drivers)} drivers); AppTest page runs, fragment runs")
    print(f"  warm rerun: {summary(warm)}; {fragment_summary(warm_fragment)}")
    print(f"  background pre-fit of 60 forecasts finished {prefit_seconds:.1f} s after the page ran")
    print(f"  a KPI's first target move (forecast pre-fitted): {summary(first_moves)}; {fragment_summary(first_fragment)}")
    print(f"  later target moves: {summary(later_moves)}; {fragment_summary(later_fragment)}")
    print(f"  driver moves: {summary(driver_moves)}; {fragment_summary(driver_fragment)}")
    demo_goal_seek()

if __name__ == "__main__":
    main()

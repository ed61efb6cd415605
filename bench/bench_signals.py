"""Benchmark: does ``recent_signal`` cry wolf, and does it find a real step?

Simulates ``--series`` 36-month KPIs per case from fixed seeds: a steady trend (0.25σ a month),
a season (amplitude 2.5σ, random phase), month-to-month dependence (AR(1), φ = 0.6), all three
combined, and white noise; each case once with no special cause and once with a step of 3σ
(random sign) in the last 3 months. σ is the standard deviation of the noise around the pattern
(for AR(1), of its innovations: the part the previous month does not predict; the last column
measures the step in σ of the AR(1) noise itself, σ/√(1 − φ²), the other reading of "σ of the noise"). Prints the share
flagged per case; targets: at most 10 % without a special cause, at least 80 % with the step.
With ``--demo`` it also counts the demo KPIs that signal in October 2026 (All segment).

Run: python bench/bench_signals.py [--series 1000] [--demo]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scorecard.signals import recent_signal  # noqa: E402

MONTHS, RECENT, STEP = 36, 3, 3.0
CASES = {  # name: (trend per month, season amplitude, AR(1) φ), all in units of σ
    "white noise": (0.0, 0.0, 0.0),
    "trend 0.25σ/month": (0.25, 0.0, 0.0),
    "season 2.5σ": (0.0, 2.5, 0.0),
    "AR(1) φ=0.6": (0.0, 0.0, 0.6),
    "trend + season + AR(1)": (0.25, 2.5, 0.6),
}


def simulate(rng: np.random.Generator, trend: float, season: float, phi: float, step: float) -> np.ndarray:
    """One 36-month KPI: level 100 + trend + season + AR(1) noise (σ = 1), plus ``step`` in the last months."""
    t = np.arange(MONTHS)
    shocks = rng.standard_normal(MONTHS + 50)
    noise = np.zeros_like(shocks)
    for i in range(1, len(shocks)):
        noise[i] = phi * noise[i - 1] + shocks[i]
    values = 100 + trend * t + season * np.sin(2 * np.pi * t / 12 + rng.uniform(0, 2 * np.pi)) + noise[50:]
    values[-RECENT:] += step * rng.choice([-1.0, 1.0])
    return values


def rate(case: str, step: float, series: int, seed: int, marginal: bool = False) -> float:
    """Share flagged; ``marginal`` measures the step in σ of the whole noise (AR(1): σ/√(1 − φ²))."""
    rng = np.random.default_rng(seed)
    trend, season, phi = CASES[case]
    step = step / np.sqrt(1 - phi ** 2) if marginal else step
    flagged = sum(recent_signal(simulate(rng, trend, season, phi, step), RECENT).verdict == "signal"
                  for _ in range(series))
    return flagged / series


def demo_count() -> str:
    """How many demo KPIs signal in October 2026, All segment (demo database built in a temp dir)."""
    import tempfile

    from data import bootstrap, repository
    from scorecard.signals import signal_table

    with tempfile.TemporaryDirectory() as folder:
        engine = bootstrap.prepare_database(f"sqlite:///{folder}/bench.db")
        measurements = repository.measurements(engine)
        table = signal_table(measurements, "All", "2026-10")
        engine.dispose()
    counts = table["signal"].value_counts().to_dict()
    return f"demo, All, 2026-10: {counts} of {len(table)} KPIs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=1000)
    parser.add_argument("--demo", action="store_true")
    args = parser.parse_args()
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"{args.series} series per case, {MONTHS} months, recent window {RECENT}, step {STEP}σ")
    print(f"{'case':<26}{'false alarms':>14}{'detected (3σ step)':>20}{'(σ of AR noise)':>17}")
    started = time.perf_counter()
    for number, case in enumerate(CASES):
        quiet = rate(case, 0.0, args.series, seed=1000 + number)
        step = rate(case, STEP, args.series, seed=2000 + number)
        marginal = rate(case, STEP, args.series, seed=2000 + number, marginal=True) if CASES[case][2] else step
        print(f"{case:<26}{quiet:>13.1%}{step:>20.1%}{marginal:>17.1%}", flush=True)
    print(f"time: {time.perf_counter() - started:.1f} s")
    if args.demo:
        print(demo_count())


if __name__ == "__main__":
    main()

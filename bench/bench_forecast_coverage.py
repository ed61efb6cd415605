"""Benchmark: are the forecast's 80 % and 95 % bands and its probability of target calibrated?

For each simulated family (linear trend, 12-month seasonal, random walk, random walk with
drift, AR(1)) it simulates ``--series`` monthly histories of ``--months`` months plus 12 future
months, fits the forecast once per history (horizon 12), and counts how often the realised
value falls inside the nominal 80 % and 95 % bands at horizons 1, 3, 6 and 12; the "exact" rows
average the true probability, given each history, that the band holds the future value (known
in a simulation, and far less noisy than the share of hits). It also checks
``probability_of_target`` against the realised hit rate for a target drawn at random around
the truth (mean predicted probability vs share of hits). Each family's noise, trend, season
and AR coefficient are drawn per series, so the model never sees one fixed process.

Run: python bench/bench_forecast_coverage.py [--series 300] [--months 36] [--workers 2] [--families "AR(1),trend"]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scorecard import predictive  # noqa: E402

FAMILIES = ("trend", "seasonal", "random walk", "random walk + drift", "AR(1)")
HORIZONS = (1, 3, 6, 12)
LEVELS = (0.80, 0.95)


def simulate(family: str, rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``n`` + 12 monthly values of one simulated KPI of the family, and the true conditional mean
    and standard deviation of each of the 12 future months given the first ``n``."""
    total = n + 12
    t = np.arange(total)
    ahead = np.arange(1, 13)
    sd = rng.uniform(0.5, 2.0)
    noise = rng.normal(0, sd, total)
    flat = np.full(12, sd)
    if family == "trend":
        slope = rng.uniform(-0.5, 0.5)
        return 50 + slope * t + noise, 50 + slope * t[n:], flat
    if family == "seasonal":
        amplitude, shift = rng.uniform(2, 8), rng.integers(12)
        season = 50 + amplitude * np.sin(2 * np.pi * (t + shift) / 12)
        return season + noise, season[n:], flat
    if family in ("random walk", "random walk + drift"):
        drift = rng.uniform(-0.5, 0.5) if family == "random walk + drift" else 0.0
        y = 50 + np.cumsum(noise + drift)
        return y, y[n - 1] + drift * ahead, sd * np.sqrt(ahead)
    phi, y = rng.uniform(0.3, 0.8), np.zeros(total)
    y[0] = noise[0] / np.sqrt(1 - phi ** 2)
    for i in range(1, total):
        y[i] = phi * y[i - 1] + noise[i]
    spread = sd * np.sqrt(np.cumsum(phi ** (2 * (ahead - 1))))
    return 50 + y, 50 + phi ** ahead * y[n - 1], spread


def one_series(args: tuple[str, int, int]) -> dict:
    """Coverage indicators, exact conditional coverage and (predicted, hit) pairs of one simulated history.

    The exact coverage of a band is the true probability, given the history, that the future
    value falls inside it: the same expectation as the indicator with far less noise.
    """
    family, n, seed = args
    rng = np.random.default_rng(seed)
    y, truth_mean, truth_sd = simulate(family, rng, n)
    history = pd.Series(y[:n], index=pd.period_range("2023-01", periods=n, freq="M"))
    fitted = predictive(history, 12)
    out = {}
    for level in LEVELS:
        lower, upper = fitted.interval(level)
        for h in HORIZONS:
            out[(level, h)] = bool(lower[h - 1] <= y[n - 1 + h] <= upper[h - 1])
            z = (np.array([lower[h - 1], upper[h - 1]]) - truth_mean[h - 1]) / truth_sd[h - 1]
            out[("exact", level, h)] = float(np.diff(stats.norm.cdf(z))[0])
    h = int(rng.choice(HORIZONS))
    spread = np.std(np.diff(y[:n])) * np.sqrt(h) + 1e-9
    target = y[n - 1 + h] + rng.normal(0, spread)
    out["probability"] = (fitted.probability_at_least(target, h), bool(y[n - 1 + h] >= target))
    return out


def coverage_table(series: int, months: int, workers: int, families: tuple[str, ...] = FAMILIES) -> pd.DataFrame:
    rows = []
    for family in families:
        tasks = [(family, months, 1000 * FAMILIES.index(family) + i) for i in range(series)]
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(one_series, tasks, chunksize=8))
        for kind in ((), ("exact",)):
            for level in LEVELS:
                row = {"family": family, "band": f"{level:.0%}" + (" exact" if kind else "")}
                for h in HORIZONS:
                    row[f"h={h}"] = np.mean([r[(*kind, level, h)] for r in results])
                row["mean h"] = np.mean([r[(*kind, level, h)] for r in results for h in HORIZONS])
                rows.append(row)
        predicted, hit = np.array([r["probability"] for r in results]).T
        rows.append({"family": family, "band": "P(target)", "h=1": predicted.mean(), "h=3": hit.mean(),
                     "mean h": predicted.mean() - hit.mean()})
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=300)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--families", default=",".join(FAMILIES), help="comma-separated subset of: " + ", ".join(FAMILIES))
    args = parser.parse_args()
    families = tuple(f.strip() for f in args.families.split(","))
    unknown = sorted(set(families) - set(FAMILIES))
    if unknown:
        parser.error(f"unknown families: {', '.join(unknown)}")
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    start = time.perf_counter()
    table = coverage_table(args.series, args.months, args.workers, families)
    print(f"{args.series} series per family, {args.months}-month histories, {time.perf_counter() - start:.0f} s")
    print("coverage of the nominal bands (rows 80 %/95 %: share of realised values inside; 'exact': true "
          "conditional probability of the band given the history, averaged); for P(target): h=1 column = mean predicted "
          "probability, h=3 column = share of hits, mean h = their difference")
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))


if __name__ == "__main__":
    main()

"""Benchmark: I-MR chart with all eight Nelson rules on 1,000,000 points vs NumPy sorting.

Run from the project root: ``python bench/bench_spc.py``. Prints the best of several runs
of each, their ratio and the machine; record the numbers in bench/RESULTS.md.
"""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.timing import best_of  # noqa: E402
from sixsigma import control_chart  # noqa: E402

N = 1_000_000
REPEATS = 7


def main() -> None:
    x = np.random.default_rng(20240601).normal(10.0, 1.0, N)
    control_chart(x[:1000], "i_mr")  # warm-up: constants, imports
    chart = best_of(lambda: control_chart(x, "i_mr", rules="nelson"), REPEATS)
    sort = best_of(lambda: np.sort(x), REPEATS)
    signals = sum(len(c.signals) for c in control_chart(x, "i_mr").charts)
    print(f"machine: {platform.platform()} | {platform.processor() or platform.machine()} | "
          f"cpus={os.cpu_count()} | Python {platform.python_version()} | NumPy {np.__version__}")
    print(f"I-MR + Nelson 1-8, {N:,} points: {chart * 1000:.1f} ms (best of {REPEATS}; {signals} signals)")
    print(f"np.sort, {N:,} floats:           {sort * 1000:.1f} ms (best of {REPEATS})")
    print(f"ratio chart/sort: {chart / sort:.2f}")


if __name__ == "__main__":
    main()

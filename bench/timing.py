"""Timing helpers shared by the benchmarks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def best_of(fn: Callable[[], object], repeats: int = 7) -> float:
    """Fastest wall-clock time of ``repeats`` calls, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def timed(at) -> tuple[float, float]:
    """Wall-clock and process CPU seconds of one AppTest script run (CPU shows whether a slow run was load)."""
    start, cpu = time.perf_counter(), time.process_time()
    at.run()
    elapsed, cpu_used = time.perf_counter() - start, time.process_time() - cpu
    assert not at.exception, at.exception
    return elapsed, cpu_used


def summary(runs: list[tuple[float, float]]) -> str:
    """Median and worst wall time, and median CPU time, of timed runs."""
    wall, cpu = [w for w, _ in runs], [c for _, c in runs]
    return (f"median {statistics.median(wall) * 1000:.0f} ms, max {max(wall) * 1000:.0f} ms "
            f"(CPU median {statistics.median(cpu) * 1000:.0f} ms; {len(runs)} runs)")

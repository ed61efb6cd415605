"""Benchmark: first start (create, migrate, generate demo, compute KPIs) and warm page script runs.

Run: python bench/bench_startup.py   (record the output in bench/RESULTS.md with the machine)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import machine, open_page, timed  # noqa: E402
from data.bootstrap import prepare_database  # noqa: E402


def first_start(url: str) -> tuple[float, float]:
    """Wall-clock and process CPU seconds to create, migrate, seed and compute the demo database."""
    start, cpu = time.perf_counter(), time.process_time()
    prepare_database(url).dispose()
    return time.perf_counter() - start, time.process_time() - cpu


def warm_page_runs(url: str, page: str, repeats: int = 10) -> list[tuple[float, float]]:
    """Seconds per script run of a page once its loaders are cached (AppTest, same process)."""
    at = open_page(url, page, timeout=120)
    return [timed(at) for _ in range(repeats)]


def main() -> None:
    print(machine())
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        wall, cpu = first_start(url)
        print(f"first start (create, migrate, generate, compute all KPIs): {wall:.2f} s (CPU {cpu:.2f} s)")
        for page in sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "screens").glob("*.py")):
            try:
                runs = warm_page_runs(url, page)
            except Exception as exc:  # a broken page is reported, the other pages still run
                print(f"warm script run {page}: FAILED {type(exc).__name__}: {str(exc)[:500]}")
                continue
            wall, cpu = [w for w, _ in runs], [c for _, c in runs]
            print(f"warm script run {page}: median {statistics.median(wall) * 1000:.0f} ms, "
                  f"max {max(wall) * 1000:.0f} ms (CPU median {statistics.median(cpu) * 1000:.0f} ms) "
                  f"over {len(runs)} runs")


if __name__ == "__main__":
    main()

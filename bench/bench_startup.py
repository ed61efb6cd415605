"""Benchmark: first start (create, migrate, generate demo, compute KPIs) and warm page script runs.

Run: python bench/bench_startup.py   (record the output in bench/RESULTS.md with the machine)
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from data.db import prepare_database  # noqa: E402


def first_start(url: str) -> float:
    start = time.perf_counter()
    prepare_database(url).dispose()
    return time.perf_counter() - start


def warm_page_runs(url: str, page: str, repeats: int = 10) -> list[float]:
    """Seconds per script run of a page once its loaders are cached (AppTest, same process)."""
    os.environ["DATABASE_URL"] = url
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page(page)
    at.run()  # warm the caches
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
    assert not at.exception, at.exception
    return times


def main() -> None:
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        print(f"first start (create, migrate, generate, compute all KPIs): {first_start(url):.2f} s")
        for page in sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py")):
            runs = warm_page_runs(url, page)
            print(f"warm script run {page}: median {statistics.median(runs) * 1000:.0f} ms, "
                  f"max {max(runs) * 1000:.0f} ms over {len(runs)} runs")


if __name__ == "__main__":
    main()

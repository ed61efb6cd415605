"""Timing helpers shared by the benchmarks: the app opened on a page under AppTest (signed in), timed runs."""

from __future__ import annotations

import logging
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.apptest import sign_in

APP = Path(__file__).resolve().parent.parent / "dashboard.py"
os.environ.setdefault("CRM_DEMO_MODE", "1")  # the benchmarks' databases are demo databases: demo accounts sign in

# AppTest formats widget values (our format_funcs read st.session_state) in the main thread,
# where Streamlit logs "missing ScriptRunContext" hundreds of times; harmless outside
# `streamlit run`, so keep the bench output readable. (A filter: Streamlit resets log levels.)
logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
    lambda record: "missing ScriptRunContext" not in record.getMessage())


def machine() -> str:
    """The line every benchmark prints first: platform, cores, Python and the load at the start."""
    return (f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"load average {os.getloadavg()[0]:.1f}")


def open_page(url: str, page: str, timeout: float = 300, user: str = "admin") -> AppTest:
    """The app on database ``url``, signed in as ``user``, switched to ``page`` and run once more so its
    loaders are cached."""
    os.environ["DATABASE_URL"] = url
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    at.run()
    sign_in(at, user)
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def best_of(fn: Callable[[], object], repeats: int = 7) -> float:
    """Fastest wall-clock time of ``repeats`` calls, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def timed(at: AppTest) -> tuple[float, float]:
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

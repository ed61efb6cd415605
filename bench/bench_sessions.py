"""Many users at once: concurrent browser sessions against one local app server.

    python bench/bench_sessions.py [--sessions 50] [--seconds 60] [--db URL]

Starts ``streamlit run app.py`` on a free port of 127.0.0.1 (the database is created and seeded
first, so the server starts warm), then keeps ``--sessions`` headless Chromium pages (Debian's
``/usr/bin/chromium`` through Playwright, one browser context each, so one Streamlit session
each) loading the scorecard page over and over for ``--seconds`` (at most 600). Each load is
timed from navigation to a rendered scorecard (the KPI table's canvas and the overview metrics
on screen). Prints p50/p95/max, the number of loads and errors, and the server's resident
memory at the start and every 30 s, then stops the server and the browser.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import machine  # noqa: E402
from data.db import prepare_database  # noqa: E402

MAX_SESSIONS, MAX_SECONDS = 100, 600


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB (Linux /proc)."""
    total = 0
    for child in [pid, *_children(pid)]:
        status = Path(f"/proc/{child}/status")
        if status.exists():
            line = next((row for row in status.read_text().splitlines() if row.startswith("VmRSS:")), "VmRSS: 0 kB")
            total += int(line.split()[1])
    return total / 1024


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def start_server(url: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url}
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
                               "--server.address", "127.0.0.1", "--server.port", str(port)],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError("the Streamlit server did not start within 120 s")


async def session(browser, address: str, until: float, times: list[float], errors: list[str]) -> None:
    """One user: a browser context that loads the scorecard again and again until ``until``."""
    context = await browser.new_context(viewport={"width": 1300, "height": 900})
    page = await context.new_page()
    try:
        while time.monotonic() < until:
            started = time.perf_counter()
            try:
                await page.goto(address, timeout=60_000)
                await page.locator("[data-testid='stDataFrame'] canvas").first.wait_for(timeout=60_000)
                await page.locator("[data-testid='stMetric']").first.wait_for(timeout=60_000)
                if await page.locator("[data-testid='stException']").count():
                    errors.append("exception on the page")
                times.append(time.perf_counter() - started)
            except Exception as exc:  # noqa: BLE001 - every failure counts as an error of the run
                errors.append(type(exc).__name__)
    finally:
        await context.close()


async def run(address: str, sessions: int, seconds: float, server: subprocess.Popen) -> None:
    times: list[float] = []
    errors: list[str] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path="/usr/bin/chromium")
        until = time.monotonic() + seconds
        tasks = [asyncio.create_task(session(browser, address, until, times, errors)) for _ in range(sessions)]
        memory = [rss_mb(server.pid)]
        while not all(task.done() for task in tasks):
            await asyncio.sleep(min(30, max(seconds / 4, 1)))
            memory.append(rss_mb(server.pid))
        await asyncio.gather(*tasks)
        await browser.close()
    ordered = sorted(times)
    if ordered:
        p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
        print(f"{sessions} sessions for {seconds:.0f} s: {len(times)} scorecard loads, {len(errors)} errors; "
              f"time to a rendered scorecard p50 {statistics.median(ordered):.2f} s, p95 {p95:.2f} s, "
              f"max {ordered[-1]:.2f} s")
    else:
        print(f"{sessions} sessions: no load finished; errors: {errors[:5]}")
    print("server memory (MB) every sample: " + ", ".join(f"{value:.0f}" for value in memory))
    if errors:
        print("errors: " + ", ".join(sorted(set(errors))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--db", default=None, help="database URL (default: a fresh seeded SQLite file)")
    args = parser.parse_args()
    sessions, seconds = min(args.sessions, MAX_SESSIONS), min(args.seconds, MAX_SECONDS)
    url = args.db or f"sqlite:///{Path(tempfile.mkdtemp(prefix='crm-sessions-')) / 'app.db'}"
    prepare_database(url).dispose()
    print(machine())
    port = free_port()
    server = start_server(url, port)
    try:
        asyncio.run(run(f"http://127.0.0.1:{port}/scorecard", sessions, seconds, server))
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()

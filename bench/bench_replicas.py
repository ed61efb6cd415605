"""1 against 2 replicas behind nginx, 50 sessions through the proxy, and a deep link for a signed-in user.

    python bench/bench_replicas.py --db postgresql+psycopg://postgres@127.0.0.1:5432/postgres
                                   [--sessions 50] [--seconds 40] [--think 5] [--spawn-rate 2]
                                   [--replicas 1 2] [--old /tmp/old-replicas] [--deep-links 5]
                                   [--port 8640]

``--db`` is a PostgreSQL server whose user may create databases; each checkout gets a fresh demo
database there (prepared by its own code, so each runs its own migrations and password hashes),
dropped at the end. For each number of ``--replicas`` and each checkout in turn (this one, then
the one at ``--old`` when given, so both are measured in the same minutes), deploy/replicas.py's
:func:`running` starts the replicas and nginx. One session per replica (on its own port) warms its
caches; then ``--sessions`` websocket protocol sessions (bench/bench_sessions.py's clients) start
through the proxy at ``--spawn-rate`` per second, each signs in once (timed from the submitted
form to the scorecard behind it) and then opens the Overview and the Scorecard (timed) with a
think time of 0.5–1.5 × ``--think`` between, until ``--seconds`` after the ramp-up.
Printed per run: sign-in and steady scorecard p50/p95/max, errors, and the CPU each part used as a
share of the machine (all cores) over the run: the proxy (nginx), the replicas, PostgreSQL (the
backends of the run's database) and the load generator (this process), beside the whole machine's
busy share (other work included).

Then, with the deployment of the most replicas still up: ``--deep-links`` times a new tab opening
``/scorecard`` in Chromium until the scorecard is settled (score strip and table rows, not stale):
with the session cookie of an earlier sign-in (this checkout), or, where a checkout keeps no
sign-in across tabs (the old one), the deep link plus the sign-in it asks for.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from playwright.async_api import async_playwright
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_sessions import RENDERED, USERS, Tally, percentiles, protocol_user  # noqa: E402
from bench.timing import machine  # noqa: E402
from data.demo.catalog import DEMO_PASSWORD  # noqa: E402
from deploy.replicas import Deployment, running  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
CORES = os.cpu_count() or 1


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def tree(pid: int) -> list[int]:
    """A process and all its descendants."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    found = [int(child) for child in children.read_text().split()] if children.exists() else []
    return [pid, *[grandchild for child in found for grandchild in tree(child)]]


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU time of the whole machine so far, in ticks (/proc/stat)."""
    values = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


@dataclass
class CpuMeter:
    """CPU seconds used by the proxy, the replicas, PostgreSQL's backends of one database and this process."""

    deployment: Deployment
    database: str
    server_url: str

    def postgres_pids(self) -> list[int]:
        engine = create_engine(self.server_url)
        with engine.connect() as connection:
            pids = connection.execute(text("SELECT pid FROM pg_stat_activity WHERE datname = :name"),
                                      {"name": self.database}).scalars().all()
        engine.dispose()
        return list(pids)

    def sample(self) -> dict[str, object]:
        times = os.times()
        return {"proxy": sum(cpu_seconds(pid) for pid in tree(self.deployment.nginx.pid)),
                "replicas": sum(cpu_seconds(pid) for process in self.deployment.processes for pid in tree(process.pid)),
                "postgres": {pid: cpu_seconds(pid) for pid in self.postgres_pids()},
                "load generator": times.user + times.system, "machine": machine_busy(), "wall": time.monotonic()}

    @staticmethod
    def shares(before: dict, after: dict) -> str:
        """Each part's CPU as a share of all cores over the interval, and the machine's busy share."""
        capacity = (after["wall"] - before["wall"]) * CORES
        used = {part: after[part] - before[part] for part in ("proxy", "replicas", "load generator")}
        used["postgres"] = sum(seconds - before["postgres"].get(pid, 0.0) for pid, seconds in after["postgres"].items())
        busy = (after["machine"][0] - before["machine"][0]) / max(1, after["machine"][1] - before["machine"][1])
        return ", ".join(f"{part} {100 * seconds / capacity:.1f} %" for part, seconds in used.items()) + \
            f"; whole machine busy {100 * busy:.0f} % (other work included)"


def fresh_database(server_url: str, checkout: Path) -> tuple[str, str]:
    """A new demo database on the server, prepared by ``checkout``'s own code; (name, URL)."""
    name = f"crm_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(server_url).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(server_url).set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)
    subprocess.run([sys.executable, "-c", "import sys; from data.bootstrap import prepare_database; "
                    "prepare_database(sys.argv[1]).dispose()", url], cwd=checkout, check=True,
                   env={**os.environ, "CRM_DEMO_MODE": "1"})
    return name, url


def drop_database(server_url: str, name: str) -> None:
    admin = create_engine(make_url(server_url).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


async def sessions_run(deployment: Deployment, args: argparse.Namespace) -> tuple[Tally, float]:
    """One warm-up session, then ``--sessions`` through the proxy; their tally and when the ramp-up ended."""
    for replica in deployment.replicas:  # a warm-up on each replica's own port: its first session imports the app
        await protocol_user(replica.replace("http://", "ws://") + "/_stcore/stream", USERS[0], 0, 0, Tally())
    address = deployment.proxy.replace("http://", "ws://") + "/_stcore/stream"
    tally = Tally()
    ramp = args.sessions / args.spawn_rate
    start = time.monotonic()
    until = start + ramp + args.seconds
    tasks = []
    for number in range(args.sessions):
        tasks.append(asyncio.create_task(protocol_user(address, USERS[number % len(USERS)], args.think, until, tally)))
        await asyncio.sleep(1 / args.spawn_rate)
    for task in await asyncio.gather(*tasks, return_exceptions=True):
        if isinstance(task, Exception):
            tally.error(f"session: {type(task).__name__}")
    return tally, start + ramp


async def deep_links(deployment: Deployment, count: int, keeps_sign_in: bool) -> list[float]:
    """Seconds from opening /scorecard in a new tab to the settled scorecard, ``count`` times."""
    times = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        context = await browser.new_context(viewport={"width": 1300, "height": 900})
        if keeps_sign_in:  # sign in once; the session cookie signs in every later tab
            page = await context.new_page()
            await page.goto(f"{deployment.proxy}/scorecard")
            await _sign_in(page)
            await page.wait_for_function(RENDERED, arg="meeting_mode", timeout=60_000, polling=50)
            await page.wait_for_timeout(2000)  # the hand-over sets the cookie after the page
            await page.close()
        for _ in range(count):
            page = await context.new_page()
            started = time.perf_counter()
            await page.goto(f"{deployment.proxy}/scorecard")
            if not keeps_sign_in:
                await _sign_in(page)
            await page.wait_for_function(RENDERED, arg="meeting_mode", timeout=60_000, polling=50)
            times.append(time.perf_counter() - started)
            await page.close()
        await browser.close()
    return times


async def _sign_in(page) -> None:
    await page.get_by_label("User name").fill("sara")
    await page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    await page.get_by_role("button", name="Sign in", exact=True).click()


def bench_run(label: str, checkout: Path, database: tuple[str, str], replicas: int, args: argparse.Namespace) -> None:
    """One checkout with ``replicas`` replicas behind the proxy: the sessions, then (most replicas) the deep links."""
    name, url = database
    with running(url, replicas, args.port, app_root=checkout) as deployment:
        meter = CpuMeter(deployment, name, make_url(args.db).set(drivername="postgresql+psycopg")
                         .render_as_string(hide_password=False))
        load_before = os.getloadavg()[0]
        before = meter.sample()
        tally, steady_from = asyncio.run(sessions_run(deployment, args))
        after = meter.sample()
        steady = tally.scorecards(steady_from)
        print(f"{label}, {replicas} replica(s), {args.sessions} sessions, think {args.think:g} s, load average "
              f"{load_before:.1f} → {os.getloadavg()[0]:.1f}\n"
              f"  sign-in {percentiles(tally.sign_in)}\n  scorecard after the ramp-up {percentiles(steady)}; "
              f"during the ramp-up {percentiles(tally.scorecards(steady_from, False))}\n"
              f"  {len(tally.errors)} errors" + (f" ({', '.join(sorted(set(tally.errors)))})" if tally.errors else "")
              + f"\n  CPU: {meter.shares(before, after)}", flush=True)
        if replicas == max(args.replicas) and args.deep_links:
            keeps = (checkout / "data" / "sessions.py").exists()
            times = asyncio.run(deep_links(deployment, args.deep_links, keeps))
            print(f"  deep link to a settled Scorecard in Chromium "
                  f"({'signed in by the session cookie' if keeps else 'plus the sign-in it asks for'}): "
                  f"median {statistics.median(times):.2f} s, max {max(times):.2f} s "
                  f"({', '.join(f'{t:.2f}' for t in times)})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="PostgreSQL server URL whose user may create databases")
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=40, help="work after the ramp-up")
    parser.add_argument("--think", type=float, default=5)
    parser.add_argument("--spawn-rate", type=float, default=2, help="sessions started per second")
    parser.add_argument("--replicas", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--old", type=Path, default=None, help="an older checkout measured the same way, after this one")
    parser.add_argument("--deep-links", type=int, default=5)
    parser.add_argument("--port", type=int, default=8640, help="the proxy's port; the replicas take the next ones")
    args = parser.parse_args()
    args.sessions = max(1, min(args.sessions, 100))
    args.seconds = min(args.seconds, 600)
    os.environ.setdefault("CRM_DEMO_MODE", "1")
    print(machine())
    checkouts = [("this checkout", ROOT)] + ([(f"old ({args.old})", args.old)] if args.old else [])
    databases = [fresh_database(args.db, checkout) for _, checkout in checkouts]
    try:
        for replicas in args.replicas:  # the checkouts in turn for each count: the same minutes
            for (label, checkout), database in zip(checkouts, databases):
                bench_run(label, checkout, database, replicas, args)
    finally:
        for name, _ in databases:
            drop_database(args.db, name)


if __name__ == "__main__":
    main()

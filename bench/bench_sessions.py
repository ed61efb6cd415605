"""Many users at once: concurrent signed-in sessions against one local app server.

    python bench/bench_sessions.py [--sessions 50] [--browsers 3] [--seconds 60] [--think 5]
                                   [--spawn-rate 2] [--sample 30] [--db URL]

Starts ``streamlit run app.py`` on a free port of 127.0.0.1 (the database is created and seeded
first, so the server starts warm) and opens two kinds of session, one Streamlit session each:

- ``--sessions`` light clients that speak Streamlit's own websocket protocol
  (``ws://127.0.0.1:PORT/_stcore/stream``: ``BackMsg`` protobufs in, ``ForwardMsg`` out), so that
  the server, not the client, is what is measured on a small machine;
- ``--browsers`` headless Chromium pages (Debian's ``/usr/bin/chromium`` through Playwright, one
  browser context each), which measure what a person sees.

One session signs in first (it imports the app and fills the shared caches, once per server
start; its time is printed apart); then sessions start at ``--spawn-rate`` per second (as Locust
ramps up its users). Each signs in once as a demo account (timed from submitting the form to the
scorecard behind it; argon2 by design) and then works in the app until ``--seconds`` after the
last session has started: open the Overview, think, open the Scorecard again (timed), think. A
think time is drawn uniformly from 0.5–1.5 × ``--think`` (default 5 s); ``--think 0`` is the
saturation run. A scorecard counts as rendered when its run has finished with the score strip and
the table's rows (protocol), or when the score strip and table rows of the Scorecard page are on
screen and not stale (browser); the
times are reported apart for actions started after the ramp-up and during it (sign-ins running).
Prints the figures per kind of client, the server's resident memory every ``--sample`` seconds
and the load average, then stops the server. Everything stays on 127.0.0.1; at most 100 sessions,
600 s of work and 60 s of ramp-up.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from playwright.async_api import async_playwright
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import machine  # noqa: E402
from data.demo.catalog import DEMO_PASSWORD, DEMO_USERS  # noqa: E402
from data.bootstrap import prepare_database  # noqa: E402

MAX_SESSIONS, MAX_SECONDS, MAX_RAMP = 100, 600, 60
TIMEOUT = 60  # s for one action before it counts as an error
USERS = [user["username"] for user in DEMO_USERS]
RENDERED = """key => {
  const main = document.querySelector("[data-testid='stMain']");
  const fresh = selector => [...(main?.querySelectorAll(selector) ?? [])].some(el => !el.closest("[data-stale='true']"));
  return fresh(`.st-key-${key}`) && fresh("[data-testid='stMetric']") && fresh(".fit-table tbody tr");
}"""
PAGE_KEYS = {"overview": "overview_segment", "scorecard": "meeting_mode"}  # a widget only that page has


@dataclass
class Tally:
    """What one kind of client measured: sign-in times, scorecard times by when they started (s), errors."""

    sign_in: list[float] = field(default_factory=list)
    scorecard: list[tuple[float, float]] = field(default_factory=list)  # (monotonic start, seconds)
    errors: list[str] = field(default_factory=list)

    def error(self, what: str) -> None:
        self.errors.append(what)

    def scorecards(self, steady_from: float, steady: bool = True) -> list[float]:
        """Scorecard times of actions started after (or, ``steady=False``, during) the ramp-up."""
        return [seconds for started, seconds in self.scorecard if (started >= steady_from) == steady]


def percentiles(times: list[float]) -> str:
    """p50, p95 and max of some times, in seconds."""
    if not times:
        return "none finished"
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"p50 {statistics.median(ordered):.2f} s, p95 {p95:.2f} s, max {ordered[-1]:.2f} s ({len(ordered)})"


def think(mean: float) -> float:
    """A think time drawn uniformly from 0.5–1.5 × ``mean`` seconds."""
    return random.uniform(0.5 * mean, 1.5 * mean)


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


@dataclass
class Run:
    """One script run as the client saw it: the kinds of element it drew and whether one was an exception."""

    elements: list[str] = field(default_factory=list)
    tables: int = 0

    @property
    def scorecard(self) -> bool:
        return "metric" in self.elements and self.tables > 0 and "exception" not in self.elements


class ProtocolClient:
    """One Streamlit session over the websocket, as the browser's frontend speaks it."""

    def __init__(self, connection) -> None:
        self.connection = connection
        self.pages: dict[str, str] = {}    # url path → page script hash
        self.widgets: dict[str, str] = {}  # widget key → widget id

    async def rerun(self, page: str, states: list[WidgetState] = ()) -> Run:
        """Ask for a run of ``page`` with these widget states; wait until it has finished."""
        message = BackMsg()
        message.rerun_script.page_script_hash = self.pages.get(page, "")
        message.rerun_script.page_name = "" if page in self.pages else page
        message.rerun_script.widget_states.widgets.extend(states)
        await self.connection.send(message.SerializeToString())
        return await asyncio.wait_for(self._finished(), TIMEOUT)

    async def _finished(self) -> Run:
        run = Run()
        while True:
            reply = ForwardMsg()
            reply.ParseFromString(await self.connection.recv())
            kind = reply.WhichOneof("type")
            if kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in reply.navigation.app_pages}
            elif kind == "delta" and reply.delta.WhichOneof("type") == "new_element":
                self._element(reply.delta.new_element, run)
            elif kind == "script_finished" and reply.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return run

    def _element(self, element, run: Run) -> None:
        kind = element.WhichOneof("type")
        run.elements.append(kind)
        run.tables += kind == "html" and 'class="fit-table"' in element.html.body
        widget_id = getattr(getattr(element, kind), "id", "")
        if widget_id.startswith("$$ID-"):
            self.widgets[widget_id.split("-", 2)[2]] = widget_id

    def sign_in_states(self, user: str) -> list[WidgetState]:
        """The sign-in form's widget states as its submit button sends them."""
        return [WidgetState(id=self.widgets["signin_username"], string_value=user),
                WidgetState(id=self.widgets["signin_password"], string_value=DEMO_PASSWORD),
                WidgetState(id=self.widgets["signin_submit"], trigger_value=True)]


async def timed(action: Callable[[], Awaitable[bool]], times: list, tally: Tally, what: str,
                stamped: bool = False) -> None:
    """Run one user action, append its time (with its start when ``stamped``) when it rendered what it should,
    else count an error."""
    started, clock = time.perf_counter(), time.monotonic()
    try:
        if await action():
            seconds = time.perf_counter() - started
            times.append((clock, seconds) if stamped else seconds)
        else:
            tally.error(f"{what}: not rendered")
    except Exception as exc:  # noqa: BLE001 - every failure counts as an error of the run
        tally.error(f"{what}: {type(exc).__name__}")


async def protocol_user(address: str, user: str, mean_think: float, until: float, tally: Tally) -> None:
    """A user over the websocket protocol: sign in once, then Overview, think, Scorecard (timed), think."""
    origin = address.replace("ws://", "http://").split("/_stcore")[0]
    async with websockets.connect(address, subprotocols=["streamlit"], origin=origin, proxy=None, max_size=None,
                                  open_timeout=TIMEOUT) as connection:
        client = ProtocolClient(connection)
        await client.rerun("scorecard")  # a new session: the sign-in screen
        await timed(lambda: _scorecard(client.rerun("scorecard", client.sign_in_states(user))), tally.sign_in, tally,
                    "sign-in")
        while time.monotonic() < until:
            await timed(lambda: _overview(client.rerun("overview")), [], tally, "overview")
            await asyncio.sleep(think(mean_think))
            await timed(lambda: _scorecard(client.rerun("scorecard")), tally.scorecard, tally, "scorecard", True)
            await asyncio.sleep(think(mean_think))


async def _scorecard(run: Awaitable[Run]) -> bool:
    return (await run).scorecard


async def _overview(run: Awaitable[Run]) -> bool:
    return "exception" not in (await run).elements


async def browser_user(browser, address: str, user: str, mean_think: float, until: float,
                       tally: Tally) -> None:
    """A person in Chromium: sign in once, then click Overview, think, click Scorecard (timed), think."""
    context = await browser.new_context(viewport={"width": 1300, "height": 900})
    page = await context.new_page()
    try:
        await page.goto(f"{address}/scorecard", timeout=TIMEOUT * 1000)
        await page.get_by_label("User name").fill(user)
        await page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
        await timed(lambda: _click_until(page, page.get_by_role("button", name="Sign in", exact=True), "scorecard"),
                    tally.sign_in, tally, "sign-in")
        while time.monotonic() < until:
            await timed(lambda: _open(page, "overview"), [], tally, "overview")
            await asyncio.sleep(think(mean_think))
            await timed(lambda: _open(page, "scorecard"), tally.scorecard, tally, "scorecard", True)
            await asyncio.sleep(think(mean_think))
    finally:
        await context.close()


async def _open(page, path: str) -> bool:
    link = page.locator(f"[data-testid='stSidebarNavLink'][href$='/{path}']")
    return await _click_until(page, link, path)


async def _click_until(page, target, path: str) -> bool:
    """Click, then wait until the page of ``path`` shows its score strip and table (fresh, not stale)."""
    await target.click(timeout=TIMEOUT * 1000)
    await page.wait_for_function(RENDERED, arg=PAGE_KEYS[path], timeout=TIMEOUT * 1000, polling=50)
    return await page.locator("[data-testid='stException']").count() == 0


async def run(port: int, args: argparse.Namespace, server: subprocess.Popen) -> None:
    warm = Tally()  # the first session after a start imports the app and fills the caches: once per server
    await protocol_user(f"ws://127.0.0.1:{port}/_stcore/stream", USERS[0], 0, 0, warm)
    print(f"first session after the start: sign-in and its scorecard {percentiles(warm.sign_in)}"
          + (f"; errors: {warm.errors}" if warm.errors else ""))
    clients = {"protocol": Tally(), "browser": Tally()}
    total = args.sessions + args.browsers
    ramp = total / args.spawn_rate
    start = time.monotonic()
    until = start + ramp + args.seconds  # the same deadline for every session
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path="/usr/bin/chromium") if args.browsers else None
        browsers = {round(i * total / args.browsers) for i in range(args.browsers)}  # spread over the ramp-up
        tasks = {}
        for number in range(total):
            user = USERS[number % len(USERS)]
            if number in browsers:
                kind, user_task = "browser", browser_user(browser, f"http://127.0.0.1:{port}", user, args.think, until,
                                                          clients["browser"])
            else:
                kind, user_task = "protocol", protocol_user(f"ws://127.0.0.1:{port}/_stcore/stream", user, args.think,
                                                            until, clients["protocol"])
            tasks[asyncio.create_task(user_task)] = kind
            await asyncio.sleep(1 / args.spawn_rate)
        memory = await _sample_memory(server.pid, list(tasks), args.sample)
        for task, kind in tasks.items():
            if task.exception():
                clients[kind].error(f"session: {type(task.exception()).__name__}")
        if browser:
            await browser.close()
    _report(clients, args, memory, start + ramp)


async def _sample_memory(pid: int, tasks: list[asyncio.Task], every: float) -> list[tuple[float, float]]:
    """The server's resident memory (s since the first sample, MB) every ``every`` s until the tasks end."""
    started = time.monotonic()
    samples = [(0.0, rss_mb(pid))]
    while not all(task.done() for task in tasks):
        await asyncio.wait(tasks, timeout=every)
        samples.append((time.monotonic() - started, rss_mb(pid)))
    return samples


def _report(clients: dict[str, Tally], args: argparse.Namespace, memory: list[tuple[float, float]],
            steady_from: float) -> None:
    seconds = time.monotonic() - steady_from
    print(f"{args.sessions} protocol + {args.browsers} browser sessions, think {args.think:g} s, "
          f"{seconds:.0f} s after the ramp-up; load average at the end {os.getloadavg()[0]:.1f}")
    for kind, tally in clients.items():
        if not tally.sign_in and not tally.errors:
            continue
        steady = tally.scorecards(steady_from)
        print(f"  {kind}: sign-in {percentiles(tally.sign_in)}; scorecard after the ramp-up {percentiles(steady)}, "
              f"{len(steady) / max(seconds, 1):.1f}/s; during the ramp-up {percentiles(tally.scorecards(steady_from, False))}; "
              f"{len(tally.errors)} errors" + (f" ({', '.join(sorted(set(tally.errors)))})" if tally.errors else ""))
    print("  server memory (MB) at s: " + ", ".join(f"{value:.0f}@{at:.0f}" for at, value in memory))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=50, help="websocket protocol sessions")
    parser.add_argument("--browsers", type=int, default=3, help="Chromium sessions")
    parser.add_argument("--seconds", type=float, default=60, help="work after the ramp-up (at most 600)")
    parser.add_argument("--think", type=float, default=5, help="mean think time between actions, s (0: saturation)")
    parser.add_argument("--spawn-rate", type=float, default=2, help="sessions started per second")
    parser.add_argument("--sample", type=float, default=30, help="server memory sampled every this many s")
    parser.add_argument("--db", default=None, help="database URL (default: a fresh seeded SQLite file)")
    args = parser.parse_args()
    args.sessions = max(0, min(args.sessions, MAX_SESSIONS - max(0, args.browsers)))
    args.browsers = max(0, min(args.browsers, MAX_SESSIONS))
    args.seconds = min(args.seconds, MAX_SECONDS)
    args.spawn_rate = max(args.spawn_rate, (args.sessions + args.browsers) / MAX_RAMP)
    url = args.db or f"sqlite:///{Path(tempfile.mkdtemp(prefix='crm-sessions-')) / 'app.db'}"
    prepare_database(url).dispose()
    print(machine())
    port = free_port()
    server = start_server(url, port)
    try:
        asyncio.run(run(port, args, server))
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()

"""A PostgreSQL server that restarts under a running app: pages show one clear message while it is down and
recover on the next interaction, without restarting the app (issue #22, "Bad input and faults").

The server is a private PostgreSQL cluster (initdb in a temporary folder, its own port), so that stopping it
disturbs no other test; it needs PostgreSQL's server programs (initdb, pg_ctl), as CI has."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data import repository
from data.bootstrap import prepare_database
from data.demo.catalog import DEMO_SEGMENTS, DEMO_USERS
from tests.apptest import sign_in
from tests.conftest import skip_or_fail
from tests.test_projects_data import DEFINITION

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parent.parent
DOWN = "The database is not answering at the moment (it may be restarting)."


def _program(name: str) -> str | None:
    found = shutil.which(name) or sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found if isinstance(found, str) else (found[-1] if found else None)


class Cluster:
    """A throw-away PostgreSQL cluster: started, stopped and started again by pg_ctl."""

    def __init__(self, folder: Path) -> None:
        if not os.environ.get("TEST_DATABASE_URL"):     # where PostgreSQL is configured for tests (as every
            skip_or_fail("postgres", "TEST_DATABASE_URL is not set")   # postgres test), its programs are here
        self.initdb, self.pg_ctl = _program("initdb"), _program("pg_ctl")
        if not (self.initdb and self.pg_ctl):
            skip_or_fail("postgres", "PostgreSQL's server programs (initdb, pg_ctl) are not installed")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.folder = folder
        self.data = folder / "data"
        as_root = os.geteuid() == 0                       # PostgreSQL refuses to run as root
        self.prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
        if as_root:
            shutil.chown(folder, "postgres")
        self._run(self.initdb, "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str) -> None:
        subprocess.run([*self.prefix, *command], check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(self.pg_ctl, "-D", str(self.data), "-o", options, "-l", str(self.folder / "server.log"), "-w", "start")

    def stop(self) -> None:
        self._run(self.pg_ctl, "-D", str(self.data), "-m", "fast", "-w", "stop")


@pytest.fixture()
def cluster() -> Iterator[Cluster]:
    folder = Path(tempfile.mkdtemp(prefix="crm-cluster-"))   # under /tmp: pytest's own folders are root's alone
    try:
        server = Cluster(folder)
        server.start()
        yield server
        subprocess.run([*server.prefix, server.pg_ctl, "-D", str(server.data), "-m", "immediate", "stop"],
                       capture_output=True, timeout=60)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _errors(at: AppTest) -> list[str]:
    return [error.value for error in at.error]


def test_pages_say_the_database_is_not_answering_and_recover_after_a_restart(cluster, monkeypatch):
    engine = prepare_database(cluster.url, seed_demo=False)
    repository.create_scorecard(engine, DEMO_SEGMENTS, DEFINITION, [], DEMO_USERS)
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", cluster.url)
    monkeypatch.setenv("CRM_DEMO_MODE", "1")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    sign_in(at, "admin")
    assert not at.exception and at.title[0].value == "Overview"

    cluster.stop()
    at.run()                                              # the next click while the server is down
    assert not at.exception                               # no traceback, no "This app has encountered an error"
    assert len(at.error) == 1 and _errors(at)[0].startswith(DOWN)
    assert [button.label for button in at.button if button.key == "database_try_again"] == ["Try again"]
    fresh = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    fresh.run()                                           # a new browser session meanwhile: the same message
    assert not fresh.exception and len(fresh.error) == 1 and _errors(fresh)[0].startswith(DOWN)

    cluster.start()
    at.button(key="database_try_again").click()
    at.run()                                              # the same app process: the pool reconnects
    assert not at.exception and not at.error and at.title[0].value == "Overview"
    assert at.session_state["account"].username == "admin"  # still signed in

"""Shared fixtures: a seeded demo database on SQLite and on PostgreSQL, Chromium for the browser
tests, a folder for screenshots; and the ``postgres`` and ``browser`` markers, put on the tests here.

PostgreSQL tests use ``TEST_DATABASE_URL`` (a server URL whose user may create databases);
each test session (each xdist worker) creates its own throw-away databases there. Without it
they skip, except when ``REQUIRE_POSTGRES=1`` (set by .ci/run), where a missing server fails the run.

Markers: a test is marked ``postgres`` when it uses a PostgreSQL fixture (``new_postgres_database``,
``postgres_url``, ``postgres_engine``) or is the "postgres"/"postgresql" instance of a fixture with
params (``engine``), ``browser`` when it uses the ``browser`` fixture, and ``spark`` when it uses the
``spark`` fixture (pyspark and a Java runtime; ``REQUIRE_SPARK=1`` in CI; one worker runs them all,
so one Spark driver starts per run). A test that reaches
PostgreSQL only through ``request.getfixturevalue`` carries ``@pytest.mark.postgres`` itself. A test
that creates a PostgreSQL database or launches Chromium without its marker fails, so
``-m "not postgres and not browser"`` never reaches either (tests/test_markers.py checks the rest).

Screenshots go to a temporary folder (printed at the end of the run); ``--update-screenshots``
also copies the ones the README shows into docs/images/.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from data.bootstrap import prepare_database

# The tests' demo databases run in demo mode: the demo accounts sign in with the demo password.
os.environ.setdefault("CRM_DEMO_MODE", "1")

ROOT = Path(__file__).resolve().parent.parent
DOCS_IMAGES = ROOT / "docs" / "images"
CHROMIUM = os.environ.get("TEST_CHROMIUM", "/usr/bin/chromium")  # Debian's; another path only to test the skip
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
POSTGRES_FIXTURES = {"new_postgres_database", "postgres_url", "postgres_engine"}
POSTGRES_PARAMS = {"postgres", "postgresql"}
_running: list[pytest.Item | None] = [None]  # the test being set up or run


def pytest_addoption(parser) -> None:
    parser.addoption("--update-screenshots", action="store_true",
                     help="copy the screenshots the README shows into docs/images/ (they go to a temporary folder)")


def uses_postgres(item: pytest.Item) -> bool:
    """Whether ``item`` needs the PostgreSQL server, as far as its fixtures show."""
    if POSTGRES_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    callspec = getattr(item, "callspec", None)
    return callspec is not None and any(isinstance(value, str) and value in POSTGRES_PARAMS
                                        for value in callspec.params.values())


def uses_browser(item: pytest.Item) -> bool:
    return "browser" in getattr(item, "fixturenames", ())


def uses_spark(item: pytest.Item) -> bool:
    return "spark" in getattr(item, "fixturenames", ())


@pytest.hookimpl(tryfirst=True)  # before -m deselects
def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        if uses_postgres(item) and not item.get_closest_marker("postgres"):
            item.add_marker(pytest.mark.postgres)
        if uses_browser(item) and not item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.browser)
        if uses_spark(item):
            if not item.get_closest_marker("spark"):
                item.add_marker(pytest.mark.spark)
            item.add_marker(pytest.mark.xdist_group("spark"))  # one worker, one Spark driver
        if "server" in getattr(item, "fixturenames", ()):
            # one worker runs the tests of a module's Streamlit server (--dist loadgroup), so it starts once
            item.add_marker(pytest.mark.xdist_group(f"server-{item.path.stem}"))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item) -> None:
    _running[0] = item


def require_marker(name: str) -> None:
    """Fail the running test if it reaches ``name`` (postgres, browser) without the marker:
    ``-m "not postgres and not browser"`` must never need a server or Chromium."""
    item = _running[0]
    if item is not None and item.get_closest_marker(name) is None:
        pytest.fail(f"{item.nodeid} uses {name} but is not marked: add @pytest.mark.{name}", pytrace=False)


def required(name: str) -> bool:
    """Whether CI demands the tests behind ``name`` (postgres, browser) to run."""
    return os.environ.get(f"REQUIRE_{name.upper()}") == "1"


def skip_or_fail(name: str, reason: str) -> None:
    """Skip on a laptop without the service; fail where CI requires it."""
    if required(name):
        pytest.fail(f"{reason} (REQUIRE_{name.upper()}=1)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def spark() -> Iterator[None]:
    """Spark in local mode (``local[2]``, small shuffles) for this test process: pyspark and Java, or a skip
    (a failure where CI requires them, ``REQUIRE_SPARK=1``). The driver starts on the first query."""
    require_marker("spark")
    try:
        import pyspark  # noqa: F401
    except ImportError:
        skip_or_fail("spark", "pyspark is not installed (pip install -r requirements-spark.txt)")
    from data.db import DatabaseUnavailable
    from data.spark_source import check_java

    try:
        check_java()  # the app's own check: JAVA_HOME's bin/java, else java on PATH
    except DatabaseUnavailable as exc:
        skip_or_fail("spark", str(exc))
    os.environ.setdefault("SPARK_MASTER", "local[2]")
    yield


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'demo.db'}"


@pytest.fixture(scope="session")
def sqlite_engine(sqlite_url) -> Engine:
    """A migrated and demo-seeded SQLite database shared by read-only tests."""
    return prepare_database(sqlite_url)


def _admin_engine(server_url: str) -> Engine:
    return create_engine(make_url(server_url).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def new_postgres_database() -> Iterator:
    """A factory of fresh, empty PostgreSQL databases (URLs), all dropped after the session."""
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        skip_or_fail("postgres", "TEST_DATABASE_URL is not set")
    admin = _admin_engine(server)
    created: list[str] = []

    def create() -> str:
        require_marker("postgres")
        name = f"crm_test_{uuid.uuid4().hex[:10]}"
        try:
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        except Exception as exc:  # noqa: BLE001 - any connection problem means "no server"
            skip_or_fail("postgres", f"PostgreSQL at TEST_DATABASE_URL is not reachable: {exc}")
        created.append(name)
        url = make_url(server).set(drivername="postgresql+psycopg", database=name)
        return url.render_as_string(hide_password=False)

    yield create
    if created:
        with admin.connect() as connection:
            for name in created:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def postgres_url(new_postgres_database) -> str:
    """The PostgreSQL database holding the shared demo (read-only tests)."""
    return new_postgres_database()


@pytest.fixture(scope="session")
def postgres_engine(postgres_url) -> Iterator[Engine]:
    engine = prepare_database(postgres_url)
    yield engine
    engine.dispose()


def new_database_url(request, folder) -> str:
    """A new, empty database on the test's backend (``request.param``): a SQLite file in ``folder``
    or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{folder / 'test.db'}"
    return request.getfixturevalue("new_postgres_database")()


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request) -> Engine:
    """The seeded demo database on each backend (the same code must run on both)."""
    return request.getfixturevalue(f"{request.param}_engine")


@pytest.fixture()
def own_url(sqlite_url, sqlite_engine, tmp_path) -> str:
    """A private copy of the demo database for a test that writes."""
    copy = tmp_path / "copy.db"
    with sqlite3.connect(sqlite_url.removeprefix("sqlite:///")) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    return f"sqlite:///{copy}"


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium, one per test session (per xdist worker)."""
    require_marker("browser")
    if not Path(CHROMIUM).exists():
        skip_or_fail("browser", f"{CHROMIUM} is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("browser", "playwright is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory) -> Path:
    """A folder for screenshots, rendered pages and PDFs to be looked at after the run (its place
    is printed at the end); never the repository."""
    folder = tmp_path_factory.getbasetemp() / "artifacts"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def docs_image(request):
    """``docs_image(png)``: a screenshot the README shows, copied to docs/images/ under its own
    name when the run was asked to (``--update-screenshots``); otherwise left where it was written."""
    update = request.config.getoption("--update-screenshots")

    def publish(png: Path) -> None:
        assert png.is_file() and png.stat().st_size > 0, png
        if update:
            DOCS_IMAGES.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(png, DOCS_IMAGES / png.name)

    return publish


def pytest_configure(config) -> None:
    config._crm_started = time.time()


def pytest_terminal_summary(terminalreporter, config) -> None:
    if hasattr(config, "workerinput"):
        return
    base = getattr(getattr(config, "_tmp_path_factory", None), "_basetemp", None)  # None: no test made one
    folders = sorted([*base.glob("artifacts"), *base.glob("*/artifacts")]) if base is not None else []
    shots = [p for folder in folders for p in folder.rglob("*") if p.is_file()]
    if shots:
        terminalreporter.write_line(f"screenshots and rendered pages ({len(shots)}): "
                                    + " ".join(str(f) for f in folders))
    refreshed = sorted(p.name for p in DOCS_IMAGES.glob("*.png") if p.stat().st_mtime >= config._crm_started)
    if refreshed:
        terminalreporter.write_line(f"docs/images refreshed: {', '.join(refreshed)}")

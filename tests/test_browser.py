"""End to end: `streamlit run app.py` headless, every page loaded in Debian's Chromium.

Skips on a machine without /usr/bin/chromium or Playwright, except under REQUIRE_BROWSER=1 (CI).
Saves the scorecard screenshot shown in the README (docs/images/scorecard.png).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
SCREENSHOT = ROOT / "docs" / "images" / "scorecard.png"
PAGES = {"overview": "Overview", "scorecard": "Scorecard", "strategy-map": "Strategy map", "kpi": "KPI detail",
         "spc-studio": "SPC studio", "data": "Scorecard data", "kpi-definitions": "KPI definitions",
         "settings": "Scoring settings", "what-if": "What-if", "projects": "Six Sigma projects",
         "project": "Project workspace"}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_healthy(url: str, process: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"streamlit did not answer at {url} within {seconds} s")


@contextlib.contextmanager
def serve(database_url: str, log: Path) -> Iterator[str]:
    """`streamlit run app.py` on a free local port over ``database_url``; yields its address."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url}
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.headless", "true", "--server.address", "127.0.0.1"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def server(sqlite_url, sqlite_engine, tmp_path_factory):
    """The app on the shared demo database (for tests that only read)."""
    with serve(sqlite_url, tmp_path_factory.mktemp("streamlit") / "server.log") as url:
        yield url


@pytest.fixture()
def own_server(own_url, tmp_path):
    """The app on a private copy of the demo database (for tests that save)."""
    with serve(own_url, tmp_path / "server.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
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


def load(page, url: str) -> None:
    """Open a URL and wait until Streamlit has finished running the script."""
    page.goto(url)
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=90_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=90_000)


@pytest.mark.parametrize("path,title", list(PAGES.items()))
def test_page_loads_with_real_content(server, page, path, title):
    load(page, f"{server}/{path}")
    assert page.locator("[data-testid='stMain'] h1").first.inner_text().strip() == title
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("[data-testid='stAlertContentError']").count() == 0
    page.locator("[data-testid='stSidebar']").get_by_text("Acting as").wait_for(timeout=30_000)  # via the router
    if path == "scorecard":
        page.locator("[data-testid='stDataFrame'] canvas").first.wait_for(timeout=30_000)
        page.locator("[data-testid='stMetric']").first.wait_for(timeout=30_000)
        page.wait_for_timeout(1_000)  # let the table paint its cells
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT), full_page=False)


def test_meeting_mode_steps_through_perspectives(server, page):
    load(page, f"{server}/scorecard")
    page.get_by_text("Meeting mode").click()
    page.get_by_text("Perspective 1 of 6").wait_for(timeout=30_000)
    page.get_by_role("button", name="Next ▶").click()
    page.get_by_text("Perspective 2 of 6").wait_for(timeout=30_000)
    assert page.locator("[data-testid='stMetric']").count() > 7


def test_bad_import_names_file_row_and_column(server, page, tmp_path):
    bad = tmp_path / "MEASUREMENTS.csv"
    bad.write_text("kpi,period,actual\nRevenue,2026-11,100\nRevenue,13-2026,5\n", encoding="utf-8")
    load(page, f"{server}/data")
    page.get_by_role("tab", name="Import").click()
    page.locator("[data-testid='stFileUploader'] input[type=file]").nth(1).set_input_files(str(bad))
    page.get_by_role("button", name="Validate and import").click()
    error = page.locator("[data-testid='stAlertContentError']")
    error.wait_for(timeout=30_000)
    assert "Nothing was saved" in error.inner_text() and "MEASUREMENTS.csv, row 3, column 'period'" in error.inner_text()


def test_spc_studio_charts_an_uploaded_column(server, page, tmp_path):
    column = tmp_path / "times.csv"
    column.write_text("minutes\n" + "\n".join(str(10 + (i % 5) * 0.3) for i in range(30)) + "\n", encoding="utf-8")
    load(page, f"{server}/spc-studio")
    page.get_by_text("Upload a file", exact=True).click()
    page.locator("[data-testid='stFileUploader'] input[type=file]").set_input_files(str(column))
    page.get_by_text("Suggested: I-MR (individuals).").wait_for(timeout=30_000)
    page.locator("[data-testid='stPlotlyChart']").first.wait_for(timeout=30_000)
    assert page.locator("[data-testid='stAlertContentError']").count() == 0


def test_html_briefing_downloads_self_contained(server, page, tmp_path):
    load(page, f"{server}/data")
    page.get_by_role("tab", name="Export").click()
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Download HTML briefing").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    html = saved.read_text(encoding="utf-8")
    assert saved.suffix == ".html" and "Strategy map" in html and "<script src=\"http" not in html
    assert "Six Sigma projects" in html and "Restore SLA after outsourcing" in html


def _metric(page, label: str):
    return page.locator("[data-testid='stMetric']").filter(has_text=label).locator("[data-testid='stMetricValue']")


def test_whatif_slider_moves_the_outcome_and_the_scenario_is_saved(own_server, page):
    load(page, f"{own_server}/what-if")
    assert _metric(page, "Scores moved").inner_text() == "0"
    revenue_target = page.get_by_role("slider").nth(1)              # the first KPI card's target
    revenue_target.focus()
    for _ in range(15):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        """() => [...document.querySelectorAll("[data-testid='stMetric']")]
                 .some(m => m.innerText.includes('Scores moved') && !m.innerText.trim().endsWith('\\n0'))""",
        timeout=30_000)
    assert _metric(page, "Scores moved").inner_text() != "0"
    page.get_by_text("How likely are the new targets?").wait_for(timeout=30_000)
    page.get_by_label("Scenario name").fill("Browser stretch")
    page.get_by_role("button", name="Save scenario").click()
    page.get_by_text("Scenario saved.").wait_for(timeout=30_000)
    page.get_by_role("tab", name="Saved scenarios").click()
    page.get_by_text("Browser stretch").first.wait_for(state="attached", timeout=30_000)  # a data-grid cell
    assert page.locator("[data-testid='stException']").count() == 0


def _act_as(page, name: str) -> None:
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").filter(has_text="Acting as").click()
    page.get_by_role("option", name=name).click()
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)


def test_a_project_passes_its_measure_tollgate_in_the_browser(own_server, page):
    load(page, f"{own_server}/project")
    _act_as(page, "Leila Moradi (Green Belt)")
    page.locator("[data-testid='stSelectbox']").filter(has_text="Project").first.click()
    page.get_by_role("option", name="Raise campaign response · DMAIC · Measure").click()
    page.get_by_role("button", name="Save this baseline").click()
    page.get_by_text("✓ Baseline").wait_for(timeout=30_000)
    _act_as(page, "Sara Ahmadi (CRM strategy team)")              # this project's champion
    for label in ("Data collection plan agreed", "Baseline control chart reviewed", "Baseline capability or sigma"):
        page.get_by_text(label).first.click()
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("Analyze tollgate").wait_for(timeout=30_000)
    page.locator("[data-testid='stMain'] h1").first.scroll_into_view_if_needed()
    page.screenshot(path=str(ROOT / "docs" / "images" / "project.png"), full_page=False)
    assert page.locator("[data-testid='stException']").count() == 0

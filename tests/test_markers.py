"""The ``postgres`` and ``browser`` markers select exactly the tests that need PostgreSQL or Chromium.

tests/conftest.py puts the markers on. Here pytest runs in a subprocess without a server and
without Chromium: every marked test must skip (a marked test that passed would not need
them), and a test that reaches either without its marker must fail (so the fast run
``-m "not postgres and not browser"`` never needs them).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

NO_CHROMIUM = "/nonexistent/chromium"


def _pytest(*args: str, cwd: Path, basetemp: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("PYTEST_", "REQUIRE_")) and k != "TEST_DATABASE_URL"}
    environment.update(PYTHONPATH=str(ROOT), TEST_CHROMIUM=NO_CHROMIUM, **env)
    return subprocess.run([sys.executable, "-m", "pytest", "-n", "0", "-p", "no:cacheprovider", "-q",
                           "--basetemp", str(basetemp), *args],
                          cwd=cwd, env=environment, capture_output=True, text=True, timeout=600)


def _counts(summary: str) -> dict[str, int]:
    return {word: int(n) for n, word in re.findall(r"(\d+) (passed|failed|errors?|skipped|deselected)", summary)}


def test_every_marked_test_skips_without_postgresql_and_chromium(tmp_path):
    done = _pytest("-rs", "-m", "postgres or browser", cwd=ROOT, basetemp=tmp_path / "run")
    summary = done.stdout.strip().splitlines()[-1]
    counts = _counts(summary)
    assert set(counts) == {"skipped", "deselected"}, done.stdout[-3000:]
    reasons = re.findall(r"^SKIPPED \[(\d+)\] [^:]+:\d+: (.*)$", done.stdout, re.MULTILINE)
    assert {reason for _, reason in reasons} <= {"TEST_DATABASE_URL is not set", f"{NO_CHROMIUM} is not installed"}
    assert sum(int(n) for n, _ in reasons) == counts["skipped"]
    by_reason = {reason: sum(int(n) for n, r in reasons if r == reason) for _, reason in reasons}
    assert by_reason["TEST_DATABASE_URL is not set"] >= 150 and by_reason[f"{NO_CHROMIUM} is not installed"] >= 40


def test_a_test_reaching_postgresql_or_chromium_without_its_marker_fails(tmp_path):
    (tmp_path / "conftest.py").write_text("from tests.conftest import *  # noqa: F403\n", encoding="utf-8")
    (tmp_path / "test_unmarked.py").write_text(
        "def test_postgres(request):\n"
        "    request.getfixturevalue('new_postgres_database')()\n\n"
        "def test_browser(request):\n"
        "    request.getfixturevalue('browser')\n", encoding="utf-8")
    done = _pytest("-rf", cwd=tmp_path, basetemp=tmp_path / "run",
                   TEST_DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:1/none")  # never connected to
    assert _counts(done.stdout.strip().splitlines()[-1]) == {"failed": 2}, done.stdout[-3000:]
    assert "test_postgres uses postgres but is not marked: add @pytest.mark.postgres" in done.stdout
    assert "test_browser uses browser but is not marked: add @pytest.mark.browser" in done.stdout


def test_spark_tests_skip_without_java_and_fail_where_ci_requires_spark(tmp_path):
    """The spark marker's rule, as for PostgreSQL and Chromium: skipped on a laptop, failed in CI."""
    no_java = {"JAVA_HOME": str(tmp_path / "no-java")}
    done = _pytest("-rs", "-m", "spark", "tests/test_spark_source.py", cwd=ROOT, basetemp=tmp_path / "laptop", **no_java)
    counts = _counts(done.stdout.strip().splitlines()[-1])
    assert set(counts) == {"skipped", "deselected"} and counts["skipped"] >= 7, done.stdout[-3000:]
    assert "Spark cannot start: no Java runtime" in done.stdout
    done = _pytest("-m", "spark", "tests/test_spark_source.py", cwd=ROOT, basetemp=tmp_path / "ci",
                   REQUIRE_SPARK="1", **no_java)
    counts = _counts(done.stdout.strip().splitlines()[-1])
    assert "skipped" not in counts and counts.get("errors", counts.get("error", 0)) >= 7, done.stdout[-3000:]
    assert "(REQUIRE_SPARK=1)" in done.stdout

"""One truth across processes (issue #22): every committed write raises the data version of the areas it
touched, in its own transaction; cached pages are keyed by it, so a change made by another process shows
on the next rerun, and a write in one area keeps the others' caches."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from data import versions
from data.bootstrap import prepare_database
from data.discussion import add_comment
from data.refresh import refresh
from scorecard import view
from tests.apptest import html_tables, ok, start, texts
from tests.conftest import new_database_url

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(params=["sqlite", "postgres"])
def empty(request, tmp_path):
    """A migrated database without the demo, on each backend."""
    engine = prepare_database(new_database_url(request, tmp_path), seed_demo=False)
    yield engine
    engine.dispose()


def _moved(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {area for area in after if after[area] != before[area]}


def test_a_write_raises_the_version_of_its_areas_only(empty):
    before = versions.current(empty)
    with empty.begin() as conn:
        conn.execute(text("INSERT INTO segment (name, position) VALUES ('Retail', 1)"))
        conn.execute(text("INSERT INTO user_account (username, display_name, role, demo) VALUES ('ana', 'Ana', 'viewer', false)"))
    assert _moved(before, versions.current(empty)) == {"scorecard", "accounts"}


def test_a_rolled_back_write_or_a_read_raises_nothing(empty):
    before = versions.current(empty)
    with pytest.raises(RuntimeError):
        with empty.begin() as conn:
            conn.execute(text("INSERT INTO segment (name, position) VALUES ('Retail', 1)"))
            raise RuntimeError("changed my mind")
    with empty.begin() as conn:
        conn.execute(text("SELECT count(*) FROM segment"))
    assert versions.current(empty) == before


def test_sign_in_failures_do_not_move_any_version(empty):
    before = versions.current(empty)
    with empty.begin() as conn:
        conn.execute(text("INSERT INTO sign_in_failure (username, source, at, while_locked) "
                          "VALUES ('admin', '10.0.0.9', CURRENT_TIMESTAMP, false)"))
    assert versions.current(empty) == before


def test_a_migration_that_runs_raises_every_area(tmp_path):
    engine = prepare_database(f"sqlite:///{tmp_path / 'fresh.db'}", seed_demo=False)
    assert set(versions.current(engine)) == set(versions.ALL_AREAS)
    assert set(versions.current(engine).values()) == {2}  # created at 1 by 0007, raised once after the upgrade
    again = prepare_database(f"sqlite:///{tmp_path / 'fresh.db'}", seed_demo=False)  # nothing to migrate
    assert set(versions.current(again).values()) == {2}


@pytest.mark.parametrize("written, expected", [("INSERT INTO kpi (name) VALUES (1)", "kpi"),
                                               ("insert or replace into \"target\" values (1)", "target"),
                                               ("  UPDATE measurement SET actual = 1", "measurement"),
                                               ("DELETE FROM comment WHERE id = 3", "comment"),
                                               ("SELECT * FROM kpi", None),
                                               ("WITH x AS (SELECT 1) SELECT * FROM x", None)])
def test_the_written_table_is_read_from_the_statement(written, expected):
    assert versions.written_table(written) == expected


def _kpis_shown(at) -> str:
    return " ".join(table.to_string() for table in html_tables(at))


def test_a_cli_import_shows_on_the_next_rerun_of_an_open_page(own_url, tmp_path, monkeypatch):
    at = start(own_url, "screens/kpi_definitions.py", monkeypatch)
    assert "Referral rate" not in _kpis_shown(at)
    (tmp_path / "kpis.csv").write_text("perspective,objective,kpi,unit,direction,target,weight,amber,baseline\n"
                                       "Customer,Win new customers,Referral rate,%,higher,12,1,,\n")
    imported = subprocess.run([sys.executable, "-m", "scorecard", "import", "--kpis", str(tmp_path / "kpis.csv"),
                               "--db", own_url], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert imported.returncode == 0, imported.stderr
    assert "Referral rate" in _kpis_shown(ok(at.run()))


def test_a_comment_keeps_the_scored_scorecard_and_a_new_actual_recomputes_it(own_url, monkeypatch):
    scored = []
    report = view.scorecard_report
    monkeypatch.setattr(view, "scorecard_report", lambda *a, **k: scored.append(1) or report(*a, **k))
    at = start(own_url, "screens/overview.py", monkeypatch)
    built = len(scored)
    elsewhere = prepare_database(own_url, seed_demo=False)  # another engine, as another process holds
    add_comment(elsewhere, "sara", 1, "2024-01", "Checked with the desk.")
    ok(at.run())
    assert len(scored) == built                            # a comment: the scorecard's cache holds
    with elsewhere.begin() as conn:
        conn.execute(text("UPDATE measurement SET actual = actual + 1 WHERE kpi_id = 1"))
    ok(at.run())
    assert len(scored) > built                             # a new actual: scored again
    elsewhere.dispose()


def test_pages_say_when_the_data_last_changed_and_where_the_latest_refresh_came_from(own_url, monkeypatch):
    at = start(own_url, "screens/overview.py", monkeypatch)
    assert "last refresh from the CRM source (sqlite demo.db)" in texts(at.caption)  # the demo's seeding
    refresh(prepare_database(own_url, seed_demo=False))  # the demo's CRM tables live in the app's own database
    shown = texts(ok(at.run()).caption)
    assert "last refresh from the CRM source (sqlite copy.db)" in shown and "by the command line or a schedule" in shown, shown
    assert f"Data as of {date.today().isoformat()}" in shown

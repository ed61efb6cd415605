"""The service layer (services/): Streamlit-free use cases that the pages' loaders, the command line and
bench/ share. Expected values come from the database's own rows (raw SQL) or from the roles' rules."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text

import services
from data import repository
from data.bootstrap import prepare_database
from data.demo.catalog import DEMO_SEGMENTS, DEMO_USERS
from data.projects import create_project
from tests.test_projects_data import CHARTER, DEFINITION

ROOT = Path(__file__).resolve().parent.parent


def test_the_service_layer_imports_neither_streamlit_nor_the_ui():
    probe = "import sys, services; print(sorted(m for m in sys.modules if m.split('.')[0] in ('streamlit', 'ui')))"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_the_report_of_a_month_holds_each_kpis_stored_actual(sqlite_engine):
    """Retail's actual of every KPI in October 2026, as the report states it, is the row stored for it."""
    with sqlite_engine.connect() as conn:
        stored = dict(conn.execute(text(
            "SELECT m.kpi_id, m.actual FROM measurement m JOIN segment s ON s.id = m.segment_id "
            "WHERE s.name = 'Retail' AND m.period = '2026-10'")).all())
    report = services.report_of(sqlite_engine, "2026-10", "Retail")
    kpis = report[report["level"] == "kpi"].set_index("kpi_id")["actual"]
    assert len(stored) == len(repository.scorecard_definition(sqlite_engine)) and {int(k): v for k, v in kpis.items()} == pytest.approx(stored)


@pytest.fixture()
def projects_engine(tmp_path):
    engine = prepare_database(f"sqlite:///{tmp_path / 's.db'}", seed_demo=False)
    repository.create_scorecard(engine, DEMO_SEGMENTS, DEFINITION, [], DEMO_USERS)
    return engine


def _project(engine, title: str, segment: str = "Retail") -> int:
    kpi = int(repository.scorecard_definition(engine)["kpi_id"].iloc[0])
    return create_project(engine, "reza", kind="dmaic", title=title, kpi_id=kpi, segment=segment, champion="nima",
                          belt="reza", start=date(2026, 6, 1), planned_end=date(2026, 12, 1), expected_benefit=120.0,
                          charter=CHARTER)


def test_a_workspace_states_who_may_do_what_and_the_other_projects_on_its_kpi(projects_engine):
    first = _project(projects_engine, "First on complaints")
    second = _project(projects_engine, "Second on complaints")
    _project(projects_engine, "Elsewhere", segment="SME")
    belt, champion, guest = (services.workspace_state(projects_engine, second, user) for user in ("reza", "nima", "guest"))
    assert belt.allowed == {"edit": True, "decide": False}          # the belt works the tools; the champion decides
    assert champion.allowed == {"edit": False, "decide": True}
    assert guest.allowed == {"edit": False, "decide": False}
    assert belt.others_on_kpi == ["First on complaints"]            # not itself, not the SME project
    assert belt.detail["project"]["title"] == "Second on complaints" and belt.change_month is None
    assert services.workspace_state(projects_engine, first, "reza").others_on_kpi == ["Second on complaints"]


def test_a_workspace_warns_of_another_project_with_its_own_title(projects_engine):
    first, second = _project(projects_engine, "Cut complaint time"), _project(projects_engine, "Cut complaint time")
    for mine in (first, second):                                      # the other one, told apart by id, not title
        assert services.workspace_state(projects_engine, mine, "reza").others_on_kpi == ["Cut complaint time"]


def test_a_closed_demo_projects_change_month_is_its_first_approved_improve_tollgate(sqlite_engine):
    with sqlite_engine.connect() as conn:
        pid, decided = conn.execute(text(
            "SELECT project_id, MIN(decided_at) FROM tollgate WHERE phase IN ('improve', 'design') "
            "AND decision = 'approve' GROUP BY project_id ORDER BY project_id")).first()
    state = services.workspace_state(sqlite_engine, int(pid), "admin")
    assert state.change_month == f"{pd.Timestamp(decided):%Y-%m}"

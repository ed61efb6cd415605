"""A verified benefit whose KPI was already trending before the change says so on the workspace, in words,
beside the benefit (scorecard.benefit's trend fields on the closure artifact)."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import text

from data.db import make_engine
from data.projects import portfolio
from scorecard.benefit import verified_benefit
from tests.apptest import ok, start


def _closure_of_a_straight_line(engine, pid: int) -> None:
    """y = 60 + 2·t for 16 months and no change at all: the whole shift of 16 points is the trend (by hand:
    the windows' centres are 8 months apart), so the page must warn."""
    line = pd.Series([60.0 + 2.0 * t for t in range(16)], index=pd.period_range("2025-07", periods=16, freq="M"))
    measured = verified_benefit(line, "2026-07", "higher", 40.0)
    payload = {**measured.as_payload(), "verified_benefit": round(measured.benefit, 3), "finance_partner": "", "note": ""}
    with engine.begin() as conn:
        conn.execute(text("UPDATE artifact SET payload = :payload WHERE project_id = :pid AND type = 'closure'"),
                     {"payload": json.dumps(payload), "pid": pid})


def test_a_benefit_the_kpis_own_trend_could_explain_carries_a_warning(own_url, monkeypatch):
    engine = make_engine(own_url)
    pid = int(portfolio(engine).set_index("title").at["Restore SLA after outsourcing", "id"])
    _closure_of_a_straight_line(engine, pid)
    engine.dispose()
    at = start(own_url, "screens/project.py", monkeypatch, user="reza")
    at.selectbox(key="workspace_project").set_value(pid)
    ok(at.run())
    at.segmented_control(key=f"phase_{pid}").set_value("control")
    warnings = [w.value for w in ok(at.run()).warning if w.value.startswith("Careful: the KPI was already moving")]
    assert len(warnings) == 1, [w.value for w in at.warning]
    assert "+2" in warnings[0] and "+16" in warnings[0] and "part of the benefit may be the trend" in warnings[0]


def _stored_months(engine, kpi: str, first: str, before: str) -> pd.Series:
    """A KPI's actuals for all customers in [first, before), straight from the measurement table."""
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT m.period, m.actual FROM measurement m JOIN segment s ON s.id = m.segment_id JOIN kpi k ON k.id = "
            "m.kpi_id WHERE s.name = 'All' AND k.name = :kpi AND m.period >= :first AND m.period < :before "
            "ORDER BY m.period"), {"kpi": kpi, "first": first, "before": before}).all()
    return pd.Series({period: actual for period, actual in rows})


def test_the_demo_sla_benefit_warns_that_the_kpi_was_already_recovering(sqlite_url, sqlite_engine, monkeypatch):
    """The demo's outsourcing project: after the drop of 2025-07 the SLA KPI was climbing back before the
    training was approved, and the page says so. The slope is fitted here by least squares (numpy) on the
    stored months from the stage start (2025-07) to the approved Improve tollgate's month."""
    pid = int(portfolio(sqlite_engine).set_index("title").at["Restore SLA after outsourcing", "id"])
    with sqlite_engine.connect() as conn:
        approved = conn.execute(text("SELECT MIN(decided_at) FROM tollgate WHERE project_id = :pid AND phase = "
                                     "'improve' AND decision = 'approve'"), {"pid": pid}).scalar_one()
    before = _stored_months(sqlite_engine, "Tickets resolved within SLA", "2025-07", f"{pd.Timestamp(approved):%Y-%m}")
    slope = np.polyfit(np.arange(len(before), dtype=float), before.to_numpy(), 1)[0]
    at = start(sqlite_url, "screens/project.py", monkeypatch, user="reza")
    at.selectbox(key="workspace_project").set_value(pid)
    ok(at.run())
    at.segmented_control(key=f"phase_{pid}").set_value("control")
    shown = ok(at.run())
    assert any("Verified benefit:" in m.value for m in shown.markdown)
    warnings = [w.value for w in shown.warning if w.value.startswith("Careful: the KPI was already moving")]
    assert len(warnings) == 1 and slope > 0
    shown_slope = float(re.search(r"moving \+([0-9.]+) pts a month", warnings[0]).group(1))
    assert shown_slope == pytest.approx(slope, abs=0.005)

"""A project walk's months passing: the change approved in July 2026 and the KPI better since, with the
verified benefit worked out by hand from the stored months (for the AppTest and the Chromium walks)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import text

from data.projects import project_detail
from data.repository import scorecard_definition


def monthly(engine, kpi_id: int, segment: str) -> pd.Series:
    """A KPI's stored monthly actuals, straight from the measurement table."""
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT m.period, m.actual FROM measurement m JOIN segment s ON s.id = m.segment_id "
                                 "WHERE m.kpi_id = :kpi AND s.name = :segment ORDER BY m.period"),
                            {"kpi": kpi_id, "segment": segment}).all()
    return pd.Series({period: actual for period, actual in rows})


def months_pass_with_the_change_in_place(engine, pid: int) -> float:
    """As if the change's tollgate (Improve for DMAIC, Design for DFSS) had been approved in July 2026 and the KPI
    had risen 10 units since: the benefit by hand, at $2k a year per unit (12 months before July, the 4 months
    from July)."""
    project = project_detail(engine, pid)["project"]
    kpi, segment = int(project["kpi_id"]), project["segment"] or "All"
    sign = 1.0 if scorecard_definition(engine).set_index("kpi_id").at[kpi, "direction"] == "higher" else -1.0
    with engine.begin() as conn:
        conn.execute(text("UPDATE tollgate SET decided_at = '2026-07-01 09:00:00' WHERE project_id = :pid "
                          "AND phase IN ('improve', 'design')"), {"pid": pid})
        conn.execute(text("UPDATE measurement SET actual = actual + :better WHERE kpi_id = :kpi AND period >= '2026-07' "
                          "AND segment_id = (SELECT id FROM segment WHERE name = :segment)"),
                     {"better": 10.0 * sign, "kpi": kpi, "segment": segment})
    months = monthly(engine, kpi, segment)
    before, after = months["2025-07":"2026-06"], months["2026-07":]
    assert (len(before), len(after)) == (12, 4)
    return sign * (after.mean() - before.mean()) * 2.0

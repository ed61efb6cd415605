"""Six Sigma project loaders: the portfolio, one project's detail, projects by KPI."""

from __future__ import annotations

import pandas as pd

from data import projects as project_store
from data.metrics import count_unit
from scorecard import baseline
from ui.core import loaders
from ui.core.auth import current_user
from ui.core.cache import cached, db


@cached
def portfolio() -> pd.DataFrame:
    """Every project with its KPI, objective, perspective, dates, phase, status and benefits."""
    return project_store.portfolio(db())


def allowed_actions(project_id: int) -> dict[str, bool]:
    """What the signed-in user may do on the project (edit its tools, decide its tollgate); not cached."""
    return project_store.allowed_actions(db(), project_id, current_user())


def active_projects_on(project: dict) -> list[str]:
    """Titles of the active projects on the same KPI and segment as ``project`` (itself included)."""
    if project.get("kpi_id") is None or pd.isna(project["kpi_id"]):
        return []
    return _active_projects_on(int(project["kpi_id"]), project["segment"] or "All")


@cached
def _active_projects_on(kpi_id: int, segment: str) -> list[str]:
    return project_store.active_projects_on(db(), kpi_id, segment)


@cached
def kpi_baseline(kpi_id: int, segment: str) -> dict | None:
    """A KPI's baseline for a charter (scorecard.baseline): its recent stable window, DPMO from its counts
    where it counts units, otherwise Ppk against the target; None without actuals."""
    kpi = loaders.definition().set_index("kpi_id").loc[kpi_id]
    measured = loaders.measurements()
    target = loaders.kpi_rows(str(measured["period"].max()), segment).set_index("kpi_id").at[kpi_id, "target"]
    mine = measured[(measured["kpi_id"] == kpi_id) & (measured["segment"] == segment)]
    counts = mine.set_index(pd.PeriodIndex(mine["period"], freq="M"))[["numerator", "denominator"]]
    metric = kpi["metric"] if isinstance(kpi["metric"], str) else None
    try:
        return baseline.kpi_baseline(loaders.history(kpi_id, segment), float(target), kpi["direction"],
                                     counts=counts, unit=count_unit(metric, kpi["direction"]),
                                     stage_starts=loaders.stage_starts().get(kpi_id, ()))
    except ValueError:
        return None


@cached
def detail(project_id: int) -> dict:
    """One project's row, artifacts by "phase/kind" and tollgate decisions."""
    return project_store.project_detail(db(), project_id)


def change_month(project_id: int) -> str | None:
    """The month the project's change was approved (its first approved Improve or Design tollgate), if it was."""
    approved = [gate["decided_at"] for gate in detail(project_id)["tollgates"]
                if gate["phase"] in project_store.CHANGE_PHASES and gate["decision"] == "approve"]
    return f"{pd.Timestamp(min(approved)):%Y-%m}" if approved else None

"""Six Sigma project use cases: a KPI's baseline for a charter, a project's change month and its workspace state."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from data import projects as project_store
from data.metrics import count_unit
from scorecard import baseline, view
from services.scorecard import ScorecardTables, StageStarts


def kpi_baseline(tables: ScorecardTables, kpi_id: int, segment: str, stage_starts: StageStarts) -> dict | None:
    """A KPI's baseline for a charter (:func:`scorecard.baseline.kpi_baseline`) against its newest target: its
    recent stable window, DPMO from its counts where it counts units, otherwise Ppk; None without actuals."""
    kpi = tables.definition.set_index("kpi_id").loc[kpi_id]
    measured = tables.measurements
    rows = view.kpi_rows(tables.definition, measured, tables.targets, str(measured["period"].max()), segment)
    target = rows.set_index("kpi_id").at[kpi_id, "target"]
    mine = measured[(measured["kpi_id"] == kpi_id) & (measured["segment"] == segment)]
    counts = mine.set_index(pd.PeriodIndex(mine["period"], freq="M"))[["numerator", "denominator"]]
    metric = kpi["metric"] if isinstance(kpi["metric"], str) else None
    try:
        return baseline.kpi_baseline(view.kpi_history(measured, kpi_id, segment), float(target), kpi["direction"],
                                     counts=counts, unit=count_unit(metric, kpi["direction"]),
                                     stage_starts=stage_starts.get(kpi_id, ()))
    except ValueError:
        return None


def change_month(detail: dict) -> str | None:
    """The month ("YYYY-MM") a project's change was approved (its first approved Improve or Design tollgate)."""
    approved = [gate["decided_at"] for gate in detail["tollgates"]
                if gate["phase"] in project_store.CHANGE_PHASES and gate["decision"] == "approve"]
    return f"{pd.Timestamp(min(approved)):%Y-%m}" if approved else None


@dataclass(frozen=True)
class WorkspaceState:
    """What a project's workspace shows: its detail, what the user may do, its change month, and the other
    active projects on the same KPI and segment."""

    detail: dict                  # data.projects.project_detail: project row, artifacts, tollgates
    allowed: dict[str, bool]      # edit (its tools), decide (its tollgate)
    change_month: str | None
    others_on_kpi: list[str]      # titles of the other active projects on its KPI and segment


def workspace_state(engine: Engine, project_id: int, username: str) -> WorkspaceState:
    """A project's workspace state as ``username`` sees it."""
    detail = project_store.project_detail(engine, project_id)
    project = detail["project"]
    others = []
    if project.get("kpi_id") is not None and not pd.isna(project["kpi_id"]):
        others = project_store.active_projects_on(engine, int(project["kpi_id"]), project["segment"] or "All",
                                                  besides=project_id)
    return WorkspaceState(detail, project_store.allowed_actions(engine, project_id, username), change_month(detail),
                          others)

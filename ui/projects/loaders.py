"""Six Sigma project loaders: the portfolio, one project's workspace state, a KPI's baseline for a charter."""

from __future__ import annotations

import pandas as pd

import services
from data import projects as project_store
from ui.core import loaders
from ui.core.auth import current_user
from ui.core.cache import SCORECARD_AND_PROJECTS, cached, db


@cached
def portfolio() -> pd.DataFrame:
    """Every project with its KPI, objective, perspective, dates, phase, status and benefits."""
    return project_store.portfolio(db())


@cached
def _workspace(project_id: int, username: str) -> services.WorkspaceState:
    return services.workspace_state(db(), project_id, username)


def workspace(project_id: int) -> services.WorkspaceState:
    """One project's workspace state for the signed-in user: detail, allowed actions, change month, and the
    other active projects on its KPI and segment."""
    return _workspace(project_id, current_user())


def detail(project_id: int) -> dict:
    """One project's row, artifacts by "phase/kind" and tollgate decisions."""
    return workspace(project_id).detail


def change_month(project_id: int) -> str | None:
    """The month the project's change was approved (its first approved Improve or Design tollgate), if it was."""
    return workspace(project_id).change_month


@cached(areas=SCORECARD_AND_PROJECTS)
def kpi_baseline(kpi_id: int, segment: str) -> dict | None:
    """A KPI's baseline for a charter (services.kpi_baseline); None without actuals."""
    return services.kpi_baseline(loaders.tables(), kpi_id, segment, loaders.stage_starts())

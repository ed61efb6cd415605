"""Six Sigma project loaders: the portfolio, one project's detail, projects by KPI."""

from __future__ import annotations

import pandas as pd

from data import projects as project_store
from ui.core.auth import current_user
from ui.core.cache import cached, db


@cached
def portfolio() -> pd.DataFrame:
    """Every project with its KPI, objective, perspective, dates, phase, status and benefits."""
    return project_store.portfolio(db())


def allowed_actions(project_id: int) -> dict[str, bool]:
    """What the signed-in user may do on the project (edit its tools, decide its tollgate); not cached."""
    return project_store.allowed_actions(db(), project_id, current_user())


@cached
def detail(project_id: int) -> dict:
    """One project's row, artifacts by "phase/kind" and tollgate decisions."""
    return project_store.project_detail(db(), project_id)

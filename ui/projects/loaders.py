"""Six Sigma project loaders: the portfolio, one project's detail, projects by KPI."""

from __future__ import annotations

import pandas as pd

from data import projects as project_store
from ui.core.cache import cached, db


@cached
def portfolio() -> pd.DataFrame:
    """Every project with its KPI, objective, perspective, dates, phase, status and benefits."""
    return project_store.portfolio(db())


@cached
def detail(project_id: int) -> dict:
    """One project's row, artifacts by "phase/kind" and tollgate decisions."""
    return project_store.project_detail(db(), project_id)

"""Six Sigma project loaders."""

from __future__ import annotations

import pandas as pd

from data import repository
from ui.loaders._core import cached, db


@cached
def projects() -> pd.DataFrame:
    """Six Sigma projects with their KPI."""
    return repository.projects(db())

"""Cached loaders: the only way pages reach the database, one module per area.

``loaders.engine()`` opens the database; the scorecard loaders are re-exported here so pages
write ``loaders.report(period, segment)``. Other areas are imported as their own module.
"""

from ui.loaders._core import clear, database_url, engine
from ui.loaders.scorecard import (
    action_items,
    audit_log,
    comments,
    definition,
    kpi_control_chart,
    kpi_monthly,
    kpi_outlook,
    link_evidence,
    links,
    measurements,
    meeting_table,
    objectives,
    perspectives,
    report,
    scoring_config,
    scoring_version,
    segments,
    targets,
    users,
)

__all__ = [
    "action_items", "audit_log", "clear", "comments", "database_url", "definition", "engine", "kpi_control_chart",
    "kpi_monthly", "kpi_outlook", "link_evidence", "links", "measurements", "meeting_table", "objectives",
    "perspectives", "report", "scoring_config", "scoring_version", "segments", "targets", "users",
]

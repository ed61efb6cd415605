"""Use cases assembled from ``data/`` and the domain, Streamlit-free.

The pages' cached loaders (``ui/``), the command line (``python -m scorecard``) and ``bench/`` call the
same functions: the scored report of a period and segment, a KPI's outlook, signal and baseline, the
strategy map's link effects, and a project's workspace state. Each function takes the scorecard's tables
(:class:`ScorecardTables`, read once with :func:`read_tables`) or an engine, never a session.
"""

from services.projects import WorkspaceState, change_month, kpi_baseline, workspace_state
from services.scorecard import (ScorecardTables, kpi_control_chart, kpi_outlook, kpi_signal, link_effects,
                                link_evidence, meeting_table, read_tables, report, report_of, scoring_config)

__all__ = ["ScorecardTables", "WorkspaceState", "change_month", "kpi_baseline", "kpi_control_chart", "kpi_outlook",
           "kpi_signal", "link_effects", "link_evidence", "meeting_table", "read_tables", "report", "report_of",
           "scoring_config", "workspace_state"]

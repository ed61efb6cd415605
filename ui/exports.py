"""The export panel: the scorecard for a period as CSV, Excel, or a self-contained HTML briefing."""

from __future__ import annotations

from functools import partial

import streamlit as st

from scorecard.export import briefing_html, report_csv, report_excel
from ui import loaders, widgets
from ui.loaders import projects as project_loaders
from ui.i18n import t


def _projects():
    """The portfolio for the briefing: phase, next tollgate (the open phase of an active project), benefits."""
    projects = project_loaders.portfolio()
    return projects.assign(next_tollgate=projects["phase"].where(projects["status"] == "active", "—").str.capitalize(),
                           phase=projects["phase"].str.capitalize(), kind=projects["kind"].str.upper())


def export_panel() -> None:
    """Pick period and segment, then download the meeting pack."""
    left, right = st.columns(2)
    period = widgets.period_picker(key="export_period", container=left)
    segment = widgets.segment_picker(key="export_segment", container=right)
    report = loaders.report(period, segment)
    name = f"scorecard-{segment}-{period}".replace(" ", "_")
    csv_col, excel_col, html_col = st.columns(3)
    csv_col.download_button(t("Download CSV"), report_csv(report), f"{name}.csv", "text/csv", width="stretch")
    # Excel and HTML are built only when their button is clicked (on Streamlit's download thread).
    excel_col.download_button(t("Download Excel"), partial(report_excel, report), f"{name}.xlsx",
                              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", width="stretch")
    briefing = partial(briefing_html, t("CRM scorecard briefing"),
                       t("{segment} · {period}", segment=t(segment), period=period), report,
                       [(t("Strategy map"), widgets.strategy_map(report))], projects=_projects())
    html_col.download_button(t("Download HTML briefing"), briefing, f"{name}.html", "text/html", width="stretch")

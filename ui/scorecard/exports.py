"""The export panel: the scorecard for a period as CSV, Excel, a self-contained HTML briefing or a PDF briefing."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from scorecard import months_in
from scorecard.io import (
    Briefing,
    briefing_html,
    briefing_pdf,
    comment_notes,
    objective_rows,
    project_rows,
    red_histories,
    report_csv,
    report_excel,
)
from ui.components import pickers
from ui.core import loaders
from ui.core.i18n import t
from ui.projects import loaders as project_loaders
from ui.scorecard import strategy_map


def _pdf(report: pd.DataFrame, segment: str, period: str) -> bytes:
    """The PDF briefing (in English: ReportLab does not shape Persian script)."""
    return briefing_pdf(Briefing(
        "CRM scorecard briefing", f"{segment} · {period}", report, objective_rows(loaders.objectives(), report),
        loaders.links(), loaders.perspectives()["name"].tolist(),
        red_histories(report, loaders.measurements(), segment, months_in(period)[-1]),
        comment_notes(report, loaders.comments(period=period)), project_rows(project_loaders.portfolio())))


def export_panel() -> None:
    """Pick period and segment, then download the meeting pack."""
    left, right = st.columns(2)
    period = pickers.period_picker(key="export_period", container=left)
    segment = pickers.segment_picker(key="export_segment", container=right)
    report = loaders.report(period, segment)
    name = f"scorecard-{segment}-{period}".replace(" ", "_")
    csv_col, excel_col, html_col, pdf_col = st.columns(4)
    csv_col.download_button(t("Download CSV"), report_csv(report), f"{name}.csv", "text/csv", width="stretch")
    # Excel and HTML are built only when their button is clicked (on Streamlit's download thread).
    excel_col.download_button(t("Download Excel"), partial(report_excel, report), f"{name}.xlsx",
                              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", width="stretch")
    briefing = partial(briefing_html, t("CRM scorecard briefing"),
                       t("{segment} · {period}", segment=t(segment), period=period), report,
                       [(t("Strategy map"), strategy_map.strategy_map(report))], projects=project_rows(project_loaders.portfolio()))
    html_col.download_button(t("Download HTML briefing"), briefing, f"{name}.html", "text/html", width="stretch")
    pdf_col.download_button(t("Download PDF briefing"), partial(_pdf, report, segment, period), f"{name}.pdf",
                            "application/pdf", width="stretch")

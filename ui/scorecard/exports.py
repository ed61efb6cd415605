"""The export panel: the scorecard for a period as CSV, Excel, a self-contained HTML briefing or a PDF briefing."""

from __future__ import annotations

from datetime import datetime, timezone
from functools import partial

import pandas as pd
import streamlit as st

from ui.components.empty import has_measurements

from scorecard import months_in
from scorecard.io.pdf import persian_map, persian_names
from scorecard.periods import previous
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
    strategy_map_svg,
)
from ui.components import pickers
from ui.core import loaders
from ui.core.auth import current_account
from ui.core.format import period_label
from ui.core.i18n import is_rtl, t
from ui.projects import loaders as project_loaders


def _links(segment: str) -> pd.DataFrame:
    """The strategy map's links with the data's verdict, so unsupported links are drawn dashed as on screen."""
    links, evidence = loaders.links().copy(), loaders.link_evidence(segment)
    if len(evidence):
        links["supported"] = links["id"].map(evidence.set_index("id")["supported"])
    return links


def _previous_report(period: str, segment: str) -> tuple[pd.DataFrame | None, str]:
    """The previous period's report and its label, or (None, "") before the first period."""
    before = previous(period)
    report = loaders.report(before, segment)
    if report.empty or report["score"].isna().all():
        return None, ""
    return report, period_label(before)


def _pdf(report: pd.DataFrame, segment: str, period: str) -> bytes:
    """The PDF briefing in the user's language (Persian: right to left, Persian names, Jalali months)."""
    now = datetime.now(timezone.utc)
    account = current_account()
    earlier, earlier_label = _previous_report(period, segment)
    objectives, perspectives = loaders.objectives(), loaders.perspectives()["name"].tolist()
    title, subtitle = "CRM scorecard briefing", f"{segment} · {period}"
    if is_rtl():
        report = persian_names(report, t("Overall scorecard"))
        earlier = None if earlier is None else persian_names(earlier, t("Overall scorecard"))
        objectives, perspectives = persian_map(objectives, loaders.perspectives())
        title = t("CRM scorecard briefing")
        subtitle = t("{segment} · {period}", segment=t(segment), period=period_label(period))
    return briefing_pdf(Briefing(
        title, subtitle, report, objective_rows(objectives, report), _links(segment), perspectives,
        red_histories(report, loaders.measurements(), segment, months_in(period)[-1]),
        comment_notes(report, loaders.comments(period=period)),
        project_rows(project_loaders.portfolio(), as_of=now.date()), previous=earlier, previous_label=earlier_label,
        generated_by=account.display_name if account else "", generated_at=now, language="fa" if is_rtl() else "en"),
        tr=t)


def export_panel() -> None:
    """Pick period and segment, then download the meeting pack."""
    if not has_measurements():
        st.caption(t("Nothing to export yet: the scorecard has no measurements."))
        return
    left, right = st.columns(2)
    period = pickers.period_picker(key="export_period", container=left)
    segment = pickers.segment_picker(key="export_segment", container=right)
    download_buttons(period, segment)


def export_view(period: str, segment: str) -> None:
    """"Export this view": the period and segment on screen as CSV, Excel, HTML or PDF (under the scorecard)."""
    with st.expander(t("Export this view"), icon=":material/download:"):
        st.caption(t("The {segment} scorecard for {period}, as on screen.", segment=t(segment),
                     period=period_label(period)))
        download_buttons(period, segment, key="scorecard_export")


def download_buttons(period: str, segment: str, key: str = "export") -> None:
    """The meeting pack of ``period`` and ``segment`` (CSV, Excel, HTML and PDF briefings) as download buttons."""
    report = loaders.report(period, segment)
    name = f"scorecard-{segment}-{period}".replace(" ", "_")
    csv_col, excel_col, html_col, pdf_col = st.columns(4)
    csv_col.download_button(t("Download CSV"), report_csv(report), f"{name}.csv", "text/csv", width="stretch",
                            key=f"{key}_csv")
    # Excel and the briefings are built only when their button is clicked (on Streamlit's download thread).
    excel_col.download_button(t("Download Excel"), partial(report_excel, report), f"{name}.xlsx",
                              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", width="stretch",
                              key=f"{key}_excel")
    html_col.download_button(t("Download HTML briefing"), partial(_html, report, segment, period), f"{name}.html",
                             "text/html", width="stretch", key=f"{key}_html")
    pdf_col.download_button(t("Download PDF briefing"), partial(_pdf, report, segment, period), f"{name}.pdf",
                            "application/pdf", width="stretch", key=f"{key}_pdf")


def _html(report: pd.DataFrame, segment: str, period: str) -> str:
    """The HTML briefing, its strategy map an inline SVG (no plotly.js: the file stays well under 1 MB)."""
    drawing = strategy_map_svg(objective_rows(loaders.objectives(), report), _links(segment),
                               loaders.perspectives()["name"].tolist())
    return briefing_html(t("CRM scorecard briefing"), t("{segment} · {period}", segment=t(segment), period=period),
                         report, drawings=[(t("Strategy map"), drawing)],
                         projects=project_rows(project_loaders.portfolio(), as_of=datetime.now(timezone.utc).date()))

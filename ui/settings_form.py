"""The scoring settings form and the refresh of SQL-sourced KPIs from the CRM source."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from data.db import DatabaseUnavailable
from data.refresh import RefreshFailed, RefreshSummary, refresh
from data.settings import save_setting
from data.source import configured_source
from scorecard.scoring import ScoringConfig
from ui import loaders
from ui.i18n import t
from ui.writing import write

METHODS = {
    "auto": "Linear from baseline to target where a baseline exists, else actual/target",
    "ratio": "Actual/target (target/actual when lower is better)",
    "linear": "Linear from baseline to target",
}


def scoring_form(config: ScoringConfig) -> None:
    """Edit method and thresholds; saved only when valid (amber threshold below green)."""
    with st.form("scoring_settings", enter_to_submit=False):
        method = st.radio(t("KPI score method"), list(METHODS), index=list(METHODS).index(config.method),
                          format_func=lambda m: t(METHODS[m]))
        green_column, amber_column, band_column = st.columns(3)
        green = green_column.number_input(t("Green from score"), 0.0, 100.0, float(config.green), step=1.0)
        amber = amber_column.number_input(t("Amber from score"), 0.0, 100.0, float(config.amber), step=1.0)
        band = band_column.number_input(t("Default amber band (fraction of the target)"), 0.0, 1.0,
                                        float(config.default_amber), step=0.01, format="%.2f")
        submitted = st.form_submit_button(t("Save settings"), type="primary")
    if not submitted:
        return
    if amber > green:
        st.error(t("The amber threshold must not be above the green one. Nothing was saved."))
        return
    new = ScoringConfig(method=method, green=green, amber=amber, default_amber=band)
    if write(save_setting, "scoring", new.to_dict()):
        st.success(t("Saved. Every page now scores with these settings."))


def _refresh_from_source(engine: Engine, user: str, bar, results: list[RefreshSummary]) -> None:
    """Refresh from the configured CRM source as ``user``, drawing progress on ``bar``."""
    def progress(done: int, total: int, metric: str) -> None:
        text = (t("Storing the monthly actuals…") if done >= total else
                t("Computing {metric} ({done} of {total})", metric=metric, done=done + 1, total=total))
        bar.progress(done / max(total, 1), text=text)

    results.append(refresh(engine, configured_source(engine), username=user, progress=progress))


def refresh_panel() -> None:
    """"Refresh now": recompute every SQL-sourced KPI from the CRM source, with a progress bar."""
    source = configured_source(loaders.engine()).url.render_as_string(hide_password=True)
    st.subheader(t("KPIs from the CRM source"))
    st.caption(t("KPIs whose source is SQL are computed inside the CRM source ({source}) and stored for "
                 "every month in one step; if anything fails, the stored actuals stay as they were.",
                 source=source))
    if not st.button(t("Refresh now"), key="refresh_now", icon=":material/refresh:"):
        return
    bar, results = st.progress(0.0, text=t("Connecting to the CRM source…")), []
    try:
        saved = write(_refresh_from_source, bar, results)
    except (RefreshFailed, DatabaseUnavailable) as exc:
        bar.empty()
        st.error(t("Nothing was refreshed: {reason}", reason=str(exc)), icon=":material/error:")
        return
    bar.empty()
    if saved:
        summary = results[0]
        st.success(t("Refreshed {rows} monthly actuals of {kpis} KPIs in {seconds} s.", rows=summary.rows,
                     kpis=summary.kpis, seconds=f"{summary.seconds:.1f}"))

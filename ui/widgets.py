"""Shared widgets: segment and period pickers, the scorecard table."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import loaders
from ui.format import STATUS_BADGE
from ui.i18n import t

LEVEL_INDENT = {"overall": "", "perspective": "", "objective": "  ", "kpi": "    • "}


def segment_picker(key: str, container=st) -> str:
    """Pick a customer segment (All first); the seed asks for a scorecard per segment."""
    names = loaders.segments()["name"].tolist()
    return container.selectbox(t("Customer segment"), names, format_func=t, key=key)


def _display_name(row: pd.Series) -> str:
    name = row["name"] if row["level"] != "overall" else t("Overall scorecard")
    if row["level"] == "kpi" and isinstance(row.get("kpi_fa"), str) and st.session_state.get("language") == "fa":
        name = row["kpi_fa"]
    return LEVEL_INDENT[row["level"]] + name


def report_table(report: pd.DataFrame, key: str = "report_table") -> None:
    """The scored hierarchy as one table: status dot, actual, target, score."""
    table = pd.DataFrame({
        t("Status"): report["status"].map(STATUS_BADGE),
        t("Scorecard item"): report.apply(_display_name, axis=1),
        t("Actual"): report["actual"],
        t("Target"): report["target"],
        t("Unit"): report.get("unit", pd.Series(index=report.index, dtype=object)).fillna(""),
        t("Score"): report["score"],
    })
    st.dataframe(table, hide_index=True, width="stretch", key=key, column_config={
        t("Actual"): st.column_config.NumberColumn(format="localized"),
        t("Target"): st.column_config.NumberColumn(format="localized"),
        t("Score"): st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.0f"),
    })

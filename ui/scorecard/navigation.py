"""One click from a red KPI to its KPI detail: buttons that set the detail screen's pickers and go there."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.components import pickers
from ui.core.i18n import report_name, t

KPI_DETAIL = "screens/kpi_detail.py"


def _open(kpi_id: int, segment: str, period: str) -> None:
    pickers.preset_kpi_detail(kpi_id, segment, period)
    st.switch_page(KPI_DETAIL)


def red_kpi_buttons(table: pd.DataFrame, segment: str, period: str, key: str) -> None:
    """A button per red KPI of ``table`` that opens its KPI detail for this segment and period."""
    red = table[(table["level"] == "kpi") & (table["status"] == "red")]
    if red.empty:
        return
    row = st.container(horizontal=True, vertical_alignment="center")
    row.markdown(t("Red KPIs, open in detail:"))
    for _, kpi in red.iterrows():
        if row.button(report_name(kpi), key=f"{key}_{int(kpi['kpi_id'])}", icon=":material/open_in_new:"):
            _open(int(kpi["kpi_id"]), segment, period)

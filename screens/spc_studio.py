"""SPC studio: a control chart and capability study for any KPI or uploaded column."""

import streamlit as st

from ui.components import empty
from ui.core.i18n import t
from ui.projects import signal
from ui.spc import panels as spc_panels

st.title(t("SPC studio"))
empty.stop_if_empty()
st.caption(t("Pick a scorecard KPI or upload a column of data. The studio suggests the right chart; "
             "you may override it, set the phase I samples, stages and excluded points."))

data = spc_panels.data_source()
if data is not None:
    chart_column, options_column = st.columns([3, 1])
    with options_column:
        settings = spc_panels.chart_settings(data)
    with chart_column:
        chartset = spc_panels.control_chart_view(data, settings)
    if chartset is not None:
        spc_panels.signals_table(chartset, data)
    if data.kpi_id is not None:
        signal.offer(data.kpi_id, data.segment, data.labels[-1], key="spc_start_project")
    spc_panels.capability_view(data, settings, chartset)

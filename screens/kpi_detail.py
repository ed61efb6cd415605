"""KPI detail: history against target, forecast and the chance of meeting it, signal or noise, discussion."""

import streamlit as st

from scorecard import unit_name

from ui.components import empty, freshness, pickers
from ui.core.format import owner_name, plain
from ui.core.i18n import language, t
from ui.projects import signal
from ui.scorecard import definitions, discussion, kpi_panels

st.title(t("KPI detail"))
empty.stop_if_empty()
kpi_column, segment_column = st.columns([2, 1])
kpi = pickers.kpi_picker(key="kpi_detail_kpi", container=kpi_column)
segment = pickers.segment_picker(key="kpi_detail_segment", container=segment_column)
period = pickers.period_picker(key="kpi_detail_period")
freshness.data_as_of()

kpi_panels.forecast_panel(kpi, segment)
kpi_panels.signal_panel(kpi, segment)

definition_column, projects_column = st.columns(2)
with definition_column:
    st.subheader(t("Definition"))
    st.markdown(plain(definitions.definition_text(kpi["definition"])))
    st.caption(t("Unit: {unit} · {direction} · aggregated over periods by {aggregation} · owner: {owner}",
                 unit=unit_name(kpi["unit"] or "", language()) or "—", direction=t(f"{kpi['direction']} is better"),
                 aggregation=t(kpi["aggregation"]), owner=owner_name(kpi["owner"]) or "—"))
with projects_column:
    st.subheader(t("Six Sigma projects"))
    kpi_panels.linked_projects(kpi)
    signal.offer(int(kpi["kpi_id"]), segment, period, key="kpi_start_project")

discussion.panel(int(kpi["kpi_id"]), period)

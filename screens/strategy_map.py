"""Strategy map: objectives by perspective, cause → effect arrows, status colours and the evidence."""

import streamlit as st

from ui.components import charts, empty, pickers
from ui.core import loaders
from ui.core.i18n import t
from ui.scorecard import strategy_map
from ui.scorecard import tables as scorecard_tables

st.title(t("Strategy map"))
empty.stop_if_empty()
st.caption(t("Learning and information drive operations, which drive customer value, which drives "
             "financial results. Click an objective to see its KPIs."))

period_column, segment_column = st.columns([3, 1])
period = pickers.period_picker(key="map_period", container=period_column)
segment = pickers.segment_picker(key="map_segment", container=segment_column)
report = loaders.report(period, segment)
evidence = loaders.link_evidence(segment)

event = charts.show(strategy_map.strategy_map(report, evidence.set_index("id")["supported"] if len(evidence) else None),
                    width="stretch", on_select="rerun", selection_mode="points", key="strategy_map_chart")
chosen = strategy_map.objective_from_selection(event, key="map_objective")
st.subheader(t("KPIs of {objective}", objective=strategy_map.objective_name(chosen)))
scorecard_tables.report_table(report[(report["level"] == "kpi") & (report["objective"] == chosen)])

st.subheader(t("Evidence for the links"))
st.caption(t("For each link: the lagged regression of the effect's index on the cause's (standardised KPIs), "
             "with a 95% confidence interval. Links the data does not support are dashed on the map."))
strategy_map.evidence_table(evidence)

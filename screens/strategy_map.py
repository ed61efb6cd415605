"""Strategy map: objectives by perspective, cause → effect arrows, status colours and the evidence."""

import streamlit as st

from ui import charts, loaders, widgets
from ui.i18n import t

st.title(t("Strategy map"))
st.caption(t("Learning and information drive operations, which drive customer value, which drives "
             "financial results. Click an objective to see its KPIs."))

period_column, segment_column = st.columns([3, 1])
period = widgets.period_picker(key="map_period", container=period_column)
segment = widgets.segment_picker(key="map_segment", container=segment_column)
report = loaders.report(period, segment)
evidence = loaders.link_evidence(segment)

event = charts.show(widgets.strategy_map(report, evidence.set_index("id")["supported"] if len(evidence) else None),
                    width="stretch", on_select="rerun", selection_mode="points", key="strategy_map_chart")
chosen = widgets.objective_from_selection(event, key="map_objective")
st.subheader(t("KPIs of {objective}", objective=chosen))
widgets.report_table(report[(report["level"] == "kpi") & (report["objective"] == chosen)])

st.subheader(t("Evidence for the links"))
st.caption(t("For each link: the lagged regression of the effect's index on the cause's (standardised KPIs), "
             "with a 95% confidence interval. Links the data does not support are dashed on the map."))
widgets.evidence_table(evidence)

"""Overview: the whole scorecard at a glance for the latest month, with what needs attention."""

import streamlit as st

from scorecard import latest_period
from ui.components import empty, freshness, pickers
from ui.core import loaders
from ui.core.format import badge, number, period_label, plain
from ui.core.i18n import localized, report_name, separator, t
from ui.scorecard import navigation, shared_tables
from ui.scorecard import tables as scorecard_tables

st.title(t("Overview"))
empty.stop_if_empty()
segment = pickers.segment_picker(key="overview_segment")
period = latest_period(loaders.measurements())
st.caption(t("Latest month: {period} · Segment: {segment}", period=period_label(period), segment=t(segment)))
freshness.data_as_of()

report = loaders.report(period, segment)
scorecard_tables.score_strip(report)

kpis = report[report["level"] == "kpi"]
attention = kpis[kpis["status"] == "red"]
st.subheader(t("Needs attention"))
if attention.empty:
    st.success(t("No KPI is red this month."))
for _, row in attention.iterrows():
    st.markdown(f"{badge('red')} **{plain(report_name(row))}**{separator()}{number(row['actual'], row['unit'])} "
                f"{t('vs target')} {number(row['target'], row['unit'])}{separator()}{localized(row, 'perspective')}")
navigation.red_kpi_buttons(report, segment, period, key="overview_red")

st.subheader(t("All KPIs"))
shared_tables.show("report", period, segment)
scorecard_tables.zero_score_notes(report)

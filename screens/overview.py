"""Overview: the whole scorecard at a glance for the latest month, with what needs attention."""

import streamlit as st

from scorecard.view import latest_period
from ui import loaders, shared_tables, widgets
from ui.format import badge, number, period_label
from ui.i18n import localized, report_name, separator, t

st.title(t("Overview"))
segment = widgets.segment_picker(key="overview_segment")
period = latest_period(loaders.measurements())
st.caption(t("Latest month: {period} · Segment: {segment}", period=period_label(period), segment=t(segment)))

report = loaders.report(period, segment)
widgets.score_strip(report)

kpis = report[report["level"] == "kpi"]
attention = kpis[kpis["status"] == "red"]
st.subheader(t("Needs attention"))
if attention.empty:
    st.success(t("No KPI is red this month."))
for _, row in attention.iterrows():
    st.markdown(f"{badge('red')} **{report_name(row)}**{separator()}{number(row['actual'], row['unit'])} "
                f"{t('vs target')} {number(row['target'], row['unit'])}{separator()}{localized(row, 'perspective')}")

st.subheader(t("All KPIs"))
shared_tables.show("report", period, segment)

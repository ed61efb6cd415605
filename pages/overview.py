"""Overview: the whole scorecard at a glance for the latest month, with what needs attention."""

import streamlit as st

from scorecard.view import latest_period
from ui import loaders, widgets
from ui.format import badge, number, period_label, score
from ui.i18n import localized, t

st.title(t("Overview"))
segment = widgets.segment_picker(key="overview_segment")
period = latest_period(loaders.measurements())
st.caption(t("Latest month: {period} · Segment: {segment}", period=period_label(period), segment=t(segment)))

report = loaders.report(period, segment)
overall = report[report["level"] == "overall"].iloc[0]
perspectives = report[report["level"] == "perspective"]

columns = st.columns(len(perspectives) + 1)
columns[0].metric(t("Overall score"), score(overall["score"]), border=True)
for column, (_, row) in zip(columns[1:], perspectives.iterrows()):
    column.metric(row["name"], score(row["score"]), badge(row["status"]), delta_color="off", border=True)

kpis = report[report["level"] == "kpi"]
attention = kpis[kpis["status"] == "red"]
st.subheader(t("Needs attention"))
if attention.empty:
    st.success(t("No KPI is red this month."))
for _, row in attention.iterrows():
    st.markdown(f"{badge('red')} **{localized(row, 'kpi')}** · {number(row['actual'], row['unit'])} "
                f"{t('vs target')} {number(row['target'], row['unit'])} · {localized(row, 'perspective')}")

st.subheader(t("All KPIs"))
widgets.report_table(report)

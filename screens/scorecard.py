"""Scorecard: the monthly meeting view, per period and customer segment."""

import streamlit as st

from ui.components import empty, freshness, pickers
from ui.core import loaders
from ui.core.i18n import t
from ui.projects import signal
from ui.scorecard import exports, meeting, navigation, period_context, shared_tables
from ui.scorecard import tables as scorecard_tables

st.title(t("Scorecard"))
empty.stop_if_empty()


@loaders.fragment
def scorecard() -> None:
    controls = st.container(horizontal=True, vertical_alignment="bottom")
    period = pickers.period_picker(key="scorecard_period", container=controls)
    segment = pickers.segment_picker(key="scorecard_segment", container=controls)
    meeting_mode = controls.toggle(t("Meeting mode"), key="meeting_mode",
                                      help=t("One perspective at a time, in large type, with the comments."))
    table = loaders.meeting_table(period, segment)
    period_context.caption(period, segment)
    freshness.data_as_of()
    scorecard_tables.score_strip(table)
    navigation.red_kpi_buttons(table, segment, period, key="scorecard_red")
    if meeting_mode:
        meeting.perspective_view(table, period)
    else:
        shared_tables.show("scorecard", period, segment)
        scorecard_tables.zero_score_notes(table)
        signal.verified_benefits(table, segment)
        st.caption(t("Signal: the last three months are not explained by the KPI's own level, trend, season and "
                     "month-to-month pattern. "
                     "Noise: the month is within the KPI's usual variation, whatever its colour.") + " "
                   + t("▶ n: active Six Sigma projects on the KPI in this segment."))
    exports.export_view(period, segment)


scorecard()

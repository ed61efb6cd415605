"""What-if: move targets and drivers and see, at once, which statuses change, how likely the
targets are and what follows along the strategy map; save, reopen, compare and promote scenarios."""

import streamlit as st

from ui.components import empty, pickers
from ui.core.i18n import t
from ui.whatif import loaders as whatif_loaders
from ui.whatif import panels as whatif_panels
from ui.whatif import scenarios as scenario_panels

st.title(t("What-if"))
whatif_panels.page_style()
empty.stop_if_empty()
st.caption(t("Play with targets and drivers. Nothing here changes the official scorecard until the "
             "CRM strategy team promotes a saved scenario's targets."))

month_column, segment_column = st.columns(2)
period = whatif_panels.month_picker(key="whatif_period", container=month_column)
segment = pickers.segment_picker(key="whatif_segment", container=segment_column)
kpi_ids = whatif_panels.kpi_choice(key="whatif_kpis")
whatif_loaders.prefit(kpi_ids, segment)  # forecasts ready before the first target move
whatif_panels.link_assumptions(period, segment)

whatif_panels.playground(period, segment, kpi_ids)

save_tab, saved_tab, compare_tab = st.tabs([t("Save"), t("Saved scenarios"), t("Compare")])
with save_tab:
    scenario_panels.save_form(period, segment)
with saved_tab:
    scenario_panels.saved_list()
with compare_tab:
    scenario_panels.compare()

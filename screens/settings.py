"""Settings: how the scorecard scores KPIs and rolls them up."""

import streamlit as st

from ui import loaders, settings_form
from ui.i18n import t

st.title(t("Scoring settings"))
st.caption(t("The defaults follow the published scoring rules (see README). Changes apply to every page "
             "and to the command-line report, and are recorded in the audit log."))
settings_form.scoring_form(loaders.scoring_config())
st.divider()
settings_form.refresh_panel()

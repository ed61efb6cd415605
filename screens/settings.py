"""Settings: how the scorecard scores KPIs and rolls them up."""

import streamlit as st

from ui.admin import settings as settings_form
from ui.core import loaders
from ui.core.i18n import t

st.title(t("Scoring settings"))
st.caption(t("How every KPI, objective and perspective is scored, with this month's data as the example. "
             "Changes apply to every page and to the command-line report, and are recorded in the audit log."))
settings_form.scoring_form(loaders.scoring_config(), loaders.scoring_version())
st.divider()
settings_form.refresh_panel()

"""KPI definitions: every KPI of the scorecard with its formula, unit, direction and owner."""

import streamlit as st

from ui.core import loaders
from ui.core.i18n import localized, t
from ui.scorecard import definitions

st.title(t("KPI definitions"))
st.caption(t("How each KPI is measured. SQL KPIs are computed from the CRM tables every month."))

definition = loaders.definition()
for perspective, kpis in definition.groupby("perspective", sort=False):
    st.subheader(localized(kpis.iloc[0], "perspective"))
    definitions.table(kpis)

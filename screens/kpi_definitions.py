"""KPI definitions: every KPI of the scorecard with its formula, unit, direction and owner."""

import streamlit as st

from ui.core import loaders
from ui.core.i18n import localized, t

st.title(t("KPI definitions"))
st.caption(t("How each KPI is measured. SQL KPIs are computed from the CRM tables every month."))

definition = loaders.definition()
for perspective, kpis in definition.groupby("perspective", sort=False):
    st.subheader(localized(kpis.iloc[0], "perspective"))
    table = kpis.assign(
        kpi=[localized(row, "kpi") for _, row in kpis.iterrows()],
        objective=[localized(row, "objective") for _, row in kpis.iterrows()],
        direction=kpis["direction"].map(lambda d: t("higher is better") if d == "higher" else t("lower is better")),
        aggregation=kpis["aggregation"].map(t),
        source=kpis["source"].map(t),
    )[["objective", "kpi", "unit", "direction", "aggregation", "weight", "owner", "source", "definition"]]
    st.dataframe(
        table, hide_index=True, width="stretch",
        column_config={
            "objective": t("Objective"), "kpi": t("KPI"), "unit": t("Unit"), "direction": t("Direction"),
            "aggregation": t("Aggregation over periods"), "weight": st.column_config.NumberColumn(t("Weight"), format="%.2f"),
            "owner": t("Owner"), "source": t("Source"), "definition": st.column_config.TextColumn(t("Definition"), width="large"),
        },
    )

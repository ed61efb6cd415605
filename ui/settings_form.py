"""The scoring settings form."""

from __future__ import annotations

import streamlit as st

from data.settings import save_setting
from scorecard.scoring import ScoringConfig
from ui.i18n import t
from ui.writing import write

METHODS = {
    "auto": "Linear from baseline to target where a baseline exists, else actual/target",
    "ratio": "Actual/target (target/actual when lower is better)",
    "linear": "Linear from baseline to target",
}


def scoring_form(config: ScoringConfig, version: int) -> None:
    """Edit method and thresholds; saved only when valid (amber threshold below green) and only over the
    ``version`` the form showed (a colleague's newer save refuses it)."""
    with st.form("scoring_settings", enter_to_submit=False):
        method = st.radio(t("KPI score method"), list(METHODS), index=list(METHODS).index(config.method),
                          format_func=lambda m: t(METHODS[m]))
        green_column, amber_column, band_column = st.columns(3)
        green = green_column.number_input(t("Green from score"), 0.0, 100.0, float(config.green), step=1.0)
        amber = amber_column.number_input(t("Amber from score"), 0.0, 100.0, float(config.amber), step=1.0)
        band = band_column.number_input(t("Default amber band (fraction of the target)"), 0.0, 1.0,
                                        float(config.default_amber), step=0.01, format="%.2f")
        submitted = st.form_submit_button(t("Save settings"), type="primary")
    if not submitted:
        st.session_state["scoring_version_shown"] = version
        return
    if amber > green:
        st.error(t("The amber threshold must not be above the green one. Nothing was saved."))
        return
    new = ScoringConfig(method=method, green=green, amber=amber, default_amber=band)
    if write(save_setting, "scoring", new.to_dict(), version=st.session_state.get("scoring_version_shown", version)):
        st.success(t("Saved. Every page now scores with these settings."))

"""What a screen shows while the scorecard holds no measurements yet (a production start is empty)."""

from __future__ import annotations

import streamlit as st

from ui.core import loaders
from ui.core.i18n import t


def has_measurements() -> bool:
    """Whether any KPI has a monthly actual."""
    return not loaders.measurements().empty


def stop_if_empty() -> None:
    """On a screen that needs data: say how data gets in, and show nothing else."""
    if not has_measurements():
        st.info(t("The scorecard has no measurements yet. The strategy team or an administrator imports KPIs "
                  "and measurements on the Scorecard data screen, or connects a CRM source and refreshes it on "
                  "the Scoring settings screen."), icon=":material/inbox:")
        st.stop()

"""CRM strategy dashboard: the entry point, a router over the screens in pages/."""

import logging

import streamlit as st

from ui import layout, loaders
from ui.i18n import t

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
st.set_page_config(page_title="CRM strategy dashboard", page_icon="📊", layout="wide")

layout.language_picker()
loaders.engine()
layout.user_picker()

navigation = st.navigation({
    t("Scorecard"): [
        st.Page("pages/overview.py", title=t("Overview"), icon="🏠", default=True, url_path="overview"),
        st.Page("pages/scorecard.py", title=t("Scorecard"), icon="📊", url_path="scorecard"),
        st.Page("pages/strategy_map.py", title=t("Strategy map"), icon="🗺️", url_path="strategy-map"),
        st.Page("pages/kpi_detail.py", title=t("KPI detail"), icon="🔎", url_path="kpi"),
    ],
    t("Six Sigma"): [
        st.Page("pages/spc_studio.py", title=t("SPC studio"), icon="📈", url_path="spc-studio"),
    ],
    t("Data & settings"): [
        st.Page("pages/data.py", title=t("Scorecard data"), icon="🗂️", url_path="data"),
        st.Page("pages/kpi_definitions.py", title=t("KPI definitions"), icon="📚", url_path="kpi-definitions"),
        st.Page("pages/settings.py", title=t("Scoring settings"), icon="⚙️", url_path="settings"),
    ],
})
navigation.run()

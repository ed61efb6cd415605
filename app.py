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
    ],
    t("Data & settings"): [
        st.Page("pages/kpi_definitions.py", title=t("KPI definitions"), icon="📚", url_path="kpi-definitions"),
    ],
})
navigation.run()

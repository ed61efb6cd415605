"""CRM strategy dashboard: the router over the screens in screens/, behind sign-in (app.py serves it).

The screens live in screens/, not pages/: Streamlit treats a folder named pages/ as an
old-style multipage app and would run pages/<name>.py directly (without this router) for a
deep link opened on a freshly started server."""

import logging

import streamlit as st

from ui.core import auth, layout, loaders
from ui.core.i18n import t

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
st.set_page_config(page_title="CRM strategy dashboard", page_icon="📊", layout="wide")

with loaders.database_answers():  # a database restart mid-run: one clear message; the next click reconnects
    loaders.start_run()  # cached loaders read the data versions afresh in this run
    loaders.engine()  # first run: creates, migrates and seeds the database behind a spinner
    account = auth.current_account()  # before the language picker: a resumed sign-in brings the user's language
    layout.language_picker()
    admin_pages = [st.Page("screens/users.py", title=t("Users"), icon=":material/group:", url_path="users")]
    navigation = st.navigation({
        t("Scorecard"): [
            layout.root(overview := st.Page("screens/overview.py", title=t("Overview"), icon=":material/home:",
                                             url_path="overview")),
            overview,
            st.Page("screens/scorecard.py", title=t("Scorecard"), icon=":material/table_chart:", url_path="scorecard"),
            st.Page("screens/strategy_map.py", title=t("Strategy map"), icon=":material/account_tree:", url_path="strategy-map"),
            st.Page("screens/kpi_detail.py", title=t("KPI detail"), icon=":material/query_stats:", url_path="kpi"),
            st.Page("screens/whatif.py", title=t("What-if"), icon=":material/science:", url_path="what-if"),
        ],
        t("Six Sigma"): [
            st.Page("screens/projects.py", title=t("Projects"), icon=":material/assignment:", url_path="projects"),
            st.Page("screens/project.py", title=t("Project workspace"), icon=":material/construction:", url_path="project"),
            st.Page("screens/spc_studio.py", title=t("SPC studio"), icon=":material/monitoring:", url_path="spc-studio"),
        ],
        t("Data & settings"): [
            st.Page("screens/data.py", title=t("Scorecard data"), icon=":material/edit_note:", url_path="data"),
            st.Page("screens/kpi_definitions.py", title=t("KPI definitions"), icon=":material/menu_book:", url_path="kpi-definitions"),
            st.Page("screens/settings.py", title=t("Scoring settings"), icon=":material/tune:", url_path="settings"),
            *(admin_pages if account is None or account.role == "admin" else []),  # deep links survive sign-in
        ],
    }, position="sidebar" if account else "hidden")
    layout.demo_label()
    if account is None:  # the deep link's page opens once signed in
        auth.sign_in_screen()
        st.stop()
    auth.account_box(account)
    auth.keep_signed_in()
    navigation.run()

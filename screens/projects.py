"""Projects: the Six Sigma portfolio with its timeline and benefits, and a form to start a project."""

import streamlit as st

from ui.core.auth import may_here
from ui.core.i18n import t
from ui.projects import portfolio

st.title(t("Six Sigma projects"))
st.caption(t("DMAIC and DFSS projects chosen from scorecard KPIs; most run 3 to 9 months."))

projects = portfolio.filtered()
portfolio.table(projects)
portfolio.open_button(projects)

timeline_column, benefits_column = st.columns([3, 2])
with timeline_column:
    st.subheader(t("Timeline"))
    portfolio.timeline(projects)
with benefits_column:
    st.subheader(t("Benefits by perspective"))
    portfolio.benefits(projects)

with st.expander(t("Start a project"), icon=":material/add:"):
    if may_here("projects.start"):
        portfolio.new_project_form()

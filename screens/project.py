"""Project workspace: the roadmap's phases with their tools, and each phase's tollgate."""

import streamlit as st

from ui.core.i18n import t
from ui.projects import loaders as project_loaders
from ui.projects import portfolio, report, workspace

st.title(t("Project workspace"))
project_id = workspace.project_picker(key=portfolio.OPEN_KEY)
if project_id is not None:
    detail = project_loaders.detail(project_id)
    workspace.header(detail["project"])
    report.download(detail)
    states = workspace.stepper(detail["project"])
    workspace.phase_view(detail, states)
    st.subheader(t("Tollgate decisions"))
    workspace.decisions(detail)

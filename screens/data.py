"""Data: edit the scorecard (structure, targets, links), import and export, and the audit log."""

import streamlit as st

from ui.admin import editors, imports
from ui.core import loaders
from ui.core.i18n import t
from ui.scorecard import exports

st.title(t("Scorecard data"))
st.caption(t("Edit cells, add rows at the bottom, delete rows with the row menu, then save. "
             "Every saved change is checked first and recorded in the audit log."))

structure, targets, links, import_tab, export_tab, audit = st.tabs([
    t("Perspectives, objectives & KPIs"), t("Targets"), t("Cause-and-effect links"),
    t("Import"), t("Export"), t("Audit log")])

with structure:
    st.subheader(t("Perspectives"))
    editors.table_editor(editors.perspectives_table(), key="edit_perspectives")
    st.subheader(t("Objectives"))
    editors.table_editor(editors.objectives_table(), key="edit_objectives")
    st.subheader(t("KPIs"))
    editors.table_editor(editors.kpis_table(), key="edit_kpis")

with targets:
    st.caption(t("A standing target has no month; a target for a month overrides it for that month."))
    editors.table_editor(editors.targets_table(), key="edit_targets")

with links:
    st.caption(t("Cause → effect between objectives, drawn on the strategy map."))
    editors.table_editor(editors.links_table(), key="edit_links")

with import_tab:
    imports.import_form()

with export_tab:
    exports.export_panel()

with audit:
    editors.audit_table(loaders.audit_log())

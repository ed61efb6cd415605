"""Saved what-if scenarios: save the sliders, reopen, promote, delete, and compare side by side."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data.scenarios import delete_scenario, promote_scenario, save_scenario
from scorecard import whatif as engine
from scorecard.io import table_csv, table_excel
from ui.core import loaders
from ui.core.format import period_label
from ui.core.i18n import t
from ui.core.writing import write
from ui.whatif import loaders as whatif_loaders
from ui.whatif import panels as whatif_panels


def save_form(period: str, segment: str) -> None:
    """Name the current sliders and save them; official data are never changed by saving."""
    with st.form("whatif_save", clear_on_submit=True, enter_to_submit=False):
        name = st.text_input(t("Scenario name"), key="whatif_save_name", max_chars=200)
        note = st.text_area(t("Assumptions and notes"), key="whatif_save_note", height=80)
        submitted = st.form_submit_button(t("Save scenario"), type="primary", icon=":material/save:")
    if not submitted:
        return
    chosen = whatif_panels.current_scenario(loaders.kpi_rows(period, segment), segment)
    if not (chosen.targets or chosen.changes):
        st.warning(t("The sliders are at the official values: move a target or a driver first."))
    elif write(save_scenario, name, period, segment, chosen.to_dict(), note):
        st.toast(t("Scenario saved."))


def _labels(saved: pd.DataFrame) -> dict[int, str]:
    return {int(row["id"]): f"{row['name']} · {row['author']} · {period_label(row['period'])} · {t(row['segment'])}"
            for _, row in saved.iterrows()}


def saved_list() -> None:
    """The saved scenarios; the chosen one can be reopened, promoted to official targets or deleted."""
    saved = whatif_loaders.saved_scenarios()
    if saved.empty:
        st.info(t("No scenario saved yet."))
        return
    st.dataframe(saved[["name", "author", "period", "segment", "note", "created_at"]], hide_index=True, width="stretch",
                 column_config={"name": t("Scenario name"), "author": t("Author"), "period": t("Month"),
                                "segment": t("Customer segment"), "note": t("Assumptions and notes"),
                                "created_at": st.column_config.DatetimeColumn(t("Saved"), format="YYYY-MM-DD HH:mm")})
    labels = _labels(saved)
    chosen = st.selectbox(t("Scenario"), list(labels), format_func=labels.get, key="whatif_saved_choice")
    row = saved.set_index("id").loc[chosen]
    reopen_column, promote_column, delete_column = st.columns(3)
    reopen_column.button(t("Reopen"), icon=":material/open_in_new:", key="whatif_reopen", on_click=whatif_panels.reopen,
                         args=(row["overrides"],))
    if promote_column.button(t("Make its targets official"), icon=":material/verified:", key="whatif_promote",
                             help=t("Only the CRM strategy team may promote a scenario's targets.")):
        if write(promote_scenario, chosen):
            st.success(t("The scenario's targets are now the official ones (audited)."))
    if delete_column.button(t("Delete"), icon=":material/delete:", key="whatif_delete"):
        if write(delete_scenario, chosen):
            st.rerun()


def _evaluated(row: pd.Series) -> pd.DataFrame:
    overrides = row["overrides"]
    rows = loaders.kpi_rows(overrides["period"], overrides["segment"])
    effects = whatif_loaders.link_effects(overrides["segment"])
    return engine.evaluate(rows, engine.Scenario.from_dict(overrides), effects, loaders.scoring_config()).report


def compare() -> None:
    """Two or three saved scenarios side by side, with CSV and Excel downloads."""
    saved = whatif_loaders.saved_scenarios()
    labels = _labels(saved)
    chosen = st.multiselect(t("Scenarios to compare (two or three)"), list(labels), format_func=labels.get,
                            max_selections=3, key="whatif_compare")
    if len(chosen) < 2:
        st.caption(t("Choose two or three saved scenarios."))
        return
    by_id = saved.set_index("id")
    reports = {by_id.at[i, "name"]: _evaluated(by_id.loc[i]) for i in chosen}
    table = engine.side_by_side(reports)
    st.dataframe(table, hide_index=True, width="stretch")
    csv_column, excel_column = st.columns(2)
    csv_column.download_button(t("Download CSV"), table_csv(table), "scenarios.csv", "text/csv",
                               icon=":material/download:", key="whatif_csv")
    excel_column.download_button(t("Download Excel"), table_excel(table, "Scenarios"), "scenarios.xlsx",
                                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                 icon=":material/download:", key="whatif_excel")

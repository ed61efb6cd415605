"""Saved what-if scenarios: save the sliders, reopen, promote, delete, and compare side by side."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data.scenarios import PROMOTE_PERMISSION, TargetChange, delete_scenario, promote_scenario, save_scenario
from scorecard import whatif as engine
from scorecard.io import table_csv, table_excel
from ui.core import loaders
from ui.components import tables
from ui.core.auth import may, why_not
from ui.core.format import moment_label, number, period_label, plain, score, user_names
from ui.core.i18n import localized, report_name, separator, t
from ui.core.messages import explain
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
    names = user_names()
    return {int(row["id"]): f"{row['name']} · {names.get(row['author'], row['author'])} · {period_label(row['period'])}"
                            f" · {t(row['segment'])}" for _, row in saved.iterrows()}


def _saved_as_read(saved: pd.DataFrame) -> pd.DataFrame:
    """The saved scenarios as the user reads them: authors by name, months, segments and times in their language."""
    names = user_names()
    return pd.DataFrame({t("Scenario name"): saved["name"], t("Author"): saved["author"].map(lambda u: names.get(u, u)),
                         t("Month"): saved["period"].map(period_label), t("Customer segment"): saved["segment"].map(t),
                         t("Assumptions and notes"): saved["note"], t("Saved"): saved["created_at"].map(moment_label)})


def saved_list() -> None:
    """The saved scenarios; the chosen one can be reopened, promoted to official targets or deleted."""
    saved = whatif_loaders.saved_scenarios()
    if saved.empty:
        st.info(t("No scenario saved yet."))
        return
    st.dataframe(_saved_as_read(saved), hide_index=True, width="stretch")
    labels = _labels(saved)
    chosen = st.selectbox(t("Scenario"), list(labels), format_func=labels.get, key="whatif_saved_choice")
    row = saved.set_index("id").loc[chosen]
    reopen_column, promote_column, delete_column = st.columns(3)
    reopen_column.button(t("Reopen"), icon=":material/open_in_new:", key="whatif_reopen", on_click=whatif_panels.reopen,
                         args=(row["overrides"],))
    allowed = may(PROMOTE_PERMISSION)
    promote_column.button(t("Make its targets official"), icon=":material/verified:", key="whatif_promote",
                          disabled=not allowed, on_click=_ask_to_promote, args=(int(chosen),),
                          help=t("Shows each target that would change, for you to confirm.") if allowed
                          else why_not(PROMOTE_PERMISSION))
    if delete_column.button(t("Delete"), icon=":material/delete:", key="whatif_delete"):
        if write(delete_scenario, chosen):
            st.rerun()
    if allowed and st.session_state.get(PREVIEW) == int(chosen):
        _promotion_preview(row)


PREVIEW = "whatif_promote_preview"


def _ask_to_promote(scenario_id: int) -> None:
    st.session_state[PREVIEW] = scenario_id


def _cancel_promotion() -> None:
    st.session_state.pop(PREVIEW, None)


def _months(own_months: tuple[str, ...]) -> str:
    """Which months a new standing target applies to."""
    if not own_months:
        return t("Every month without a target of its own")
    return t("Every month without a target of its own (not {months}, which keep theirs)",
             months=separator().join(period_label(month) for month in own_months))


def _preview_rows(changes: list[TargetChange], cards: dict[int, dict]) -> list[list[tables.Cell]]:
    """One row per changed target, in scorecard order: KPI, segment, months, old → new."""
    order = {kpi_id: position for position, kpi_id in enumerate(cards)}
    rows = []
    for change in sorted(changes, key=lambda c: order.get(c.kpi_id, len(order))):
        card = cards.get(change.kpi_id, {"kpi": str(change.kpi_id), "unit": ""})
        unit = card["unit"] or ""
        rows.append([tables.abbreviated(localized(card, "kpi")), tables.Cell(t(change.segment)),
                     tables.Cell(_months(change.own_months)), tables.Cell(number(change.old, unit), css="num"),
                     tables.Cell(number(change.new, unit), css="num")])
    return rows


def _promotion_preview(row: pd.Series) -> None:
    """What promoting the scenario would change, old → new, with Confirm and Cancel."""
    scenario_id = int(row.name)
    try:
        changes = whatif_loaders.promotion_preview(scenario_id)
    except ValueError as exc:
        st.error(explain(exc), icon=":material/error:")
        return
    with st.container(border=True):
        st.markdown(t("**Make “{name}” official?**", name=plain(row["name"])))
        if not changes:
            st.info(t("Every target of this scenario is already the official one: nothing would change."))
            st.button(t("Close"), key="whatif_promote_cancel", on_click=_cancel_promotion)
            return
        st.caption(t("Worked out for {period}. These become the segment's standing targets; the audit log records "
                     "them as one promotion.", period=period_label(row["period"])))
        tables.show([t(h) for h in ("KPI", "Customer segment", "Months", "Old target", "New target")],
                    _preview_rows(changes, whatif_loaders.kpi_cards(row["period"], row["segment"])), numeric=[3, 4])
        confirm_column, cancel_column = st.columns(2)
        confirmed = confirm_column.button(t("Confirm: make {n} target(s) official", n=number(len(changes), decimals=0)),
                                          type="primary", icon=":material/check:", key="whatif_promote_confirm")
        cancel_column.button(t("Cancel"), icon=":material/close:", key="whatif_promote_cancel",
                             on_click=_cancel_promotion)
    if confirmed and write(promote_scenario, scenario_id):
        _cancel_promotion()
        st.success(t("The scenario's targets are now the official ones (audited)."))


def _evaluated(row: pd.Series) -> pd.DataFrame:
    overrides = row["overrides"]
    rows = loaders.kpi_rows(overrides["period"], overrides["segment"])
    effects = whatif_loaders.link_effects(overrides["segment"])
    return engine.evaluate(rows, engine.Scenario.from_dict(overrides), effects, loaders.scoring_config()).report


def _column_names(chosen: pd.DataFrame, taken: set[str]) -> dict[int, str]:
    """Each chosen scenario's column name: its name, with its number when two share a name or it is ``taken``
    (an official column's name)."""
    repeated = chosen["name"].duplicated(keep=False) | chosen["name"].isin(taken)
    return {int(i): f"{name} (#{i})" if twice else str(name) for i, name, twice in zip(chosen.index, chosen["name"], repeated)}


def _officials(chosen: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The official report of each month and segment the scenarios are for, by its column name."""
    contexts = list(dict.fromkeys(zip(chosen["period"], chosen["segment"])))
    if len(contexts) == 1:
        return {t("Official"): loaders.report(*contexts[0])}
    return {t("Official ({period}, {segment})", period=period_label(p), segment=t(s)): loaders.report(p, s)
            for p, s in contexts}


VALUE_HEADERS = {"target": "{scenario}: target", "status": "{scenario}: status", "score": "{scenario}: score"}


def _shown(column: str, value, unit: str, is_kpi: bool) -> str:
    """A cell of the comparison as the user reads it: a target with its unit, a translated status, a rounded score."""
    if column == "target":
        return number(value, unit) if is_kpi and pd.notna(value) else ""
    if column == "status":
        return t(value) if isinstance(value, str) else ""
    return score(value) if pd.notna(value) else ""


def comparison_frame(table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The comparison as shown and exported: names in the user's language, each of ``columns``
    (``"<label>: target|status|score"`` of :func:`scorecard.whatif.side_by_side`) formatted, headers translated."""
    records = table.to_dict("records")
    frame = pd.DataFrame({t("Perspective"): [localized(r, "perspective") if isinstance(r["perspective"], str) else ""
                                             for r in records],
                          t("Objective"): [localized(r, "objective") if isinstance(r["objective"], str) else ""
                                           for r in records],
                          t("Scorecard item"): [report_name(r) for r in records]})
    for column in columns:
        label, _, kind = column.rpartition(": ")
        frame[t(VALUE_HEADERS[kind], scenario=label)] = [
            _shown(kind, r[column], r["unit"] if isinstance(r["unit"], str) else "", r["level"] == "kpi") for r in records]
    return frame


def _show_comparison(table: pd.DataFrame, frame: pd.DataFrame, columns: list[str]) -> None:
    """The comparison as a fitting table: statuses on their colours, roll-up rows in bold."""
    shown = frame.drop(columns=[t("Perspective"), t("Objective")])
    status_columns = {i + 1 for i, column in enumerate(columns) if column.endswith(": status")}
    rows = []
    for position, values in enumerate(shown.itertuples(index=False)):
        cells = [tables.abbreviated(values[0])]
        for i, text in enumerate(values[1:], start=1):
            raw = table[columns[i - 1]].iloc[position]
            cells.append(tables.status_cell(raw, text) if i in status_columns and text else tables.Cell(text, css="num"))
        rows.append(cells)
    numeric = [i for i in range(1, len(shown.columns)) if i not in status_columns]
    tables.show(list(shown.columns), rows, numeric=numeric, row_classes=[f"level-{level}" for level in table["level"]])


def compare() -> None:
    """Two or three saved scenarios side by side: the official targets and each scenario's target,
    status and score, in scorecard order, with CSV and Excel downloads of the same table."""
    saved = whatif_loaders.saved_scenarios()
    labels = _labels(saved)
    chosen = st.multiselect(t("Scenarios to compare (two or three)"), list(labels), format_func=labels.get,
                            max_selections=3, key="whatif_compare")
    if len(chosen) < 2:
        st.caption(t("Choose two or three saved scenarios."))
        return
    by_id = saved.set_index("id").loc[chosen]
    officials = _officials(by_id)
    names = _column_names(by_id, set(officials))
    table = engine.side_by_side({names[i]: _evaluated(by_id.loc[i]) for i in chosen}, officials)
    columns = [c for c in table.columns if c.endswith((": target", ": status", ": score"))]
    frame = comparison_frame(table, columns)
    _show_comparison(table, frame, columns)
    csv_column, excel_column = st.columns(2)
    csv_column.download_button(t("Download CSV"), table_csv(frame), "scenarios.csv", "text/csv",
                               icon=":material/download:", key="whatif_csv")
    excel_column.download_button(t("Download Excel"), table_excel(frame, "Scenarios"), "scenarios.xlsx",
                                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                 icon=":material/download:", key="whatif_excel")

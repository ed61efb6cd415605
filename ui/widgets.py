"""Shared widgets: segment and period pickers, the scorecard table."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from scorecard.charts import strategy_map_figure
from scorecard.periods import period_options
from ui import loaders
from ui.format import STATUS_TONE, number, period_label, score, signal_label, signed, status_style
from ui.i18n import is_rtl, localized, report_name, t

GRAINS = {"month": "Month", "quarter": "Quarter", "year": "Year"}

LEVEL_INDENT = {"overall": "", "perspective": "", "objective": "  ", "kpi": "    • "}


def segment_picker(key: str, container=st) -> str:
    """Pick a customer segment (All first); the seed asks for a scorecard per segment."""
    names = loaders.segments()["name"].tolist()
    language_key = f"{key}_fa" if is_rtl() else key  # a new widget per language re-labels the chosen segment
    return container.selectbox(t("Customer segment"), names, format_func=t, key=language_key)


def period_picker(key: str, container=st) -> str:
    """Pick a grain (month, quarter, year) and one period of it, newest first (Jalali in Persian)."""
    months = sorted(loaders.measurements()["period"].unique())
    grain_column, period_column = container.columns([4, 5])
    grain = grain_column.segmented_control(t("Period"), list(GRAINS), default="month", format_func=lambda g: t(GRAINS[g]),
                                           key=f"{key}_grain") or "month"
    calendar = "jalali" if is_rtl() else "gregorian"
    options = period_options(months, grain, calendar)[::-1]
    return period_column.selectbox(t("Reporting period"), options, format_func=period_label,
                                   key=f"{key}_{calendar}_{grain}")


def kpi_picker(key: str, container=st) -> pd.Series:
    """Pick a KPI (grouped by perspective in the label); returns its definition row."""
    definition = loaders.definition()
    labels = {int(row["kpi_id"]): f"{localized(row, 'perspective')} › {localized(row, 'kpi')}"
              for _, row in definition.iterrows()}
    chosen = container.selectbox(t("KPI"), list(labels), format_func=labels.get, key=key)
    return definition[definition["kpi_id"] == chosen].iloc[0]


def objective_statuses(report: pd.DataFrame) -> pd.DataFrame:
    """Objectives with status and score for the strategy map (id, name, perspective, status, score)."""
    objectives = loaders.objectives()
    scored = report[report["level"] == "objective"].set_index("name")
    return pd.DataFrame({
        "id": objectives["id"], "name": [localized(row) for _, row in objectives.iterrows()],
        "perspective": objectives["perspective"],
        "status": objectives["name"].map(scored["status"]).fillna("none"),
        "score": objectives["name"].map(scored["score"]),
    })


def strategy_map(report: pd.DataFrame, supported: pd.Series | None = None):
    """The strategy map figure coloured by the report's objective statuses."""
    links = loaders.links().copy()
    if supported is not None:
        links["supported"] = links["id"].map(supported)
    return strategy_map_figure(objective_statuses(report), links, loaders.perspectives()["name"].tolist(), tr=t)


def _display_name(row: pd.Series) -> str:
    return LEVEL_INDENT[row["level"]] + report_name(row)


def _cells(table: pd.DataFrame, column: str) -> list[str]:
    """A numeric column as text with each row's unit ("" on roll-up rows)."""
    units = table["unit"].fillna("") if "unit" in table else pd.Series("", index=table.index)
    show = signed if column == "variance" else number
    return [show(v, u) if pd.notna(v) else "" for v, u in zip(table[column], units)]


def _core_columns(table: pd.DataFrame) -> dict[str, object]:
    """Status, item (indented by level), actual and target: the columns every scorecard table starts with."""
    return {t("Status"): table["status"].map(t), t("Scorecard item"): table.apply(_display_name, axis=1),
            t("Actual"): _cells(table, "actual"), t("Target"): _cells(table, "target")}


def _show(shown: pd.DataFrame, table: pd.DataFrame, key: str, column_config: dict, height: int | str = "auto") -> None:
    """A scorecard table with its status column coloured (translated word on the status colour)."""
    styled = shown.style.apply(lambda _: [status_style(s) for s in table["status"]], subset=[t("Status")])
    st.dataframe(styled, hide_index=True, width="stretch", key=key, height=height, column_config={
        t("Score"): st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.0f"), **column_config})


def report_table(report: pd.DataFrame, key: str = "report_table") -> None:
    """The scored hierarchy as one table: status, actual, target, score."""
    shown = pd.DataFrame({**_core_columns(report), t("Score"): report["score"]}, index=report.index)
    _show(shown, report, key, {})


def _score_card(column, label: str, row: pd.Series) -> None:
    column.metric(label, score(row["score"]), t(row["status"]), delta_color=STATUS_TONE[row["status"]],
                  delta_arrow="off", border=True)


def score_strip(table: pd.DataFrame) -> None:
    """Overall and per-perspective scores as a row of metric cards."""
    overall = table[table["level"] == "overall"].iloc[0]
    perspectives = table[table["level"] == "perspective"]
    columns = st.columns(len(perspectives) + 1)
    _score_card(columns[0], t("Overall score"), overall)
    for column, (_, row) in zip(columns[1:], perspectives.iterrows()):
        _score_card(column, report_name(row), row)


def scorecard_table(table: pd.DataFrame, key: str = "scorecard_table", projects: pd.Series | str = "") -> None:
    """Perspectives → objectives → KPIs: status, actual, target, variance, score, trend, signal, projects, owner."""
    shown = pd.DataFrame({
        **_core_columns(table),
        t("Variance"): _cells(table, "variance"),
        t("Score"): table["score"],
        t("Trend (12 months)"): table["trend"],
        t("Signal or noise"): table["signal"].map(signal_label),
        t("Six Sigma"): projects,
        t("Owner"): table["owner"].fillna("") if "owner" in table else "",
    }, index=table.index)
    _show(shown, table, key, {t("Trend (12 months)"): st.column_config.LineChartColumn(width="small")},
          height=min(38 + 35 * len(shown), 900))


def objective_from_selection(event, key: str) -> str:
    """The objective clicked on the strategy map, or picked in the box below it."""
    objectives = loaders.objectives()
    names = objectives["name"].tolist()
    points = (event or {}).get("selection", {}).get("points", []) if hasattr(event, "get") else []
    ids = [p.get("customdata") for p in points if p.get("customdata") is not None]
    if ids:
        clicked = ids[0][0] if isinstance(ids[0], list) else ids[0]
        match = objectives.loc[objectives["id"] == clicked, "name"]
        if len(match):
            st.session_state[key] = match.iloc[0]
    return st.selectbox(t("Objective"), names, key=key)


VERDICTS = {"supported": "✔ supported", "inconclusive": "✘ not supported by the data (inconclusive)",
            "opposite": "✘ the data show the opposite effect", "not_enough_data": "not enough data to test"}


def evidence_table(evidence: pd.DataFrame) -> None:
    """The link evidence with a plain verdict per link."""
    if evidence.empty:
        st.info(t("No links to test yet: add them on the Data page."))
        return
    shown = evidence.assign(verdict=evidence["verdict"].map(lambda v: t(VERDICTS.get(v, v))))
    columns = [c for c in ["cause", "effect", "verdict", "lag", "correlation", "slope", "ci_low", "ci_high",
                           "p_value", "n"] if c in shown]
    st.dataframe(shown[columns], hide_index=True, width="stretch", column_config={
        "cause": t("Cause"), "effect": t("Effect"), "verdict": t("Verdict"), "lag": t("Lag (months)"),
        "correlation": st.column_config.NumberColumn(t("Correlation"), format="%.2f"),
        "slope": st.column_config.NumberColumn(t("Slope"), format="%.2f"),
        "ci_low": st.column_config.NumberColumn(t("95% CI low"), format="%.2f"),
        "ci_high": st.column_config.NumberColumn(t("95% CI high"), format="%.2f"),
        "p_value": st.column_config.NumberColumn(t("p-value"), format="%.3f"), "n": t("Months")})

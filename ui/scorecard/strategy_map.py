"""The strategy map: objectives coloured by status, the clicked objective, the links' evidence table."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from scorecard import strategy_map_figure
from ui.components import pickers, tables
from ui.components.tables import Cell
from ui.core import loaders
from ui.core.format import number
from ui.core.i18n import localized, t


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
    perspectives = loaders.perspectives()
    names = {row["name"]: localized(row) for _, row in perspectives.iterrows()}
    return strategy_map_figure(objective_statuses(report), links, perspectives["name"].tolist(),
                               tr=lambda text: names.get(text) or t(text))


def objective_from_selection(event, key: str) -> str:
    """The objective clicked on the strategy map, or picked in the box below it (its names in the user's language)."""
    key = pickers.per_language(key)
    objectives = loaders.objectives()
    names = objectives["name"].tolist()
    points = (event or {}).get("selection", {}).get("points", []) if hasattr(event, "get") else []
    ids = [p.get("customdata") for p in points if p.get("customdata") is not None]
    if ids:
        clicked = ids[0][0] if isinstance(ids[0], list) else ids[0]
        match = objectives.loc[objectives["id"] == clicked, "name"]
        if len(match):
            st.session_state[key] = match.iloc[0]
    shown = {row["name"]: localized(row) for _, row in objectives.iterrows()}
    return st.selectbox(t("Objective"), names, format_func=shown.get, key=key)


def objective_name(name: str) -> str:
    """An objective's name in the user's language."""
    objectives = loaders.objectives()
    match = objectives[objectives["name"] == name]
    return localized(match.iloc[0]) if len(match) else name


VERDICTS = {"supported": "✔ supported", "inconclusive": "✘ not supported by the data (inconclusive)",
            "opposite": "✘ the data show the opposite effect", "not_enough_data": "not enough data to test"}


EVIDENCE_HEADER = ("Cause", "Effect", "Verdict", "Lag (months)", "Correlation", "Slope", "95% confidence interval",
                   "p-value", "Months")


def _evidence_row(row: pd.Series, names: dict[str, str]) -> list[Cell]:
    interval = f"{number(row['ci_low'], decimals=2)} … {number(row['ci_high'], decimals=2)}"
    numbers = [number(row["lag"], decimals=0), number(row["correlation"], decimals=2), number(row["slope"], decimals=2),
               interval, number(row["p_value"], decimals=3), number(row["n"], decimals=0)]
    return [Cell(names.get(row["cause"], row["cause"])), Cell(names.get(row["effect"], row["effect"])),
            Cell(t(VERDICTS.get(row["verdict"], row["verdict"]))),
            *(Cell(n, css="num") for n in numbers)]


def evidence_table(evidence: pd.DataFrame) -> None:
    """The link evidence with a plain verdict per link."""
    if evidence.empty:
        st.info(t("No links to test yet: add them on the Data page."))
        return
    names = {row["name"]: localized(row) for _, row in loaders.objectives().iterrows()}
    tables.show([t(h) for h in EVIDENCE_HEADER], [_evidence_row(row, names) for _, row in evidence.iterrows()],
                numeric=range(3, len(EVIDENCE_HEADER)))

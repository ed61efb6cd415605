"""Panels of the KPI page: forecast with the probability of meeting the target, control chart, projects."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from scorecard import kpi_history_figure
from sixsigma import control_chart_figure
from ui.components import charts, tables
from ui.components.tables import Cell
from ui.core import loaders
from ui.core.format import chance, date_label, number, user_names
from ui.core.i18n import digits, localized, separator, t
from ui.projects import loaders as project_loaders
from ui.core.messages import explain


MODEL_WORDS = {  # the forecast's model codes (scorecard/forecast.py) in words a meeting reads
    "ETS(A,N,N)": "exponential smoothing of the level",
    "ETS(A,A,N)": "exponential smoothing with a trend",
    "ETS(A,Ad,N)": "exponential smoothing with a fading trend",
    "ETS(A,N,A)": "exponential smoothing with a season",
    "ETS(A,Ad,A)": "exponential smoothing with a fading trend and a season",
    "random walk": "random walk (next month like this one)",
    "random walk with drift": "random walk with drift",
    "AR(1) around a mean": "pull back to the mean (AR(1))",
    "mean of a short history": "mean of a short history",
    "constant": "constant",
}


def model_words(model: str) -> str:
    """The forecast's weighted models ("ETS(A,N,N) 41%, …") in the user's words and digits."""
    parts = []
    for part in filter(None, (p.strip() for p in model.split(", "))):
        name, _, weight = part.rpartition(" ")
        if weight.endswith("%") and name in MODEL_WORDS:
            parts.append(f"{t(MODEL_WORDS[name])} {number(float(weight[:-1]), '%', decimals=0)}")
        else:
            parts.append(t(MODEL_WORDS.get(part, part)))
    return separator().join(parts)


@st.fragment
def forecast_panel(kpi: pd.Series, segment: str) -> None:
    """History against target with the forecast band; the horizon slider reruns only this panel."""
    chart_column, side_column = st.columns([3, 1])
    horizon = side_column.select_slider(t("Forecast horizon (months)"), list(range(1, 13)), 3,
                                        format_func=lambda months: digits(str(months)), key="forecast_horizon")
    outlook = loaders.kpi_outlook(int(kpi["kpi_id"]), segment, horizon)
    if outlook.error:
        side_column.warning(explain(outlook.error))
    else:
        side_column.metric(t("Chance of meeting the target"), chance(outlook.probability),
                           help=t("Forecast probability that the actual {h} months after the last one meets "
                                  "the target ({target}).", h=digits(str(horizon)), target=number(outlook.target, kpi["unit"])),
                           border=True)
        side_column.caption(t("Model: {model}", model=model_words(outlook.model)))
    figure = kpi_history_figure(outlook.history, outlook.targets, outlook.forecast,
                                title=localized(kpi, "kpi"), tr=t)
    charts.show(figure, chart_column, width="stretch", key="kpi_history_chart")


def control_chart_panel(kpi: pd.Series, segment: str) -> None:
    """The KPI's own individuals chart: is the latest month a signal or just noise?"""
    st.subheader(t("Control chart"))
    chartset, labels = loaders.kpi_control_chart(int(kpi["kpi_id"]), segment)
    if chartset is None:
        st.info(t("Too little history for a control chart (at least 8 months are needed)."))
        return
    charts.show(control_chart_figure(chartset, labels=labels, tr=t), width="stretch", key="kpi_control_chart")


def linked_projects(kpi: pd.Series) -> None:
    """Six Sigma projects working on this KPI."""
    projects = project_loaders.portfolio()
    mine = projects[projects["kpi_id"] == kpi["kpi_id"]]
    if mine.empty:
        st.caption(t("No Six Sigma project works on this KPI yet."))
        return
    names = user_names()
    rows = [[Cell(row["title"]), Cell(str(row["kind"]).upper()), Cell(t(str(row["phase"]).capitalize())),
             Cell(t(row["status"])), Cell(names.get(row["belt"], row["belt"])), Cell(date_label(row["planned_end"]))]
            for _, row in mine.iterrows()]
    tables.show([t(h) for h in ("Project", "Kind", "Phase", "Status", "Belt", "Planned end")], rows)

"""Panels of the KPI page: forecast with the probability of meeting the target, signal or noise, projects."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data.projects import add_stage
from scorecard import kpi_history_figure
from scorecard.signal_chart import signal_figure
from scorecard.signals import SignalStatus
from ui.components import charts, tables
from ui.components.tables import Cell
from ui.core import loaders
from ui.core.auth import may
from ui.core.format import chance, date_label, number, period_label, user_names
from ui.core.i18n import digits, localized, separator, t
from ui.projects import loaders as project_loaders
from ui.core.messages import explain
from ui.core.writing import write


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


@loaders.fragment
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


def pattern_words(parts: tuple[str, ...]) -> str:
    """The pattern's parts in words: "level, trend and season"."""
    words = [t(part) for part in parts]
    if len(words) < 2:
        return "".join(words)
    return t("{first} and {last}", first=separator().join(words[:-1]), last=words[-1])


def signal_sentence(labels: list[str], status: SignalStatus) -> str:
    """The verdict in one sentence, e.g. "2026-10 is 3.4σ above what its level, trend and season predict"."""
    recent = len(status.predicted)
    if status.verdict == "short" or not recent:
        return t("Too little history to judge whether the last months are a signal or noise.")
    if status.verdict == "noise":
        return t("Noise: the last {n} months are within what its own pattern predicts.", n=digits(str(recent)))
    model = pattern_words(status.model)
    if "outside_band" in status.rules:
        values = {"month": period_label(labels[status.month]), "sigmas": number(abs(status.sigmas), decimals=1),
                  "model": model}
        if status.sigmas > 0:
            return t("Signal: {month} is {sigmas}σ above what its {model} predict.", **values)
        return t("Signal: {month} is {sigmas}σ below what its {model} predict.", **values)
    values = {"n": digits(str(recent)), "sigmas": number(abs(status.shift_sigmas), decimals=1), "model": model}
    if status.shift_sigmas > 0:
        return t("Signal: together the last {n} months lie {sigmas}σ above what its {model} predict.", **values)
    return t("Signal: together the last {n} months lie {sigmas}σ below what its {model} predict.", **values)


def signal_panel(kpi: pd.Series, segment: str) -> None:
    """Signal or noise: are the KPI's last months what its own level, trend and season predict?"""
    st.subheader(t("Signal or noise"))
    labels, values, status = loaders.kpi_signal(int(kpi["kpi_id"]), segment)
    sentence = signal_sentence(labels, status)
    if status.verdict == "signal":
        st.warning(sentence)
    else:
        st.info(sentence)
    if len(values):
        charts.show(signal_figure(labels, values, status, tr=t), width="stretch", key="kpi_signal_chart")
    st.caption(t("The shaded band is the range the pattern fitted before the last months predicts for them. "
                 "Classic Shewhart control charts (I-MR and others) of this KPI are in the SPC studio."))
    if may("stages.edit") and labels:
        _stage_form(int(kpi["kpi_id"]), labels)


def _stage_form(kpi_id: int, months: list[str]) -> None:
    """Belts and the strategy team mark a known process change: the KPI's history is judged from there on."""
    with st.expander(t("Mark a process change (a new stage starts)")), \
            st.form(f"stage_{kpi_id}", clear_on_submit=True, enter_to_submit=False):
        month = st.selectbox(t("First month of the new process"), months[::-1], format_func=period_label,
                             key=f"stage_month_{kpi_id}")
        reason = st.text_input(t("What changed"), key=f"stage_reason_{kpi_id}")
        if st.form_submit_button(t("Start a new stage")) and write(add_stage, kpi_id, month, reason):
            st.toast(t("New stage from {month}.", month=period_label(month)))
            st.rerun()  # the verdict above is judged again from the new stage

def linked_projects(kpi: pd.Series) -> None:
    """Six Sigma projects working on this KPI."""
    projects = project_loaders.portfolio()
    mine = projects[projects["kpi_id"] == kpi["kpi_id"]]
    if mine.empty:
        st.caption(t("No Six Sigma project works on this KPI yet."))
        return
    names = user_names()
    rows = [[Cell(row["title"]), Cell(str(row["kind"]).upper()), Cell(t(str(row["phase"]).capitalize())),
             Cell(t(row["status"])), Cell(names.get(row["belt"], row["belt"])), Cell(date_label(row["planned_end"])),
             Cell(number(row["verified_benefit"], "$k") if pd.notna(row["verified_benefit"]) else "—")]
            for _, row in mine.iterrows()]
    tables.show([t(h) for h in ("Project", "Kind", "Phase", "Status", "Belt", "Planned end", "Verified benefit a year")],
                rows, numeric=[6])

"""What a quarter or year view covers: the months scored so far and each month's overall score."""

from __future__ import annotations

import streamlit as st

from scorecard import months_in
from ui.core import loaders
from ui.core.format import period_label, reporting_period, score
from ui.core.i18n import separator, t


def _monthly_scores(period: str, segment: str) -> str:
    available = set(loaders.measurements()["period"].unique())
    parts = []
    for month in (m for m in months_in(period) if m in available):
        overall = loaders.report(month, segment)
        parts.append(f"{period_label(month)} {score(overall[overall['level'] == 'overall'].iloc[0]['score'])}")
    return separator().join(parts)


def caption(period: str, segment: str) -> None:
    """The period as scored ("Q4 2026 to date (1 of 3 months)"); for a quarter or year, the overall score month by month."""
    text = t("Scored: {period} · Segment: {segment}", period=reporting_period(period), segment=t(segment))
    if len(months_in(period)) > 1:
        text += "  \n" + t("Overall score month by month: {scores}. Each KPI is aggregated over the months "
                           "with data and compared with its target summed over the same months.",
                           scores=_monthly_scores(period, segment))
    st.caption(text)

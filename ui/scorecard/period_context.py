"""What a quarter or year view covers: the months scored so far and each month's overall score."""

from __future__ import annotations

import streamlit as st

from scorecard import months_in
from ui.core import loaders
from ui.core.format import period_label, reporting_period, score
from ui.core.i18n import separator, t


def _monthly_scores(period: str, segment: str) -> dict[str, float]:
    """The overall score of each month of ``period`` that has data."""
    available = set(loaders.measurements()["period"].unique())
    scores = {}
    for month in (m for m in months_in(period) if m in available):
        overall = loaders.report(month, segment)
        scores[month] = float(overall[overall["level"] == "overall"].iloc[0]["score"])
    return scores


def caption(period: str, segment: str) -> None:
    """The period as scored ("Q4 2026 to date (1 of 3 months)"); for a quarter or year, the overall score month by month."""
    text = t("Scored: {period} · Segment: {segment}", period=reporting_period(period), segment=t(segment))
    monthly = _monthly_scores(period, segment) if len(months_in(period)) > 1 else {}
    if monthly:
        shown = separator().join(f"{period_label(month)} {score(value)}" for month, value in monthly.items())
        text += "  \n" + t("Overall score month by month: {scores} (mean {mean}). The period is scored on its own "
                           "totals: each KPI is aggregated over the months with data and compared with its target "
                           "summed over the same months, from its baseline summed the same way, so a period that "
                           "starts far below target can score below the mean of its months.",
                           scores=shown, mean=score(sum(monthly.values()) / len(monthly)))
    st.caption(text)

"""Figures in Persian (ui.components.charts): Jalali month ticks and hover labels, Persian-digit number ticks."""

from __future__ import annotations

import pandas as pd
import pytest

import ui.components.charts
import ui.core.format
import ui.core.i18n
from scorecard.charts import kpi_history_figure, strategy_map_figure
from ui.components.charts import localize_figure, nice_ticks

HISTORY = pd.Series([5100.0, 5250.4, 4980.0, 5400.0], index=pd.period_range("2026-03", periods=4, freq="M"))


@pytest.fixture()
def persian(monkeypatch):
    for module in (ui.components.charts, ui.core.format, ui.core.i18n):
        monkeypatch.setattr(module, "is_rtl", lambda: True)
    for module in (ui.core.format, ui.core.i18n):
        monkeypatch.setattr(module, "language", lambda: "fa")


def test_english_figures_are_left_as_plotly_draws_them():
    figure = kpi_history_figure(HISTORY, 5200.0)
    assert localize_figure(figure).layout.xaxis.ticktext is None


def test_persian_month_axis_is_jalali_with_persian_digits(persian):
    figure = localize_figure(kpi_history_figure(HISTORY, 5200.0))
    # 2026-03 is counted in Esfand 1404 (the Jalali year starts on 21 March), 2026-04 in Farvardin 1405
    assert figure.layout.xaxis.ticktext[:2] == ("اسفند ۱۴۰۴", "فروردین ۱۴۰۵")
    assert all(not any(c.isascii() and c.isdigit() for c in text) for text in figure.layout.yaxis.ticktext)
    actual = next(trace for trace in figure.data if trace.name == "Actual")
    assert actual.hovertext[1] == "Actual، فروردین ۱۴۰۵، ۵٬۲۵۰" and figure.layout.hovermode == "closest"


def test_persian_keeps_a_figures_own_hover_text_changing_only_digits(persian):
    objectives = pd.DataFrame({"id": [1], "name": ["Grow revenue"], "perspective": ["Financial"],
                               "status": ["red"], "score": [65.7]})
    figure = localize_figure(strategy_map_figure(objectives, pd.DataFrame(columns=["cause_id", "effect_id"]),
                                                 ["Financial"]))
    assert figure.data[0].hovertext[0].endswith("Score: ۶۶")


def test_nice_ticks_are_round_and_cover_the_range():
    assert nice_ticks(4980.0, 5400.0).tolist() == [4900.0, 5000.0, 5100.0, 5200.0, 5300.0, 5400.0]

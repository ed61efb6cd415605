"""Figure builders of the scorecard: traces, colours, positions and translated labels."""

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from scorecard.charts import (
    STATUS_COLORS,
    kpi_history_figure,
    sparkline,
    sparkline_points,
    status_color,
    strategy_map_figure,
)
from scorecard.forecast import forecast


def test_status_colours():
    assert status_color("green") == STATUS_COLORS["green"]
    assert status_color("red") != status_color("amber")
    assert status_color("none") == status_color(None) == status_color("unknown")


def test_sparklines():
    assert sparkline_points([1, None, "x", 2.123456, np.nan]) == [1.0, 2.1235]
    figure = sparkline([3.0, 1.0, np.nan, 2.0])
    assert isinstance(figure, go.Figure)
    assert list(figure.data[0].y) == [3.0, 1.0, 2.0] and list(figure.data[1].y) == [2.0]
    assert figure.layout.xaxis.visible is False and figure.layout.height == 40
    assert len(sparkline([]).data) == 1


def test_kpi_history_figure_with_target_series_and_forecast():
    history = pd.Series(np.arange(20.0) + np.sin(np.arange(20)), index=pd.period_range("2023-01", periods=20, freq="M"))
    targets = pd.Series(18.0, index=pd.period_range("2023-01", periods=23, freq="M"))
    band = forecast(history, 3)
    figure = kpi_history_figure(history, targets, band, title="Revenue", tr=str.upper)
    names = [trace.name for trace in figure.data]
    assert names == ["95 % INTERVAL"] * 2 + ["80 % INTERVAL"] * 2 + ["FORECAST", "ACTUAL", "TARGET"]
    assert figure.data[3].fill == "tonexty"
    assert len(figure.data[4].x) == 4                       # joined to the last actual
    assert figure.data[6].line.shape == "hv"
    assert figure.layout.title.text == "Revenue"
    assert pd.Timestamp(figure.data[5].x[0]) == pd.Timestamp("2023-01-01")


def test_kpi_history_figure_flat_target_and_none():
    history = pd.Series([1.0, 2.0, 3.0], index=pd.period_range("2024-01", periods=3, freq="M"))
    flat = kpi_history_figure(history, 2.5)
    assert [t.name for t in flat.data] == ["Actual", "Target"] and list(flat.data[1].y) == [2.5, 2.5]
    assert [t.name for t in kpi_history_figure(history, None).data] == ["Actual"]
    empty = pd.Series([], dtype=float, index=pd.PeriodIndex([], freq="M"))
    assert len(kpi_history_figure(empty, pd.Series(dtype=float)).data) == 1


def _objectives() -> pd.DataFrame:
    return pd.DataFrame({"id": [1, 2, 3, 4], "name": ["Grow revenue", "Keep customers", "Serve fast", "Train staff"],
                         "perspective": ["Financial", "Customer", "Customer", "Learning"],
                         "status": ["green", "red", "amber", "none"], "score": [95.0, 50.0, 75.0, np.nan]})


def test_strategy_map_layout_colours_and_links():
    links = pd.DataFrame({"cause_id": [4, 2, 3, 9], "effect_id": [2, 1, 1, 1], "strength": [0.5, 0.9, 0.2, 1.0],
                          "supported": [True, False, None, True]})
    figure = strategy_map_figure(_objectives(), links, ["Financial", "Customer", "Learning"], tr=str.upper)
    nodes = figure.data[0]
    assert list(nodes.customdata) == [1, 2, 3, 4]
    assert list(nodes.y) == [2, 1, 1, 0]                      # first perspective on top
    assert list(nodes.x) == pytest.approx([0.5, 1 / 3, 2 / 3, 0.5 + 0.14])  # lone nodes zig-zag
    lines = [shape for shape in figure.layout.shapes if shape.type == "line"]
    boxes = [shape for shape in figure.layout.shapes if shape.type == "rect"]
    assert [box.fillcolor for box in boxes] == [STATUS_COLORS[s] for s in ("green", "red", "amber", "none")]
    assert list(figure.layout.yaxis.ticktext) == ["FINANCIAL", "CUSTOMER", "LEARNING"]
    assert len(lines) == 3 and len(figure.layout.annotations) == 3   # link to unknown id skipped
    assert [line.line.dash for line in lines] == ["solid", "dash", "solid"]
    assert lines[1].line.width > lines[0].line.width
    first = lines[0]  # objective 4 (0.64, 0) → objective 2 (1/3, 1): starts above box 4 and ends below box 2
    assert first.y0 == pytest.approx(0.24 * 1.08) and first.y1 == pytest.approx(1 - 0.24 * 1.08)
    assert figure.layout.clickmode == "event+select"
    assert "SCORE" in nodes.hovertext[0]


def test_strategy_map_unlisted_perspective_and_bad_input():
    objectives = _objectives().assign(perspective=["Financial", "Customer", "Customer", "Extra"])
    links = pd.DataFrame(columns=["cause_id", "effect_id", "strength"])
    figure = strategy_map_figure(objectives, links, ["Financial", "Customer", "Unused"])
    assert list(figure.layout.yaxis.ticktext) == ["Financial", "Customer", "Extra"]
    with pytest.raises(ValueError, match="status"):
        strategy_map_figure(objectives.drop(columns="status"), links, [])

"""Plotly figures of the scorecard: sparklines, a KPI's history with target and forecast, the strategy map.

Every builder takes an optional ``tr`` callable that translates its labels (default: identity)
and returns a ``plotly.graph_objects.Figure``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from errors import DomainError

Translate = Callable[[str], str]
STATUS_COLORS = {"green": "#1e8e3e", "amber": "#f2a600", "red": "#d93025", "none": "#9aa0a6"}
LINE = "#1f4e79"
FORECAST = "#6a3d9a"
TARGET = "#5f6368"
LINK_SUPPORTED = "#37474f"
LINK_UNSUPPORTED = "#b0b7bf"
LINK_UNTESTED = "#78909c"


def _identity(text: str) -> str:
    return text


def status_color(status: str | None) -> str:
    """The colour of a status (green, amber, red); grey for none or anything unknown."""
    return STATUS_COLORS.get(str(status), STATUS_COLORS["none"])


def sparkline_points(values: Iterable[float], digits: int = 4) -> list[float]:
    """Values as a plain list of rounded floats without gaps (for a table's line-chart column)."""
    array = pd.to_numeric(pd.Series(list(values), dtype=object), errors="coerce").to_numpy(dtype=float)
    return [round(float(v), digits) for v in array[~np.isnan(array)]]


def sparkline(values: Iterable[float], tr: Translate = _identity, color: str = LINE) -> go.Figure:
    """A tiny line without axes; the last point is marked."""
    points = sparkline_points(values)
    figure = go.Figure(go.Scatter(y=points, mode="lines", line={"color": color, "width": 1.5},
                                  hoverinfo="y", name=tr("Actual")))
    if points:
        figure.add_trace(go.Scatter(x=[len(points) - 1], y=[points[-1]], mode="markers", hoverinfo="skip",
                                    marker={"color": color, "size": 4}, name=tr("Latest")))
    figure.update_layout(height=40, width=140, margin={"l": 0, "r": 0, "t": 0, "b": 0}, showlegend=False,
                         xaxis={"visible": False}, yaxis={"visible": False},
                         paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)")
    return figure


def _dates(index: pd.Index) -> pd.DatetimeIndex:
    """Monthly labels as timestamps for a date axis."""
    if isinstance(index, pd.PeriodIndex):
        return index.to_timestamp()
    return pd.DatetimeIndex(pd.to_datetime(index.astype(str)))


def _band(figure: go.Figure, x: pd.DatetimeIndex, lower: pd.Series, upper: pd.Series, name: str, opacity: float) -> None:
    figure.add_trace(go.Scatter(x=x, y=upper, mode="lines", line={"width": 0}, hoverinfo="skip",
                                showlegend=False, legendgroup=name, name=name))
    figure.add_trace(go.Scatter(x=x, y=lower, mode="lines", line={"width": 0}, fill="tonexty",
                                fillcolor=f"rgba(106, 61, 154, {opacity})", legendgroup=name, name=name))


def kpi_history_figure(history: pd.Series, target: pd.Series | float | None = None,
                       forecast_df: pd.DataFrame | None = None, title: str = "",
                       tr: Translate = _identity) -> go.Figure:
    """A KPI's monthly actuals, its target (a step line, or a flat line for one number) and forecast.

    ``forecast_df`` is :func:`scorecard.forecast.forecast`'s frame (mean, lower, upper and
    optionally lower_95, upper_95); its bands are drawn shaded behind the forecast mean.
    """
    figure = go.Figure()
    x = _dates(history.index)
    future = _dates(forecast_df.index) if forecast_df is not None and len(forecast_df) else x[:0]
    if forecast_df is not None and len(forecast_df):
        if {"lower_95", "upper_95"} <= set(forecast_df.columns):
            _band(figure, future, forecast_df["lower_95"], forecast_df["upper_95"], tr("95 % interval"), 0.12)
        _band(figure, future, forecast_df["lower"], forecast_df["upper"], tr("80 % interval"), 0.25)
        joined_x = x[-1:].append(future) if len(x) else future
        joined_y = np.concatenate([history.to_numpy(dtype=float)[-1:], forecast_df["mean"].to_numpy(dtype=float)])
        figure.add_trace(go.Scatter(x=joined_x, y=joined_y, mode="lines+markers", name=tr("Forecast"),
                                    line={"color": FORECAST, "dash": "dash"}, marker={"size": 5}))
    figure.add_trace(go.Scatter(x=x, y=history.to_numpy(dtype=float), mode="lines+markers", name=tr("Actual"),
                                line={"color": LINE, "width": 2}, marker={"size": 5}))
    if isinstance(target, pd.Series) and len(target):
        figure.add_trace(go.Scatter(x=_dates(target.index), y=target.to_numpy(dtype=float), mode="lines",
                                    name=tr("Target"), line={"color": TARGET, "shape": "hv", "dash": "dot"}))
    elif target is not None and not isinstance(target, pd.Series) and np.isfinite(float(target)):
        span = x.append(future) if len(future) else x
        if len(span):
            figure.add_trace(go.Scatter(x=[span.min(), span.max()], y=[float(target)] * 2, mode="lines",
                                        name=tr("Target"), line={"color": TARGET, "dash": "dot"}))
    figure.update_layout(title=title or None, hovermode="x unified", margin={"l": 10, "r": 10, "t": 50 if title else 20, "b": 10},
                         legend={"orientation": "h", "y": -0.15}, xaxis={"title": None}, yaxis={"title": None})
    return figure


BOX_HALF_WIDTH, BOX_HALF_HEIGHT = 0.085, 0.24  # node boxes, in axis units (x 0–1, one row per perspective)
LONE_NODE_SHIFT = (0.0, -0.14, 0.14)  # rows with one objective zig-zag so arrows do not run through nodes


def node_positions(objectives: pd.DataFrame, perspective_order: list[str]) -> tuple[dict, list[str]]:
    """(x, y) of each objective id: one row per perspective, the first perspective on top."""
    rows = list(dict.fromkeys(list(perspective_order) + [p for p in objectives["perspective"] if p not in perspective_order]))
    rows = [p for p in rows if (objectives["perspective"] == p).any()]
    positions = {}
    for level, perspective in enumerate(rows):
        ids = objectives.loc[objectives["perspective"] == perspective, "id"].tolist()
        shift = LONE_NODE_SHIFT[level % len(LONE_NODE_SHIFT)] if len(ids) == 1 else 0.0
        for column, objective_id in enumerate(ids):
            positions[objective_id] = ((column + 1) / (len(ids) + 1) + shift, len(rows) - 1 - level)
    return positions, rows


def link_style(supported) -> tuple[str, str]:
    """A link's colour and dash: solid dark when supported, dashed grey when not, blue-grey when untested."""
    if supported is None or (isinstance(supported, float) and np.isnan(supported)) or supported is pd.NA:
        return LINK_UNTESTED, "solid"
    return (LINK_SUPPORTED, "solid") if bool(supported) else (LINK_UNSUPPORTED, "dash")


def _box_exit(dx: float, dy: float) -> float:
    """The fraction of a cause → effect segment that lies inside a node box at either end."""
    limits = [BOX_HALF_WIDTH / abs(dx) if dx else np.inf, BOX_HALF_HEIGHT / abs(dy) if dy else np.inf]
    return min(min(limits) * 1.08, 0.45)


def _link(start: tuple[float, float], end: tuple[float, float], strength: float, supported) -> tuple[dict, dict]:
    """A line from box edge to box edge (dashed when unsupported) and its arrowhead annotation."""
    color, dash = link_style(supported)
    (x0, y0), (x1, y1) = start, end
    inside = _box_exit(x1 - x0, y1 - y0)
    tail = (x0 + inside * (x1 - x0), y0 + inside * (y1 - y0))
    head = (x1 - inside * (x1 - x0), y1 - inside * (y1 - y0))
    near = (x1 - (inside + 0.05) * (x1 - x0), y1 - (inside + 0.05) * (y1 - y0))
    width = 1.0 + 3.0 * float(np.clip(strength if np.isfinite(strength) else 0.3, 0.0, 1.0))
    line = {"type": "line", "x0": tail[0], "y0": tail[1], "x1": head[0], "y1": head[1], "layer": "below",
            "line": {"color": color, "width": width, "dash": dash}}
    arrow = {"x": head[0], "y": head[1], "ax": near[0], "ay": near[1], "xref": "x", "yref": "y", "axref": "x",
             "ayref": "y", "text": "", "showarrow": True, "arrowhead": 3, "arrowsize": 1.2, "arrowwidth": width,
             "arrowcolor": color}
    return line, arrow


def _box(centre: tuple[float, float], status) -> dict:
    """A box in the status colour behind an objective's name."""
    x, y = centre
    return {"type": "rect", "x0": x - BOX_HALF_WIDTH, "x1": x + BOX_HALF_WIDTH, "y0": y - BOX_HALF_HEIGHT,
            "y1": y + BOX_HALF_HEIGHT, "layer": "between", "fillcolor": status_color(status),
            "line": {"color": "white", "width": 2}, "name": "objective"}


def strategy_map_figure(objectives: pd.DataFrame, links: pd.DataFrame, perspective_order: list[str],
                        tr: Translate = _identity) -> go.Figure:
    """The strategy map: objectives as boxes in rows by perspective, coloured by status, arrows cause → effect.

    ``objectives``: id, name, perspective, status, score. ``links``: cause_id, effect_id,
    strength (0–1, line width) and optional supported (True solid dark, False dashed grey,
    missing solid blue-grey). Each node's customdata is its objective id, so a click
    selection (``points[i].customdata``) names the objective.
    """
    missing = [c for c in ("id", "name", "perspective", "status") if c not in objectives]
    if missing:
        raise DomainError("Objectives lack column(s): {columns}.", columns=missing)
    positions, rows = node_positions(objectives, perspective_order)
    figure = go.Figure()
    drawn = [_link(positions[link["cause_id"]], positions[link["effect_id"]], float(link.get("strength", np.nan)),
                   link.get("supported"))
             for link in links.to_dict("records") if link["cause_id"] in positions and link["effect_id"] in positions]
    boxes = [_box(positions[i], status) for i, status in zip(objectives["id"], objectives["status"])]
    # Set all shapes at once: add_shape/add_annotation re-validate the whole layout on every call.
    figure.update_layout(shapes=[line for line, _ in drawn] + boxes, annotations=[arrow for _, arrow in drawn])
    scores = objectives["score"] if "score" in objectives else pd.Series(np.nan, index=objectives.index)
    hover = [f"<b>{name}</b><br>{tr('Status')}: {tr(str(status))}<br>{tr('Score')}: "
             + ("—" if pd.isna(score) else f"{score:.0f}")
             for name, status, score in zip(objectives["name"], objectives["status"], scores)]
    figure.add_trace(go.Scatter(
        x=[positions[i][0] for i in objectives["id"]], y=[positions[i][1] for i in objectives["id"]],
        mode="markers+text", text=["<br>".join(textwrap.wrap(str(n), 20)) for n in objectives["name"]],
        textposition="middle center", textfont={"color": "white", "size": 12},
        customdata=objectives["id"].tolist(), hovertext=hover, hoverinfo="text",
        marker={"size": 48, "symbol": "square", "opacity": 0.01,  # invisible click target over the box
                "color": [status_color(s) for s in objectives["status"]]},
        name=tr("Objectives"), showlegend=False))
    figure.update_layout(
        height=max(300, 150 * len(rows) + 60), margin={"l": 10, "r": 10, "t": 20, "b": 10},
        xaxis={"visible": False, "range": [0, 1], "fixedrange": True},
        yaxis={"range": [-0.6, max(len(rows) - 0.4, 0.6)], "tickvals": list(range(len(rows) - 1, -1, -1)),
               "ticktext": [tr(p) for p in rows], "showgrid": True, "zeroline": False, "fixedrange": True},
        clickmode="event+select", dragmode=False, plot_bgcolor="rgba(0,0,0,0)")
    return figure

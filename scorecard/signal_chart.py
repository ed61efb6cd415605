"""The chart a signal-or-noise verdict came from: history, the fitted pattern, the recent months' band.

:func:`signal_figure` draws what :func:`scorecard.signals.recent_signal` judged: the KPI's months, the
pattern fitted over the history it used (from ``status.start``, marked by a vertical line), the recent
months' prediction with the band the verdict used, and the recent actuals (red when outside the band).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from scorecard.charts import LINE, STATUS_COLORS, TARGET, Translate, _identity
from scorecard.signals import SignalStatus

PATTERN = "#6a3d9a"
BAND = "rgba(106, 61, 154, 0.18)"


def outside_band(values: Sequence[float], status: SignalStatus) -> list[bool]:
    """For each recent month (oldest first), whether its actual lies outside the verdict's band."""
    recent = np.asarray(values, dtype=float)[len(values) - len(status.predicted):] if status.predicted else []
    return [bool(v < lo or v > hi) for v, lo, hi in zip(recent, status.lower, status.upper)]


def signal_figure(labels: Sequence[str], values: Sequence[float], status: SignalStatus,
                  tr: Translate = _identity) -> go.Figure:
    """A plotly figure of a KPI's monthly ``values`` (``labels`` "YYYY-MM", oldest first) and its ``status``.

    ``values`` are those :func:`recent_signal` judged (missing months are dropped first, as it does).
    """
    array = np.asarray(values, dtype=float)
    keep = ~np.isnan(array)
    array = array[keep]
    x = pd.DatetimeIndex(pd.to_datetime([str(label)[:7] for label, k in zip(labels, keep) if k], format="%Y-%m"))
    n, recent = len(array), len(status.predicted)
    figure = go.Figure()
    figure.add_trace(go.Scatter(x=x, y=array, mode="lines+markers", name=tr("Actual"),
                                line={"color": LINE, "width": 2}, marker={"size": 5}))
    if status.fitted:
        used = x[status.start:status.start + len(status.fitted)]
        figure.add_trace(go.Scatter(x=used, y=np.asarray(status.fitted, dtype=float), mode="lines",
                                    name=tr("Pattern fitted"), line={"color": PATTERN, "width": 1.5}))
    if recent:
        ahead = x[n - recent:]
        band_name = tr("Predicted range")
        figure.add_trace(go.Scatter(x=ahead, y=list(status.upper), mode="lines", line={"width": 0},
                                    hoverinfo="skip", showlegend=False, legendgroup="band", name=band_name))
        figure.add_trace(go.Scatter(x=ahead, y=list(status.lower), mode="lines", line={"width": 0},
                                    fill="tonexty", fillcolor=BAND, legendgroup="band", name=band_name))
        figure.add_trace(go.Scatter(x=ahead, y=list(status.predicted), mode="lines+markers", name=tr("Predicted"),
                                    line={"color": PATTERN, "dash": "dash"}, marker={"size": 5}))
        flagged = outside_band(array, status)
        colors = [STATUS_COLORS["red"] if out else LINE for out in flagged]
        figure.add_trace(go.Scatter(x=ahead, y=array[n - recent:], mode="markers", name=tr("Recent months"),
                                    marker={"color": colors, "size": 11, "line": {"color": "white", "width": 1.5}}))
    if status.fitted and 0 <= status.start < n:
        figure.add_shape(type="line", x0=x[status.start], x1=x[status.start], y0=0, y1=1, xref="x", yref="paper",
                         line={"color": TARGET, "dash": "dot", "width": 1})
        figure.add_annotation(x=x[status.start], y=1, xref="x", yref="paper", text=tr("History used"),
                              showarrow=False, xanchor="left", yanchor="bottom", font={"size": 11, "color": TARGET})
    figure.update_layout(hovermode="x unified", margin={"l": 10, "r": 10, "t": 30, "b": 10},
                         legend={"orientation": "h", "y": -0.15}, xaxis={"title": None}, yaxis={"title": None})
    return figure

"""Plotly figures for control charts and capability (return ``plotly.graph_objects.Figure``).

Visible labels pass through ``tr`` (a str -> str translator, identity by default) so the app
can show them in any language.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots
from scipy import stats

from errors import DomainError
from sixsigma.capability import Capability
from sixsigma.spc import Chart, ChartSet, Signal

__all__ = ["CHART_TITLES", "capability_figure", "control_chart_figure"]

Translator = Callable[[str], str]
WEBGL_ABOVE = 2000
SIGNAL_COLOR = "#d62728"
LIMIT_COLOR = "#7f7f7f"

CHART_TITLES: dict[str, str] = {
    "individuals": "Individuals",
    "moving_range": "Moving range",
    "xbar": "Subgroup mean",
    "range": "Range",
    "stdev": "Std. deviation",
    "p": "Proportion",
    "laney_p": "Proportion (Laney)",
    "np": "Nonconforming",
    "c": "Count",
    "u": "Per unit",
    "laney_u": "Per unit (Laney)",
    "ewma": "EWMA",
    "cusum_upper": "CUSUM C+",
    "cusum_lower": "CUSUM C-",
}


def _identity(text: str) -> str:
    return text


def _scatter(n_points: int) -> type[go.Scatter] | type[go.Scattergl]:
    return go.Scattergl if n_points > WEBGL_ABOVE else go.Scatter


def _varies(arr: np.ndarray) -> bool:
    finite = arr[np.isfinite(arr)]
    return finite.size > 0 and bool(np.ptp(finite) > 0)


def _line_traces(chart: Chart, x: np.ndarray, tr: Translator) -> list[go.Scatter]:
    """Centre and limit lines, stepped (hv) where they vary per sample."""
    trace = _scatter(len(x))
    out = []
    for key, label, dash in (("center", "Centre", "solid"), ("ucl", "UCL", "dash"), ("lcl", "LCL", "dash")):
        arr = getattr(chart, key)
        if not np.isfinite(arr).any():
            continue
        shape = "hv" if _varies(arr) else "linear"
        line = dict(color=LIMIT_COLOR if key != "center" else "#2ca02c", dash=dash, width=1)
        if trace is go.Scatter:
            line["shape"] = shape
        xs, ys = x, arr
        if shape == "linear" and np.isfinite(arr).all():  # a constant line needs only its two ends
            xs, ys = x[[0, -1]], arr[[0, -1]]
        out.append(trace(x=xs, y=ys, mode="lines", name=tr(label), line=line, hoverinfo="skip", showlegend=False))
    return out


def signal_words(chart: Chart, signal: Signal, tr: Translator = _identity) -> str:
    """What a signal means: its run rule, or, on EWMA and CUSUM, a crossing of that chart's own limits."""
    if chart.name == "ewma":
        return tr("EWMA beyond its limits (λ = {lam}, L = {L})").format(lam=f"{chart.details['lam']:g}",
                                                                     L=f"{chart.details['L']:g}")
    if chart.name.startswith("cusum"):
        return tr("CUSUM beyond its decision interval (k = {k}, h = {h})").format(k=f"{chart.details['k']:g}",
                                                                                 h=f"{chart.details['h']:g}")
    return tr(signal.description)


def _signal_trace(chart: Chart, x: Sequence[Any], tr: Translator) -> go.Scatter | None:
    if not chart.signals:
        return None
    by_index: dict[int, list[str]] = {}
    for s in chart.signals:
        by_index.setdefault(s.index, []).append(signal_words(chart, s, tr))
    idx = sorted(by_index)
    text = [f"{tr('Sample')} {x[i]}<br>" + "<br>".join(by_index[i]) for i in idx]
    return _scatter(len(x))(
        x=[x[i] for i in idx], y=chart.values[idx], mode="markers", name=tr("Signal"),
        marker=dict(color=SIGNAL_COLOR, size=9, symbol="circle-open", line=dict(width=2)),
        hovertext=text, hoverinfo="text", showlegend=False,
    )


def _boundaries(chartset: ChartSet) -> list[int]:
    """0-based indices where a new stage or phase II begins."""
    cuts: set[int] = set()
    if chartset.stages is not None:
        labels = np.asarray(chartset.stages)
        cuts.update((np.flatnonzero(labels[1:] != labels[:-1]) + 1).tolist())
    phase = chartset.phase1
    if phase.any() and not phase.all():
        first_out = int(np.argmin(phase))
        if phase[:first_out].all() and not phase[first_out:].any():
            cuts.add(first_out)
    return sorted(cuts)


def control_chart_figure(chartset: ChartSet, labels: Sequence[Any] | None = None, title: str | None = None,
                         tr: Translator = _identity) -> go.Figure:
    """One subplot per chart: values, centre and limits, red signal markers, stage lines."""
    m = chartset.charts[0].values.size
    if labels is not None and len(labels) != m:
        raise DomainError("labels has {size} entries but the chart has {m} samples", size=len(labels), m=m)
    # One array, not a list: Plotly validates a list element by element in every trace.
    x = np.array([str(v) for v in labels], dtype=object) if labels is not None else np.arange(1, m + 1)
    offset = -0.5 if labels is not None else 0.5
    fig = make_subplots(
        rows=len(chartset.charts), cols=1, shared_xaxes=True, vertical_spacing=0.08,
        subplot_titles=[tr(CHART_TITLES.get(c.name, c.name)) for c in chartset.charts],
    )
    trace = _scatter(m)
    for row, chart in enumerate(chartset.charts, start=1):
        fig.add_trace(
            trace(x=x, y=chart.values, mode="lines+markers" if m <= WEBGL_ABOVE else "lines",
                  name=tr(CHART_TITLES.get(chart.name, chart.name)), marker=dict(size=5),
                  line=dict(width=1, color="#1f77b4"), showlegend=False),
            row=row, col=1,
        )
        for line in _line_traces(chart, x, tr):
            fig.add_trace(line, row=row, col=1)
        signal = _signal_trace(chart, x, tr)
        if signal is not None:
            fig.add_trace(signal, row=row, col=1)
    for cut in _boundaries(chartset):
        fig.add_vline(x=cut + offset, line=dict(color="#9467bd", dash="dot", width=1), row="all", col=1)
    fig.update_layout(title=tr(title) if title else None, margin=dict(l=40, r=20, t=60, b=30),
                      hovermode="closest", template="plotly_white")
    if labels is not None:  # month labels read as dates would put the stage lines (sample positions) in 1970
        fig.update_xaxes(type="category")
    return fig


def capability_figure(data: Any, cap: Capability, lsl: float | None = None, usl: float | None = None,
                      target: float | None = None, tr: Translator = _identity) -> go.Figure:
    """Histogram with spec limits, target and normal curves for σ within and σ overall."""
    values = np.asarray(data, dtype=float).ravel()
    values = values[~np.isnan(values)]
    marks = {
        "LSL": cap.lsl if lsl is None else lsl,
        "USL": cap.usl if usl is None else usl,
        "Target": target,   # drawn only when one is set (not the mid-specification default)
    }
    finite_marks = [v for v in marks.values() if v is not None and np.isfinite(v)]
    spread = 4 * max(cap.sigma_within, cap.sigma_overall)
    lo = min([values.min(), cap.mean - spread, *finite_marks])
    hi = max([values.max(), cap.mean + spread, *finite_marks])
    grid = np.linspace(lo, hi, 300)
    fig = go.Figure()
    fig.add_trace(go.Histogram(x=values, histnorm="probability density", name=tr("Data"),
                               marker=dict(color="#aec7e8"), opacity=0.8))
    for label, sigma, dash in (("Within", cap.sigma_within, "solid"), ("Overall", cap.sigma_overall, "dash")):
        fig.add_trace(go.Scatter(x=grid, y=stats.norm.pdf(grid, cap.mean, sigma), mode="lines",
                                 name=tr(label), line=dict(dash=dash)))
    for label, value in marks.items():
        if value is not None and np.isfinite(value):
            fig.add_vline(x=value, line=dict(color=SIGNAL_COLOR if label != "Target" else "#2ca02c", dash="dot"),
                          annotation_text=tr(label), annotation_position="top")
    fig.update_layout(title=tr("Process capability"), bargap=0.02, template="plotly_white",
                      margin=dict(l=40, r=20, t=60, b=30))
    return fig

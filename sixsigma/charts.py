"""Plotly figures for control charts and capability (return ``plotly.graph_objects.Figure``).

Visible labels pass through ``tr`` (a str -> str translator, identity by default) so the app
can show them in any language.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots
from scipy import stats

from errors import DomainError
from sixsigma._summary import GraphicalSummary, multi_vari, probability_points
from sixsigma.capability import Capability
from sixsigma.spc import Chart, ChartSet, Signal

__all__ = ["CHART_TITLES", "capability_figure", "control_chart_figure", "graphical_summary_figure", "multi_vari_figure",
           "probability_plot_figure", "residual_plots_figure"]

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


PERCENT_TICKS = (1, 5, 10, 25, 50, 75, 90, 95, 99)
"""The probability axis' ticks (percent), as Minitab's normal probability plot labels them."""
DATA_COLOR = "#1f77b4"
LEVEL_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf")


def _probability_traces(values: Any, tr: Translator) -> list[go.Scatter]:
    """The points of a normal probability plot (normal score on y) and the line of the normal they are tested
    against."""
    points = probability_points(values)
    return [go.Scatter(x=points["value"], y=points["z"], mode="markers", name=tr("Data"),
                       marker=dict(color=DATA_COLOR, size=6), customdata=points["percent"],
                       hovertemplate="%{x}<br>%{customdata:.1f}%<extra></extra>", showlegend=False),
            go.Scatter(x=points["fit"], y=points["z"], mode="lines", name=tr("Normal"), hoverinfo="skip",
                       line=dict(color=SIGNAL_COLOR, width=1), showlegend=False)]


def _percent_axis(fig: go.Figure, **where: Any) -> None:
    """Label a normal-score axis in percent (1 … 99)."""
    fig.update_yaxes(tickvals=stats.norm.ppf(np.array(PERCENT_TICKS) / 100), ticktext=[str(p) for p in PERCENT_TICKS],
                     **where)


def probability_plot_figure(values: Any, title: str | None = None, tr: Translator = _identity) -> go.Figure:
    """Normal probability plot: each value against its percent (Benard's median ranks), with the normal line."""
    fig = go.Figure(_probability_traces(values, tr))
    _percent_axis(fig)
    fig.update_layout(title=tr(title or "Normal probability plot"), yaxis_title=tr("Percent"), template="plotly_white",
                      margin=dict(l=40, r=20, t=60, b=30))
    return fig


def graphical_summary_figure(summary: GraphicalSummary, title: str | None = None,
                             tr: Translator = _identity) -> go.Figure:
    """Minitab's graphical summary: histogram with the normal curve, box plot, and the intervals of mean and
    median."""
    level = f"{1 - summary.alpha:.0%}"
    fig = make_subplots(rows=3, cols=1, row_heights=[0.6, 0.15, 0.25], vertical_spacing=0.08,
                        subplot_titles=["", "", tr("{level} confidence intervals").format(level=level)])
    spread = 4 * summary.std_dev
    grid = np.linspace(min(summary.minimum, summary.mean - spread), max(summary.maximum, summary.mean + spread), 200)
    fig.add_trace(go.Histogram(x=summary.values, histnorm="probability density", name=tr("Data"),
                               marker=dict(color="#aec7e8"), opacity=0.9, showlegend=False), row=1, col=1)
    fig.add_trace(go.Scatter(x=grid, y=stats.norm.pdf(grid, summary.mean, summary.std_dev), mode="lines",
                             name=tr("Normal"), line=dict(color=SIGNAL_COLOR), showlegend=False), row=1, col=1)
    fig.add_trace(go.Box(x=summary.values, name="", marker=dict(color=DATA_COLOR), boxpoints="outliers",
                         showlegend=False, quartilemethod="exclusive"), row=2, col=1)
    for name, centre, (low, high) in (("Mean", summary.mean, summary.mean_ci),
                                      ("Median", summary.median, summary.median_ci)):
        fig.add_trace(go.Scatter(x=[centre], y=[tr(name)], mode="markers", name=tr(name), showlegend=False,
                                 marker=dict(color=DATA_COLOR, size=9),
                                 error_x=dict(type="data", symmetric=False, array=[high - centre],
                                              arrayminus=[centre - low], width=6)), row=3, col=1)
    fig.update_xaxes(matches="x", showticklabels=False, row=2, col=1)
    fig.update_yaxes(showticklabels=False, row=2, col=1)
    fig.update_layout(title=tr(title or "Graphical summary"), template="plotly_white", bargap=0.02,
                      margin=dict(l=60, r=20, t=70, b=30))
    return fig


def multi_vari_figure(frame: Any, response: str, factors: Sequence[str], tr: Translator = _identity) -> go.Figure:
    """Multi-vari chart: the response's values and its cell means connected across the first factor's levels, one
    line per level of the second factor, one panel per level of the third."""
    factors = list(factors)
    table = multi_vari(frame, response, factors)
    panels = sorted(table[factors[2]].unique(), key=str) if len(factors) == 3 else [None]
    fig = make_subplots(rows=1, cols=len(panels), shared_yaxes=True, horizontal_spacing=0.03,
                        subplot_titles=[f"{factors[2]} = {p}" for p in panels] if len(factors) == 3 else None)
    data = frame.assign(**{response: pd.to_numeric(frame[response], errors="coerce")})
    for col, panel in enumerate(panels, start=1):
        cells = table if panel is None else table[table[factors[2]] == panel]
        rows = data if panel is None else data[data[factors[2]] == panel]
        fig.add_trace(go.Scatter(x=rows[factors[0]].astype(str), y=rows[response], mode="markers", name=tr("Data"),
                                 marker=dict(color="#c7c7c7", size=5), showlegend=False), row=1, col=col)
        lines = [(None, cells)] if len(factors) == 1 else list(cells.groupby(factors[1], sort=True))
        for index, (level, line) in enumerate(lines):
            fig.add_trace(go.Scatter(x=line[factors[0]].astype(str), y=line["mean"], mode="lines+markers",
                                     name=tr("Mean") if level is None else f"{factors[1]} = {level}",
                                     legendgroup=str(level), showlegend=col == 1,
                                     line=dict(color=LEVEL_COLORS[index % len(LEVEL_COLORS)])), row=1, col=col)
    levels = [str(level) for level in table[factors[0]].drop_duplicates().sort_values()]
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=levels, title_text=factors[0])
    fig.update_yaxes(title_text=response, row=1, col=1)
    fig.update_layout(title=tr("Multi-vari chart of {response}").format(response=response), template="plotly_white",
                      margin=dict(l=40, r=20, t=70, b=30))
    return fig


def residual_plots_figure(fitted: Any, residuals: Any, tr: Translator = _identity) -> go.Figure:
    """A regression's residuals against its fitted values, and their normal probability plot."""
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.12,
                        subplot_titles=[tr("Residuals versus fits"), tr("Normal probability plot of residuals")])
    fig.add_trace(go.Scatter(x=np.asarray(fitted, dtype=float), y=np.asarray(residuals, dtype=float), mode="markers",
                             name=tr("Residual"), marker=dict(color=DATA_COLOR, size=6), showlegend=False),
                  row=1, col=1)
    fig.add_hline(y=0, line=dict(color=LIMIT_COLOR, dash="dash", width=1), row=1, col=1)
    for trace in _probability_traces(residuals, tr):
        fig.add_trace(trace, row=1, col=2)
    _percent_axis(fig, row=1, col=2)
    fig.update_xaxes(title_text=tr("Fitted value"), row=1, col=1)
    fig.update_xaxes(title_text=tr("Residual"), row=1, col=2)
    fig.update_yaxes(title_text=tr("Residual"), row=1, col=1)
    fig.update_yaxes(title_text=tr("Percent"), row=1, col=2)
    fig.update_layout(template="plotly_white", margin=dict(l=40, r=20, t=60, b=30))
    return fig

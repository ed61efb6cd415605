"""Plotly figure for a crossed gage R&R study: Minitab's six-panel "Gage R&R report".

Visible labels pass through ``tr`` (a str -> str translator, identity by default), as in
:mod:`sixsigma.charts`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sixsigma._constants import A2, D3, D4
from sixsigma.charts import LIMIT_COLOR, Translator, _identity
from sixsigma.msa import GageRR

__all__ = ["gage_rr_figure"]

PANELS = ("Components of variation", "R chart by operator", "X̄ chart by operator", "Measurement by part",
          "Measurement by operator", "Operator × part interaction")
COMPONENT_BARS = (("gage", "Gage R&R"), ("repeatability", "Repeatability"), ("reproducibility", "Reproducibility"),
                  ("part", "Part-to-part"))
COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")


def _cells(frame: pd.DataFrame, part: str, operator: str, value: str) -> pd.DataFrame:
    """Mean and range of each operator's trials on each part, operators then parts in sorted order."""
    grouped = frame.groupby([operator, part])[value]
    cells = pd.DataFrame({"mean": grouped.mean(), "range": grouped.max() - grouped.min()}).reset_index()
    return cells.sort_values([operator, part], kind="stable").reset_index(drop=True)


def _components(fig: go.Figure, result: GageRR, tr: Translator) -> None:
    table = result.components.set_index("source")
    names = [tr(label) for _, label in COMPONENT_BARS]
    measures = [("pct_contribution", "% Contribution"), ("pct_study_var", "% Study Var")]
    if result.tolerance:
        measures.append(("pct_tolerance", "% Tolerance"))
    for column, label in measures:
        fig.add_trace(go.Bar(x=names, y=[table.loc[key, column] for key, _ in COMPONENT_BARS], name=tr(label),
                             legendgroup="components"), row=1, col=1)
    fig.update_yaxes(title_text=tr("Percent"), row=1, col=1)


def _limits(fig: go.Figure, x: list[str], center: float, upper: float, lower: float, row: int, col: int,
            tr: Translator) -> None:
    for level, label, dash in ((center, "Centre", "solid"), (upper, "UCL", "dash"), (lower, "LCL", "dash")):
        fig.add_trace(go.Scatter(x=[x[0], x[-1]], y=[level, level], mode="lines", name=tr(label), showlegend=False,
                                 line=dict(color="#2ca02c" if label == "Centre" else LIMIT_COLOR, dash=dash, width=1),
                                 hoverinfo="y"), row=row, col=col)


def _control_panels(fig: go.Figure, cells: pd.DataFrame, result: GageRR, part: str, operator: str,
                    tr: Translator) -> None:
    """R chart and X̄ chart of the cells, one segment per operator (Minitab's layout)."""
    x = [f"{o} · {p}" for o, p in zip(cells[operator], cells[part])]
    r_bar, grand = float(cells["range"].mean()), float(cells["mean"].mean())
    n = result.n_trials
    for i, name in enumerate(pd.unique(cells[operator])):
        rows = (cells[operator] == name).to_numpy()
        xs = [x[j] for j in np.flatnonzero(rows)]
        color = COLORS[i % len(COLORS)]
        fig.add_trace(go.Scatter(x=xs, y=cells.loc[rows, "range"], mode="lines+markers", name=str(name),
                                 legendgroup=str(name), line=dict(color=color), showlegend=False), row=1, col=2)
        fig.add_trace(go.Scatter(x=xs, y=cells.loc[rows, "mean"], mode="lines+markers", name=str(name),
                                 legendgroup=str(name), line=dict(color=color), showlegend=False), row=2, col=1)
    _limits(fig, x, r_bar, D4(n) * r_bar, D3(n) * r_bar, 1, 2, tr)
    _limits(fig, x, grand, grand + A2(n) * r_bar, grand - A2(n) * r_bar, 2, 1, tr)
    for row, col, title in ((1, 2, "Range"), (2, 1, "Mean")):
        fig.update_xaxes(showticklabels=False, title_text=tr("Operator, part"), row=row, col=col)
        fig.update_yaxes(title_text=tr(title), row=row, col=col)


def _spread_panels(fig: go.Figure, frame: pd.DataFrame, cells: pd.DataFrame, part: str, operator: str,
                   value: str, tr: Translator) -> None:
    """Measurements by part, by operator (box plots) and the operator × part interaction lines."""
    parts = [str(p) for p in sorted(frame[part].unique())]
    by_part = frame.groupby(part)[value].mean()
    fig.add_trace(go.Scatter(x=frame[part].astype(str), y=frame[value], mode="markers", name=tr("Measurement"),
                             marker=dict(color="#aec7e8", size=5), showlegend=False), row=2, col=2)
    fig.add_trace(go.Scatter(x=[str(p) for p in by_part.index], y=by_part.to_numpy(), mode="lines+markers",
                             name=tr("Mean"), line=dict(color="#1f77b4"), showlegend=False), row=2, col=2)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=parts, title_text=tr("Part"), row=2, col=2)
    fig.add_trace(go.Box(x=frame[operator].astype(str), y=frame[value], name=tr("Measurement"), boxmean=True,
                         marker=dict(color="#1f77b4"), showlegend=False), row=3, col=1)
    fig.update_xaxes(type="category", title_text=tr("Operator"), row=3, col=1)
    for i, name in enumerate(pd.unique(cells[operator])):
        rows = cells[operator] == name
        fig.add_trace(go.Scatter(x=cells.loc[rows, part].astype(str), y=cells.loc[rows, "mean"], mode="lines+markers",
                                 name=str(name), legendgroup=str(name), line=dict(color=COLORS[i % len(COLORS)])),
                      row=3, col=2)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=parts, title_text=tr("Part"), row=3, col=2)
    for row, col in ((2, 2), (3, 1), (3, 2)):
        fig.update_yaxes(title_text=tr("Measurement"), row=row, col=col)


def gage_rr_figure(frame: pd.DataFrame, result: GageRR, *, part: str = "part", operator: str = "operator",
                   value: str = "value", title: str | None = "Gage R&R (ANOVA)", tr: Translator = _identity) -> go.Figure:
    """Six panels: components of variation, R and X̄ charts by operator, by part, by operator, interaction.

    ``frame`` and the column names are those passed to :func:`sixsigma.msa.gage_rr`.
    """
    data = frame[[part, operator, value]].astype({value: float})
    cells = _cells(data, part, operator, value)
    fig = make_subplots(rows=3, cols=2, subplot_titles=[tr(p) for p in PANELS], vertical_spacing=0.1,
                        horizontal_spacing=0.1)
    _components(fig, result, tr)
    _control_panels(fig, cells, result, part, operator, tr)
    _spread_panels(fig, data, cells, part, operator, value, tr)
    fig.update_layout(title=tr(title) if title else None, height=900, template="plotly_white", barmode="group",
                      margin=dict(l=50, r=20, t=80, b=40), hovermode="closest", legend=dict(orientation="h", y=-0.06))
    return fig

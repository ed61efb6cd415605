"""Plotly figures for two-level experiments: Pareto and normal plot of effects, main effects, interactions.

Effects are standardized as Minitab does: t = coefficient / SE Coef when the experiment has
replicates, otherwise effect / Lenth's pseudo standard error (PSE); the Pareto reference line is
the two-sided t quantile with the residual degrees of freedom, or with m/3 degrees of freedom for
m effects under Lenth's method. Visible labels pass through ``tr`` as in :mod:`sixsigma.charts`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots
from scipy import stats

from sixsigma.charts import LIMIT_COLOR, SIGNAL_COLOR, Translator, _identity
from sixsigma.doe import lenth_pse

__all__ = ["effects_normal_figure", "effects_pareto_figure", "interaction_figure", "main_effects_figure",
           "standardized_effects"]


def standardized_effects(table: pd.DataFrame, alpha: float = 0.05) -> tuple[pd.Series, float]:
    """(standardized effect per term, two-sided critical value at ``alpha``) from an :func:`effects` table."""
    if "t" in table.columns:
        residual_df = table.attrs.get("residual_df", 0)
        return table.set_index("term")["t"], float(stats.t.ppf(1 - alpha / 2, residual_df))
    pse = lenth_pse(table["effect"])
    if not pse or math.isnan(pse):
        return table.set_index("term")["effect"] * math.nan, math.nan
    return table.set_index("term")["effect"] / pse, float(stats.t.ppf(1 - alpha / 2, len(table) / 3))


def effects_pareto_figure(table: pd.DataFrame, *, alpha: float = 0.05, tr: Translator = _identity) -> go.Figure:
    """Horizontal bars of |standardized effect|, largest on top, with the significance reference line."""
    standardized, critical = standardized_effects(table, alpha)
    size = standardized.abs().sort_values()
    colors = [SIGNAL_COLOR if value > critical else "#1f77b4" for value in size]
    fig = go.Figure(go.Bar(x=size.to_numpy(), y=list(size.index), orientation="h", marker=dict(color=colors),
                           name=tr("Standardized effect")))
    if math.isfinite(critical):
        fig.add_vline(x=critical, line=dict(color=LIMIT_COLOR, dash="dash"), annotation_text=f"{critical:.3g}",
                      annotation_position="top")
    fig.update_layout(title=tr("Pareto of standardized effects"), template="plotly_white",
                      xaxis_title=tr("|Standardized effect|"), yaxis_title=tr("Term"),
                      margin=dict(l=60, r=20, t=60, b=40), height=max(300, 28 * len(size) + 120))
    return fig


def effects_normal_figure(table: pd.DataFrame, *, alpha: float = 0.05, tr: Translator = _identity) -> go.Figure:
    """Standardized effects against their normal scores; significant terms labelled; the no-effect line y = x."""
    standardized, critical = standardized_effects(table, alpha)
    ordered = standardized.sort_values()
    m = len(ordered)
    scores = stats.norm.ppf((np.arange(1, m + 1) - 0.5) / m)
    significant = ordered.abs().to_numpy() > critical
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=ordered.to_numpy(), y=scores, mode="markers+text", name=tr("Standardized effect"),
                             text=[term if flag else "" for term, flag in zip(ordered.index, significant)],
                             textposition="middle right", hovertext=list(ordered.index),
                             marker=dict(size=8, color=[SIGNAL_COLOR if f else "#1f77b4" for f in significant])))
    fig.add_trace(go.Scatter(x=scores[[0, -1]], y=scores[[0, -1]], mode="lines", name=tr("No effect"),
                             line=dict(color=LIMIT_COLOR, dash="dash")))
    fig.update_layout(title=tr("Normal plot of the standardized effects"), template="plotly_white",
                      xaxis_title=tr("Standardized effect"), yaxis_title=tr("Normal score"),
                      margin=dict(l=60, r=20, t=60, b=40))
    return fig


def _level_means(frame: pd.DataFrame, response: str, factor: str) -> list[float]:
    means = frame.groupby(frame[factor].astype(float))[response].mean()
    return [float(means.get(-1.0, math.nan)), float(means.get(1.0, math.nan))]


def _grid(titles: list[str], shared_y: bool = True) -> tuple[go.Figure, list[tuple[int, int]]]:
    """Panels three to a row; (row, col) of each panel in order."""
    cols = min(len(titles), 3)
    rows = math.ceil(len(titles) / cols)
    fig = make_subplots(rows=rows, cols=cols, shared_yaxes="all" if shared_y else False, subplot_titles=titles, vertical_spacing=0.18)
    fig.update_layout(height=max(350, 300 * rows), template="plotly_white", margin=dict(l=60, r=20, t=80, b=40))
    return fig, [(i // cols + 1, i % cols + 1) for i in range(len(titles))]


def _mean_axis_title(fig: go.Figure, response: str, rows: int, tr: Translator) -> None:
    for row in range(1, rows + 1):
        fig.update_yaxes(title_text=tr("Mean of {response}").replace("{response}", response), row=row, col=1)


def main_effects_figure(frame: pd.DataFrame, response: str, factors: Sequence[str], *,
                        tr: Translator = _identity) -> go.Figure:
    """One panel per factor: mean response at −1 and +1, with the grand mean dashed."""
    factors = list(factors)
    grand = float(pd.to_numeric(frame[response]).mean())
    fig, cells = _grid(factors)
    for factor, (row, col) in zip(factors, cells):
        fig.add_trace(go.Scatter(x=["-1", "+1"], y=_level_means(frame, response, factor), mode="lines+markers",
                                 name=factor, line=dict(color="#1f77b4"), showlegend=False), row=row, col=col)
        fig.add_trace(go.Scatter(x=["-1", "+1"], y=[grand, grand], mode="lines", name=tr("Mean"), showlegend=False,
                                 line=dict(color=LIMIT_COLOR, dash="dash"), hoverinfo="skip"), row=row, col=col)
        fig.update_xaxes(title_text=tr("Level"), row=row, col=col)
    _mean_axis_title(fig, response, cells[-1][0], tr)
    fig.update_layout(title=tr("Main effects plot"))
    return fig


def interaction_figure(frame: pd.DataFrame, response: str, factors: Sequence[str], *,
                       tr: Translator = _identity) -> go.Figure:
    """One panel "A × B" per pair: mean response against A's level, one line per level of B."""
    pairs = list(itertools.combinations(list(factors), 2))
    fig, cells = _grid([f"{a} × {b}" for a, b in pairs])
    for index, ((first, second), (row, col)) in enumerate(zip(pairs, cells)):
        for level, label, dash, color in ((-1.0, "Second factor at −1", "dash", "#1f77b4"),
                                          (1.0, "Second factor at +1", "solid", SIGNAL_COLOR)):
            subset = frame[frame[second].astype(float) == level]
            fig.add_trace(go.Scatter(x=["-1", "+1"], y=_level_means(subset, response, first), mode="lines+markers",
                                     name=tr(label), legendgroup=label, showlegend=index == 0,
                                     hovertext=f"{second} = {level:+.0f}", line=dict(dash=dash, color=color)),
                          row=row, col=col)
        fig.update_xaxes(title_text=first, row=row, col=col)
    _mean_axis_title(fig, response, cells[-1][0], tr)
    fig.update_layout(title=tr("Interaction plot"), legend=dict(orientation="h", y=-0.12))
    return fig

"""Plotly figures for project tools: Pareto chart, fishbone diagram, QFD matrix, portfolio timeline.

Visible labels pass through ``tr`` (a str -> str translator, identity by default).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from sixsigma.rootcause import SIX_M, VITAL_SHARE

Translator = Callable[[str], str]
VITAL, TRIVIAL, LINE = "#c0392b", "#9aa7b4", "#1f4e79"
PHASE_COLORS = {"define": "#4e79a7", "measure": "#59a14f", "analyze": "#edc948", "improve": "#f28e2b",
                "design": "#f28e2b", "control": "#76b7b2", "verify": "#76b7b2"}


def _identity(text: str) -> str:
    return text


def pareto_figure(table: pd.DataFrame, title: str = "", tr: Translator = _identity) -> go.Figure:
    """Bars largest first (the vital few in red), the cumulative percent line and the 80 % cut."""
    figure = go.Figure()
    figure.add_bar(x=table["category"], y=table["count"], name=tr("Count"),
                   marker_color=[VITAL if v else TRIVIAL for v in table["vital"]])
    figure.add_scatter(x=table["category"], y=table["cumulative_percent"], name=tr("Cumulative %"), yaxis="y2",
                       mode="lines+markers", line={"color": LINE})
    figure.add_hline(y=VITAL_SHARE, yref="y2", line={"dash": "dot", "color": LINE},
                     annotation_text=f"{VITAL_SHARE:.0f} %", annotation_position="top left")
    figure.update_layout(title=title or None, yaxis={"title": tr("Count")},
                         yaxis2={"title": tr("Cumulative %"), "overlaying": "y", "side": "right", "range": [0, 105]},
                         legend={"orientation": "h", "y": -0.2}, margin={"l": 10, "r": 10, "t": 50 if title else 20, "b": 10})
    return figure


def fishbone_figure(problem: str, causes: Mapping[str, Sequence[str]], tr: Translator = _identity) -> go.Figure:
    """A cause-and-effect diagram: the spine to the problem at the head, three bones above and three below."""
    figure = go.Figure()
    figure.add_shape(type="line", x0=0, y0=0, x1=10, y1=0, line={"width": 3, "color": LINE})
    figure.add_annotation(x=10.1, y=0, text=f"<b>{problem}</b>", showarrow=False, xanchor="left",
                          bordercolor=LINE, borderpad=6)
    for index, category in enumerate(SIX_M):
        x_end, above = 2 + 3 * (index % 3), index < 3
        y_tip = 3 if above else -3
        figure.add_shape(type="line", x0=x_end - 1.5, y0=y_tip, x1=x_end, y1=0, line={"width": 2, "color": LINE})
        figure.add_annotation(x=x_end - 1.5, y=y_tip * 1.12, text=f"<b>{tr(category)}</b>", showarrow=False)
        for step, cause in enumerate(causes.get(category, [])[:5]):
            fraction = (step + 1) / 6
            figure.add_annotation(x=x_end - 1.5 * (1 - fraction) - 0.1, y=y_tip * (1 - fraction), text=cause,
                                  showarrow=False, xanchor="right", font={"size": 11})
    figure.update_layout(xaxis={"visible": False, "range": [-1, 13]}, yaxis={"visible": False, "range": [-4, 4]},
                         height=420, margin={"l": 10, "r": 10, "t": 10, "b": 10}, showlegend=False)
    return figure


def qfd_figure(needs: Mapping[str, float], characteristics: Sequence[str], relations: Mapping[tuple[str, str], int],
               tr: Translator = _identity) -> go.Figure:
    """The house of quality's relationship matrix as a heatmap (needs × characteristics, 0/1/3/9)."""
    rows = [f"{need} ({importance:g})" for need, importance in needs.items()]
    z = [[relations.get((need, c), 0) for c in characteristics] for need in needs]
    figure = go.Figure(go.Heatmap(z=z, x=list(characteristics), y=rows, colorscale="Blues", zmin=0, zmax=9,
                                  text=z, texttemplate="%{text}", colorbar={"title": tr("Strength")}))
    figure.update_layout(xaxis={"title": tr("Design characteristics")}, yaxis={"title": tr("Customer needs (importance)"),
                         "autorange": "reversed"}, margin={"l": 10, "r": 10, "t": 20, "b": 10})
    return figure


def timeline_figure(projects: pd.DataFrame, today: date, tr: Translator = _identity) -> go.Figure:
    """A Gantt chart of projects from start to planned end, coloured by phase, overruns outlined in red.

    ``projects`` has ``title``, ``start``, ``planned_end``, ``phase`` and ``overrun``.
    """
    figure = go.Figure()
    for phase, group in projects.groupby("phase", sort=False):
        starts = pd.to_datetime(group["start"])
        lengths = (pd.to_datetime(group["planned_end"]) - starts).dt.days * 86_400_000
        figure.add_bar(y=group["title"], x=lengths, base=starts, orientation="h", name=tr(phase.capitalize()),
                       marker={"color": PHASE_COLORS.get(phase, TRIVIAL),
                               "line": {"color": [VITAL if o else "rgba(0,0,0,0)" for o in group["overrun"]], "width": 3}},
                       customdata=pd.to_datetime(group["planned_end"]).dt.strftime("%Y-%m-%d"),
                       hovertemplate="%{y}<br>%{base|%Y-%m-%d} → %{customdata}<extra></extra>")
    figure.add_vline(x=pd.Timestamp(today).value / 1e6, line={"dash": "dot", "color": LINE})
    figure.update_layout(xaxis={"type": "date", "title": None}, yaxis={"autorange": "reversed", "title": None},
                         barmode="overlay", height=max(220, 60 + 40 * len(projects)), legend={"orientation": "h", "y": -0.2},
                         margin={"l": 10, "r": 10, "t": 20, "b": 10})
    return figure

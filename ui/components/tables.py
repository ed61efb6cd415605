"""Tables that fit the page: HTML tables whose long names wrap, whose height follows their rows,
whose columns mirror in right-to-left text, and which print cleanly.

Cells arrive formatted (``ui.core.format``); a :class:`Cell` carries a hover title, a CSS class or a
status colour, and :func:`bar` and :func:`sparkline` make the score and trend cells.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from scorecard.charts import LINE, status_color

TABLE_CSS = """<style>
 .fit-table { width: 100%; border-collapse: collapse; table-layout: auto; font-size: 0.86rem; line-height: 1.3; }
 .fit-table th { font-weight: 600; text-align: start; border-bottom: 2px solid #c9d1da; padding: 0.3rem 0.35rem;
                 background: #f3f6fa; vertical-align: bottom; }
 .fit-table td { border-bottom: 1px solid #e3e8ee; padding: 0.25rem 0.35rem; vertical-align: middle;
                 overflow-wrap: break-word; }
 .fit-table td.item { min-width: 7rem; }
 .fit-table td.num, .fit-table th.num { text-align: end; font-variant-numeric: tabular-nums; }
 .fit-table td.score { white-space: nowrap; }
 .fit-table td.status { color: white; font-weight: 600; text-align: center; white-space: nowrap; }
 .fit-table td.status, .fit-table .bar span { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
 .fit-table tr.level-overall td, .fit-table tr.level-perspective td { font-weight: 700; background: #f7f9fb; }
 .fit-table tr.level-objective td { font-weight: 600; }
 .fit-table tr.level-objective td.item { padding-inline-start: 1.1rem; }
 .fit-table tr.level-kpi td.item { padding-inline-start: 2.1rem; }
 .fit-table .bar { display: inline-block; width: 3.2rem; height: 0.5rem; background: #e3e8ee; border-radius: 3px;
                   vertical-align: middle; margin-inline-end: 0.3rem; overflow: hidden; }
 .fit-table .bar span { display: block; height: 100%; background: #1f4e79; }
 .fit-table tbody { break-inside: avoid; page-break-inside: avoid; }
</style>"""


@dataclass(frozen=True)
class Cell:
    """One table cell: its text, an optional hover title, CSS class and background colour; ``markup`` is trusted HTML."""

    text: str = ""
    title: str = ""
    css: str = ""
    background: str = ""
    markup: bool = False

    def render(self) -> str:
        attributes = "".join(f' {name}="{html.escape(value)}"' for name, value in
                             (("class", self.css), ("title", self.title)) if value)
        if self.background:
            attributes += f' style="background:{self.background}"'
        return f"<td{attributes}>{self.text if self.markup else html.escape(self.text)}</td>"


def status_cell(status: str, label: str, title: str = "") -> Cell:
    """The translated status word on its colour (``title`` on hover)."""
    return Cell(label, title=title, css="status", background=status_color(status))


def bar(value: float | None, label: str, title: str = "") -> Cell:
    """A 0–100 score as a small bar and its number (``title`` on hover)."""
    width = 0.0 if value is None or pd.isna(value) else float(np.clip(value, 0, 100))
    text = f'<span class="bar"><span style="width:{width:.0f}%"></span></span>{html.escape(label)}'
    return Cell(text, title=title, css="num score", markup=True)


def sparkline(values: Iterable[float] | None, width: int = 84, height: int = 22) -> Cell:
    """A trend as an inline SVG line (vector: sharp on a projector and on paper)."""
    points = [float(v) for v in (values if isinstance(values, (list, tuple, np.ndarray)) else []) if pd.notna(v)]
    if len(points) < 2:
        return Cell()
    low, high = min(points), max(points)
    span = (high - low) or 1.0
    coords = " ".join(f"{i * (width - 4) / (len(points) - 1) + 2:.1f},{height - 2 - (v - low) / span * (height - 4):.1f}"
                      for i, v in enumerate(points))
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
           f'<polyline points="{coords}" fill="none" stroke="{LINE}" stroke-width="1.5"/></svg>')
    source = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    return Cell(f'<img src="{source}" width="{width}" height="{height}" alt="">', markup=True)  # st.html drops inline <svg>


def abbreviated(text: str, limit: int = 60, css: str = "item") -> Cell:
    """Text cut at ``limit`` characters with an ellipsis; the full text shows on hover."""
    return Cell(text if len(text) <= limit else text[: limit - 1].rstrip() + "…", title=text, css=css)


def table_html(header: Sequence[str], rows: Sequence[Sequence[Cell]], numeric: Sequence[int] = (),
               row_classes: Sequence[str] | None = None, groups: Sequence[object] | None = None) -> str:
    """An HTML table; rows sharing a ``groups`` value share a ``tbody`` that a printed page keeps together."""
    head = "".join(f'<th class="num">{html.escape(h)}</th>' if i in numeric else f"<th>{html.escape(h)}</th>"
                   for i, h in enumerate(header))
    classes = row_classes or [""] * len(rows)
    keys = list(groups) if groups is not None else [0] * len(rows)
    bodies, previous = [], object()
    for key, css, row in zip(keys, classes, rows):
        if key != previous or not bodies:
            bodies.append([])
            previous = key
        bodies[-1].append(f'<tr class="{css}">' + "".join(cell.render() for cell in row) + "</tr>")
    body = "".join("<tbody>" + "".join(group) + "</tbody>" for group in bodies)
    return f'<table class="fit-table"><thead><tr>{head}</tr></thead>{body}</table>'


def fitting_table(header: Sequence[str], rows: Sequence[Sequence[Cell]], **options) -> str:
    """A fitting table with its style sheet, ready for ``st.html`` (options as :func:`table_html`)."""
    return TABLE_CSS + table_html(header, rows, **options)


def show(header: Sequence[str], rows: Sequence[Sequence[Cell]], **options) -> None:
    """Put a fitting table on the page (its style sheet comes with it)."""
    st.html(fitting_table(header, rows, **options))


GRID_WIDTH = 760  # px a data grid may take at a 1280 px window with the sidebar open


def fit_columns(column_config: dict, columns: Sequence[str], wide: Sequence[str] = ()) -> dict:
    """Column widths that add up to :data:`GRID_WIDTH` (``wide`` columns twice the others), so a grid never scrolls sideways."""
    share = GRID_WIDTH / (len(columns) + len([c for c in columns if c in wide]))
    fitted = dict(column_config)
    for column in columns:
        config = column_config.get(column, column)
        config = {"label": config} if isinstance(config, str) else dict(config)
        fitted[column] = {**config, "width": int(share * (2 if column in wide else 1))}
    return fitted

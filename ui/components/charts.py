"""Charts in the user's language: in Persian, month axes and hover labels in Jalali months and
numbers with Persian digits (Plotly itself writes only Latin digits and Gregorian dates)."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ui.core.format import number, period_label
from ui.core.i18n import digits, is_rtl, language, separator

MONTH = re.compile(r"^\d{4}-\d{2}")
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
MAX_TICKS = 8


def _month(value: object) -> str | None:
    """"YYYY-MM" of a date-like x value, or None when it is not one."""
    if isinstance(value, (pd.Timestamp, np.datetime64)) or hasattr(value, "strftime"):
        return pd.Timestamp(value).strftime("%Y-%m")
    return value[:7] if isinstance(value, str) and MONTH.match(value) else None


def _tick(value: float, step: float) -> str:
    """A tick value with as many decimals as the tick step needs."""
    return number(value, decimals=max(0, -math.floor(math.log10(step))) if step > 0 else None)


def nice_ticks(low: float, high: float, count: int = 5) -> np.ndarray:
    """About ``count`` round tick values covering low … high (1, 2, 2.5 or 5 × a power of ten apart)."""
    span = (high - low) or abs(high) or 1.0
    raw = span / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    return np.arange(math.floor(low / step) * step, high + step * 0.5, step)


def _axis_key(trace, letter: str) -> str:
    name = getattr(trace, f"{letter}axis", None) or letter
    return f"{letter}axis{name[1:]}"


def _digits_in(text: str) -> str:
    return NUMBER.sub(lambda match: digits(match.group()), text)


def _hover(trace, months: list[str | None]) -> None:
    if trace.hovertext is not None:  # the figure wrote its own hover text: only its digits change
        texts = [trace.hovertext] if isinstance(trace.hovertext, str) else trace.hovertext
        trace.hovertext = [_digits_in(str(text)) for text in texts]
        return
    y = pd.to_numeric(pd.Series(trace.y if trace.y is not None else []), errors="coerce").to_numpy(dtype=float)
    if not len(y) or trace.hoverinfo == "skip":
        return
    x_text = [period_label(m) if m else digits(str(x)) for m, x in zip(months, trace.x)] if months else [""] * len(y)
    trace.hovertext = [separator().join([trace.name or "", x, number(v)]) for x, v in zip(x_text, y)]
    trace.hovertemplate, trace.hoverinfo = None, "text"


def localize_figure(figure: go.Figure) -> go.Figure:
    """Jalali month ticks and hover labels and Persian-digit number ticks on a figure (Persian UI only)."""
    if not is_rtl():
        return figure
    x_months: dict[str, dict] = defaultdict(dict)
    y_values: dict[str, list[float]] = defaultdict(list)
    for trace in figure.data:
        if trace.type not in ("scatter", "bar") or trace.x is None:
            continue
        months = [_month(x) for x in trace.x]
        months = months if all(months) else []
        for x, month in zip(trace.x, months):
            x_months[_axis_key(trace, "x")][x] = month
        if trace.y is not None:
            y_values[_axis_key(trace, "y")] += [float(v) for v in pd.to_numeric(pd.Series(trace.y), errors="coerce")
                                                if pd.notna(v)]
        _hover(trace, months)
    for axis, labels in x_months.items():
        ordered = sorted(labels, key=labels.get)
        ticks = ordered[:: max(1, math.ceil(len(ordered) / MAX_TICKS))]
        figure.layout[axis].update(tickvals=ticks, ticktext=[period_label(labels[x]) for x in ticks])
    for axis, values in y_values.items():
        if values and not figure.layout[axis].ticktext:
            ticks = nice_ticks(min(values), max(values))
            step = float(ticks[1] - ticks[0]) if len(ticks) > 1 else 1.0
            figure.layout[axis].update(tickvals=ticks, ticktext=[_tick(v, step) for v in ticks])
    if figure.layout.hovermode == "x unified":
        figure.layout.hovermode = "closest"  # the unified header would show the Gregorian date
    return figure


def show(figure: go.Figure, container=st, **options):
    """Put a figure on the page in the user's language (returns the chart's selection event)."""
    return container.plotly_chart(localize_figure(figure), **options)


@st.cache_resource(max_entries=128, show_spinner=False)
def _built(_build: Callable[..., go.Figure], name: str, language_code: str, args: tuple) -> go.Figure:
    return localize_figure(_build(*args))


def show_built(build: Callable[..., go.Figure], *args, container=st, **options):
    """Build a figure from ``args`` once per language and show it; a rerun with the same inputs reuses it.

    For a chart redrawn on every move of an interactive page while its inputs rarely change.
    The figure is shared between sessions and never changed after it is built.
    """
    name = f"{build.__module__}.{build.__qualname__}"
    return container.plotly_chart(_built(build, name, language(), args), **options)

"""Display helpers shared by pages: status badges, numbers with units, period labels."""

from __future__ import annotations

import math

import pandas as pd

from scorecard.charts import status_color
from scorecard.periods import jalali_label
from ui.i18n import digits, is_rtl, t

SIGNAL_LABEL = {"signal": "signal", "noise": "noise", "short": "too short"}
STATUS_TONE = {"green": "green", "amber": "orange", "red": "red", "none": "gray"}


def badge(status: str) -> str:
    """The translated status word as a coloured Markdown badge (no emoji font needed)."""
    return f":{STATUS_TONE.get(status, 'gray')}-badge[{t(status)}]"


def signal_label(verdict: object) -> str:
    """The translated signal-or-noise verdict of a KPI ("" for roll-up rows)."""
    return t(SIGNAL_LABEL[verdict]) if isinstance(verdict, str) else ""


def status_style(status: str) -> str:
    """CSS for a table cell holding a status: the status colour behind white text."""
    return f"background-color: {status_color(status)}; color: white; font-weight: 600"


def signed(value: float | None, unit: str = "") -> str:
    """A variance with its sign and unit ("+$1,785k", "-0.2%")."""
    text = number(value, unit)
    return f"+{text}" if value is not None and not math.isnan(value) and value > 0 else text


def number(value: float | None, unit: str = "", decimals: int | None = None) -> str:
    """A value with thousands separators and its unit ("—" when missing)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if decimals is None:
        decimals = 0 if abs(value) >= 1000 or unit == "customers" else (1 if abs(value) >= 10 else 2)
    text = f"{value:,.{decimals}f}"
    if unit in ("%", "‰"):
        text += unit
    elif unit in ("$", "$k"):
        text = f"${text}" + ("k" if unit == "$k" else "")
    elif unit:
        text = f"{text} {t(unit)}"
    return digits(text)


def period_label(period: str) -> str:
    """A period as the user reads it; Jalali months in the Persian UI."""
    is_month = len(period) == 7 and period[4] == "-"
    if period.startswith("J") or (is_rtl() and is_month):
        return digits(jalali_label(period, "fa" if is_rtl() else "en"))
    return digits(period)


def score(value: float | None) -> str:
    """A 0–100 score rounded for display."""
    return "—" if value is None or pd.isna(value) else digits(f"{value:.0f}")

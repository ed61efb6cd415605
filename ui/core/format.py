"""Display helpers shared by pages: status badges, numbers with units, period labels, user text as text."""

from __future__ import annotations

import re

import jdatetime
import pandas as pd

from scorecard import UNITS, format_probability, format_score, format_value, jalali_label, months_to_date
from ui.core import loaders
from ui.core.i18n import digits, is_rtl, language, persian_digits, t

# What can start markdown inside a line: emphasis, code, links and images ([ ]), HTML (< >), tables, strike,
# emoji shortcodes and Streamlit's :colour[…] directives and icons (:), math ($), entities (&), autolinked
# e-mail addresses (@) and web addresses (the ":" of http:// and the "." after www). CommonMark shows a
# backslash-escaped punctuation character as itself; sentences keep their full stops, commas and brackets.
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>#!|~:$&@{}^=])|(?<=www)(\.)", re.IGNORECASE)
# What starts a block at the beginning of a line: a list item (-, +, 1. or 1)), a heading or quote (#, >).
_MARKDOWN_LINE_START = re.compile(r"^(\s*)(?:([-+])|(\d+)([.)]))")


def plain(text: object) -> str:
    """User text (a comment, definition, action item, project text, name) for st.markdown, st.caption or
    st.write: shown as typed, never as markdown, so ``![b](http://host/beacon.png)`` is no image and no
    link is followed. Line breaks are kept."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return ""
    lines = []
    for line in str(text).splitlines():
        line = _MARKDOWN_INLINE.sub(lambda m: "\\" + (m.group(1) or m.group(2)), line)
        lines.append(_MARKDOWN_LINE_START.sub(lambda m: m.group(1) + (f"\\{m.group(2)}" if m.group(2)
                                                                     else f"{m.group(3)}\\{m.group(4)}"), line))
    return "  \n".join(lines)


SIGNAL_LABEL = {"signal": "signal", "noise": "noise", "short": "too short"}
STATUS_TONE = {"green": "green", "amber": "orange", "red": "red", "none": "gray"}


def badge(status: str) -> str:
    """The translated status word as a coloured Markdown badge (no emoji font needed)."""
    return f":{STATUS_TONE.get(status, 'gray')}-badge[{t(status)}]"


def signal_label(verdict: object) -> str:
    """The translated signal-or-noise verdict of a KPI ("" for roll-up rows)."""
    return t(SIGNAL_LABEL[verdict]) if isinstance(verdict, str) else ""


def number_style() -> tuple[str, bool]:
    """The user's number style, ``(language, Persian digits on)``: what a cache of formatted text is keyed by."""
    return language(), persian_digits()


def _style() -> dict:
    """The user's number style as the formatter's keyword arguments."""
    language_code, persian_digits = number_style()
    return {"language": language_code, "persian_digits": persian_digits}


def _unit(unit: str) -> str:
    """A unit the formatter knows stays a code; any other is translated as a word."""
    return unit if unit in UNITS else t(unit)


def signed(value: float | None, unit: str = "", decimals: int | None = None) -> str:
    """A variance with its sign and unit ("+$1,785k", "−0.2 pts")."""
    return format_value(value, _unit(unit), decimals=decimals, signed=True, change=True, **_style())


def delta_style(value: float | None) -> dict:
    """st.metric colour and arrow of a signed change (Streamlit reads only an ASCII "-" as negative)."""
    if value is None or pd.isna(value) or value == 0:
        return {"delta_color": "gray", "delta_arrow": "off"}
    return {"delta_color": "green", "delta_arrow": "up"} if value > 0 else {"delta_color": "red", "delta_arrow": "down"}


def number(value: float | None, unit: str = "", decimals: int | None = None) -> str:
    """A value with thousands separators and its unit ("—" when missing), as the user's language writes it."""
    return format_value(value, _unit(unit), decimals=decimals, **_style())


def user_names() -> dict[str, str]:
    """Every user's display name in the user's language, by username (the Persian catalog holds the demo's)."""
    users = loaders.users()
    return {user: t(name) for user, name in zip(users["username"], users["display_name"])}


def owner_name(name: str) -> str:
    """A person's or role holder's name in the user's language (the Persian catalog holds the demo's names)."""
    return t(name) if name else ""


def period_label(period: str) -> str:
    """A period as the user reads it ("2026-10", "Q4 2026", "2026"); Jalali periods in the Persian UI."""
    is_month = len(period) == 7 and period[4] == "-"
    if period.startswith("J") or (is_rtl() and is_month):
        return digits(jalali_label(period, "fa" if is_rtl() else "en"))
    if "-Q" in period:
        year, quarter = period.split("-Q")
        return t("Q{quarter} {year}", quarter=digits(quarter), year=digits(year))
    return digits(period)


def date_label(day: object) -> str:
    """A date as the user reads it: 2026-10-31, or the Jalali 1405/08/09 in Persian ("—" when missing)."""
    if day is None or (not isinstance(day, str) and pd.isna(day)):
        return "—"
    day = pd.Timestamp(day).date()
    if is_rtl():
        return digits(jdatetime.date.fromgregorian(date=day).strftime("%Y/%m/%d"))
    return day.isoformat()


def moment_label(moment: object) -> str:
    """A moment as the user reads it: its date (Jalali in Persian) and UTC time, "2026-12-06 02:07 UTC"."""
    if moment is None or pd.isna(moment):
        return "—"
    return f"{date_label(moment)} {digits(pd.Timestamp(moment).strftime('%H:%M'))} UTC"


def reporting_period(period: str) -> str:
    """The period's label, with "to date (1 of 3 months)" while a quarter or year is still running."""
    have, total = months_to_date(period, loaders.measurements()["period"].unique())
    if have >= total:
        return period_label(period)
    return t("{period} to date ({have} of {total} months)", period=period_label(period),
             have=digits(str(have)), total=digits(str(total)))


def score(value: float | None) -> str:
    """A 0–100 score rounded for display."""
    return format_score(None if value is None or pd.isna(value) else float(value), **_style())


def chance(value: float | None) -> str:
    """A probability (0–1) as a whole percentage."""
    return format_probability(value, **_style())

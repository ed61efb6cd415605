"""Pickers several screens use: customer segment, reporting period, date (Jalali in Persian), KPI."""

from __future__ import annotations

from datetime import date

import jdatetime
import pandas as pd
import streamlit as st

from scorecard import JALALI_MONTHS_FA, parse_period, period_options
from ui.core import loaders
from ui.core.format import period_label
from ui.core.i18n import digits, is_rtl, localized, t

PICKER_WIDTH = 220  # px: pickers sit side by side in a row that wraps on a narrow screen
GRAINS = {"month": "Month", "quarter": "Quarter", "year": "Year"}


def per_language(key: str) -> str:
    """A widget key per language: the browser keeps a selectbox's shown label when only its format_func changes."""
    return f"{key}_fa" if is_rtl() else key


def carried_over(key: str) -> str:
    """:func:`per_language`'s key, holding the choice made under the other language's key when it has none yet
    (a switch of language keeps the month and the KPIs chosen, now written in the new language)."""
    shown, other = per_language(key), (key if is_rtl() else f"{key}_fa")
    chosen = st.session_state.pop(other, None)     # one language's key at a time: a switch back carries it again
    if shown not in st.session_state and chosen is not None:
        st.session_state[shown] = chosen
    return shown


def segment_picker(key: str, container=st) -> str:
    """Pick a customer segment (All first); the seed asks for a scorecard per segment."""
    names = loaders.segments()["name"].tolist()
    return container.selectbox(t("Customer segment"), names, format_func=t, key=per_language(key), width=PICKER_WIDTH)


def period_picker(key: str, container=st) -> str:
    """Pick a grain (month, quarter, year) and one period of it, newest first (Jalali in Persian)."""
    months = sorted(loaders.measurements()["period"].unique())
    row = container.container(horizontal=True, vertical_alignment="bottom", width="content")
    grain = row.segmented_control(t("Period"), list(GRAINS), default="month", format_func=lambda g: t(GRAINS[g]),
                                           key=f"{key}_grain") or "month"
    calendar = "jalali" if is_rtl() else "gregorian"
    options = period_options(months, grain, calendar)[::-1]
    return row.selectbox(t("Reporting period"), options, format_func=period_label, key=f"{key}_{calendar}_{grain}",
                         width=PICKER_WIDTH)


def _jalali_day(year: int, month: int, day: int) -> date:
    """The Gregorian date of a Jalali day (a day past the month's end becomes its last day)."""
    while True:
        try:
            return jdatetime.date(year, month, day).togregorian()
        except ValueError:
            day -= 1


def date_picker(label: str, value: date | None, key: str, container=st) -> date | None:
    """A date; in Persian picked as a Jalali day, month and year (Streamlit's calendar is Gregorian only)."""
    if not is_rtl():
        return container.date_input(label, value, key=key)
    today = jdatetime.date.fromgregorian(date=value or date.today())
    years = [None, *range(today.year - 2, today.year + 4)] if value is None else list(range(today.year - 2, today.year + 4))
    box = container.container(horizontal=True, vertical_alignment="bottom")
    day = box.selectbox(label, range(1, 32), index=today.day - 1, format_func=lambda d: digits(str(d)), key=f"{key}_jd")
    month = box.selectbox(t("Month"), range(1, 13), index=today.month - 1, format_func=lambda m: JALALI_MONTHS_FA[m - 1],
                          key=f"{key}_jm")
    year = box.selectbox(t("Year"), years, index=years.index(None if value is None else today.year),
                         format_func=lambda y: "—" if y is None else digits(str(y)), key=f"{key}_jy")
    return None if year is None else _jalali_day(year, month, day)


KPI_DETAIL_KEYS = ("kpi_detail_kpi", "kpi_detail_segment", "kpi_detail_period")


def kpi_picker(key: str, container=st) -> pd.Series:
    """Pick a KPI (grouped by perspective in the label, with its latest status for All); returns its definition row."""
    definition = loaders.definition()
    statuses = loaders.latest_kpi_statuses()
    labels = {int(row["kpi_id"]): f"{localized(row, 'perspective')} › {localized(row, 'kpi')} "
                                  f"({t(statuses.get(int(row['kpi_id']), 'none'))})"
              for _, row in definition.iterrows()}
    chosen = container.selectbox(t("KPI"), list(labels), format_func=labels.get, key=per_language(key),
                                 help=t("In brackets: the KPI's status in the latest month for all customers."))
    return definition[definition["kpi_id"] == chosen].iloc[0]


def preset_kpi_detail(kpi_id: int, segment: str, period: str) -> None:
    """Set the KPI detail screen's pickers before going there (its widgets read these keys)."""
    kpi_key, segment_key, period_key = KPI_DETAIL_KEYS
    st.session_state[per_language(kpi_key)] = kpi_id
    st.session_state[per_language(segment_key)] = segment
    parsed = parse_period(period)
    st.session_state[f"{period_key}_grain"] = parsed.grain
    st.session_state[f"{period_key}_{parsed.calendar}_{parsed.grain}"] = period

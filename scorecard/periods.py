"""Reporting periods and the aggregation of monthly actuals over them.

Measurements are stored per Gregorian month ("YYYY-MM"). A reporting period is a month, a
quarter ("YYYY-Qn") or a year ("YYYY") in the Gregorian calendar, or the same grains in the
Jalali (Solar Hijri) calendar, written with a leading ``J``: "J1403-01", "J1403-Q1", "J1403".

Jalali approximation: a Jalali month runs from about the 21st of one Gregorian month to the
20th of the next, so monthly data cannot be split exactly. Each Gregorian month is counted in
the Jalali month its 15th day falls in (every Jalali month contains exactly one Gregorian 15th,
so the mapping is one to one: Farvardin ≈ April, …, Esfand ≈ March). A Jalali quarter is three
such Jalali months and a Jalali year twelve (Farvardin 1403 … Esfand 1403 ≈ 2024-04 … 2025-03).

Aggregation of a KPI's months within a period (one rule per KPI):
``sum`` (flows: revenue, new customers), ``mean`` (levels: satisfaction), ``last`` (stocks:
the latest month with an actual), ``ratio`` (rates: Σ numerator / Σ denominator × scale, where
the monthly actual = numerator / denominator × scale; the scale is derived per KPI as the
median of actual ÷ (numerator/denominator) over months where all three are known, 1 when it
cannot be derived, or given). A ``ratio`` KPI whose months lack numerator/denominator falls
back to the mean of its actuals.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import jdatetime
import numpy as np
import pandas as pd

from errors import DomainError

GRAINS = ("month", "quarter", "year")
CALENDARS = ("gregorian", "jalali")
AGGREGATIONS = ("sum", "mean", "last", "ratio")
JALALI_MONTHS_EN = ("Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar",
                    "Mehr", "Aban", "Azar", "Dey", "Bahman", "Esfand")
JALALI_MONTHS_FA = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
                    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند")
_PATTERN = re.compile(r"^(?P<j>J?)(?P<year>\d{4})(?:-(?:Q(?P<quarter>\d)|(?P<month>\d{1,2})))?$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period; ``number`` is the month (1–12), quarter (1–4) or 1 for a year."""

    calendar: str
    grain: str
    year: int
    number: int = 1

    def __str__(self) -> str:
        prefix = "J" if self.calendar == "jalali" else ""
        if self.grain == "month":
            return f"{prefix}{self.year:04d}-{self.number:02d}"
        if self.grain == "quarter":
            return f"{prefix}{self.year:04d}-Q{self.number}"
        return f"{prefix}{self.year:04d}"

    @property
    def months(self) -> list[tuple[int, int]]:
        """(year, month) pairs of this period in its own calendar."""
        if self.grain == "month":
            return [(self.year, self.number)]
        if self.grain == "quarter":
            return [(self.year, 3 * (self.number - 1) + m) for m in (1, 2, 3)]
        return [(self.year, m) for m in range(1, 13)]


def parse_period(text: str | Period) -> Period:
    """"2025-03", "2025-Q1", "2025", or Jalali "J1403-01", "J1403-Q1", "J1403"."""
    if isinstance(text, Period):
        return text
    match = _PATTERN.match(str(text).strip())
    if not match:
        raise DomainError("'{text}' is not a period like 2025-03, 2025-Q1 or 2025 (Jalali: J1403-01).", text=text)
    calendar = "jalali" if match["j"] else "gregorian"
    year = int(match["year"])
    if match["quarter"] is not None:
        quarter = int(match["quarter"])
        if not 1 <= quarter <= 4:
            raise DomainError("'{text}': a quarter is Q1 to Q4.", text=text)
        return Period(calendar, "quarter", year, quarter)
    if match["month"] is not None:
        month = int(match["month"])
        if not 1 <= month <= 12 or len(match["month"]) != 2:
            raise DomainError("'{text}': the month must be 01 to 12.", text=text)
        return Period(calendar, "month", year, month)
    return Period(calendar, "year", year)


def month_label(year: int, month: int) -> str:
    """"YYYY-MM"."""
    return f"{year:04d}-{month:02d}"


def to_jalali_month(month: str) -> tuple[int, int]:
    """The Jalali (year, month) a Gregorian "YYYY-MM" is counted in: where its 15th falls."""
    period = parse_period(month)
    if period.calendar != "gregorian" or period.grain != "month":
        raise DomainError("'{month}' is not a Gregorian month like 2025-03.", month=month)
    day = jdatetime.date.fromgregorian(year=period.year, month=period.number, day=15)
    return day.year, day.month


def _gregorian_month_of_jalali(year: int, month: int) -> str:
    """The Gregorian month counted in Jalali (year, month): the one whose 15th lies inside it."""
    start = jdatetime.date(year, month, 1).togregorian()
    following = start.replace(day=1) + pd.DateOffset(months=1)
    candidate = month_label(following.year, following.month)
    return candidate if to_jalali_month(candidate) == (year, month) else month_label(start.year, start.month)


def months_in(period: str | Period) -> list[str]:
    """The Gregorian months ("YYYY-MM", oldest first) that make up a period."""
    parsed = parse_period(period)
    if parsed.calendar == "gregorian":
        return [month_label(y, m) for y, m in parsed.months]
    return [_gregorian_month_of_jalali(y, m) for y, m in parsed.months]


def period_of(month: str, grain: str, calendar: str = "gregorian") -> str:
    """The period of ``grain`` (and calendar) that contains the Gregorian month "YYYY-MM"."""
    if grain not in GRAINS:
        raise DomainError("Grain must be one of {grains}, not {grain!r}.", grains=list(GRAINS), grain=grain)
    if calendar not in CALENDARS:
        raise DomainError("Calendar must be one of {calendars}, not {calendar!r}.", calendars=list(CALENDARS),
                          calendar=calendar)
    parsed = parse_period(month)
    if parsed.grain != "month" or parsed.calendar != "gregorian":
        raise DomainError("'{month}' is not a Gregorian month like 2025-03.", month=month)
    year, number = to_jalali_month(month) if calendar == "jalali" else (parsed.year, parsed.number)
    position = {"month": number, "quarter": (number - 1) // 3 + 1, "year": 1}[grain]
    return str(Period(calendar, grain, year, position))


def period_options(months: Iterable[str], grain: str, calendar: str = "gregorian") -> list[str]:
    """Every period of ``grain`` holding at least one of the available months, oldest first.

    A period counts as soon as it has one month of data (a quarter- or year-to-date).
    """
    labels = {period_of(str(m), grain, calendar) for m in pd.unique(pd.Series(list(months), dtype=object).dropna())}
    return sorted(labels, key=parse_period)


def months_to_date(period: str | Period, available: Iterable[str]) -> tuple[int, int]:
    """(months of ``period`` with data, months in ``period``): (1, 3) for a quarter one month in."""
    months = months_in(period)
    have = set(pd.Series(list(available), dtype=object).dropna().astype(str))
    return sum(m in have for m in months), len(months)


def shift(period: str | Period, steps: int) -> str:
    """The period ``steps`` periods of the same grain later (negative: earlier)."""
    parsed = parse_period(period)
    per_year = {"month": 12, "quarter": 4, "year": 1}[parsed.grain]
    index = parsed.year * per_year + (parsed.number - 1) + steps
    return str(Period(parsed.calendar, parsed.grain, index // per_year, index % per_year + 1))


def previous(period: str | Period) -> str:
    """The period just before, of the same grain and calendar ("2025-01" → "2024-12")."""
    return shift(period, -1)


def year_ago(period: str | Period) -> str:
    """The same period one year earlier ("2025-Q2" → "2024-Q2"), for year-on-year comparison."""
    parsed = parse_period(period)
    return shift(parsed, -{"month": 12, "quarter": 4, "year": 1}[parsed.grain])


def jalali_label(period: str | Period, language: str = "en") -> str:
    """A period named in the Jalali calendar: "2024-04" → "1403 Farvardin" (fa: "فروردین 1403").

    Gregorian months are shown as the Jalali month they are counted in; Jalali periods
    ("J1403-Q1", "J1403") as "1403 Q1" / "1403"; digits stay ASCII (the UI localises them).
    """
    parsed = parse_period(period)
    if parsed.calendar == "gregorian" and parsed.grain != "month":
        raise DomainError("'{period}' is a Gregorian {grain}; only months map onto the Jalali calendar.",
                          period=period, grain=parsed.grain)
    year, number = to_jalali_month(str(parsed)) if parsed.calendar == "gregorian" else (parsed.year, parsed.number)
    grain = parsed.grain
    if language == "fa":
        if grain == "month":
            return f"{JALALI_MONTHS_FA[number - 1]} {year}"
        return f"فصل {number} {year}" if grain == "quarter" else f"{year}"
    if grain == "month":
        return f"{year} {JALALI_MONTHS_EN[number - 1]}"
    return f"{year} Q{number}" if grain == "quarter" else f"{year}"


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _group_codes(frame: pd.DataFrame, keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Group number of each row (groups in sorted key order) and the first row of each group."""
    combined = np.zeros(len(frame), dtype=np.int64)
    for column in keys:
        codes, uniques = pd.factorize(frame[column], sort=True, use_na_sentinel=False)
        combined = combined * len(uniques) + codes
    groups, first_row, group = np.unique(combined, return_index=True, return_inverse=True)
    return group.reshape(-1), first_row


def _last_valid(values: np.ndarray, group: np.ndarray, month: np.ndarray, size: int) -> np.ndarray:
    """Per group, the value of the latest month that has one (NaN when none has)."""
    out = np.full(size, np.nan)
    rows = np.flatnonzero(~np.isnan(values))
    order = rows[np.lexsort((month[rows], group[rows]))]
    out[group[order]] = values[order]          # later months overwrite earlier ones
    return out


def _rules(kpis: pd.Series, kpi_aggregations: Mapping, default: str | None) -> pd.Series:
    rules = kpis.map(dict(kpi_aggregations))
    if default is not None:
        rules = rules.fillna(default)
    bad = sorted({str(k) for k, r in zip(kpis, rules) if r not in AGGREGATIONS})
    if bad:
        raise DomainError("Aggregation must be one of {aggregations}; check KPI(s) {kpis}.",
                          aggregations=list(AGGREGATIONS), kpis=bad)
    return rules


def aggregate_measurements(measurements: pd.DataFrame, kpi_aggregations: Mapping, period: str | Period | None = None,
                           scale: float | Mapping | None = None, key: str | None = None,
                           default: str | None = "mean") -> pd.DataFrame:
    """Aggregate many KPIs' (and segments') monthly actuals over a period, vectorised.

    ``measurements`` holds ``period`` ("YYYY-MM"), ``actual``, optionally ``numerator``,
    ``denominator`` and ``segment``, and the KPI ``key`` column (default ``kpi_id`` when
    present, else ``kpi``). ``kpi_aggregations`` maps each KPI to sum | mean | last | ratio;
    KPIs it does not list use ``default`` (None: they are an error). With ``period`` only its
    months are used. ``scale`` fixes the ratio scale (one number, or per KPI); otherwise it is
    derived (see the module docstring).

    Returns one row per (KPI, segment), in sorted key order, with ``actual``, ``numerator``,
    ``denominator`` (sums over the months) and ``months`` (how many months had an actual).
    """
    key = key or ("kpi_id" if "kpi_id" in measurements else "kpi")
    missing = [c for c in (key, "period", "actual") if c not in measurements]
    if missing:
        raise DomainError("Measurements lack column(s): {columns}.", columns=missing)
    keys = [key] + (["segment"] if "segment" in measurements else [])
    frame = measurements if period is None else measurements[measurements["period"].isin(months_in(period))]
    group, first_row = _group_codes(frame, keys)
    size = len(first_row)
    out = frame[keys].iloc[first_row].reset_index(drop=True)
    rules = _rules(out[key], kpi_aggregations, default).to_numpy(dtype=object)
    actual, numerator, denominator = (_column(frame, c) for c in ("actual", "numerator", "denominator"))
    month = pd.factorize(frame["period"], sort=True)[0]

    def total(values: np.ndarray) -> np.ndarray:
        known = ~np.isnan(values)
        sums = np.bincount(group, weights=np.where(known, values, 0.0), minlength=size)
        return np.where(np.bincount(group, weights=known, minlength=size) > 0, sums, np.nan)

    months = np.bincount(group, weights=~np.isnan(actual), minlength=size).astype(int)
    sums, num, den = total(actual), total(numerator), total(denominator)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = sums / months
        implied = actual * denominator / numerator
        implied = pd.Series(np.where(np.isfinite(implied), implied, np.nan)).groupby(group).median()
        if scale is None:
            factor = implied.reindex(range(size)).fillna(1.0).to_numpy()
        elif isinstance(scale, Mapping):
            factor = out[key].map(dict(scale)).fillna(1.0).to_numpy(dtype=float)
        else:
            factor = np.full(size, float(scale))
        ratio = np.where(den != 0, num / den * factor, np.nan)
    out["actual"] = np.select(
        [rules == "sum", rules == "last", rules == "ratio"],
        [sums, _last_valid(actual, group, month, size), np.where(np.isnan(ratio), mean, ratio)],
        default=mean)
    out["numerator"], out["denominator"], out["months"] = num, den, months
    return out


def aggregate_kpi(monthly: pd.DataFrame, aggregation: str, scale: float | None = None) -> pd.Series:
    """One KPI's months aggregated by one rule: a Series with actual, numerator, denominator, months."""
    if aggregation not in AGGREGATIONS:
        raise DomainError("Aggregation must be one of {aggregations}, not {aggregation!r}.",
                          aggregations=list(AGGREGATIONS), aggregation=aggregation)
    frame = monthly.drop(columns=["kpi", "segment"], errors="ignore").assign(kpi="_")
    result = aggregate_measurements(frame, {"_": aggregation}, scale=scale, key="kpi")
    if result.empty:
        return pd.Series({"actual": np.nan, "numerator": np.nan, "denominator": np.nan, "months": 0})
    return result.drop(columns="kpi").iloc[0]

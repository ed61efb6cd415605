"""Reporting periods (Gregorian and Jalali) and aggregation of monthly actuals."""

import math

import jdatetime
import numpy as np
import pandas as pd
import pytest

import scorecard.periods as periods
from scorecard.periods import (
    Period,
    aggregate_kpi,
    aggregate_measurements,
    jalali_label,
    months_in,
    parse_period,
    period_of,
    period_options,
    previous,
    shift,
    to_jalali_month,
    year_ago,
)


@pytest.mark.parametrize(("text", "expected"), [
    ("2025-03", Period("gregorian", "month", 2025, 3)),
    ("2025-q2", Period("gregorian", "quarter", 2025, 2)),
    (" 2025 ", Period("gregorian", "year", 2025, 1)),
    ("J1403-07", Period("jalali", "month", 1403, 7)),
    ("j1403-Q4", Period("jalali", "quarter", 1403, 4)),
    ("J1403", Period("jalali", "year", 1403, 1)),
])
def test_parse_and_format_round_trip(text, expected):
    assert parse_period(text) == expected
    assert parse_period(str(expected)) == expected


@pytest.mark.parametrize("bad", ["2025-13", "2025-00", "2025-Q5", "2025-3", "25-03", "2025/03", "March", ""])
def test_parse_period_rejects(bad):
    with pytest.raises(ValueError, match="period|month|quarter"):
        parse_period(bad)


def test_months_in_gregorian():
    assert months_in("2025-02") == ["2025-02"]
    assert months_in("2025-Q4") == ["2025-10", "2025-11", "2025-12"]
    assert months_in("2024") == [f"2024-{m:02d}" for m in range(1, 13)]


def test_jalali_month_is_where_the_15th_falls():
    assert to_jalali_month("2024-04") == (1403, 1)    # 15 April 2024 = 27 Farvardin 1403
    assert to_jalali_month("2024-03") == (1402, 12)   # 15 March 2024 = 25 Esfand 1402
    assert to_jalali_month("2025-03") == (1403, 12)
    months = [f"{y}-{m:02d}" for y in range(1995, 2045) for m in range(1, 13)]
    jalali = [to_jalali_month(m) for m in months]
    assert len(set(jalali)) == len(months)            # one to one: no Jalali month counted twice
    for month, (jy, jm) in zip(months, jalali):
        day = jdatetime.date(jy, jm, 1).togregorian()
        assert day.strftime("%Y-%m") < month or (day.day <= 15 and day.strftime("%Y-%m") == month)


def test_months_in_jalali():
    assert months_in("J1403-01") == ["2024-04"]
    assert months_in("J1403-Q1") == ["2024-04", "2024-05", "2024-06"]
    assert months_in("J1403") == [f"2024-{m:02d}" for m in range(4, 13)] + ["2025-01", "2025-02", "2025-03"]
    for year in range(1395, 1415):
        for month in range(1, 13):
            assert [to_jalali_month(m) for m in months_in(f"J{year}-{month:02d}")] == [(year, month)]


def test_jalali_labels():
    assert jalali_label("2024-04") == "1403 Farvardin"
    assert jalali_label("2025-03", "fa") == "اسفند 1403"
    assert jalali_label("2024-10", "fa") == "مهر 1403"
    assert jalali_label("J1403-Q2") == "1403 Q2"
    assert jalali_label("J1403", "fa") == "1403"
    with pytest.raises(ValueError, match="Gregorian quarter"):
        jalali_label("2024-Q1")


def test_period_options_and_period_of():
    months = ["2024-11", "2024-12", "2025-01", "2025-03", "2024-12"]
    assert period_options(months, "month") == ["2024-11", "2024-12", "2025-01", "2025-03"]
    assert period_options(months, "quarter") == ["2024-Q4", "2025-Q1"]
    assert period_options(months, "year") == ["2024", "2025"]
    assert period_options(months, "quarter", "jalali") == ["J1403-Q3", "J1403-Q4"]
    assert period_options(months, "year", "jalali") == ["J1403"]
    assert period_options([], "month") == []
    assert period_of("2025-03", "month", "jalali") == "J1403-12"
    with pytest.raises(ValueError, match="Grain"):
        period_options(months, "week")
    with pytest.raises(ValueError, match="Calendar"):
        period_of("2025-03", "month", "hebrew")


def test_previous_and_year_ago():
    assert previous("2025-01") == "2024-12"
    assert previous("2025-Q1") == "2024-Q4"
    assert previous("2025") == "2024"
    assert previous("J1403-01") == "J1402-12"
    assert shift("2024-11", 3) == "2025-02"
    assert year_ago("2025-Q2") == "2024-Q2"
    assert year_ago("2025-02") == "2024-02"
    assert year_ago("J1404") == "J1403"


def _monthly() -> pd.DataFrame:
    # a conversion rate in % = numerator / denominator × 100
    return pd.DataFrame({"period": ["2025-01", "2025-02", "2025-03"],
                         "numerator": [10.0, 30.0, 20.0], "denominator": [100.0, 100.0, 200.0],
                         "actual": [10.0, 30.0, 10.0]})


@pytest.mark.parametrize(("rule", "expected"), [
    ("sum", 50.0), ("mean", 50.0 / 3), ("last", 10.0), ("ratio", 100 * 60 / 400),
])
def test_aggregate_kpi_rules(rule, expected):
    result = aggregate_kpi(_monthly(), rule)
    assert result["actual"] == pytest.approx(expected)
    assert result["months"] == 3


def test_aggregate_kpi_last_skips_missing_and_sorts_by_period():
    monthly = _monthly().iloc[[2, 0, 1]].assign(actual=[np.nan, 10.0, 30.0])
    assert aggregate_kpi(monthly, "last")["actual"] == 30.0
    assert aggregate_kpi(monthly, "sum")["months"] == 2


def test_aggregate_kpi_ratio_scale():
    assert aggregate_kpi(_monthly(), "ratio", scale=1.0)["actual"] == pytest.approx(0.15)
    no_parts = _monthly().drop(columns=["numerator", "denominator"])
    assert aggregate_kpi(no_parts, "ratio")["actual"] == pytest.approx(50.0 / 3)   # falls back to the mean
    assert math.isnan(aggregate_kpi(_monthly().iloc[:0], "sum")["actual"])
    with pytest.raises(ValueError, match="Aggregation"):
        aggregate_kpi(_monthly(), "median")


def _many(rng: np.random.Generator) -> pd.DataFrame:
    months = [f"{y}-{m:02d}" for y in (2023, 2024, 2025) for m in range(1, 13)]
    index = pd.MultiIndex.from_product([range(60), ["All", "SME", "Corporate", "Retail"], months],
                                       names=["kpi_id", "segment", "period"])
    frame = index.to_frame(index=False)
    frame["denominator"] = rng.integers(50, 150, len(frame)).astype(float)
    frame["numerator"] = np.floor(frame["denominator"] * rng.uniform(0.1, 0.9, len(frame)))
    frame["actual"] = frame["numerator"] / frame["denominator"] * 100
    return frame.sample(frac=1.0, random_state=1)      # storage order must not matter


def test_aggregate_measurements_matches_per_kpi_aggregation():
    frame = _many(np.random.default_rng(3))
    frame.loc[frame.sample(200, random_state=2).index, "actual"] = np.nan
    rules = {k: ("sum", "mean", "last", "ratio")[k % 4] for k in range(60)}
    result = aggregate_measurements(frame, rules, "2024-Q3")
    assert len(result) == 240
    assert list(result.columns) == ["kpi_id", "segment", "actual", "numerator", "denominator", "months"]
    for _, row in result.sample(40, random_state=0).iterrows():
        mine = frame[(frame["kpi_id"] == row["kpi_id"]) & (frame["segment"] == row["segment"])
                     & frame["period"].isin(["2024-07", "2024-08", "2024-09"])]
        expected = aggregate_kpi(mine, rules[row["kpi_id"]])
        assert row["actual"] == pytest.approx(expected["actual"], nan_ok=True)
        assert row["months"] == mine["actual"].notna().sum()


def test_aggregate_measurements_by_name_default_rule_and_errors():
    frame = pd.DataFrame({"kpi": ["a", "a", "b"], "period": ["2025-01", "2025-02", "2025-01"],
                          "actual": [1.0, 3.0, 5.0]})
    result = aggregate_measurements(frame, {"a": "sum"})
    assert result.set_index("kpi")["actual"].to_dict() == {"a": 4.0, "b": 5.0}
    with pytest.raises(ValueError, match="check KPI"):
        aggregate_measurements(frame, {"a": "sum"}, default=None)
    with pytest.raises(ValueError, match="check KPI"):
        aggregate_measurements(frame, {"a": "total"})
    with pytest.raises(ValueError, match="actual"):
        aggregate_measurements(frame.drop(columns="actual"), {})
    assert aggregate_measurements(frame, {}, "2030").empty


def test_months_to_date_counts_the_running_periods_months():
    available = ["2026-08", "2026-09", "2026-10"]
    assert periods.months_to_date("2026-Q4", available) == (1, 3)
    assert periods.months_to_date("2026-Q3", available) == (2, 3)  # July has no data here
    assert periods.months_to_date("2026-10", available) == (1, 1)
    assert periods.months_to_date("2026", [f"2026-{m:02d}" for m in range(1, 11)]) == (10, 12)

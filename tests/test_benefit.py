"""The verified benefit measured on the KPI's own months (scorecard.benefit), against Welch's formulas
worked from the raw months (the expected values do not go through scipy's ttest_ind, which the code uses)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from errors import DomainError
from scorecard.benefit import verified_benefit

BEFORE = [10.0, 12.0, 11.0, 13.0]   # 2026-01 … 2026-04: mean 11.5, s² = 5/3
AFTER = [15.0, 14.0, 16.0]          # 2026-05 … 2026-07: mean 15, s² = 1


def _history(values: list[float], start: str = "2026-01") -> pd.Series:
    return pd.Series(values, index=pd.period_range(start, periods=len(values), freq="M"))


def _welch(before: list[float], after: list[float]) -> tuple[float, float, float]:
    """Shift, its standard error and Welch–Satterthwaite degrees of freedom, by hand."""
    a, b = np.array(before), np.array(after)
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
    return b.mean() - a.mean(), math.sqrt(va + vb), df


def test_a_rise_on_a_higher_is_better_kpi_is_worth_its_shift_times_the_value_of_a_unit():
    result = verified_benefit(_history(BEFORE + AFTER), "2026-05", "higher", 12.0)
    shift, se, df = _welch(BEFORE, AFTER)
    assert (shift, round(se, 6), round(df, 3)) == (3.5, 0.866025, 4.959)      # √(5/12 + 1/3) = √0.75
    half = stats.t.ppf(0.975, df) * se
    assert (result.before_months, result.after_months, result.before_from, result.after_to) == (4, 3, "2026-01", "2026-07")
    assert result.shift == pytest.approx(3.5)
    assert (result.shift_low, result.shift_high) == pytest.approx((3.5 - half, 3.5 + half), rel=1e-9)
    assert result.p_value == pytest.approx(stats.t.sf(3.5 / se, df), rel=1e-9)  # one-sided: after > before
    assert result.benefit == pytest.approx(42.0)                                  # 3.5 × $12k a year
    assert (result.benefit_low, result.benefit_high) == pytest.approx((12 * (3.5 - half), 12 * (3.5 + half)), rel=1e-9)


def test_a_fall_on_a_lower_is_better_kpi_is_a_positive_benefit():
    result = verified_benefit(_history(AFTER + BEFORE), "2026-04", "lower", 2.0)   # 15, 14, 16 then 10 … 13
    assert result.shift == pytest.approx(-3.5) and result.benefit == pytest.approx(7.0)
    assert result.benefit_low > 0 and result.p_value < 0.05


def test_the_before_months_start_at_the_latest_earlier_process_change():
    history = _history([50.0, 52.0, 51.0] + BEFORE + AFTER, start="2025-10")   # another process until 2025-12
    staged = verified_benefit(history, "2026-05", "higher", 1.0, stage_starts=["2026-01", "2026-05"])
    assert (staged.before_from, staged.before_months, staged.shift) == ("2026-01", 4, pytest.approx(3.5))
    unstaged = verified_benefit(history, "2026-05", "higher", 1.0)
    assert unstaged.before_months == 7 and unstaged.shift < 0


@pytest.mark.parametrize("history, change, worth, words", [
    (_history(BEFORE + AFTER[:2]), "2026-05", 1.0, "2 months after the change in 2026-05"),
    (_history(BEFORE[:2] + AFTER), "2026-03", 1.0, "2 months before the change in 2026-03"),
    (_history(BEFORE + AFTER), "2026-05", 0.0, "must be a positive number"),
])
def test_too_few_months_or_no_value_per_unit_is_refused_with_the_reason(history, change, worth, words):
    with pytest.raises(DomainError) as refused:
        verified_benefit(history, change, "higher", worth)
    assert words in str(refused.value)


def test_a_kpi_already_trending_before_the_change_says_how_much_of_the_shift_the_trend_explains():
    """y = 100 + 2·t with no change at all: the whole before/after shift is the trend, worked by hand.
    Before: t = 0…11 (mean t 5.5, mean y 111); after: t = 12…15 (mean t 13.5, mean y 127); shift 16 =
    2 per month × 8 months between the windows' centres."""
    values = [100.0 + 2.0 * t for t in range(16)]
    result = verified_benefit(_history(values), "2027-01", "higher", 12.0)
    assert (result.before_mean, result.after_mean, result.shift) == pytest.approx((111.0, 127.0, 16.0))
    assert result.trend_per_month == pytest.approx(2.0)
    assert result.trend_p < 1e-6                       # a perfect line: the before months' slope is no accident
    assert result.trend_shift == pytest.approx(16.0)   # what the before months' trend alone would have brought
    assert result.trend_explains                       # significant, in the wanted direction


def test_a_flat_kpi_before_the_change_has_no_trend_to_explain_the_shift():
    """Before: 10, 12, 11, 13 at t = 0…3; slope by hand Σ(t−1.5)(y−11.5)/Σ(t−1.5)² = 4/5 = 0.8 per month,
    one-sided p = 0.1 with 2 degrees of freedom: not significant, so nothing is said against the shift."""
    result = verified_benefit(_history(BEFORE + AFTER), "2026-05", "higher", 12.0)
    t = np.arange(4.0)
    slope = float(((t - t.mean()) * (np.array(BEFORE) - 11.5)).sum() / ((t - t.mean()) ** 2).sum())
    assert slope == pytest.approx(0.8)
    assert result.trend_per_month == pytest.approx(slope)
    assert result.trend_shift == pytest.approx(slope * (5.0 - 1.5))   # after months t = 4…6 (centre 5)
    assert result.trend_p > 0.05 and not result.trend_explains

"""The chance of a target under a what-if scenario: the forecast moved by the scenario's driver effects.

Expected values are computed by hand here (normal algebra with scipy.stats, or numerical
integration with scipy.integrate.quad), never by the helper under test.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats

from scorecard.forecast import Predictive, probability_of_target
from scorecard.links import LinkEffect
from scorecard.whatif import outlook, propagate


def _normal(mean: float, sd: float) -> Predictive:
    """One horizon, one model: N(mean, sd²) (a t with infinitely many degrees of freedom)."""
    return Predictive("normal", np.array([[mean]]), np.array([[sd]]), np.array([np.inf]), np.array([1.0]))


def _student(mean: float, scale: float, df: float) -> Predictive:
    return Predictive("t", np.array([[mean]]), np.array([[scale]]), np.array([df]), np.array([1.0]))


def test_hand_computed_normal_case():
    # Forecast N(100, 10²); scenario shift +5 with SE 5; target 110 (higher is better).
    # Expected actual 105, σ = √(10² + 5²) = 11.1803; z = (110 − 105)/11.1803 = 0.44721;
    # P = 1 − Φ(0.44721) = 0.32736 (standard normal table).
    assert _normal(100, 10).probability(110, 1, shift=5, shift_sd=5) == pytest.approx(0.32736, abs=1e-5)
    assert 1 - stats.norm.cdf(0.44721) == pytest.approx(0.32736, abs=1e-5)
    # Lower is better, target 95: P(actual ≤ 95) = Φ((95 − 105)/11.1803) = Φ(−0.89443) = 0.18555.
    assert _normal(100, 10).probability(95, 1, "lower", shift=5, shift_sd=5) == pytest.approx(0.18555, abs=1e-5)


@pytest.mark.parametrize("df, scale, shift_sd, target", [(6, 2.0, 1.5, 13.0), (2, 1.0, 3.0, 9.0), (30, 5.0, 0.2, 4.0)])
def test_student_forecast_plus_normal_shift_matches_numerical_integration(df, scale, shift_sd, target):
    # P(10 + scale·T(df) + N(1, shift_sd²) ≥ target) = ∫ φ(y; 1, shift_sd) · P(T ≥ (target − 10 − y)/scale) dy
    by_hand = integrate.quad(lambda y: stats.norm.pdf(y, 1.0, shift_sd) * stats.t.sf((target - 10 - y) / scale, df),
                             1 - 12 * shift_sd, 1 + 12 * shift_sd, limit=400)[0]
    assert _student(10, scale, df).probability(target, 1, shift=1.0, shift_sd=shift_sd) == pytest.approx(by_hand, abs=1e-3)


def _short_history() -> pd.Series:
    return pd.Series([10, 12, 11, 13, 12, 14.0], index=pd.period_range("2024-01", periods=6, freq="M"))


def test_probability_of_target_with_a_shift_by_hand():
    # Six months (too few for a state-space model): mean 12, s = √2 = 1.41421, predictive
    # 12 + t(5)·s·√(1 + 1/6) = 12 + 1.52753·t(5) (module docstring of scorecard.forecast).
    history, scale = _short_history(), math.sqrt(2) * math.sqrt(7 / 6)
    plain = stats.t.sf((13 - 12) / scale, 5)
    assert probability_of_target(history, 13, 1) == pytest.approx(plain, abs=1e-9)
    assert probability_of_target(history, 13, 1, shift=0.0, shift_sd=0.0) == pytest.approx(plain, abs=1e-9)
    # A certain shift of +1 puts the expected actual on the target: exactly one half.
    assert probability_of_target(history, 13, 1, shift=1.0) == pytest.approx(0.5, abs=1e-9)
    # Shift −0.5 with SE 0.8: the t convolved with N(−0.5, 0.8²), integrated numerically.
    by_hand = integrate.quad(lambda y: stats.norm.pdf(y, -0.5, 0.8) * stats.t.sf((13 - 12 - y) / scale, 5), -10, 10)[0]
    assert probability_of_target(history, 13, 1, shift=-0.5, shift_sd=0.8) == pytest.approx(by_hand, abs=1e-3)


@pytest.mark.parametrize("shift, shift_sd", [(float("nan"), 0.0), (0.0, -1.0), (0.0, float("inf")), ("a", 0.0)])
def test_bad_shift_raises(shift, shift_sd):
    with pytest.raises(ValueError):
        probability_of_target(_short_history(), 13, 1, shift=shift, shift_sd=shift_sd)


def _chain(slope: float, se: float, change: float) -> tuple[float, float]:
    """Expected change and SE of the effect KPI 2 when driver 1 moves by ``change`` (link 1 → 2)."""
    row = propagate({1: change}, {(1, 2): LinkEffect(slope, se, slope - 2 * se, slope + 2 * se, "estimated")})
    effect = row.set_index("node").loc[2]
    return float(effect["mean"]), float(effect["sd"])


def test_a_positive_effect_never_lowers_the_expected_actual_nor_the_chance_below_target():
    forecast, target = _normal(100, 10), 130.0            # expected actual stays below 130 on this range
    expected, chances = [], []
    for change in np.linspace(0, 20, 11):                  # slope 1.2 ± 0.3: at most +24 → 124 < 130
        mean, sd = _chain(1.2, 0.3, change)
        expected.append(100 + mean)
        chances.append(forecast.probability(target, 1, shift=mean, shift_sd=sd))
    assert all(b >= a for a, b in zip(expected, expected[1:]))
    assert all(b >= a - 1e-12 for a, b in zip(chances, chances[1:]))
    assert chances[-1] > chances[0]


def test_the_band_widens_with_the_effects_standard_error():
    # Same expected effect (slope 1 × change 10), larger SE of the slope: a wider spread of the shift
    # (SE of the change = 10 × SE of the slope, up to Monte Carlo error) and a chance nearer one half.
    spreads = [_chain(1.0, se, 10.0)[1] for se in (0.1, 0.3, 0.6)]
    assert spreads == pytest.approx([1.0, 3.0, 6.0], rel=0.05)
    forecast = _normal(100, 2)
    chances = [forecast.probability(115, 1, shift=10, shift_sd=sd) for sd in spreads]
    assert chances[0] < chances[1] < chances[2] < 0.5


def test_outlook_puts_the_scenario_target_on_the_shifted_forecast():
    # Official: forecast N(100, 10²), target 120: 1 − Φ(2) = 0.02275. Scenario: target 110, shift +5 ± 5:
    # expected 105, 1 − Φ(5/√125) = 1 − Φ(0.44721) = 0.32736.
    seen = outlook(_normal(100, 10), 1, "higher", 120.0, 110.0, shift=5.0, shift_sd=5.0)
    assert (seen.official_expected, seen.scenario_expected) == (100.0, 105.0)
    assert seen.official_chance == pytest.approx(0.02275, abs=1e-5)
    assert seen.scenario_chance == pytest.approx(0.32736, abs=1e-5)

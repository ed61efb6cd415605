"""Goal seeking on a hand-built map: drivers A (1) and B (2) each drive KPI K (3) by one link.

K's forecast one month ahead is N(100, 10²); its target 120 (higher is better); asked chance 80 %.
A change c of a driver with slope m ± s shifts K by c·m with SE c·s, so the chance is
Φ((100 + c·m − 120)/√(10² + c²s²)). Setting it to 0.8 (z = Φ⁻¹(0.8) = 0.841621) and squaring gives
the quadratic (m² − z²s²)c² − 2·20·m·c + 20² − z²·10² = 0, whose larger root is the answer.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from data.metrics import value_range
from scorecard.forecast import Predictive
from scorecard.goalseek import driver_history, feasibility, goal_seek
from scorecard.links import LinkEffect
from scorecard.whatif import propagate

Z80 = 0.841621                     # Φ⁻¹(0.80), standard normal table
A, B, C, P, Q, K = 1, 2, 3, 4, 5, 9
FORECAST = Predictive("normal", np.array([[100.0]]), np.array([[10.0]]), np.array([np.inf]), np.array([1.0]))


def _link(slope: float, se: float) -> LinkEffect:
    return LinkEffect(slope, se, slope - 1.96 * se, slope + 1.96 * se, "estimated")


def _months(values: list[float]) -> pd.Series:
    return pd.Series(values, index=pd.period_range("2024-01", periods=len(values), freq="M"))


EDGES = {(A, K): _link(2.0, 0.2), (B, K): _link(5.0, 2.0)}
# A alternates 10, 12: σ = √(12/11) = 1.044466 (twelve deviations of ±1, n − 1 = 11).
# B alternates 0, 10: σ = 5·√(12/11) = 5.222330.
HISTORIES = {A: _months([10.0, 12.0] * 6), B: _months([0.0, 10.0] * 6)}
SIGMA_A, SIGMA_B = math.sqrt(12 / 11), 5 * math.sqrt(12 / 11)


def _root(mean: float, se: float) -> float:
    """Larger root of (m² − z²s²)c² − 40·m·c + 400 − 100·z² = 0 (see the module docstring)."""
    a, b, c = mean ** 2 - Z80 ** 2 * se ** 2, -40 * mean, 400 - 100 * Z80 ** 2
    return (-b + math.sqrt(b * b - 4 * a * c)) / (2 * a)


def test_driver_history_by_hand():
    seen = driver_history(HISTORIES[A])
    assert (seen.sigma, seen.months) == (pytest.approx(1.044466, abs=1e-6), 12)


def test_alone_and_shared_answers_equal_the_hand_computation():
    answer = goal_seek(FORECAST, 1, "higher", 120.0, K, EDGES, HISTORIES, 0.8, draws=200_000)
    by_driver = {next(iter(move.changes)): move for move in answer.alone}
    # A alone: m = 2, s = 0.2 → c = 14.378 (hand: 3.971667c² − 80c + 329.1674 = 0).
    assert by_driver[A].changes[A] == pytest.approx(_root(2.0, 0.2), rel=2e-3)
    assert _root(2.0, 0.2) == pytest.approx(14.378, abs=1e-3)
    # B alone: m = 5, s = 2 → c = 6.857 (hand: 22.166696c² − 200c + 329.1674 = 0).
    assert by_driver[B].changes[B] == pytest.approx(_root(5.0, 2.0), rel=2e-3)
    assert _root(5.0, 2.0) == pytest.approx(6.857, abs=1e-3)
    # Feasibility: B's 6.857 is 6.857 / 5.222330 = 1.313 σ (large); A's 14.378 / 1.044466 = 13.77 σ (unseen): B first.
    assert [next(iter(m.changes)) for m in answer.alone] == [B, A]
    assert (by_driver[B].feasibility, by_driver[A].feasibility) == ("large", "unseen")
    assert by_driver[A].sigmas == pytest.approx(_root(2.0, 0.2) / SIGMA_A, rel=2e-3)
    # Shared: each moves k of its own σ: shift k·(2σ_A + 5σ_B), SE k·√((0.2σ_A)² + (2σ_B)²) (independent slopes).
    k = _root(2 * SIGMA_A + 5 * SIGMA_B, math.hypot(0.2 * SIGMA_A, 2 * SIGMA_B))
    assert answer.shared.changes[A] == pytest.approx(k * SIGMA_A, rel=2e-3)
    assert answer.shared.changes[B] == pytest.approx(k * SIGMA_B, rel=2e-3)
    assert answer.shared.sigmas == pytest.approx(k, rel=2e-3)


def test_the_fewest_sigmas_rank_first_and_read_no_harder_than_later_ones():
    # P trends 0, 1, …, 35: σ = √(36·37/12) = √111 = 10.535654 (consecutive integers), though it never moved more
    # than 1 in a month. Q sits at 0 and jumps to 10 once: mean 10/36, Σ(x − mean)² = 100 − 36·(10/36)² = 97.2222,
    # σ = √(97.2222/35) = 1.666667. Exact slopes (SE 0): K needs a shift of 20 + 10·z = 28.41621 for 80 %.
    # P: c = 28.41621/4 = 7.104053 = 0.6743 σ; Q: c = 28.41621/6 = 4.736035 = 2.8416 σ (a size Q once moved by).
    edges = {(P, K): _link(4.0, 0.0), (Q, K): _link(6.0, 0.0)}
    histories = {P: _months([float(i) for i in range(36)]), Q: _months([0.0] * 35 + [10.0])}
    answer = goal_seek(FORECAST, 1, "higher", 120.0, K, edges, histories, 0.8)
    assert [next(iter(m.changes)) for m in answer.alone] == [P, Q]
    assert [m.sigmas for m in answer.alone] == [pytest.approx(0.674276, abs=1e-4), pytest.approx(2.841621, abs=1e-4)]
    assert [m.feasibility for m in answer.alone] == ["usual", "rare"]


@pytest.mark.parametrize("sigmas,word", [(0.0, "usual"), (1.0, "usual"), (1.01, "large"), (2.0, "large"),
                                         (2.5, "rare"), (3.0, "rare"), (3.01, "unseen"), (30.0, "unseen")])
def test_the_feasibility_word_follows_the_size_in_sigmas(sigmas, word):
    assert feasibility(sigmas) == word


def test_applying_an_answer_gives_the_asked_chance_within_two_points():
    answer = goal_seek(FORECAST, 1, "higher", 120.0, K, EDGES, HISTORIES, 0.8)
    for move in [*answer.alone, answer.shared]:
        reached = propagate(move.changes, EDGES).set_index("node").loc[K]    # what the page does with the sliders
        chance = FORECAST.probability(120.0, 1, shift=reached["mean"], shift_sd=reached["sd"])
        assert chance == pytest.approx(0.8, abs=0.02)


def test_an_effect_too_uncertain_is_out_of_reach_and_a_met_target_needs_nothing():
    # C: slope 1 ± 2 → however far C moves, the chance tends to Φ(1/2) = 0.691 < 0.8.
    edges = {(C, K): _link(1.0, 2.0)}
    answer = goal_seek(FORECAST, 1, "higher", 120.0, K, edges, {C: _months([0.0, 1.0] * 6)}, 0.8)
    assert answer.out_of_reach == [C] and answer.alone == []
    # Target 90: already P(N(100, 10²) ≥ 90) = Φ(1) = 0.8413 ≥ 0.8.
    assert goal_seek(FORECAST, 1, "higher", 90.0, K, EDGES, HISTORIES, 0.8).already == pytest.approx(0.841345, abs=1e-6)


def test_lower_is_better_moves_the_driver_down():
    # Target ≤ 80 for K: A must fall. By symmetry with the higher case, c = −14.378.
    answer = goal_seek(FORECAST, 1, "lower", 80.0, K, {(A, K): EDGES[(A, K)]}, HISTORIES, 0.8, draws=200_000)
    assert answer.alone[0].changes[A] == pytest.approx(-_root(2.0, 0.2), rel=2e-3)


def test_a_change_past_what_the_driver_can_take_is_not_offered():
    # A last stood at 12 and alone needs +14.379 (above): 26.38, past a ceiling of 20 (a percentage capped lower,
    # say). B last stood at 10 and needs +6.857: 16.86, within [0, 100]. Shared: k = 1.18386 σ each (the shared
    # root of the test above), A to 12 + 1.18386·1.044466 = 13.24 and B to 10 + 1.18386·5.222330 = 16.18: both fit.
    answer = goal_seek(FORECAST, 1, "higher", 120.0, K, EDGES, HISTORIES, 0.8, ranges={A: (0.0, 20.0), B: (0.0, 100.0)})
    assert [next(iter(move.changes)) for move in answer.alone] == [B]
    assert answer.beyond_range == [A]
    assert answer.shared.changes[A] == pytest.approx(1.18386 * SIGMA_A, rel=5e-3)
    # With A capped at 13 the shared move (A to 13.24) does not fit either: it is not offered.
    capped = goal_seek(FORECAST, 1, "higher", 120.0, K, EDGES, HISTORIES, 0.8, ranges={A: (0.0, 13.0)})
    assert capped.shared is None and capped.beyond_range == [A]


@pytest.mark.parametrize("metric,bounds", [
    ("win_rate_pct", (0.0, 100.0)),            # won / opened × 100: the won are some of the opened
    ("retention_pct", (0.0, 100.0)),
    ("complaints_per_1000", (0.0, math.inf)),  # complaints per 1,000 customer-months: one customer may complain twice
    ("revenue", (0.0, math.inf)),              # a sum of order amounts
    ("new_customers", (0.0, math.inf)),
    ("gross_margin_pct", (-math.inf, math.inf)),  # a margin may turn negative
    ("campaign_roi_pct", (-math.inf, math.inf)),  # and a return may pass 100 %
    (None, (-math.inf, math.inf)),             # an imported KPI: nothing known of its values
])
def test_each_metric_has_the_range_its_values_can_take(metric, bounds):
    assert value_range(metric) == bounds

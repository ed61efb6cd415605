"""Capability indices, confidence intervals, Box-Cox and sigma level.

Published numbers and sources: tests/results/spc_reference.py (qcc test-capability.R and the
qcc vignette); other expectations are the textbook formulas stated beside them.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from sixsigma import capability_auto, capability_ci, dpmo, sigma_level
from sixsigma.capability import capability
from tests.results import spc_reference as ref

SMALL = ref.dataset("capability_small")["data"]
PISTON = ref.dataset("pistonrings")["data"][:25]


def _check_intervals(result: dict, expected: dict, **tol) -> None:
    for name, triple in expected.items():
        got = result[name]
        assert (got.value, got.lower, got.upper) == pytest.approx(triple, **tol), name


@pytest.mark.parametrize(
    ("specs", "expected", "undefined"),
    [
        ({"lsl": 9.9, "usl": 10.1, "target": 10.0}, ref.CAP_SMALL_MID, []),
        ({"lsl": 9.9, "usl": 10.1}, ref.CAP_SMALL_MID, []),  # target defaults to the midpoint
        ({"lsl": 9.9, "usl": 10.1, "target": 10.02}, ref.CAP_SMALL_OFF, []),
        ({"usl": 10.1, "target": 10.02}, ref.CAP_SMALL_UPPER, ref.CAP_SMALL_UNDEFINED["upper"]),
        ({"lsl": 9.9, "target": 10.02}, ref.CAP_SMALL_LOWER, ref.CAP_SMALL_UNDEFINED["lower"]),
    ],
)
def test_capability_small_qcc_test_capability(specs, expected, undefined):
    result = capability_ci(SMALL, **specs)
    _check_intervals(result, expected, abs=1e-6)
    for name in undefined:
        assert all(math.isnan(v) for v in (result[name].value, result[name].lower, result[name].upper))


def test_capability_fields_match_ci_values():
    cap = capability(SMALL, lsl=9.9, usl=10.1, target=10.0)
    for name in ("cp", "cpl", "cpu", "cpk", "cpm", "pp", "ppl", "ppu", "ppk"):
        assert getattr(cap, name) == pytest.approx(ref.CAP_SMALL_MID[name][0], abs=1e-6)


@pytest.mark.parametrize(("specs", "target", "digits", "expected"), ref.PISTON_CAPABILITY)
def test_capability_pistonrings_qcc_vignette(specs, target, digits, expected):
    result = capability_ci(PISTON, lsl=specs[0], usl=specs[1], target=target)
    _check_intervals(result, expected, abs=0.5 * 10**-digits + 1e-12)


def test_capability_pistonrings_tails_qcc_vignette():
    (exp_below, obs_below), (exp_above, obs_above) = ref.PISTON_TAILS["below"], ref.PISTON_TAILS["above"]
    lower = capability(PISTON, lsl=73.99)
    upper = capability(PISTON, usl=74.01)
    assert lower.ppm_within / 1e6 == pytest.approx(exp_below, abs=0.005)
    assert lower.ppm_observed / 1e6 == pytest.approx(obs_below, abs=0.005)
    assert upper.ppm_within / 1e6 == pytest.approx(exp_above, abs=0.005)
    assert upper.ppm_observed / 1e6 == pytest.approx(obs_above, abs=0.005)
    both = capability(PISTON, lsl=73.99, usl=74.01)
    assert both.ppm_within == pytest.approx(lower.ppm_within + upper.ppm_within)
    wide = capability(PISTON, lsl=73.95, usl=74.05)
    assert wide.ppm_within / 1e6 < ref.PISTON_WIDE_TAILS_BELOW and wide.ppm_observed == 0


def test_capability_textbook_formulas_on_random_subgroups():
    x = np.random.default_rng(7).normal(50.0, 2.0, (30, 4))
    lsl, usl, target = 44.0, 57.0, 50.5
    cap = capability(x, lsl=lsl, usl=usl, target=target)
    ranges = x.max(axis=1) - x.min(axis=1)
    sw = ranges.mean() / 2.059  # σ_within = R̄/d2(4)
    so = x.std(ddof=1)
    mu = x.mean()
    assert cap.sigma_within == pytest.approx(sw)
    assert cap.sigma_overall == pytest.approx(so)
    assert cap.cp == pytest.approx((usl - lsl) / (6 * sw))
    assert cap.cpk == pytest.approx(min(usl - mu, mu - lsl) / (3 * sw))
    assert cap.ppk == pytest.approx(min(usl - mu, mu - lsl) / (3 * so))
    assert cap.cpm == pytest.approx((usl - lsl) / (6 * math.sqrt(sw**2 + (mu - target) ** 2)))
    expected_overall = 1e6 * (stats.norm.cdf((lsl - mu) / so) + stats.norm.sf((usl - mu) / so))
    assert cap.ppm_overall == pytest.approx(expected_overall)
    assert cap.sigma_level == pytest.approx(stats.norm.ppf(1 - expected_overall / 1e6) + 1.5)


def test_individuals_use_moving_range():
    x = np.array([10.0, 12.0, 11.0, 13.0, 12.5, 11.5])
    cap = capability(x, usl=20)
    assert cap.sigma_within == pytest.approx(np.abs(np.diff(x)).mean() / 1.128)
    assert math.isnan(cap.cp) and math.isnan(cap.cpl) and math.isnan(cap.cpm)
    assert cap.cpk == cap.cpu


def test_sigma_level_and_dpmo():
    assert sigma_level(3.4) == pytest.approx(6.0, abs=1e-3)  # API: 3.4 ppm -> 6.0
    assert sigma_level(66807) == pytest.approx(3.0, abs=1e-3)  # 3σ short term ≈ 66,807 DPMO
    assert sigma_level(500000, shift=0) == pytest.approx(0.0)
    assert dpmo(34, 1000, 10) == pytest.approx(3400.0)  # 1e6·34/(1000·10)
    for bad in (lambda: dpmo(-1, 10), lambda: dpmo(1, 0), lambda: dpmo(11, 10), lambda: sigma_level(-5),
                lambda: sigma_level(2e6)):
        with pytest.raises(ValueError):
            bad()


def test_capability_auto_keeps_normal_data():
    x = np.random.default_rng(3).normal(10, 1, 200)
    auto = capability_auto(x, lsl=6, usl=14)
    assert auto.method == "normal" and auto.ad_pvalue > 0.05
    assert auto.result == capability(x, lsl=6, usl=14)


def test_capability_auto_box_cox_for_skewed_data():
    x = np.random.default_rng(4).lognormal(1.0, 0.5, 300)
    auto = capability_auto(x, lsl=0.5, usl=15.0)
    assert auto.method.startswith("box-cox λ=") and auto.ad_pvalue < 0.05
    lam = auto.boxcox_lambda
    assert abs(lam) < 0.3  # lognormal data: λ near 0 (log transform)
    expected = capability(stats.boxcox(x, lmbda=lam), lsl=stats.boxcox([0.5], lmbda=lam)[0],
                          usl=stats.boxcox([15.0], lmbda=lam)[0])
    assert auto.result.ppk == pytest.approx(expected.ppk)


def test_capability_auto_nonpositive_data_stays_normal():
    x = np.random.default_rng(5).exponential(1.0, 200) - 0.5
    auto = capability_auto(x, usl=5)
    assert auto.method.startswith("normal (not normal")


@pytest.mark.parametrize(
    ("data", "specs", "message"),
    [
        ([1.0, 2.0, 3.0], {}, "at least one specification"),
        ([1.0, 2.0, 3.0], {"lsl": 5, "usl": 4}, "below usl"),
        ([], {"usl": 1}, "empty"),
        ([1.0], {"usl": 1}, "at least 2"),
        ([2.0, 2.0, 2.0], {"usl": 3}, "zero"),
        ([1.0, np.nan, 2.0], {"usl": 3}, "missing"),
        (["a", "b"], {"usl": 3}, "numbers"),
        (np.ones((3, 30)), {"usl": 3}, "beyond the constants table"),
        ([1.0, 2.0], {"usl": "x"}, "usl must be a number"),
    ],
)
def test_capability_bad_input(data, specs, message):
    with pytest.raises(ValueError, match=message):
        capability(data, **specs)


@settings(max_examples=150, deadline=None)
@given(
    data=st.one_of(
        st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=12),
        st.lists(st.lists(st.one_of(st.floats(-1e6, 1e6), st.just(np.nan)), min_size=1, max_size=4), max_size=5),
    ),
    lsl=st.one_of(st.none(), st.floats(-1e6, 1e6)),
    usl=st.one_of(st.none(), st.floats(-1e6, 1e6)),
)
def test_capability_never_crashes(data, lsl, usl):
    try:
        cap = capability(data, lsl=lsl, usl=usl)
    except ValueError:
        return
    assert cap.sigma_within > 0 and cap.sigma_overall > 0


def test_predicted_capability_from_a_mean_and_sigma_by_hand():
    """Mean 10, σ 1 against LSL 7 and USL 14: Cp = 7/6, Cpk = min(3, 4)/3 = 1; outside: Φ(−3) + Φ(−4) of a standard
    normal table, 0.0013499 + 0.0000317, so 1381.6 ppm."""
    from sixsigma.capability import predicted_capability

    predicted = predicted_capability(10.0, 1.0, lsl=7.0, usl=14.0)
    assert (predicted.cp, predicted.cpk, predicted.ppk) == (pytest.approx(7 / 6), pytest.approx(1.0),
                                                            pytest.approx(1.0))
    assert predicted.ppm_overall == pytest.approx(1381.6, abs=0.1)
    with pytest.raises(ValueError):
        predicted_capability(10.0, 0.0, lsl=7.0)

"""Control charts against textbook formulas on random data; phases, stages, exclusions; bad input.

Formulas (Montgomery, Introduction to SQC): X̄-R: X̿ ± A2·R̄, UCL_R = D4·R̄; X̄-S: X̿ ± A3·S̄,
UCL_S = B4·S̄; I-MR: X̄ ± 3·MR̄/1.128, UCL_MR = 3.267·MR̄; p: p̄ ± 3·sqrt(p̄(1-p̄)/n_i);
Laney p': p̄ ± 3·σ_pi·σ_z; EWMA z_i = λx_i + (1-λ)z_(i-1); tabular CUSUM
C+_i = max(0, x_i - (μ0 + Kσ) + C+_(i-1)).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sixsigma import A2, A3, B4, D4, KINDS, control_chart

RNG = np.random.default_rng(42)
SUBGROUPS = RNG.normal(100.0, 2.0, (30, 5))
INDIVIDUALS = RNG.normal(10.0, 1.0, 60)


def test_xbar_r_textbook_factors():
    cs = control_chart(SUBGROUPS, "xbar_r")
    xbb, rbar = SUBGROUPS.mean(), np.ptp(SUBGROUPS, axis=1).mean()
    np.testing.assert_allclose(cs["xbar"].ucl, xbb + A2(5) * rbar)
    np.testing.assert_allclose(cs["xbar"].lcl, xbb - A2(5) * rbar)
    np.testing.assert_allclose(cs["range"].ucl, D4(5) * rbar)
    np.testing.assert_allclose(cs["range"].lcl, 0.0)  # D3(5) = 0


def test_xbar_s_textbook_factors():
    cs = control_chart(SUBGROUPS, "xbar_s")
    xbb, sbar = SUBGROUPS.mean(), SUBGROUPS.std(axis=1, ddof=1).mean()
    np.testing.assert_allclose(cs["xbar"].ucl, xbb + A3(5) * sbar)
    np.testing.assert_allclose(cs["stdev"].ucl, B4(5) * sbar)
    np.testing.assert_allclose(cs["stdev"].values, SUBGROUPS.std(axis=1, ddof=1))


def test_i_mr_textbook():
    cs = control_chart(INDIVIDUALS, "i_mr")
    mrbar = np.abs(np.diff(INDIVIDUALS)).mean()
    np.testing.assert_allclose(cs["individuals"].ucl, INDIVIDUALS.mean() + 3 * mrbar / 1.128)
    np.testing.assert_allclose(cs["moving_range"].ucl, 3.267 * mrbar, rtol=2e-4)
    assert np.isnan(cs["moving_range"].values[0]) and cs["individuals"].sigma == pytest.approx(mrbar / 1.128)


def test_p_and_laney_p_hand_formulas():
    sizes = RNG.integers(800, 1200, 25)
    counts = RNG.binomial(sizes, RNG.uniform(0.03, 0.07, 25))
    p = control_chart(counts, "p", sizes=sizes)["p"]
    pbar = counts.sum() / sizes.sum()
    sd = np.sqrt(pbar * (1 - pbar) / sizes)
    np.testing.assert_allclose(p.ucl, pbar + 3 * sd)
    laney = control_chart(counts, "laney_p", sizes=sizes)["laney_p"]
    z = (counts / sizes - pbar) / sd
    sigma_z = np.abs(np.diff(z)).mean() / 1.128
    assert laney.details["sigma_z"] == pytest.approx(sigma_z)
    np.testing.assert_allclose(laney.ucl, pbar + 3 * sd * sigma_z)
    np.testing.assert_allclose(laney.lcl, np.maximum(0, pbar - 3 * sd * sigma_z))


def test_laney_u_hand_formula():
    units = RNG.uniform(50, 80, 20)
    counts = RNG.poisson(units * RNG.uniform(1, 3, 20))
    chart = control_chart(counts, "laney_u", sizes=units)["laney_u"]
    ubar = counts.sum() / units.sum()
    sd = np.sqrt(ubar / units)
    sigma_z = np.abs(np.diff((counts / units - ubar) / sd)).mean() / 1.128
    np.testing.assert_allclose(chart.ucl, ubar + 3 * sd * sigma_z)


def test_ewma_recursion_and_exact_limits():
    lam, L, target = 0.3, 2.8, 10.2
    chart = control_chart(INDIVIDUALS, "ewma", lam=lam, L=L, target=target)["ewma"]
    sigma = np.abs(np.diff(INDIVIDUALS)).mean() / 1.128
    z, expected = target, []
    for x in INDIVIDUALS:
        z = lam * x + (1 - lam) * z
        expected.append(z)
    np.testing.assert_allclose(chart.values, expected)
    i = np.arange(1, INDIVIDUALS.size + 1)
    half = L * sigma * np.sqrt(lam / (2 - lam) * (1 - (1 - lam) ** (2 * i)))
    np.testing.assert_allclose(chart.ucl, target + half)
    np.testing.assert_allclose(chart.lcl, target - half)


def test_ewma_subgroups_use_means_and_sigma_over_root_n():
    chart = control_chart(SUBGROUPS, "ewma")["ewma"]
    sigma = np.ptp(SUBGROUPS, axis=1).mean() / 2.326
    steady = 3 * sigma / np.sqrt(5) * np.sqrt(0.2 / 1.8)
    assert chart.ucl[-1] - chart.center[-1] == pytest.approx(steady, rel=1e-6)


def test_cusum_matches_tabular_loop():
    k, h = 0.5, 4.0
    data = np.r_[INDIVIDUALS[:30], INDIVIDUALS[30:] + 1.5]
    cs = control_chart(data, "cusum", phase1=30, k=k, h=h)
    sigma = np.abs(np.diff(data[:30])).mean() / 1.128
    mu0 = data[:30].mean()
    hi = lo = 0.0
    ups, downs = [], []
    for x in data:
        hi = max(0.0, (x - mu0) / sigma - k + hi)
        lo = max(0.0, (mu0 - x) / sigma - k + lo)
        ups.append(hi)
        downs.append(lo)
    np.testing.assert_allclose(cs["cusum_upper"].values, ups, atol=1e-12)
    np.testing.assert_allclose(cs["cusum_lower"].values, downs, atol=1e-12)
    first = next(i for i, v in enumerate(ups) if v > h)
    assert cs["cusum_upper"].signals[0].index == first


# --- phases, exclusions, stages -------------------------------------------------------------

def test_phase1_forms_agree_and_limits_come_from_phase1_only():
    by_count = control_chart(INDIVIDUALS, "i_mr", phase1=20)
    by_slice = control_chart(INDIVIDUALS, "i_mr", phase1=slice(0, 20))
    mask = np.zeros(60, dtype=bool)
    mask[:20] = True
    by_mask = control_chart(INDIVIDUALS, "i_mr", phase1=mask)
    alone = control_chart(INDIVIDUALS[:20], "i_mr")
    for cs in (by_slice, by_mask):
        np.testing.assert_array_equal(cs["individuals"].ucl, by_count["individuals"].ucl)
    assert by_count["individuals"].ucl[59] == alone["individuals"].ucl[0]
    assert by_count.phase1.sum() == 20 and by_count["individuals"].values.size == 60


def test_excluded_points_left_out_of_estimate_but_plotted_and_checked():
    data = INDIVIDUALS.copy()
    data[7] = 30.0
    cs = control_chart(data, "i_mr", exclude=[7])
    keep = np.ones(60, dtype=bool)
    keep[7] = False
    pairs = keep[1:] & keep[:-1]  # moving ranges touching an excluded point are dropped
    mrbar = np.abs(np.diff(data))[pairs].mean()
    assert cs["individuals"].center[0] == pytest.approx(data[keep].mean())
    assert cs["individuals"].sigma == pytest.approx(mrbar / 1.128)
    assert cs["individuals"].values[7] == 30.0
    assert 7 in [s.index for s in cs["individuals"].signals if s.rule == "nelson1"]
    assert cs.excluded[7] and cs.excluded.sum() == 1


def test_stages_have_their_own_limits_and_restart_rules():
    before = RNG.normal(10, 1, 20)
    after = RNG.normal(14, 0.5, 20)
    labels = ["before"] * 20 + ["after"] * 20
    cs = control_chart(np.r_[before, after], "i_mr", stages=labels)
    ind = cs["individuals"]
    alone_before = control_chart(before, "i_mr")["individuals"]
    alone_after = control_chart(after, "i_mr")["individuals"]
    assert ind.ucl[0] == pytest.approx(alone_before.ucl[0]) and ind.ucl[39] == pytest.approx(alone_after.ucl[0])
    assert ind.details["sigma_by_stage"]["after"] == pytest.approx(alone_after.sigma)
    expected = sorted([s.index for s in alone_before.signals] + [s.index + 20 for s in alone_after.signals])
    assert sorted(s.index for s in ind.signals) == expected
    assert np.isnan(cs["moving_range"].values[20])  # no moving range across the stage change


def test_stage_with_phase1_and_no_estimate_raises():
    labels = [1] * 10 + [2] * 10
    with pytest.raises(ValueError, match="stage 2 has no phase-I samples"):
        control_chart(INDIVIDUALS[:20], "i_mr", stages=labels, phase1=10)


def test_variable_subgroup_sizes_give_wider_limits_for_smaller_subgroups():
    rows = SUBGROUPS.copy()
    rows[3, 3:] = np.nan
    cs = control_chart(rows, "xbar_r")
    width = cs["xbar"].ucl - cs["xbar"].center
    assert width[3] == pytest.approx(width[0] * np.sqrt(5 / 3))
    assert cs["range"].values[3] == pytest.approx(np.ptp(rows[3, :3]))


def test_chartset_extras():
    cs = control_chart(np.r_[INDIVIDUALS, 30.0], "i_mr")
    frame = cs.to_frame()
    assert set(frame["chart"]) == {"individuals", "moving_range"} and len(frame) == 2 * 61
    assert "nelson1" in frame.loc[(frame["chart"] == "individuals") & (frame["sample"] == 60), "signals"].item()
    table = cs.signal_table()
    assert list(table.columns) == ["chart", "index", "rule", "description"]
    assert not cs.in_control and cs.kind == "i_mr"
    with pytest.raises(KeyError):
        cs["xbar"]


# --- bad input -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("data", "kind", "kwargs", "message"),
    [
        ([], "i_mr", {}, "empty"),
        ([1.0], "i_mr", {}, "at least 2"),
        ([5.0, 5.0, 5.0], "i_mr", {}, "zero"),
        ([1.0, np.nan, 2.0], "i_mr", {}, "missing value"),
        (["a", "b", "c"], "i_mr", {}, "numbers"),
        ([1.0, "x"], "i_mr", {}, "numbers"),
        ([1.0, np.inf], "i_mr", {}, "infinite"),
        ([[1.0, 2.0], [3.0, 4.0]], "i_mr", {}, "1-D"),
        ([1.0, 2.0, 3.0], "xbar_r", {}, "2-D"),
        (np.ones((5, 1)), "xbar_r", {}, "size 1"),
        (np.arange(5 * 26.0).reshape(5, 26), "xbar_s", {}, "beyond the constants table"),
        ([[1.0, 2.0], [np.nan, np.nan]], "xbar_r", {}, "subgroup 2 has no values"),
        ([[1.0, np.nan], [2.0, np.nan]], "xbar_r", {}, "two or more values"),
        (np.ones((4, 3)), "xbar_s", {}, "zero"),
        ([1, -2, 3], "c", {}, "negative"),
        ([0, 0, 0], "c", {}, "no nonconformities"),
        ([0.1, 0.2], "p", {"sizes": 50}, "whole numbers"),
        ([3, 60], "p", {"sizes": 50}, "sample 2 has 60 nonconforming units out of only 50"),
        ([3, 4], "p", {}, "needs sizes"),
        ([3, 4], "p", {"sizes": [50, 50, 50]}, "one per sample"),
        ([3, 4], "u", {"sizes": [10, 0]}, "positive"),
        ([3, 4], "np", {"sizes": [50, 60]}, "constant sample size"),
        ([3, 4], "np", {"sizes": 5.5}, "whole numbers"),
        ([50, 50], "p", {"sizes": 50}, "p̄ = 1"),
        ([1.0, 2.0, 3.0], "i_mr", {"sizes": 5}, "attribute charts only"),
        ([1.0, 2.0, 3.0], "xmr", {}, "unknown chart kind"),
        ([1.0, 2.0, 3.0], "i_mr", {"phase1": 7}, "between 1"),
        ([1.0, 2.0, 3.0], "i_mr", {"phase1": [True, False]}, "mask has 2"),
        ([1.0, 2.0, 3.0], "i_mr", {"exclude": [5]}, "outside"),
        ([1.0, 2.0, 3.0], "i_mr", {"exclude": [0, 1, 2]}, "no phase-I samples"),
        ([1.0, 2.0, 3.0], "i_mr", {"exclude": [1]}, "consecutive"),
        ([1.0, 2.0, 3.0], "ewma", {"lam": 1.5}, "0 < lam"),
        ([1.0, 2.0, 3.0], "cusum", {"h": 0}, "decision interval"),
        ([1.0, 2.0, 3.0], "i_mr", {"stages": [1, 2]}, "one label per sample"),
        ([1.0, 2.0, 3.0], "i_mr", {"stages": [1, None, 1]}, "stage label"),
        ([1.0, 1e200], "i_mr", {}, "rescale"),
    ],
)
def test_bad_input_raises_clear_value_error(data, kind, kwargs, message):
    with pytest.raises(ValueError, match=message):
        control_chart(data, kind, **kwargs)


_numbers = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 200), st.just("x"), st.none())


@settings(max_examples=300, deadline=None)
@given(
    data=st.one_of(
        st.lists(_numbers, max_size=15),
        st.lists(st.lists(st.one_of(st.floats(-1e3, 1e3), st.just(np.nan)), min_size=1, max_size=6),
                 max_size=8),
        st.floats(), st.text(max_size=3),
    ),
    kind=st.sampled_from(KINDS),
    sizes=st.one_of(st.none(), st.integers(-3, 300), st.lists(st.integers(0, 300), max_size=15)),
    phase1=st.one_of(st.none(), st.integers(-2, 20)),
    rules=st.sampled_from(["nelson", "western_electric", "none", ["nelson3", "we2"]]),
)
def test_no_input_crashes_with_anything_but_value_error(data, kind, sizes, phase1, rules):
    try:
        cs = control_chart(data, kind, sizes=sizes, phase1=phase1, rules=rules)
    except ValueError:
        return
    m = cs.charts[0].values.size
    for chart in cs.charts:
        assert chart.values.shape == chart.center.shape == chart.ucl.shape == chart.lcl.shape == (m,)
        assert all(0 <= s.index < m for s in chart.signals)

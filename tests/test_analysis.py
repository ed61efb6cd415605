"""Analyze-phase statistics against published textbook examples (source beside each number)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sixsigma.analysis import chi_square, one_way_anova, paired_t, regression, shift_test, two_proportions, two_sample_t

# Montgomery, Design and Analysis of Experiments, Example 2.1: tension bond strength of
# modified and unmodified portland cement mortar; t0 = −2.20 with 18 df (from rounded means;
# 2.187 unrounded), so the means differ at α = 0.05.
MODIFIED = [16.85, 16.40, 17.21, 16.35, 16.52, 17.04, 16.96, 17.15, 16.59, 16.57]
UNMODIFIED = [16.62, 16.75, 17.37, 17.12, 16.98, 16.87, 17.34, 17.02, 17.08, 17.27]


def test_pooled_t_matches_montgomery_example_2_1():
    result = two_sample_t(MODIFIED, UNMODIFIED, equal_var=True, labels=("modified", "unmodified"))
    assert abs(result.statistic) == pytest.approx(2.19, abs=0.01) and result.df == 18
    assert result.estimate == pytest.approx(17.042 - 16.764) and result.significant
    assert "unlikely to be chance" in result.sentence and "unmodified" in result.sentence


def test_paired_t_matches_montgomery_example_2_3():
    # Hardness testing tips on ten specimens (Montgomery, DAE, Example 2.3): d̄ = −0.10, t0 = −0.26.
    tip1 = [7, 3, 3, 4, 8, 3, 2, 9, 5, 4]
    tip2 = [6, 3, 5, 3, 8, 2, 4, 9, 4, 5]
    result = paired_t(tip2, tip1)
    assert result.estimate == pytest.approx(-0.10) and result.statistic == pytest.approx(-0.26, abs=0.005)
    assert not result.significant and "could well be chance" in result.sentence


def test_anova_matches_montgomery_cotton_tensile_strength():
    # Tensile strength by cotton weight percent (Montgomery, DAE, 5th ed., Example 3.1): F0 = 14.76.
    groups = {"15 %": [7, 7, 15, 11, 9], "20 %": [12, 17, 12, 18, 18], "25 %": [14, 18, 18, 19, 19],
              "30 %": [19, 25, 22, 19, 23], "35 %": [7, 10, 11, 15, 11]}
    result = one_way_anova(groups)
    assert result.statistic == pytest.approx(14.76, abs=0.005) and result.df == 20 and result.p_value < 0.001
    assert "(30 %)" in result.sentence and "(15 %)" in result.sentence


def test_chi_square_matches_montgomery_runger_pension_plans():
    # Pension plan preference by job type (Montgomery & Runger, Applied Statistics and Probability
    # for Engineers, Example 9-14): χ²0 = 49.63 with 2 df.
    result = chi_square([[160, 140, 40], [40, 60, 60]])
    assert result.statistic == pytest.approx(49.63, abs=0.005) and result.df == 2 and result.significant


def test_two_proportions_by_hand():
    # 19 of 100 against 27 of 100: pooled p = 46/200 = 0.23, SE = √(0.23·0.77·(1/100 + 1/100)) = 0.05951,
    # z = 0.08 / 0.05951 = 1.344, two-sided p = 0.179; Wald interval 0.08 ± 1.96·√(.19·.81/100 + .27·.73/100).
    result = two_proportions(19, 100, 27, 100)
    assert result.statistic == pytest.approx(1.344, abs=0.001) and result.p_value == pytest.approx(0.179, abs=0.001)
    half = 1.959964 * np.sqrt(0.19 * 0.81 / 100 + 0.27 * 0.73 / 100)
    assert (result.ci_low, result.ci_high) == pytest.approx((0.08 - half, 0.08 + half))
    with pytest.raises(ValueError, match="whole count"):
        two_proportions(120, 100, 5, 10)


def test_regression_matches_montgomery_runger_oxygen_purity():
    # Oxygen purity vs hydrocarbon level (Montgomery & Runger, Example 11-1): ŷ = 74.283 + 14.947x, R² = 0.877.
    x = [0.99, 1.02, 1.15, 1.29, 1.46, 1.36, 0.87, 1.23, 1.55, 1.40, 1.19, 1.15, 0.98, 1.01, 1.11, 1.20, 1.26,
         1.32, 1.43, 0.95]
    y = [90.01, 89.05, 91.43, 93.74, 96.73, 94.45, 87.59, 91.77, 99.42, 93.65, 93.54, 92.52, 90.56, 89.54, 89.85,
         90.39, 93.25, 93.41, 94.98, 87.33]
    result = regression(pd.DataFrame({"hydrocarbon": x, "purity": y}), "purity", ["hydrocarbon"])
    terms = result.terms.set_index("term")
    assert terms.loc["hydrocarbon", "coefficient"] == pytest.approx(14.947, abs=0.001)
    assert terms.loc["const", "coefficient"] == pytest.approx(74.283, abs=0.001)
    assert result.r_squared == pytest.approx(0.877, abs=0.001) and result.n == 20
    assert result.sentences[0].startswith("Each extra 1 of hydrocarbon goes with a change of +14.9 in purity")


def test_regression_names_the_bad_cell():
    frame = pd.DataFrame({"y": [1, 2, 3, 4, 5], "x": [1, 2, "n/a", 4, 5]})
    with pytest.raises(ValueError, match="Column x has a value that is not a number in row 3"):
        regression(frame, "y", ["x"])


def test_shift_test_sees_a_real_improvement_and_not_noise():
    rng = np.random.default_rng(4)
    before = rng.normal(20, 2, 30)
    assert shift_test(before, rng.normal(17, 2, 30), "lower").significant
    assert not shift_test(before, rng.normal(20, 2, 30), "lower").significant


def test_the_pilot_bound_is_one_sided_like_its_test():
    """#18: a one-sided p-value sat beside a two-sided interval. Welch's bound computed by hand."""
    import math

    from scipy import stats as st

    before, after = [11, 10, 12, 11, 10, 11, 12, 10], [14, 15, 14, 16, 15, 15, 14, 16]
    va, vb, n = np.var(after, ddof=1) / 8, np.var(before, ddof=1) / 8, 8
    se = math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va ** 2 / (n - 1) + vb ** 2 / (n - 1))
    lower = (np.mean(after) - np.mean(before)) - st.t.ppf(0.95, df) * se
    result = shift_test(before, after, "higher")
    assert result.ci_low == pytest.approx(lower, rel=1e-9) and math.isinf(result.ci_high)
    assert "one-sided bound" in result.sentence and f"at least {lower:+.3g}" in result.sentence


def test_verification_test_against_a_requirement_by_hand():
    """10, 12, 14 against a required 9: mean 12, s = 2, t = 3 / (2/√3) = 2.598 on 2 degrees of freedom, whose
    one-sided tail has the closed form p = ½(1 − t/√(t² + 2)) = 0.06085 (Student's t with 2 df)."""
    from sixsigma.analysis import verification_test

    result = verification_test([10, 12, 14], 9, "higher")
    t = 3 * math.sqrt(3) / 2
    assert result.statistic == pytest.approx(t, rel=1e-12) and result.df == 2
    assert result.p_value == pytest.approx(0.5 * (1 - t / math.sqrt(t * t + 2)), rel=1e-9)
    assert "is not shown to meet" in result.sentence
    assert verification_test([10, 12, 14], 15, "lower").p_value == pytest.approx(
        0.5 * (1 - t / math.sqrt(t * t + 2)), rel=1e-9)            # 15 − 12 = 3 as well, on the other side
    with pytest.raises(ValueError, match="same"):
        verification_test([5, 5, 5], 4)


def test_verification_sentence_says_the_verdict_and_the_bound_by_hand():
    """10, 12, 14 against a required 9 (above): the one-sided 95 % lower bound is 12 − t(0.95, 2)·2/√3 = 12 − 2.920 ×
    1.1547 = 8.628 (t(0.95, 2) = 2.920, NIST/SEMATECH e-Handbook Table 1.3.6.7.2), p = 0.0608 (above)."""
    from sixsigma.analysis import verification_test

    assert verification_test([10, 12, 14], 9, "higher").sentence == (
        "The design is not shown to meet the requirement of 9 (mean 12; with 95% confidence the mean is at least "
        "8.628); this could well be chance (p = 0.0608), so the data do not show a difference.")

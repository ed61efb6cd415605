"""Analyze tools against certified and published results; the source is named beside every number.

Regression: NIST StRD certified values (tests/results/nist_strd.py). The others: R documentation
examples with their printed output, Montgomery's *Design and Analysis of Experiments* (DAE, 5th ed.),
Montgomery, Peck & Vining's *Introduction to Linear Regression Analysis* (MPV), and hand computations
written out in the test.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.datasets.longley
from scipy import stats

from sixsigma.analysis import (
    correlation, equal_variances, kruskal_wallis, logistic_regression, mann_whitney, normality, regression,
    sample_size_anova, sample_size_paired_t, sample_size_two_proportions, sample_size_two_sample_t, tukey,
    two_way_anova,
)
from tests.results import nist_strd as nist


def _digits(value: float, certified: float) -> float:
    """NIST's log relative error: the number of significant digits that agree."""
    return 16.0 if value == certified else -math.log10(abs(value - certified) / abs(certified))


def _assert_certified(terms: pd.DataFrame, certified, coefficient_digits=9, error_digits=8) -> None:
    for row, (estimate, deviation) in zip(terms.itertuples(), certified):
        assert _digits(row.coefficient, estimate) >= coefficient_digits, (row.term, row.coefficient, estimate)
        assert _digits(row.std_error, deviation) >= error_digits, (row.term, row.std_error, deviation)


def _powers(x: np.ndarray, degree: int) -> pd.DataFrame:
    return pd.DataFrame({f"x{k}": x ** k for k in range(1, degree + 1)})


# --- Regression: NIST StRD ------------------------------------------------------------------------

def test_regression_reaches_nist_norris():
    data = pd.DataFrame(nist.NORRIS, columns=["y", "x"])
    result = regression(data, "y", ["x"])
    _assert_certified(result.terms, nist.NORRIS_CERTIFIED.values())
    assert _digits(result.r_squared, nist.NORRIS_R_SQUARED) >= 9           # certified R² 0.999993745883712
    assert _digits(result.f_statistic, nist.NORRIS_F) >= 9                  # certified F 5436385.54079785
    assert result.vif == {"x": pytest.approx(1.0)} and result.f_p_value < 1e-60


def test_regression_reaches_nist_pontius_quadratic():
    x = np.array([row[1] for row in nist.PONTIUS], dtype=float)
    data = _powers(x, 2).assign(y=[row[0] for row in nist.PONTIUS])
    result = regression(data, "y", ["x1", "x2"])
    _assert_certified(result.terms, nist.PONTIUS_CERTIFIED.values())
    assert _digits(result.r_squared, nist.PONTIUS_R_SQUARED) >= 9          # certified R² 0.999999900178537


def test_regression_reaches_nist_longley_with_diagnostics():
    data = statsmodels.datasets.longley.load_pandas().data
    drivers = ["GNPDEFL", "GNP", "UNEMP", "ARMED", "POP", "YEAR"]
    result = regression(data, "TOTEMP", drivers)
    assert result.terms["term"].tolist() == ["const", *drivers]
    _assert_certified(result.terms, nist.LONGLEY_CERTIFIED.values())
    assert _digits(result.r_squared, nist.LONGLEY_R_SQUARED) >= 9          # certified R² 0.995479004577296
    assert _digits(result.f_statistic, nist.LONGLEY_F) >= 9                 # certified F 330.285339234588
    # Adjusted R² = 1 − (1 − R²)(n − 1)/(n − p − 1) = 1 − 0.004520995422704 · 15/9.
    assert result.adj_r_squared == pytest.approx(1 - (1 - 0.995479004577296) * 15 / 9, rel=1e-9)
    # Residual SD certified 304.854073561965: Σe² / 9 = its square.
    assert np.sum(result.residuals ** 2) / 9 == pytest.approx(304.854073561965 ** 2, rel=1e-9)
    assert result.fitted + result.residuals == pytest.approx(data["TOTEMP"].to_numpy(), rel=1e-12)
    # VIFs of the Longley predictors (Belsley, Kuh & Welsch 1980; e.g. GNP 1788.5, YEAR 758.98, ARMED 3.589).
    assert result.vif["GNP"] == pytest.approx(1788.5, abs=0.1) and result.vif["YEAR"] == pytest.approx(758.98, abs=0.01)
    assert result.vif["ARMED"] == pytest.approx(3.589, abs=0.001)
    assert "move together" in result.sentences[-1] and "GNP" in result.sentences[-1]


def test_regression_refuses_nist_filip_as_ill_conditioned():
    # Filip.dat, a degree-10 polynomial: the contract allows refusing it as ill-conditioned.
    x = np.array([row[1] for row in nist.FILIP])
    data = _powers(x, 10).assign(y=[row[0] for row in nist.FILIP])
    with pytest.raises(ValueError, match="carry nearly the same information") as refused:
        regression(data, "y", [f"x{k}" for k in range(1, 11)])
    assert "x1" in str(refused.value) and "x10" in str(refused.value)


def test_regression_refuses_the_same_temperature_in_celsius_and_fahrenheit():
    celsius = np.array([18.5, 21.0, 23.2, 19.7, 25.4, 27.1, 22.8, 20.3, 24.6, 26.0])
    frame = pd.DataFrame({"celsius": celsius, "fahrenheit": celsius * 9 / 5 + 32, "load": [1, 3, 2, 5, 4, 6, 2, 3, 5, 4],
                          "calls": [120, 131, 135, 126, 148, 155, 137, 128, 144, 150]})
    with pytest.raises(ValueError) as refused:
        regression(frame, "calls", ["load", "celsius", "fahrenheit"])
    message = str(refused.value)
    assert "celsius" in message and "fahrenheit" in message and "load" not in message


def test_regression_refuses_a_driver_that_never_changes_and_a_flat_response():
    frame = pd.DataFrame({"y": [1.0, 2, 3, 4, 5], "x": [2.0, 1, 4, 3, 5], "site": [7.0] * 5})
    with pytest.raises(ValueError, match="site never change"):
        regression(frame, "y", ["x", "site"])
    with pytest.raises(ValueError, match="never changes"):
        regression(frame.assign(y=3.0), "y", ["x"])


# --- Normality ------------------------------------------------------------------------------------

# 20 values rounded to 4 decimals and R fBasics::adTest results for them (nortest's formulas), as
# printed in statsmodels/stats/tests/test_statstools.py::test_adnorm.
AD_DATA = np.array([-0.1184, -1.3403, 0.0063, -0.612, -0.3869, -0.2313, -2.8485, -0.2167, 0.4153, 1.8492, -0.3706,
                    0.9726, -0.1501, -0.0337, -1.4423, 1.2489, 0.9182, -0.2331, -0.6182, 0.183])


@pytest.mark.parametrize(("transform", "a2", "p"), [
    (lambda x: x, 0.5867235358882148, 0.1115380760041617),
    (lambda x: x ** 2, 2.976266267594575, 8.753003709960645e-08),
    (lambda x: np.log(x ** 2), 0.4892557856308528, 0.1968040759316307),
    (lambda x: np.exp(-x ** 2), 1.4599014654282669, 0.0006380009232897535),
])
def test_normality_matches_r_anderson_darling(transform, a2, p):
    result = normality(transform(AD_DATA))
    assert result.statistic == pytest.approx(a2, rel=1e-10) and result.p_value == pytest.approx(p, rel=1e-9)
    assert result.df is None and (result.p_value < 0.05) == ("do not look normal" in result.sentence)


# --- Rank tests and equal variances ---------------------------------------------------------------

def test_mann_whitney_matches_r_wilcox_example_by_normal_approximation():
    # R ?wilcox.test (Hollander & Wolfe 1973, p. 69): W = 35 (= U of x). Normal approximation by hand:
    # E[U] = 10·5/2 = 25, Var = 10·5·16/12, no ties; z = (35 − 25 − 0.5)/√66.667 = 1.16351, p = 2(1 − Φ(z)).
    x = [0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46]
    y = [1.15, 0.88, 0.90, 0.74, 1.21]
    result = mann_whitney(x, y)
    assert result.statistic == 35
    assert result.p_value == pytest.approx(2 * stats.norm.sf(9.5 / math.sqrt(10 * 5 * 16 / 12)), rel=1e-12)
    assert result.p_value == pytest.approx(0.24462, abs=5e-5)
    assert result.estimate == pytest.approx(0.305)                       # median of the 50 differences x − y


def test_mann_whitney_corrects_for_ties_by_hand():
    # a = 1 2 2 3, b = 2 3 4 5. Mid-ranks: 1→1, 2→3, 3→5.5, 4→7, 5→8; R_a = 12.5, U_a = 12.5 − 10 = 2.5.
    # Var = n1·n2/12 · [(N + 1) − Σ(t³ − t)/(N(N − 1))] = 16/12 · (9 − 30/56) = 11.285714.
    # z = (2.5 − 8 + 0.5)/√11.285714 = −1.488351, p = 0.13666.
    result = mann_whitney([1, 2, 2, 3], [2, 3, 4, 5])
    assert result.statistic == 2.5
    assert result.p_value == pytest.approx(2 * stats.norm.cdf(-5 / math.sqrt(16 / 12 * (9 - 30 / 56))), rel=1e-12)


def test_kruskal_wallis_matches_r_example():
    # R ?kruskal.test (Hollander & Wolfe 1973, p. 116, mucociliary efficiency):
    # "Kruskal-Wallis chi-squared = 0.77143, df = 2, p-value = 0.68".
    result = kruskal_wallis({"normal": [2.9, 3.0, 2.5, 2.6, 3.2], "obstructive": [3.8, 2.7, 4.0, 2.4],
                             "asbestosis": [2.8, 3.4, 3.7, 2.2, 2.0]})
    assert result.statistic == pytest.approx(0.77143, abs=5e-6) and result.df == 2
    assert result.p_value == pytest.approx(0.68, abs=0.005)


def test_kruskal_wallis_corrects_for_ties_by_hand():
    # A = 1 2 2, B = 2 3 4, C = 4 5 6. Mid-ranks: 1→1, 2→3, 3→5, 4→6.5, 5→8, 6→9; R = 7, 14.5, 23.5.
    # H = 12/(9·10) · (7² + 14.5² + 23.5²)/3 − 3·10 = 6.066667; C = 1 − (24 + 6)/(9³ − 9) = 0.958333;
    # H/C = 6.330435, p = exp(−H/2) for 2 df = 0.04221.
    result = kruskal_wallis({"A": [1, 2, 2], "B": [2, 3, 4], "C": [4, 5, 6]})
    assert result.statistic == pytest.approx((12 / 90 * (49 + 210.25 + 552.25) / 3 - 30) / (1 - 30 / 720), rel=1e-12)
    assert result.p_value == pytest.approx(math.exp(-result.statistic / 2), rel=1e-12)


def test_equal_variances_is_levene_on_median_deviations_by_hand():
    # A = 1 2 6 (median 2), B = 3 4 5 (4), C = 2 9 10 (9): |deviations| 1 0 4 | 1 0 1 | 7 0 1,
    # group means 5/3, 2/3, 8/3, grand 5/3. SSB = 3(0 + 1 + 1) = 6; SSW = 78/9 + 6/9 + 258/9 = 38.
    # F = (6/2)/(38/6) = 0.473684 on (2, 6) df.
    result = equal_variances({"A": [1, 2, 6], "B": [3, 4, 5], "C": [2, 9, 10]})
    assert result.statistic == pytest.approx(3 / (38 / 6), rel=1e-12)
    assert result.p_value == pytest.approx(stats.f.sf(3 / (38 / 6), 2, 6), rel=1e-12) and result.df == 6


# --- Tukey and two-way ANOVA ----------------------------------------------------------------------

COTTON = {"15 %": [7, 7, 15, 11, 9], "20 %": [12, 17, 12, 18, 18], "25 %": [14, 18, 18, 19, 19],
          "30 %": [19, 25, 22, 19, 23], "35 %": [7, 10, 11, 15, 11]}


def test_tukey_matches_montgomery_cotton_example():
    # Montgomery, DAE, Example 3.7: T0.05 = q0.05(5, 20)·√(MSE/n) = 4.23·√(8.06/5) = 5.37; means 9.8, 15.4,
    # 17.6, 21.6, 10.8. Pairs 15–35 % (1.0), 20–25 % (2.2) and 25–30 % (4.0) do not differ; 15–30 % (11.8) does.
    table = tukey(COTTON).set_index(["group_a", "group_b"])
    assert list(table.columns) == ["difference", "ci_low", "ci_high", "p_value"] and len(table) == 10
    assert table.loc[("15 %", "30 %"), "difference"] == pytest.approx(21.6 - 9.8)
    assert table.loc[("30 %", "35 %"), "difference"] == pytest.approx(10.8 - 21.6)
    half = (table["ci_high"] - table["ci_low"]) / 2
    assert half.to_numpy() == pytest.approx(np.full(10, 5.37), abs=0.01)
    not_different = table["p_value"] >= 0.05
    assert set(table.index[not_different]) == {("15 %", "35 %"), ("20 %", "25 %"), ("25 %", "30 %"),
                                               ("20 %", "35 %")}


def _battery() -> pd.DataFrame:
    # Montgomery, DAE, Example 5.1 (Table 5.1): battery life by material type and temperature (°F).
    life = {1: [[130, 155, 74, 180], [34, 40, 80, 75], [20, 70, 82, 58]],
            2: [[150, 188, 159, 126], [136, 122, 106, 115], [25, 70, 58, 45]],
            3: [[138, 110, 168, 160], [174, 120, 150, 139], [96, 104, 82, 60]]}
    rows = [(material, temperature, value) for material, cells in life.items()
            for temperature, values in zip((15, 70, 125), cells) for value in values]
    return pd.DataFrame(rows, columns=["material", "temperature", "life"])


def test_two_way_anova_matches_montgomery_battery_life():
    # Montgomery, DAE, Table 5.5: SS 10683.72, 39118.72, 9613.78, 18230.75; df 2, 2, 4, 27; F 7.91, 28.97, 3.56.
    table = two_way_anova(_battery(), "life", "material", "temperature").set_index("source")
    assert list(table.index) == ["material", "temperature", "interaction", "error"]
    assert table["ss"].to_numpy() == pytest.approx([10683.72, 39118.72, 9613.78, 18230.75], abs=0.005)
    assert table["df"].tolist() == [2, 2, 4, 27]
    assert table["f"].iloc[:3].to_numpy() == pytest.approx([7.91, 28.97, 3.56], abs=0.005)
    assert table.loc["interaction", "p_value"] == pytest.approx(0.0186, abs=0.0005)   # Montgomery: P = 0.0186
    assert math.isnan(table.loc["error", "f"])


# --- Sample sizes ---------------------------------------------------------------------------------

def test_sample_size_two_sample_t_matches_r_power_t_test():
    # R ?power.t.test: power.t.test(power = .90, delta = 1) → n = 22.02110 per group.
    assert sample_size_two_sample_t(1, 1, power=0.9) == 23
    assert sample_size_two_sample_t(-2, 2, power=0.9) == 23                 # only |δ|/σ matters


def test_sample_size_paired_t_reaches_the_power_by_hand():
    # Power of the two-sided paired t with n pairs: P(|T| > t₀.₉₇₅,ₙ₋₁), T noncentral t with δ√n/σ, df n − 1.
    def power(n: int) -> float:
        critical = stats.t.ppf(0.975, n - 1)
        shift = 0.5 * math.sqrt(n)
        return stats.nct.sf(critical, n - 1, shift) + stats.nct.cdf(-critical, n - 1, shift)

    n = sample_size_paired_t(1.0, 2.0)
    assert power(n) >= 0.8 > power(n - 1)


def test_sample_size_two_proportions_matches_r_power_prop_test():
    # R ?power.prop.test: power.prop.test(p1 = .50, p2 = .75, power = .90) → n = 76.7 per group.
    assert sample_size_two_proportions(0.5, 0.75, power=0.9) == 77


def test_sample_size_anova_matches_r_power_anova_test():
    # R ?power.anova.test: groups = 4, between.var = 1, within.var = 3, power = .80 → n = 11.92613.
    # Means 0, 0, 0, 2 have variance 1 (ddof = 1); σ = √3.
    assert sample_size_anova([0, 0, 0, 2], math.sqrt(3)) == 12


@pytest.mark.parametrize(("call", "message"), [
    (lambda: sample_size_two_sample_t(0, 1), "other than 0"),
    (lambda: sample_size_two_sample_t(1, 0), "greater than 0"),
    (lambda: sample_size_two_sample_t(1, 1, power=1.2), "power"),
    (lambda: sample_size_two_proportions(0.5, 0.5), "must differ"),
    (lambda: sample_size_two_proportions(0.5, 1.5), "between 0 and 1"),
    (lambda: sample_size_anova([3, 3], 1), "differ"),
])
def test_sample_sizes_refuse_what_cannot_be_planned(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --- Correlation and logistic regression ----------------------------------------------------------

def test_correlation_matches_r_cor_test_example():
    # R ?cor.test (Hollander & Wolfe 1973, p. 187): t = 1.8411, df = 7, p-value = 0.1082,
    # 95 % CI −0.1497426 to 0.8955795, cor 0.5711816.
    x = [44.4, 45.9, 41.9, 53.3, 44.7, 44.1, 50.7, 45.2, 60.1]
    y = [2.6, 3.1, 2.5, 5.0, 3.6, 4.0, 5.2, 2.8, 3.8]
    result = correlation(x, y)
    assert result.statistic == pytest.approx(0.5711816, abs=5e-8) and result.df == 7
    assert result.p_value == pytest.approx(0.1082, abs=5e-5)
    assert (result.ci_low, result.ci_high) == pytest.approx((-0.1497426, 0.8955795), abs=5e-8)


def _pneumoconiosis() -> pd.DataFrame:
    # MPV, Example 13.1 (Table 13.1): coal miners with severe pneumoconiosis / number of miners, by years of exposure.
    groups = [(5.8, 0, 98), (15.0, 1, 54), (21.5, 3, 43), (27.5, 8, 48), (33.5, 9, 51), (39.5, 8, 38), (46.0, 10, 28),
              (51.5, 5, 11)]
    rows = [(years, 1 if i < cases else 0) for years, cases, miners in groups for i in range(miners)]
    return pd.DataFrame(rows, columns=["years", "severe"])


def test_logistic_regression_matches_mpv_pneumoconiosis():
    # MPV: ŷ = 1/(1 + exp(4.7965 − 0.0935x)), SE 0.5686 and 0.0154; odds ratio per year 1.098.
    result = logistic_regression(_pneumoconiosis(), "severe", ["years"])
    terms = result.terms.set_index("term")
    assert terms.loc["const", "coefficient"] == pytest.approx(-4.7965, abs=5e-5)
    assert terms.loc["years", "coefficient"] == pytest.approx(0.0935, abs=5e-5)
    assert terms["std_error"].to_numpy() == pytest.approx([0.5686, 0.0154], abs=5e-5)
    assert terms.loc["years", "odds_ratio"] == pytest.approx(1.098, abs=5e-4)
    assert terms.loc["years", "or_ci_low"] < 1.098 < terms.loc["years", "or_ci_high"]
    assert result.n == 371 and result.events == 44 and "multiplies the odds" in result.sentences[0]


def test_logistic_regression_refuses_perfect_separation():
    frame = pd.DataFrame({"pressure": [1, 2, 3, 4, 5, 6, 7, 8], "leak": [0, 0, 0, 0, 1, 1, 1, 1]})
    with pytest.raises(ValueError, match="pressure predict some outcomes perfectly"):
        logistic_regression(frame, "leak", ["pressure"])
    with pytest.raises(ValueError, match="0 or 1"):
        logistic_regression(frame.assign(leak=[0, 2, 0, 1, 1, 0, 1, 1]), "leak", ["pressure"])


# --- Bad input in a belt's words ------------------------------------------------------------------

@pytest.mark.parametrize(("call", "message"), [
    (lambda: normality([1.0, 2.0]), "at least 3 values"),
    (lambda: normality([4.0, 4.0, 4.0, 4.0]), "All values are the same"),
    (lambda: normality([1, 2, "x", 4]), "not a number in row 3"),
    (lambda: mann_whitney([1.0], [2.0, 3.0]), "at least 2 values"),
    (lambda: mann_whitney([5, 5], [5, 5, 5]), "All values are the same"),
    (lambda: kruskal_wallis({"only": [1, 2, 3]}), "at least two groups"),
    (lambda: equal_variances({"A": [2, 2], "B": [3, 3]}), "no spread"),
    (lambda: tukey({"A": [1, 2], "B": [3, None]}), "not a number in row 2"),
    (lambda: correlation([1, 2, 3, 4], [1, 2, 3]), "needs pairs"),
    (lambda: correlation([1, 2, 3, 4], [5, 5, 5, 5]), "All values of Y are the same"),
    (lambda: normality([1, 2, 3, 4], alpha=5), "alpha"),
])
def test_bad_input_is_refused_in_plain_words(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_two_way_anova_refuses_designs_it_cannot_analyse():
    battery = _battery()
    with pytest.raises(ValueError, match="repeated runs"):
        two_way_anova(battery.drop_duplicates(["material", "temperature"]), "life", "material", "temperature")
    with pytest.raises(ValueError, match="Every combination"):
        two_way_anova(battery[~((battery.material == 1) & (battery.temperature == 15))], "life", "material",
                      "temperature")
    with pytest.raises(ValueError, match="no column"):
        two_way_anova(battery, "life", "material", "humidity")

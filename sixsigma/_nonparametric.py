"""Tests that assume little about the data: normality, rank tests and equal spread, as Minitab states them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from scipy import stats

from errors import DomainError, Message
from sixsigma._common import ALPHA, NAN, TestResult, chance, check_alpha, group_arrays, sample, spread


def anderson_darling(values: np.ndarray) -> float:
    """A² of the sorted sample against a normal with the sample's mean and σ (ddof=1)."""
    z = np.sort((values - values.mean()) / values.std(ddof=1))
    n = len(z)
    weights = 2 * np.arange(1, n + 1) - 1
    return float(-n - np.sum(weights * (stats.norm.logcdf(z) + stats.norm.logsf(z[::-1]))) / n)


def anderson_darling_p(a2: float, n: int) -> float:
    """p-value of A² for a normal with estimated mean and σ: D'Agostino & Stephens (1986), Table 4.9.

    The statistic is first adjusted to A²(1 + 0.75/n + 2.25/n²); the same formulas as Minitab and
    R's nortest::ad.test, which also gives 3.7e-24 beyond the formulas' range (adjusted A² ≥ 10).
    """
    adjusted = a2 * (1 + 0.75 / n + 2.25 / n ** 2)
    if adjusted < 0.2:
        return float(1 - np.exp(-13.436 + 101.14 * adjusted - 223.73 * adjusted ** 2))
    if adjusted < 0.34:
        return float(1 - np.exp(-8.318 + 42.796 * adjusted - 59.938 * adjusted ** 2))
    if adjusted < 0.6:
        return float(np.exp(0.9177 - 4.279 * adjusted - 1.38 * adjusted ** 2))
    if adjusted < 10:
        return float(np.exp(1.2937 - 5.709 * adjusted + 0.0186 * adjusted ** 2))
    return 3.7e-24


def normality(values: Sequence[float], *, alpha: float = ALPHA) -> TestResult:
    """Could the data come from a normal distribution? Anderson–Darling test; estimate = the sample mean."""
    alpha = check_alpha(alpha)
    data = spread(sample(values, Message("The data"), minimum=3))
    a2 = anderson_darling(data)
    p = anderson_darling_p(a2, len(data))
    said = {"a2": a2, "p": p, "n": len(data)}
    message = (Message("The data do not look normal (Anderson–Darling A² = {a2:.3g}, p = {p:.3g}, n = {n}).", **said)
               if p < alpha else
               Message("The data could come from a normal distribution (Anderson–Darling A² = {a2:.3g}, p = {p:.3g}, "
                       "n = {n}).", **said))
    return TestResult("Anderson-Darling normality", a2, p, None, float(data.mean()), NAN, NAN, alpha, str(message),
                      message)


def mann_whitney(a: Sequence[float], b: Sequence[float], *, alpha: float = ALPHA) -> TestResult:
    """Do two groups' values differ in location? Mann–Whitney U of ``a``, two-sided, normal approximation.

    The p-value corrects the variance for ties and uses the continuity correction, as Minitab and R's
    ``wilcox.test(exact = FALSE)``; estimate = median of all differences a − b (Hodges–Lehmann, Minitab's ETA1-ETA2).
    """
    alpha = check_alpha(alpha)
    x, y = sample(a, "A"), sample(b, "B")
    spread(np.r_[x, y])
    test = stats.mannwhitneyu(x, y, use_continuity=True, alternative="two-sided", method="asymptotic")
    shift = float(np.median(np.subtract.outer(x, y)))
    said = {"shift": shift, "chance": chance(test.pvalue, alpha)}
    message = (Message("Values of A tend to be higher than B (median difference {shift:+.3g}); {chance}.", **said)
               if shift > 0 else
               Message("Values of A tend to be lower than B (median difference {shift:+.3g}); {chance}.", **said)
               if shift < 0 else
               Message("Values of A tend to be no different than B (median difference {shift:+.3g}); {chance}.",
                       **said))
    return TestResult("Mann-Whitney", float(test.statistic), float(test.pvalue), None, shift, NAN, NAN, alpha,
                      str(message), message)


def kruskal_wallis(groups: Mapping[str, Sequence[float]], *, alpha: float = ALPHA) -> TestResult:
    """Do several groups differ in location? Kruskal–Wallis H corrected for ties; estimate = largest − smallest median."""
    alpha = check_alpha(alpha)
    arrays = group_arrays(groups, minimum=1)
    spread(np.concatenate(list(arrays.values())))
    test = stats.kruskal(*arrays.values())
    medians = {name: float(np.median(values)) for name, values in arrays.items()}
    high, low = max(medians, key=medians.get), min(medians, key=medians.get)
    message = Message("Group medians range from {low:.3g} ({low_group}) to {high:.3g} ({high_group}); {chance}.",
                      low=medians[low], low_group=low, high=medians[high], high_group=high,
                      chance=chance(test.pvalue, alpha))
    return TestResult("Kruskal-Wallis", float(test.statistic), float(test.pvalue), float(len(arrays) - 1),
                      medians[high] - medians[low], NAN, NAN, alpha, str(message), message)


def equal_variances(groups: Mapping[str, Sequence[float]], *, alpha: float = ALPHA) -> TestResult:
    """Do several groups differ in spread? Brown–Forsythe (Levene on deviations from the median), as Minitab.

    ``df`` is the denominator's (N − k); estimate = largest / smallest standard deviation.
    """
    alpha = check_alpha(alpha)
    arrays = group_arrays(groups)
    deviations = np.concatenate([np.abs(v - np.median(v)) for v in arrays.values()])
    if not deviations.any():
        raise DomainError("Every group's values are all the same; there is no spread to compare.")
    test = stats.levene(*arrays.values(), center="median")
    sds = {name: float(np.std(values, ddof=1)) for name, values in arrays.items()}
    high, low = max(sds, key=sds.get), min(sds, key=sds.get)
    ratio = sds[high] / sds[low] if sds[low] > 0 else float("inf")
    message = Message("Standard deviations range from {low:.3g} ({low_group}) to {high:.3g} ({high_group}); {chance}.",
                      low=sds[low], low_group=low, high=sds[high], high_group=high,
                      chance=chance(test.pvalue, alpha))
    n = sum(len(v) for v in arrays.values())
    return TestResult("Brown-Forsythe equal variances", float(test.statistic), float(test.pvalue),
                      float(n - len(arrays)), ratio, NAN, NAN, alpha, str(message), message)

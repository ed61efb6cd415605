"""Analyze-phase statistics: hypothesis tests, regression and sample sizes, each stated in one plain sentence.

Here: two-sample t (Welch by default), paired t, one-way ANOVA, chi-square test of independence,
two proportions (pooled z test with the unpooled interval of the difference), a one-sided shift
test for a pilot's before/after proof, and Pearson correlation. Re-exported from private modules:
regression and logistic regression (``_regression``), normality and rank tests and equal variances
(``_nonparametric``), the graphical summary, probability plot and multi-vari means (``_summary``),
Tukey's comparisons and two-way ANOVA (``_anova``), sample sizes (``_power``).
Non-numeric data raise ValueError naming the column and row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

from errors import DomainError, Message
from sixsigma._anova import tukey, two_way_anova, two_way_message
from sixsigma._common import ALPHA, TestResult, chance, check_alpha, enough, numbers, spread
from sixsigma._nonparametric import equal_variances, kruskal_wallis, mann_whitney, normality
from sixsigma._power import (
    sample_size_anova,
    sample_size_paired_t,
    sample_size_two_proportions,
    sample_size_two_sample_t,
)
from sixsigma._regression import LogisticResult, RegressionResult, logistic_regression, regression
from sixsigma._summary import GraphicalSummary, graphical_summary, multi_vari, probability_points

__all__ = [
    "ALPHA", "GraphicalSummary", "LogisticResult", "RegressionResult", "TestResult", "chi_square", "correlation",
    "equal_variances", "graphical_summary", "kruskal_wallis", "logistic_regression", "mann_whitney", "multi_vari",
    "normality", "one_way_anova", "paired_t", "probability_points", "regression", "sample_size_anova", "sample_size_paired_t",
    "sample_size_two_proportions", "sample_size_two_sample_t", "shift_test", "tukey", "two_proportions", "two_sample_t",
    "two_way_anova", "two_way_message", "verification_test",
]


def two_sample_t(a: Sequence[float], b: Sequence[float], *, equal_var: bool = False, alpha: float = ALPHA,
                 labels: tuple[str, str] = ("A", "B")) -> TestResult:
    """Do two groups' means differ? Welch's t test (pooled with ``equal_var``); estimate = mean(b) − mean(a)."""
    x, y = (enough(numbers(v, label), label) for v, label in zip((a, b), labels))
    test = stats.ttest_ind(y, x, equal_var=equal_var)
    low, high = test.confidence_interval(1 - alpha)
    diff = y.mean() - x.mean()
    message = Message("The mean of {second} is {difference:+.3g} against {first} ({level:.0%} CI {low:.3g} to "
                      "{high:.3g}); {chance}.", second=labels[1], difference=float(diff), first=labels[0],
                      level=1 - alpha, low=float(low), high=float(high), chance=chance(test.pvalue, alpha))
    return TestResult("Welch two-sample t" if not equal_var else "Pooled two-sample t", float(test.statistic),
                      float(test.pvalue), float(test.df), float(diff), float(low), float(high), alpha, str(message),
                      message)


def paired_t(before: Sequence[float], after: Sequence[float], *, alpha: float = ALPHA) -> TestResult:
    """Did paired measurements change? Paired t test on after − before."""
    x, y = numbers(before, "Before"), numbers(after, "After")
    if len(x) != len(y):
        raise DomainError("Paired data need as many after values as before values ({after} vs {before}).",
                          after=len(y), before=len(x))
    enough(x, "Before")
    test = stats.ttest_rel(y, x)
    low, high = test.confidence_interval(1 - alpha)
    diff = float(np.mean(y - x))
    message = Message("After is {difference:+.3g} on average against before ({level:.0%} CI {low:.3g} to {high:.3g}); "
                      "{chance}.", difference=diff, level=1 - alpha, low=float(low), high=float(high),
                      chance=chance(test.pvalue, alpha))
    return TestResult("Paired t", float(test.statistic), float(test.pvalue), float(test.df), diff, float(low),
                      float(high), alpha, str(message), message)


def one_way_anova(groups: Mapping[str, Sequence[float]], *, alpha: float = ALPHA) -> TestResult:
    """Do several groups' means differ? One-way ANOVA F test; estimate = largest − smallest group mean."""
    if len(groups) < 2:
        raise DomainError("ANOVA needs at least two groups.")
    arrays = {name: enough(numbers(values, str(name)), str(name)) for name, values in groups.items()}
    test = stats.f_oneway(*arrays.values())
    means = {name: values.mean() for name, values in arrays.items()}
    high_group, low_group = max(means, key=means.get), min(means, key=means.get)
    n, k = sum(len(v) for v in arrays.values()), len(arrays)
    message = Message("Group means range from {low:.3g} ({low_group}) to {high:.3g} ({high_group}); {chance}.",
                      low=float(means[low_group]), low_group=str(low_group), high=float(means[high_group]),
                      high_group=str(high_group), chance=chance(test.pvalue, alpha))
    return TestResult("One-way ANOVA", float(test.statistic), float(test.pvalue), float(n - k),
                      float(means[high_group] - means[low_group]), float("nan"), float("nan"), alpha, str(message),
                      message)


def chi_square(table, *, alpha: float = ALPHA) -> TestResult:
    """Are two categorical variables related? Pearson chi-square test of independence on a table of counts."""
    counts = np.asarray(pd.DataFrame(table).to_numpy(), dtype=float) if not isinstance(table, np.ndarray) else table
    if counts.ndim != 2 or min(counts.shape) < 2:
        raise DomainError("A chi-square test needs a table of counts with at least two rows and two columns.")
    if not np.all(np.isfinite(counts)) or (counts < 0).any():
        raise DomainError("The table must hold counts (whole numbers ≥ 0).")
    result = stats.chi2_contingency(counts, correction=False)
    cramer = float(np.sqrt(result.statistic / counts.sum() / (min(counts.shape) - 1)))
    said = chance(result.pvalue, alpha)
    message = (Message("The two are related (Cramér's V = {v:.2f}); {chance}.", v=cramer, chance=said)
               if result.pvalue < alpha else
               Message("The two are not shown to be related (Cramér's V = {v:.2f}); {chance}.", v=cramer, chance=said))
    return TestResult("Chi-square independence", float(result.statistic), float(result.pvalue), float(result.dof),
                      cramer, float("nan"), float("nan"), alpha, str(message), message)


def two_proportions(x1: int, n1: int, x2: int, n2: int, *, alpha: float = ALPHA) -> TestResult:
    """Do two proportions differ? Pooled z test; estimate p2 − p1 with its Wald interval."""
    for x, n, label in ((x1, n1, "first"), (x2, n2, "second")):
        if isinstance(x, bool) or not float(x).is_integer() or not float(n).is_integer() or not 0 <= x <= n or n < 1:
            raise DomainError("The {ordinal} group needs a whole count between 0 and its size ({x} of {n}).",
                              ordinal=label, x=x, n=n)
    statistic, p_value = proportions_ztest([x2, x1], [n2, n1])
    low, high = confint_proportions_2indep(x2, n2, x1, n1, method="wald", alpha=alpha)
    diff = x2 / n2 - x1 / n1
    message = Message("The second proportion is {points:+.3g} points against the first ({level:.0%} CI {low:.3g} to "
                      "{high:.3g} points); {chance}.", points=float(diff * 100), level=1 - alpha,
                      low=float(low * 100), high=float(high * 100), chance=chance(p_value, alpha))
    return TestResult("Two proportions z", float(statistic), float(p_value), None, float(diff), float(low),
                      float(high), alpha, str(message), message)


def shift_test(before: Sequence[float], after: Sequence[float], direction: str = "higher", *,
               alpha: float = ALPHA) -> TestResult:
    """Did the pilot move the mean the right way? One-sided Welch t test of after against before."""
    if direction not in ("higher", "lower"):
        raise DomainError("Direction must be 'higher' or 'lower', not {direction!r}.", direction=direction)
    x, y = enough(numbers(before, "Before"), "Before"), enough(numbers(after, "After"), "After")
    test = stats.ttest_ind(y, x, equal_var=False, alternative="greater" if direction == "higher" else "less")
    low, high = test.confidence_interval(1 - alpha)   # one-sided, like the test: a bound on the wanted side
    diff = y.mean() - x.mean()
    bound = (Message("at least {bound:+.3g}", bound=float(low)) if direction == "higher"
             else Message("at most {bound:+.3g}", bound=float(high)))
    said = {"shift": float(diff), "level": 1 - alpha, "bound": bound, "chance": chance(test.pvalue, alpha)}
    message = (Message("The pilot improved the mean ({shift:+.3g}; with {level:.0%} confidence the shift is {bound}, "
                       "a one-sided bound as the test is one-sided); {chance}.", **said) if test.pvalue < alpha else
               Message("The pilot is not shown to improve the mean ({shift:+.3g}; with {level:.0%} confidence the "
                       "shift is {bound}, a one-sided bound as the test is one-sided); {chance}.", **said))
    return TestResult("One-sided Welch t (pilot shift)", float(test.statistic), float(test.pvalue), float(test.df),
                      float(diff), float(low), float(high), alpha, str(message), message)


def verification_test(values: Sequence[float], required: float, direction: str = "higher", *,
                      alpha: float = ALPHA) -> TestResult:
    """Does the design's mean beat what is required? One-sided one-sample t test of ``values`` against
    ``required`` (above it for ``direction`` "higher", below it for "lower"); estimate = mean − required."""
    if direction not in ("higher", "lower"):
        raise DomainError("Direction must be 'higher' or 'lower', not {direction!r}.", direction=direction)
    x = spread(enough(numbers(values, "Observed"), "Observed"), "Observed")
    target = float(numbers([required], "Required")[0])
    test = stats.ttest_1samp(x, target, alternative="greater" if direction == "higher" else "less")
    low, high = test.confidence_interval(1 - alpha)     # one-sided bound on the mean, on the wanted side
    bound = (Message("at least {bound:.4g}", bound=float(low)) if direction == "higher"
             else Message("at most {bound:.4g}", bound=float(high)))
    said = {"required": target, "mean": float(x.mean()), "level": 1 - alpha, "bound": bound,
            "chance": chance(test.pvalue, alpha)}
    message = (Message("The design meets the requirement of {required:.4g} (mean {mean:.4g}; with {level:.0%} "
                       "confidence the mean is {bound}); {chance}.", **said) if test.pvalue < alpha else
               Message("The design is not shown to meet the requirement of {required:.4g} (mean {mean:.4g}; with "
                       "{level:.0%} confidence the mean is {bound}); {chance}.", **said))
    return TestResult("One-sided one-sample t (verification)", float(test.statistic), float(test.pvalue),
                      float(test.df), float(x.mean() - target), float(low), float(high), alpha, str(message), message)


def correlation(x: Sequence[float], y: Sequence[float], *, alpha: float = ALPHA) -> TestResult:
    """Do two measures move together? Pearson r with its Fisher-z interval; p-value from t with n − 2 df."""
    alpha = check_alpha(alpha)
    first, second = numbers(x, "X"), numbers(y, "Y")
    if len(first) != len(second):
        raise DomainError("A correlation needs pairs: X has {x} values and Y has {y}.", x=len(first), y=len(second))
    for values, name in ((first, "X"), (second, "Y")):
        spread(enough(values, name, minimum=4), name)
    test = stats.pearsonr(first, second)
    interval = test.confidence_interval(1 - alpha)
    r = float(test.statistic)
    strength = (Message("strongly") if abs(r) >= 0.7 else Message("moderately") if abs(r) >= 0.4
                else Message("weakly"))
    said = {"strength": strength, "r": r, "level": 1 - alpha, "low": float(interval.low),
            "high": float(interval.high), "chance": chance(test.pvalue, alpha)}
    message = (Message("X and Y move {strength} together (r = {r:.2f}, {level:.0%} CI {low:.2f} to {high:.2f}); "
                       "{chance}.", **said) if r > 0 else
               Message("X and Y move {strength} in opposite directions (r = {r:.2f}, {level:.0%} CI {low:.2f} to "
                       "{high:.2f}); {chance}.", **said))
    return TestResult("Pearson correlation", r, float(test.pvalue), float(len(first) - 2),
                      r, float(interval.low), float(interval.high), alpha, str(message), message)

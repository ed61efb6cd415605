"""Analyze-phase statistics: hypothesis tests and regression, each stated in one plain sentence.

Two-sample t (Welch by default), paired t, one-way ANOVA, chi-square test of independence,
two proportions (pooled z test with the unpooled interval of the difference), a one-sided
shift test for a pilot's before/after proof, and ordinary least squares regression with each
driver's effect and confidence interval (statsmodels). Non-numeric data raise ValueError
naming the column and row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

from errors import DomainError, Message

ALPHA = 0.05


@dataclass(frozen=True)
class TestResult:
    """A test's statistic, p-value and estimate with its interval, and what it means in one sentence."""

    name: str
    statistic: float
    p_value: float
    df: float | None
    estimate: float
    ci_low: float
    ci_high: float
    alpha: float
    sentence: str

    @property
    def significant(self) -> bool:
        return bool(self.p_value < self.alpha)


@dataclass(frozen=True)
class RegressionResult:
    """OLS fit: one row per term (coefficient, standard error, interval, p-value), R², n and sentences."""

    response: str
    terms: pd.DataFrame
    r_squared: float
    n: int
    alpha: float
    sentences: list[str] = field(default_factory=list)


def _numbers(values, name: str | Message) -> np.ndarray:
    """A 1-D array of finite floats, or ValueError naming the first bad entry (1-based)."""
    series = pd.Series(list(values) if not isinstance(values, pd.Series) else values.tolist())
    converted = pd.to_numeric(series, errors="coerce")
    bad = converted.isna() | ~np.isfinite(converted.fillna(0.0))
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise DomainError("{data} has a value that is not a number in row {row}: {value!r}.", data=name, row=row + 1,
                          value=series.iloc[row])
    return converted.to_numpy(dtype=float)


def _enough(values: np.ndarray, name: str, minimum: int = 2) -> np.ndarray:
    if len(values) < minimum:
        raise DomainError("{data} needs at least {minimum} values (has {count}).", data=name, minimum=minimum,
                          count=len(values))
    return values


def _chance(p: float, alpha: float) -> str:
    return (f"this is unlikely to be chance (p = {p:.3g})" if p < alpha
            else f"this could well be chance (p = {p:.3g}), so the data do not show a difference")


def two_sample_t(a: Sequence[float], b: Sequence[float], *, equal_var: bool = False, alpha: float = ALPHA,
                 labels: tuple[str, str] = ("A", "B")) -> TestResult:
    """Do two groups' means differ? Welch's t test (pooled with ``equal_var``); estimate = mean(b) − mean(a)."""
    x, y = (_enough(_numbers(v, label), label) for v, label in zip((a, b), labels))
    test = stats.ttest_ind(y, x, equal_var=equal_var)
    low, high = test.confidence_interval(1 - alpha)
    diff = y.mean() - x.mean()
    sentence = (f"The mean of {labels[1]} is {diff:+.3g} against {labels[0]} "
                f"({1 - alpha:.0%} CI {low:.3g} to {high:.3g}); {_chance(test.pvalue, alpha)}.")
    return TestResult("Welch two-sample t" if not equal_var else "Pooled two-sample t", float(test.statistic),
                      float(test.pvalue), float(test.df), float(diff), float(low), float(high), alpha, sentence)


def paired_t(before: Sequence[float], after: Sequence[float], *, alpha: float = ALPHA) -> TestResult:
    """Did paired measurements change? Paired t test on after − before."""
    x, y = _numbers(before, "Before"), _numbers(after, "After")
    if len(x) != len(y):
        raise DomainError("Paired data need as many after values as before values ({after} vs {before}).",
                          after=len(y), before=len(x))
    _enough(x, "Before")
    test = stats.ttest_rel(y, x)
    low, high = test.confidence_interval(1 - alpha)
    diff = float(np.mean(y - x))
    sentence = (f"After is {diff:+.3g} on average against before ({1 - alpha:.0%} CI {low:.3g} to {high:.3g}); "
                f"{_chance(test.pvalue, alpha)}.")
    return TestResult("Paired t", float(test.statistic), float(test.pvalue), float(test.df), diff, float(low),
                      float(high), alpha, sentence)


def one_way_anova(groups: Mapping[str, Sequence[float]], *, alpha: float = ALPHA) -> TestResult:
    """Do several groups' means differ? One-way ANOVA F test; estimate = largest − smallest group mean."""
    if len(groups) < 2:
        raise DomainError("ANOVA needs at least two groups.")
    arrays = {name: _enough(_numbers(values, str(name)), str(name)) for name, values in groups.items()}
    test = stats.f_oneway(*arrays.values())
    means = {name: values.mean() for name, values in arrays.items()}
    high_group, low_group = max(means, key=means.get), min(means, key=means.get)
    n, k = sum(len(v) for v in arrays.values()), len(arrays)
    sentence = (f"Group means range from {means[low_group]:.3g} ({low_group}) to {means[high_group]:.3g} "
                f"({high_group}); {_chance(test.pvalue, alpha)}.")
    return TestResult("One-way ANOVA", float(test.statistic), float(test.pvalue), float(n - k),
                      float(means[high_group] - means[low_group]), float("nan"), float("nan"), alpha, sentence)


def chi_square(table, *, alpha: float = ALPHA) -> TestResult:
    """Are two categorical variables related? Pearson chi-square test of independence on a table of counts."""
    counts = np.asarray(pd.DataFrame(table).to_numpy(), dtype=float) if not isinstance(table, np.ndarray) else table
    if counts.ndim != 2 or min(counts.shape) < 2:
        raise DomainError("A chi-square test needs a table of counts with at least two rows and two columns.")
    if not np.all(np.isfinite(counts)) or (counts < 0).any():
        raise DomainError("The table must hold counts (whole numbers ≥ 0).")
    result = stats.chi2_contingency(counts, correction=False)
    cramer = float(np.sqrt(result.statistic / counts.sum() / (min(counts.shape) - 1)))
    sentence = f"The two are {'related' if result.pvalue < alpha else 'not shown to be related'} " \
               f"(Cramér's V = {cramer:.2f}); {_chance(result.pvalue, alpha)}."
    return TestResult("Chi-square independence", float(result.statistic), float(result.pvalue), float(result.dof),
                      cramer, float("nan"), float("nan"), alpha, sentence)


def two_proportions(x1: int, n1: int, x2: int, n2: int, *, alpha: float = ALPHA) -> TestResult:
    """Do two proportions differ? Pooled z test; estimate p2 − p1 with its Wald interval."""
    for x, n, label in ((x1, n1, "first"), (x2, n2, "second")):
        if isinstance(x, bool) or not float(x).is_integer() or not float(n).is_integer() or not 0 <= x <= n or n < 1:
            raise DomainError("The {ordinal} group needs a whole count between 0 and its size ({x} of {n}).",
                              ordinal=label, x=x, n=n)
    statistic, p_value = proportions_ztest([x2, x1], [n2, n1])
    low, high = confint_proportions_2indep(x2, n2, x1, n1, method="wald", alpha=alpha)
    diff = x2 / n2 - x1 / n1
    sentence = (f"The second proportion is {diff * 100:+.3g} points against the first ({1 - alpha:.0%} CI "
                f"{low * 100:.3g} to {high * 100:.3g} points); {_chance(p_value, alpha)}.")
    return TestResult("Two proportions z", float(statistic), float(p_value), None, float(diff), float(low),
                      float(high), alpha, sentence)


def shift_test(before: Sequence[float], after: Sequence[float], direction: str = "higher", *,
               alpha: float = ALPHA) -> TestResult:
    """Did the pilot move the mean the right way? One-sided Welch t test of after against before."""
    if direction not in ("higher", "lower"):
        raise DomainError("Direction must be 'higher' or 'lower', not {direction!r}.", direction=direction)
    x, y = _enough(_numbers(before, "Before"), "Before"), _enough(_numbers(after, "After"), "After")
    test = stats.ttest_ind(y, x, equal_var=False, alternative="greater" if direction == "higher" else "less")
    low, high = stats.ttest_ind(y, x, equal_var=False).confidence_interval(1 - alpha)
    diff = y.mean() - x.mean()
    verdict = "improved" if test.pvalue < alpha else "not shown to improve"
    sentence = (f"The pilot {verdict} the mean ({diff:+.3g}, {1 - alpha:.0%} CI {low:.3g} to {high:.3g}); "
                f"{_chance(test.pvalue, alpha)}.")
    return TestResult("One-sided Welch t (pilot shift)", float(test.statistic), float(test.pvalue), float(test.df),
                      float(diff), float(low), float(high), alpha, sentence)


def regression(frame: pd.DataFrame, response: str, drivers: Sequence[str], *, alpha: float = ALPHA) -> RegressionResult:
    """OLS of ``response`` on ``drivers`` with an intercept; one plain sentence per driver."""
    drivers = list(drivers)
    missing = [c for c in [response, *drivers] if c not in frame.columns]
    if missing:
        raise DomainError("The data have no column(s) {columns}.", columns=missing)
    if not drivers:
        raise DomainError("Choose at least one driver.")
    data = pd.DataFrame({c: _numbers(frame[c], Message("Column {column}", column=c)) for c in [response, *drivers]})
    if len(data) < len(drivers) + 3:
        raise DomainError("A regression on {drivers} driver(s) needs at least {rows} rows.", drivers=len(drivers),
                          rows=len(drivers) + 3)
    fit = sm.OLS(data[response], sm.add_constant(data[drivers], has_constant="add")).fit()
    interval = fit.conf_int(alpha)
    terms = pd.DataFrame({"term": fit.params.index, "coefficient": fit.params.to_numpy(), "std_error": fit.bse.to_numpy(),
                          "ci_low": interval[0].to_numpy(), "ci_high": interval[1].to_numpy(),
                          "p_value": fit.pvalues.to_numpy()})
    sentences = [f"Each extra 1 of {d} goes with a change of {fit.params[d]:+.3g} in {response} "
                 f"({1 - alpha:.0%} CI {interval.loc[d, 0]:.3g} to {interval.loc[d, 1]:.3g}); "
                 f"{_chance(fit.pvalues[d], alpha)}." for d in drivers]
    return RegressionResult(response, terms, float(fit.rsquared), int(fit.nobs), alpha, sentences)

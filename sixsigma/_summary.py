"""Looking at the data before testing it: a column's graphical summary, normal probability plot points and the
cell means of a multi-vari chart, as Minitab states them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from errors import DomainError, Message
from sixsigma._common import ALPHA, check_alpha, numbers, sample, spread
from sixsigma._nonparametric import anderson_darling, anderson_darling_p

#: Most factors a multi-vari chart shows (Minitab allows four; three stay readable on a screen).
MAX_FACTORS = 3


@dataclass(frozen=True)
class GraphicalSummary:
    """A column at a glance: moments, quartiles, Anderson-Darling normality and the 1 − α intervals of the mean,
    the median (order statistics; ``median_ci_level`` is the confidence they reach) and σ."""

    n: int
    mean: float
    std_dev: float
    variance: float
    skewness: float
    kurtosis: float
    minimum: float
    q1: float
    median: float
    q3: float
    maximum: float
    ad_statistic: float
    ad_p_value: float
    mean_ci: tuple[float, float]
    median_ci: tuple[float, float]
    median_ci_level: float
    std_dev_ci: tuple[float, float]
    alpha: float
    values: np.ndarray


def _quartile(ordered: np.ndarray, p: float) -> float:
    """Minitab's quartile: the value at position (n + 1)·p, interpolated, clipped to the data's ends."""
    position = min(max((len(ordered) + 1) * p, 1.0), float(len(ordered)))
    low = int(np.floor(position))
    return float(ordered[low - 1] + (position - low) * (ordered[min(low, len(ordered) - 1)] - ordered[low - 1]))


def _median_interval(ordered: np.ndarray, alpha: float) -> tuple[tuple[float, float], float]:
    """The order statistics x(k), x(n − k + 1) around the median with the largest k whose confidence
    1 − 2·P(Bin(n, ½) ≤ k − 1) still reaches 1 − α (the whole range when even it does not), and that confidence."""
    n = len(ordered)
    k = 1
    while k < n / 2 and stats.binom.cdf(k, n, 0.5) <= alpha / 2:
        k += 1
    return (float(ordered[k - 1]), float(ordered[n - k])), float(1 - 2 * stats.binom.cdf(k - 1, n, 0.5))


def graphical_summary(values: Sequence[float], *, alpha: float = ALPHA) -> GraphicalSummary:
    """Minitab's graphical summary of one column: at least 3 values that vary."""
    alpha = check_alpha(alpha)
    data = spread(sample(values, Message("The data"), minimum=3))
    ordered, n = np.sort(data), len(data)
    mean, sd = float(data.mean()), float(data.std(ddof=1))
    half = stats.t.ppf(1 - alpha / 2, n - 1) * sd / np.sqrt(n)
    chi_low, chi_high = stats.chi2.ppf([alpha / 2, 1 - alpha / 2], n - 1)
    a2 = anderson_darling(data)
    median_ci, level = _median_interval(ordered, alpha)
    return GraphicalSummary(
        n=n, mean=mean, std_dev=sd, variance=sd ** 2, skewness=float(stats.skew(data, bias=False)),
        kurtosis=float(stats.kurtosis(data, bias=False)), minimum=float(ordered[0]), q1=_quartile(ordered, 0.25),
        median=float(np.median(data)), q3=_quartile(ordered, 0.75), maximum=float(ordered[-1]),
        ad_statistic=a2, ad_p_value=anderson_darling_p(a2, n), mean_ci=(float(mean - half), float(mean + half)),
        median_ci=median_ci, median_ci_level=level,
        std_dev_ci=(sd * float(np.sqrt((n - 1) / chi_high)), sd * float(np.sqrt((n - 1) / chi_low))),
        alpha=alpha, values=ordered)


def probability_points(values: Sequence[float]) -> pd.DataFrame:
    """The normal probability plot of a column: each value (sorted), its plotting position in percent by Benard's
    median ranks (i − 0.3)/(n + 0.4), its normal score ``z`` and ``fit``, the normal of the data's mean and σ at that
    score (the plot's straight line)."""
    data = spread(sample(values, Message("The data"), minimum=3))
    ordered, n = np.sort(data), len(data)
    ranks = (np.arange(1, n + 1) - 0.3) / (n + 0.4)
    z = stats.norm.ppf(ranks)
    return pd.DataFrame({"value": ordered, "percent": 100 * ranks, "z": z,
                         "fit": data.mean() + data.std(ddof=1) * z})


def multi_vari(frame: pd.DataFrame, response: str, factors: Sequence[str]) -> pd.DataFrame:
    """The cell means of a multi-vari chart: one row per combination of the factors' levels that occurs (in the
    levels' order), with the response's ``mean`` and ``n``. One to three factors; the response must be numbers."""
    factors = list(factors)
    if not 1 <= len(factors) <= MAX_FACTORS:
        raise DomainError("A multi-vari chart shows one to three factors, not {count}.", count=len(factors))
    missing = [c for c in [response, *factors] if c not in frame.columns]
    if missing:
        raise DomainError("The data have no column(s) {columns}.", columns=missing)
    if response in factors or len(set(factors)) < len(factors):
        raise DomainError("Each factor may be chosen once, and the response cannot also be a factor.")
    data = frame[factors].astype(object).assign(_y=numbers(frame[response], Message("Column {column}",
                                                                                    column=response)))
    data = data.dropna(subset=factors)
    if data.empty:
        raise DomainError("The factors {columns} have no filled rows.", columns=factors)
    table = data.groupby(factors, sort=True)["_y"].agg(["mean", "count"]).reset_index()
    return table.rename(columns={"count": "n"}).astype({"n": int})

"""How many samples a test needs to see a given difference with a given power."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import stats
from statsmodels.stats.power import FTestAnovaPower, TTestIndPower, TTestPower

from errors import DomainError, Message
from sixsigma._common import ALPHA, check_alpha, numbers

POWER = 0.8


def _is_number(value) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, float, np.number)) and math.isfinite(value)


def _levels(power: float, alpha: float) -> tuple[float, float]:
    """(power, alpha), each strictly between 0 and 1, power above alpha."""
    alpha = check_alpha(alpha)
    if not _is_number(power) or not alpha < power < 1:
        raise DomainError("The power must be between alpha ({alpha:g}) and 1, not {power!r}.", alpha=alpha,
                          power=power)
    return float(power), alpha


def _effect(delta, sigma) -> float:
    """|δ| / σ, refusing a zero difference (no sample size can detect nothing) and σ ≤ 0."""
    if not _is_number(delta) or delta == 0:
        raise DomainError("The difference to detect must be a number other than 0, not {value!r}.", value=delta)
    if not _is_number(sigma) or sigma <= 0:
        raise DomainError("The standard deviation must be a number greater than 0, not {value!r}.", value=sigma)
    return abs(delta) / sigma


def sample_size_two_sample_t(delta: float, sigma: float, *, power: float = POWER, alpha: float = ALPHA) -> int:
    """Per-group size for a two-sided two-sample t test to detect a mean difference ``delta`` (noncentral t)."""
    power, alpha = _levels(power, alpha)
    n = TTestIndPower().solve_power(effect_size=_effect(delta, sigma), alpha=alpha, power=power, ratio=1.0)
    return math.ceil(float(n))


def sample_size_paired_t(delta: float, sigma: float, *, power: float = POWER, alpha: float = ALPHA) -> int:
    """Number of pairs for a two-sided paired t test; ``sigma`` is the standard deviation of the differences."""
    power, alpha = _levels(power, alpha)
    n = TTestPower().solve_power(effect_size=_effect(delta, sigma), alpha=alpha, power=power)
    return math.ceil(float(n))


def sample_size_two_proportions(p1: float, p2: float, *, power: float = POWER, alpha: float = ALPHA) -> int:
    """Per-group size for a two-sided test of two proportions (normal approximation, pooled under H0).

    n = (z₁₋α/₂·√(2p̄q̄) + z_power·√(p₁q₁ + p₂q₂))² / (p₁ − p₂)², as R's ``power.prop.test`` (Fleiss).
    """
    power, alpha = _levels(power, alpha)
    for value in (p1, p2):
        if not _is_number(value) or not 0 < value < 1:
            raise DomainError("Each proportion must be a number between 0 and 1, not {value!r}.", value=value)
    if p1 == p2:
        raise DomainError("The two proportions must differ; no sample size can detect no difference.")
    mean = (p1 + p2) / 2
    numerator = (stats.norm.ppf(1 - alpha / 2) * math.sqrt(2 * mean * (1 - mean))
                 + stats.norm.ppf(power) * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2)))
    return math.ceil(numerator ** 2 / (p1 - p2) ** 2)


def sample_size_anova(means: Sequence[float], sigma: float, *, power: float = POWER, alpha: float = ALPHA) -> int:
    """Per-group size for a one-way ANOVA to detect the expected group ``means`` with within-group ``sigma``.

    Cohen's f = population SD of the means / σ (noncentral F), as R's ``power.anova.test``.
    """
    power, alpha = _levels(power, alpha)
    expected = numbers(means, Message("The expected group means"))
    if len(expected) < 2 or np.ptp(expected) == 0:
        raise DomainError("Give at least two expected group means that differ.")
    f = _effect(float(np.std(expected)), sigma)
    total = FTestAnovaPower().solve_power(effect_size=f, alpha=alpha, power=power, k_groups=len(expected))
    return math.ceil(float(total) / len(expected))

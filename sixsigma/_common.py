"""What every Analyze-phase test shares: the result record and the checks on its input."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from errors import DomainError, Message

ALPHA = 0.05
NAN = float("nan")


@dataclass(frozen=True)
class TestResult:
    """A test's statistic, p-value and estimate with its interval, and what it means in one sentence: ``sentence`` in
    English, ``message`` the same sentence as a template with its parameters (None only on results built by hand),
    which the UI shows in the reader's language."""

    name: str
    statistic: float
    p_value: float
    df: float | None
    estimate: float
    ci_low: float
    ci_high: float
    alpha: float
    sentence: str
    message: Message | None = None

    @property
    def significant(self) -> bool:
        return bool(self.p_value < self.alpha)


def numbers(values, name: str | Message) -> np.ndarray:
    """A 1-D array of finite floats, or ValueError naming the first bad entry (1-based)."""
    series = pd.Series(list(values) if not isinstance(values, pd.Series) else values.tolist())
    converted = pd.to_numeric(series, errors="coerce")
    bad = converted.isna() | ~np.isfinite(converted.fillna(0.0))
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise DomainError("{data} has a value that is not a number in row {row}: {value!r}.", data=name, row=row + 1,
                          value=series.iloc[row])
    return converted.to_numpy(dtype=float)


def enough(values: np.ndarray, name: str | Message, minimum: int = 2) -> np.ndarray:
    """``values`` unchanged, or ValueError when there are fewer than ``minimum``."""
    if len(values) < minimum:
        raise DomainError("{data} needs at least {minimum} values (has {count}).", data=name, minimum=minimum,
                          count=len(values))
    return values


def spread(values: np.ndarray, name: str | None = None) -> np.ndarray:
    """``values`` unchanged, or ValueError when they are all the same (the test needs variation)."""
    if np.ptp(values) > 0:
        return values
    if name is None:
        raise DomainError("All values are the same ({value:g}); this test needs values that vary.", value=values[0])
    raise DomainError("All values of {data} are the same ({value:g}); this test needs values that vary.",
                      data=name, value=values[0])


def sample(values, name: str | Message, minimum: int = 2) -> np.ndarray:
    """Numbers, at least ``minimum`` of them."""
    return enough(numbers(values, name), name, minimum)


def group_arrays(groups: Mapping[str, Sequence[float]], minimum: int = 2) -> dict[str, np.ndarray]:
    """Each group's values as numbers; at least two groups of ``minimum`` values each."""
    if not isinstance(groups, Mapping) or len(groups) < 2:
        raise DomainError("This test needs at least two groups (a mapping of group name to values).")
    return {str(name): sample(values, str(name), minimum) for name, values in groups.items()}


def chance(p: float, alpha: float) -> Message:
    """The p-value in words: chance or not (a clause of a test's sentence; ``str()`` is its English text)."""
    if p < alpha:
        return Message("this is unlikely to be chance (p = {p:.3g})", p=float(p))
    return Message("this could well be chance (p = {p:.3g}), so the data do not show a difference", p=float(p))


def check_alpha(alpha: float) -> float:
    """α as a float strictly between 0 and 1."""
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or not 0 < alpha < 1:
        raise DomainError("The significance level alpha must be between 0 and 1, not {alpha!r}.", alpha=alpha)
    return float(alpha)

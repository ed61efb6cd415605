"""Suggest a control-chart kind for a data set, with a one-line reason."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from errors import DomainError
from sixsigma._estimators import individuals_sigma
from sixsigma._validation import as_numbers, check_counts

__all__ = ["LANEY_RATIO", "Suggestion", "suggest_chart"]

#: Laney's σ_z above this ratio (observed / binomial or Poisson variation) signals
#: overdispersion. With large samples the ordinary p and u limits are then too tight and
#: flag most points; 1.3 is about the upper end of the ratio's sampling spread for ~25+
#: in-control samples (Laney 2002; Minitab's P Chart Diagnostic uses the same idea).
LANEY_RATIO = 1.3
#: Laney limits are recommended for "large" samples only (Laney 2002).
LANEY_MIN_SIZE = 100


@dataclass(frozen=True)
class Suggestion:
    """The suggested ``kind`` for :func:`sixsigma.spc.control_chart` and why.

    ``dispersion`` is Laney's σ_z (observed / binomial or Poisson variation) for counts with
    sizes, NaN otherwise, so a caller can word the reason in another language.
    """

    kind: str
    reason: str
    dispersion: float = float("nan")


def _overdispersion(counts: np.ndarray, sizes: np.ndarray, binomial: bool) -> float:
    rate = counts.sum() / sizes.sum()
    if rate <= 0 or (binomial and rate >= 1) or counts.size < 3:
        return 1.0
    var = rate * (1 - rate) if binomial else rate
    z = (counts / sizes - rate) / np.sqrt(var / sizes)
    try:
        return individuals_sigma(z, np.ones(z.size, dtype=bool))[0]
    except ValueError:
        return 1.0


def suggest_chart(data: Any, sizes: Any = None, *, defectives: bool = True) -> Suggestion:
    """Suggest a chart kind.

    * counts with ``sizes`` → "p" (``defectives``) or "u" (nonconformities), or their Laney
      versions when Laney's σ_z > ``LANEY_RATIO`` and the average size ≥ ``LANEY_MIN_SIZE``;
    * whole-number counts without sizes → "c";
    * 1-D measurements → "i_mr";
    * 2-D subgroups → "xbar_r" for n ≤ 8, "xbar_s" above (R wastes information in large subgroups).
    """
    arr = as_numbers(data)
    if arr.ndim == 2:
        n = arr.shape[1]
        if n < 2:
            return Suggestion("i_mr", "subgroups of one value are individual measurements")
        if n <= 8:
            return Suggestion("xbar_r", f"subgroups of {n}: the range estimates σ well for n ≤ 8")
        return Suggestion("xbar_s", f"subgroups of {n}: use the standard deviation for n > 8")
    if arr.ndim != 1:
        raise DomainError("data must be 1-D (one value per sample) or 2-D (one row per subgroup)")
    whole = not np.isnan(arr).any() and (arr >= 0).all() and np.array_equal(arr, np.round(arr))
    if sizes is None:
        if whole and arr.size >= 2 and arr.max() < 1000 and np.unique(arr).size < max(10, arr.size // 2):
            return Suggestion("c", "whole-number counts with no sample sizes: a c chart of counts")
        return Suggestion("i_mr", "one measurement per sample: individuals and moving range")
    counts = check_counts(arr, "counts")
    n = np.broadcast_to(as_numbers(sizes, "sizes"), counts.shape).astype(float)
    kind = "p" if defectives else "u"
    ratio = _overdispersion(counts, n, binomial=defectives)
    if ratio > LANEY_RATIO and n.mean() >= LANEY_MIN_SIZE:
        return Suggestion(
            f"laney_{kind}",
            f"Laney σ_z = {ratio:.2f} > {LANEY_RATIO}: more variation than the {kind} chart assumes "
            f"with large samples",
            ratio,
        )
    noun = "nonconforming units out of sample sizes" if defectives else "nonconformities per unit inspected"
    if ratio > LANEY_RATIO:
        return Suggestion(kind, f"{noun}; samples average {n.mean():.0f} < {LANEY_MIN_SIZE}, too small for Laney", ratio)
    return Suggestion(kind, f"{noun}; Laney σ_z = {ratio:.2f} shows no overdispersion", ratio)

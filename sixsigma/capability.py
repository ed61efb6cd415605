"""Process capability: Cp/Cpk (within), Pp/Ppk (overall), Cpm, ppm, sigma level.

σ_within is MR̄/1.128 for individuals (1-D) and the mean of R_i/d2(n_i) for subgroups
(2-D, NaN = missing; R̄/d2 with equal sizes), as qcc and Montgomery; σ_overall is the sample
standard deviation of all values. Confidence intervals follow qcc's ``processCapability``:
chi-square for Cp/Pp (Chou et al. 1990), Bissell's (1990) normal approximation for
Cpl/Cpu/Cpk (one-sided quantile for Cpl and Cpu, as qcc), Boyles (1991) for Cpm.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from scipy import stats

from errors import DomainError
from sixsigma._estimators import individuals_sigma, subgroup_stats
from sixsigma._validation import MAX_MAGNITUDE, as_numbers

__all__ = [
    "AutoCapability",
    "Capability",
    "Interval",
    "capability",
    "capability_auto",
    "capability_ci",
    "dpmo",
    "predicted_capability",
    "sigma_level",
]

NAN = float("nan")


@dataclass(frozen=True)
class Capability:
    """Capability indices; NaN where a specification limit needed for an index is missing."""

    mean: float
    sigma_within: float
    sigma_overall: float
    cp: float
    cpl: float
    cpu: float
    cpk: float
    pp: float
    ppl: float
    ppu: float
    ppk: float
    cpm: float
    ppm_within: float
    ppm_overall: float
    ppm_observed: float
    sigma_level: float
    n: int = 0
    lsl: float = NAN
    usl: float = NAN
    target: float = NAN


@dataclass(frozen=True)
class Interval:
    """An index with its confidence interval."""

    value: float
    lower: float
    upper: float


@dataclass(frozen=True)
class AutoCapability:
    """Capability on the original or Box-Cox scale, with the normality check behind the choice."""

    result: Capability
    method: str
    ad_statistic: float
    ad_pvalue: float
    boxcox_lambda: float = NAN


def _spec(value: float | None, name: str) -> float:
    if value is None:
        return NAN
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise DomainError("{name} must be a number", name=name) from None
    if np.isinf(number) or abs(number) > MAX_MAGNITUDE:
        raise DomainError("{name} must be a finite number of reasonable size", name=name)
    return number


def _specs(lsl: float | None, usl: float | None, target: float | None) -> tuple[float, float, float]:
    lo, hi, tgt = _spec(lsl, "lsl"), _spec(usl, "usl"), _spec(target, "target")
    if np.isnan(lo) and np.isnan(hi):
        raise DomainError("capability needs at least one specification limit (lsl or usl)")
    if lo >= hi:
        raise DomainError("lsl ({lsl:g}) must be below usl ({usl:g})", lsl=lo, usl=hi)
    if np.isnan(tgt) and not (np.isnan(lo) or np.isnan(hi)):
        tgt = (lo + hi) / 2.0
    return lo, hi, tgt


def _values(data: Any) -> tuple[np.ndarray, float]:
    """All values (flattened, NaN dropped) and σ_within."""
    arr = as_numbers(data)
    if arr.ndim == 1:
        if np.isnan(arr).any():
            raise DomainError("individual values contain a missing value (NaN)")
        if arr.size < 2:
            raise DomainError("capability needs at least 2 values")
        sigma = individuals_sigma(arr, np.ones(arr.size, dtype=bool))[0]
        return arr, sigma
    if arr.ndim != 2 or arr.shape[1] < 2:
        raise DomainError("data must be individual values (1-D) or subgroups (2-D, at least 2 columns)")
    if arr.shape[1] > 25:
        raise DomainError("subgroup size {n} is beyond the constants table (n ≤ 25)", n=arr.shape[1])
    if np.isnan(arr).all(axis=1).any():
        raise DomainError("a subgroup has no values (all NaN)")
    sigma = subgroup_stats(arr, np.ones(arr.shape[0], dtype=bool), "range").sigma
    return arr[~np.isnan(arr)], sigma


def _sided(mean: float, sigma: float, lsl: float, usl: float) -> tuple[float, float, float, float]:
    """(C_p, C_pl, C_pu, C_pk) for one σ; NaN where a limit is missing."""
    cp = (usl - lsl) / (6.0 * sigma)
    cpl = (mean - lsl) / (3.0 * sigma)
    cpu = (usl - mean) / (3.0 * sigma)
    return cp, cpl, cpu, float(np.nanmin([cpl, cpu]))


def _expected_ppm(mean: float, sigma: float, lsl: float, usl: float) -> float:
    below = 0.0 if np.isnan(lsl) else stats.norm.cdf((lsl - mean) / sigma)
    above = 0.0 if np.isnan(usl) else stats.norm.sf((usl - mean) / sigma)
    return float(1e6 * (below + above))


def capability(data: Any, *, lsl: float | None = None, usl: float | None = None,
               target: float | None = None) -> Capability:
    """Capability indices of ``data`` against ``lsl``/``usl`` (either may be None).

    ``target`` defaults to the mid-specification when both limits are given (as qcc);
    Cpm is NaN without a target or with a one-sided specification.
    """
    lo, hi, tgt = _specs(lsl, usl, target)
    x, s_within = _values(data)
    mean = float(x.mean())
    s_overall = float(x.std(ddof=1))
    if s_overall <= 0:
        raise DomainError("all values are identical: σ is zero and capability is undefined")
    cp, cpl, cpu, cpk = _sided(mean, s_within, lo, hi)
    pp, ppl, ppu, ppk = _sided(mean, s_overall, lo, hi)
    cpm = (hi - lo) / (6.0 * np.sqrt(s_within**2 + (mean - tgt) ** 2))
    ppm_overall = _expected_ppm(mean, s_overall, lo, hi)
    outside = (x < lo) | (x > hi)
    return Capability(
        mean=mean, sigma_within=s_within, sigma_overall=s_overall,
        cp=cp, cpl=cpl, cpu=cpu, cpk=cpk, pp=pp, ppl=ppl, ppu=ppu, ppk=ppk, cpm=float(cpm),
        ppm_within=_expected_ppm(mean, s_within, lo, hi), ppm_overall=ppm_overall,
        ppm_observed=float(1e6 * outside.mean()), sigma_level=sigma_level(ppm_overall),
        n=int(x.size), lsl=lo, usl=hi, target=tgt,
    )


def predicted_capability(mean: float, sigma: float, *, lsl: float | None = None,
                         usl: float | None = None) -> Capability:
    """Capability a design is predicted to reach: a normal process with this ``mean`` and ``sigma`` against the
    limits (Cp = Pp, Cpk = Ppk, expected ppm outside); no data, so ``n`` is 0 and observed ppm NaN."""
    lo, hi, tgt = _specs(lsl, usl, None)
    if not isinstance(mean, (int, float)) or not np.isfinite(mean):
        raise DomainError("The predicted mean must be a number, not {value!r}.", value=mean)
    if not isinstance(sigma, (int, float)) or not np.isfinite(sigma) or sigma <= 0:
        raise DomainError("The standard deviation must be a number greater than 0, not {value!r}.", value=sigma)
    cp, cpl, cpu, cpk = _sided(float(mean), float(sigma), lo, hi)
    ppm = _expected_ppm(float(mean), float(sigma), lo, hi)
    return Capability(mean=float(mean), sigma_within=float(sigma), sigma_overall=float(sigma), cp=cp, cpl=cpl,
                      cpu=cpu, cpk=cpk, pp=cp, ppl=cpl, ppu=cpu, ppk=cpk, cpm=NAN, ppm_within=ppm, ppm_overall=ppm,
                      ppm_observed=NAN, sigma_level=sigma_level(ppm), n=0, lsl=lo, usl=hi, target=tgt)


def _chisq_interval(value: float, df: float, alpha: float) -> Interval:
    lo, hi = np.sqrt(stats.chi2.ppf([alpha / 2, 1 - alpha / 2], df) / df)
    return Interval(value, value * lo, value * hi)


def _bissell_interval(value: float, z: float, n: int) -> Interval:
    """Bissell's Ĉ ± z·√(1/(9n) + Ĉ²/(2(n−1))), as qcc; also for an index of 0 or below."""
    half = z * np.hypot(np.sqrt(1.0 / (9.0 * n)), value / np.sqrt(2.0 * (n - 1)))  # hypot: no overflow for huge Ĉ
    return Interval(value, value - half, value + half)


def capability_ci(data: Any, *, lsl: float | None = None, usl: float | None = None,
                  target: float | None = None, confidence: float = 0.95) -> dict[str, Interval]:
    """Indices with confidence intervals, keyed cp, cpl, cpu, cpk, cpm, pp, ppl, ppu, ppk, ppm.

    Same formulas as qcc ``processCapability`` (Chou et al. for Cp/Pp, Bissell for the k
    family, Boyles for Cpm/Ppm); NaN intervals where the index is undefined.
    """
    if not 0 < confidence < 1:
        raise DomainError("confidence must be between 0 and 1, e.g. 0.95")
    cap = capability(data, lsl=lsl, usl=usl, target=target)
    alpha, n = 1 - confidence, cap.n
    one_sided, two_sided = float(stats.norm.ppf(confidence)), float(stats.norm.ppf(1 - alpha / 2))
    out: dict[str, Interval] = {}
    for prefix, sigma in (("c", cap.sigma_within), ("p", cap.sigma_overall)):
        names = dict(zip(("p", "pl", "pu", "pk"), _sided(cap.mean, sigma, cap.lsl, cap.usl)))
        out[f"{prefix}p"] = _chisq_interval(names["p"], n - 1, alpha)
        out[f"{prefix}pl"] = _bissell_interval(names["pl"], one_sided, n)
        out[f"{prefix}pu"] = _bissell_interval(names["pu"], one_sided, n)
        out[f"{prefix}pk"] = _bissell_interval(names["pk"], two_sided, n)
        with np.errstate(over="ignore", invalid="ignore"):   # a vanishing σ: Cpm's interval is NaN, not an error
            xi2 = np.square(np.float64(cap.mean - cap.target) / sigma)
            df = n * (1 + xi2) / (1 + 2 * xi2)
        out[f"{prefix}pm"] = _chisq_interval(names["p"] / np.sqrt(1 + xi2), df, alpha)
    return out


def _boxcox_spec(value: float, lam: float) -> float:
    if np.isnan(value):
        return NAN
    if value <= 0:
        raise DomainError("Box-Cox needs positive specification limits")
    with np.errstate(over="ignore"):
        transformed = float(stats.boxcox(np.array([value]), lmbda=lam)[0])
    if not np.isfinite(transformed) or abs(transformed) > MAX_MAGNITUDE:
        raise DomainError("the Box-Cox transformation (λ = {lam:.3g}) sends the specification limit {value:g} out "
                          "of range: the data are too close to constant or too skewed for it", lam=lam, value=value)
    return transformed


def capability_auto(data: Any, *, lsl: float | None = None, usl: float | None = None,
                    target: float | None = None, alpha: float = 0.05) -> AutoCapability:
    """Capability on the original scale if Anderson-Darling does not reject normality.

    Otherwise (p < ``alpha``) and when all values and limits are positive, data, limits and
    target are Box-Cox transformed with the maximum-likelihood λ and the indices computed on
    that scale; ``method`` says which was used, e.g. "box-cox λ=0.12".
    """
    from statsmodels.stats.diagnostic import normal_ad  # heavy import, only needed here

    arr = as_numbers(data)
    flat = arr[~np.isnan(arr)]
    if flat.size < 8:
        raise DomainError("the normality check needs at least 8 values")
    normal = capability(arr, lsl=lsl, usl=usl, target=target)      # refuses constant data first
    ad_stat, ad_p = (float(v) for v in normal_ad(flat))
    if ad_p >= alpha:
        return AutoCapability(normal, "normal", ad_stat, ad_p)
    if (flat <= 0).any():
        return AutoCapability(normal, "normal (not normal, but Box-Cox needs positive data)", ad_stat, ad_p)
    _, lam = stats.boxcox(flat)
    lam = float(lam)
    transformed = np.full(arr.shape, np.nan)
    transformed[~np.isnan(arr)] = stats.boxcox(flat, lmbda=lam)
    specs = {name: _boxcox_spec(_spec(v, name), lam) for name, v in (("lsl", lsl), ("usl", usl), ("target", target))}
    result = capability(transformed, **{k: (None if np.isnan(v) else v) for k, v in specs.items()})
    return AutoCapability(replace(result), f"box-cox λ={lam:.3g}", ad_stat, ad_p, lam)


def sigma_level(dpmo: float, shift: float = 1.5) -> float:
    """Short-term sigma level Φ⁻¹(1 - dpmo/1e6) + shift (3.4 DPMO → 6.0)."""
    value = float(dpmo)
    if not 0 <= value <= 1e6:
        raise DomainError("dpmo must be between 0 and 1,000,000, got {dpmo}", dpmo=dpmo)
    return float(stats.norm.isf(value / 1e6) + shift)


def dpmo(defects: float, units: float, opportunities: float = 1) -> float:
    """Defects per million opportunities: 1e6·defects/(units·opportunities)."""
    d, u, o = float(defects), float(units), float(opportunities)
    if d < 0 or u <= 0 or o <= 0:
        raise DomainError("defects must be ≥ 0 and units and opportunities > 0")
    if d > u * o:
        raise DomainError("more defects than opportunities: check units and opportunities per unit")
    return 1e6 * d / (u * o)

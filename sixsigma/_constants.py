"""Control-chart constants d2, d3, c4 and the factors derived from them (n = 2..25).

d2(n) = E[R]/σ and d3(n) = SD[R]/σ for the range R of n independent normal values are
computed once by numerical integration; c4(n) = E[S]/σ from the gamma function.

Conventions (Montgomery, *Introduction to SQC*, Appendix VI; R package qcc):

* :func:`d2` is the classic three-decimal table value (d2(2) = 1.128, d2(5) = 2.326); this is
  what Montgomery, qcc and the public contract (σ = MR̄/1.128) use to estimate σ.
  :func:`d2_exact` gives the unrounded integral (SAS/QC uses it).
* :func:`d3` and :func:`c4` are unrounded, as qcc uses them for R and S chart limits.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from scipy import special

from errors import DomainError

__all__ = ["A2", "A3", "B3", "B4", "D3", "D4", "MAX_N", "c4", "d2", "d2_exact", "d3"]

MIN_N = 2
MAX_N = 25


def check_size(n: int) -> int:
    """Return ``n`` as int if the tables cover it, else raise a ValueError a belt can act on."""
    if not float(n).is_integer():
        raise DomainError("subgroup size must be a whole number, got {n}", n=n)
    n = int(n)
    if n < MIN_N:
        raise DomainError(
            "subgroup size {n} is too small: ranges and standard deviations need at least "
            "2 values per subgroup (use an I-MR chart for individual values)", n=n
        )
    if n > MAX_N:
        raise DomainError(
            "subgroup size {n} is beyond the constants table (n ≤ {most}); "
            "split the subgroups or use an X̄-S chart on smaller subgroups", n=n, most=MAX_N
        )
    return n


def _gauss_legendre(lo: float, hi: float, k: int) -> tuple[np.ndarray, np.ndarray]:
    nodes, weights = np.polynomial.legendre.leggauss(k)
    return 0.5 * (hi - lo) * nodes + 0.5 * (hi + lo), 0.5 * (hi - lo) * weights


@cache
def _range_moments_table() -> dict[int, tuple[float, float]]:
    """(E[R], SD[R]) of the range of n standard normal values for n = 2..25.

    E[R] = ∫ 1 - Φ(x)^n - (1-Φ(x))^n dx and E[R²] = 2∫ r·P(R > r) dr with
    P(R ≤ r) = n∫ φ(x) (Φ(x+r) - Φ(x))^(n-1) dx, by Gauss-Legendre quadrature (error < 1e-8).
    """
    x, wx = _gauss_legendre(-9.0, 9.0, 240)
    r, wr = _gauss_legendre(0.0, 15.0, 240)
    cdf_x = special.ndtr(x)
    pdf_x = np.exp(-0.5 * x * x) / np.sqrt(2.0 * np.pi)
    band = special.ndtr(x[None, :] + r[:, None]) - cdf_x[None, :]
    out: dict[int, tuple[float, float]] = {}
    for n in range(MIN_N, MAX_N + 1):
        mean = float(np.sum(wx * (1.0 - cdf_x**n - (1.0 - cdf_x) ** n)))
        range_cdf = n * (band ** (n - 1)) @ (wx * pdf_x)
        second = 2.0 * float(np.sum(wr * r * (1.0 - range_cdf)))
        out[n] = (mean, float(np.sqrt(second - mean**2)))
    return out


def _range_moments(n: int) -> tuple[float, float]:
    return _range_moments_table()[n]


def d2_exact(n: int) -> float:
    """Expected range of n standard normal values (unrounded)."""
    return _range_moments(check_size(n))[0]


def d2(n: int) -> float:
    """Classic three-decimal d2(n) (Montgomery Appendix VI, qcc), used to estimate σ = R̄/d2."""
    return round(d2_exact(n), 3)


def d3(n: int) -> float:
    """Standard deviation of the range of n standard normal values."""
    return _range_moments(check_size(n))[1]


def c4(n: int) -> float:
    """E[S]/σ for samples of n normal values: sqrt(2/(n-1)) Γ(n/2)/Γ((n-1)/2)."""
    n = check_size(n)
    return float(np.sqrt(2.0 / (n - 1)) * np.exp(special.gammaln(n / 2) - special.gammaln((n - 1) / 2)))


def A2(n: int) -> float:
    """X̄ limits from R̄: X̿ ± A2·R̄."""
    return 3.0 / (d2(n) * np.sqrt(n))


def A3(n: int) -> float:
    """X̄ limits from S̄: X̿ ± A3·S̄."""
    return 3.0 / (c4(n) * np.sqrt(n))


def D3(n: int) -> float:
    """R chart lower factor: LCL = D3·R̄ (clipped at 0)."""
    return max(0.0, 1.0 - 3.0 * d3(n) / d2(n))


def D4(n: int) -> float:
    """R chart upper factor: UCL = D4·R̄."""
    return 1.0 + 3.0 * d3(n) / d2(n)


def _s_spread(n: int) -> float:
    return 3.0 * np.sqrt(1.0 - c4(n) ** 2) / c4(n)


def B3(n: int) -> float:
    """S chart lower factor: LCL = B3·S̄ (clipped at 0)."""
    return max(0.0, 1.0 - _s_spread(n))


def B4(n: int) -> float:
    """S chart upper factor: UCL = B4·S̄."""
    return 1.0 + _s_spread(n)


def table(fn, sizes: np.ndarray) -> np.ndarray:
    """Vectorised lookup of a constant for an array of subgroup sizes (NaN below 2)."""
    out = np.full(sizes.shape, np.nan)
    for n in np.unique(sizes[sizes >= MIN_N]):
        out[sizes == n] = fn(int(n))
    return out

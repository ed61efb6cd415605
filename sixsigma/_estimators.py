"""Per-kind statistics and limits for one stage of a control chart (pure NumPy).

Each builder takes the samples of one stage and a boolean mask of the samples that estimate
the limits (phase I minus excluded points) and returns :class:`Piece` objects, one per plotted
statistic. Estimators follow Montgomery and the R package qcc:

* σ from subgroups: mean of R_i/d2(n_i) (X̄-R) or S_i/c4(n_i) (X̄-S) over phase-I subgroups
  (qcc "UWAVE"; with equal n this is R̄/d2 and S̄/c4);
* X̄ centre: grand mean of all phase-I values; R/S centre: Σn_i·R_i/Σn_i, limits
  centre ± 3·d3(n_i)·σ or centre ± 3·σ·sqrt(1 - c4(n_i)²), clipped at 0;
* individuals: σ = MR̄/d2(2) = MR̄/1.128, moving ranges of consecutive phase-I values only;
* p, u: p̄ = Σd/Σn, ū = Σc/Σn with per-sample limits; Laney p', u': σ_z = MR̄(z)/1.128;
* EWMA: exact time-varying limits target ± L·sqrt(σ²·λ²·Σ(1-λ)^(2(i-j))/n_j);
* CUSUM: tabular C+ and C- of standardised means, k and h in σ units.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.signal import lfilter

from errors import DomainError
from sixsigma import _constants as K

__all__ = ["BUILDERS", "Lines", "Options", "Piece"]


@dataclass
class Options:
    """Chart parameters that some kinds use."""

    target: float | None = None
    lam: float = 0.2
    L: float = 3.0
    k: float = 0.5
    h: float = 5.0


@dataclass
class Lines:
    """A plotted statistic with centre and limits per sample and the process σ behind them."""

    name: str
    values: np.ndarray
    center: np.ndarray
    ucl: np.ndarray
    lcl: np.ndarray
    sigma: float


@dataclass
class Piece(Lines):
    """One plotted statistic of one stage."""

    limits_only: bool = False
    details: dict[str, float] = field(default_factory=dict)


def _full(m: int, value: float) -> np.ndarray:
    return np.full(m, float(value))


def _band(
    name: str, values: np.ndarray, center: Any, spread: Any, sigma: float, clip: bool, **details: float
) -> Piece:
    """A Shewhart chart: centre ± 3·spread, lower limit clipped at 0 when ``clip``."""
    m = values.size
    center = np.broadcast_to(np.asarray(center, dtype=float), (m,)).copy()
    spread = np.broadcast_to(np.asarray(spread, dtype=float), (m,))
    lcl = center - 3.0 * spread
    return Piece(
        name, values, center, center + 3.0 * spread, np.maximum(lcl, 0.0) if clip else lcl, sigma,
        details=details,
    )


def _nonzero(sigma: float, what: str) -> float:
    if not np.isfinite(sigma) or sigma <= 0:
        raise DomainError(
            "{what} is zero: the phase-I data do not vary, so control limits cannot be set "
            "(check the measurement resolution or use more phase-I samples)", what=what
        )
    return float(sigma)


def individuals_sigma(x: np.ndarray, est: np.ndarray) -> tuple[float, np.ndarray, float]:
    """(σ = MR̄/1.128, moving ranges with NaN first, MR̄) from consecutive phase-I values."""
    mr = np.empty(x.size)
    mr[0] = np.nan
    np.abs(np.diff(x), out=mr[1:])
    pairs = est[1:] & est[:-1]
    if not pairs.any():
        raise DomainError(
            "need at least two consecutive phase-I values: σ is estimated from moving ranges"
        )
    mrbar = float(mr[1:][pairs].mean())
    return _nonzero(mrbar / K.d2(2), "the average moving range"), mr, mrbar


@dataclass
class _Subgroups:
    means: np.ndarray
    sizes: np.ndarray
    spread: np.ndarray  # R_i or S_i, NaN where n_i < 2
    usable: np.ndarray  # phase-I subgroups with n_i >= 2
    sigma: float
    grand_mean: float


def subgroup_stats(rows: np.ndarray, est: np.ndarray, spread: str) -> _Subgroups:
    """Means, sizes, ranges or standard deviations and σ of 2-D subgroups (NaN = missing)."""
    present = ~np.isnan(rows)
    n = present.sum(axis=1)
    filled = np.where(present, rows, 0.0)
    means = filled.sum(axis=1) / n
    ok = n >= 2
    if spread == "range":
        stat = np.where(ok, np.where(present, rows, -np.inf).max(1) - np.where(present, rows, np.inf).min(1), np.nan)
        unbias = K.table(K.d2, n)
    else:
        ss = (np.where(present, rows - means[:, None], 0.0) ** 2).sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            stat = np.where(ok, np.sqrt(ss / (n - 1)), np.nan)
        unbias = K.table(K.c4, n)
    usable = est & ok
    if not usable.any():
        raise DomainError("no phase-I subgroup has two or more values, so σ cannot be estimated")
    sigma = _nonzero(float(np.mean(stat[usable] / unbias[usable])), "the within-subgroup σ")
    grand = float(np.sum(means[est] * n[est]) / np.sum(n[est]))
    return _Subgroups(means, n.astype(float), stat, usable, sigma, grand)


def _xbar_pair(rows: np.ndarray, est: np.ndarray, opts: Options, spread: str) -> list[Piece]:
    sg = subgroup_stats(rows, est, spread)
    xbar = _band("xbar", sg.means, sg.grand_mean, sg.sigma / np.sqrt(sg.sizes), sg.sigma, clip=False)
    center = np.sum(sg.sizes[sg.usable] * sg.spread[sg.usable]) / np.sum(sg.sizes[sg.usable])
    if spread == "range":
        sd = K.table(K.d3, sg.sizes) * sg.sigma
    else:
        sd = sg.sigma * np.sqrt(1.0 - K.table(K.c4, sg.sizes) ** 2)
    second = _band("range" if spread == "range" else "stdev", sg.spread, center, sd, sg.sigma, clip=True)
    return [xbar, second]


def _i_mr(x: np.ndarray, est: np.ndarray, opts: Options) -> list[Piece]:
    sigma, mr, mrbar = individuals_sigma(x, est)
    center = float(x[est].mean())
    ind = _band("individuals", x, center, sigma, sigma, clip=False)
    mr_chart = _band("moving_range", mr, mrbar, K.d3(2) * sigma, sigma, clip=True)
    mr_chart.limits_only = True
    return [ind, mr_chart]


def _pooled_rate(counts: np.ndarray, sizes: np.ndarray, est: np.ndarray, what: str) -> float:
    rate = float(counts[est].sum() / sizes[est].sum())
    if rate <= 0:
        raise DomainError(
            "no {what} in the phase-I samples: the centre line is 0 and limits collapse; "
            "collect more data before charting", what=what
        )
    return rate


def _laney_factor(rate: np.ndarray, center: float, sd: np.ndarray, est: np.ndarray) -> float:
    """Laney's σ_z: moving range of the phase-I z-scores divided by 1.128."""
    z = (rate - center) / sd
    return individuals_sigma(z, est)[0]


def _binomial_rate(counts: np.ndarray, sizes: np.ndarray, est: np.ndarray) -> float:
    pbar = _pooled_rate(counts, sizes, est, "nonconforming units")
    if pbar >= 1:
        raise DomainError("every phase-I unit is nonconforming (p̄ = 1): limits collapse")
    return pbar


def _rate_chart(name: str, counts: np.ndarray, sizes: np.ndarray, est: np.ndarray, laney: bool) -> list[Piece]:
    """p / u chart (per-sample limits), or Laney's p' / u' with limits widened by σ_z."""
    binomial = name == "p"
    center = _binomial_rate(counts, sizes, est) if binomial else _pooled_rate(counts, sizes, est, "nonconformities")
    rate = counts / sizes
    sd = np.sqrt(center * (1 - center) / sizes) if binomial else np.sqrt(center / sizes)
    details = {f"{name}bar": center}
    if laney:
        details["sigma_z"] = _laney_factor(rate, center, sd, est)
        sd = sd * details["sigma_z"]
    return [_band(f"laney_{name}" if laney else name, rate, center, sd, np.nan, clip=True, **details)]


def _np(counts: np.ndarray, sizes: np.ndarray, est: np.ndarray, opts: Options) -> list[Piece]:
    pbar = _binomial_rate(counts, sizes, est)
    n = sizes[0]
    return [_band("np", counts, n * pbar, np.sqrt(n * pbar * (1 - pbar)), np.nan, clip=True, pbar=pbar)]


def _c(counts: np.ndarray, sizes: np.ndarray, est: np.ndarray, opts: Options) -> list[Piece]:
    cbar = _pooled_rate(counts, np.ones_like(counts), est, "nonconformities")
    return [_band("c", counts, cbar, np.sqrt(cbar), np.nan, clip=True, cbar=cbar)]


def _means_and_sigma(data: np.ndarray, est: np.ndarray) -> tuple[np.ndarray, np.ndarray, float, float]:
    """(means, sizes, σ, phase-I mean) for EWMA/CUSUM from individuals or subgroups."""
    if data.ndim == 1:
        sigma = individuals_sigma(data, est)[0]
        return data, np.ones(data.size), sigma, float(data[est].mean())
    sg = subgroup_stats(data, est, "range")
    return sg.means, sg.sizes, sg.sigma, sg.grand_mean


def _ewma(data: np.ndarray, est: np.ndarray, opts: Options) -> list[Piece]:
    means, n, sigma, mean = _means_and_sigma(data, est)
    target = mean if opts.target is None else float(opts.target)
    lam = opts.lam
    z = lfilter([lam], [1.0, lam - 1.0], means, zi=[(1.0 - lam) * target])[0]
    var = lfilter([lam**2], [1.0, -((1.0 - lam) ** 2)], sigma**2 / n)
    half = opts.L * np.sqrt(var)
    center = _full(z.size, target)
    piece = Piece("ewma", z, center, center + half, center - half, sigma, limits_only=True)
    piece.details.update(target=target, lam=lam, L=opts.L)
    return [piece]


def _cusum_side(steps: np.ndarray) -> np.ndarray:
    """C_i = max(0, C_(i-1) + step_i), C_0 = 0, without a Python loop."""
    path = np.cumsum(steps)
    return path - np.minimum.accumulate(np.minimum(path, 0.0))


def _cusum(data: np.ndarray, est: np.ndarray, opts: Options) -> list[Piece]:
    means, n, sigma, mean = _means_and_sigma(data, est)
    target = mean if opts.target is None else float(opts.target)
    y = (means - target) / (sigma / np.sqrt(n))
    m = y.size
    pieces = []
    for name, steps in (("cusum_upper", y - opts.k), ("cusum_lower", -y - opts.k)):
        piece = Piece(name, _cusum_side(steps), _full(m, 0.0), _full(m, opts.h), _full(m, np.nan), sigma, True)
        piece.details.update(target=target, k=opts.k, h=opts.h)
        pieces.append(piece)
    return pieces


BUILDERS = {
    "i_mr": _i_mr,
    "xbar_r": lambda rows, est, opts: _xbar_pair(rows, est, opts, "range"),
    "xbar_s": lambda rows, est, opts: _xbar_pair(rows, est, opts, "stdev"),
    "ewma": _ewma,
    "cusum": _cusum,
    "p": lambda c, n, est, opts: _rate_chart("p", c, n, est, laney=False),
    "laney_p": lambda c, n, est, opts: _rate_chart("p", c, n, est, laney=True),
    "np": _np,
    "c": _c,
    "u": lambda c, n, est, opts: _rate_chart("u", c, n, est, laney=False),
    "laney_u": lambda c, n, est, opts: _rate_chart("u", c, n, est, laney=True),
}

ATTRIBUTE_KINDS = frozenset({"p", "laney_p", "np", "c", "u", "laney_u"})

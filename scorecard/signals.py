"""Signal or noise: are a KPI's recent months explained by its own pattern as it stood before them?

A red month is not news when the KPI's level, trend, season and month-to-month dependence predict
it; a month the pattern does not predict is. The history before the recent window (since the
current stage, a known process change) is fitted with a few candidate regressions — level,
level + trend, each optionally with a monthly season (one yearly harmonic, or twelve monthly means
when at least 24 months are known) and optionally following the previous month (AR(1)) — and the
one with the smallest information criterion (BIC with a 1.5× penalty) predicts the recent months dynamically with prediction bands that
include the uncertainty of its parameters. The recent months signal when one of them lies beyond
its Bonferroni-corrected band (``outside_band``) or when their generalised-least-squares mean
residual is a sustained shift (``sustained_shift``). ``bench/bench_signals.py`` measures the
false-alarm and detection rates these thresholds give.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

MIN_POINTS = 8          # fewest months of history (before the recent window, in the current stage) to judge
SEASON_POINTS = 24      # a monthly season is only tried with at least two years of history
ALPHA_MONTH = 0.003     # family-wise two-sided level of the per-month band test (split over the recent months)
ALPHA_SHIFT = 0.06      # two-sided level of the sustained-shift test (0.05 found a 3σ step in the combined case 79.6 % of the time)
PERIOD = 12
# Extra small-sample bias of φ̂ per pattern part, in units of (1 + φ)/n (measured by simulation, bench/).
BIAS_WEIGHT = {"harmonic": 1.25, "monthly": -0.5}
PENALTY = 1.5           # model choice: n·log(SSE/n) + PENALTY·k·log n (BIC × 1.5; fewer spurious trends)
AR_CHOICES = (True,)  # the previous month is always a candidate regressor (φ̂ ≈ 0 costs little)


@dataclass(frozen=True)
class SignalStatus:
    """The verdict for one KPI: ``signal``, ``noise`` or ``short`` (too little history), and why.

    ``rules`` names the tests that fired (``outside_band``, ``sustained_shift``). ``month`` is the 0-based
    index (in ``values``) of the recent month furthest from its prediction, ``sigmas`` how many standard
    errors of prediction it lies from it (signed: above is positive); ``shift_sigmas`` is the same for the
    recent window's mean shift. ``model`` lists the pattern's parts (``level``, ``trend``, ``season``,
    ``previous month``). For the chart: ``start`` (first month of the history used), ``fitted`` (the
    pattern over that history, NaN where undefined), ``predicted``, ``lower``, ``upper`` (the recent
    months' prediction and the band the verdict used) and ``z`` (each recent month in standard errors).
    """

    verdict: str
    rules: tuple[str, ...] = ()
    month: int | None = None
    sigmas: float = float("nan")
    shift_sigmas: float = float("nan")
    model: tuple[str, ...] = ()
    start: int = 0
    fitted: tuple[float, ...] = ()
    predicted: tuple[float, ...] = ()
    lower: tuple[float, ...] = ()
    upper: tuple[float, ...] = ()
    z: tuple[float, ...] = ()
    band_sigmas: float = float("nan")
    extra: Mapping[str, float] = field(default_factory=dict, compare=False)

    @property
    def direction(self) -> str:
        """``above`` or ``below`` for the month furthest from its prediction ("" when not judged)."""
        if not math.isfinite(self.sigmas):
            return ""
        return "above" if self.sigmas > 0 else "below"


@dataclass(frozen=True)
class _Fit:
    parts: tuple[str, ...]
    beta: np.ndarray
    sigma2: float
    cov_unscaled: np.ndarray
    df: int
    score: float
    fitted: np.ndarray


def _regressors(times: np.ndarray, trend: bool, season: str, origin: int) -> np.ndarray:
    """Design columns (without the lagged value) for absolute month indices ``times``."""
    columns = [np.ones(len(times))]
    if trend:
        columns.append((times - origin) / PERIOD)
    if season == "harmonic":
        angle = 2 * np.pi * times / PERIOD
        columns += [np.cos(angle), np.sin(angle)]
    elif season == "monthly":
        phase = times % PERIOD
        columns += [(phase == k).astype(float) for k in range(1, PERIOD)]
    return np.column_stack(columns)


def _fit(y: np.ndarray, times: np.ndarray, trend: bool, season: str, ar: bool) -> _Fit | None:
    """OLS of y[1:] on the pattern (and y[:-1] for AR(1)); every candidate uses the same sample."""
    x = _regressors(times[1:], trend, season, int(times[0]))
    if ar:
        x = np.column_stack([x, y[:-1]])
    target = y[1:]
    n, k = x.shape
    if n - k < 3 or np.linalg.matrix_rank(x) < k:
        return None
    beta, *_ = np.linalg.lstsq(x, target, rcond=None)
    resid = target - x @ beta
    sse = float(resid @ resid)
    if ar:
        # OLS underestimates φ in short series (Kendall 1954: bias ≈ −(1 + 3φ)/n with a mean; a trend adds
        # about −(1 + φ)/n); correct φ and refit the pattern given it, keeping the OLS residuals for the model choice.
        phi = float(beta[-1])
        for _ in range(3):
            phi = float(beta[-1]) + ((1 + 3 * phi) + (1 + phi) * (trend + BIAS_WEIGHT.get(season, 0.0))) / n
        phi = min(max(phi, -0.95), 0.95)
        pattern, *_ = np.linalg.lstsq(x[:, :-1], target - phi * y[:-1], rcond=None)
        beta = np.concatenate([pattern, [phi]])
    sigma2 = float(np.sum((target - x @ beta) ** 2)) / (n - k)
    params = k + 1
    score = n * math.log(max(sse, 1e-300) / n) + PENALTY * params * math.log(n)
    parts = ("level",) + (("trend",) if trend else ()) + (("season",) if season else ()) + (("previous month",) if ar else ())
    fitted = np.concatenate([[np.nan], x @ beta])
    return _Fit(parts, beta, sigma2, np.linalg.pinv(x.T @ x), n - k, score, fitted)


def _forecast(fit: _Fit, y: np.ndarray, times: np.ndarray, ahead: np.ndarray, trend: bool, season: str,
              ar: bool) -> tuple[np.ndarray, np.ndarray]:
    """Dynamic forecast of months ``ahead`` and its error covariance (noise + parameter uncertainty)."""
    x = _regressors(ahead, trend, season, int(times[0]))
    h = len(ahead)
    if not ar:
        mean = x @ fit.beta
        cov = fit.sigma2 * (np.eye(h) + x @ fit.cov_unscaled @ x.T)
        return mean, cov
    beta, phi = fit.beta[:-1], float(fit.beta[-1])
    mean = np.empty(h)
    jac = np.zeros((h, len(fit.beta)))
    previous, d_previous = float(y[-1]), np.zeros(len(fit.beta))
    for step in range(h):
        mean[step] = x[step] @ beta + phi * previous
        d = np.concatenate([x[step], [previous]]) + phi * d_previous
        jac[step] = d
        previous, d_previous = mean[step], d
    psi = np.array([[phi ** (i - j) if i >= j else 0.0 for j in range(h)] for i in range(h)])
    cov = fit.sigma2 * (psi @ psi.T + jac @ fit.cov_unscaled @ jac.T)
    return mean, cov


def _candidates(points: int) -> Iterable[tuple[bool, str, bool]]:
    seasons = ["", "harmonic"] if points >= PERIOD + 2 else [""]
    if points >= SEASON_POINTS:
        seasons.append("monthly")
    for trend in (False, True):
        for season in seasons:
            for ar in AR_CHOICES:
                yield trend, season, ar


def _stage_start(n: int, recent: int, stages: Sequence[int] | None) -> int | None:
    """First index of the history to use; None when a stage starts inside the recent window."""
    start = 0
    for stage in sorted(int(s) for s in (stages or ())):
        if stage <= 0 or stage >= n:
            continue
        if stage > n - recent:
            return None
        start = stage
    return start


def recent_signal(values: np.ndarray | Sequence[float], recent: int = 3,
                  stages: Sequence[int] | None = None) -> SignalStatus:
    """Judge the last ``recent`` months of a monthly series (oldest first) against its own earlier pattern.

    ``stages``: 0-based indices where a new stage starts (a known process change); only the history
    since the stage holding the recent months counts, and a stage starting inside the recent window
    leaves too little of it (``short``). NaN values are dropped (as missing months).
    """
    values = np.asarray(values, dtype=float)
    keep = ~np.isnan(values)
    positions = np.flatnonzero(keep)
    values = values[keep]
    n = len(values)
    if recent < 1 or n <= recent:
        return SignalStatus("short")
    start = _stage_start(n, recent, [int(np.searchsorted(positions, s)) for s in (stages or ())])
    if start is None:
        return SignalStatus("short", start=n)
    history = values[start:n - recent]
    actual = values[n - recent:]
    if len(history) < MIN_POINTS or np.ptp(history) == 0:
        return SignalStatus("short", start=start)
    # Months are counted from the series' first month so the season is anchored to the calendar.
    times = np.arange(start, n - recent, dtype=float)
    ahead = np.arange(n - recent, n, dtype=float)
    best = None
    for trend, season, ar in _candidates(len(history)):
        fit = _fit(history, times, trend, season, ar)
        if fit is not None and (best is None or fit.score < best[0].score):
            best = (fit, trend, season, ar)
    if best is None:
        return SignalStatus("short", start=start)
    fit, trend, season, ar = best
    mean, cov = _forecast(fit, history, times, ahead, trend, season, ar)
    se = np.sqrt(np.diag(cov))
    resid = actual - mean
    z = resid / se
    band = float(stats.t.ppf(1 - ALPHA_MONTH / (2 * recent), fit.df))
    shift_limit = float(stats.t.ppf(1 - ALPHA_SHIFT / 2, fit.df))
    ones = np.ones(recent)
    weights = np.linalg.solve(cov, ones)
    shift = float(weights @ resid / math.sqrt(weights @ ones))
    rules = []
    if np.any(np.abs(z) > band):
        rules.append("outside_band")
    if recent > 1 and abs(shift) > shift_limit:
        rules.append("sustained_shift")
    worst = int(np.argmax(np.abs(z)))
    return SignalStatus(
        "signal" if rules else "noise", tuple(rules), month=n - recent + worst, sigmas=float(z[worst]),
        shift_sigmas=shift, model=fit.parts, start=start, fitted=tuple(float(v) for v in fit.fitted),
        predicted=tuple(float(v) for v in mean), lower=tuple(float(v) for v in mean - band * se),
        upper=tuple(float(v) for v in mean + band * se), z=tuple(float(v) for v in z), band_sigmas=band,
        extra={"shift_limit": shift_limit, "sigma": math.sqrt(fit.sigma2)})


def signal_table(measurements: pd.DataFrame, segment: str, until: str, recent: int = 3,
                 stages: Mapping[int, Sequence[str]] | None = None) -> pd.DataFrame:
    """Signal-or-noise verdict of every KPI's monthly actuals up to ``until`` for one segment.

    ``stages``: optional start months (``"YYYY-MM"``) of each KPI's stages, by KPI id.
    """
    mine = measurements[(measurements["segment"] == segment) & (measurements["period"] <= until)]
    rows = []
    for kpi_id, group in mine.groupby("kpi_id", sort=False):
        group = group.dropna(subset=["actual"]).sort_values("period")
        periods = group["period"].astype(str).str[:7].tolist()
        starts = stage_indices(periods, (stages or {}).get(kpi_id, ()))
        status = recent_signal(group["actual"].to_numpy(dtype=float), recent, stages=starts)
        rows.append({"kpi_id": kpi_id, "signal": status.verdict, "signal_rules": ", ".join(status.rules),
                     "signal_sigmas": status.sigmas})
    return pd.DataFrame(rows, columns=["kpi_id", "signal", "signal_rules", "signal_sigmas"])


def stage_indices(periods: Sequence[str], starts: Iterable[str]) -> list[int]:
    """0-based positions in ``periods`` (sorted ``YYYY-MM`` months) where the stages starting in ``starts`` begin."""
    months = list(periods)
    return sorted({bisect.bisect_left(months, str(s)[:7]) for s in starts})

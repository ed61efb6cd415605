"""Forecasts of a KPI's monthly actuals and the probability of meeting a target.

Model (one per history, shared by :func:`forecast` and :func:`probability_of_target`):

* 8 or more months: additive-error exponential smoothing state-space models
  (statsmodels ``ETSModel``): level only (ETS A,N,N), additive trend (A,A,N, from 10 months),
  damped trend (A,Ad,N, from 12 months), additive seasonality (A,N,A and A,Ad,A) once there
  are three full years (36 months), a random walk with and without drift (ETS A,N,N and A,A,N
  with α held at 1), and an AR(1) around a mean (``SARIMAX``, averaged over its coefficient's
  uncertainty) for KPIs that revert to their usual level. Every candidate's exact Gaussian
  likelihood gives an AICc (Hyndman & Athanasopoulos, *Forecasting: Principles and Practice*,
  ch. 8); rather than betting on one model, the predictive distribution is the mixture of the
  candidates' distributions weighted by their Akaike weights (Burnham & Anderson), so
  uncertainty about which model holds widens the intervals. Each candidate's distribution has its analytic mean
  and variance with σ² rescaled from the ML n to n − p (p mean parameters) and Student-t tails
  with n − p degrees of freedom, to allow for parameters estimated from a short history.
  ``forecast(...).attrs["model"]`` lists the models and weights.
* 2 to 7 months: too few for a state-space model. The months are treated as independent draws
  around a stable mean: predictive distribution mean ± t(n−1)·s·√(1 + 1/n), deliberately wide.
* A constant history forecasts itself with no spread: the probability is 1 or 0.

History: a pandas Series indexed by monthly PeriodIndex or DatetimeIndex, oldest first.
Missing months inside the history (absent or NaN) are filled by linear interpolation; leading
and trailing NaN are dropped. Fewer than 2 months, non-numeric values or an index that is not
monthly raise ValueError.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import optimize, special, stats
from statsmodels.tsa.exponential_smoothing.ets import ETSModel
from statsmodels.tsa.statespace.sarimax import SARIMAX

from errors import DomainError

MIN_POINTS = 2
MIN_MODEL_POINTS = 8
SEASONAL_POINTS = 36
SEASON = 12
LEVELS = (0.80, 0.95)
FIT_HORIZON = 12  # every fit projects at least a year ahead, so all shorter horizons share it
DIRECTIONS = ("higher", "lower")
SHIFT_NODES = 48  # quadrature points over a t's scale when a scenario's shift is uncertain
# (name, ETSModel keyword arguments, minimum history)
CANDIDATES = (
    ("ETS(A,N,N)", {}, MIN_MODEL_POINTS),
    ("ETS(A,A,N)", {"trend": "add"}, 10),
    ("ETS(A,Ad,N)", {"trend": "add", "damped_trend": True}, 12),
    ("ETS(A,N,A)", {"seasonal": "add", "seasonal_periods": SEASON}, SEASONAL_POINTS),
    ("ETS(A,Ad,A)", {"trend": "add", "damped_trend": True, "seasonal": "add", "seasonal_periods": SEASON},
     SEASONAL_POINTS),
)


@lru_cache(maxsize=256)
def _chi_square_nodes(df: float) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights of E[f(V)], V ~ χ²(df), by generalised Gauss–Laguerre quadrature."""
    nodes, weights = special.roots_genlaguerre(SHIFT_NODES, df / 2 - 1)
    return 2 * nodes, weights / weights.sum()


def _shifted_tail(margin: float, scale: float, df: float, shift_sd: float) -> float:
    """P(scale·T(df) + N(0, shift_sd²) ≤ margin), T and the normal independent.

    T is a normal over an independent √(V/df), V ~ χ²(df); given V the sum is normal with
    variance scale²·df/V + shift_sd², so the chance is that normal's averaged over V.
    """
    if scale == 0 or not np.isfinite(df):
        return float(special.ndtr(margin / np.hypot(scale, shift_sd)))
    draws, weights = _chi_square_nodes(float(df))
    return float(weights @ special.ndtr(margin / np.sqrt(scale ** 2 * df / draws + shift_sd ** 2)))


@dataclass(frozen=True)
class Predictive:
    """Predictive distributions for horizons 1..H: a mixture of ``means + scales · T(dfs)``.

    Arrays are (models × horizons); ``weights`` (summing to 1) are the models' Akaike weights.
    """

    model: str
    means: np.ndarray
    scales: np.ndarray
    dfs: np.ndarray
    weights: np.ndarray

    def until(self, horizon: int) -> Predictive:
        """The same distributions for horizons 1..``horizon`` only."""
        return Predictive(self.model, self.means[:, :horizon], self.scales[:, :horizon], self.dfs, self.weights)

    @property
    def mean(self) -> np.ndarray:
        return self.weights @ self.means

    def cdf(self, value: float, horizon: int) -> float:
        """P(actual ≤ value) ``horizon`` months ahead."""
        means, scales = self.means[:, horizon - 1], self.scales[:, horizon - 1]
        with np.errstate(divide="ignore", invalid="ignore"):
            parts = np.where(scales > 0, special.stdtr(self.dfs, (value - means) / scales), (means <= value).astype(float))
        return float(np.clip(self.weights @ parts, 0.0, 1.0))

    def quantile(self, q: float, horizon: int) -> float:
        means, scales = self.means[:, horizon - 1], self.scales[:, horizon - 1]
        if np.all(scales == 0) or len(means) == 1:
            return float(means[0] + scales[0] * stats.t.ppf(q, self.dfs[0]))
        spread = np.max(scales * stats.t.ppf(1 - (1 - q if q > 0.5 else q) / 10, self.dfs))
        low, high = means.min() - spread, means.max() + spread
        return float(optimize.brentq(lambda v: self.cdf(v, horizon) - q, low, high, xtol=1e-9 * max(1.0, abs(high))))

    def interval(self, level: float) -> tuple[np.ndarray, np.ndarray]:
        horizons = range(1, self.means.shape[1] + 1)
        lower = [self.quantile((1 - level) / 2, h) for h in horizons]
        upper = [self.quantile((1 + level) / 2, h) for h in horizons]
        return np.array(lower), np.array(upper)

    def probability_at_least(self, value: float, horizon: int) -> float:
        means, scales = self.means[:, horizon - 1], self.scales[:, horizon - 1]
        with np.errstate(divide="ignore", invalid="ignore"):
            parts = np.where(scales > 0, special.stdtr(self.dfs, (means - value) / scales), (means >= value).astype(float))
        return float(np.clip(self.weights @ parts, 0.0, 1.0))

    def probability_at_most(self, value: float, horizon: int) -> float:
        return self.cdf(value, horizon)

    def probability(self, target: float, horizon: int, direction: str = "higher", *, shift: float = 0.0,
                    shift_sd: float = 0.0) -> float:
        """Probability that the actual ``horizon`` months ahead, moved by an independent N(``shift``, ``shift_sd``²),
        meets ``target`` (≥ when higher is better, else ≤).

        With ``shift_sd`` 0 it is the plain chance at ``target − shift``; with a spread each model's
        t is written as a scale mixture of normals (:func:`_shifted_tail`, within 0.1 points of
        numerical integration even for 1–2 degrees of freedom).
        """
        if shift_sd == 0:
            return self.probability_at_least(target - shift, horizon) if direction == "higher" \
                else self.probability_at_most(target - shift, horizon)
        sign = 1.0 if direction == "higher" else -1.0   # "meets" is actual ≥ target, or −actual ≥ −target
        means, scales = self.means[:, horizon - 1], self.scales[:, horizon - 1]
        parts = [_shifted_tail(sign * (mean + shift - target), scale, df, shift_sd)
                 for mean, scale, df in zip(means, scales, self.dfs)]
        return float(np.clip(self.weights @ np.array(parts), 0.0, 1.0))


def monthly_history(history: pd.Series) -> pd.Series:
    """The history as floats on a complete monthly PeriodIndex (see the module docstring)."""
    if not isinstance(history, pd.Series):
        raise DomainError("The history must be a pandas Series indexed by month.")
    index = history.index
    if isinstance(index, pd.DatetimeIndex):
        index = index.to_period("M")
    elif not isinstance(index, pd.PeriodIndex):
        raise DomainError("The history must be indexed by monthly periods (PeriodIndex or DatetimeIndex).")
    if index.freqstr not in ("M", "ME") and not str(index.freqstr).startswith("M"):
        raise DomainError("The history must be monthly, not frequency {freq!r}.", freq=index.freqstr)
    if index.has_duplicates:
        raise DomainError("The history has more than one value for a month; it must be monthly.")
    if not index.is_monotonic_increasing:
        raise DomainError("The history must be ordered oldest first.")
    try:
        values = pd.to_numeric(pd.Series(history.to_numpy(), index=index), errors="raise").astype(float)
    except (TypeError, ValueError) as exc:
        raise DomainError("The history must hold numbers: {detail}", detail=str(exc)) from exc
    if np.isinf(values).any():
        raise DomainError("The history holds infinite values.")
    values = values.dropna()
    if len(values) < MIN_POINTS:
        raise DomainError("At least {minimum} months of history are needed for a forecast (got {count}).",
                          minimum=MIN_POINTS, count=len(values))
    full = pd.period_range(values.index[0], values.index[-1], freq="M")
    return values.reindex(full).interpolate(method="linear")


def _t_predictive(model: str, mean: np.ndarray, variance: np.ndarray, df: float) -> Predictive:
    """A single Student-t predictive distribution."""
    return Predictive(model, np.atleast_2d(np.asarray(mean, dtype=float)),
                      np.atleast_2d(np.sqrt(np.maximum(variance, 0.0))), np.array([float(df)]), np.array([1.0]))


def _simple(values: np.ndarray, horizon: int) -> Predictive:
    n = len(values)
    spread = np.std(values, ddof=1) * np.sqrt(1 + 1 / n)
    return _t_predictive("mean of a short history", np.full(horizon, values.mean()), np.full(horizon, spread**2), n - 1)


def _aicc(llf: float, k: int, n: int) -> float:
    """Small-sample AIC; ``k`` counts every estimated parameter including σ²."""
    return -2.0 * llf + 2.0 * k + 2.0 * k * (k + 1) / (n - k - 1) if n - k - 1 > 0 else np.inf


def _trend_line_variance(result, n: int, horizon: int) -> np.ndarray:
    """Extra variance from estimating a trend's level and slope: (1 − α)·σ²·(1/n + (x − x̄)²/Sxx).

    ETS prediction variances treat the parameters as known. For a trend that barely adapts
    (α near 0) the forecast is a fitted line, whose estimation error at x months past the
    centre of the history is a regression's: σ²(1/n + (x − x̄)²/Sxx), Sxx = n(n² − 1)/12 for n
    equally spaced months, with x counted in damped steps. The more the level adapts (α near 1,
    where it is the last month itself), the less of that error remains, hence the (1 − α) weight.
    """
    params = dict(zip(result.model.param_names, np.asarray(result.params)))
    damping, alpha = params.get("damping_trend", 1.0), float(np.clip(params.get("smoothing_level", 0.0), 0.0, 1.0))
    steps = (n - 1) / 2 + np.cumsum(damping ** np.arange(1, horizon + 1))
    return (1 - alpha) * result.mse * (1 / n + 12.0 * steps ** 2 / (n * (n ** 2 - 1)))


def _ets(series: pd.Series, options: dict, horizon: int) -> tuple[float, np.ndarray, np.ndarray, int]:
    result = ETSModel(series, error="add", **options).fit(disp=False)
    n, k = len(series), len(result.params) + 1                  # σ² is concentrated out of params
    prediction = result.get_prediction(start=n, end=n + horizon - 1)
    variance = np.asarray(prediction.forecast_variance, dtype=float)
    if options.get("trend"):
        variance = variance + _trend_line_variance(result, n, horizon)
    return _aicc(result.llf, k, n), prediction.predicted_mean.to_numpy(), variance, k


def _phi_draws(centre: float, se: float, count: int = 201) -> np.ndarray:
    """Evenly spaced quantiles of N(centre, se²) kept inside the stationary-or-unit-root range |φ| ≤ 1."""
    draws = centre + se * stats.norm.ppf((np.arange(count) + 0.5) / count)
    kept = draws[np.abs(draws) <= 1.0]
    return kept if len(kept) else np.array([float(np.clip(centre, -1.0, 1.0))])


def _ar1(series: pd.Series, horizon: int) -> tuple[float, np.ndarray, np.ndarray, int]:
    """AR(1) around the mean, averaged over the uncertainty of its bias-corrected coefficient.

    The estimate of φ is biased towards 0 by about −(1 + 3φ)/n when the mean is estimated
    (Marriott & Pope 1954, Kendall 1954), and on a short history it is too uncertain to tell a
    slowly wandering KPI from a mean-reverting one. So the forecast averages the AR(1)
    forecasts over φ ~ N(φ̂ + (1 + 3φ̂)/n, se(φ̂)²) restricted to |φ| ≤ 1 (the unit root, a
    random walk, included): mean of the means, and mean of the variances plus the variance of
    the means (parameter uncertainty, as in a Bayesian predictive). The likelihood is the fit's own.
    """
    values = series.to_numpy()
    result = SARIMAX(values, order=(1, 0, 0), trend="c").fit(disp=False)
    n, k = len(values), len(result.params)
    phi_hat, sigma2 = float(result.params[1]), float(result.params[-1])
    se = float(result.bse[1]) if np.isfinite(result.bse[1]) else np.sqrt(max(1 - phi_hat ** 2, 1 / n) / n)
    phis = _phi_draws(phi_hat + (1 + 3 * phi_hat) / n, se)[:, None]
    mean, steps = values.mean(), np.arange(1, horizon + 1)[None, :]
    means = mean + phis ** steps * (values[-1] - mean)
    variances = sigma2 * np.cumsum(phis ** (2 * (steps - 1)), axis=1)
    return _aicc(result.llf, k, n), means.mean(axis=0), variances.mean(axis=0) + means.var(axis=0), k


def _random_walk(series: pd.Series, horizon: int, drift: bool) -> tuple[float, np.ndarray, np.ndarray, int]:
    """A random walk, with or without drift: ETS(A,N,N) with α = 1, and ETS(A,A,N) with α = 1, β = 0.

    Their maximum-likelihood fits are closed-form (initial level = the first month, drift = the
    mean monthly change), with the same n-observation likelihood as the other ETS candidates.
    Exponential smoothing bounds α ≤ 1, so on a short random walk its estimate lands below 1
    about half the time and its band grows too slowly; these candidates hold α at 1. The drift's
    own estimation error adds h²σ²/(n − 1) to the variance h months ahead.
    """
    values = series.to_numpy()
    n, changes = len(values), np.diff(values)
    step = changes.mean() if drift else 0.0
    sigma2 = float(np.sum((changes - step) ** 2)) / n
    llf = -n / 2 * (np.log(2 * np.pi * sigma2) + 1) if sigma2 > 0 else np.inf
    k = 3 if drift else 2
    steps = np.arange(1, horizon + 1)
    variance = sigma2 * steps + (sigma2 * steps ** 2 / (n - 1) if drift else 0.0)
    return _aicc(llf, k, n), values[-1] + step * steps, variance, k


def _candidates(n: int):
    """(name, fit function) pairs allowed for a history of n months."""
    for name, options, minimum in CANDIDATES:
        if n >= minimum:
            yield name, (lambda series, horizon, options=options: _ets(series, options, horizon))
    yield "random walk", lambda series, horizon: _random_walk(series, horizon, drift=False)
    yield "random walk with drift", lambda series, horizon: _random_walk(series, horizon, drift=True)
    yield "AR(1) around a mean", _ar1


def _fit_best(values: np.ndarray, horizon: int) -> Predictive | None:
    """Akaike-weighted mixture of the candidates' predictive distributions (None if none fitted)."""
    series = pd.Series(values)
    n = len(values)
    fitted = []
    for name, fit in _candidates(n):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                aicc, mean, variance, k = fit(series, horizon)
        except (ValueError, np.linalg.LinAlgError, ZeroDivisionError):
            continue
        variance = np.asarray(variance, dtype=float) * n / (n - k + 1)   # unbiased σ² (ML divides by n)
        if np.isfinite(aicc) and np.all(np.isfinite(variance)) and np.all(np.isfinite(mean)):
            fitted.append((aicc, name, np.asarray(mean, dtype=float), np.sqrt(variance), n - k + 1))
    if not fitted:
        return None
    aiccs = np.array([f[0] for f in fitted])
    weights = np.exp(-0.5 * (aiccs - aiccs.min()))
    weights /= weights.sum()
    keep = weights >= 1e-3
    chosen = [f for f, k in zip(fitted, keep) if k]
    order = np.argsort(-weights[keep])
    names = ", ".join(f"{chosen[i][1]} {weights[keep][i]:.0%}" for i in order)
    return Predictive(names, np.array([f[2] for f in chosen]), np.array([f[3] for f in chosen]),
                      np.array([float(f[4]) for f in chosen]), weights[keep] / weights[keep].sum())


@lru_cache(maxsize=1024)
def _predictive(values: tuple[float, ...], horizon: int) -> Predictive:
    array = np.asarray(values, dtype=float)
    if np.ptp(array) == 0:
        return _t_predictive("constant", np.full(horizon, array[-1]), np.zeros(horizon), np.inf)
    if len(array) >= MIN_MODEL_POINTS:
        fitted = _fit_best(array, horizon)
        if fitted is not None:
            return fitted
    return _simple(array, horizon)


def _check_horizon(horizon: int) -> int:
    if isinstance(horizon, bool) or not isinstance(horizon, (int, np.integer)) or horizon < 1:
        raise DomainError("The horizon must be a whole number of months ≥ 1, not {horizon!r}.", horizon=horizon)
    return int(horizon)


def predictive(history: pd.Series, horizon: int) -> Predictive:
    """The fitted predictive distribution for horizons 1..``horizon`` (shared by the functions below).

    Fits are cached per history, and one fit serves every horizon up to :data:`FIT_HORIZON`.
    """
    horizon = _check_horizon(horizon)
    values = monthly_history(history)
    return _predictive(tuple(values.to_numpy()), max(horizon, FIT_HORIZON)).until(horizon)


def forecast(history: pd.Series, horizon: int, levels: tuple[float, ...] = LEVELS) -> pd.DataFrame:
    """Forecast the next ``horizon`` months: columns mean, lower, upper (80 %), lower_95, upper_95.

    Indexed by the future months (PeriodIndex); ``attrs["model"]`` names the model used.
    """
    values = monthly_history(history)
    fitted = predictive(values, horizon)
    index = pd.period_range(values.index[-1] + 1, periods=_check_horizon(horizon), freq="M")
    frame = pd.DataFrame({"mean": fitted.mean}, index=index)
    for level in levels:
        lower, upper = fitted.interval(level)
        suffix = "" if level == levels[0] else f"_{round(level * 100)}"
        frame[f"lower{suffix}"], frame[f"upper{suffix}"] = lower, upper
    frame.attrs["model"] = fitted.model
    return frame


def _check_shift(shift: float, shift_sd: float) -> tuple[float, float]:
    try:
        shift, shift_sd = float(shift), float(shift_sd)
    except (TypeError, ValueError):
        raise DomainError("The shift and its standard error must be numbers.") from None
    if not (np.isfinite(shift) and np.isfinite(shift_sd)) or shift_sd < 0:
        raise DomainError("The shift must be a finite number and its standard error finite and ≥ 0.")
    return shift, shift_sd


def probability_of_target(history: pd.Series, target: float, horizon: int, direction: str = "higher", *,
                          shift: float = 0.0, shift_sd: float = 0.0) -> float:
    """Probability (0–1) that the actual ``horizon`` months after the last meets ``target``.

    Meets means ≥ for ``"higher"`` and ≤ for ``"lower"``; see the module docstring for the model.
    ``shift`` and ``shift_sd``: an assumed change of that actual (a what-if scenario's driver
    effects) with its standard error, normal and independent of the forecast error; the chance is
    that of the forecast plus the shift. With both 0 it is the plain forecast's chance.
    """
    shift, shift_sd = _check_shift(shift, shift_sd)
    if direction not in DIRECTIONS:
        raise DomainError("Direction must be 'higher' or 'lower', not {direction!r}.", direction=direction)
    try:
        target = float(target)
    except (TypeError, ValueError):
        raise DomainError("The target must be a number, not {target!r}.", target=target) from None
    if not np.isfinite(target):
        raise DomainError("There is no target for that month.")
    horizon = _check_horizon(horizon)
    return predictive(history, horizon).probability(target, horizon, direction, shift=shift, shift_sd=shift_sd)

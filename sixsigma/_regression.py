"""Least squares regression trustworthy to the certified digits, and binary logistic regression.

Both fit on centred, unit-length drivers (QR for least squares, Newton's method for the logistic
model) and transform the coefficients and their covariance back to the drivers' own units.
Drivers that the data cannot tell apart are refused before any fit: the condition number of the
centred, unit-length drivers above :data:`CONDITION_LIMIT` names the drivers behind it by Belsley,
Kuh and Welsch's variance-decomposition proportions (*Regression Diagnostics*, 1980, ch. 3).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from scipy.linalg import solve_triangular

from errors import DomainError, Message
from sixsigma._common import ALPHA, NAN, chance, check_alpha, numbers

#: Largest condition number of the centred, unit-length drivers that is still fitted (Longley's is 110;
#: a driver that the others reproduce to one part in a million of its variation reaches 1000).
CONDITION_LIMIT = 1000.0
#: A variance inflation factor above this is reported as drivers moving together.
VIF_WARNING = 10.0
#: A fitted probability this close to the observed 0 or 1 means the drivers separate the outcomes.
SEPARATION_TOLERANCE = 1e-8


@dataclass(frozen=True)
class RegressionResult:
    """OLS fit: one row per term (coefficient, standard error, interval, p-value), R², n, sentences and diagnostics;
    ``messages`` are the sentences as templates with their parameters (``sentences`` their English text)."""

    response: str
    terms: pd.DataFrame
    r_squared: float
    n: int
    alpha: float
    sentences: list[str] = field(default_factory=list)
    adj_r_squared: float = NAN
    f_statistic: float = NAN
    f_p_value: float = NAN
    vif: dict[str, float] = field(default_factory=dict)
    residuals: np.ndarray = field(default_factory=lambda: np.empty(0))
    fitted: np.ndarray = field(default_factory=lambda: np.empty(0))
    messages: list[Message] = field(default_factory=list)


@dataclass(frozen=True)
class LogisticResult:
    """Binary logistic fit: per term the coefficient (log odds), odds ratio with its interval, p-value.

    ``messages`` are the sentences as templates with their parameters (``sentences`` their English text)."""

    response: str
    terms: pd.DataFrame
    n: int
    events: int
    log_likelihood: float
    alpha: float
    sentences: list[str] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)


@dataclass(frozen=True)
class _Scaled:
    """Drivers centred and scaled to unit length: ``z = (x - centre) / scale``."""

    z: np.ndarray
    centre: np.ndarray
    scale: np.ndarray

    def back_transform(self) -> np.ndarray:
        """The matrix T with [intercept, slopes] = T @ [intercept on z, slopes on z]."""
        p = len(self.scale)
        transform = np.zeros((p + 1, p + 1))
        transform[0, 0] = 1.0
        transform[0, 1:] = -self.centre / self.scale
        transform[1:, 1:] = np.diag(1.0 / self.scale)
        return transform


def _table(frame: pd.DataFrame, response: str, drivers: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Response and driver columns as numbers, or ValueError naming what is missing or wrong."""
    if not isinstance(frame, pd.DataFrame):
        raise DomainError("The data must be a table with one column per variable.")
    missing = [c for c in [response, *drivers] if c not in frame.columns]
    if missing:
        raise DomainError("The data have no column(s) {columns}.", columns=missing)
    if not drivers:
        raise DomainError("Choose at least one driver.")
    if response in drivers or len(set(drivers)) < len(drivers):
        raise DomainError("Each driver may be chosen once, and the response cannot also be a driver.")
    if len(frame) < len(drivers) + 3:
        raise DomainError("A regression on {drivers} driver(s) needs at least {rows} rows.", drivers=len(drivers),
                          rows=len(drivers) + 3)
    y = numbers(frame[response], Message("Column {column}", column=response))
    x = np.column_stack([numbers(frame[d], Message("Column {column}", column=d)) for d in drivers])
    return y, x


def _scaled(x: np.ndarray, drivers: Sequence[str]) -> _Scaled:
    """Centre and scale each driver; a driver that never changes cannot explain anything."""
    centre = x.mean(axis=0)
    centred = x - centre
    scale = np.linalg.norm(centred, axis=0)
    flat = [d for d, s, size in zip(drivers, scale, np.linalg.norm(x, axis=0)) if s <= 1e-13 * size]
    if flat:
        raise DomainError("Driver(s) {drivers} never change in these data, so they cannot explain the response.",
                          drivers=flat)
    return _Scaled(centred / scale, centre, scale)


def _refuse_inseparable(z: np.ndarray, drivers: Sequence[str]) -> None:
    """ValueError naming the drivers that carry (nearly) the same information, when they do."""
    _, singular, vt = np.linalg.svd(z, full_matrices=False)
    condition = singular[0] / singular[-1] if singular[-1] > 0 else float("inf")
    if condition <= CONDITION_LIMIT:
        return
    weak = singular < singular[0] / CONDITION_LIMIT
    phi = vt.T ** 2 / np.maximum(singular, singular[0] * 1e-150) ** 2
    share = (phi[:, weak].sum(axis=1) / phi.sum(axis=1))
    involved = share >= 0.5
    if involved.sum() < 2:
        involved = np.isin(np.arange(len(drivers)), np.argsort(share)[-2:])
    raise DomainError("The drivers {drivers} carry nearly the same information (condition number {condition:.3g}), "
                      "so their separate effects cannot be told apart. Keep one of them, or combine them into one "
                      "driver.", drivers=[d for d, keep in zip(drivers, involved) if keep], condition=condition)


def _terms_frame(drivers: Sequence[str], coefficient: np.ndarray, std_error: np.ndarray, df: float,
                 alpha: float) -> pd.DataFrame:
    """term, coefficient, std_error, ci_low, ci_high, p_value from t with ``df`` degrees of freedom."""
    with np.errstate(divide="ignore", invalid="ignore"):
        t = coefficient / std_error
    half = stats.t.ppf(1 - alpha / 2, df) * std_error
    return pd.DataFrame({"term": ["const", *drivers], "coefficient": coefficient, "std_error": std_error,
                         "ci_low": coefficient - half, "ci_high": coefficient + half,
                         "p_value": 2 * stats.t.sf(np.abs(t), df)})


def _driver_sentences(response: str, terms: pd.DataFrame, alpha: float) -> list[Message]:
    return [Message("Each extra 1 of {driver} goes with a change of {change:+.3g} in {response} ({level:.0%} CI "
                    "{low:.3g} to {high:.3g}); {chance}.", driver=str(row.term), change=float(row.coefficient),
                    response=response, level=1 - alpha, low=float(row.ci_low), high=float(row.ci_high),
                    chance=chance(row.p_value, alpha))
            for row in terms.iloc[1:].itertuples()]


def _collinearity_sentence(vif: dict[str, float]) -> list[Message]:
    together = [d for d, value in vif.items() if value > VIF_WARNING]
    if not together:
        return []
    return [Message("{drivers} move together (variance inflation up to {vif:.3g}); their separate effects are "
                    "uncertain, so read them together.", drivers=together, vif=float(max(vif.values())))]


def regression(frame: pd.DataFrame, response: str, drivers: Sequence[str], *, alpha: float = ALPHA) -> RegressionResult:
    """OLS of ``response`` on ``drivers`` with an intercept; one plain sentence per driver.

    QR on the centred, unit-length drivers; drivers the data cannot tell apart raise ValueError naming them.
    """
    alpha, drivers = check_alpha(alpha), list(drivers)
    y, x = _table(frame, response, drivers)
    scaled = _scaled(x, drivers)
    _refuse_inseparable(scaled.z, drivers)
    centred_y = y - y.mean()
    total = float(centred_y @ centred_y)
    if total == 0:
        raise DomainError("The response {response} never changes in these data; there is nothing to explain.",
                          response=response)
    q, r = np.linalg.qr(scaled.z)
    slopes_z = solve_triangular(r, q.T @ centred_y)
    r_inverse = solve_triangular(r, np.eye(len(drivers)))
    residuals = centred_y - scaled.z @ slopes_z
    n, p = len(y), len(drivers)
    df = n - p - 1
    sigma2 = float(residuals @ residuals) / df
    # Var(intercept on z) = σ²/n, uncorrelated with the slopes because the drivers are centred.
    covariance_z = np.zeros((p + 1, p + 1))
    covariance_z[0, 0] = 1.0 / n
    covariance_z[1:, 1:] = r_inverse @ r_inverse.T
    transform = scaled.back_transform()
    coefficient = transform @ np.r_[y.mean(), slopes_z]
    std_error = np.sqrt(sigma2 * np.einsum("ij,jk,ik->i", transform, covariance_z, transform))
    terms = _terms_frame(drivers, coefficient, std_error, df, alpha)
    residual_ss = float(residuals @ residuals)
    r_squared = 1 - residual_ss / total
    with np.errstate(divide="ignore", invalid="ignore"):
        f_statistic = (total - residual_ss) / p / sigma2
    vif = dict(zip(drivers, np.einsum("ij,ij->i", r_inverse, r_inverse).tolist()))
    messages = _driver_sentences(response, terms, alpha) + _collinearity_sentence(vif)
    return RegressionResult(response, terms, float(r_squared), n, alpha, [str(m) for m in messages],
                            messages=messages,
                            adj_r_squared=float(1 - (1 - r_squared) * (n - 1) / df), f_statistic=float(f_statistic),
                            f_p_value=float(stats.f.sf(f_statistic, p, df)), vif=vif, residuals=residuals,
                            fitted=y - residuals)


def _binary(values: np.ndarray, response: str) -> np.ndarray:
    """The response as 0/1 with both outcomes present."""
    if not np.isin(values, (0.0, 1.0)).all():
        raise DomainError("The response {response} must be 0 or 1 in every row (1 = the event, e.g. a defect).",
                          response=response)
    if values.min() == values.max():
        raise DomainError("The response {response} needs both outcomes, 0 and 1, in the data.", response=response)
    return values


def _logit_fit(y: np.ndarray, z: np.ndarray):
    """Maximum likelihood on the scaled drivers (statsmodels' Newton), without its convergence chatter."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sm.Logit(y, sm.add_constant(z, has_constant="add")).fit(disp=0, maxiter=100)


def _refuse_separation(y: np.ndarray, fitted: np.ndarray, drivers: Sequence[str]) -> None:
    if (np.abs(y - fitted) < SEPARATION_TOLERANCE).any():
        raise DomainError("The drivers {drivers} predict some outcomes perfectly (separation), so the odds ratios "
                          "would be infinite. Check whether a driver is recorded after the outcome, or group its "
                          "values.", drivers=list(drivers))


def logistic_regression(frame: pd.DataFrame, response: str, drivers: Sequence[str], *,
                        alpha: float = ALPHA) -> LogisticResult:
    """Binary logistic regression of a 0/1 ``response`` on ``drivers``: log odds, odds ratios with Wald intervals."""
    alpha, drivers = check_alpha(alpha), list(drivers)
    y, x = _table(frame, response, drivers)
    y = _binary(y, response)
    scaled = _scaled(x, drivers)
    _refuse_inseparable(scaled.z, drivers)
    fit = _logit_fit(y, scaled.z)
    _refuse_separation(y, fit.predict(), drivers)
    transform = scaled.back_transform()
    coefficient = transform @ fit.params
    std_error = np.sqrt(np.einsum("ij,jk,ik->i", transform, fit.cov_params(), transform))
    half = stats.norm.ppf(1 - alpha / 2) * std_error
    terms = pd.DataFrame({"term": ["const", *drivers], "coefficient": coefficient, "std_error": std_error,
                          "odds_ratio": np.exp(coefficient), "or_ci_low": np.exp(coefficient - half),
                          "or_ci_high": np.exp(coefficient + half),
                          "p_value": 2 * stats.norm.sf(np.abs(coefficient / std_error))})
    messages = [Message("Each extra 1 of {driver} multiplies the odds of {response} by {odds:.3g} ({level:.0%} CI "
                        "{low:.3g} to {high:.3g}); {chance}.", driver=str(row.term), response=response,
                        odds=float(row.odds_ratio), level=1 - alpha, low=float(row.or_ci_low),
                        high=float(row.or_ci_high), chance=chance(row.p_value, alpha))
                for row in terms.iloc[1:].itertuples()]
    return LogisticResult(response, terms, len(y), int(y.sum()), float(fit.llf), alpha, [str(m) for m in messages],
                          messages)

"""Evidence for a strategy-map link: does the cause lead the effect in the monthly data?

For each lag 0..max_lag the effect is regressed on the cause that many months earlier
(statsmodels OLS on z-scored series, so the slope is the correlation). When both series trend
(a linear time trend with p < 0.05 in each) the regression uses month-to-month changes instead,
because two trending series correlate whatever their relation. The lag with the strongest
relation (largest |t|) is reported, whatever its sign. Because up to max_lag + 1 lags are tried, its
confidence interval and p-value are Bonferroni-adjusted (interval level 1 − 0.05/lags,
p × lags), so an unrelated pair is called supported in about 5 % of cases, not 5 % per lag.

:func:`estimate_effect` fits the same lags in the series' own units for the what-if: the
slope says how much the effect moves per unit of the cause, with a plain 95 % interval at the
chosen lag (the Bonferroni level is for deciding whether a link exists, not for sizing it).

Verdict keys (for translation, plain text in :data:`VERDICTS`): ``supported`` (the interval
excludes 0 with the expected sign), ``opposite`` (excludes 0 with the other sign),
``inconclusive`` and ``not_enough_data`` (fewer than :data:`MIN_PAIRS` month pairs at every
lag, or a series that does not vary).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from errors import DomainError
from scorecard.forecast import monthly_history

MIN_PAIRS = 8
ALPHA = 0.05
VERDICTS = {
    "supported": "The data support this link: the effect follows the cause.",
    "opposite": "The data show the opposite relation: when the cause improves, the effect worsens.",
    "inconclusive": "The data neither support nor contradict this link yet.",
    "not_enough_data": "Not enough months of data on both objectives to judge this link.",
}


@dataclass(frozen=True)
class LinkEvidence:
    """Lagged-regression evidence for one cause → effect link (see the module docstring)."""

    verdict: str
    supported: bool
    lag: int | None = None
    correlation: float = float("nan")
    slope: float = float("nan")
    ci_low: float = float("nan")
    ci_high: float = float("nan")
    p_value: float = float("nan")
    n: int = 0
    differenced: bool = False
    confidence: float = 1 - ALPHA


def _monthly(series: pd.Series, name: str) -> pd.Series | None:
    try:
        return monthly_history(series.dropna()).rename(name)
    except ValueError:
        return None


def _trends(values: pd.Series) -> bool:
    values = values.dropna()
    return len(values) >= 3 and np.ptp(values) > 0 and stats.linregress(np.arange(len(values)), values).pvalue < ALPHA


def _fit(x: pd.Series, y: pd.Series, confidence: float, standardise: bool = True) -> dict | None:
    pairs = pd.concat([x, y], axis=1, keys=["x", "y"]).dropna()
    if len(pairs) < MIN_PAIRS or pairs["x"].std() == 0 or pairs["y"].std() == 0:
        return None
    data = (pairs - pairs.mean()) / pairs.std(ddof=1) if standardise else pairs
    result = sm.OLS(data["y"].to_numpy(), sm.add_constant(data["x"].to_numpy())).fit()
    low, high = result.conf_int(alpha=1 - confidence)[1]
    return {"slope": float(result.params[1]), "se": float(result.bse[1]), "ci_low": float(low),
            "ci_high": float(high), "p": float(result.pvalues[1]), "t": float(result.tvalues[1]), "n": len(pairs),
            "correlation": float(np.corrcoef(pairs["x"], pairs["y"])[0, 1])}


def _aligned(cause: pd.Series, effect: pd.Series, max_lag: int) -> tuple[pd.Series, pd.Series, bool] | None:
    """Both series on one monthly grid, differenced when both trend; None when either is unusable."""
    if not isinstance(max_lag, (int, np.integer)) or max_lag < 0:
        raise DomainError("max_lag must be a whole number ≥ 0, not {max_lag!r}.", max_lag=max_lag)
    x, y = _monthly(cause, "cause"), _monthly(effect, "effect")
    if x is None or y is None:
        return None
    months = pd.period_range(min(x.index[0], y.index[0]), max(x.index[-1], y.index[-1]), freq="M")
    x, y = x.reindex(months), y.reindex(months)
    differenced = bool(_trends(x) and _trends(y))
    return (x.diff(), y.diff(), True) if differenced else (x, y, False)


def _strongest(x: pd.Series, y: pd.Series, max_lag: int, confidence: float, standardise: bool) -> tuple[int, dict] | None:
    """The lag 0..max_lag with the largest |t|, and its fit."""
    fits = {lag: fit for lag in range(max_lag + 1)
            if (fit := _fit(x.shift(lag), y, confidence, standardise)) is not None}
    return max(fits.items(), key=lambda item: abs(item[1]["t"])) if fits else None


def link_evidence(cause: pd.Series, effect: pd.Series, max_lag: int = 3, expected_sign: int = 1) -> LinkEvidence:
    """Evidence that ``cause`` drives ``effect`` within ``max_lag`` months (monthly Series)."""
    if expected_sign not in (1, -1):
        raise DomainError("expected_sign must be 1 (positive link) or -1 (negative link).")
    aligned = _aligned(cause, effect, max_lag)
    if aligned is None:
        return LinkEvidence("not_enough_data", False)
    x, y, differenced = aligned
    confidence = 1 - ALPHA / (max_lag + 1)
    strongest = _strongest(x, y, max_lag, confidence, standardise=True)
    if strongest is None:
        return LinkEvidence("not_enough_data", False, differenced=differenced, confidence=confidence)
    lag, best = strongest
    signed_low, signed_high = sorted((expected_sign * best["ci_low"], expected_sign * best["ci_high"]))
    verdict = "supported" if signed_low > 0 else "opposite" if signed_high < 0 else "inconclusive"
    return LinkEvidence(verdict, verdict == "supported", lag, best["correlation"], best["slope"], best["ci_low"],
                        best["ci_high"], min(1.0, best["p"] * (max_lag + 1)), best["n"], differenced, confidence)


@dataclass(frozen=True)
class LinkEffect:
    """How much an effect KPI moves per unit of its cause KPI: estimated from history or assumed.

    ``se`` is the slope's standard error (for an assumption, the one its interval implies);
    ``source`` is ``estimated``, ``assumed`` or ``not_enough_data`` (slope NaN: not usable).
    """

    slope: float
    se: float
    ci_low: float
    ci_high: float
    source: str
    lag: int | None = None
    n: int = 0
    p_value: float = float("nan")
    differenced: bool = False
    note: str = ""

    @property
    def usable(self) -> bool:
        return bool(np.isfinite(self.slope) and np.isfinite(self.se))


def estimate_effect(cause: pd.Series, effect: pd.Series, max_lag: int = 3, confidence: float = 1 - ALPHA) -> LinkEffect:
    """The effect's change per unit change of the cause (OLS in natural units at the strongest lag).

    When both series trend the fit is of month-to-month changes on changes; either way a
    sustained +1 in the cause moves the effect's level by ``slope`` after ``lag`` months.
    """
    aligned = _aligned(cause, effect, max_lag)
    strongest = _strongest(*aligned[:2], max_lag, confidence, standardise=False) if aligned else None
    if strongest is None:
        return LinkEffect(float("nan"), float("nan"), float("nan"), float("nan"), "not_enough_data")
    lag, best = strongest
    return LinkEffect(best["slope"], best["se"], best["ci_low"], best["ci_high"], "estimated", lag, best["n"],
                      best["p"], aligned[2])


def assumed_effect(slope: float, ci_low: float, ci_high: float, note: str = "", confidence: float = 1 - ALPHA) -> LinkEffect:
    """A user's assumption for a link: a slope with its interval (``ci_low ≤ slope ≤ ci_high``)."""
    values = (slope, ci_low, ci_high)
    if not all(isinstance(v, (int, float, np.floating)) and np.isfinite(v) for v in values):
        raise DomainError("An assumed link effect needs a number for its slope and both ends of its interval.")
    if not ci_low <= slope <= ci_high:
        raise DomainError("The assumed slope {slope:g} must lie within its interval {low:g} … {high:g}.", slope=slope,
                          low=ci_low, high=ci_high)
    se = (ci_high - ci_low) / (2 * stats.norm.ppf(0.5 + confidence / 2))
    return LinkEffect(float(slope), float(se), float(ci_low), float(ci_high), "assumed", note=note.strip())

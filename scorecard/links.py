"""Evidence for a strategy-map link: does the cause lead the effect in the monthly data?

For each lag 0..max_lag the effect is regressed on the cause that many months earlier
(statsmodels OLS on z-scored series, so the slope is the correlation). When both series trend
(a linear time trend with p < 0.05 in each) the regression uses month-to-month changes instead,
because two trending series correlate whatever their relation. The lag with the strongest
relation (largest |t|) is reported, whatever its sign. Because up to max_lag + 1 lags are tried, its
confidence interval and p-value are Bonferroni-adjusted (interval level 1 − 0.05/lags,
p × lags), so an unrelated pair is called supported in about 5 % of cases, not 5 % per lag.

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


def _fit(x: pd.Series, y: pd.Series, confidence: float) -> dict | None:
    pairs = pd.concat([x, y], axis=1, keys=["x", "y"]).dropna()
    if len(pairs) < MIN_PAIRS or pairs["x"].std() == 0 or pairs["y"].std() == 0:
        return None
    z = (pairs - pairs.mean()) / pairs.std(ddof=1)
    result = sm.OLS(z["y"].to_numpy(), sm.add_constant(z["x"].to_numpy())).fit()
    low, high = result.conf_int(alpha=1 - confidence)[1]
    return {"slope": float(result.params[1]), "ci_low": float(low), "ci_high": float(high),
            "p": float(result.pvalues[1]), "t": float(result.tvalues[1]), "n": len(pairs),
            "correlation": float(np.corrcoef(pairs["x"], pairs["y"])[0, 1])}


def link_evidence(cause: pd.Series, effect: pd.Series, max_lag: int = 3, expected_sign: int = 1) -> LinkEvidence:
    """Evidence that ``cause`` drives ``effect`` within ``max_lag`` months (monthly Series)."""
    if not isinstance(max_lag, (int, np.integer)) or max_lag < 0:
        raise ValueError(f"max_lag must be a whole number ≥ 0, not {max_lag!r}.")
    if expected_sign not in (1, -1):
        raise ValueError("expected_sign must be 1 (positive link) or -1 (negative link).")
    x, y = _monthly(cause, "cause"), _monthly(effect, "effect")
    if x is None or y is None:
        return LinkEvidence("not_enough_data", False)
    months = pd.period_range(min(x.index[0], y.index[0]), max(x.index[-1], y.index[-1]), freq="M")
    x, y = x.reindex(months), y.reindex(months)
    differenced = bool(_trends(x) and _trends(y))
    if differenced:
        x, y = x.diff(), y.diff()
    confidence = 1 - ALPHA / (max_lag + 1)
    fits = {lag: fit for lag in range(max_lag + 1) if (fit := _fit(x.shift(lag), y, confidence)) is not None}
    if not fits:
        return LinkEvidence("not_enough_data", False, differenced=differenced, confidence=confidence)
    lag, best = max(fits.items(), key=lambda item: abs(item[1]["t"]))
    signed_low, signed_high = sorted((expected_sign * best["ci_low"], expected_sign * best["ci_high"]))
    verdict = "supported" if signed_low > 0 else "opposite" if signed_high < 0 else "inconclusive"
    return LinkEvidence(verdict, verdict == "supported", lag, best["correlation"], best["slope"], best["ci_low"],
                        best["ci_high"], min(1.0, best["p"] * (max_lag + 1)), best["n"], differenced, confidence)

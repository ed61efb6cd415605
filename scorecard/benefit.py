"""A project's verified benefit, from its KPI's own months before and after the change.

Before: the last :data:`WINDOW_MONTHS` months before the change month (the month the Improve, or in
DFSS the Design, tollgate approved the change), cut at the latest earlier process change (a stage
start), so that the comparison is with the stable stage the project set out to improve. After: the change month and every month since. The
shift is the difference of the means (after − before) with its two-sided Welch interval, and the
one-sided Welch p-value in the wanted direction says whether it could be chance. The benefit in
$ thousands a year is the shift in the wanted direction times what one unit of the KPI is worth a
year (``value_per_unit``: 12 for a KPI counted in $k a month; otherwise the finance partner's figure),
with the interval scaled the same way. Nobody types the benefit in.

A KPI that was already moving before the change would show a shift without any change: the before
months' own linear trend is fitted, and :attr:`VerifiedBenefit.trend_shift` says how much of the shift
that trend alone would have brought by the after months; ``trend_explains`` flags a trend that is
significant (one-sided p < 0.05) in the wanted direction, so the page can say the shift may be the trend.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy import stats

from errors import DomainError

WINDOW_MONTHS = 12
MIN_MONTHS = 3
CONFIDENCE = 0.95


@dataclass(frozen=True)
class VerifiedBenefit:
    """The KPI's shift at the change month and what it is worth, each with its 95 % interval."""

    change_month: str
    before_from: str
    before_months: int
    after_to: str
    after_months: int
    before_mean: float
    after_mean: float
    shift: float
    shift_low: float
    shift_high: float
    p_value: float
    """One-sided, in the wanted direction: the chance of a shift this good if nothing had changed."""
    value_per_unit: float
    benefit: float
    benefit_low: float
    benefit_high: float
    trend_per_month: float
    """The before months' linear trend, KPI units a month."""
    trend_p: float
    """One-sided p of that trend in the wanted direction."""
    trend_shift: float
    """The shift the before months' trend alone would bring between the windows' centres."""
    trend_explains: bool
    """Whether that trend is significant in the wanted direction (the shift may be the trend)."""

    def as_payload(self) -> dict:
        """Plain JSON for the closure artifact."""
        return {key: (round(value, 6) if isinstance(value, float) else value) for key, value in asdict(self).items()}


def _months(history: pd.Series, change_month: str, stage_starts: Sequence[str]) -> tuple[pd.Series, pd.Series]:
    series = history.dropna()
    labels = series.index.strftime("%Y-%m")
    stage = max((month for month in stage_starts if month < change_month), default="")
    before = series[(labels < change_month) & (labels >= stage)].tail(WINDOW_MONTHS)
    after = series[labels >= change_month]
    if len(before) < MIN_MONTHS:
        raise DomainError("The KPI has {months} months before the change in {change}; a verified benefit needs at "
                          "least {minimum} on each side.", months=len(before), change=change_month, minimum=MIN_MONTHS)
    if len(after) < MIN_MONTHS:
        raise DomainError("The KPI has {months} months after the change in {change}; a verified benefit needs at "
                          "least {minimum} on each side.", months=len(after), change=change_month, minimum=MIN_MONTHS)
    return before, after


def _trend(before: pd.Series, after: pd.Series, sign: float) -> tuple[float, float, float]:
    """The before months' slope a month, its one-sided p in the wanted direction, and the shift it brings
    between the before and the after months' centres (months counted on the calendar, gaps included)."""
    start = before.index[0].ordinal
    t_before = np.array([p.ordinal - start for p in before.index], dtype=float)
    t_after = np.array([p.ordinal - start for p in after.index], dtype=float)
    if np.ptp(before.to_numpy(dtype=float)) == 0:
        return 0.0, 1.0, 0.0
    fit = stats.linregress(t_before, before.to_numpy(dtype=float))
    slope = float(fit.slope)
    p_value = fit.pvalue / 2 if sign * slope > 0 else 1 - fit.pvalue / 2
    return slope, float(p_value), slope * float(t_after.mean() - t_before.mean())


def verified_benefit(history: pd.Series, change_month: str, direction: str, value_per_unit: float,
                     stage_starts: Sequence[str] = ()) -> VerifiedBenefit:
    """The benefit of a change in ``change_month`` ("YYYY-MM") on a KPI's monthly ``history`` (PeriodIndex),
    with the KPI's known process changes (``stage_starts``, "YYYY-MM")."""
    if direction not in ("higher", "lower"):
        raise DomainError("Direction must be 'higher' or 'lower', not {direction!r}.", direction=direction)
    if not np.isfinite(value_per_unit) or value_per_unit <= 0:
        raise DomainError("What one unit of the KPI is worth a year must be a positive number of $ thousands.")
    before, after = _months(history, change_month, stage_starts)
    two_sided = stats.ttest_ind(after, before, equal_var=False)
    low, high = two_sided.confidence_interval(CONFIDENCE)
    one_sided = stats.ttest_ind(after, before, equal_var=False,
                                alternative="greater" if direction == "higher" else "less")
    sign = 1.0 if direction == "higher" else -1.0
    shift = float(after.mean() - before.mean())
    worth = sorted((sign * low * value_per_unit, sign * high * value_per_unit))
    slope, trend_p, trend_shift = _trend(before, after, sign)
    return VerifiedBenefit(
        change_month=change_month, before_from=before.index[0].strftime("%Y-%m"), before_months=len(before),
        after_to=after.index[-1].strftime("%Y-%m"), after_months=len(after), before_mean=float(before.mean()),
        after_mean=float(after.mean()), shift=shift, shift_low=float(low), shift_high=float(high),
        p_value=float(one_sided.pvalue), value_per_unit=float(value_per_unit), benefit=sign * shift * value_per_unit,
        benefit_low=float(worth[0]), benefit_high=float(worth[1]), trend_per_month=slope, trend_p=trend_p,
        trend_shift=trend_shift, trend_explains=bool(trend_p < 1 - CONFIDENCE))


__all__ = ["MIN_MONTHS", "VerifiedBenefit", "WINDOW_MONTHS", "verified_benefit"]

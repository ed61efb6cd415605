"""A KPI's baseline for a Six Sigma charter: where it stands, how it varies, and how good it is.

The baseline window is the recent stable stretch: the last :data:`WINDOW_MONTHS` months, cut at the
latest known process change (a stage start), and it is named in the result. How good the KPI is
depends on what it counts:

- a KPI with countable units (a ratio of counts: complaints resolved within 15 days out of
  complaints) states defects per million opportunities from its own counts, with the unit named:
  DPMO = 10⁶ × Σ defects / Σ opportunities over the window, and the sigma level with the
  Six Sigma convention (1.5σ shift);
- any other KPI states its performance against the target as Ppk, the target taken as a one-sided
  specification limit (lower for "higher is better", upper otherwise), with Bissell's interval.
  Months that miss a target are never counted as defects.

Spread is the I-MR estimate MR̄/1.128, and the newest special-cause signal of the window's
individuals chart is named in words. Every value is plain JSON (NaN and infinity become None)
so the baseline can be stored in the charter.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from errors import DomainError
from scorecard.counts import CountUnit
from scorecard.signals import MIN_POINTS
from sixsigma.capability import capability_ci, dpmo, sigma_level
from sixsigma.spc import control_chart

WINDOW_MONTHS = 12


def _plain(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else round(float(value), 4)


def baseline_window(labels: Sequence[str], stage_starts: Sequence[str] = (), months: int = WINDOW_MONTHS
                    ) -> tuple[int, str | None]:
    """Where the baseline window starts (index into ``labels``) and the process change that cut it, if any."""
    start = max(0, len(labels) - months)
    changes = [month for month in stage_starts if labels and labels[start] < month <= labels[-1]]
    if not changes:
        return start, None
    change = max(changes)
    return next(i for i, label in enumerate(labels) if label >= change), change


def _defects(counts: pd.DataFrame, unit: CountUnit) -> tuple[float, float] | None:
    """Σ defects and Σ opportunities of the window's counts, or None when a month lacks them."""
    numerator, denominator = counts["numerator"].astype(float), counts["denominator"].astype(float)
    if counts.empty or numerator.isna().any() or denominator.isna().any() or (denominator <= 0).any():
        return None
    defects = (denominator - numerator) if unit.numerator == "good" else numerator
    if (defects < 0).any():
        return None
    return float(defects.sum()), float(denominator.sum())


def _newest_signal(values: np.ndarray, labels: list[str]) -> tuple[float, dict | None]:
    """The window's I-MR σ and its newest signal (rule code, its words, month), if any."""
    if len(values) < MIN_POINTS or np.ptp(values) == 0:
        return float("nan"), None
    chart = control_chart(values, "i_mr").charts[0]
    if not chart.signals:
        return chart.sigma, None
    newest = max(chart.signals, key=lambda s: s.index)
    return chart.sigma, {"rule": newest.rule, "description": newest.description, "month": labels[newest.index]}


def _against_target(values: np.ndarray, target: float, direction: str) -> dict:
    """Ppk of the window against the target as a one-sided limit, with its 95 % interval (Bissell)."""
    if not math.isfinite(target) or len(values) < 2 or np.ptp(values) == 0:
        return {"ppk": None, "ppk_low": None, "ppk_high": None}
    limit = {"lsl": target} if direction == "higher" else {"usl": target}
    ppk = capability_ci(values, **limit)["ppk"]
    return {"ppk": _plain(ppk.value), "ppk_low": _plain(ppk.lower), "ppk_high": _plain(ppk.upper)}


def kpi_baseline(history: pd.Series, target: float, direction: str, *, counts: pd.DataFrame | None = None,
                 unit: CountUnit | None = None, stage_starts: Sequence[str] = ()) -> dict:
    """A KPI's baseline over its recent stable window (see the module docstring).

    ``history``: monthly actuals (PeriodIndex, oldest first). ``counts``: the months' ``numerator``
    and ``denominator`` (indexed like ``history``), used with ``unit`` for DPMO. ``stage_starts``:
    months ("YYYY-MM") of known process changes.
    """
    history = history.dropna()
    if history.empty:
        raise DomainError("The KPI has no actuals yet, so it has no baseline.")
    labels = [str(p) for p in history.index]
    start, change = baseline_window(labels, stage_starts)
    values, window = history.to_numpy(dtype=float)[start:], labels[start:]
    meets = values >= target if direction == "higher" else values <= target
    sigma, signal = _newest_signal(values, window)
    counted = _defects(counts.reindex(history.index[start:]), unit) if counts is not None and unit else None
    result = {"mean": _plain(values.mean()), "sigma": _plain(sigma), "last": _plain(values[-1]),
              "target": _plain(target), "direction": direction, "months": len(values),
              "months_meeting_target": int(meets.sum()) if math.isfinite(target) else None,
              "since": window[0], "until": window[-1], "since_change": change, "signal": signal,
              "method": "counts" if counted else "target",
              "dpmo": None, "sigma_level": None, "defects": None, "opportunities": None,
              "defect": None, "opportunity": None, **_against_target(values, target, direction)}
    if counted and counted[1] > 0:
        rate = dpmo(counted[0], counted[1])
        result.update(dpmo=_plain(rate), sigma_level=_plain(sigma_level(rate)), defects=counted[0],
                      opportunities=counted[1], defect=unit.defect, opportunity=unit.opportunity)
    return result

"""A KPI's baseline for a Six Sigma charter: where it stands, how it varies, how often it meets target.

The months that miss the target are the defects: DPMO = 10⁶ × misses / months and the sigma
level follows the Six Sigma convention (1.5σ shift). Spread is the I-MR estimate MR̄/1.128 and
the newest special-cause signal of the KPI's individuals chart is named. Every value is plain
JSON (NaN and infinity become None) so the baseline can be stored in the charter.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from errors import DomainError
from scorecard.signals import MIN_POINTS
from sixsigma.capability import dpmo, sigma_level
from sixsigma.spc import control_chart


def _plain(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else round(float(value), 4)


def kpi_baseline(history: pd.Series, target: float, direction: str) -> dict:
    """Mean, σ, last value, target, months meeting it, DPMO, sigma level and the newest signal of a KPI.

    ``history`` is the KPI's monthly actuals (PeriodIndex, oldest first).
    """
    values = history.dropna().to_numpy(dtype=float)
    if len(values) == 0:
        raise DomainError("The KPI has no actuals yet, so it has no baseline.")
    labels = [str(p) for p in history.dropna().index]
    meets = values >= target if direction == "higher" else values <= target
    misses = int((~meets).sum()) if math.isfinite(target) else 0
    rate = dpmo(misses, len(values)) if math.isfinite(target) else float("nan")
    sigma, signal = float("nan"), ""
    if len(values) >= MIN_POINTS and np.ptp(values) > 0:
        chart = control_chart(values, "i_mr").charts[0]
        sigma = chart.sigma
        if chart.signals:
            newest = max(chart.signals, key=lambda s: s.index)
            signal = f"{newest.rule} at {labels[newest.index]}"
    return {"mean": _plain(values.mean()), "sigma": _plain(sigma), "last": _plain(values[-1]), "target": _plain(target),
            "months": len(values), "months_meeting_target": len(values) - misses, "dpmo": _plain(rate),
            "sigma_level": _plain(sigma_level(rate)) if math.isfinite(rate) else None, "signal": signal,
            "since": labels[0], "until": labels[-1]}

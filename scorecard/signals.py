"""Signal or noise: does a KPI's own control chart show a special cause in the recent months?

A red month is not news when it sits inside the KPI's usual month-to-month variation; a
special-cause signal is. Each KPI's monthly actuals get an individuals (I-MR) chart with the
Nelson rules; a signal completed within the last ``recent`` months marks the KPI.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sixsigma.spc import control_chart

MIN_POINTS = 8


@dataclass(frozen=True)
class SignalStatus:
    """The verdict for one KPI: ``signal``, ``noise`` or ``short`` (too little history)."""

    verdict: str
    rules: tuple[str, ...] = ()


def recent_signal(values: np.ndarray, recent: int = 3) -> SignalStatus:
    """Judge a monthly series (oldest first, NaN dropped) by its individuals chart."""
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    if len(values) < MIN_POINTS or np.ptp(values) == 0:
        return SignalStatus("short")
    chart = control_chart(values, "i_mr").charts[0]
    rules = tuple(sorted({s.rule for s in chart.signals if s.index >= len(values) - recent}))
    return SignalStatus("signal" if rules else "noise", rules)


def signal_table(measurements: pd.DataFrame, segment: str, until: str, recent: int = 3) -> pd.DataFrame:
    """Signal-or-noise verdict of every KPI's monthly actuals up to ``until`` for one segment."""
    mine = measurements[(measurements["segment"] == segment) & (measurements["period"] <= until)]
    rows = []
    for kpi_id, group in mine.groupby("kpi_id", sort=False):
        status = recent_signal(group.sort_values("period")["actual"].to_numpy(), recent)
        rows.append({"kpi_id": kpi_id, "signal": status.verdict, "signal_rules": ", ".join(status.rules)})
    return pd.DataFrame(rows, columns=["kpi_id", "signal", "signal_rules"])

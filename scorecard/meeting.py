"""The meeting view's table: the scored scorecard with each KPI's trend and signal-or-noise verdict."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from scorecard.periods import months_in
from scorecard.signals import signal_table
from scorecard.view import history


def meeting_table(report: pd.DataFrame, measurements: pd.DataFrame, segment: str, period: str,
                  stages: Mapping[int, Sequence[str]] | None = None) -> pd.DataFrame:
    """The report with each KPI's 12-month trend and its signal-or-noise verdict (judged since each
    KPI's current stage: ``stages`` holds the months its stages start, by KPI id)."""
    until = months_in(period)[-1]
    trend = history(measurements, segment, until)
    signals = signal_table(measurements, segment, until, stages=stages).set_index("kpi_id")
    kpi = report["kpi_id"] if "kpi_id" in report else pd.Series(index=report.index, dtype=float)
    return report.assign(trend=kpi.map(trend), signal=kpi.map(signals["signal"]),
                         signal_rules=kpi.map(signals["signal_rules"]), signal_sigmas=kpi.map(signals["signal_sigmas"]))


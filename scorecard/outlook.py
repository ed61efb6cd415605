"""A KPI's outlook: its history, targets, forecast band and the probability of meeting the target."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from errors import Message
from scorecard.forecast import forecast, probability_of_target
from scorecard.view import kpi_history, monthly_targets


@dataclass
class Outlook:
    """What the KPI page shows about the coming months."""

    history: pd.Series
    targets: pd.Series
    forecast: pd.DataFrame | None
    probability: float
    target: float
    model: str
    error: Message | str | None = None


def kpi_outlook(history: pd.Series, targets: pd.Series, horizon: int, direction: str) -> Outlook:
    """Forecast ``horizon`` months past the history; ``targets`` must cover those months.

    Too short or unusable histories give an Outlook with ``error`` set instead of raising.
    """
    future = history.index[-1] + horizon if len(history) else None
    target = float(targets.get(future, float("nan"))) if future is not None else float("nan")
    try:
        band = forecast(history, horizon)
        probability = probability_of_target(history, target, horizon, direction)
    except ValueError as exc:
        return Outlook(history, targets, None, float("nan"), target, "", getattr(exc, "message", str(exc)))
    return Outlook(history, targets, band, probability, target, str(band.attrs.get("model", "")))


def kpi_outlook_of(definition: pd.DataFrame, measurements: pd.DataFrame, targets: pd.DataFrame, kpi_id: int,
                   segment: str, horizon: int) -> Outlook:
    """One KPI's outlook in a segment, assembled from the scorecard's tables (its history, the targets of its
    months and the next ``horizon``, its direction)."""
    history = kpi_history(measurements, kpi_id, segment)
    months = pd.period_range(history.index[0], history.index[-1] + horizon, freq="M") if len(history) else history.index
    direction = definition.set_index("kpi_id").at[kpi_id, "direction"]
    return kpi_outlook(history, monthly_targets(targets, kpi_id, segment, months), horizon, direction)

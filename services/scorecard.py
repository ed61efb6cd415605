"""Scorecard use cases: the scored report and meeting table of a period and segment, a KPI's outlook, control
chart and signal, and the strategy map's link evidence and effects, from the scorecard's stored tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from data import repository
from data.settings import get_setting
from scorecard import LinkEffect, ScoringConfig, meeting, outlook, signals, strategy, view, whatif
from sixsigma import control_chart
from sixsigma.spc import ChartSet

StageStarts = Mapping[int, Sequence[str]]  # KPI id → the months its process changed (closed projects' change months)


@dataclass(frozen=True)
class ScorecardTables:
    """The scorecard's stored tables as :mod:`data.repository` returns them."""

    definition: pd.DataFrame    # perspectives → objectives → KPIs, one row per KPI
    measurements: pd.DataFrame  # monthly actuals with their counts
    targets: pd.DataFrame       # targets by KPI, segment and month
    links: pd.DataFrame         # cause → effect links between objectives


def read_tables(engine: Engine) -> ScorecardTables:
    """Read the scorecard's tables (four queries)."""
    return ScorecardTables(repository.scorecard_definition(engine), repository.measurements(engine),
                           repository.targets(engine), repository.links(engine))


def scoring_config(engine: Engine) -> ScoringConfig:
    """The stored scoring method and thresholds (the API defaults until changed in Settings)."""
    return ScoringConfig.from_dict(get_setting(engine, "scoring"))


def report(tables: ScorecardTables, period: str, segment: str, config: ScoringConfig) -> pd.DataFrame:
    """The scored scorecard (overall, perspectives, objectives, KPIs) for a period and segment."""
    return view.scorecard_report(tables.definition, tables.measurements, tables.targets, period, segment, config)


def report_of(engine: Engine, period: str, segment: str) -> pd.DataFrame:
    """The scored scorecard of a period and segment straight from a database, with its stored scoring."""
    return report(read_tables(engine), period, segment, scoring_config(engine))


def meeting_table(tables: ScorecardTables, period: str, segment: str, config: ScoringConfig,
                  stage_starts: StageStarts) -> pd.DataFrame:
    """The scored scorecard with each KPI's trend and signal-or-noise verdict (stages from ``stage_starts``)."""
    return meeting.meeting_table(report(tables, period, segment, config), tables.measurements, segment, period,
                                 stage_starts)


def kpi_outlook(tables: ScorecardTables, kpi_id: int, segment: str, horizon: int) -> outlook.Outlook:
    """History, targets, forecast and probability of meeting the target ``horizon`` months ahead for one KPI."""
    return outlook.kpi_outlook_of(tables.definition, tables.measurements, tables.targets, kpi_id, segment, horizon)


def kpi_control_chart(tables: ScorecardTables, kpi_id: int,
                      segment: str) -> tuple[ChartSet | None, list[str] | None]:
    """The I-MR chart of a KPI's monthly actuals and its month labels (None, None when too short or constant)."""
    history = view.kpi_history(tables.measurements, kpi_id, segment)
    if len(history) < signals.MIN_POINTS or history.nunique() < 2:
        return None, None
    return control_chart(history.to_numpy(), "i_mr"), history.index.strftime("%Y-%m").tolist()


def kpi_signal(tables: ScorecardTables, kpi_id: int, segment: str,
               stage_starts: StageStarts) -> tuple[list[str], np.ndarray, signals.SignalStatus]:
    """A KPI's month labels ("YYYY-MM"), actuals and the signal-or-noise verdict of its last months."""
    history = view.kpi_history(tables.measurements, kpi_id, segment).dropna()
    labels = history.index.strftime("%Y-%m").tolist()
    values = history.to_numpy(dtype=float)
    stages = signals.stage_indices(labels, stage_starts.get(kpi_id, ()))
    return labels, values, signals.recent_signal(values, stages=stages)


def link_evidence(tables: ScorecardTables, segment: str) -> pd.DataFrame:
    """Lagged-regression evidence for every strategy-map link in a segment."""
    index = strategy.objective_index(tables.measurements, tables.definition, segment)
    return strategy.link_table(tables.links, index)


def link_effects(tables: ScorecardTables, segment: str) -> dict[tuple[int, int], LinkEffect]:
    """Each strategy-map link as an effect between its objectives' headline KPIs, estimated from history."""
    return whatif.link_effects(tables.definition, tables.links, tables.measurements, segment)

"""Loaders every area shares: the scorecard tables, the scored report, each KPI's rows, history, outlook,
chart and evidence. Pages write ``loaders.report(period, segment)``; :func:`engine` opens the database and
:func:`after_write` makes the next loader see a write (re-exported from :mod:`ui.core.cache`)."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from data import projects as project_store
from data import repository, versions
import services
from data.settings import get_setting, setting_version
from scorecard import ScoringConfig, latest_period, view
from ui.core.cache import (SCORECARD, SCORECARD_AND_PROJECTS, after_write, cached, database_answers,  # noqa: F401
                           database_url, db, engine, fragment, start_run, version_key)  # (re-exported for pages)
from ui.core.i18n import t


@cached(areas=SCORECARD)
def definition() -> pd.DataFrame:
    """Perspectives → objectives → KPIs, one row per KPI."""
    return repository.scorecard_definition(db())


@cached(areas=SCORECARD)
def measurements() -> pd.DataFrame:
    """All monthly actuals (kpi_id, segment, period, actual, numerator, denominator)."""
    return repository.measurements(db())


@cached(areas=SCORECARD)
def targets() -> pd.DataFrame:
    """All targets (id, kpi_id, segment, period, value, baseline, amber)."""
    return repository.targets(db())


@cached(areas=SCORECARD)
def segments() -> pd.DataFrame:
    """Customer segments, All first."""
    return repository.segments(db())


@cached(areas=("accounts",))
def users() -> pd.DataFrame:
    """Users and their roles."""
    return repository.users(db())


@cached(areas=SCORECARD)
def perspectives() -> pd.DataFrame:
    """Perspectives in strategy-map order (top first)."""
    return repository.perspectives(db())


@cached(areas=SCORECARD)
def objectives() -> pd.DataFrame:
    """Objectives with their perspective."""
    return repository.objectives(db())


@cached(areas=SCORECARD)
def links() -> pd.DataFrame:
    """Cause → effect links between objectives."""
    return repository.links(db())


@cached(areas=("scorecard", "audit"))
def data_as_of() -> versions.DataAsOf:
    """When the scorecard's data last changed and the latest refresh from the CRM source."""
    return versions.data_as_of(db())


@cached(areas=("audit",))
def audit_log() -> pd.DataFrame:
    """The newest audit entries, old and new values as JSON text (they hold any shape)."""
    frame = repository.audit_log(db())
    for column in ("old", "new"):
        frame[column] = frame[column].map(lambda v: "" if v is None else json.dumps(v, ensure_ascii=False, default=str))
    return frame


@cached(areas=SCORECARD)
def _scoring_setting() -> dict:
    return get_setting(db(), "scoring")


def scoring_config() -> ScoringConfig:
    """The scorecard's scoring method and thresholds (API defaults until changed in Settings)."""
    return ScoringConfig.from_dict(_scoring_setting())


@cached(areas=SCORECARD)
def scoring_version() -> int:
    """The stored scoring settings' version (0: never saved), passed back when they are saved."""
    return setting_version(db(), "scoring")


def tables() -> services.ScorecardTables:
    """The scorecard's tables for a service call (each one a cached loader)."""
    return services.ScorecardTables(definition(), measurements(), targets(), links())


@cached(areas=SCORECARD)
def _report(period: str, segment: str, config: ScoringConfig) -> pd.DataFrame:
    return services.report(tables(), period, segment, config)


def report(period: str, segment: str) -> pd.DataFrame:
    """The scored scorecard (overall, perspectives, objectives, KPIs) for a period and segment."""
    return _report(period, segment, scoring_config())


@cached(areas=SCORECARD_AND_PROJECTS)
def _meeting_table(period: str, segment: str, config: ScoringConfig) -> pd.DataFrame:
    return services.meeting_table(tables(), period, segment, config, stage_starts())


def latest_kpi_statuses() -> dict[int, str]:
    """Each KPI's status in the newest month with data, for all customers."""
    latest = report(latest_period(measurements()), "All")
    kpis = latest[latest["level"] == "kpi"]
    return dict(zip(kpis["kpi_id"].astype(int), kpis["status"]))


def meeting_table(period: str, segment: str) -> pd.DataFrame:
    """The scored scorecard with each KPI's trend and signal-or-noise verdict."""
    return _meeting_table(period, segment, scoring_config())


@cached
def _comments() -> pd.DataFrame:
    return repository.comments(db())


def comments(period: str | None = None, kpi_id: int | None = None) -> pd.DataFrame:
    """Comments (newest first), optionally for one period and KPI."""
    frame = _comments()
    if period is not None:
        frame = frame[frame["period"] == period]
    if kpi_id is not None:
        frame = frame[frame["kpi_id"] == kpi_id]
    return frame


@cached
def _action_items() -> pd.DataFrame:
    return repository.action_items(db())


def action_items(kpi_id: int) -> pd.DataFrame:
    """A KPI's action items, open ones first."""
    frame = _action_items()
    return frame[frame["kpi_id"] == kpi_id].reset_index(drop=True)


@cached(areas=SCORECARD)
def _kpi_outlook(kpi_id: int, segment: str, horizon: int):
    return services.kpi_outlook(tables(), kpi_id, segment, horizon)


def kpi_outlook(kpi_id: int, segment: str, horizon: int):
    """History, targets, forecast and probability of meeting the target for one KPI."""
    with st.spinner(t("Fitting the forecast model…")):
        return _kpi_outlook(kpi_id, segment, horizon)


@cached(areas=SCORECARD)
def kpi_control_chart(kpi_id: int, segment: str):
    """The I-MR chart of a KPI's monthly actuals and its month labels (None when too short)."""
    return services.kpi_control_chart(tables(), kpi_id, segment)


@cached(areas=SCORECARD_AND_PROJECTS)
def stage_starts() -> dict[int, list[str]]:
    """Known process changes by KPI id (closed projects' change months): where each KPI's stages start."""
    return project_store.stage_starts(db())


@cached(areas=SCORECARD_AND_PROJECTS)
def kpi_signal(kpi_id: int, segment: str):
    """A KPI's monthly month labels ("YYYY-MM"), actuals and the signal-or-noise verdict of its last months."""
    return services.kpi_signal(tables(), kpi_id, segment, stage_starts())


@cached(areas=SCORECARD)
def _link_evidence(segment: str) -> pd.DataFrame:
    return services.link_evidence(tables(), segment)


def link_evidence(segment: str) -> pd.DataFrame:
    """Lagged-regression evidence for every strategy-map link in a segment."""
    with st.spinner(t("Testing the links against the data…")):
        return _link_evidence(segment)


def kpi_monthly(kpi_id: int, segment: str) -> pd.DataFrame:
    """One KPI's monthly rows for a segment (period, actual, numerator, denominator), oldest first."""
    frame = measurements()
    mine = frame[(frame["kpi_id"] == kpi_id) & (frame["segment"] == segment)].dropna(subset=["actual"])
    return mine.sort_values("period").reset_index(drop=True)


@cached(areas=SCORECARD)
def kpi_rows(period: str, segment: str) -> pd.DataFrame:
    """One row per KPI with its official actual, target, baseline and amber band for the month."""
    return view.kpi_rows(definition(), measurements(), targets(), period, segment)


@cached(areas=SCORECARD)
def history(kpi_id: int, segment: str) -> pd.Series:
    """One KPI's monthly actuals in a segment."""
    return view.kpi_history(measurements(), kpi_id, segment)

"""Cached loaders: the only way pages reach the database.

The engine is a cached resource (created, migrated and seeded on first use); tables are
cached data keyed by the database URL, cleared after every write.
"""

from __future__ import annotations

import logging
import os

import pandas as pd
import streamlit as st
from sqlalchemy import Engine
from streamlit.errors import StreamlitSecretNotFoundError

from data import repository
from data.settings import get_setting
from scorecard import meeting, outlook, signals, strategy, view
from scorecard.scoring import ScoringConfig
from sixsigma.spc import control_chart
from data.db import DatabaseUnavailable, prepare_database
from data.db import database_url as default_database_url
from ui.i18n import t

log = logging.getLogger(__name__)
TTL_SECONDS = 600


def database_url() -> str:
    """``DATABASE_URL`` from the environment, else from ``.streamlit/secrets.toml``, else the default."""
    try:
        secret = st.secrets.get("DATABASE_URL")
    except (FileNotFoundError, StreamlitSecretNotFoundError):
        secret = None
    return default_database_url() if (os.environ.get("DATABASE_URL") or not secret) else secret


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    return prepare_database(url)


def engine() -> Engine:
    """The ready database engine; on a configuration problem, one clear message and stop."""
    try:
        with st.spinner(t("Opening the database (the first run creates it with demo data)…")):
            return _engine(database_url())
    except DatabaseUnavailable as exc:
        log.error("Database unavailable: %s", exc)
        st.error(t("The database is not available.") + f"\n\n{exc}", icon=":material/error:")
        st.info(t("Check DATABASE_URL (see README.md), then reload the page."))
        st.stop()


def clear() -> None:
    """Forget cached tables after a write so every page shows the new state."""
    st.cache_data.clear()


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _table(url: str, name: str) -> pd.DataFrame:
    """A repository read (``repository.<name>(engine)``), cached per database."""
    return getattr(repository, name)(_engine(url))


def _load(name: str) -> pd.DataFrame:
    engine()
    return _table(database_url(), name)


def definition() -> pd.DataFrame:
    """Perspectives → objectives → KPIs, one row per KPI."""
    return _load("scorecard_definition")


def measurements() -> pd.DataFrame:
    """All monthly actuals (kpi_id, segment, period, actual, numerator, denominator)."""
    return _load("measurements")


def targets() -> pd.DataFrame:
    """All targets (id, kpi_id, segment, period, value, baseline, amber)."""
    return _load("targets")


def segments() -> pd.DataFrame:
    """Customer segments, All first."""
    return _load("segments")


def users() -> pd.DataFrame:
    """Users and their roles."""
    return _load("users")


def perspectives() -> pd.DataFrame:
    """Perspectives in strategy-map order (top first)."""
    return _load("perspectives")


def objectives() -> pd.DataFrame:
    """Objectives with their perspective."""
    return _load("objectives")


def links() -> pd.DataFrame:
    """Cause → effect links between objectives."""
    return _load("links")


def audit_log() -> pd.DataFrame:
    """The newest audit entries."""
    return _load("audit_log")


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _setting(url: str, key: str) -> dict:
    return get_setting(_engine(url), key)


def scoring_config() -> ScoringConfig:
    """The scorecard's scoring method and thresholds (API defaults until changed in Settings)."""
    engine()
    return ScoringConfig.from_dict(_setting(database_url(), "scoring"))


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _report(url: str, period: str, segment: str, config: ScoringConfig) -> pd.DataFrame:
    return view.scorecard_report(_table(url, "scorecard_definition"), _table(url, "measurements"),
                                 _table(url, "targets"), period, segment, config)


def report(period: str, segment: str) -> pd.DataFrame:
    """The scored scorecard (overall, perspectives, objectives, KPIs) for a period and segment."""
    return _report(database_url(), period, segment, scoring_config())


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _meeting_table(url: str, period: str, segment: str, config: ScoringConfig) -> pd.DataFrame:
    report = _report(url, period, segment, config)
    return meeting.meeting_table(report, _table(url, "measurements"), segment, period)


def meeting_table(period: str, segment: str) -> pd.DataFrame:
    """The scored scorecard with each KPI's trend and signal-or-noise verdict."""
    return _meeting_table(database_url(), period, segment, scoring_config())


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _comments(url: str) -> pd.DataFrame:
    return repository.comments(_engine(url))


def comments(period: str | None = None, kpi_id: int | None = None) -> pd.DataFrame:
    """Comments (newest first), optionally for one period and KPI."""
    engine()
    frame = _comments(database_url())
    if period is not None:
        frame = frame[frame["period"] == period]
    if kpi_id is not None:
        frame = frame[frame["kpi_id"] == kpi_id]
    return frame


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _action_items(url: str) -> pd.DataFrame:
    return repository.action_items(_engine(url))


def action_items(kpi_id: int) -> pd.DataFrame:
    """A KPI's action items, open ones first."""
    engine()
    frame = _action_items(database_url())
    return frame[frame["kpi_id"] == kpi_id].reset_index(drop=True)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _projects(url: str) -> pd.DataFrame:
    return repository.projects(_engine(url))


def projects() -> pd.DataFrame:
    """Six Sigma projects with their KPI."""
    engine()
    return _projects(database_url())


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _kpi_outlook(url: str, kpi_id: int, segment: str, horizon: int):
    history = view.kpi_history(_table(url, "measurements"), kpi_id, segment)
    months = pd.period_range(history.index[0], history.index[-1] + horizon, freq="M") if len(history) else history.index
    targets = view.monthly_targets(_table(url, "targets"), kpi_id, segment, months)
    direction = _table(url, "scorecard_definition").set_index("kpi_id").at[kpi_id, "direction"]
    return outlook.kpi_outlook(history, targets, horizon, direction)


def kpi_outlook(kpi_id: int, segment: str, horizon: int):
    """History, targets, forecast and probability of meeting the target for one KPI."""
    engine()
    with st.spinner(t("Fitting the forecast model…")):
        return _kpi_outlook(database_url(), kpi_id, segment, horizon)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _kpi_control_chart(url: str, kpi_id: int, segment: str):
    history = view.kpi_history(_table(url, "measurements"), kpi_id, segment)
    if len(history) < signals.MIN_POINTS or history.nunique() < 2:
        return None, None
    return control_chart(history.to_numpy(), "i_mr"), history.index.strftime("%Y-%m").tolist()


def kpi_control_chart(kpi_id: int, segment: str):
    """The I-MR chart of a KPI's monthly actuals and its month labels (None when too short)."""
    engine()
    return _kpi_control_chart(database_url(), kpi_id, segment)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _link_evidence(url: str, segment: str) -> pd.DataFrame:
    index = strategy.objective_index(_table(url, "measurements"), _table(url, "scorecard_definition"), segment)
    return strategy.link_table(_table(url, "links"), index)


def link_evidence(segment: str) -> pd.DataFrame:
    """Lagged-regression evidence for every strategy-map link in a segment."""
    engine()
    with st.spinner(t("Testing the links against the data…")):
        return _link_evidence(database_url(), segment)


def kpi_monthly(kpi_id: int, segment: str) -> pd.DataFrame:
    """One KPI's monthly rows for a segment (period, actual, numerator, denominator), oldest first."""
    frame = measurements()
    mine = frame[(frame["kpi_id"] == kpi_id) & (frame["segment"] == segment)].dropna(subset=["actual"])
    return mine.sort_values("period").reset_index(drop=True)

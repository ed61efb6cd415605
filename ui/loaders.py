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
from scorecard import view
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
        st.error(t("The database is not available.") + f"\n\n{exc}", icon="🛑")
        st.info(t("Check DATABASE_URL (see README.md), then reload the page."))
        st.stop()


def clear() -> None:
    """Forget cached tables after a write so every page shows the new state."""
    st.cache_data.clear()


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _definition(url: str) -> pd.DataFrame:
    return repository.scorecard_definition(_engine(url))


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _measurements(url: str) -> pd.DataFrame:
    return repository.measurements(_engine(url))


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _targets(url: str) -> pd.DataFrame:
    return repository.targets(_engine(url))


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _segments(url: str) -> pd.DataFrame:
    return repository.segments(_engine(url))


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _users(url: str) -> pd.DataFrame:
    return repository.users(_engine(url))


def _load(loader) -> pd.DataFrame:
    engine()
    return loader(database_url())


def definition() -> pd.DataFrame:
    """Perspectives → objectives → KPIs, one row per KPI."""
    return _load(_definition)


def measurements() -> pd.DataFrame:
    """All monthly actuals (kpi_id, segment, period, actual, numerator, denominator)."""
    return _load(_measurements)


def targets() -> pd.DataFrame:
    """All targets (kpi_id, segment, period, value, baseline, amber)."""
    return _load(_targets)


def segments() -> pd.DataFrame:
    """Customer segments, All first."""
    return _load(_segments)


def users() -> pd.DataFrame:
    """Users and their roles."""
    return _load(_users)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _report(url: str, period: str, segment: str) -> pd.DataFrame:
    return view.scorecard_report(_definition(url), _measurements(url), _targets(url), period, segment)


def report(period: str, segment: str) -> pd.DataFrame:
    """The scored scorecard (overall, perspectives, objectives, KPIs) for a period and segment."""
    engine()
    return _report(database_url(), period, segment)

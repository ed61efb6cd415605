"""The database engine for pages and the one caching pattern every loader uses.

The engine is a cached resource (created, migrated and seeded on first use). A loader is a
plain function decorated with :func:`cached`: its result is cached per database URL and
arguments, and every cache is cleared after a write (:func:`clear`).
"""

from __future__ import annotations

import functools
import logging
import os
import threading
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import streamlit as st
from sqlalchemy import Engine
from streamlit.errors import StreamlitSecretNotFoundError

from data.bootstrap import prepare_database
from data.db import DatabaseUnavailable
from data.db import database_url as default_database_url
from ui.core.i18n import t
from ui.core.messages import explain

log = logging.getLogger(__name__)
TTL_SECONDS = 600
P = ParamSpec("P")
R = TypeVar("R")
_loading = threading.local()  # how deep this thread is inside cached loaders


def database_url() -> str:
    """``DATABASE_URL`` from the environment, else from ``.streamlit/secrets.toml``, else the default."""
    if os.environ.get("DATABASE_URL"):
        return default_database_url()
    try:
        secret = st.secrets.get("DATABASE_URL")
    except (FileNotFoundError, StreamlitSecretNotFoundError):
        secret = None
    return secret or default_database_url()


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    return prepare_database(url)


_opened: set[str] = set()  # database URLs this process has opened (no spinner needed again)


def engine() -> Engine:
    """The ready database engine; on a configuration problem, one clear message and stop.

    Only the first opening of a database shows a spinner: every cached loader call passes
    through here, and a spinner is a page element each time.
    """
    url = database_url()
    if url in _opened:
        return _engine(url)
    try:
        with st.spinner(t("Opening the database (the first run creates it with demo data)…")):
            ready = _engine(url)
        _opened.add(url)
        return ready
    except DatabaseUnavailable as exc:
        log.error("Database unavailable: %s", exc)
        st.error(t("The database is not available.") + f"\n\n{explain(exc)}", icon=":material/error:")
        st.info(t("Check DATABASE_URL (see README.md), then reload the page."))
        st.stop()


def db() -> Engine:
    """The engine inside a cached loader (no page elements: :func:`engine` already ran)."""
    return _engine(database_url())


def cached(func: Callable[P, R]) -> Callable[P, R]:
    """Cache a loader's result per database URL and arguments, for :data:`TTL_SECONDS`.

    The cached inner function takes the loader's name so that Streamlit keys each loader's
    cache apart (it keys by qualified name and source, which the inner function shares).
    A loader may call other loaders; only the outermost call opens the engine with its
    spinner, so no page element is created inside a cached function.
    """
    def run(url: str, *args, **kwargs):
        _loading.depth = getattr(_loading, "depth", 0) + 1
        try:
            return func(*args, **kwargs)
        finally:
            _loading.depth -= 1

    run.__module__, run.__qualname__ = func.__module__, f"{func.__qualname__}.cached"
    run = st.cache_data(ttl=TTL_SECONDS, show_spinner=False)(run)

    @functools.wraps(func)
    def load(*args: P.args, **kwargs: P.kwargs) -> R:
        if not getattr(_loading, "depth", 0):
            engine()
        return run(database_url(), *args, **kwargs)

    return load


def clear() -> None:
    """Forget cached tables after a write so every page shows the new state."""
    st.cache_data.clear()

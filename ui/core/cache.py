"""The database engine for pages and the one caching pattern every loader uses.

The engine is a cached resource (created, migrated and seeded on first use). A loader is a
plain function decorated with :func:`cached`: its result is cached per database URL, arguments
and the data version of the areas it reads (:mod:`data.versions`). The versions are read once
per script run (:func:`start_run`, called by app.py and by :func:`fragment`), so what any
process writes shows on every session's next interaction, and no write clears other caches.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from streamlit.errors import StreamlitSecretNotFoundError

from data import versions
from data.bootstrap import prepare_database
from data.db import DatabaseUnavailable, is_unreachable
from data.db import database_url as default_database_url
from ui.core.i18n import t
from ui.core.messages import explain

log = logging.getLogger(__name__)
TTL_SECONDS = 600
MAX_ENTRIES = 200  # per loader: old data versions age out
SCORECARD = ("scorecard",)  # the areas of a loader that reads only the scorecard's definition, targets and actuals
SCORECARD_AND_PROJECTS = ("scorecard", "projects")  # ... and the closed projects' change months (stages)
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


@contextmanager
def database_answers() -> Iterator[None]:
    """Run a script (or a fragment): if the database stops answering meanwhile (a restart, a network cut), one
    clear message instead of a traceback, and the next interaction tries again (the pool reconnects)."""
    try:
        yield
    except DBAPIError as exc:
        if not is_unreachable(exc):
            raise
        log.warning("The database is not answering: %s", exc)
        st.error(t("The database is not answering at the moment (it may be restarting). A change you were "
                   "saving was not saved. Try again in a moment: the page reconnects by itself."),
                 icon=":material/cloud_off:")
        st.button(t("Try again"), icon=":material/refresh:", key="database_try_again")
        st.stop()


def db() -> Engine:
    """The engine inside a cached loader (no page elements: :func:`engine` already ran)."""
    return _engine(database_url())


_run = threading.local()  # this script thread's data versions, read once per run


def start_run() -> None:
    """Begin a script run: the next loader reads the data versions afresh."""
    _run.versions = None


def data_versions() -> dict[str, int]:
    """The data versions for this run (one query on the run's first loader call)."""
    if getattr(_run, "versions", None) is None:
        _run.versions = versions.current(db())
    return _run.versions


def version_key(areas: tuple[str, ...] = versions.ALL_AREAS) -> tuple[str, tuple[int, ...]]:
    """What a loader's result is cached by besides its arguments: the database URL and the data versions of the
    ``areas`` it reads. A cache kept outside :func:`cached` (a built figure) is keyed by it too."""
    current = data_versions()
    return database_url(), tuple(current.get(area, 0) for area in areas)


def cached(func: Callable[P, R] | None = None, *, areas: tuple[str, ...] = versions.ALL_AREAS):
    """Cache a loader's result per database URL, arguments and the data version of ``areas``.

    ``areas`` names what the loader reads (see :data:`data.versions.AREAS`; default all), so a
    write elsewhere keeps its result. The cached inner function takes the loader's name so that
    Streamlit keys each loader's cache apart (it keys by qualified name and source, which the
    inner function shares). A loader may call other loaders; only the outermost call opens the
    engine with its spinner, so no page element is created inside a cached function.
    """
    if func is None:
        return functools.partial(cached, areas=areas)

    def run(url: str, version: tuple[int, ...], *args, **kwargs):
        _loading.depth = getattr(_loading, "depth", 0) + 1
        try:
            return func(*args, **kwargs)
        finally:
            _loading.depth -= 1

    run.__module__, run.__qualname__ = func.__module__, f"{func.__qualname__}.cached"
    run = st.cache_data(ttl=TTL_SECONDS, max_entries=MAX_ENTRIES, show_spinner=False)(run)

    @functools.wraps(func)
    def load(*args: P.args, **kwargs: P.kwargs) -> R:
        if database_url() not in _opened and not getattr(_loading, "depth", 0):
            engine()   # once opened, engine() shows nothing: a page calls loaders by the hundred
        return run(*version_key(areas), *args, **kwargs)

    return load


def fragment(func: Callable[P, None]) -> Callable[P, None]:
    """``st.fragment`` whose every rerun reads the data versions afresh and survives a database that stops
    answering, as a full run does."""
    @functools.wraps(func)
    def body(*args: P.args, **kwargs: P.kwargs) -> None:
        start_run()
        with database_answers():
            func(*args, **kwargs)

    return st.fragment(body)


def after_write() -> None:
    """After a write in this run: read the data versions again, so the next loader sees the change."""
    start_run()

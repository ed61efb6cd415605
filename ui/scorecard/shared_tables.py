"""Tables every session shares: formatted once per period, segment, language and digits, since the
formatting is most of a page's run, and rebuilt when the scorecard's or the projects' data version moves."""

from __future__ import annotations

import streamlit as st

from ui.core import loaders
from ui.core.cache import cached
from ui.core.format import number_style
from ui.projects import signal
from ui.scorecard import tables as scorecard_tables


def _scorecard(period: str, segment: str) -> str:
    table = loaders.meeting_table(period, segment)
    return scorecard_tables.scorecard_table_html(table, projects=signal.badges(table, segment))


def _report(period: str, segment: str) -> str:
    return scorecard_tables.report_table_html(loaders.report(period, segment))


BUILDERS = {"scorecard": _scorecard, "report": _report}


@cached(areas=("scorecard", "projects"))  # the projects' badges
def _html(table: str, period: str, segment: str, language_code: str, persian_digits: bool) -> str:
    """A table's HTML; ``language_code`` and ``persian_digits`` only key the cache (the formatting reads
    them from the session)."""
    return BUILDERS[table](period, segment)


def show(table: str, period: str, segment: str) -> None:
    """Put a shared table on the page: ``"scorecard"`` (the meeting table with its trends, signals and
    projects) or ``"report"`` (the scored hierarchy) of a period and segment."""
    st.html(_html(table, period, segment, *number_style()))

"""Translation: ``t()`` turns an English UI string into the user's language (gettext style).

The English text is the message id, so pages read as the screen does. The Persian catalog
lives in ``ui/locales/fa.json``; a test checks every ``t("...")`` literal has an entry.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import streamlit as st

LANGUAGES = {"en": "English", "fa": "فارسی"}
LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
PERSIAN_DIGITS = str.maketrans("0123456789.", "۰۱۲۳۴۵۶۷۸۹٫")


@cache
def catalog(language: str) -> dict[str, str]:
    """The message catalog of a language (empty for English, whose ids are the text)."""
    path = LOCALES_DIR / f"{language}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


_steady = threading.local()  # the number style read once for a block of this thread (see steady_style)


def language() -> str:
    """The current user's language code."""
    steady = getattr(_steady, "style", None)
    return steady[0] if steady else st.session_state.get("language", "en")


def persian_digits() -> bool:
    """Whether the user wants Persian digits (they show only in the Persian UI)."""
    steady = getattr(_steady, "style", None)
    return steady[1] if steady else bool(st.session_state.get("persian_digits", True))


@contextmanager
def steady_style() -> Iterator[None]:
    """Within the block, the language and the digits are read from the session once, not on every string and
    number: for a fragment's rerun, which draws hundreds of them and whose widgets cannot change either."""
    outer, style = getattr(_steady, "style", None), (language(), persian_digits())
    _steady.style = style
    try:
        yield
    finally:
        _steady.style = outer


def is_rtl() -> bool:
    """Whether the current language is written right to left."""
    return language() == "fa"


def t(message: str, **values: object) -> str:
    """Translate ``message`` and fill ``{placeholders}`` from ``values``."""
    text = catalog(language()).get(message, message)
    return text.format(**values) if values else text


def localized(row, field: str = "name", language_code: str | None = None) -> str:
    """A name from the database in the user's language, or in ``language_code`` (``name_fa`` when Persian and
    present)."""
    if (language_code == "fa") if language_code else is_rtl():
        value = row.get(f"{field}_fa") if hasattr(row, "get") else None
        if isinstance(value, str) and value:
            return value
    return row[field]


def report_name(row) -> str:
    """The name of a scorecard report row (overall, perspective, objective or KPI) in the user's language."""
    if row["level"] == "overall":
        return t("Overall scorecard")
    translated = row.get(f"{row['level']}_fa") if is_rtl() else None
    return translated if isinstance(translated, str) and translated else row["name"]


def separator() -> str:
    """The separator between items on one line: a middle dot reads as the Persian zero (۰), so Persian takes a comma."""
    return "، " if is_rtl() else " · "


def digits(text: str) -> str:
    """Persian digits when the user chose them (Persian UI), otherwise unchanged."""
    if is_rtl() and persian_digits():
        return text.translate(PERSIAN_DIGITS)
    return text

"""Checks on edited scorecard tables before they are saved: every problem named by row and column."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd

from errors import Message

DIRECTIONS = ("higher", "lower")
AGGREGATIONS = ("sum", "mean", "last", "ratio")
SOURCES = ("manual", "import", "sql")
PERIOD_PATTERN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
FIRST_PERIOD, LAST_PERIOD = "1990-01", "2100-12"
"""The months a measurement or target may be for (inclusive)."""
MAX_ABS_VALUE = 1e12
"""The largest magnitude of a stored number: sums of a year's values (or of every KPI) stay finite."""
ZWNJ = "\u200c"
"""The zero-width non-joiner, which Persian spelling needs (می‌شود); the one format character names keep."""


def hidden_characters(text: str) -> list[str]:
    """The control and format characters (Unicode Cc, Cf) in ``text`` as code points ("U+202E"), except the ZWNJ.

    These are invisible or reorder text (U+202E right-to-left override, U+200B zero-width space),
    so a name holding them can pose as another name.
    """
    found = dict.fromkeys(f"U+{ord(c):04X}" for c in str(text)
                          if c != ZWNJ and unicodedata.category(c) in ("Cc", "Cf"))
    return list(found)


def hidden_characters_message(text: str) -> Message | None:
    """Why a name is refused for its invisible characters, or None."""
    found = hidden_characters(text)
    if not found:
        return None
    return Message("holds invisible control or formatting characters ({characters}); type the name again without them",
                   characters=found)


def value_problem(number: float) -> Message | None:
    """Why a number cannot be stored (not finite, or beyond ±MAX_ABS_VALUE), or None."""
    if not math.isfinite(number):
        return Message("'{value}' is not a finite number", value=number)
    if abs(number) > MAX_ABS_VALUE:
        return Message("{value:g} is beyond the accepted range of ±{limit:g}", value=number, limit=MAX_ABS_VALUE)
    return None


def period_problem(month: str) -> Message | None:
    """Why a month "YYYY-MM" is outside the accepted range, or None."""
    if FIRST_PERIOD <= month <= LAST_PERIOD:
        return None
    return Message("'{value}' is outside the accepted months {first} to {last}", value=month, first=FIRST_PERIOD,
                   last=LAST_PERIOD)


@dataclass(frozen=True)
class Problem:
    """One invalid cell: ``row`` is 1-based as the user sees the table; ``message`` says what is wrong."""

    row: int
    column: str
    message: Message | str

    @property
    def sentence(self) -> Message:
        """The problem naming its row and column."""
        return Message("row {row}, column '{column}': {reason}", row=self.row, column=self.column, reason=self.message)

    def __str__(self) -> str:
        return str(self.sentence)


Rule = Callable[[pd.DataFrame], Iterable[Problem]]


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value)) or (isinstance(value, str) and not value.strip())


def required(column: str) -> Rule:
    """The column must have a value in every row."""
    def rule(frame: pd.DataFrame):
        return [Problem(i + 1, column, Message("is required")) for i, v in enumerate(frame[column]) if _blank(v)]
    return rule


def unique(*columns: str) -> Rule:
    """No two rows may share the values of ``columns``."""
    def rule(frame: pd.DataFrame):
        keys = frame[list(columns)].astype(str)
        duplicated = keys.duplicated(keep="first").to_numpy()
        return [Problem(i + 1, columns[0], Message("duplicates an earlier row ({columns})", columns=list(columns)))
                for i, dup in enumerate(duplicated) if dup]
    return rule


def one_of(column: str, choices: Iterable[str], optional: bool = False) -> Rule:
    """The column's value must be one of ``choices`` (``optional``: blank allowed)."""
    allowed = set(choices)

    def rule(frame: pd.DataFrame):
        return [Problem(i + 1, column, Message("'{value}' is not one of {choices}", value=v, choices=sorted(allowed)))
                for i, v in enumerate(frame[column])
                if not (optional and _blank(v)) and v not in allowed]
    return rule


def number(column: str, low: float | None = None, high: float | None = None, optional: bool = False) -> Rule:
    """The column must hold a number within [low, high] (``optional``: blank allowed)."""
    def rule(frame: pd.DataFrame):
        problems = []
        for i, value in enumerate(frame[column]):
            if _blank(value):
                if not optional:
                    problems.append(Problem(i + 1, column, Message("needs a number")))
                continue
            try:
                x = float(value)
            except (TypeError, ValueError):
                problems.append(Problem(i + 1, column, Message("'{value}' is not a number", value=value)))
                continue
            bounded = value_problem(x)
            if bounded is not None:
                problems.append(Problem(i + 1, column, bounded))
                continue
            if (low is not None and x < low) or (high is not None and x > high):
                if high is not None:
                    wrong = Message("{value:g} must be between {low} and {high}", value=x, low=low, high=high)
                else:
                    wrong = Message("{value:g} must be at least {low}", value=x, low=low)
                problems.append(Problem(i + 1, column, wrong))
        return problems
    return rule


def period(column: str, optional: bool = True) -> Rule:
    """The column must be a month "YYYY-MM" from FIRST_PERIOD to LAST_PERIOD (blank allowed when ``optional``)."""
    def rule(frame: pd.DataFrame):
        problems = []
        for i, v in enumerate(frame[column]):
            if optional and _blank(v):
                continue
            if not PERIOD_PATTERN.match(str(v)):
                problems.append(Problem(i + 1, column, Message("'{value}' is not a month like 2025-01", value=v)))
            elif (outside := period_problem(str(v))) is not None:
                problems.append(Problem(i + 1, column, outside))
        return problems
    return rule


def name(column: str = "name") -> Rule:
    """The column's text holds no invisible control or formatting characters (the Persian ZWNJ allowed)."""
    def rule(frame: pd.DataFrame):
        return [Problem(i + 1, column, message) for i, v in enumerate(frame[column])
                if isinstance(v, str) and (message := hidden_characters_message(v)) is not None]
    return rule


def different(first: str, second: str) -> Rule:
    """Two columns may not hold the same value (a link from an objective to itself)."""
    def rule(frame: pd.DataFrame):
        return [Problem(i + 1, second, Message("must differ from '{column}'", column=first))
                for i, (a, b) in enumerate(zip(frame[first], frame[second])) if a == b and not _blank(a)]
    return rule


def check(frame: pd.DataFrame, rules: Iterable[Rule]) -> list[Problem]:
    """All problems the rules find, in row order."""
    problems = [problem for rule in rules for problem in rule(frame)]
    return sorted(problems, key=lambda p: (p.row, p.column))


def perspective_rules() -> list[Rule]:
    return [required("name"), unique("name"), name(), number("weight", low=0)]


def objective_rules(perspectives: Iterable[str]) -> list[Rule]:
    return [required("name"), unique("name"), name(), one_of("perspective", perspectives), number("weight", low=0)]


def kpi_rules(objectives: Iterable[str]) -> list[Rule]:
    return [required("name"), unique("name"), name(), one_of("objective", objectives),
            one_of("direction", DIRECTIONS), one_of("aggregation", AGGREGATIONS),
            one_of("source", SOURCES), number("weight", low=0)]


def target_rules(kpis: Iterable[str], segments: Iterable[str]) -> list[Rule]:
    return [one_of("kpi", kpis), one_of("segment", segments), period("period"),
            unique("kpi", "segment", "period"), number("value"), number("baseline", optional=True),
            number("amber", low=0, high=1, optional=True)]


def link_rules(objectives: Iterable[str]) -> list[Rule]:
    names = list(objectives)
    return [one_of("cause", names), one_of("effect", names), different("cause", "effect"),
            unique("cause", "effect"), number("strength", low=0, high=1)]

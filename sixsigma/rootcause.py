"""Root-cause tools: Pareto analysis, FMEA (RPN and AIAG-VDA action priority), fishbone, 5 Whys.

RPN alone misleads: S × O × D ranks a minor failure that happens constantly and is hard to see
(S 3, O 9, D 9: RPN 243) above a severe, rare, hard-to-detect one (S 9, O 2, D 8: RPN 144). The AIAG &
VDA FMEA Handbook (1st edition, 2019) therefore ranks by Action Priority, a table that looks at
severity first, then occurrence, then detection; :func:`fmea_table` sorts by it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from numbers import Integral, Real

import pandas as pd

from errors import DomainError

VITAL_SHARE = 80.0
SIX_M = ("Man", "Machine", "Method", "Material", "Measurement", "Mother Nature")
MAX_WHYS = 7

# AIAG & VDA FMEA Handbook (2019), Action Priority (AP) table for DFMEA and PFMEA, as data:
# severity band → occurrence band → (AP for detection 7–10, 5–6, 2–4, 1).
_S_BANDS = ((9, 10), (7, 8), (4, 6), (2, 3), (1, 1))
_O_BANDS = ((8, 10), (6, 7), (4, 5), (2, 3), (1, 1))
_D_BANDS = ((7, 10), (5, 6), (2, 4), (1, 1))
_AP_TABLE = (
    ("HHHH", "HHHH", "HHHM", "HMLL", "LLLL"),   # S 9–10
    ("HHHH", "HHHM", "HMMM", "MMLL", "LLLL"),   # S 7–8
    ("HHMM", "MMML", "MLLL", "LLLL", "LLLL"),   # S 4–6
    ("MMLL", "LLLL", "LLLL", "LLLL", "LLLL"),   # S 2–3
    ("LLLL", "LLLL", "LLLL", "LLLL", "LLLL"),   # S 1
)
PRIORITY_ORDER = {"H": 0, "M": 1, "L": 2}


def pareto(counts: Mapping[str, float]) -> pd.DataFrame:
    """Categories largest first (ties by name) with percent, cumulative percent and the vital few.

    ``vital`` is True up to and including the first category whose cumulative percent reaches 80.
    """
    if not counts:
        raise DomainError("A Pareto chart needs at least one category with a count.")
    rows = []
    for category, count in counts.items():
        if isinstance(count, bool) or not isinstance(count, Real) or not math.isfinite(count):
            raise DomainError("The count of {category!r} must be a number, not {count!r}.", category=category,
                              count=count)
        if count < 0:
            raise DomainError("The count of {category!r} must not be negative ({count}).", category=category,
                              count=count)
        rows.append((str(category), float(count)))
    total = sum(count for _, count in rows)
    if total == 0:
        raise DomainError("Every count is zero: there is nothing to rank.")
    rows.sort(key=lambda row: (-row[1], row[0]))
    table = pd.DataFrame(rows, columns=["category", "count"])
    table["percent"] = 100.0 * table["count"] / total
    table["cumulative_percent"] = table["percent"].cumsum()
    reached = table["cumulative_percent"] >= VITAL_SHARE - 1e-9
    first = int(reached.to_numpy().argmax())
    table["vital"] = table.index <= first
    return table


def _rating(value, name: str, row: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or not 1 <= value <= 10:
        if row is None:
            raise DomainError("{rating} must be a whole number from 1 to 10, not {value!r}.", rating=name, value=value)
        raise DomainError("FMEA row {row}: {rating} must be a whole number from 1 to 10, not {value!r}.", row=row,
                          rating=name, value=value)
    return int(value)


def rpn(severity: int, occurrence: int, detection: int) -> int:
    """Risk priority number S × O × D (each an integer 1–10)."""
    return (_rating(severity, "Severity") * _rating(occurrence, "Occurrence") * _rating(detection, "Detection"))


def _band(value: int, bands: tuple[tuple[int, int], ...]) -> int:
    return next(i for i, (low, high) in enumerate(bands) if low <= value <= high)


def action_priority(severity: int, occurrence: int, detection: int) -> str:
    """AIAG-VDA action priority: "H" (high), "M" (medium) or "L" (low)."""
    s, o, d = _rating(severity, "Severity"), _rating(occurrence, "Occurrence"), _rating(detection, "Detection")
    return _AP_TABLE[_band(s, _S_BANDS)][_band(o, _O_BANDS)][_band(d, _D_BANDS)]


def _whole(value):
    """A rating typed into a table: whole floats (7.0) and digit strings count as integers."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return value


RATINGS = ("severity", "occurrence", "detection")
REVISED = tuple(f"revised_{name}" for name in RATINGS)
"""A row's ratings after its action (AIAG-VDA's reassessment), given all three or none."""


def _blank_cell(value) -> bool:
    return value is None or (isinstance(value, float) and value != value) or (isinstance(value, str) and not value.strip())


def _given(row: Mapping) -> list[str]:
    """The revised ratings a row carries."""
    return [name for name in REVISED if not _blank_cell(row.get(name))]


def _revised_ratings(row: Mapping, number: int) -> dict:
    """The row's revised ratings with their RPN and action priority (None when the row is not yet reassessed)."""
    given = _given(row)
    if not given:
        return {**dict.fromkeys(REVISED), "revised_rpn": None, "revised_action_priority": None}
    if len(given) < len(REVISED):
        raise DomainError("FMEA row {row}: give the revised severity, occurrence and detection together, or none.",
                          row=number)
    ratings = {name: _rating(_whole(row.get(name)), name.replace("_", " "), number) for name in REVISED}
    s, o, d = ratings.values()
    return {**ratings, "revised_rpn": s * o * d, "revised_action_priority": action_priority(s, o, d)}


def is_reassessed(row: Mapping) -> bool:
    """Whether an FMEA row carries all three revised ratings."""
    return len(_given(row)) == len(REVISED)


def fmea_table(rows: Sequence[Mapping]) -> pd.DataFrame:
    """Validated FMEA rows with ``rpn`` and ``action_priority``, highest priority first.

    Each row needs ``failure_mode`` and ratings ``severity``, ``occurrence``, ``detection``
    (whole numbers 1–10); ``effect``, ``cause`` and ``action`` are optional text. After its action a
    row may be rated again (``revised_severity``, ``revised_occurrence``, ``revised_detection``, all
    three or none), giving ``revised_rpn`` and ``revised_action_priority`` (None before). Sorted by
    action priority (H, M, L), then severity, then RPN, both descending.
    """
    if not rows:
        raise DomainError("The FMEA has no rows yet.")
    clean = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, Mapping):
            raise DomainError("FMEA row {row}: expected the row's fields (failure mode, ratings), not {fields!r}.",
                              row=number, fields=row)
        mode = str(row.get("failure_mode") or "").strip()
        if not mode:
            raise DomainError("FMEA row {row}: the failure mode is empty.", row=number)
        ratings = {name: _rating(_whole(row.get(name)), name, number) for name in RATINGS}
        revised = _revised_ratings(row, number)
        clean.append({"failure_mode": mode, "effect": str(row.get("effect") or "").strip(),
                      "cause": str(row.get("cause") or "").strip(), **ratings,
                      "action": str(row.get("action") or "").strip(),
                      "rpn": ratings["severity"] * ratings["occurrence"] * ratings["detection"],
                      "action_priority": action_priority(*ratings.values()), **revised})
    table = pd.DataFrame(clean)
    order = table["action_priority"].map(PRIORITY_ORDER)
    return (table.assign(_order=order).sort_values(["_order", "severity", "rpn"], ascending=[True, False, False],
                                                    kind="stable").drop(columns="_order").reset_index(drop=True))


def fishbone(causes: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """Causes grouped by the 6M categories, blanks dropped; an unknown category or no cause is refused."""
    unknown = sorted(set(causes) - set(SIX_M))
    if unknown:
        raise DomainError("Fishbone categories are {categories}; not {unknown}.", categories=list(SIX_M), unknown=unknown)
    clean = {category: [str(c).strip() for c in causes.get(category, []) if str(c).strip()] for category in SIX_M}
    if not any(clean.values()):
        raise DomainError("Write at least one cause on the fishbone.")
    return clean


def five_whys(problem: str, whys: Sequence[str]) -> dict:
    """A 5 Whys chain: the problem, each answer in turn, and the last answer as the root cause."""
    problem = (problem or "").strip()
    answers = [str(w).strip() for w in whys if str(w).strip()]
    if not problem:
        raise DomainError("State the problem the whys start from.")
    if not answers:
        raise DomainError("Answer at least one why.")
    if len(answers) > MAX_WHYS:
        raise DomainError("Stop at {most} whys: a longer chain has usually left the problem behind.", most=MAX_WHYS)
    return {"problem": problem, "whys": answers, "root_cause": answers[-1]}

"""Run rules (Nelson tests 1-8 as Minitab numbers them, Western Electric 1-4), vectorised.

Every rule works on z-scores z = (value - center) / ((ucl - center) / 3), so charts whose
limits vary per sample are tested in σ-zones of their own. Rule 1 compares values with the
limits themselves (a clipped LCL of 0 is respected). A signal is reported at the sample that
completes the pattern; a run that keeps going signals again at each further sample, as in
Minitab and qcc. NaN (undefined) points break every run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np

from errors import DomainError

__all__ = ["RULE_DESCRIPTIONS", "RULE_SETS", "evaluate_rules", "resolve_rules"]

RULE_DESCRIPTIONS: dict[str, str] = {
    "nelson1": "Nelson 1: one point beyond the control limits (3σ)",
    "nelson2": "Nelson 2: nine points in a row on one side of the centre",
    "nelson3": "Nelson 3: six points in a row steadily rising or falling",
    "nelson4": "Nelson 4: fourteen points in a row alternating up and down",
    "nelson5": "Nelson 5: two of three points beyond 2σ on one side",
    "nelson6": "Nelson 6: four of five points beyond 1σ on one side",
    "nelson7": "Nelson 7: fifteen points in a row within 1σ of the centre",
    "nelson8": "Nelson 8: eight points in a row beyond 1σ on either side",
    "we1": "Western Electric 1: one point beyond the control limits (3σ)",
    "we2": "Western Electric 2: two of three points beyond 2σ on one side",
    "we3": "Western Electric 3: four of five points beyond 1σ on one side",
    "we4": "Western Electric 4: eight points in a row on one side of the centre",
}

RULE_SETS: dict[str, tuple[str, ...]] = {
    "nelson": tuple(f"nelson{i}" for i in range(1, 9)),
    "western_electric": tuple(f"we{i}" for i in range(1, 5)),
    "none": (),
}

LIMIT_RULES = ("nelson1", "we1")


def resolve_rules(spec: Any, chart_name: str) -> tuple[str, ...]:
    """Rule names for one chart from "nelson", "western_electric", "none", a list or a dict."""
    if isinstance(spec, Mapping):
        spec = spec.get(chart_name, "nelson")
    if isinstance(spec, str):
        if spec not in RULE_SETS:
            raise DomainError(
                "unknown rule set {spec!r}: use 'nelson', 'western_electric', 'none' or a list of "
                "rule names such as ['nelson1', 'nelson2']", spec=spec
            )
        return RULE_SETS[spec]
    if not isinstance(spec, Iterable):
        raise DomainError("rules must be a rule set name, a list of rule names or a dict per chart")
    names = tuple(spec)
    unknown = [r for r in names if r not in RULE_DESCRIPTIONS]
    if unknown:
        raise DomainError("unknown rule(s) {unknown!r}; known rules: {known}", unknown=unknown,
                          known=list(RULE_DESCRIPTIONS))
    return names


def _shift(flags: np.ndarray, by: int) -> np.ndarray:
    """flags moved ``by`` places later; the first ``by`` places become False."""
    out = np.zeros_like(flags)
    if by < flags.size:
        out[by:] = flags[: flags.size - by]
    return out


def _in_a_row(flags: np.ndarray, k: int) -> np.ndarray:
    """True where the last k points (this one included) are all flagged.

    Built by doubling (runs of 1, 2, 4, ... combined by the bits of k), so the cost is
    O(n log k) on one-byte booleans instead of a cumulative sum over 8-byte integers.
    """
    result: np.ndarray | None = None
    covered = 0
    block, width = flags, 1
    while k:
        if k & 1:
            result = block if result is None else result & _shift(block, covered)
            covered += width
        k >>= 1
        if k:
            block = block & _shift(block, width)
            width *= 2
    assert result is not None
    return result


def _count_in_window(flags: np.ndarray, k: int) -> np.ndarray:
    """How many of the last k points (this one included) are flagged (small k)."""
    count = flags.astype(np.uint8)
    for lag in range(1, k):
        count += _shift(flags, lag)
    return count


class _Zones:
    """Lazily computed zone comparisons of one z-score array, shared between rules."""

    def __init__(self, z: np.ndarray) -> None:
        self.z = z
        self._cache: dict[tuple[str, float], np.ndarray] = {}

    def above(self, level: float) -> np.ndarray:
        key = ("above", level)
        if key not in self._cache:
            self._cache[key] = self.z > level
        return self._cache[key]

    def below(self, level: float) -> np.ndarray:
        key = ("below", level)
        if key not in self._cache:
            self._cache[key] = self.z < level
        return self._cache[key]

    def diffs(self) -> tuple[np.ndarray, np.ndarray]:
        key = ("diff", 0.0)
        if key not in self._cache:
            d = np.diff(self.z)
            self._cache[key] = d
        d = self._cache[key]
        return d > 0, d < 0


def _m_of_k(zones: _Zones, m: int, k: int, zone: float) -> np.ndarray:
    """m of the last k points beyond ``zone`` σ on one side, the current one among them."""
    hits = np.zeros(zones.z.size, dtype=bool)
    for side in (zones.above(zone), zones.below(-zone)):
        hits |= side & (_count_in_window(side, k) >= m)
    return hits


def _one_side(zones: _Zones, k: int) -> np.ndarray:
    return _in_a_row(zones.above(0.0), k) | _in_a_row(zones.below(0.0), k)


def _trend(zones: _Zones, k: int) -> np.ndarray:
    """k points in a row steadily rising or falling (k-1 differences of one sign)."""
    up, down = zones.diffs()
    out = np.zeros(zones.z.size, dtype=bool)
    out[1:] = _in_a_row(up, k - 1) | _in_a_row(down, k - 1)
    return out


def _alternating(zones: _Zones, k: int) -> np.ndarray:
    """k points in a row alternating up and down (k-2 consecutive changes of direction)."""
    up, down = zones.diffs()
    flips = (up[:-1] & down[1:]) | (down[:-1] & up[1:])
    out = np.zeros(zones.z.size, dtype=bool)
    out[2:] = _in_a_row(flips, k - 2)
    return out


def _within(zones: _Zones, k: int) -> np.ndarray:
    return _in_a_row(zones.below(1.0) & zones.above(-1.0), k)


def _outside(zones: _Zones, k: int) -> np.ndarray:
    return _in_a_row(zones.above(1.0) | zones.below(-1.0), k)


_DETECTORS: dict[str, Callable[[_Zones], np.ndarray]] = {
    "nelson2": lambda zn: _one_side(zn, 9),
    "nelson3": lambda zn: _trend(zn, 6),
    "nelson4": lambda zn: _alternating(zn, 14),
    "nelson5": lambda zn: _m_of_k(zn, 2, 3, 2.0),
    "nelson6": lambda zn: _m_of_k(zn, 4, 5, 1.0),
    "nelson7": lambda zn: _within(zn, 15),
    "nelson8": lambda zn: _outside(zn, 8),
    "we2": lambda zn: _m_of_k(zn, 2, 3, 2.0),
    "we3": lambda zn: _m_of_k(zn, 4, 5, 1.0),
    "we4": lambda zn: _one_side(zn, 8),
}


def zscores(values: np.ndarray, center: np.ndarray, ucl: np.ndarray) -> np.ndarray:
    """(value - center) in units of the chart's own σ-zone width (ucl - center)/3."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return (values - center) / ((ucl - center) / 3.0)


def evaluate_rules(
    values: np.ndarray, center: np.ndarray, ucl: np.ndarray, lcl: np.ndarray, rules: Iterable[str]
) -> list[tuple[int, str]]:
    """(index, rule) pairs for every rule firing, sorted by index then by rule order."""
    rules = tuple(rules)
    if not rules or values.size == 0:
        return []
    with np.errstate(invalid="ignore"):
        beyond = (values > ucl) | (values < lcl)
    zones = _Zones(zscores(values, center, ucl) if any(r not in LIMIT_RULES for r in rules) else values)
    hits_idx: list[np.ndarray] = []
    hits_rule: list[np.ndarray] = []
    for order, rule in enumerate(rules):
        flags = beyond if rule in LIMIT_RULES else _DETECTORS[rule](zones)
        idx = np.flatnonzero(flags)
        hits_idx.append(idx)
        hits_rule.append(np.full(idx.size, order))
    idx = np.concatenate(hits_idx)
    order = np.concatenate(hits_rule)
    sort = np.lexsort((order, idx))
    return [(int(i), rules[o]) for i, o in zip(idx[sort].tolist(), order[sort].tolist())]

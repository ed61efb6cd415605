"""What would it take: the driver changes that give a KPI's target a chosen chance of being met.

The inverse of the what-if. For a KPI, a target, a horizon and a chance (80 % unless set), each
upstream driver along the strategy map is moved on its own (**alone**), and then all of them
together so that each moves by the same multiple of its own historical σ (**shared**). A change
``c`` of the drivers moves the KPI's expected actual by ``c·M`` with standard error ``|c|·S``,
where M and S are the Monte Carlo mean and spread of :func:`scorecard.whatif.propagate` for a
unit change (the same draws the page uses, so applying an answer gives the asked chance). The
chance is that of the forecast plus that shift (:meth:`Predictive.probability`), solved for
``c`` by Brent's method.

As ``c`` grows the chance tends to Φ(M/S) (to 1 when S is 0): a driver whose effect is too
uncertain cannot reach the asked chance however far it moves, and is reported as such.

Feasibility is judged against the driver's own history over the last :data:`HISTORY_MONTHS`
months, in one measure: the change's size in σ, the standard deviation of the driver's actuals
over those months. The answers are ranked by it (the fewest σ first: the easiest), and the words
follow it (:func:`feasibility`): within 1 σ usual, up to 2 σ large, up to 3 σ rare, beyond that
hardly ever seen. One measure for both, so a move ranked easier never reads as harder.

A change that would take a driver past the values it can take (a share above 100 %, a count below
0: ``ranges``, from its last actual) is not offered: the driver is listed as beyond its range, and
a shared move that would take any driver there is left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, special

from errors import DomainError
from scorecard.forecast import DIRECTIONS, Predictive
from scorecard.links import LinkEffect
from scorecard.whatif import DRAWS, Edge, propagate

CHANCE = 0.80
HISTORY_MONTHS = 36
FEASIBILITY = ((1.0, "usual"), (2.0, "large"), (3.0, "rare"))    # the most σ each word allows; beyond: "unseen"
_MAX_DOUBLINGS = 60


def feasibility(sigmas: float) -> str:
    """How a change of ``sigmas`` σ of a driver's history reads: "usual", "large", "rare" or "unseen"."""
    return next((word for most, word in FEASIBILITY if sigmas <= most), "unseen")


@dataclass(frozen=True)
class Move:
    """One answer: each driver's change (KPI units), in its own σ, with the history it is judged against."""

    changes: Mapping[int, float]
    sigmas: float          # the largest |change| / σ among the moved drivers
    months: int            # months of history the changes are judged against (the shortest)
    chance: float          # the chance the changes give

    @property
    def feasibility(self) -> str:
        """:func:`feasibility` of the move's size in σ."""
        return feasibility(self.sigmas)


@dataclass(frozen=True)
class Answer:
    """The alone answers ranked by size in σ (the easiest first), the shared answer, and drivers that cannot reach it."""

    already: float | None                # the chance with no change, when it already reaches the asked chance
    alone: list[Move]
    shared: Move | None
    out_of_reach: list[int]
    beyond_range: list[int]              # drivers whose change alone would leave the values they can take


@dataclass(frozen=True)
class DriverHistory:
    """A driver's σ over its last :data:`HISTORY_MONTHS` months (or fewer, as many as it has) and its last actual."""

    sigma: float
    months: int
    last: float = float("nan")


def driver_history(history: pd.Series) -> DriverHistory:
    """σ of the actuals over the last :data:`HISTORY_MONTHS` months, and the last actual."""
    values = pd.to_numeric(history, errors="coerce").dropna().to_numpy(dtype=float)[-HISTORY_MONTHS:]
    if len(values) < 2:
        return DriverHistory(float("nan"), len(values))
    return DriverHistory(float(np.std(values, ddof=1)), len(values), float(values[-1]))


def _unit_effect(changes: Mapping[int, float], kpi: int, edges: Mapping[Edge, LinkEffect], draws: int,
                 seed: int) -> tuple[float, float]:
    """Mean and SE of the KPI's change when the drivers move by ``changes`` (0, 0 if it is not reached)."""
    reached = propagate(changes, edges, draws=draws, seed=seed).set_index("node")
    if kpi not in reached.index or not reached.at[kpi, "propagated"]:
        return 0.0, 0.0
    return float(reached.at[kpi, "mean"]), float(reached.at[kpi, "sd"])


def _ceiling(mean: float, sd: float) -> float:
    """The chance a shift of c·(mean ± sd) tends to as c grows (mean already signed to help)."""
    return 1.0 if sd == 0 else float(special.ndtr(mean / sd))


def _solve(chance_at, goal: float, start: float) -> float | None:
    """The smallest bracketed c ≥ 0 with chance_at(c) = goal (chance_at(0) < goal), or None."""
    high = start
    for _ in range(_MAX_DOUBLINGS):
        if chance_at(high) >= goal:
            return float(optimize.brentq(lambda c: chance_at(c) - goal, 0.0, high, xtol=1e-10 * max(high, 1.0)))
        high *= 2
    return None


def _within(move: Move, ranges: Mapping[int, tuple[float, float]], histories: Mapping[int, DriverHistory]) -> bool:
    """Whether every driver of ``move``, from its last actual, stays within the values it can take."""
    for driver, change in move.changes.items():
        low, high = ranges.get(driver, (-np.inf, np.inf))
        if not low <= histories[driver].last + change <= high:
            return False
    return True


def _move(drivers: Mapping[int, float], multiple: float, histories: Mapping[int, DriverHistory], chance: float) -> Move:
    """Drivers moved by ``multiple`` × their unit changes, judged against their histories."""
    changes = {driver: multiple * unit for driver, unit in drivers.items()}
    sigmas = max(abs(c) / histories[d].sigma for d, c in changes.items())
    return Move(changes, float(sigmas), min(histories[d].months for d in changes), float(chance))


def goal_seek(fitted: Predictive, horizon: int, direction: str, target: float, kpi: int,
              edges: Mapping[Edge, LinkEffect], histories: Mapping[int, pd.Series], chance: float = CHANCE, *,
              ranges: Mapping[int, tuple[float, float]] | None = None, draws: int = DRAWS, seed: int = 0) -> Answer:
    """What change of each upstream driver of ``kpi`` (alone, then shared) gives ``target`` the chance ``chance``.

    ``fitted`` is the KPI's forecast; ``histories`` the drivers' monthly actuals by KPI id (a
    driver without one, or one that never varied, is left out); ``ranges`` the values each driver can
    take (low, high; unbounded when not given), judged from its last actual.
    """
    if direction not in DIRECTIONS:
        raise DomainError("Direction must be 'higher' or 'lower', not {direction!r}.", direction=direction)
    if not 0 < chance < 1:
        raise DomainError("The chance to reach must be between 0 and 1, not {chance}.", chance=chance)
    if not np.isfinite(target):
        raise DomainError("There is no target for that month.")
    usable = {edge: effect for edge, effect in edges.items() if effect.usable}
    sign = 1.0 if direction == "higher" else -1.0

    def chance_at(mean: float, sd: float):
        return lambda c: fitted.probability(target, horizon, direction, shift=c * mean, shift_sd=c * sd)

    now = fitted.probability(target, horizon, direction)
    if now >= chance:
        return Answer(now, [], None, [], [])
    known = {d: driver_history(h) for d, h in histories.items()}
    known = {d: h for d, h in known.items() if np.isfinite(h.sigma) and h.sigma > 0}
    ranges = ranges or {}
    units, alone, out_of_reach, beyond = {}, [], [], []
    for driver in sorted({cause for cause, _ in usable} & set(known)):
        mean, sd = _unit_effect({driver: known[driver].sigma}, kpi, usable, draws, seed)
        if mean == 0:
            continue
        unit = float(np.sign(mean) * sign * known[driver].sigma)     # one σ in the direction that helps
        helps = abs(mean)                                              # the KPI's move towards its target per unit
        multiple = _solve(chance_at(sign * helps, sd), chance, 1.0) if _ceiling(helps, sd) > chance else None
        if multiple is None:
            out_of_reach.append(driver)
            continue
        units[driver] = unit
        move = _move({driver: unit}, multiple, known, chance)
        if _within(move, ranges, known):
            alone.append(move)
        else:
            beyond.append(driver)
    alone.sort(key=lambda move: move.sigmas)
    shared = _shared(units, kpi, usable, known, chance_at, chance, sign, draws, seed)
    return Answer(None, alone, shared if shared and _within(shared, ranges, known) else None, out_of_reach, beyond)


def _shared(units: Mapping[int, float], kpi: int, edges: Mapping[Edge, LinkEffect], known: Mapping[int, DriverHistory],
            chance_at, chance: float, sign: float, draws: int, seed: int) -> Move | None:
    """All helping drivers moved together by the same multiple of their own σ (None for fewer than two)."""
    if len(units) < 2:
        return None
    mean, sd = _unit_effect(units, kpi, edges, draws, seed)
    if sign * mean <= 0 or _ceiling(sign * mean, sd) <= chance:
        return None
    multiple = _solve(chance_at(mean, sd), chance, 1.0)
    return None if multiple is None else _move(units, multiple, known, chance)

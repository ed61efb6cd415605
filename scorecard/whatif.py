"""What-if scenarios: moved targets, assumed changes in actuals, and what follows along the strategy map.

A :class:`Scenario` holds new targets and assumed changes of actuals (both by KPI id, in the
KPI's units) and, per strategy-map link, an optional assumed effect that replaces the one
estimated from history.

Propagation works on the strategy map's links between objectives, each carried by the
objectives' headline KPIs (:func:`headline_kpis`). A change moves every KPI downstream by
``slope × change`` of its causes (:class:`scorecard.links.LinkEffect`). The uncertainty of
every slope is carried by Monte Carlo: each draw takes every link's slope once (normal, from
its estimate and standard error) and pushes changes through the links in topological order,
so a KPI reached by two paths (a diamond) receives each path's effect exactly once. A KPI's
own assumed change adds to what reaches it from upstream. A cycle cannot be propagated and
is refused. Downstream effects are reported as a mean with a band, never a bare point.
"""

from __future__ import annotations

import functools
import graphlib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from errors import DomainError
from scorecard.forecast import Predictive
from scorecard.links import LinkEffect, assumed_effect, estimate_effect
from scorecard.scoring import (ScoringConfig, aggregate_statuses, check_columns, kpi_results, score_scorecard,
                               weighted_mean)
from scorecard.view import kpi_history

Edge = tuple[int, int]
DRAWS = 2000
LEVEL = 0.90
SCORE_MOVE = 0.05  # points: a smaller change of a score is display rounding, not a move
_KEYS = ["level", "perspective", "objective", "name"]
_RANK = {"overall": 0, "perspective": 1, "objective": 2, "kpi": 3}


def _finite(values: Mapping[int, float], what: str) -> dict[int, float]:
    clean = {}
    for kpi_id, value in values.items():
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) or not math.isfinite(value):
            raise DomainError("The {what} for KPI {kpi} must be a number, not {value!r}.", what=what, kpi=kpi_id,
                              value=value)
        clean[int(kpi_id)] = float(value)
    return clean


@dataclass(frozen=True)
class Scenario:
    """New targets and assumed changes in actuals by KPI id, and assumed effects by (cause, effect) KPI ids."""

    targets: Mapping[int, float] = field(default_factory=dict)
    changes: Mapping[int, float] = field(default_factory=dict)
    assumptions: Mapping[Edge, LinkEffect] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "targets", _finite(self.targets, "target"))
        object.__setattr__(self, "changes", _finite(self.changes, "assumed change"))

    def to_dict(self) -> dict:
        """JSON-ready form (keys as strings; an assumption as ``"cause>effect"``)."""
        return {"targets": {str(k): v for k, v in self.targets.items()},
                "changes": {str(k): v for k, v in self.changes.items()},
                "assumptions": {f"{c}>{e}": {"slope": a.slope, "ci_low": a.ci_low, "ci_high": a.ci_high, "note": a.note}
                                for (c, e), a in self.assumptions.items()}}

    @classmethod
    def from_dict(cls, values: Mapping) -> Scenario:
        """The scenario stored by :meth:`to_dict` (other keys, such as period and segment, are ignored)."""
        assumptions = {}
        for key, a in (values.get("assumptions") or {}).items():
            cause, effect = (int(part) for part in str(key).split(">"))
            assumptions[(cause, effect)] = assumed_effect(a["slope"], a["ci_low"], a["ci_high"], a.get("note", ""))
        return cls({int(k): v for k, v in (values.get("targets") or {}).items()},
                   {int(k): v for k, v in (values.get("changes") or {}).items()}, assumptions)


@dataclass(frozen=True)
class Outcome:
    """A scenario's scored report, its comparison with the official one, and the propagated changes."""

    report: pd.DataFrame
    comparison: pd.DataFrame
    propagation: pd.DataFrame


def headline_kpis(definition: pd.DataFrame) -> dict[str, int]:
    """Each objective's headline KPI: the largest weight, the first in order on ties."""
    first = definition.reset_index(drop=True)
    order = first.assign(_order=np.arange(len(first))).sort_values(["weight", "_order"], ascending=[False, True],
                                                                   kind="stable")
    heads = order.drop_duplicates("objective")
    return {str(name): int(kpi) for name, kpi in zip(heads["objective"], heads["kpi_id"])}


def link_effects(definition: pd.DataFrame, links: pd.DataFrame, measurements: pd.DataFrame,
                 segment: str) -> dict[tuple[int, int], LinkEffect]:
    """Each strategy-map link (objective → objective) as an effect between the objectives' headline KPIs,
    estimated from their monthly histories in ``segment`` (the What-if page and its bench use this one)."""
    heads = headline_kpis(definition)
    effects = {}
    for link in links.itertuples(index=False):
        cause, effect = heads.get(link.cause), heads.get(link.effect)
        if cause is not None and effect is not None:
            effects[(cause, effect)] = estimate_effect(kpi_history(measurements, cause, segment),
                                                       kpi_history(measurements, effect, segment))
    return effects


def _order(nodes: set[int], edges: list[Edge], names: Mapping[int, str]) -> list[int]:
    sorter = graphlib.TopologicalSorter({node: set() for node in nodes})
    for cause, effect in edges:
        sorter.add(effect, cause)
    try:
        return list(sorter.static_order())
    except graphlib.CycleError as exc:
        cycle = [str(names.get(node, node)) for node in exc.args[1]]
        raise DomainError("The strategy map has a cycle: {cycle: → }; what-if cannot propagate around it. "
                          "Remove one of these links first.", cycle=cycle) from exc


def propagate(changes: Mapping[int, float], edges: Mapping[Edge, LinkEffect], *, draws: int = DRAWS,
              seed: int = 0, level: float = LEVEL, names: Mapping[int, str] | None = None) -> pd.DataFrame:
    """Total change of every KPI reached from ``changes`` along usable ``edges``.

    Returns one row per reached KPI: ``node``, ``direct`` (its own assumed change), ``mean``,
    ``sd`` (the draws' standard deviation: the change's standard error from the links' slopes),
    ``lower`` and ``upper`` (the central ``level`` band over the draws) and ``propagated``
    (whether anything reaches it from upstream). A cycle among the usable links raises ValueError.
    """
    if not 0 < level < 1:
        raise DomainError("The band level must be between 0 and 1, not {level}.", level=level)
    direct = _finite(changes, "assumed change")
    usable = [(edge, effect) for edge, effect in edges.items() if effect.usable]
    nodes = set(direct) | {node for edge, _ in usable for node in edge}
    order = _order(nodes, [edge for edge, _ in usable], names or {})
    if not direct:
        return pd.DataFrame(columns=_PROPAGATION_COLUMNS)
    slopes = tuple((edge, float(effect.slope), float(effect.se)) for edge, effect in usable)
    return _propagated(tuple(direct.items()), slopes, tuple(order), draws, seed, level).copy()


_PROPAGATION_COLUMNS = ["node", "direct", "mean", "sd", "lower", "upper", "propagated"]


@functools.lru_cache(maxsize=64)
def _propagated(direct: tuple[tuple[int, float], ...], slopes: tuple[tuple[Edge, float, float], ...],
                order: tuple[int, ...], draws: int, seed: int, level: float) -> pd.DataFrame:
    """:func:`propagate`'s draws, cached by everything they depend on: a move of a target (not of a driver)
    reuses them. ``slopes`` holds each usable link's edge, slope and standard error, in the links' order."""
    changes = dict(direct)
    rng = np.random.default_rng(seed)
    drawn = {edge: slope + se * rng.standard_normal(draws) for edge, slope, se in slopes}
    incoming: dict[int, list[Edge]] = {}
    for edge, _, _ in slopes:
        incoming.setdefault(edge[1], []).append(edge)
    total: dict[int, np.ndarray] = {}
    rows = []
    for node in order:
        reached = [edge for edge in incoming.get(node, []) if edge[0] in total]
        if node not in changes and not reached:
            continue
        total[node] = changes.get(node, 0.0) + sum((drawn[edge] * total[edge[0]] for edge in reached), np.zeros(draws))
        low, high = np.quantile(total[node], [(1 - level) / 2, (1 + level) / 2])
        rows.append({"node": node, "direct": changes.get(node, 0.0), "mean": float(total[node].mean()),
                     "sd": float(total[node].std()), "lower": float(low), "upper": float(high), "propagated": bool(reached)})
    return pd.DataFrame(rows, columns=_PROPAGATION_COLUMNS)


@dataclass(frozen=True)
class Outlook:
    """A KPI ``horizon`` months ahead: official forecast and target beside the scenario's.

    The scenario's expected actual is the forecast plus the scenario's change of that KPI
    (its own assumed change and what reaches it along the strategy map); ``shift_sd`` is that
    change's standard error, taken as independent of the forecast's error.
    """

    official_target: float
    scenario_target: float
    official_expected: float
    scenario_expected: float
    shift_sd: float
    official_chance: float
    scenario_chance: float


def outlook(fitted: Predictive, horizon: int, direction: str, official_target: float, scenario_target: float,
            shift: float = 0.0, shift_sd: float = 0.0) -> Outlook:
    """The official target's chance on the plain forecast, the scenario target's on the forecast plus the shift."""
    expected = float(fitted.mean[horizon - 1])
    return Outlook(official_target, scenario_target, expected, expected + shift, shift_sd,
                   fitted.probability(official_target, horizon, direction),
                   fitted.probability(scenario_target, horizon, direction, shift=shift, shift_sd=shift_sd))


def shifts(propagation: pd.DataFrame) -> dict[int, tuple[float, float]]:
    """Each reached KPI's scenario change and its standard error, by KPI id (from :func:`propagate`)."""
    return {int(node): (float(mean), float(sd)) for node, mean, sd in propagation[["node", "mean", "sd"]].itertuples(index=False)}


def apply_scenario(kpi_rows: pd.DataFrame, targets: Mapping[int, float], shifts: Mapping[int, float]) -> pd.DataFrame:
    """KPI rows with targets replaced and actuals moved by ``shifts`` (both by KPI id).

    A new target that is no longer an improvement on the KPI's baseline (at or below it when
    higher is better) leaves the linear baseline→target score undefined, so that KPI is
    scored without its baseline (actual/target), as the scoring rules do for KPIs without one.
    """
    targets, shifts = _finite(targets, "target"), _finite(shifts, "change")
    unknown = sorted((set(targets) | set(shifts)) - set(kpi_rows["kpi_id"].astype(int)))
    if unknown:
        raise DomainError("The scenario names KPI(s) not on this scorecard: {kpis}.", kpis=unknown)
    ids = kpi_rows["kpi_id"].astype(int)
    rows = kpi_rows.copy()
    rows["target"] = ids.map(targets).fillna(rows["target"]).astype(float)
    if "baseline" in rows:
        sign = np.where(rows["direction"] == "higher", 1.0, -1.0)
        past_baseline = ids.isin(list(targets)) & (sign * (rows["target"] - rows["baseline"]) <= 0)
        rows["baseline"] = rows["baseline"].where(~past_baseline)
    rows["actual"] = rows["actual"] + ids.map(shifts).fillna(0.0)
    return rows


def compare(official: pd.DataFrame, scenario: pd.DataFrame) -> pd.DataFrame:
    """The official report with the scenario's actual, target, status and score beside each row.

    ``changed`` marks rows whose status, target or score (by :data:`SCORE_MOVE` points or more) moved.
    """
    if len(official) != len(scenario) or not official[_KEYS].equals(scenario[_KEYS]):
        raise DomainError("The two reports do not list the same scorecard items.")
    out = official.copy()
    for column in ("actual", "target", "status", "score"):
        out[f"scenario_{column}"] = scenario[column].to_numpy()
    out["score_change"] = out["scenario_score"] - out["score"]
    moved_target = ~np.isclose(out["scenario_target"], out["target"], equal_nan=True)
    out["changed"] = (out["scenario_status"] != out["status"]) | (out["score_change"].abs() >= SCORE_MOVE) | moved_target
    return out


def _roll_up(levels: list[str], scores: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Scores of the roll-up rows of a report (in report order) recomputed from their KPI rows, bottom up."""
    ranks = [_RANK[level] for level in levels]
    scores = scores.copy()
    for rank in (2, 1, 0):
        for head in (i for i, r in enumerate(ranks) if r == rank):
            children = []
            for row in range(head + 1, len(ranks)):
                if ranks[row] <= rank:
                    break
                if ranks[row] == rank + 1:
                    children.append(row)
            scores[head] = weighted_mean(scores[children], weights[children])
    return scores


def rescore(official: pd.DataFrame, scenario_rows: pd.DataFrame, config: ScoringConfig = ScoringConfig()) -> pd.DataFrame:
    """``score_scorecard(scenario_rows, config)``, taken from ``official`` (the official KPI rows' report).

    The scenario changes KPIs' actuals, targets and baselines only, so the KPI rows (matched by
    ``kpi_id``) are scored again and the roll-ups recomputed along the official report's rows,
    with its weights: a slider move need not rebuild the whole report.
    """
    check_columns(scenario_rows)
    scored = kpi_results(scenario_rows, config)   # the KPI rows' weights are not read: the report's are
    report = official.copy()
    kpi = (report["level"] == "kpi").to_numpy()
    position = {kpi_id: i for i, kpi_id in enumerate(scenario_rows["kpi_id"].astype(int).tolist())}
    order = np.array([position[kpi_id] for kpi_id in report.loc[kpi, "kpi_id"].astype(int).tolist()], dtype=int)
    explaining = tuple(c for c in ("baseline", "amber") if c in report)  # shown beside status and score
    for column in ("actual", "target", "score", "variance", *explaining):
        values = report[column].to_numpy(dtype=float, copy=True)
        values[kpi] = np.asarray(scored[column], dtype=float)[order]
        report[column] = values
    report["score"] = _roll_up(report["level"].tolist(), report["score"].to_numpy(), report["weight"].to_numpy(dtype=float))
    statuses = aggregate_statuses(report["score"].to_numpy(), config)
    statuses[kpi] = np.asarray(scored["status"], dtype=object)[order]
    report["status"] = statuses
    return report


def evaluate(kpi_rows: pd.DataFrame, scenario: Scenario, effects: Mapping[Edge, LinkEffect],
             config: ScoringConfig = ScoringConfig(), *, level: float = LEVEL, draws: int = DRAWS,
             official: pd.DataFrame | None = None) -> Outcome:
    """Score ``kpi_rows`` under the scenario: assumptions replace estimated link effects.

    ``official`` is ``score_scorecard(kpi_rows, config)`` when the caller already has it.
    """
    names = dict(zip(kpi_rows["kpi_id"].astype(int), kpi_rows["kpi"]))
    propagation = propagate(scenario.changes, {**effects, **scenario.assumptions}, draws=draws, level=level, names=names)
    official = score_scorecard(kpi_rows, config) if official is None else official
    report = rescore(official, apply_scenario(kpi_rows, scenario.targets, dict(zip(propagation["node"], propagation["mean"]))),
                     config)
    return Outcome(report, compare(official, report), propagation)


_CARRIED = ("unit", "perspective_fa", "objective_fa", "kpi_fa")  # what a reader of the comparison needs beside the keys


def _keyed(report: pd.DataFrame) -> dict[tuple, dict]:
    """A report's rows by item (level, perspective, objective, name; a missing name as "")."""
    keys = report[_KEYS].astype(object).where(report[_KEYS].notna(), "")
    return dict(zip(keys.itertuples(index=False, name=None), report.to_dict("records")))


def side_by_side(reports: Mapping[str, pd.DataFrame], officials: Mapping[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Several scenarios' reports as one table: each item once, in scorecard order, with each official
    report's target (column ``"<label>: target"``) and each scenario's target, status and score.

    Items keep the order of the first report (the scorecard's: perspectives, then their objectives,
    then their KPIs); an item only a later report has follows in that report's order. ``unit`` and
    the Persian names are carried from the first report that has the item.
    """
    if not reports:
        raise DomainError("Choose at least one scenario to compare.")
    officials = officials or {}
    keyed = {name: _keyed(report) for name, report in {**officials, **reports}.items()}
    items = list(dict.fromkeys(key for rows in keyed.values() for key in rows))
    table = pd.DataFrame(items, columns=_KEYS)
    for column in _CARRIED:
        table[column] = [next((rows[key].get(column) for rows in keyed.values() if key in rows), None) for key in items]
    for label in officials:
        table[f"{label}: target"] = [keyed[label].get(key, {}).get("target") for key in items]
    for name in reports:
        for column in ("target", "status", "score"):
            table[f"{name}: {column}"] = [keyed[name].get(key, {}).get(column) for key in items]
    table[_KEYS] = table[_KEYS].replace("", None)
    return table

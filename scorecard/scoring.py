"""Default scoring of the balanced scorecard (see the public contract, ../shared/API.md).

KPI status
    green when the actual meets the target (``>=`` for ``higher``, ``<=`` for ``lower``); amber
    when it misses by no more than ``amber × |target|``; red otherwise; ``none`` when the actual or
    the target is missing. A target of 0 has an amber band of 0 (met or red).

KPI score (0–100, clamped; NaN without an actual or a target)
    ``linear``: ``100 × (actual − baseline)/(target − baseline)``. When the target equals the
    baseline the line is undefined, so the score is 100 if the target is met and 0 if not.
    ``ratio``: ``100 × actual/target`` (higher) or ``100 × target/actual`` (lower). A ratio only
    means something when both numbers are positive; otherwise (target ≤ 0 or actual ≤ 0, e.g. zero
    complaints against a target of zero) the score is 100 if the target is met and 0 if not.
    ``auto`` (the API default) is linear where a baseline is given and ratio elsewhere;
    ``linear`` falls back to ratio for KPIs without a baseline; ``ratio`` ignores baselines.

Roll-up
    Objective score = weighted mean of its KPIs' scores, perspective = weighted mean of its
    objectives' scores, overall = weighted mean of the perspectives' scores. Items without a
    score are left out. A weight of 0 means "shown but not counted"; when every scored item of a
    group has weight 0 the weighted mean is undefined and the group has no score (status none).
    Aggregate status: green ≥ ``green``, amber ≥ ``amber``, red below, none without a score.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np
import pandas as pd

from errors import DomainError

DIRECTIONS = ("higher", "lower")
METHODS = ("auto", "ratio", "linear")
STATUSES = ("green", "amber", "red", "none")
LEVELS = ("overall", "perspective", "objective", "kpi")
DEFAULT_AMBER = 0.10
REQUIRED_COLUMNS = ("perspective", "objective", "kpi", "direction", "actual", "target")
REPORT_COLUMNS = ["level", "perspective", "objective", "name", "actual", "target", "status", "score",
                  "variance", "weight"]
_INPUT_COLUMNS = {"perspective", "objective", "kpi", "direction", "actual", "target", "weight", "amber",
                  "baseline", "objective_weight", "perspective_weight"}
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class ScoringConfig:
    """How KPIs are scored and where the aggregate status thresholds lie."""

    method: str = "auto"
    green: float = 90.0
    amber: float = 70.0
    default_amber: float = DEFAULT_AMBER

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise DomainError("Scoring method must be one of {methods}, not {method!r}.", methods=list(METHODS),
                              method=self.method)
        if not 0.0 <= self.amber <= self.green <= 100.0:
            raise DomainError("Thresholds need 0 ≤ amber ≤ green ≤ 100 (got amber {amber}, green {green}).",
                              amber=self.amber, green=self.green)
        if not 0.0 <= self.default_amber <= 1.0:
            raise DomainError("The default amber band is a fraction between 0 and 1, not {band}.",
                              band=self.default_amber)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values for the settings store."""
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any] | None) -> ScoringConfig:
        """A config from stored values; missing keys take the defaults, unknown keys are ignored."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in (values or {}).items() if k in known}
        numbers = {k: float(v) for k, v in values.items() if k != "method"}
        return cls(**({"method": str(values["method"])} if "method" in values else {}), **numbers)


def _check_direction(direction: str) -> None:
    if direction not in DIRECTIONS:
        raise DomainError("Direction must be 'higher' or 'lower', not {direction!r}.", direction=direction)


def _floats(values: Any, size: int) -> np.ndarray:
    """``values`` as a float array of ``size`` (None → NaN; a scalar is repeated)."""
    if values is None:
        return np.full(size, np.nan)
    if isinstance(values, (np.ndarray, pd.Series)) and values.dtype == np.float64 and values.shape == (size,):
        return np.array(values, dtype=float)  # already numbers: the same floats, without a round trip through objects
    array = pd.to_numeric(pd.Series(np.atleast_1d(np.asarray(values, dtype=object))), errors="raise")
    array = array.to_numpy(dtype=float, na_value=np.nan)
    return np.broadcast_to(array, (size,)).astype(float) if array.size == 1 else array


def _meets(actual: np.ndarray, target: np.ndarray, higher: np.ndarray) -> np.ndarray:
    return np.where(higher, actual >= target, actual <= target)


def kpi_statuses(actual: Any, target: Any, higher: Any, amber: Any = DEFAULT_AMBER) -> np.ndarray:
    """Vectorised :func:`kpi_status`; ``higher`` is a boolean array (True for higher-is-better)."""
    higher = np.atleast_1d(np.asarray(higher, dtype=bool))
    size = higher.size
    actual, target = _floats(actual, size), _floats(target, size)
    band = np.nan_to_num(_floats(amber, size), nan=DEFAULT_AMBER)
    if np.any(band < 0):
        raise DomainError("The amber band must not be negative.")
    shortfall = np.where(higher, target - actual, actual - target)
    allowed = band * np.abs(target) + _TOLERANCE * np.maximum(1.0, np.abs(target))
    with np.errstate(invalid="ignore"):
        status = np.where(shortfall <= 0, "green", np.where(shortfall <= allowed, "amber", "red"))
    return np.where(np.isnan(actual) | np.isnan(target), "none", status).astype(object)


def kpi_status(actual: float | None, target: float | None, direction: str, amber: float | None = DEFAULT_AMBER) -> str:
    """green | amber | red | none for one KPI (see the module docstring)."""
    _check_direction(direction)
    return str(kpi_statuses(actual, target, direction == "higher", amber)[0])


EXPLAINING_COLUMNS = ("direction", "baseline", "amber")


def amber_limit(target: float, amber: float, direction: str) -> float:
    """The last actual that is still amber: the target missed by ``amber × |target|``."""
    _check_direction(direction)
    allowed = amber * abs(target)
    return target - allowed if direction == "higher" else target + allowed


def kpi_scores(actual: Any, target: Any, higher: Any, baseline: Any = None,
               config: ScoringConfig = ScoringConfig()) -> np.ndarray:
    """Vectorised :func:`kpi_score`; ``higher`` is a boolean array (True for higher-is-better)."""
    higher = np.atleast_1d(np.asarray(higher, dtype=bool))
    size = higher.size
    actual, target, baseline = _floats(actual, size), _floats(target, size), _floats(baseline, size)
    met = np.where(_meets(actual, target, higher), 100.0, 0.0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # huge ratios clip to 100
        ratio = np.where(higher, actual / target, target / actual) * 100.0
        ratio = np.where((target > 0) & (actual > 0), ratio, met)
        span = target - baseline
        linear = np.where(span != 0, 100.0 * (actual - baseline) / span, met)
    use_linear = ~np.isnan(baseline) & (config.method != "ratio")
    score = np.clip(np.where(use_linear, linear, ratio), 0.0, 100.0)
    return np.where(np.isnan(actual) | np.isnan(target), np.nan, score)


def kpi_score(actual: float | None, target: float | None, direction: str, baseline: float | None = None,
              config: ScoringConfig = ScoringConfig()) -> float:
    """The KPI's 0–100 score (NaN without an actual or target; see the module docstring)."""
    _check_direction(direction)
    return float(kpi_scores(actual, target, direction == "higher", baseline, config)[0])


def aggregate_status(score: float | None, config: ScoringConfig = ScoringConfig()) -> str:
    """green ≥ config.green, amber ≥ config.amber, red below, none without a score."""
    if score is None or pd.isna(score):
        return "none"
    return "green" if score >= config.green else "amber" if score >= config.amber else "red"


def weighted_mean(scores: Any, weights: Any) -> float:
    """Weighted mean of the scores that exist; NaN when none exist or their weights sum to 0."""
    scores, weights = np.asarray(scores, dtype=float), np.asarray(weights, dtype=float)
    present = ~np.isnan(scores)
    total = float(weights[present].sum())
    return float((scores[present] * weights[present]).sum() / total) if total > 0 else float("nan")


def _weights(frame: pd.DataFrame, column: str) -> pd.Series:
    """A weight column (missing column or blank → 1.0), checked to be non-negative numbers."""
    if column not in frame:
        return pd.Series(1.0, index=frame.index)
    try:
        weights = pd.to_numeric(frame[column], errors="raise").astype(float).fillna(1.0)
    except (TypeError, ValueError) as exc:
        raise DomainError("Column '{column}' must hold numbers: {detail}", column=column, detail=str(exc)) from exc
    if (weights < 0).any():
        bad = frame.loc[weights < 0, "kpi"].tolist()
        raise DomainError("Weights must not be negative ('{column}' of {kpis}).", column=column,
                          kpis=[str(kpi) for kpi in bad])
    return weights


def _numbers(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series(np.nan, index=frame.index)
    try:
        return pd.to_numeric(frame[column], errors="raise").astype(float)
    except (TypeError, ValueError) as exc:
        raise DomainError("Column '{column}' must hold numbers: {detail}", column=column, detail=str(exc)) from exc


def check_columns(kpis: pd.DataFrame) -> None:
    """KPI rows have the required columns and a known direction each."""
    missing = [c for c in REQUIRED_COLUMNS if c not in kpis]
    if missing:
        raise DomainError("The KPI table lacks column(s): {columns}.", columns=missing)
    bad = sorted(set(kpis["direction"]) - set(DIRECTIONS), key=str)
    if bad:
        raise DomainError("Direction must be 'higher' or 'lower' (found {directions}).",
                          directions=[repr(direction) for direction in bad])


def kpi_results(kpis: pd.DataFrame, config: ScoringConfig = ScoringConfig()) -> dict[str, pd.Series | np.ndarray]:
    """The scored columns of checked KPI rows, in their order: ``actual``, ``target`` and ``baseline`` as numbers,
    ``amber`` (blank → the default band), ``status``, ``score`` and ``variance``."""
    actual, target, baseline = (_numbers(kpis, column) for column in ("actual", "target", "baseline"))
    amber = _numbers(kpis, "amber").fillna(config.default_amber)
    if (amber < 0).any():
        raise DomainError("Amber bands must not be negative.")
    higher = kpis["direction"].eq("higher").to_numpy()
    return {"actual": actual, "target": target, "baseline": baseline, "amber": amber,
            "status": kpi_statuses(actual, target, higher, amber),
            "score": kpi_scores(actual, target, higher, baseline, config), "variance": actual - target}


def score_kpis(kpis: pd.DataFrame, config: ScoringConfig = ScoringConfig()) -> pd.DataFrame:
    """The input KPI rows with ``status``, ``score``, ``variance`` and clean weights added."""
    check_columns(kpis)
    rows = kpis.reset_index(drop=True).copy()
    for column, values in kpi_results(rows, config).items():
        rows[column] = values
    for column in ("weight", "objective_weight", "perspective_weight"):
        rows[column] = _weights(rows, column)
    return rows


def aggregate_statuses(scores: np.ndarray, config: ScoringConfig = ScoringConfig()) -> np.ndarray:
    """Vectorised :func:`aggregate_status` (an object array of status words)."""
    scores = np.asarray(scores, dtype=float)
    with np.errstate(invalid="ignore"):
        status = np.where(scores >= config.green, "green", np.where(scores >= config.amber, "amber", "red"))
    return np.where(np.isnan(scores), "none", status).astype(object)


def _aggregate_row(level: str, perspective: Any, objective: Any, name: Any, score: float, weight: float,
                   config: ScoringConfig, carried: dict[str, Any]) -> dict[str, Any]:
    return {"level": level, "perspective": perspective, "objective": objective, "name": name,
            "actual": np.nan, "target": np.nan, "status": aggregate_status(score, config),
            "score": score, "variance": np.nan, "weight": weight, **carried}


def _carried(values: dict[str, list], position: int, prefixes: tuple[str, ...], extras: list[str]) -> dict[str, Any]:
    """Extra columns named after the level (e.g. ``objective_id``) carried from a KPI row onto its summary row."""
    return {c: values[c][position] for c in extras if c.startswith(prefixes)}


def _hierarchy(rows: pd.DataFrame) -> dict[Any, dict[Any, list[int]]]:
    """Row positions by perspective, then objective, in order of first appearance (blank names left out)."""
    tree: dict[Any, dict[Any, list[int]]] = {}
    for position, (perspective, objective) in enumerate(zip(rows["perspective"].tolist(), rows["objective"].tolist())):
        if not (pd.isna(perspective) or pd.isna(objective)):
            tree.setdefault(perspective, {}).setdefault(objective, []).append(position)
    return tree


def score_scorecard(kpis: pd.DataFrame, config: ScoringConfig = ScoringConfig(), overall_name: str = "Overall") -> pd.DataFrame:
    """Score KPIs and roll them up into the report rows of the API.

    ``kpis`` has one row per KPI: ``perspective, objective, kpi, direction, actual, target``
    and optionally ``unit, weight, amber, baseline, objective_weight, perspective_weight``
    (blank weights count as 1, blank amber takes ``config.default_amber``; an objective's or
    perspective's weight is taken from its first row). Any other column is carried to the KPI
    rows; extra columns whose name starts with ``objective``/``perspective`` (``objective_id``,
    ``perspective_fa`` …) are also carried to the objective/perspective rows.

    Returns columns ``level, perspective, objective, name, actual, target, status, score,
    variance, weight`` plus the carried ones and, on KPI rows, the ``direction``, ``baseline`` and
    ``amber`` band that explain the status and score: the overall row first, then each perspective
    followed by its objectives, each followed by its KPIs, all in input order.
    """
    rows = score_kpis(kpis, config)
    extras = [c for c in rows.columns if c not in _INPUT_COLUMNS | {"status", "score", "variance"}]
    extras += [c for c in EXPLAINING_COLUMNS if c in rows.columns]
    columns = REPORT_COLUMNS + extras
    kpi_values = rows.assign(level="kpi", name=rows["kpi"])[columns]
    kpi_values = {c: kpi_values[c].tolist() for c in columns}  # plain lists: per-row pandas access is slow
    scores, weights = rows["score"].to_numpy(), rows["weight"].to_numpy()
    objective_weight, perspective_weight = rows["objective_weight"].to_numpy(), rows["perspective_weight"].to_numpy()

    entries: list[int | dict[str, Any]] = []  # report rows in order: a KPI's position, or a summary row
    perspective_scores, perspective_weights = [], []
    for perspective, objectives in _hierarchy(rows).items():
        block, objective_scores, objective_weights = [], [], []
        for objective, members in objectives.items():
            score = weighted_mean(scores[members], weights[members])
            objective_scores.append(score)
            objective_weights.append(float(objective_weight[members[0]]))
            block.append(_aggregate_row("objective", perspective, objective, objective, score, objective_weights[-1],
                                        config, _carried(kpi_values, members[0], ("objective", "perspective"), extras)))
            block.extend(members)
        first = next(iter(objectives.values()))[0]
        score = weighted_mean(objective_scores, objective_weights)
        perspective_scores.append(score)
        perspective_weights.append(float(perspective_weight[first]))
        entries.append(_aggregate_row("perspective", perspective, np.nan, perspective, score, perspective_weights[-1],
                                      config, _carried(kpi_values, first, ("perspective",), extras)))
        entries.extend(block)
    overall = weighted_mean(perspective_scores, perspective_weights)
    entries.insert(0, _aggregate_row("overall", np.nan, np.nan, overall_name, overall, np.nan, config, {}))
    report = pd.DataFrame({c: [kpi_values[c][e] if isinstance(e, int) else e.get(c, np.nan) for e in entries]
                           for c in columns}, columns=columns)
    for column in ("actual", "target", "score", "variance", "weight"):
        report[column] = report[column].astype(float)
    for column in extras:
        if pd.api.types.is_integer_dtype(rows[column]):
            report[column] = report[column].astype("Int64")
    return report

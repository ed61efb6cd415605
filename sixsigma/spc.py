"""Shewhart, attribute, EWMA and CUSUM control charts with Nelson / Western Electric rules.

:func:`control_chart` is the public entry point (see ``/shared/API.md``). Limits come from the
phase-I samples minus any excluded points (known special causes), separately for each stage,
and are then applied to every sample of that stage; run rules are checked on every sample,
excluded ones included, and restart at each stage.

Which rules a chart gets: the chosen rule set on individuals, X̄, R, S and attribute charts;
only the limit test (Nelson 1 / WE 1) on the moving-range chart (as Minitab does: successive
moving ranges are correlated), on EWMA and on CUSUM (their points are autocorrelated, so run
rules do not apply).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from errors import DomainError, Message
from sixsigma import _constants as K
from sixsigma._estimators import ATTRIBUTE_KINDS, BUILDERS, Lines, Options, Piece
from sixsigma._rules import LIMIT_RULES, RULE_DESCRIPTIONS, evaluate_rules, resolve_rules
from sixsigma._validation import as_numbers, check_counts, sample_mask

__all__ = ["KINDS", "Chart", "ChartSet", "Signal", "control_chart"]

KINDS: tuple[str, ...] = tuple(BUILDERS)


@dataclass(frozen=True)
class Signal:
    """A rule firing at ``index`` (0-based sample completing the pattern)."""

    index: int
    rule: str

    @property
    def description(self) -> str:
        """The rule in plain words, e.g. 'Nelson 2: nine points in a row on one side ...'."""
        return RULE_DESCRIPTIONS[self.rule]


@dataclass
class Chart(Lines):
    """One plotted statistic: name, values, center, ucl, lcl (per sample), sigma, signals."""

    signals: list[Signal]
    rules: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def signal_indices(self) -> np.ndarray:
        """Sorted unique indices of samples with at least one signal."""
        return np.unique(np.array([s.index for s in self.signals], dtype=int))


@dataclass
class ChartSet:
    """The charts of one control-chart kind, in API order (e.g. individuals, moving range)."""

    kind: str
    charts: list[Chart]
    phase1: np.ndarray
    excluded: np.ndarray
    stages: np.ndarray | None = None

    def __getitem__(self, name: str) -> Chart:
        for chart in self.charts:
            if chart.name == name:
                return chart
        raise KeyError(f"no chart named {name!r}; this set has {[c.name for c in self.charts]}")

    @property
    def signals(self) -> dict[str, list[Signal]]:
        """Signals per chart name."""
        return {c.name: c.signals for c in self.charts}

    @property
    def in_control(self) -> bool:
        """True when no chart has a signal."""
        return not any(c.signals for c in self.charts)

    def signal_table(self) -> pd.DataFrame:
        """One row per signal: chart, index, rule, description."""
        rows = [(c.name, s.index, s.rule, s.description) for c in self.charts for s in c.signals]
        return pd.DataFrame(rows, columns=["chart", "index", "rule", "description"])

    def to_frame(self) -> pd.DataFrame:
        """Long table: one row per chart and sample with value, centre, limits and rules fired."""
        frames = []
        for c in self.charts:
            fired = [""] * c.values.size
            for s in c.signals:
                fired[s.index] = f"{fired[s.index]},{s.rule}" if fired[s.index] else s.rule
            frames.append(
                pd.DataFrame(
                    {
                        "chart": c.name,
                        "sample": np.arange(c.values.size),
                        "value": c.values,
                        "center": c.center,
                        "ucl": c.ucl,
                        "lcl": c.lcl,
                        "phase1": self.phase1,
                        "excluded": self.excluded,
                        "stage": self.stages if self.stages is not None else 0,
                        "signals": fired,
                    }
                )
            )
        return pd.concat(frames, ignore_index=True)


def _sizes_array(sizes: Any, m: int) -> np.ndarray:
    arr = as_numbers(sizes, "sizes")
    if arr.ndim == 0:
        arr = np.full(m, float(arr))
    if arr.shape != (m,):
        raise DomainError("sizes has {size} entries but there are {m} samples; give one size or one per sample",
                          size=arr.size, m=m)
    if np.isnan(arr).any() or (arr <= 0).any():
        raise DomainError("sizes must be positive numbers for every sample")
    return arr


def _prepare_attributes(kind: str, data: Any, sizes: Any) -> tuple[np.ndarray, np.ndarray]:
    counts = as_numbers(data, "counts")
    if counts.ndim != 1:
        raise DomainError("a {kind} chart takes one count per sample (1-D data), got shape {shape}", kind=kind,
                          shape=counts.shape)
    check_counts(counts, "counts")
    m = counts.size
    if kind == "c":
        return counts, np.ones(m)
    if sizes is None:
        if kind in ("p", "laney_p", "np"):
            raise DomainError("a {kind} chart needs sizes= (sample sizes, one number or one per sample)", kind=kind)
        raise DomainError("a {kind} chart needs sizes= (units inspected, one number or one per sample)", kind=kind)
    n = _sizes_array(sizes, m)
    if kind in ("p", "laney_p", "np"):
        if not np.array_equal(n, np.round(n)):
            raise DomainError("sample sizes of a p or np chart must be whole numbers of units")
        if (counts > n).any():
            i = int(np.argmax(counts > n))
            raise DomainError("sample {sample} has {count:g} nonconforming units out of only {size:g} inspected",
                              sample=i + 1, count=counts[i], size=n[i])
    if kind == "np" and np.ptp(n) > 0:
        raise DomainError("an np chart needs one constant sample size; with varying sizes use a p chart")
    return counts, n


def _prepare_variables(kind: str, data: Any, sizes: Any) -> np.ndarray:
    if sizes is not None:
        raise DomainError(
            "sizes= applies to attribute charts only; a {kind} chart takes its subgroup sizes "
            "from the rows of the data (NaN marks a missing value)", kind=kind
        )
    arr = as_numbers(data)
    if kind == "i_mr" and arr.ndim != 1:
        raise DomainError(
            "an I-MR chart takes individual values (1-D data), got shape {shape}; for subgroups use xbar_r",
            shape=arr.shape
        )
    if kind in ("xbar_r", "xbar_s") and arr.ndim != 2:
        raise DomainError("a {kind} chart takes 2-D data, one row per subgroup; for individual values use i_mr",
                          kind=kind)
    if arr.ndim == 1:
        if np.isnan(arr).any():
            first = int(np.argmax(np.isnan(arr))) + 1
            raise DomainError("individual values contain a missing value (NaN) at sample {sample}", sample=first)
        if arr.size < 2:
            raise DomainError("a chart of individual values needs at least 2 values")
        return arr
    if arr.ndim != 2:
        raise DomainError("data must be 1-D (individuals) or 2-D (subgroups), got {dimensions} dimensions",
                          dimensions=arr.ndim)
    if arr.shape[1] < 2:
        raise DomainError("subgroups of size 1 have no range or standard deviation: use an I-MR chart")
    K.check_size(arr.shape[1])
    empty = np.isnan(arr).all(axis=1)
    if empty.any():
        raise DomainError("subgroup {subgroup} has no values (all NaN)", subgroup=int(np.argmax(empty)) + 1)
    return arr


def _check_options(kind: str, opts: Options) -> None:
    if kind == "ewma" and not (0 < opts.lam <= 1 and opts.L > 0):
        raise DomainError("EWMA needs a weight 0 < lam ≤ 1 and a limit width L > 0")
    if kind == "cusum" and not (opts.k >= 0 and opts.h > 0):
        raise DomainError("CUSUM needs a reference value k ≥ 0 and a decision interval h > 0 (σ units)")
    if opts.target is not None and not np.isfinite(float(opts.target)):
        raise DomainError("target must be a finite number")


def _stage_groups(stages: Any, m: int) -> tuple[np.ndarray | None, list[np.ndarray]]:
    if stages is None:
        return None, [np.arange(m)]
    labels = np.asarray(stages)
    if labels.shape != (m,):
        raise DomainError("stages must give one label per sample ({m}), got {size}", m=m, size=labels.size)
    codes, _ = pd.factorize(labels, sort=False)
    if (codes < 0).any():
        raise DomainError("every sample needs a stage label (found a missing label)")
    order = np.argsort(codes, kind="stable")
    bounds = np.flatnonzero(np.diff(codes[order])) + 1
    return labels, np.split(order, bounds)


def _label(labels: np.ndarray, i: int) -> Any:
    """Stage label of sample ``i`` as a plain Python value."""
    value = labels[i]
    return value.item() if isinstance(value, np.generic) else value


def _assemble(pieces: list[list[Piece]], groups: list[np.ndarray], labels: np.ndarray | None, m: int,
              rules: Any) -> list[Chart]:
    charts = []
    for j, first in enumerate(pieces[0]):
        arrays = {key: np.full(m, np.nan) for key in ("values", "center", "ucl", "lcl")}
        chosen = resolve_rules(rules, first.name)
        if first.limits_only:
            chosen = tuple(r for r in chosen if r in LIMIT_RULES)
        signals: list[tuple[int, str]] = []
        by_stage: dict[Any, float] = {}
        for idx, stage_pieces in zip(groups, pieces):
            piece = stage_pieces[j]
            for key, arr in arrays.items():
                arr[idx] = getattr(piece, key)
            found = evaluate_rules(piece.values, piece.center, piece.ucl, piece.lcl, chosen)
            signals.extend((int(idx[i]), r) for i, r in found)
            if labels is not None:
                by_stage[_label(labels, idx[0])] = piece.sigma
        if len(groups) > 1:
            signals.sort(key=lambda s: (s[0], chosen.index(s[1])))
        details = dict(pieces[-1][j].details)
        if labels is not None:
            details["sigma_by_stage"] = by_stage
        charts.append(
            Chart(first.name, arrays["values"], arrays["center"], arrays["ucl"], arrays["lcl"],
                  pieces[-1][j].sigma, [Signal(i, r) for i, r in signals], chosen, details)
        )
    return charts


def control_chart(
    data: Any,
    kind: str,
    *,
    sizes: Any = None,
    phase1: Any = None,
    rules: Any = "nelson",
    target: float | None = None,
    lam: float = 0.2,
    L: float = 3.0,
    k: float = 0.5,
    h: float = 5.0,
    stages: Any = None,
    exclude: Any = None,
) -> ChartSet:
    """Compute a control chart of ``kind`` for ``data``.

    kinds: i_mr, xbar_r, xbar_s (2-D, NaN = missing), p, laney_p, np, c, u, laney_u, ewma, cusum.
    ``phase1`` (slice, leading count or boolean mask) picks the samples that estimate the limits;
    ``exclude`` (indices or mask) drops known special causes from that estimate while still
    plotting and testing them; ``stages`` (one label per sample) gives each stage its own limits.
    ``rules``: "nelson", "western_electric", "none", a list of rule names, or a dict
    {chart name: any of those}. ``target``, ``lam``, ``L`` apply to EWMA; ``target``, ``k``,
    ``h`` (σ units) to CUSUM. Raises ValueError on data a chart cannot be built from.
    """
    if kind not in BUILDERS:
        raise DomainError("unknown chart kind {kind!r}; choose one of {kinds}", kind=kind, kinds=list(KINDS))
    opts = Options(target=target, lam=float(lam), L=float(L), k=float(k), h=float(h))
    _check_options(kind, opts)
    if kind in ATTRIBUTE_KINDS:
        counts, n = _prepare_attributes(kind, data, sizes)
        m = counts.size
    else:
        values = _prepare_variables(kind, data, sizes)
        m = values.shape[0]
    est_phase = sample_mask(phase1, m, "phase1", default=True)
    excluded = sample_mask(exclude, m, "exclude", default=False)
    labels, groups = _stage_groups(stages, m)
    estimate = est_phase & ~excluded
    pieces = []
    for idx in groups:
        est = estimate[idx]
        if not est.any():
            where = Message("the chart") if labels is None else Message("stage {stage!r}", stage=_label(labels, idx[0]))
            raise DomainError("{where} has no phase-I samples left to estimate limits from (after exclusions)",
                              where=where)
        if kind in ATTRIBUTE_KINDS:
            pieces.append(BUILDERS[kind](counts[idx], n[idx], est, opts))
        else:
            pieces.append(BUILDERS[kind](values[idx], est, opts))
    charts = _assemble(pieces, groups, labels, m, rules)
    return ChartSet(kind, charts, est_phase, excluded, labels)

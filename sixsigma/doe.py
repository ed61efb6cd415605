"""Two-level designed experiments: full factorials, half fractions with their aliases, and effects.

Designs are in coded units (−1/+1), runs in standard (Yates) order with the first factor changing
fastest; replicates come in blocks (std_order continues 2^k + 1, … for the second replicate, as in
Minitab). An effect is the mean response at +1 minus the mean at −1 of its contrast column (the
product of its factors' columns), the regression coefficient half of it (Montgomery, *Design and
Analysis of Experiments*, ch. 6); with residual degrees of freedom the coefficients' standard
errors, t and p-values come from the least-squares fit of every estimable term.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import stats

from errors import DomainError
from sixsigma._validation import numeric_column, require_columns

__all__ = ["HalfFraction", "effects", "full_factorial", "half_fraction", "lenth_pse", "term_name"]

MAX_FACTORS = 12


class HalfFraction(NamedTuple):
    """A 2^(k−1) design, its defining relation ("I = ABCD") and alias pairs ("D = ABC", "AB = CD")."""

    design: pd.DataFrame
    aliases: list[str]
    defining_relation: str


def _factor_names(factors: Sequence[str], minimum: int = 2) -> list[str]:
    names = [factors] if isinstance(factors, str) else list(factors)
    if len(names) < minimum:
        raise DomainError("A two-level design needs at least {minimum} factors (has {count}).", minimum=minimum,
                          count=len(names))
    if len(names) > MAX_FACTORS:
        raise DomainError("At most {maximum} factors are supported (has {count}).", maximum=MAX_FACTORS,
                          count=len(names))
    if any(not isinstance(n, str) or not n.strip() or "*" in n for n in names):
        raise DomainError("Factor names must be non-empty text without '*' (it joins interaction terms).")
    if len(set(names)) != len(names) or {"std_order", "run_order"} & set(names):
        raise DomainError("Factor names must be distinct and not std_order or run_order.")
    return names


def _replicates(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise DomainError("The number of replicates must be a whole number of at least 1, not {value!r}.",
                          value=value)
    return int(value)


def _yates(k: int) -> np.ndarray:
    """2^k × k matrix of ±1 in standard order: column j alternates in blocks of 2^j."""
    runs = np.arange(2 ** k)[:, None]
    return np.where((runs >> np.arange(k)) & 1, 1, -1)


def _laid_out(levels: np.ndarray, names: list[str], replicates: int, randomize: bool,
              seed: int | None) -> pd.DataFrame:
    """Replicated blocks with std_order and run_order; rows in run order."""
    replicates = _replicates(replicates)
    table = np.tile(levels, (replicates, 1))
    design = pd.DataFrame(table, columns=names)
    std_order = np.arange(1, len(design) + 1)
    run_order = np.random.default_rng(seed).permutation(std_order) if randomize else std_order
    design.insert(0, "run_order", run_order)
    design.insert(0, "std_order", std_order)
    return design.sort_values("run_order", kind="stable").reset_index(drop=True)


def full_factorial(factors: Sequence[str], *, replicates: int = 1, randomize: bool = True,
                   seed: int | None = None) -> pd.DataFrame:
    """The 2^k design in coded units with std_order (Yates) and run_order; rows listed in run order."""
    names = _factor_names(factors)
    return _laid_out(_yates(len(names)), names, replicates, randomize, seed)


def term_name(factors: Sequence[str], *, compact: bool = False) -> str:
    """Interaction name: factors joined by '*' ("A*C"), or run together ("AC") when ``compact``."""
    return ("" if compact else "*").join(factors)


def _parse_generator(generator: str | None, names: list[str]) -> tuple[str, list[str], int]:
    """(generated factor, factors it is the product of, sign); default: last = product of the others."""
    if generator is None:
        return names[-1], names[:-1], 1
    match = re.fullmatch(r"\s*([^=\s]+)\s*=\s*([+-]?)\s*(.+?)\s*", str(generator))
    if not match:
        raise DomainError("Write the generator as 'D = ABC' (or 'D = -ABC'), not {generator!r}.", generator=generator)
    target, sign, word = match.groups()
    others = [n for n in names if n != target]
    parts = word.split("*") if "*" in word else _split_letters(word, others)
    parts = [p.strip() for p in parts]
    if target not in names or any(p not in others for p in parts) or len(set(parts)) != len(parts) or len(parts) < 2:
        raise DomainError("The generator {generator!r} must set one factor equal to the product of at least two "
                          "other factors of this design.", generator=generator)
    return target, [n for n in names if n in parts], -1 if sign == "-" else 1


def _split_letters(word: str, names: list[str]) -> list[str]:
    """'ABC' into single-letter factor names (names of one character only)."""
    return list(word) if all(len(n) == 1 for n in names) else [word]


def _subsets(names: list[str]) -> list[tuple[str, ...]]:
    """Every non-empty combination of factors, main effects first, then two-factor interactions, …"""
    return [combo for order in range(1, len(names) + 1) for combo in itertools.combinations(names, order)]


def _alias_pairs(names: list[str], defining: frozenset[str], sign: int, compact: bool) -> list[str]:
    order = {combo: i for i, combo in enumerate(_subsets(names))}
    seen: set[frozenset[str]] = set()
    pairs = []
    for combo in _subsets(names):
        effect = frozenset(combo)
        if effect in seen or effect == defining:
            continue
        alias = effect ^ defining
        partner = tuple(n for n in names if n in alias)
        seen.update({effect, alias})
        left, right = sorted((combo, partner), key=order.get)
        minus = "-" if sign < 0 else ""
        pairs.append(f"{term_name(left, compact=compact)} = {minus}{term_name(right, compact=compact)}")
    return pairs


def half_fraction(factors: Sequence[str], *, generator: str | None = None, replicates: int = 1,
                  randomize: bool = True, seed: int | None = None) -> HalfFraction:
    """The 2^(k−1) fraction with ``generator`` (default: last factor = product of the others) and its aliases.

    Alias words run single-letter factor names together ("AB = CD"), longer names join with '*'.
    """
    names = _factor_names(factors, minimum=3)
    target, word, sign = _parse_generator(generator, names)
    base = [n for n in names if n != target]
    levels = pd.DataFrame(_yates(len(base)), columns=base)
    levels[target] = sign * levels[word].prod(axis=1)
    design = _laid_out(levels[names].to_numpy(), names, replicates, randomize, seed)
    compact = all(len(n) == 1 for n in names)
    defining = frozenset([target, *word])
    relation = f"I = {'-' if sign < 0 else ''}{term_name([n for n in names if n in defining], compact=compact)}"
    return HalfFraction(design, _alias_pairs(names, defining, sign, compact), relation)


def _coded_columns(frame: pd.DataFrame, factors: list[str]) -> pd.DataFrame:
    coded = frame[factors].apply(pd.to_numeric, errors="coerce")
    for name in factors:
        if not coded[name].isin([-1, 1]).all():
            raise DomainError("Design column {column} must hold coded levels −1 and +1 only.", column=name)
        if coded[name].nunique() < 2:
            raise DomainError("Design column {column} never changes level, so its effect cannot be estimated.",
                              column=name)
    return coded.astype(float)


def _estimable_terms(coded: pd.DataFrame, factors: list[str]) -> dict[str, np.ndarray]:
    """Contrast column of every term, skipping constant columns and aliases of an earlier term."""
    terms: dict[str, np.ndarray] = {}
    for combo in _subsets(factors):
        column = coded[list(combo)].prod(axis=1).to_numpy()
        if np.all(column == column[0]) or any(np.array_equal(column, c) or np.array_equal(column, -c)
                                               for c in terms.values()):
            continue
        terms[term_name(combo)] = column
    return terms


def effects(frame: pd.DataFrame, response: str, factors: Sequence[str]) -> pd.DataFrame:
    """One row per main effect and interaction: term, effect, coefficient (+ std_error, t, p_value with replicates).

    Aliased terms of a fractional design appear once, under the first name in hierarchical order.
    ``attrs["residual_df"]`` holds the error degrees of freedom (0 without replicates).
    """
    names = _factor_names(factors)
    require_columns(frame, [*names, response])
    coded = _coded_columns(frame, names)
    y = numeric_column(frame, response)
    terms = _estimable_terms(coded, names)
    rows = [{"term": term, "effect": y[col > 0].mean() - y[col < 0].mean()} for term, col in terms.items()]
    table = pd.DataFrame(rows)
    table["coefficient"] = table["effect"] / 2
    model = np.column_stack([np.ones(len(y)), *terms.values()])
    residual_df = len(y) - np.linalg.matrix_rank(model)
    if residual_df > 0 and model.shape[1] == np.linalg.matrix_rank(model):
        table = _with_standard_errors(table, model, y, residual_df)
    table.attrs["residual_df"] = int(max(residual_df, 0))
    return table


def _with_standard_errors(table: pd.DataFrame, model: np.ndarray, y: np.ndarray, residual_df: int) -> pd.DataFrame:
    """Minitab's SE Coef, t and two-sided p from the least-squares fit of every term."""
    beta, *_ = np.linalg.lstsq(model, y, rcond=None)
    mse = float(((y - model @ beta) ** 2).sum()) / residual_df
    se = np.sqrt(mse * np.diag(np.linalg.inv(model.T @ model)))[1:]
    table = table.copy()
    table["std_error"] = se
    with np.errstate(divide="ignore", invalid="ignore"):
        table["t"] = table["coefficient"] / se
    table["p_value"] = 2 * stats.t.sf(np.abs(table["t"]), residual_df)
    return table


def lenth_pse(effect_values: Sequence[float]) -> float:
    """Lenth's (1989) pseudo standard error of unreplicated effects."""
    size = np.abs(np.asarray(effect_values, dtype=float))
    s0 = 1.5 * float(np.median(size))
    trimmed = size[size < 2.5 * s0]
    return 1.5 * float(np.median(trimmed)) if trimmed.size else math.nan

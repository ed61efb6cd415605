"""After the ANOVA: which pairs of groups differ (Tukey), and two factors at once (two-way ANOVA)."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from scipy import stats
from statsmodels.stats.anova import anova_lm

from errors import DomainError, Message
from sixsigma._common import ALPHA, check_alpha, group_arrays, numbers

TUKEY_COLUMNS = ["group_a", "group_b", "difference", "ci_low", "ci_high", "p_value"]
ANOVA_COLUMNS = ["source", "df", "ss", "ms", "f", "p_value"]


def tukey(groups: Mapping[str, Sequence[float]], *, alpha: float = ALPHA) -> pd.DataFrame:
    """Every pair of groups, in the mapping's order: difference (b − a) of means with Tukey–Kramer intervals."""
    alpha = check_alpha(alpha)
    arrays = group_arrays(groups)
    if not any(np.ptp(values) > 0 for values in arrays.values()):
        raise DomainError("Every group's values are all the same; Tukey's comparisons need variation within groups.")
    result = stats.tukey_hsd(*arrays.values())
    interval = result.confidence_interval(1 - alpha)
    names = list(arrays)
    rows = [(names[i], names[j], result.statistic[j, i], interval.low[j, i], interval.high[j, i], result.pvalue[j, i])
            for i, j in itertools.combinations(range(len(names)), 2)]
    return pd.DataFrame(rows, columns=TUKEY_COLUMNS).astype({c: float for c in TUKEY_COLUMNS[2:]})


def _factor(frame: pd.DataFrame, column: str) -> pd.Series:
    values = frame[column]
    if values.isna().any():
        raise DomainError("Factor {factor} has an empty cell in row {row}.", factor=column,
                          row=int(np.flatnonzero(values.isna().to_numpy())[0]) + 1)
    if values.nunique() < 2:
        raise DomainError("Factor {factor} needs at least two levels.", factor=column)
    return values.astype(str)


def _two_factor_data(frame: pd.DataFrame, response: str, factor_a: str, factor_b: str) -> pd.DataFrame:
    """Columns y, a, b, with every combination of levels present and some combination repeated."""
    missing = [c for c in (response, factor_a, factor_b) if c not in frame.columns]
    if missing:
        raise DomainError("The data have no column(s) {columns}.", columns=missing)
    if len({response, factor_a, factor_b}) < 3:
        raise DomainError("The response and the two factors must be three different columns.")
    data = pd.DataFrame({"y": numbers(frame[response], Message("Column {column}", column=response)),
                         "a": _factor(frame, factor_a).to_numpy(), "b": _factor(frame, factor_b).to_numpy()})
    cells = data.groupby(["a", "b"]).size()
    if len(cells) < data["a"].nunique() * data["b"].nunique():
        raise DomainError("Every combination of {factor_a} and {factor_b} needs at least one run.",
                          factor_a=factor_a, factor_b=factor_b)
    if len(data) <= len(cells):
        raise DomainError("The interaction needs repeated runs: at least one combination of {factor_a} and "
                          "{factor_b} must be run more than once.", factor_a=factor_a, factor_b=factor_b)
    return data


def two_way_anova(frame: pd.DataFrame, response: str, factor_a: str, factor_b: str, *,
                  alpha: float = ALPHA) -> pd.DataFrame:
    """Two-way ANOVA with interaction, type II sums of squares: rows factor_a, factor_b, "interaction", "error".

    ``alpha`` is checked and kept for the caller's reading of ``p_value``; the table itself does not depend on it.
    """
    check_alpha(alpha)
    data = _two_factor_data(frame, response, factor_a, factor_b)
    table = anova_lm(smf.ols("y ~ C(a) * C(b)", data=data).fit(), typ=2)
    table.index = [factor_a, factor_b, "interaction", "error"]
    out = pd.DataFrame({"source": table.index, "df": table["df"].to_numpy(), "ss": table["sum_sq"].to_numpy()})
    out["ms"] = out["ss"] / out["df"]
    error_ms = out["ms"].iloc[-1]
    out["f"] = np.r_[out["ms"].iloc[:-1] / error_ms, np.nan]
    out["p_value"] = np.r_[stats.f.sf(out["f"].iloc[:-1], out["df"].iloc[:-1], out["df"].iloc[-1]), np.nan]
    return out[ANOVA_COLUMNS]


def two_way_message(table: pd.DataFrame, response: str, *, alpha: float = ALPHA) -> Message:
    """A two-way ANOVA table (:func:`two_way_anova`) in one sentence: which effects are unlikely to be chance."""
    alpha = check_alpha(alpha)
    factor_a, factor_b = (str(source) for source in table["source"].iloc[:2])
    names = {factor_a: factor_a, factor_b: factor_b,
             "interaction": Message("the interaction of {a} and {b}", a=factor_a, b=factor_b)}
    effects = table[table["source"].isin(list(names))]
    significant = [names[s] for s in effects.loc[effects["p_value"] < alpha, "source"]]
    rest = [names[s] for s in effects.loc[~(effects["p_value"] < alpha), "source"]]
    said = {"response": response, "a": factor_a, "b": factor_b, "alpha": alpha}
    if not rest:
        return Message("Two-way ANOVA of {response}: {a}, {b} and the interaction of {a} and {b} are all unlikely to "
                       "be chance (p below {alpha}).", **said)
    if not significant:
        return Message("Two-way ANOVA of {response}: neither {a}, {b} nor the interaction of {a} and {b} is unlikely "
                       "to be chance (every p is {alpha} or above), so the data do not show an effect.", **said)
    return Message("Two-way ANOVA of {response}. Unlikely to be chance (p below {alpha}): {significant: and }. Could "
                   "well be chance: {rest: and }.", response=response, alpha=alpha, significant=significant, rest=rest)

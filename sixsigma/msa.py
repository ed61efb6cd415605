"""Measurement system analysis: crossed gage R&R (ANOVA method) and attribute agreement (Fleiss' kappa).

Gage R&R follows Minitab and the AIAG MSA manual (4th ed.): a two-way random-effects ANOVA of
part × operator with repeat trials; the operator × part term is dropped and the model refitted
when its p-value is at least ``alpha_interaction``; variance components come from the expected
mean squares and are set to 0 when negative. Attribute agreement follows Minitab's Attribute
Agreement Analysis: Fleiss' kappa within each appraiser (trials as raters), between appraisers
(every rating as a rater), and each appraiser against the standard (each rating paired with the
standard), with the percent of parts on which the ratings all agree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from errors import DomainError
from sixsigma._validation import numeric_column, require_columns

__all__ = ["GageRR", "attribute_agreement", "fleiss_kappa", "gage_rr", "gage_table"]

NDC_FACTOR = 1.41
ANOVA_COLUMNS = ["source", "df", "ss", "ms", "f", "p_value"]


@dataclass(frozen=True)
class GageRR:
    """Crossed gage R&R: variance components, their shares, ndc and the ANOVA table of the fitted model.

    ``anova`` is the model the components come from (without the interaction row when it was
    removed); ``anova_full`` always includes the operator × part interaction.
    ``components`` has one row per source as Minitab prints it: source, var_comp,
    pct_contribution, std_dev, study_var (k·σ), pct_study_var, pct_tolerance.
    """

    var_repeatability: float
    var_operator: float
    var_interaction: float
    var_reproducibility: float
    var_gage: float
    var_part: float
    var_total: float
    pct_study_var: float
    pct_contribution: float
    pct_tolerance: float
    ndc: int
    anova: pd.DataFrame
    anova_full: pd.DataFrame
    components: pd.DataFrame
    interaction_removed: bool
    interaction_p_value: float
    n_parts: int
    n_operators: int
    n_trials: int
    k: float
    tolerance: float | None


def _labels(frame: pd.DataFrame, column: str) -> pd.Series:
    labels = frame[column]
    if labels.isna().any():
        row = int(np.flatnonzero(labels.isna().to_numpy())[0])
        raise DomainError("Column {column} is empty in row {row}; every measurement needs its {column}.",
                          column=column, row=row + 1)
    return labels


def _cube(frame: pd.DataFrame, part: str, operator: str, value: str) -> np.ndarray:
    """Measurements as a parts × operators × trials array; ValueError unless the study is balanced."""
    require_columns(frame, [part, operator, value])
    data = pd.DataFrame({"part": _labels(frame, part), "operator": _labels(frame, operator),
                         "value": numeric_column(frame, value)})
    n_parts, n_operators = data["part"].nunique(), data["operator"].nunique()
    if n_parts < 2 or n_operators < 2:
        raise DomainError("A gage R&R study needs at least 2 parts and 2 operators (has {parts} and {operators}).",
                          parts=n_parts, operators=n_operators)
    counts = data.groupby(["part", "operator"]).size().unstack(fill_value=0)
    trials = int(counts.to_numpy().min())
    if not (counts.to_numpy() == counts.to_numpy().max()).all():
        raise DomainError("The study is unbalanced: every operator must measure every part the same number of "
                          "times (counts range from {low} to {high}).", low=trials, high=int(counts.to_numpy().max()))
    if trials < 2:
        raise DomainError("A gage R&R study needs at least 2 trials of each part by each operator.")
    ordered = data.sort_values(["part", "operator"], kind="stable")
    return ordered["value"].to_numpy().reshape(n_parts, n_operators, trials)


def _sums_of_squares(y: np.ndarray) -> dict[str, float]:
    """Part, operator, interaction and repeatability sums of squares of a balanced crossed study."""
    n_parts, n_operators, trials = y.shape
    grand = y.mean()
    ss_part = n_operators * trials * float(((y.mean(axis=(1, 2)) - grand) ** 2).sum())
    ss_operator = n_parts * trials * float(((y.mean(axis=(0, 2)) - grand) ** 2).sum())
    ss_cells = trials * float(((y.mean(axis=2) - grand) ** 2).sum())
    ss_error = float(((y - y.mean(axis=2, keepdims=True)) ** 2).sum())
    return {"part": ss_part, "operator": ss_operator, "interaction": max(ss_cells - ss_part - ss_operator, 0.0),
            "repeatability": ss_error}


def _row(source: str, df: int, ss: float, denominator_ms: float | None = None,
         denominator_df: int | None = None) -> dict:
    ms = ss / df
    if denominator_ms is None:
        return {"source": source, "df": df, "ss": ss, "ms": ms, "f": math.nan, "p_value": math.nan}
    f = ms / denominator_ms if denominator_ms > 0 else math.inf
    p = float(stats.f.sf(f, df, denominator_df)) if math.isfinite(f) else 0.0
    return {"source": source, "df": df, "ss": ss, "ms": ms, "f": f, "p_value": p}


def _anova_tables(y: np.ndarray, part: str, operator: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(with interaction, without interaction): main effects tested against the interaction, resp. pooled error."""
    n_parts, n_operators, trials = y.shape
    ss = _sums_of_squares(y)
    df = {"part": n_parts - 1, "operator": n_operators - 1,
          "interaction": (n_parts - 1) * (n_operators - 1), "repeatability": n_parts * n_operators * (trials - 1)}
    total = {"source": "total", "df": y.size - 1, "ss": float(sum(ss.values())), "ms": math.nan, "f": math.nan,
             "p_value": math.nan}
    ms_int, ms_err = ss["interaction"] / df["interaction"], ss["repeatability"] / df["repeatability"]
    full = pd.DataFrame([
        _row(part, df["part"], ss["part"], ms_int, df["interaction"]),
        _row(operator, df["operator"], ss["operator"], ms_int, df["interaction"]),
        _row("interaction", df["interaction"], ss["interaction"], ms_err, df["repeatability"]),
        _row("repeatability", df["repeatability"], ss["repeatability"]),
        total,
    ], columns=ANOVA_COLUMNS)
    pooled_df = df["interaction"] + df["repeatability"]
    pooled_ms = (ss["interaction"] + ss["repeatability"]) / pooled_df
    reduced = pd.DataFrame([
        _row(part, df["part"], ss["part"], pooled_ms, pooled_df),
        _row(operator, df["operator"], ss["operator"], pooled_ms, pooled_df),
        _row("repeatability", pooled_df, ss["interaction"] + ss["repeatability"]),
        total,
    ], columns=ANOVA_COLUMNS)
    return full, reduced


def _variance_components(anova: pd.DataFrame, shape: tuple[int, int, int], with_interaction: bool) -> dict[str, float]:
    """Expected-mean-square estimates, each clipped at 0."""
    n_parts, n_operators, trials = shape
    ms = anova["ms"].to_numpy()
    ms_part, ms_operator = ms[0], ms[1]
    ms_error = ms[3] if with_interaction else ms[2]
    ms_against = ms[2] if with_interaction else ms_error
    return {
        "repeatability": max(ms_error, 0.0),
        "operator": max((ms_operator - ms_against) / (n_parts * trials), 0.0),
        "interaction": max((ms[2] - ms_error) / trials, 0.0) if with_interaction else 0.0,
        "part": max((ms_part - ms_against) / (n_operators * trials), 0.0),
    }


def gage_table(variances: dict[str, float], k: float, tolerance: float | None) -> pd.DataFrame:
    """Minitab's variance-component table: one row per source with its shares of the total and the tolerance."""
    var_total = variances["total"]
    rows = []
    for source, var in variances.items():
        sd = math.sqrt(var)
        rows.append({"source": source, "var_comp": var, "pct_contribution": 100 * var / var_total, "std_dev": sd,
                     "study_var": k * sd, "pct_study_var": 100 * sd / math.sqrt(var_total),
                     "pct_tolerance": 100 * k * sd / tolerance if tolerance else math.nan})
    return pd.DataFrame(rows)


def _check_options(tolerance: float | None, k: float, alpha_interaction: float) -> None:
    if tolerance is not None and not (isinstance(tolerance, (int, float)) and math.isfinite(tolerance)
                                      and tolerance > 0):
        raise DomainError("The tolerance (USL − LSL) must be a positive number, not {tolerance!r}.",
                          tolerance=tolerance)
    if not (isinstance(k, (int, float)) and math.isfinite(k) and k > 0):
        raise DomainError("The study-variation multiplier k must be a positive number (6 or 5.15), not {k!r}.", k=k)
    if not (isinstance(alpha_interaction, (int, float)) and 0 <= alpha_interaction <= 1):
        raise DomainError("alpha_interaction must lie between 0 and 1, not {alpha!r}.", alpha=alpha_interaction)


def gage_rr(frame: pd.DataFrame, *, part: str = "part", operator: str = "operator", value: str = "value",
            tolerance: float | None = None, k: float = 6.0, alpha_interaction: float = 0.05) -> GageRR:
    """Crossed gage R&R by the ANOVA method (Minitab, AIAG MSA 4th ed.); one row of ``frame`` per measurement."""
    _check_options(tolerance, k, alpha_interaction)
    y = _cube(frame, part, operator, value)
    full, reduced = _anova_tables(y, part, operator)
    interaction_p = float(full["p_value"].iloc[2])
    removed = bool(interaction_p >= alpha_interaction) if not math.isnan(interaction_p) else True
    anova = reduced if removed else full
    comp = _variance_components(anova, y.shape, with_interaction=not removed)
    reproducibility = comp["operator"] + comp["interaction"]
    gage = comp["repeatability"] + reproducibility
    if gage <= 0:
        raise DomainError("Every repeat measurement is identical and the operators agree exactly: the study shows "
                          "no measurement variation to assess (check the gage's resolution).")
    total = gage + comp["part"]
    variances = {"gage": gage, "repeatability": comp["repeatability"], "reproducibility": reproducibility,
                 "operator": comp["operator"], "interaction": comp["interaction"], "part": comp["part"],
                 "total": total}
    return GageRR(
        var_repeatability=comp["repeatability"], var_operator=comp["operator"], var_interaction=comp["interaction"],
        var_reproducibility=reproducibility, var_gage=gage, var_part=comp["part"], var_total=total,
        pct_study_var=100 * math.sqrt(gage / total), pct_contribution=100 * gage / total,
        pct_tolerance=100 * k * math.sqrt(gage) / tolerance if tolerance else math.nan,
        ndc=int(math.floor(NDC_FACTOR * math.sqrt(comp["part"] / gage))),
        anova=anova, anova_full=full, components=gage_table(variances, k, tolerance),
        interaction_removed=removed, interaction_p_value=interaction_p,
        n_parts=y.shape[0], n_operators=y.shape[1], n_trials=y.shape[2], k=float(k),
        tolerance=float(tolerance) if tolerance else None,
    )


# ---------------------------------------------------------------------------------------------
# Attribute agreement
# ---------------------------------------------------------------------------------------------

def fleiss_kappa(ratings: np.ndarray) -> float:
    """Fleiss' kappa of a subjects × raters array of category labels (Fleiss 1971); NaN when chance agreement is 1."""
    categories = np.unique(ratings)
    counts = np.stack([(ratings == c).sum(axis=1) for c in categories], axis=1).astype(float)
    raters = counts.sum(axis=1)[0]
    observed = float(((counts * (counts - 1)).sum(axis=1) / (raters * (raters - 1))).mean())
    shares = counts.sum(axis=0) / counts.sum()
    expected = float((shares ** 2).sum())
    return (observed - expected) / (1 - expected) if expected < 1 else math.nan


def _agreement_row(group: str, ratings: np.ndarray) -> dict:
    """Fleiss' kappa and the share of subjects (rows) on which every rating agrees."""
    matched = int((ratings == ratings[:, :1]).all(axis=1).sum())
    return {"comparison": group, "inspected": ratings.shape[0], "matched": matched,
            "percent": 100 * matched / ratings.shape[0], "kappa": fleiss_kappa(ratings)}


def _rating_cube(frame: pd.DataFrame, part: str, appraiser: str, rating: str) -> tuple[np.ndarray, list, list]:
    """Ratings as a parts × appraisers × trials array of strings (ValueError unless balanced)."""
    require_columns(frame, [part, appraiser, rating])
    data = pd.DataFrame({"part": _labels(frame, part), "appraiser": _labels(frame, appraiser),
                         "rating": _labels(frame, rating).astype(str)})
    counts = data.groupby(["part", "appraiser"]).size().unstack(fill_value=0).to_numpy()
    if data["part"].nunique() < 2 or data["appraiser"].nunique() < 1:
        raise DomainError("Attribute agreement needs at least 2 parts rated by at least 1 appraiser.")
    if not (counts == counts.max()).all():
        raise DomainError("The study is unbalanced: every appraiser must rate every part the same number of times.")
    ordered = data.sort_values(["part", "appraiser"], kind="stable")
    cube = ordered["rating"].to_numpy().reshape(counts.shape[0], counts.shape[1], counts.max())
    return cube, sorted(data["part"].unique()), sorted(data["appraiser"].unique())


def _standard_by_part(frame: pd.DataFrame, part: str, standard: str, parts: list) -> np.ndarray:
    require_columns(frame, [standard])
    known = pd.DataFrame({"part": frame[part], "standard": _labels(frame, standard).astype(str)}).drop_duplicates()
    if known["part"].duplicated().any():
        raise DomainError("Each part needs one known standard, but part {part!r} has several.",
                          part=known.loc[known["part"].duplicated(), "part"].iloc[0])
    return known.set_index("part").loc[parts, "standard"].to_numpy()


def attribute_agreement(frame: pd.DataFrame, *, part: str, appraiser: str, rating: str,
                        standard: str | None = None) -> pd.DataFrame:
    """Minitab's Attribute Agreement Analysis: one row per comparison.

    Columns: ``kind`` ("within", "vs_standard", "between", "all_vs_standard"), ``comparison``
    (appraiser name, or "all"), ``inspected`` (parts), ``matched`` (parts on which all the ratings
    agree, with each other and with the standard where one is compared), ``percent`` and ``kappa``
    (Fleiss' kappa; against the standard each rating is paired with the standard). Within-appraiser
    rows need at least 2 trials; between-appraiser rows at least 2 appraisers.
    """
    cube, _parts, appraisers = _rating_cube(frame, part, appraiser, rating)
    n_parts, n_appraisers, trials = cube.shape
    truth = _standard_by_part(frame, part, standard, _parts) if standard is not None else None
    rows = []
    for index, name in enumerate(appraisers):
        own = cube[:, index, :]
        if trials >= 2:
            rows.append({"kind": "within", **_agreement_row(name, own)})
        if truth is not None:
            rows.append({"kind": "vs_standard", **_vs_standard(name, own, truth)})
    everyone = cube.reshape(n_parts, n_appraisers * trials)
    if n_appraisers >= 2:
        rows.append({"kind": "between", **_agreement_row("all", everyone)})
    if truth is not None:
        rows.append({"kind": "all_vs_standard", **_vs_standard("all", everyone, truth)})
    return pd.DataFrame(rows, columns=["kind", "comparison", "inspected", "matched", "percent", "kappa"])


def _vs_standard(name: str, ratings: np.ndarray, truth: np.ndarray) -> dict:
    """Parts on which every rating equals the standard; kappa of each (rating, standard) pair."""
    matched = int((ratings == truth[:, None]).all(axis=1).sum())
    pairs = np.stack([ratings.ravel(), np.repeat(truth, ratings.shape[1])], axis=1)
    return {"comparison": name, "inspected": ratings.shape[0], "matched": matched,
            "percent": 100 * matched / ratings.shape[0], "kappa": fleiss_kappa(pairs)}

"""Why a KPI has its status and score: the amber band, the baseline and the scoring method in words."""

from __future__ import annotations

import pandas as pd

from scorecard import ScoringConfig, amber_limit
from ui.core.format import number
from ui.core.i18n import report_name, t


def _known(value: object) -> bool:
    return value is not None and not pd.isna(value)


def _band(amber: float) -> str:
    """The amber band as a percentage of the target: "5%", "2.5%"."""
    percent = 100 * amber
    return number(percent, "%", decimals=0 if float(percent).is_integer() else 1)


def status_title(row: pd.Series) -> str:
    """The KPI's bands: green from the target, amber down (or up) to the band's edge, red beyond ("" for roll-ups)."""
    if row.get("level") != "kpi" or not _known(row.get("target")) or not _known(row.get("amber")):
        return ""
    unit, target, direction = row.get("unit") or "", float(row["target"]), row["direction"]
    limit = number(amber_limit(target, float(row["amber"]), direction), unit)
    if direction == "higher":
        return t("Green at or above the target {target}; amber down to {limit} (a {band} band); red below.",
                 target=number(target, unit), limit=limit, band=_band(float(row["amber"])))
    return t("Green at or below the target {target}; amber up to {limit} (a {band} band); red above.",
             target=number(target, unit), limit=limit, band=_band(float(row["amber"])))


def _linear(row: pd.Series, config: ScoringConfig) -> bool:
    return config.method != "ratio" and _known(row.get("baseline"))


def score_title(row: pd.Series, config: ScoringConfig) -> str:
    """How the KPI's score is computed ("" for roll-ups, whose score is the weighted mean below them)."""
    if row.get("level") != "kpi" or not _known(row.get("target")):
        return t("Weighted mean of the scores below.") if row.get("level") in ("objective", "perspective", "overall") else ""
    unit = row.get("unit") or ""
    if _linear(row, config):
        return t("Scored on a straight line: 0 at the baseline {baseline}, 100 at the target {target}.",
                 baseline=number(row["baseline"], unit), target=number(row["target"], unit))
    return t("Scored as actual ÷ target × 100 (target ÷ actual when lower is better), at most 100.")


def zero_score_notes(table: pd.DataFrame, config: ScoringConfig) -> list[str]:
    """One sentence per KPI that scores 0 (rounded), saying why."""
    notes = []
    for _, row in table[(table["level"] == "kpi") & (table["score"].round() == 0)].iterrows():
        unit = row.get("unit") or ""
        if _linear(row, config):
            worse = row["actual"] <= row["baseline"] if row["direction"] == "higher" else row["actual"] >= row["baseline"]
            side = (t("barely better than") if not worse
                    else t("below") if row["direction"] == "higher" else t("above"))
            notes.append(t("{kpi}: {actual} is {side} its baseline of {baseline}, so it scores 0.",
                           kpi=report_name(row), actual=number(row["actual"], unit), side=side,
                           baseline=number(row["baseline"], unit)))
        else:
            notes.append(t("{kpi}: {actual} misses the target {target} entirely, so it scores 0.",
                           kpi=report_name(row), actual=number(row["actual"], unit),
                           target=number(row["target"], unit)))
    return notes

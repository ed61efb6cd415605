"""A worked example of the scoring rules on real data, for the settings screen: one KPI scored by
each method, its amber band, and one perspective's status under the thresholds."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from scorecard.scoring import ScoringConfig, aggregate_status, kpi_score, kpi_status


@dataclass(frozen=True)
class ScoringExample:
    """One KPI and one perspective of a period, scored as ``config`` says.

    ``baseline`` is the KPI target's baseline (None without one); ``amber_limit`` is the worst
    actual that is still amber under the KPI's band.
    """

    kpi: str
    unit: str
    direction: str
    actual: float
    target: float
    baseline: float | None
    ratio_score: float
    linear_score: float | None
    score: float
    status: str
    band: float
    amber_limit: float
    perspective: str
    perspective_score: float
    perspective_status: str


def _pick(kpis: pd.DataFrame) -> pd.Series | None:
    """The first amber KPI (it shows the band at work), else red, else any scored one; baselines first."""
    scored = kpis.dropna(subset=["actual", "target"]).sort_values("baseline", key=lambda b: b.isna(), kind="stable")
    for status in ("amber", "red", "green"):
        chosen = scored[scored["status"] == status]
        if len(chosen):
            return chosen.iloc[0]
    return None


def scoring_example(kpis: pd.DataFrame, report: pd.DataFrame, config: ScoringConfig) -> ScoringExample | None:
    """The example from :func:`scorecard.view.kpi_rows` (actual, target, baseline, amber per KPI) and the scored report.

    None when no KPI has both an actual and a target.
    """
    statuses = report[report["level"] == "kpi"].set_index("kpi_id")["status"]
    row = _pick(kpis.assign(status=kpis["kpi_id"].map(statuses)))
    if row is None:
        return None
    direction, actual, target = row["direction"], float(row["actual"]), float(row["target"])
    baseline = None if pd.isna(row["baseline"]) else float(row["baseline"])
    band = config.default_amber if pd.isna(row["amber"]) else float(row["amber"])
    width = band * abs(target)
    perspective = report[(report["level"] == "perspective") & (report["name"] == row["perspective"])].iloc[0]
    return ScoringExample(
        kpi=row["kpi"], unit=row["unit"] if isinstance(row["unit"], str) else "", direction=direction, actual=actual,
        target=target, baseline=baseline, ratio_score=kpi_score(actual, target, direction, None, config),
        linear_score=None if baseline is None else kpi_score(actual, target, direction, baseline, ScoringConfig("linear")),
        score=kpi_score(actual, target, direction, baseline, config), status=kpi_status(actual, target, direction, band),
        band=band, amber_limit=target - width if direction == "higher" else target + width,
        perspective=row["perspective"], perspective_score=float(perspective["score"]),
        perspective_status=aggregate_status(perspective["score"], config))

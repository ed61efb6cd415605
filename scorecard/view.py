"""The scorecard for one period and segment: actuals aggregated, targets resolved, scores rolled up.

Inputs are the plain tables the data layer returns (definition, measurements, targets), so the
same function serves the app, the CLI report and the benchmarks.
"""

from __future__ import annotations

import pandas as pd

from errors import DomainError
from scorecard.periods import aggregate_measurements, months_in
from scorecard.scoring import ScoringConfig, score_scorecard


def resolve_targets(targets: pd.DataFrame, aggregation: pd.Series, months: list[str], segment: str) -> pd.DataFrame:
    """Target, baseline and amber of each KPI for a period of ``months``.

    A month-specific target overrides the standing one (period NULL). Over several months,
    a KPI summed over periods sums its monthly targets (and baselines); any other KPI takes
    the target in force in the period's last month.
    """
    mine = targets[targets["segment"] == segment]
    standing = mine[mine["period"].isna()].drop_duplicates("kpi_id").set_index("kpi_id")
    grid = pd.MultiIndex.from_product([aggregation.index, months], names=["kpi_id", "period"]).to_frame(index=False)
    specific = mine.dropna(subset=["period"])[["kpi_id", "period", "value", "baseline", "amber"]]
    monthly = grid.merge(specific, on=["kpi_id", "period"], how="left")
    for column in ("value", "baseline", "amber"):
        monthly[column] = monthly[column].fillna(monthly["kpi_id"].map(standing[column]))
    summed = monthly["kpi_id"].map(aggregation).eq("sum")
    totals = monthly[summed].groupby("kpi_id")[["value", "baseline"]].sum(min_count=1)
    last = monthly[~summed].groupby("kpi_id")[["value", "baseline"]].last()
    resolved = pd.concat([totals, last])
    resolved["amber"] = monthly.groupby("kpi_id")["amber"].last()
    return resolved.rename(columns={"value": "target"}).reindex(aggregation.index)


def _to_date(months: list[str], measurements: pd.DataFrame) -> list[str]:
    newest = measurements["period"].max() if len(measurements) else None
    elapsed = [m for m in months if newest is None or m <= newest]
    return elapsed or months


def kpi_rows(definition: pd.DataFrame, measurements: pd.DataFrame, targets: pd.DataFrame,
             period: str, segment: str) -> pd.DataFrame:
    """One row per KPI with its actual, target, baseline and amber band for the period.

    A period still running (the newest quarter or year) is scored to date: a summed KPI's
    target covers only the months up to the newest measured one, like its actual.
    """
    months = _to_date(months_in(period), measurements)
    aggregation = definition.set_index("kpi_id")["aggregation"]
    selected = measurements[(measurements["segment"] == segment) & measurements["period"].isin(months)]
    actuals = aggregate_measurements(selected, aggregation.to_dict(), period)
    actual = actuals.set_index("kpi_id")["actual"] if len(actuals) else pd.Series(dtype=float)
    resolved = resolve_targets(targets, aggregation, months, segment)
    rows = definition.assign(
        actual=definition["kpi_id"].map(actual),
        target=definition["kpi_id"].map(resolved["target"]),
        baseline=definition["kpi_id"].map(resolved["baseline"]),
        amber=definition["kpi_id"].map(resolved["amber"]),
    )
    return rows


def scorecard_report(definition: pd.DataFrame, measurements: pd.DataFrame, targets: pd.DataFrame,
                     period: str, segment: str, config: ScoringConfig = ScoringConfig()) -> pd.DataFrame:
    """Scored rows (overall, perspectives, objectives, KPIs) for the period and segment."""
    return score_scorecard(kpi_rows(definition, measurements, targets, period, segment), config)


def latest_period(measurements: pd.DataFrame) -> str:
    """The newest month with any actual ("YYYY-MM")."""
    if measurements.empty:
        raise DomainError("There are no measurements yet: import or compute some first.")
    return str(measurements.dropna(subset=["actual"])["period"].max())


def history(measurements: pd.DataFrame, segment: str, until: str, months: int = 12) -> pd.Series:
    """Each KPI's last ``months`` monthly actuals up to ``until`` as a list (for sparklines)."""
    mine = measurements[(measurements["segment"] == segment) & (measurements["period"] <= until)]
    return mine.groupby("kpi_id")["actual"].agg(lambda values: values.tail(months).round(4).tolist())


def kpi_history(measurements: pd.DataFrame, kpi_id: int, segment: str) -> pd.Series:
    """One KPI's monthly actuals for a segment, indexed by monthly ``PeriodIndex``, oldest first."""
    mine = measurements[(measurements["kpi_id"] == kpi_id) & (measurements["segment"] == segment)]
    mine = mine.dropna(subset=["actual"]).sort_values("period")
    return pd.Series(mine["actual"].to_numpy(dtype=float),
                     index=pd.PeriodIndex(mine["period"], freq="M"), name="actual")


def monthly_targets(targets: pd.DataFrame, kpi_id: int, segment: str, months: pd.PeriodIndex) -> pd.Series:
    """The target in force in each month: a month's own target, else the standing one."""
    mine = targets[(targets["kpi_id"] == kpi_id) & (targets["segment"] == segment)]
    standing = mine.loc[mine["period"].isna(), "value"]
    specific = mine.dropna(subset=["period"]).set_index("period")["value"]
    labels = months.strftime("%Y-%m")
    values = pd.Series(labels, index=months).map(specific)
    return values.fillna(standing.iloc[0] if len(standing) else float("nan")).rename("target")

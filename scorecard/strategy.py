"""Evidence for the strategy map: does each cause objective lead its effect in the data?

An objective's monthly index is the mean of its KPIs' standardised actuals, each turned so
that up is good (lower-is-better KPIs are negated). Each link is then tested with
:func:`scorecard.links.link_evidence` on the two indices.
"""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd

from scorecard.links import link_evidence


def objective_index(measurements: pd.DataFrame, definition: pd.DataFrame, segment: str) -> pd.DataFrame:
    """Months × objectives: the mean standardised, direction-adjusted actual of each objective's KPIs."""
    mine = measurements[measurements["segment"] == segment]
    wide = mine.pivot_table(index="period", columns="kpi_id", values="actual").sort_index()
    kpis = definition.set_index("kpi_id").reindex(wide.columns)
    sign = kpis["direction"].map({"higher": 1.0, "lower": -1.0}).fillna(1.0)
    spread = wide.std(ddof=1).where(lambda s: s > 0)
    standardised = (wide - wide.mean()) / spread * sign
    grouped = standardised.T.groupby(kpis["objective"].to_numpy()).mean().T
    grouped.index = pd.PeriodIndex(grouped.index, freq="M")
    return grouped


def link_table(links: pd.DataFrame, index: pd.DataFrame, max_lag: int = 3) -> pd.DataFrame:
    """One row per link with the lagged-regression evidence (lag, slope, CI, p-value, supported)."""
    rows = []
    for link in links.itertuples(index=False):
        if link.cause not in index or link.effect not in index:
            continue
        evidence = asdict(link_evidence(index[link.cause], index[link.effect], max_lag=max_lag))
        rows.append({"id": link.id, "cause": link.cause, "effect": link.effect, **evidence})
    return pd.DataFrame(rows)

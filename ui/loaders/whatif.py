"""What-if loaders: the KPI rows a scenario starts from, the strategy map's link effects, saved scenarios."""

from __future__ import annotations

import pandas as pd

from data import scenarios as scenario_store
from scorecard import view, whatif
from scorecard.links import LinkEffect, estimate_effect
from ui.loaders._core import cached, db
from ui.loaders.scorecard import definition, links, measurements, targets


@cached
def kpi_rows(period: str, segment: str) -> pd.DataFrame:
    """One row per KPI with its official actual, target, baseline and amber band for the month."""
    return view.kpi_rows(definition(), measurements(), targets(), period, segment)


@cached
def headline_kpis() -> dict[str, int]:
    """Each objective's headline KPI (the one with the largest weight)."""
    return whatif.headline_kpis(definition())


@cached
def link_effects(segment: str) -> dict[tuple[int, int], LinkEffect]:
    """Each strategy-map link as an effect between its objectives' headline KPIs, estimated from history."""
    heads = headline_kpis()
    effects = {}
    for link in links().itertuples(index=False):
        cause, effect = heads.get(link.cause), heads.get(link.effect)
        if cause is None or effect is None:
            continue
        effects[(cause, effect)] = estimate_effect(view.kpi_history(measurements(), cause, segment),
                                                   view.kpi_history(measurements(), effect, segment))
    return effects


@cached
def saved_scenarios() -> pd.DataFrame:
    """Saved scenarios, newest first."""
    return scenario_store.scenarios(db())

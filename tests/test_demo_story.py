"""The demo tells a story: the strategy map's links show in its data, and the latest month has every status."""

from __future__ import annotations

import collections

from data import repository
from scorecard import strategy
from scorecard.view import latest_period, scorecard_report


def test_most_strategy_map_links_are_supported_by_the_demo_data(sqlite_engine):
    measurements = repository.measurements(sqlite_engine)
    index = strategy.objective_index(measurements, repository.scorecard_definition(sqlite_engine), "All")
    table = strategy.link_table(repository.links(sqlite_engine), index)
    assert len(table) == 11
    assert (table["verdict"] == "supported").sum() >= 8, table[["cause", "effect", "verdict"]]


def test_the_latest_month_has_green_amber_and_red_kpis(sqlite_engine):
    measurements = repository.measurements(sqlite_engine)
    report = scorecard_report(repository.scorecard_definition(sqlite_engine), measurements,
                              repository.targets(sqlite_engine), latest_period(measurements), "All")
    statuses = collections.Counter(report.loc[report["level"] == "kpi", "status"])
    assert {"green", "amber", "red"} <= set(statuses)
    assert max(statuses.values()) <= 0.6 * sum(statuses.values()), statuses

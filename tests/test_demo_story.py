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


def test_the_demo_meeting_has_comments_and_action_items_on_the_kpis_that_missed(sqlite_engine):
    from sqlalchemy import text
    with sqlite_engine.connect() as connection:
        comments = connection.execute(text(
            "SELECT k.name, c.author, c.text FROM comment c JOIN kpi k ON k.id = c.kpi_id WHERE c.period = '2026-10'"
        )).all()
        items = connection.execute(text(
            "SELECT k.name, a.owner, a.done FROM action_item a JOIN kpi k ON k.id = a.kpi_id WHERE a.period = '2026-10'"
        )).all()
    assert len(comments) >= 4 and len(items) >= 2
    assert {"Tickets resolved within SLA", "Complaints resolved within 15 days"} <= {name for name, *_ in comments}
    assert {author for _, author, _ in comments} <= {"nima", "kaveh", "reza", "parisa", "sara"}
    assert not any(done for *_, done in items)
    # what meeting mode reads: the repository's comments for the KPI and month
    sla = int(repository.scorecard_definition(sqlite_engine).set_index("kpi").loc["Tickets resolved within SLA", "kpi_id"])
    assert len(repository.comments(sqlite_engine, sla, "2026-10")) == 2

"""All is the whole company: every SQL KPI's All and per-segment actuals on SQLite, PostgreSQL and
DuckDB (20,000 customers) against figures computed without ``data/metrics.py``.

Revenue and new customers are checked with plain SQL written here (``SUM(revenue)`` and
``COUNT(*)`` over one month's rows); every metric is checked against the pandas computation of
tests/test_metrics.py run once per segment and once on the tables with the segments erased.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import text

from data.demo.generator import generate_crm
from data.metrics import METRICS, compute_metric
from data.source import source_engine, write_source
from tests.test_metrics import as_frames, with_all

SOURCE = {"seed": 11, "customers": 20_000, "n_months": 12}
CHECKED = [1, 6, 11]  # the 2nd, 7th and 12th month of the source's calendar


@pytest.fixture(scope="module")
def tables():
    return generate_crm(**SOURCE)


@pytest.fixture(scope="module")
def frames(tables) -> dict[str, pd.DataFrame]:
    return as_frames(tables)


@pytest.fixture(scope="module", params=["sqlite", "postgresql", "duckdb"])
def source(request, tmp_path_factory, tables):
    """The 20,000-customer source written into each engine."""
    if request.param == "postgresql":
        url = request.getfixturevalue("new_postgres_database")()
    else:
        url = f"{request.param}:///{tmp_path_factory.mktemp(request.param) / 'source.db'}"
    engine = source_engine(url)
    write_source(engine, tables)
    yield engine
    engine.dispose()


def _month_bounds(period: str) -> tuple[date, date]:
    start = date.fromisoformat(f"{period}-01")
    return start, date(start.year + start.month // 12, start.month % 12 + 1, 1)


def _plain_sql(engine, sql: str, period: str) -> float:
    start, end = _month_bounds(period)
    with engine.connect() as connection:
        return float(connection.execute(text(sql), {"start": start, "end": end}).scalar_one())


def _all_actual(engine, code: str, period: str) -> float:
    frame = compute_metric(engine, code)
    return float(frame.loc[(frame["segment"] == "All") & (frame["period"] == period), "actual"].squeeze())


@pytest.fixture(scope="module")
def expected_actuals(frames):
    """Expected monthly actuals by (segment, period) of a metric, computed once per metric."""
    cache: dict[str, pd.Series] = {}

    def of(code: str) -> pd.Series:
        if code not in cache:
            want = with_all(code, frames).set_index(["segment", "period"]).sort_index()
            cache[code] = METRICS[code].scale * want["numerator"] / want["denominator"]
        return cache[code]
    return of


@pytest.fixture(scope="module")
def months(frames) -> list[str]:
    """The source's reporting months, YYYY-MM, oldest first."""
    return sorted(frames["crm_month"]["month_start"].dt.strftime("%Y-%m"))


@pytest.mark.parametrize("index", CHECKED)
def test_all_revenue_is_the_sum_of_every_order(source, months, index):
    period = months[index]
    revenue = _plain_sql(source, "SELECT SUM(revenue) FROM crm_order WHERE ordered_on >= :start AND ordered_on < :end", period)
    assert _all_actual(source, "revenue", period) == pytest.approx(revenue / 1000, rel=1e-9)


@pytest.mark.parametrize("index", CHECKED)
def test_all_new_customers_counts_every_acquisition_and_is_whole(source, months, index):
    period = months[index]
    acquired = _plain_sql(source, "SELECT COUNT(*) FROM crm_customer WHERE acquired_on >= :start AND acquired_on < :end", period)
    got = _all_actual(source, "new_customers", period)
    assert got == acquired and got == int(got) and acquired > 100


@pytest.mark.parametrize("code", sorted(METRICS))
def test_every_metric_per_segment_and_all(source, expected_actuals, months, code):
    checked = [months[i] for i in CHECKED]
    got = compute_metric(source, code)
    got = got[got["period"].isin(checked)].set_index(["segment", "period"]).sort_index()["actual"]
    want = expected_actuals(code)
    want = want[want.index.get_level_values("period").isin(checked)]
    assert list(got.index) == list(want.index)
    np.testing.assert_allclose(got.to_numpy(), want.to_numpy(), rtol=1e-9, err_msg=f"{code} on {source.dialect.name}")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_at_0003(request, tmp_path):
    """A database migrated to revision 0003 (before true totals), holding All stored the old way."""
    from alembic import command
    from sqlalchemy.orm import Session

    from data.db import _alembic_config, make_engine
    from data.models import Kpi, Measurement, Objective, Perspective, Segment, Target

    url = (request.getfixturevalue("new_postgres_database")() if request.param == "postgresql"
           else f"sqlite:///{tmp_path / 'old.db'}")
    engine = make_engine(url)
    command.upgrade(_alembic_config(engine), "0003")
    with Session(engine) as session, session.begin():
        segments = [Segment(id=i, name=name, position=i) for i, name in enumerate(["All", "Corporate", "SME"], 1)]
        session.add_all([*segments, Perspective(id=1, name="Financial", position=0, weight=1.0)])
        session.flush()
        session.add(Objective(id=1, perspective_id=1, name="Grow", position=0, weight=1.0))
        session.flush()
        kpis = {metric: Kpi(objective_id=1, name=metric, unit="", direction="higher", aggregation="sum", owner="",
                            weight=1.0, source="sql", metric=metric, definition="", position=i)
                for i, metric in enumerate(["revenue", "new_customers", "retention_pct"])}
        session.add_all(kpis.values())
        session.flush()
        # Old All = Σ numerator / Σ denominator with a denominator of 1 per segment: the segments' mean.
        stored = {"revenue": [(12_390.0, 12_390_000.0, 1.0), (4_880.0, 4_880_000.0, 1.0), (8_635.0, 17_270_000.0, 2.0)],
                  "new_customers": [(300.0, 300.0, 1.0), (142.0, 142.0, 1.0), (221.0, 442.0, 2.0)],
                  "retention_pct": [(90.0, 900.0, 1000.0), (80.0, 400.0, 500.0), (86.667, 1300.0, 1500.0)]}
        for metric, rows in stored.items():
            for segment_id, (actual, numerator, denominator) in zip((2, 3, 1), rows):
                session.add(Measurement(kpi_id=kpis[metric].id, segment_id=segment_id, period="2026-10",
                                        actual=actual, numerator=numerator, denominator=denominator))
        session.add(Target(kpi_id=kpis["revenue"].id, segment_id=1, period=None, value=9_000.0))
    return engine


def test_upgrade_recomputes_stored_all_totals_and_keeps_targets(database_at_0003):
    from alembic import command

    from data.db import _alembic_config

    engine = database_at_0003
    command.upgrade(_alembic_config(engine), "head")
    with engine.connect() as connection:
        all_rows = dict(connection.execute(text(
            "SELECT k.metric, m.actual FROM measurement m JOIN kpi k ON k.id = m.kpi_id "
            "JOIN segment s ON s.id = m.segment_id WHERE s.name = 'All'")).all())
        target = connection.execute(text("SELECT value FROM target")).scalar_one()
        audit = connection.execute(text("SELECT username, action FROM audit_log WHERE entity = 'measurement'")).all()
    assert all_rows == {"revenue": 17_270.0, "new_customers": 442.0, "retention_pct": 86.667}  # 12,390 + 4,880; 300 + 142
    assert target == 9_000.0
    assert [tuple(row) for row in audit] == [("system", "migrate")]

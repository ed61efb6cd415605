"""True totals: the stored All actuals of total-type SQL KPIs become the sum of the segments

Until now All was Σ numerator / Σ denominator for every metric, and a plain total (revenue, new
customers) has a denominator of one per segment, so its All was the mean of the segments. This
recomputes the stored All actuals of those KPIs as the sum of their segments' actuals for every
month where segments were stored, and records one audit entry with the KPIs and the number of
months changed. Targets are not touched: a target set on the old basis stays as its owner set it
(the README's upgrade note lists the KPIs concerned).

Revision ID: 0004
Revises: 0003
"""

from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# The total-type metrics as data/metrics.py defines them at this revision (frozen here).
TOTAL_METRICS = ("revenue", "new_customers")
ALL = "All"

kpi = sa.table("kpi", sa.column("id"), sa.column("name"), sa.column("source"), sa.column("metric"))
segment = sa.table("segment", sa.column("id"), sa.column("name"))
measurement = sa.table("measurement", sa.column("kpi_id"), sa.column("segment_id"), sa.column("period"),
                       sa.column("actual"), sa.column("numerator"), sa.column("denominator"))
audit = sa.table("audit_log", sa.column("at"), sa.column("username"), sa.column("action"), sa.column("entity"),
                 sa.column("entity_id"), sa.column("old", sa.JSON), sa.column("new", sa.JSON))


def _segment_sums(all_id: int) -> sa.Select:
    """Per KPI and month: the sum of the segments' actuals and numerators (All excluded)."""
    return (sa.select(measurement.c.kpi_id, measurement.c.period,
                      sa.func.sum(measurement.c.actual).label("actual"),
                      sa.func.sum(measurement.c.numerator).label("numerator"))
            .where(measurement.c.segment_id != all_id)
            .group_by(measurement.c.kpi_id, measurement.c.period))


def upgrade() -> None:
    connection = op.get_bind()
    all_id = connection.execute(sa.select(segment.c.id).where(segment.c.name == ALL)).scalar()
    kpis = connection.execute(sa.select(kpi.c.id, kpi.c.name).where(kpi.c.source == "sql",
                                                                      kpi.c.metric.in_(TOTAL_METRICS))).all()
    if all_id is None or not kpis:
        return
    sums = connection.execute(_segment_sums(all_id).where(measurement.c.kpi_id.in_([k.id for k in kpis]))).all()
    for row in sums:
        connection.execute(measurement.update()
                           .where(measurement.c.kpi_id == row.kpi_id, measurement.c.period == row.period,
                                  measurement.c.segment_id == all_id)
                           .values(actual=row.actual, numerator=row.numerator, denominator=1.0))
    names = {k.id: k.name for k in kpis}
    months = {name: sum(1 for row in sums if names[row.kpi_id] == name) for name in names.values()}
    connection.execute(audit.insert().values(
        at=datetime.now(timezone.utc), username="system", action="migrate", entity="measurement",
        entity_id="All", old={"All": "mean of the segments"},
        new={"All": "sum of the segments", "months recomputed": months}))


def downgrade() -> None:
    """Nothing to undo in the schema; the corrected actuals stay (the old ones were wrong)."""

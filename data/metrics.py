"""CRM metrics: SQLAlchemy Core queries that compute KPI actuals inside the database.

Every metric is a query returning one row per (segment, period "YYYY-MM") with an additive
``numerator`` and ``denominator``; the monthly actual is ``scale × numerator / denominator``
(``denominator`` is 1 for plain totals). Because both parts add up, the "All" segment is the
sum over segments and a quarter or a year re-aggregates exactly (ratio of sums). Metrics whose
source has no segment (employee records) give the same value for every segment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import (
    Engine,
    Float,
    Select,
    and_,
    case,
    cast,
    delete,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import String

from data.models import (
    CrmCampaign,
    CrmComplaint,
    CrmCustomer,
    CrmEmployeeMonth,
    CrmMonth,
    CrmOpportunity,
    CrmOrder,
    CrmSurvey,
    CrmTicket,
    Kpi,
    Measurement,
    Segment,
)

ALL_SEGMENTS = "All"


class year_month(FunctionElement):  # noqa: N801 - reads as a SQL function
    """``YYYY-MM`` text of a date column, compiled for each dialect."""

    type = String()
    inherit_cache = True


@compiles(year_month, "sqlite")
def _year_month_sqlite(element, compiler, **kw):
    return f"strftime('%Y-%m', {compiler.process(element.clauses, **kw)})"


@compiles(year_month, "postgresql")
def _year_month_postgresql(element, compiler, **kw):
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM')"


@compiles(year_month, "mysql")
@compiles(year_month, "mariadb")
def _year_month_mysql(element, compiler, **kw):
    return f"DATE_FORMAT({compiler.process(element.clauses, **kw)}, '%%Y-%%m')"


@compiles(year_month)
def _year_month_default(element, compiler, **kw):
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM')"


@dataclass(frozen=True)
class Metric:
    """A KPI computed from the CRM source: its query and how to read it."""

    code: str
    query: Callable[[], Select]
    scale: float
    definition: str
    by_segment: bool = True


def _count_if(condition: ColumnElement) -> ColumnElement:
    return func.sum(case((condition, 1.0), else_=0.0))


def _per_month(table, date_column, numerator, denominator) -> Select:
    """Group a fact table by segment and month."""
    period = year_month(date_column)
    return (
        select(table.segment.label("segment"), period.label("period"),
               cast(numerator, Float).label("numerator"), cast(denominator, Float).label("denominator"))
        .group_by(table.segment, period)
    )


def _active_customers() -> Select:
    """Customers active at the start of each calendar month, with whether they stayed."""
    active = and_(
        CrmCustomer.acquired_on < CrmMonth.month_start,
        or_(CrmCustomer.churned_on.is_(None), CrmCustomer.churned_on >= CrmMonth.month_start),
    )
    return select(CrmCustomer, CrmMonth).join(CrmMonth, active)


def _customers_per_month(numerator: Callable[[], ColumnElement]) -> Select:
    base = _active_customers().subquery()
    period = year_month(base.c.month_start)
    return (
        select(base.c.segment.label("segment"), period.label("period"),
               cast(numerator(base), Float).label("numerator"),
               cast(func.count(), Float).label("denominator"))
        .group_by(base.c.segment, period)
    )


def _joined_with_active(numerator_query: Select, numerator_scale: float = 1.0) -> Select:
    """A per-month numerator over the number of active customers that month."""
    num = numerator_query.subquery()
    den = _customers_per_month(lambda b: literal(0)).subquery()
    return select(
        den.c.segment, den.c.period,
        cast(func.coalesce(num.c.numerator, 0) * numerator_scale, Float).label("numerator"),
        den.c.denominator,
    ).join(num, and_(num.c.segment == den.c.segment, num.c.period == den.c.period), isouter=True)


def _orders(value: ColumnElement, denominator: ColumnElement) -> Select:
    return _per_month(CrmOrder, CrmOrder.ordered_on, value, denominator)


def _campaigns(numerator: ColumnElement, denominator: ColumnElement) -> Select:
    return _per_month(CrmCampaign, CrmCampaign.sent_on, numerator, denominator)


def _opportunities(numerator: ColumnElement, denominator: ColumnElement) -> Select:
    return _per_month(CrmOpportunity, CrmOpportunity.opened_on, numerator, denominator)


def _tickets(numerator: ColumnElement, denominator: ColumnElement) -> Select:
    return _per_month(CrmTicket, CrmTicket.opened_on, numerator, denominator)


def _employees(numerator: ColumnElement) -> Select:
    period = year_month(CrmEmployeeMonth.month_start)
    return (
        select(literal(ALL_SEGMENTS).label("segment"), period.label("period"),
               cast(numerator, Float).label("numerator"), cast(func.count(), Float).label("denominator"))
        .group_by(period)
    )


def _cost_to_serve() -> Select:
    service = _per_month(CrmTicket, CrmTicket.opened_on, func.sum(CrmTicket.cost), literal(1))
    return _joined_with_active(service)


def _penetration() -> Select:
    buyers = _per_month(CrmOrder, CrmOrder.ordered_on, func.count(CrmOrder.customer_id.distinct()), literal(1))
    return _joined_with_active(buyers)


def _annual_margin_per_customer() -> Select:
    margin = _orders(func.sum(CrmOrder.revenue - CrmOrder.cost), literal(1))
    return _joined_with_active(margin, numerator_scale=12.0)


def _complaints_per_thousand() -> Select:
    complaints = _per_month(CrmComplaint, CrmComplaint.received_on, func.count(), literal(1))
    return _joined_with_active(complaints)


def _new_customers() -> Select:
    first_month = select(func.min(CrmMonth.month_start)).scalar_subquery()
    return (_per_month(CrmCustomer, CrmCustomer.acquired_on, func.count(), literal(1))
            .where(CrmCustomer.acquired_on >= first_month))


METRICS: dict[str, Metric] = {m.code: m for m in (
    Metric("revenue", lambda: _orders(func.sum(CrmOrder.revenue), literal(1)), 0.001,
           "Sum of order revenue in the month, in $ thousands."),
    Metric("gross_margin_pct", lambda: _orders(func.sum(CrmOrder.revenue - CrmOrder.cost), func.sum(CrmOrder.revenue)), 100.0,
           "(Order revenue − cost of goods) / order revenue × 100."),
    Metric("campaign_roi_pct", lambda: _campaigns(func.sum(CrmCampaign.revenue - CrmCampaign.cost), func.sum(CrmCampaign.cost)), 100.0,
           "(Revenue attributed to campaigns − campaign cost) / campaign cost × 100."),
    Metric("cost_to_serve", _cost_to_serve, 1.0,
           "Service cost of all tickets in the month / customers active at the start of the month ($)."),
    Metric("customer_value", _annual_margin_per_customer, 1.0,
           "CLV proxy: 12 × gross margin in the month / customers active at the start of the month ($ per year)."),
    Metric("highly_satisfied_customers_pct", lambda: _per_month(CrmSurvey, CrmSurvey.answered_on, _count_if(CrmSurvey.score >= 9), func.count()), 100.0,
           "Survey answers scoring 9–10 / all survey answers × 100 (ISO 10004)."),
    Metric("complaints_per_1000", _complaints_per_thousand, 1000.0,
           "Complaints received / customers active at the start of the month × 1,000 (ISO 10002)."),
    Metric("retention_pct", lambda: _customers_per_month(lambda b: _count_if(or_(b.c.churned_on.is_(None), b.c.churned_on > b.c.month_end))), 100.0,
           "Customers active at the start of the month who did not churn during it / active at the start × 100."),
    Metric("winback_pct", lambda: _campaigns(func.sum(CrmCampaign.winbacks), func.sum(CrmCampaign.winback_targets)), 100.0,
           "Lapsed customers won back / lapsed customers targeted by win-back campaigns × 100."),
    Metric("penetration_pct", _penetration, 100.0,
           "Active customers with at least one order in the month / customers active at the start × 100."),
    Metric("new_customers", _new_customers, 1.0,
           "Customers acquired in the month (count)."),
    Metric("campaign_response_pct", lambda: _campaigns(func.sum(CrmCampaign.responses), func.sum(CrmCampaign.contacts)), 100.0,
           "Campaign responses / contacts × 100, over all marketing channels."),
    Metric("cost_per_acquisition", lambda: _campaigns(func.sum(CrmCampaign.cost), func.sum(CrmCampaign.conversions)), 1.0,
           "Campaign cost / campaign conversions ($ per successful conversion)."),
    Metric("win_rate_pct", lambda: _opportunities(_count_if(CrmOpportunity.won), func.count()), 100.0,
           "Opportunities won / opportunities opened in the month × 100, over all sales channels."),
    Metric("cost_of_sale", lambda: _opportunities(func.sum(CrmOpportunity.cost_of_sale), _count_if(CrmOpportunity.won)), 1.0,
           "Cost of sale of all opportunities / opportunities won ($ per won deal)."),
    Metric("sla_met_pct", lambda: _tickets(_count_if(CrmTicket.sla_met), func.count()), 100.0,
           "Service tickets resolved within their SLA (24 h corporate, 36 h others) / tickets × 100."),
    Metric("resolution_hours", lambda: _tickets(func.sum(CrmTicket.resolution_hours), func.count()), 1.0,
           "Mean hours from opening to resolution of service tickets."),
    Metric("cost_per_ticket", lambda: _tickets(func.sum(CrmTicket.cost), func.count()), 1.0,
           "Service cost / tickets ($ per ticket)."),
    Metric("complaints_resolved_15d_pct", lambda: _per_month(CrmComplaint, CrmComplaint.received_on, _count_if(and_(CrmComplaint.resolution_days <= 15, CrmComplaint.resolved_ok)), func.count()), 100.0,
           "Complaints resolved to the customer's satisfaction within 15 days / complaints × 100 (ISO 10002)."),
    Metric("satisfied_employees_pct", lambda: _employees(_count_if(CrmEmployeeMonth.satisfaction >= 4)), 100.0,
           "Employees scoring 4–5 of 5 in the monthly pulse / employees × 100.", by_segment=False),
    Metric("crm_trained_pct", lambda: _employees(_count_if(CrmEmployeeMonth.crm_trained)), 100.0,
           "Employees who completed CRM training / employees × 100.", by_segment=False),
    Metric("competency_coverage_pct", lambda: _employees(func.sum(CrmEmployeeMonth.competencies_held) * 1.0 / func.max(CrmEmployeeMonth.competencies_required)), 100.0,
           "CRM core competencies held / competencies required, over all employees × 100.", by_segment=False),
    Metric("info_access_pct", lambda: _employees(_count_if(CrmEmployeeMonth.has_crm_access)), 100.0,
           "Employees with access to CRM customer information / employees × 100.", by_segment=False),
)}


def compute_metric(engine: Engine, code: str) -> pd.DataFrame:
    """Monthly actuals of one metric per segment and for All: segment, period, numerator, denominator, actual."""
    metric = METRICS[code]
    with engine.connect() as connection:
        rows = pd.DataFrame(connection.execute(metric.query()).mappings().all(),
                            columns=["segment", "period", "numerator", "denominator"])
    rows = rows.dropna(subset=["segment", "period"])
    if metric.by_segment:
        total = rows.groupby("period", as_index=False)[["numerator", "denominator"]].sum()
        rows = pd.concat([rows, total.assign(segment=ALL_SEGMENTS)], ignore_index=True)
    rows["actual"] = metric.scale * rows["numerator"] / rows["denominator"].where(rows["denominator"] != 0)
    return rows.sort_values(["segment", "period"], ignore_index=True)


def _segments_for(rows: pd.DataFrame, metric: Metric, segments: dict[str, int]) -> pd.DataFrame:
    if metric.by_segment:
        return rows[rows["segment"].isin(segments)]
    return pd.concat([rows.assign(segment=name) for name in segments], ignore_index=True)


def refresh_measurements(engine: Engine) -> int:
    """Recompute every SQL-sourced KPI's monthly actuals in one transaction; returns the row count."""
    with Session(engine) as session:
        segments = dict(session.execute(select(Segment.name, Segment.id)).all())
        kpis = session.execute(select(Kpi.id, Kpi.metric).where(Kpi.source == "sql")).all()
    frames = []
    for kpi_id, code in kpis:
        rows = _segments_for(compute_metric(engine, code), METRICS[code], segments)
        frames.append(rows.assign(kpi_id=kpi_id, segment_id=rows["segment"].map(segments)))
    if not frames:
        return 0
    data = pd.concat(frames, ignore_index=True)
    records = data[["kpi_id", "segment_id", "period", "actual", "numerator", "denominator"]]
    records = records.astype(object).where(records.notna(), None).to_dict("records")
    with engine.begin() as connection:
        connection.execute(delete(Measurement).where(Measurement.kpi_id.in_([k for k, _ in kpis])))
        connection.execute(Measurement.__table__.insert(), records)
    return len(records)

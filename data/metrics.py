"""CRM metrics: SQLAlchemy Core queries that compute KPI actuals inside the database.

Every metric is a query returning one row per (segment, period "YYYY-MM") with an additive
``numerator`` and ``denominator``; the monthly actual is ``scale × numerator / denominator``
(``denominator`` is 1 for plain totals). A metric's ``kind`` says how the "All" segment is
built: a ``total`` (revenue, a count) is the sum of the segments' totals; a ``ratio`` (a rate, a
per-customer figure) is the ratio of the summed parts, so a per-customer figure divides by all
customers. A quarter or a year re-aggregates the same way. Metrics whose source has no segment
(employee records) report All only.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

import pandas as pd
from sqlalchemy import Column, Connection, Double, Engine, Select, Table, and_, case, cast, func, literal, or_, select
from sqlalchemy.sql import visitors
from sqlalchemy.sql.expression import ColumnElement

from data.dialects import month_of, year_month
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
)
from scorecard.counts import CountUnit
from errors import DomainError

ALL_SEGMENTS = "All"


Since = date | None
"""The first day of the first month a query computes; ``None`` computes every month."""


@dataclass(frozen=True)
class Metric:
    """A KPI computed from the CRM source: its query (from a month on) and how to read it."""

    code: str
    query: Callable[[Since], Select]
    scale: float
    definition: str
    by_segment: bool = True
    kind: str = "ratio"
    """``total``: All is the sum of the segments; ``ratio``: All is Σ numerator / Σ denominator."""
    counts: CountUnit | None = None
    """A ratio of counts (the denominator counts opportunities): what Six Sigma's DPMO counts."""


def _count_if(condition: ColumnElement) -> ColumnElement:
    return func.sum(case((condition, 1.0), else_=0.0))


def _number(value: ColumnElement) -> ColumnElement:
    """A 64-bit float (``Float`` is 32-bit in DuckDB)."""
    return cast(value, Double)


def _from(query: Select, date_column, since: Since) -> Select:
    """Only rows dated in ``since``'s month or later (all rows without ``since``)."""
    return query if since is None else query.where(date_column >= since)


def _labelled(grouped: Select) -> Select:
    """Rows grouped by ``segment`` and ``month`` (first day) with the month as ``period`` text."""
    rows = grouped.subquery()
    return select(rows.c.segment, year_month(rows.c.month).label("period"), rows.c.numerator, rows.c.denominator)


def _per_month(table, date_column, numerator, denominator, since: Since, *conditions: ColumnElement) -> Select:
    """Group a fact table (its rows meeting ``conditions``) by segment and month: one scan of the months asked for."""
    month = month_of(date_column)
    query = (select(table.segment.label("segment"), month.label("month"),
                    _number(numerator).label("numerator"), _number(denominator).label("denominator"))
             .where(*conditions)
             .group_by(table.segment, month))
    return _labelled(_from(query, date_column, since))


def _first_month() -> ColumnElement:
    return select(func.min(CrmMonth.month_start)).scalar_subquery()


def _customer_flows() -> Select:
    """Customers counted by segment, month acquired and month churned (one scan of the customers).

    Customers acquired before the calendar's first month count as one flow per churn month
    (their month acquired is NULL: before every month), which keeps the flows few.
    """
    acquired = case((CrmCustomer.acquired_on >= _first_month(), month_of(CrmCustomer.acquired_on)), else_=None)
    churned = month_of(CrmCustomer.churned_on)
    return (select(CrmCustomer.segment.label("segment"), acquired.label("acquired"),
                   churned.label("churned"), func.count().label("customers"))
            .group_by(CrmCustomer.segment, acquired, churned))


def _customers_per_month(retained: bool, since: Since) -> Select:
    """Customers active at the start of each month per segment, and (``retained``) those who stayed.

    Active at the start of a month: acquired in an earlier month and not churned in an earlier
    one; stayed: not churned in the month either. Both are running counts of acquisitions minus
    churns, taken from the customer flows (segments × months × months rows) rather than from
    every customer in every month.
    """
    flows, month = _customer_flows().subquery(), CrmMonth.month_start
    active = and_(or_(flows.c.acquired.is_(None), flows.c.acquired < month),
                  or_(flows.c.churned.is_(None), flows.c.churned >= month))
    stayed = or_(flows.c.churned.is_(None), flows.c.churned > month)
    numerator = func.sum(case((stayed, flows.c.customers), else_=0)) if retained else literal(0)
    query = (select(flows.c.segment.label("segment"), month.label("month"),
                    _number(numerator).label("numerator"), _number(func.sum(flows.c.customers)).label("denominator"))
             .select_from(flows.join(CrmMonth, active))
             .group_by(flows.c.segment, month))
    return _labelled(_from(query, month, since))


def _joined_with_active(numerator_query: Select, since: Since, numerator_scale: float = 1.0) -> Select:
    """A per-month numerator over the number of customers active at the start of that month."""
    num = numerator_query.subquery()
    den = _customers_per_month(False, since).subquery()
    return select(
        den.c.segment, den.c.period,
        _number(func.coalesce(num.c.numerator, 0) * numerator_scale).label("numerator"),
        den.c.denominator,
    ).join(num, and_(num.c.segment == den.c.segment, num.c.period == den.c.period), isouter=True)


def _orders(since: Since, value: ColumnElement, denominator: ColumnElement) -> Select:
    return _per_month(CrmOrder, CrmOrder.ordered_on, value, denominator, since)


def _campaigns(since: Since, numerator: ColumnElement, denominator: ColumnElement) -> Select:
    return _per_month(CrmCampaign, CrmCampaign.sent_on, numerator, denominator, since)


def _opportunities(since: Since, numerator: ColumnElement, denominator: ColumnElement) -> Select:
    return _per_month(CrmOpportunity, CrmOpportunity.opened_on, numerator, denominator, since)


def _tickets(since: Since, numerator: ColumnElement, denominator: ColumnElement) -> Select:
    return _per_month(CrmTicket, CrmTicket.opened_on, numerator, denominator, since)


def _complaints(since: Since, numerator: ColumnElement, denominator: ColumnElement) -> Select:
    return _per_month(CrmComplaint, CrmComplaint.received_on, numerator, denominator, since)


def _employees(since: Since, numerator: ColumnElement) -> Select:
    month = CrmEmployeeMonth.month_start
    query = (select(literal(ALL_SEGMENTS).label("segment"), month.label("month"),
                    _number(numerator).label("numerator"), _number(func.count()).label("denominator"))
             .group_by(month))
    return _labelled(_from(query, month, since))


def _cost_to_serve(since: Since) -> Select:
    return _joined_with_active(_tickets(since, func.sum(CrmTicket.cost), literal(1)), since)


def _penetration(since: Since) -> Select:
    return _joined_with_active(_orders(since, func.count(CrmOrder.customer_id.distinct()), literal(1)), since)


def _annual_margin_per_customer(since: Since) -> Select:
    return _joined_with_active(_orders(since, func.sum(CrmOrder.revenue - CrmOrder.cost), literal(1)), since,
                               numerator_scale=12.0)


def _complaints_per_thousand(since: Since) -> Select:
    return _joined_with_active(_complaints(since, func.count(), literal(1)), since)


def _new_customers(since: Since) -> Select:
    return _per_month(CrmCustomer, CrmCustomer.acquired_on, func.count(), literal(1), since,
                      CrmCustomer.acquired_on >= _first_month())


METRICS: dict[str, Metric] = {m.code: m for m in (
    Metric("revenue", lambda since: _orders(since, func.sum(CrmOrder.revenue), literal(1)), 0.001,
           "Sum of order revenue in the month, in $ thousands.", kind="total"),
    Metric("gross_margin_pct", lambda since: _orders(since, func.sum(CrmOrder.revenue - CrmOrder.cost), func.sum(CrmOrder.revenue)), 100.0,
           "(Order revenue − cost of goods) / order revenue × 100."),
    Metric("campaign_roi_pct", lambda since: _campaigns(since, func.sum(CrmCampaign.revenue - CrmCampaign.cost), func.sum(CrmCampaign.cost)), 100.0,
           "(Revenue attributed to campaigns − campaign cost) / campaign cost × 100."),
    Metric("cost_to_serve", _cost_to_serve, 1.0,
           "Service cost of all tickets in the month / customers active at the start of the month ($)."),
    Metric("customer_value", _annual_margin_per_customer, 1.0,
           "CLV proxy: 12 × gross margin in the month / customers active at the start of the month ($ per year)."),
    Metric("highly_satisfied_customers_pct", lambda since: _per_month(CrmSurvey, CrmSurvey.answered_on, _count_if(CrmSurvey.score >= 9), func.count(), since), 100.0,
           "Survey answers scoring 9–10 / all survey answers × 100 (ISO 10004).",
           counts=CountUnit("survey answer below 9", "survey answer")),
    Metric("complaints_per_1000", _complaints_per_thousand, 1000.0,
           "Complaints received / customers active at the start of the month × 1,000 (ISO 10002).",
           counts=CountUnit("complaint", "active customer-month", numerator="defects")),
    Metric("retention_pct", lambda since: _customers_per_month(True, since), 100.0,
           "Customers active at the start of the month who did not churn during it / active at the start × 100.",
           counts=CountUnit("customer lost", "active customer-month")),
    Metric("winback_pct", lambda since: _campaigns(since, func.sum(CrmCampaign.winbacks), func.sum(CrmCampaign.winback_targets)), 100.0,
           "Lapsed customers won back / lapsed customers targeted by win-back campaigns × 100.",
           counts=CountUnit("lapsed customer not won back", "lapsed customer targeted")),
    Metric("penetration_pct", _penetration, 100.0,
           "Active customers with at least one order in the month / customers active at the start × 100.",
           counts=CountUnit("active customer without an order", "active customer-month")),
    Metric("new_customers", _new_customers, 1.0,
           "Customers acquired in the month (count).", kind="total"),
    Metric("campaign_response_pct", lambda since: _campaigns(since, func.sum(CrmCampaign.responses), func.sum(CrmCampaign.contacts)), 100.0,
           "Campaign responses / contacts × 100, over all marketing channels.",
           counts=CountUnit("contact without a response", "campaign contact")),
    Metric("cost_per_acquisition", lambda since: _campaigns(since, func.sum(CrmCampaign.cost), func.sum(CrmCampaign.conversions)), 1.0,
           "Campaign cost / campaign conversions ($ per successful conversion)."),
    Metric("win_rate_pct", lambda since: _opportunities(since, _count_if(CrmOpportunity.won), func.count()), 100.0,
           "Opportunities won / opportunities opened in the month × 100, over all sales channels.",
           counts=CountUnit("opportunity not won", "sales opportunity")),
    Metric("cost_of_sale", lambda since: _opportunities(since, func.sum(CrmOpportunity.cost_of_sale), _count_if(CrmOpportunity.won)), 1.0,
           "Cost of sale of all opportunities / opportunities won ($ per won deal)."),
    Metric("sla_met_pct", lambda since: _tickets(since, _count_if(CrmTicket.sla_met), func.count()), 100.0,
           "Service tickets resolved within their SLA (24 h corporate, 36 h others) / tickets × 100.",
           counts=CountUnit("ticket outside its SLA", "service ticket")),
    Metric("resolution_hours", lambda since: _tickets(since, func.sum(CrmTicket.resolution_hours), func.count()), 1.0,
           "Mean hours from opening to resolution of service tickets."),
    Metric("cost_per_ticket", lambda since: _tickets(since, func.sum(CrmTicket.cost), func.count()), 1.0,
           "Service cost / tickets ($ per ticket)."),
    Metric("complaints_resolved_15d_pct", lambda since: _complaints(since, _count_if(and_(CrmComplaint.resolution_days <= 15, CrmComplaint.resolved_ok)), func.count()), 100.0,
           "Complaints resolved to the customer's satisfaction within 15 days / complaints × 100 (ISO 10002).",
           counts=CountUnit("complaint not resolved well within 15 days", "complaint")),
    Metric("satisfied_employees_pct", lambda since: _employees(since, _count_if(CrmEmployeeMonth.satisfaction >= 4)), 100.0,
           "Employees scoring 4–5 of 5 in the monthly pulse / employees × 100.", by_segment=False,
           counts=CountUnit("employee scoring below 4", "employee pulse answer")),
    Metric("crm_trained_pct", lambda since: _employees(since, _count_if(CrmEmployeeMonth.crm_trained)), 100.0,
           "Employees who completed CRM training / employees × 100.", by_segment=False,
           counts=CountUnit("employee without CRM training", "employee")),
    Metric("competency_coverage_pct", lambda since: _employees(since, func.sum(CrmEmployeeMonth.competencies_held) * 1.0 / func.max(CrmEmployeeMonth.competencies_required)), 100.0,
           "CRM core competencies held / competencies required, over all employees × 100.", by_segment=False),
    Metric("info_access_pct", lambda since: _employees(since, _count_if(CrmEmployeeMonth.has_crm_access)), 100.0,
           "Employees with access to CRM customer information / employees × 100.", by_segment=False,
           counts=CountUnit("employee without CRM access", "employee")),
)}


@cache
def columns_read() -> dict[str, tuple[str, ...]]:
    """The CRM columns the metrics read, by table (what a source must have for a refresh)."""
    read: dict[str, set[str]] = {}
    for metric in METRICS.values():
        for element in visitors.iterate(metric.query(None)):
            table = getattr(element, "table", None)
            if isinstance(element, Column) and isinstance(table, Table) and table.name.startswith("crm_"):
                read.setdefault(table.name, set()).add(element.name)
    return {name: tuple(sorted(columns)) for name, columns in sorted(read.items())}


def value_range(metric: str | None) -> tuple[float, float]:
    """The values a KPI computed by ``metric`` can take: a share of counted units 0 to its scale (the good
    ones are some of the opportunities), other counts and totals at least 0, anything else (a margin, a
    return, an imported KPI) unbounded."""
    known = METRICS.get(metric) if metric else None
    if known is None:
        return -math.inf, math.inf
    if known.counts is not None and known.counts.numerator == "good":
        return 0.0, known.scale
    if known.counts is not None or known.kind == "total":
        return 0.0, math.inf
    return -math.inf, math.inf


def count_unit(metric: str | None, direction: str) -> CountUnit | None:
    """What a KPI's stored counts mean: its SQL metric's unit (None when the metric counts no units), or,
    for a KPI whose counts come from an import, defects and opportunities read by its direction."""
    if metric:
        return METRICS[metric].counts if metric in METRICS else None
    return CountUnit("defect", "opportunity", "good" if direction == "higher" else "defects")


def month_start(period: str | None) -> Since:
    """The first day of a ``YYYY-MM`` month (``None`` stays ``None``); a malformed month is a ``ValueError``."""
    if period is None:
        return None
    try:
        return datetime.strptime(period, "%Y-%m").date()
    except ValueError:
        raise DomainError("{period!r} is not a month: write it as YYYY-MM, e.g. 2025-07.", period=period) from None


RAW_COLUMNS = ["metric", "segment", "period", "numerator", "denominator"]


def metric_rows(connection: Connection, code: str, since: str | None = None) -> list[tuple]:
    """One metric's query run in the source: (metric, segment, period, numerator, denominator) rows."""
    return [(code, *row) for row in connection.execute(METRICS[code].query(month_start(since))).all()]


def monthly_actuals(raw: pd.DataFrame) -> pd.DataFrame:
    """Raw metric rows (``RAW_COLUMNS``) with the All segment added and each month's ``actual``.

    All sums the segments' numerators; a ratio sums their denominators too, a total keeps the
    denominator of one (a metric without segments already reports All only).
    """
    raw = raw.dropna(subset=["segment", "period"])
    by_segment = raw["metric"].map({code: metric.by_segment for code, metric in METRICS.items()}).astype(bool)
    total = raw[by_segment].groupby(["metric", "period"], as_index=False)[["numerator", "denominator"]].sum()
    is_total = total["metric"].map({code: metric.kind == "total" for code, metric in METRICS.items()}).astype(bool)
    total.loc[is_total, "denominator"] = 1.0
    rows = pd.concat([raw, total.assign(segment=ALL_SEGMENTS)], ignore_index=True)
    scale = rows["metric"].map({code: metric.scale for code, metric in METRICS.items()})
    rows["actual"] = scale * rows["numerator"] / rows["denominator"].where(rows["denominator"] != 0)
    return rows.sort_values(["metric", "segment", "period"], ignore_index=True)


def compute_metric(engine: Engine, code: str, since: str | None = None) -> pd.DataFrame:
    """Monthly actuals of one metric per segment and for All, from ``since`` (YYYY-MM) on.

    Columns: segment, period, numerator, denominator, actual.
    """
    with engine.connect() as connection:
        raw = pd.DataFrame(metric_rows(connection, code, since), columns=RAW_COLUMNS)
    return monthly_actuals(raw).drop(columns="metric")

"""Every SQL KPI metric against an independent pandas computation on the same demo tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from data import metrics
from data.demo.generator import generate_crm
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


def as_frames(tables) -> dict[str, pd.DataFrame]:
    """Generated CRM tables as pandas frames by table name, dates as datetimes."""
    frames = {table.name: frame.copy() for table, frame in tables.items()}
    for frame in frames.values():
        for column in frame.columns:
            if column.endswith(("_on", "_start")):
                frame[column] = pd.to_datetime(frame[column])
    return frames


@pytest.fixture(scope="module")
def crm() -> dict[str, pd.DataFrame]:
    """The demo CRM tables as pandas frames, regenerated from the same seed."""
    return as_frames(generate_crm())


def _month(dates: pd.Series) -> pd.Series:
    return dates.dt.strftime("%Y-%m")


def _ratio(frame, date_column, numerator, denominator=None) -> pd.DataFrame:
    """Per segment and month: sum of ``numerator`` column and of ``denominator`` (or row count)."""
    frame = frame.assign(period=_month(frame[date_column]), _one=1.0)
    grouped = frame.groupby(["segment", "period"])
    return pd.DataFrame({"numerator": grouped[numerator].sum(),
                         "denominator": grouped[denominator or "_one"].sum()}).reset_index()


def _active(crm) -> pd.DataFrame:
    """Customer × month rows for customers active at the month's start."""
    customers = crm[CrmCustomer.__tablename__]
    starts = _calendar(crm)
    rows = customers.merge(pd.DataFrame({"month_start": starts, "month_end": starts.to_period("M").to_timestamp(how="end").normalize()}), how="cross")
    active = (rows["acquired_on"] < rows["month_start"]) & (rows["churned_on"].isna() | (rows["churned_on"] >= rows["month_start"]))
    rows = rows[active].copy()
    rows["period"] = _month(rows["month_start"])
    return rows


def _calendar(crm) -> pd.DatetimeIndex:
    """The source's reporting months (first days), from its calendar table."""
    return pd.DatetimeIndex(crm[CrmMonth.__tablename__]["month_start"]).sort_values()


def _over_active(crm, per_month: pd.DataFrame, scale=1.0) -> pd.DataFrame:
    active = _active(crm).groupby(["segment", "period"]).size().rename("denominator").reset_index()
    out = active.merge(per_month[["segment", "period", "numerator"]], how="left", on=["segment", "period"])
    out["numerator"] = out["numerator"].fillna(0) * scale
    return out


def _employees(crm, column) -> pd.DataFrame:
    frame = crm[CrmEmployeeMonth.__tablename__].assign(segment="All")
    frame["hit"] = frame[column].astype(float)
    return _ratio(frame, "month_start", "hit")


def _with(frame, **columns) -> pd.DataFrame:
    return frame.assign(**{name: (value(frame) if callable(value) else value) for name, value in columns.items()})


def expected(code: str, crm) -> pd.DataFrame:
    orders, tickets = crm[CrmOrder.__tablename__], crm[CrmTicket.__tablename__]
    campaigns, opps = crm[CrmCampaign.__tablename__], crm[CrmOpportunity.__tablename__]
    complaints, surveys = crm[CrmComplaint.__tablename__], crm[CrmSurvey.__tablename__]
    customers = crm[CrmCustomer.__tablename__]
    margin = _with(orders, margin=lambda f: f["revenue"] - f["cost"])
    table = {
        "revenue": lambda: _ratio(orders, "ordered_on", "revenue").assign(denominator=1.0),
        "gross_margin_pct": lambda: _ratio(margin, "ordered_on", "margin", "revenue"),
        "campaign_roi_pct": lambda: _ratio(_with(campaigns, net=lambda f: f["revenue"] - f["cost"]), "sent_on", "net", "cost"),
        "cost_to_serve": lambda: _over_active(crm, _ratio(tickets, "opened_on", "cost")),
        "customer_value": lambda: _over_active(crm, _ratio(margin, "ordered_on", "margin"), scale=12.0),
        "highly_satisfied_customers_pct": lambda: _ratio(_with(surveys, hit=lambda f: (f["score"] >= 9) * 1.0), "answered_on", "hit"),
        "complaints_per_1000": lambda: _over_active(crm, _ratio(complaints, "received_on", "customer_id").assign(numerator=lambda f: f["denominator"])),
        "retention_pct": lambda: _ratio(_with(_active(crm), stayed=lambda f: (f["churned_on"].isna() | (f["churned_on"] > f["month_end"])) * 1.0), "month_start", "stayed"),
        "winback_pct": lambda: _ratio(campaigns, "sent_on", "winbacks", "winback_targets"),
        "penetration_pct": lambda: _over_active(crm, orders.assign(period=_month(orders["ordered_on"])).groupby(["segment", "period"])["customer_id"].nunique().rename("numerator").reset_index()),
        "new_customers": lambda: _ratio(customers[customers["acquired_on"] >= _calendar(crm)[0]], "acquired_on", "id").assign(numerator=lambda f: f["denominator"], denominator=1.0),
        "campaign_response_pct": lambda: _ratio(campaigns, "sent_on", "responses", "contacts"),
        "cost_per_acquisition": lambda: _ratio(campaigns, "sent_on", "cost", "conversions"),
        "win_rate_pct": lambda: _ratio(_with(opps, hit=lambda f: f["won"] * 1.0), "opened_on", "hit"),
        "cost_of_sale": lambda: _ratio(_with(opps, w=lambda f: f["won"] * 1.0), "opened_on", "cost_of_sale", "w"),
        "sla_met_pct": lambda: _ratio(_with(tickets, hit=lambda f: f["sla_met"] * 1.0), "opened_on", "hit"),
        "resolution_hours": lambda: _ratio(tickets, "opened_on", "resolution_hours"),
        "cost_per_ticket": lambda: _ratio(tickets, "opened_on", "cost"),
        "complaints_resolved_15d_pct": lambda: _ratio(_with(complaints, hit=lambda f: ((f["resolution_days"] <= 15) & f["resolved_ok"]) * 1.0), "received_on", "hit"),
        "crm_trained_pct": lambda: _employees(crm, "crm_trained"),
        "competency_coverage_pct": lambda: _ratio(crm[CrmEmployeeMonth.__tablename__].assign(segment="All", share=lambda f: f["competencies_held"] / f["competencies_required"]), "month_start", "share"),
        "info_access_pct": lambda: _employees(crm, "has_crm_access"),
        "satisfied_employees_pct": lambda: _ratio(_with(crm[CrmEmployeeMonth.__tablename__].assign(segment="All"), hit=lambda f: (f["satisfaction"] >= 4) * 1.0), "month_start", "hit"),
    }
    return table[code]()


def as_one_company(crm: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The same CRM tables with every row's segment set to "All": the whole company as one segment."""
    return {name: frame.assign(segment="All") if "segment" in frame else frame for name, frame in crm.items()}


def with_all(code: str, crm: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per-segment expectations plus All computed from the raw rows of the whole company.

    All is not derived from the segments' figures (that is what the code under test does): the
    pandas computation runs again on the tables with the segments erased, so a total is the total
    of every order or customer and a per-customer figure divides by every customer.
    """
    per_segment = expected(code, crm)
    if set(per_segment["segment"]) == {"All"}:
        return per_segment
    return pd.concat([per_segment, expected(code, as_one_company(crm))], ignore_index=True)


@pytest.mark.parametrize("code", sorted(metrics.METRICS))
def test_sql_metric_matches_pandas(code, engine, crm):
    got = metrics.compute_metric(engine, code).set_index(["segment", "period"]).sort_index()
    want = with_all(code, crm).set_index(["segment", "period"]).sort_index()
    want["actual"] = metrics.METRICS[code].scale * want["numerator"] / want["denominator"]
    assert list(got.index) == list(want.index)
    np.testing.assert_allclose(got["actual"], want["actual"], rtol=1e-9, err_msg=code)

"""Deterministic demo CRM data and the seed's CRM scorecard.

``seed_demo(engine)`` fills an empty, migrated database: about 20,000 customers in three
segments over 36 months of orders, campaigns, opportunities, service tickets, complaints,
satisfaction surveys and employee records, with trend, seasonality, segment differences and
one special-cause shift (tickets resolved within SLA drop from July 2025, when support was
outsourced). The scorecard (DOMAIN.md section 1) is then defined and every KPI's monthly
actuals are computed from those tables by the SQL metrics in :mod:`data.metrics`.

The months are tied together by company-wide drivers (:class:`Drivers`) that follow the seed's
cause-and-effect chain, each a month behind its causes: employee mood, CRM training and
information access drive service quality and selling; service quality and information access
drive loyalty; selling drives reach; service quality and loyalty drive customer value; reach
and value drive revenue. Each driver moves the raw events (ticket hours, churn hazard, order
value, response and win rates…), so the strategy map's links show in the data as they would
in a company whose strategy works.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine, Table

from data import repository
from data.demo.catalog import DEMO_LINKS, DEMO_SCORECARD, DEMO_SEGMENTS, DEMO_USERS
from data.demo.discussion import seed_discussion
from data.models import (
    CrmCampaign,
    CrmComplaint,
    CrmCustomer,
    CrmEmployee,
    CrmEmployeeMonth,
    CrmMonth,
    CrmOpportunity,
    CrmOrder,
    CrmSurvey,
    CrmTicket,
    Target,
)
from data.refresh import refresh
from data.source import LoadSummary, Progress, write_source
from data.writes import SYSTEM_USER, write_session
from errors import DomainError

SEED = 20240321
FIRST_MONTH = pd.Period("2023-11", freq="M")
N_MONTHS = 36
DEMO_CUSTOMERS = 20_000  # the app's demo; other sizes scale every segment and volume alike
SHIFT_MONTH = pd.Period("2025-07", freq="M")


@dataclass(frozen=True)
class SegmentProfile:
    """How customers of one segment behave in the demo."""

    name: str
    customers: int
    churn: float  # monthly churn hazard at the start
    order_prob: float  # chance an active customer orders in a month
    order_value: float  # median order revenue ($)
    cost_ratio: float  # cost of goods as a share of revenue
    ticket_prob: float
    complaint_prob: float
    satisfaction: float  # mean survey score 0-10


PROFILES = (
    SegmentProfile("Corporate", 1_600, 0.006, 0.72, 9_000.0, 0.64, 0.16, 0.010, 7.9),
    SegmentProfile("SME", 5_400, 0.012, 0.46, 1_900.0, 0.69, 0.09, 0.008, 7.4),
    SegmentProfile("Retail", 13_000, 0.021, 0.24, 140.0, 0.73, 0.04, 0.005, 7.0),
)
ACQUISITION_CHANNELS = ("Field sales", "Web", "Partner", "Call centre", "Referral")
CAMPAIGN_CHANNELS = ("Email", "SMS", "Social", "Direct mail", "Telemarketing")
TICKET_CHANNELS = ("Phone", "Email", "Chat", "Portal")
FUNCTIONS = ("Marketing", "Sales", "Service", "IT")


@dataclass(frozen=True)
class Drivers:
    """Company-wide monthly drivers in standard units (mean 0, sd about 1), one value per month."""

    mood: np.ndarray  # employee satisfaction
    training: np.ndarray  # CRM training and competencies kept up to date
    access: np.ndarray  # CRM information available to employees
    service: np.ndarray  # service quality: training and mood a month earlier
    selling: np.ndarray  # sales productivity: training and access a month earlier
    loyalty: np.ndarray  # retention: service quality and access earlier
    reach: np.ndarray  # penetration and acquisition: selling a month earlier
    value: np.ndarray  # customer value: service quality and loyalty a month earlier
    scale: float = 1.0  # company size relative to the app's demo (customers / DEMO_CUSTOMERS)

    @property
    def n_months(self) -> int:
        """How many months the drivers (and so the generated data) cover."""
        return len(self.mood)


def _ar1(rng: np.random.Generator, n_months: int, phi: float = 0.5, burn_in: int = 12) -> np.ndarray:
    """A stationary AR(1) series with unit variance over ``n_months`` months."""
    values = np.zeros(n_months + burn_in)
    for i in range(1, len(values)):
        values[i] = phi * values[i - 1] + rng.normal(0.0, np.sqrt(1 - phi ** 2))
    return values[burn_in:]


def _before(values: np.ndarray, months: int = 1) -> np.ndarray:
    """The series ``months`` earlier (the first months repeat the first value)."""
    return np.concatenate([np.full(months, values[0]), values[:-months]])


def _drivers(rng: np.random.Generator, n_months: int, scale: float) -> Drivers:
    mood, training, access = _ar1(rng, n_months), _ar1(rng, n_months), _ar1(rng, n_months)
    noise = lambda: rng.normal(0.0, 0.35, n_months)  # noqa: E731 - one line per driver below
    service = 0.7 * _before(training) + 0.6 * _before(mood) + noise()
    selling = 0.6 * _before(training) + 0.8 * _before(access) + noise()
    loyalty = 0.7 * _before(service) + 0.5 * _before(access, 2) + noise()
    reach = 0.8 * _before(selling) + noise()
    value = 0.5 * _before(service) + 0.8 * _before(loyalty) + noise()
    return Drivers(mood, training, access, service, selling, loyalty, reach, value, scale)


def months(n_months: int = N_MONTHS) -> pd.PeriodIndex:
    """The demo's reporting months (36 unless told), oldest first."""
    return pd.period_range(FIRST_MONTH, periods=n_months, freq="M")


def _seasonality(index: np.ndarray) -> np.ndarray:
    """Demand multiplier per month index: a peak before Nowruz (Feb–Mar), a dip in April."""
    month_of_year = (FIRST_MONTH.month - 1 + index) % 12 + 1
    bumps = {2: 1.18, 3: 1.12, 4: 0.82, 8: 0.92, 11: 1.06, 12: 1.10}
    return np.array([bumps.get(m, 1.0) for m in month_of_year])


def _month_starts(month_index: np.ndarray) -> np.ndarray:
    """First day of each given month (index into :func:`months`)."""
    return (np.datetime64(str(FIRST_MONTH), "M") + month_index).astype("datetime64[D]")


def _random_day(rng: np.random.Generator, month_index: np.ndarray) -> np.ndarray:
    """A random day inside each given month (index into :func:`months`)."""
    starts = _month_starts(month_index)
    return starts + rng.integers(0, 28, size=len(month_index)).astype("timedelta64[D]")


def _churn_month(rng: np.random.Generator, acquired: np.ndarray, hazard: np.ndarray) -> np.ndarray:
    """The first month after acquisition in which each customer churns (the month count = never)."""
    n_months = len(hazard)
    month = np.arange(n_months)
    events = (rng.random((len(acquired), n_months)) < hazard) & (month > acquired[:, None])
    return np.where(events.any(axis=1), events.argmax(axis=1), n_months)


def _customers(rng: np.random.Generator, drivers: Drivers) -> pd.DataFrame:
    """Customers with acquisition month (-1 = before the window) and churn month (the month count = none)."""
    frames = []
    n_months = drivers.n_months
    for profile in PROFILES:
        n = round(profile.customers * drivers.scale)
        existing = rng.random(n) < 0.55
        growth = np.linspace(0.8, 1.25, n_months) * _seasonality(np.arange(n_months)) * np.exp(0.25 * drivers.reach)
        acquired = np.where(existing, -1, rng.choice(n_months, size=n, p=growth / growth.sum()))
        hazard = profile.churn * np.linspace(1.0, 0.75, n_months) * np.exp(-0.3 * drivers.loyalty)  # retention programme
        churn = _churn_month(rng, acquired, hazard)
        frames.append(pd.DataFrame({
            "segment": profile.name,
            "channel": rng.choice(ACQUISITION_CHANNELS, size=n, p=[0.25, 0.3, 0.15, 0.2, 0.1]),
            "acquired": acquired,
            "churned": churn,
        }))
    customers = pd.concat(frames, ignore_index=True)
    customers["id"] = np.arange(1, len(customers) + 1)
    return customers


def _active_matrix(customers: pd.DataFrame, n_months: int) -> np.ndarray:
    """Boolean customers × months: active (acquired before or in, not yet churned)."""
    m = np.arange(n_months)
    return (customers["acquired"].to_numpy()[:, None] <= m) & (m < customers["churned"].to_numpy()[:, None])


def _events(rng, customers, active, prob_of) -> tuple[np.ndarray, np.ndarray]:
    """Sample (customer row, month) events with a per-segment, per-month probability."""
    probability = np.stack([prob_of(p) for p in PROFILES])  # segments × months
    seg_index = customers["segment"].map({p.name: i for i, p in enumerate(PROFILES)}).to_numpy()
    hit = active & (rng.random(active.shape) < probability[seg_index])
    return np.nonzero(hit)


def _per_segment(segment: np.ndarray, field: str) -> np.ndarray:
    """One segment profile's ``field`` per row, looked up by the row's segment name."""
    return pd.Series(segment).map({p.name: getattr(p, field) for p in PROFILES}).to_numpy(dtype=float)


def _orders(rng, customers, active, drivers: Drivers) -> pd.DataFrame:
    season = _seasonality(np.arange(drivers.n_months)) * np.exp(0.1 * drivers.reach)
    rows, month = _events(rng, customers, active, lambda p: np.minimum(p.order_prob * season, 0.95))
    segment = customers["segment"].to_numpy()[rows]
    median = _per_segment(segment, "order_value")
    growth = 1.0 + 0.07 * month / 12.0
    revenue = np.round(median * growth * np.exp(0.08 * drivers.value[month]) * rng.lognormal(0.0, 0.45, len(rows)), 2)
    cost_ratio = _per_segment(segment, "cost_ratio") - 0.012 * month / 12.0 - 0.01 * drivers.value[month]
    cost = np.round(revenue * np.clip(cost_ratio + rng.normal(0, 0.04, len(rows)), 0.3, 0.95), 2)
    return pd.DataFrame({
        "customer_id": customers["id"].to_numpy()[rows], "segment": segment,
        "ordered_on": _random_day(rng, month), "revenue": revenue, "cost": cost,
    })


def _tickets(rng, customers, active, drivers: Drivers) -> pd.DataFrame:
    rows, month = _events(rng, customers, active, lambda p: np.full(drivers.n_months, p.ticket_prob))
    shifted = month >= (SHIFT_MONTH - FIRST_MONTH).n
    quality = np.exp(-0.1 * drivers.service[month])
    hours = rng.gamma(2.2, 7.5, len(rows)) * np.where(shifted, 1.45, 1.0) * (1 - 0.004 * month) * quality
    sla_hours = np.where(customers["segment"].to_numpy()[rows] == "Corporate", 24.0, 36.0)
    return pd.DataFrame({
        "customer_id": customers["id"].to_numpy()[rows],
        "segment": customers["segment"].to_numpy()[rows],
        "channel": rng.choice(TICKET_CHANNELS, size=len(rows), p=[0.35, 0.3, 0.25, 0.1]),
        "opened_on": _random_day(rng, month),
        "resolution_hours": np.round(hours, 1),
        "sla_met": hours <= sla_hours,
        "cost": np.round(rng.gamma(4.0, 6.0, len(rows)) + 0.8 * hours, 2),
    })


def _complaints(rng, customers, active, drivers: Drivers) -> pd.DataFrame:
    rows, month = _events(rng, customers, active, lambda p: p.complaint_prob * np.exp(-0.2 * drivers.value))
    days = rng.gamma(2.0, 5.5, len(rows)) * (1 - 0.008 * month) * np.exp(-0.15 * drivers.service[month])
    return pd.DataFrame({
        "customer_id": customers["id"].to_numpy()[rows],
        "segment": customers["segment"].to_numpy()[rows],
        "received_on": _random_day(rng, month),
        "resolution_days": np.round(days, 1),
        "resolved_ok": rng.random(len(rows)) < np.clip(0.86 + 0.04 * drivers.service[month], 0.5, 0.99),
    })


def _surveys(rng, customers, active, drivers: Drivers) -> pd.DataFrame:
    rows, month = _events(rng, customers, active, lambda p: np.full(drivers.n_months, 0.035))
    segment = customers["segment"].to_numpy()[rows]
    mean = _per_segment(segment, "satisfaction") + 0.02 * month + 0.4 * drivers.value[month]
    mean = mean - 0.5 * (month >= (SHIFT_MONTH - FIRST_MONTH).n + 1)  # service slip is felt
    score = np.clip(np.round(rng.normal(mean, 1.6)), 0, 10).astype(int)
    return pd.DataFrame({
        "customer_id": customers["id"].to_numpy()[rows], "segment": segment,
        "answered_on": _random_day(rng, month), "score": score,
    })


def _campaigns(rng, drivers: Drivers) -> pd.DataFrame:
    response = {"Email": 0.035, "SMS": 0.022, "Social": 0.018, "Direct mail": 0.028, "Telemarketing": 0.06}
    unit_cost = {"Email": 0.05, "SMS": 0.08, "Social": 0.3, "Direct mail": 1.2, "Telemarketing": 3.5}
    size = {"Corporate": 800, "SME": 4_000, "Retail": 30_000}
    value = {p.name: p.order_value * 0.6 for p in PROFILES}
    rows = []
    for month in range(drivers.n_months):
        for segment, base in size.items():
            base = base * drivers.scale
            for channel, rate in response.items():
                contacts = int(base * rng.uniform(0.7, 1.3) * _seasonality(np.array([month]))[0])
                selling = np.exp(0.15 * drivers.selling[month])
                responses = rng.binomial(contacts, rate * (1 + 0.006 * month) * selling)
                conversions = rng.binomial(responses, min(0.22 * selling, 0.9))
                targets = int(contacts * 0.05)
                rows.append({
                    "segment": segment, "channel": channel, "sent_on": _month_starts(np.array([month]))[0],
                    "contacts": contacts, "responses": responses, "conversions": conversions,
                    "winback_targets": targets,
                    "winbacks": rng.binomial(targets, (0.11 + 0.001 * month) * np.exp(0.2 * drivers.loyalty[month])),
                    "cost": round(contacts * unit_cost[channel], 2),
                    "revenue": round(conversions * value[segment] * np.exp(0.08 * drivers.value[month])
                                     * rng.lognormal(0, 0.2), 2),
                })
    return pd.DataFrame(rows)


def _opportunities(rng, drivers: Drivers) -> pd.DataFrame:
    per_month = {"Corporate": 70, "SME": 160, "Retail": 260}
    win = {"Field sales": 0.34, "Web": 0.18, "Partner": 0.27, "Call centre": 0.21, "Referral": 0.4}
    frames = []
    for segment, n in per_month.items():
        counts = rng.poisson(n * drivers.scale * _seasonality(np.arange(drivers.n_months)))
        month = np.repeat(np.arange(drivers.n_months), counts)
        channel = rng.choice(ACQUISITION_CHANNELS, size=len(month), p=[0.3, 0.25, 0.15, 0.2, 0.1])
        p_win = np.array([win[c] for c in channel]) * (1 + 0.004 * month) * np.exp(0.15 * drivers.selling[month])
        scale = {"Corporate": 25_000, "SME": 4_000, "Retail": 300}[segment]
        frames.append(pd.DataFrame({
            "segment": segment, "channel": channel, "opened_on": _random_day(rng, month),
            "won": rng.random(len(month)) < p_win,
            "amount": np.round(scale * rng.lognormal(0, 0.5, len(month)), 2),
            "cost_of_sale": np.round(scale * 0.06 * rng.lognormal(0, 0.3, len(month)), 2),
        }))
    return pd.concat(frames, ignore_index=True)


def _employees(rng, drivers: Drivers) -> tuple[pd.DataFrame, pd.DataFrame]:
    n = max(round(600 * drivers.scale), 10)
    employees = pd.DataFrame({
        "id": np.arange(1, n + 1),
        "function": rng.choice(FUNCTIONS, size=n, p=[0.2, 0.35, 0.35, 0.1]),
        "hired_on": np.datetime64("2015-01-01") + rng.integers(0, 3000, n).astype("timedelta64[D]"),
    })
    trained_from = rng.integers(-6, 40, n)  # month index when CRM training was completed
    access_from = rng.integers(-12, 30, n)
    month = np.tile(np.arange(drivers.n_months), n)
    emp = np.repeat(np.arange(n), drivers.n_months)
    lapsed = rng.random(len(month)) < np.clip(0.08 - 0.05 * drivers.training[month], 0.0, 0.3)  # refreshers missed
    trained = (month >= trained_from[emp]) & ~lapsed
    satisfaction = np.clip(np.round(rng.normal(3.4 + 0.4 * trained + 0.45 * drivers.mood[month], 0.8)), 1, 5).astype(int)
    required = 8
    held = np.clip(rng.binomial(required, np.clip(0.45 + 0.35 * trained + 0.06 * drivers.training[month], 0, 1)),
                   0, required)
    outage = rng.random(len(month)) < np.clip(0.07 - 0.05 * drivers.access[month], 0.0, 0.3)  # access not granted yet
    monthly = pd.DataFrame({
        "employee_id": employees["id"].to_numpy()[emp], "month_start": _month_starts(month),
        "satisfaction": satisfaction, "crm_trained": trained, "competencies_held": held,
        "competencies_required": required, "has_crm_access": (month >= access_from[emp]) & ~outage,
    })
    return employees, monthly


def _calendar(n_months: int) -> pd.DataFrame:
    index = months(n_months)
    return pd.DataFrame({
        "month_start": index.to_timestamp(how="start").date,
        "month_end": index.to_timestamp(how="end").date,
    })


def _customer_table(customers: pd.DataFrame, seed: int, n_months: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed + 1)
    before = np.datetime64(FIRST_MONTH.to_timestamp().date()) - rng.integers(30, 2500, len(customers)).astype("timedelta64[D]")
    acquired = np.where(customers["acquired"] < 0, before, _month_starts(np.maximum(customers["acquired"].to_numpy(), 0))
                        + rng.integers(0, 28, len(customers)).astype("timedelta64[D]"))
    churned = customers["churned"].to_numpy()
    churned_on = np.full(len(customers), np.datetime64("NaT"), dtype="datetime64[D]")
    gone = churned < n_months
    churned_on[gone] = _month_starts(churned[gone]) + rng.integers(0, 28, gone.sum()).astype("timedelta64[D]")
    return pd.DataFrame({
        "id": customers["id"], "segment": customers["segment"], "channel": customers["channel"],
        "acquired_on": acquired, "churned_on": churned_on,
    })


def generate_crm(seed: int = SEED, customers: int = DEMO_CUSTOMERS, n_months: int = N_MONTHS) -> dict[Table, pd.DataFrame]:
    """Generate every CRM table as a DataFrame, keyed by its SQLAlchemy table.

    The defaults are the app's demo; ``customers`` scales every segment and volume (orders,
    campaigns, opportunities, employees) alike, so any size tells the same story.
    """
    if customers < 1 or n_months < 2:
        raise DomainError("A CRM source needs at least one customer and two months.")
    rng = np.random.default_rng(seed)
    drivers = _drivers(rng, n_months, customers / DEMO_CUSTOMERS)
    people = _customers(rng, drivers)
    active = _active_matrix(people, n_months)
    employees, employee_months = _employees(rng, drivers)
    return {
        CrmMonth.__table__: _calendar(n_months),
        CrmCustomer.__table__: _customer_table(people, seed, n_months),
        CrmOrder.__table__: _orders(rng, people, active, drivers),
        CrmTicket.__table__: _tickets(rng, people, active, drivers),
        CrmComplaint.__table__: _complaints(rng, people, active, drivers),
        CrmSurvey.__table__: _surveys(rng, people, active, drivers),
        CrmCampaign.__table__: _campaigns(rng, drivers),
        CrmOpportunity.__table__: _opportunities(rng, drivers),
        CrmEmployee.__table__: employees,
        CrmEmployeeMonth.__table__: employee_months,
    }


def write_demo_source(engine: Engine, customers: int = DEMO_CUSTOMERS, n_months: int = N_MONTHS,
                      seed: int = SEED, progress: Progress | None = None) -> LoadSummary:
    """Generate a CRM source of ``customers`` over ``n_months`` and write it in bulk; seconds cover both."""
    started = time.perf_counter()
    written = write_source(engine, generate_crm(seed, customers, n_months), progress)
    return LoadSummary(rows=written.rows, seconds=time.perf_counter() - started)


def _stretch_by_kpi() -> dict[str, float]:
    return {kpi["name"]: kpi["stretch"] for perspective in DEMO_SCORECARD
            for objective in perspective["objectives"] for kpi in objective["kpis"]}


def demo_targets(definition: pd.DataFrame, monthly: pd.DataFrame) -> pd.DataFrame:
    """Standing targets: the last twelve months' mean improved by each KPI's stretch.

    The amber band equals the stretch, so performing at the baseline shows amber and
    falling further behind shows red. Shares below 100 % are capped at 99.5 %.
    """
    last_year = monthly[monthly["period"] >= str(FIRST_MONTH + N_MONTHS - 12)]
    baseline = last_year.groupby(["kpi_id", "segment"], as_index=False)["actual"].mean()
    kpis = definition.set_index("kpi_id")
    stretch = kpis["kpi"].map(_stretch_by_kpi()).reindex(baseline["kpi_id"]).to_numpy()
    sign = (kpis["direction"].reindex(baseline["kpi_id"]) == "higher").map({True: 1.0, False: -1.0}).to_numpy()
    value = baseline["actual"] * (1 + sign * stretch)
    bounded = (kpis["unit"].reindex(baseline["kpi_id"]) == "%").to_numpy() & (baseline["actual"] < 100).to_numpy()
    value = value.where(~bounded, value.clip(upper=99.5))
    return pd.DataFrame({"kpi_id": baseline["kpi_id"], "segment": baseline["segment"],
                         "value": value.round(2), "baseline": baseline["actual"].round(2), "amber": stretch})


def _save_targets(engine: Engine, targets: pd.DataFrame) -> None:
    segment_ids = repository.segments(engine).set_index("name")["id"]
    with write_session(engine, SYSTEM_USER, "scorecard.edit") as writer:
        for row in targets.itertuples(index=False):
            writer.create(Target, {"kpi_id": int(row.kpi_id), "segment_id": int(segment_ids[row.segment]),
                                   "period": None, "value": float(row.value),
                                   "baseline": float(row.baseline), "amber": float(row.amber)})


def seed_demo(engine: Engine) -> None:
    """Fill an empty, migrated database with the demo CRM data, scorecard, targets, users, projects and
    October 2026's meeting notes (comments and action items); existing users keep their accounts.
    The projects' module (and the statistics it needs) loads only here, not for the CLI's ``demo`` source."""
    from data.demo.projects import seed_projects

    write_source(engine, generate_crm())
    taken = set(repository.users(engine)["username"])  # a real administrator created first keeps their account
    repository.create_scorecard(engine, DEMO_SEGMENTS, DEMO_SCORECARD, DEMO_LINKS,
                                [user for user in DEMO_USERS if user["username"] not in taken])
    refresh(engine)
    _save_targets(engine, demo_targets(repository.scorecard_definition(engine), repository.measurements(engine)))
    seed_projects(engine)
    seed_discussion(engine)


__all__ = ["generate_crm", "months", "write_demo_source", "DEMO_CUSTOMERS", "seed_demo", "SEED", "FIRST_MONTH", "N_MONTHS"]

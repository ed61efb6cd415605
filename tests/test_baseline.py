"""A KPI's baseline for a charter: DPMO from the KPI's own counts (never months below target), Ppk against
the target where nothing is counted, over the recent stable window. Issue #18 §1.

Expected values are computed by hand here (Python's statistics.NormalDist for Φ⁻¹), or from the demo's
raw CRM tables with plain SQL; the issue's own hand computation for "Complaints resolved within 15 days"
(All, 12 months to October 2026) is 260,659 DPMO and a sigma level of 2.14.
"""

from __future__ import annotations

import json
import math
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import text

from data import repository
from data.metrics import count_unit
from scorecard import view
from scorecard.baseline import baseline_window, kpi_baseline
from scorecard.counts import CountUnit

UNIT = CountUnit("complaint not resolved in time", "complaint")


def _monthly(values, start="2025-01") -> pd.Series:
    return pd.Series(values, index=pd.period_range(start, periods=len(values), freq="M"), dtype=float)


def _counts(numerators, denominators, start="2025-01") -> pd.DataFrame:
    index = pd.period_range(start, periods=len(numerators), freq="M")
    return pd.DataFrame({"numerator": numerators, "denominator": denominators}, index=index, dtype=float)


def test_a_ratio_kpi_counts_its_own_units_not_its_months():
    # 14 months; the window is the last 12. Good units / units per month:
    good = [70, 60, 80, 75, 90, 70, 85, 66, 72, 88, 79, 81, 77, 69]
    units = [100, 100, 100, 100, 110, 95, 120, 90, 100, 115, 100, 105, 98, 92]
    actual = [100 * g / u for g, u in zip(good, units)]
    baseline = kpi_baseline(_monthly(actual), 77.5, "higher", counts=_counts(good, units), unit=UNIT)
    defects = sum(u - g for g, u in zip(good[2:], units[2:]))          # 1,225 − 932 good = 293
    opportunities = sum(units[2:])
    dpmo = 1e6 * defects / opportunities
    assert (baseline["defects"], baseline["opportunities"]) == (defects, opportunities) == (293, 1225)
    assert baseline["dpmo"] == pytest.approx(dpmo, abs=1e-3)
    assert baseline["sigma_level"] == pytest.approx(NormalDist().inv_cdf(1 - dpmo / 1e6) + 1.5, abs=1e-4)
    assert (baseline["since"], baseline["until"], baseline["months"], baseline["method"]) == ("2025-03", "2026-02", 12,
                                                                                              "counts")
    assert (baseline["defect"], baseline["opportunity"]) == ("complaint not resolved in time", "complaint")
    json.dumps(baseline, allow_nan=False)


def test_a_numerator_of_defects_is_counted_as_defects():
    complaints, customers = [7, 5, 9, 6], [1000, 1010, 990, 1000]
    unit = CountUnit("complaint", "active customer-month", numerator="defects")
    baseline = kpi_baseline(_monthly([7.0, 4.95, 9.09, 6.0]), 6.0, "lower", counts=_counts(complaints, customers),
                            unit=unit)
    assert baseline["dpmo"] == pytest.approx(1e6 * 27 / 4000)


def test_without_counts_the_baseline_is_ppk_against_the_target_never_dpmo_of_months():
    values = [82, 85, 79, 81, 83, 78, 84, 86, 77, 82, 83, 85]
    baseline = kpi_baseline(_monthly(values), 80.0, "higher")
    mean, s, n = np.mean(values), np.std(values, ddof=1), len(values)
    ppk = (mean - 80.0) / (3 * s)                                       # the target as lower specification limit
    half = NormalDist().inv_cdf(0.975) * math.sqrt(1 / (9 * n) + ppk ** 2 / (2 * (n - 1)))   # Bissell (1990)
    assert baseline["method"] == "target" and baseline["dpmo"] is None and baseline["sigma_level"] is None
    assert baseline["ppk"] == pytest.approx(ppk, abs=1e-4)
    assert (baseline["ppk_low"], baseline["ppk_high"]) == (pytest.approx(ppk - half, abs=1e-4),
                                                           pytest.approx(ppk + half, abs=1e-4))
    assert baseline["months_meeting_target"] == 9
    # σ = MR̄/1.128 (I-MR): moving ranges 3,6,2,2,5,6,2,9,5,1,2 → MR̄ = 43/11.
    assert baseline["sigma"] == pytest.approx(43 / 11 / 1.128, abs=1e-3)


def test_a_month_without_counts_falls_back_to_the_target():
    counts = _counts([70, None, 80], [100, None, 100])
    baseline = kpi_baseline(_monthly([70.0, 75.0, 80.0]), 77.5, "higher", counts=counts, unit=UNIT)
    assert baseline["method"] == "target" and baseline["dpmo"] is None


def test_the_window_is_the_last_twelve_months_cut_at_the_latest_process_change():
    labels = [str(p) for p in pd.period_range("2024-01", "2026-10", freq="M")]
    assert baseline_window(labels) == (22, None)                                    # 2024-11 … 2026-10
    assert baseline_window(labels, ["2023-05", "2026-03"]) == (26, "2026-03")
    assert baseline_window(labels, ["2025-06"]) == (22, None)                       # older than the window
    baseline = kpi_baseline(_monthly(range(34), "2024-01"), 10.0, "higher", stage_starts=["2026-03"])
    assert (baseline["since"], baseline["since_change"], baseline["months"]) == ("2026-03", "2026-03", 8)


def test_the_newest_signal_is_named_in_words():
    values = [50.0] * 4 + [50.5, 49.5] * 4 + [60.0]
    baseline = kpi_baseline(_monthly(values), 40.0, "higher")
    assert baseline["signal"] == {"rule": "nelson1", "month": "2026-01",
                                  "description": "Nelson 1: one point beyond the control limits (3σ)"}
    json.dumps(baseline, allow_nan=False)


def test_the_demo_complaints_kpi_matches_its_raw_complaints(sqlite_engine):
    """DPMO of "Complaints resolved within 15 days" (All) from plain SQL on the CRM complaints table."""
    with sqlite_engine.connect() as connection:
        total, good = connection.execute(text(
            "SELECT COUNT(*), SUM(CASE WHEN resolution_days <= 15 AND resolved_ok THEN 1 ELSE 0 END) "
            "FROM crm_complaint WHERE strftime('%Y-%m', received_on) BETWEEN '2025-11' AND '2026-10'")).one()
    definition = repository.scorecard_definition(sqlite_engine).set_index("kpi")
    kpi = definition.loc["Complaints resolved within 15 days"]
    measured = repository.measurements(sqlite_engine)
    mine = measured[(measured["kpi_id"] == kpi["kpi_id"]) & (measured["segment"] == "All")]
    counts = mine.set_index(pd.PeriodIndex(mine["period"], freq="M"))[["numerator", "denominator"]]
    baseline = kpi_baseline(view.kpi_history(measured, kpi["kpi_id"], "All"), 77.5, "higher", counts=counts,
                            unit=count_unit(kpi["metric"], "higher"))
    assert (baseline["since"], baseline["until"]) == ("2025-11", "2026-10")
    assert baseline["opportunities"] == total and baseline["defects"] == total - good
    assert round(baseline["dpmo"]) == round(1e6 * (total - good) / total) == 260_659        # the figure
    assert round(baseline["sigma_level"], 2) == 2.14

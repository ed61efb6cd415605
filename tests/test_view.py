"""Assembling the scorecard for a period: actuals aggregated by rule, targets resolved per period."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scorecard import strategy, view

DEFINITION = pd.DataFrame({
    "perspective": ["Financial", "Financial"], "objective": ["Grow", "Grow"], "kpi": ["Revenue", "Margin"],
    "kpi_id": [1, 2], "unit": ["$k", "%"], "direction": ["higher", "higher"], "aggregation": ["sum", "ratio"],
    "weight": [1.0, 1.0], "objective_weight": [1.0, 1.0], "perspective_weight": [1.0, 1.0], "owner": ["", ""],
})
MEASUREMENTS = pd.DataFrame({
    "kpi_id": [1, 1, 1, 2, 2, 2], "segment": "All", "period": ["2025-01", "2025-02", "2025-03"] * 2,
    "actual": [10.0, 20.0, 30.0, 50.0, 25.0, 40.0],
    "numerator": [10.0, 20.0, 30.0, 5.0, 5.0, 8.0], "denominator": [1.0, 1.0, 1.0, 10.0, 20.0, 20.0],
})
TARGETS = pd.DataFrame({
    "id": [1, 2, 3], "kpi_id": [1, 1, 2], "segment": "All", "period": [None, "2025-03", None],
    "value": [15.0, 40.0, 35.0], "baseline": [np.nan, np.nan, np.nan], "amber": [0.1, np.nan, 0.1],
})


def test_quarter_sums_flows_and_their_monthly_targets():
    rows = view.kpi_rows(DEFINITION, MEASUREMENTS, TARGETS, "2025-Q1", "All").set_index("kpi")
    assert rows.at["Revenue", "actual"] == 60.0
    assert rows.at["Revenue", "target"] == 15 + 15 + 40  # March's own target overrides the standing one


def test_running_quarter_is_scored_to_date():
    two_months = MEASUREMENTS[MEASUREMENTS["period"] < "2025-03"]
    rows = view.kpi_rows(DEFINITION, two_months, TARGETS, "2025-Q1", "All").set_index("kpi")
    assert (rows.at["Revenue", "actual"], rows.at["Revenue", "target"]) == (30.0, 15 + 15)


def test_quarter_ratio_is_ratio_of_sums_not_mean_of_months():
    rows = view.kpi_rows(DEFINITION, MEASUREMENTS, TARGETS, "2025-Q1", "All").set_index("kpi")
    assert rows.at["Margin", "actual"] == pytest.approx(100 * 18 / 50)
    assert rows.at["Margin", "target"] == 35.0


def test_month_specific_target_applies_to_its_month_only():
    march = view.kpi_rows(DEFINITION, MEASUREMENTS, TARGETS, "2025-03", "All").set_index("kpi")
    january = view.kpi_rows(DEFINITION, MEASUREMENTS, TARGETS, "2025-01", "All").set_index("kpi")
    assert (march.at["Revenue", "target"], january.at["Revenue", "target"]) == (40.0, 15.0)


def test_report_rolls_up_and_month_without_actuals_is_none():
    report = view.scorecard_report(DEFINITION, MEASUREMENTS, TARGETS, "2025-04", "All")
    assert list(report["level"]) == ["overall", "perspective", "objective", "kpi", "kpi"]
    assert set(report["status"]) == {"none"}


def test_latest_period_and_history():
    assert view.latest_period(MEASUREMENTS) == "2025-03"
    assert view.history(MEASUREMENTS, "All", "2025-02", months=12)[1] == [10.0, 20.0]
    with pytest.raises(ValueError, match="no measurements"):
        view.latest_period(MEASUREMENTS.iloc[0:0])


def test_monthly_targets_extend_into_the_forecast_months():
    months = pd.period_range("2025-01", "2025-05", freq="M")
    targets = view.monthly_targets(TARGETS, 1, "All", months)
    assert targets.tolist() == [15.0, 15.0, 40.0, 15.0, 15.0]


def test_objective_index_turns_lower_is_better_kpis():
    definition = DEFINITION.assign(direction=["higher", "lower"], objective=["A", "B"])
    index = strategy.objective_index(MEASUREMENTS, definition, "All")
    revenue = (np.array([10, 20, 30]) - 20) / 10
    margin = -(np.array([50, 25, 40]) - 115 / 3) / np.std([50, 25, 40], ddof=1)
    np.testing.assert_allclose(index["A"], revenue)
    np.testing.assert_allclose(index["B"], margin)

"""A KPI's baseline for a charter."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from scorecard.baseline import kpi_baseline


def _monthly(values) -> pd.Series:
    return pd.Series(values, index=pd.period_range("2025-01", periods=len(values), freq="M"), dtype=float)


def test_baseline_counts_months_missing_the_target_as_defects():
    # 12 months, 3 below a target of 80 (higher is better): DPMO = 10⁶·3/12 = 250,000 → sigma level
    # Φ⁻¹(0.75) + 1.5 = 0.6745 + 1.5 = 2.17 (the Six Sigma short-term convention).
    values = [82, 85, 79, 81, 83, 78, 84, 86, 77, 82, 83, 85]
    baseline = kpi_baseline(_monthly(values), 80.0, "higher")
    assert (baseline["months"], baseline["months_meeting_target"], baseline["dpmo"]) == (12, 9, 250_000.0)
    assert baseline["sigma_level"] == pytest.approx(2.1745, abs=1e-4)
    assert baseline["mean"] == pytest.approx(np.mean(values)) and baseline["last"] == 85.0
    # σ = MR̄/1.128 (I-MR): moving ranges 3,6,2,2,5,6,2,9,5,1,2 → MR̄ = 43/11.
    assert baseline["sigma"] == pytest.approx(43 / 11 / 1.128, abs=1e-3)
    json.dumps(baseline, allow_nan=False)


def test_baseline_names_the_newest_signal_and_survives_perfect_months():
    values = [50.0] * 4 + [50.5, 49.5] * 4 + [60.0]
    baseline = kpi_baseline(_monthly(values), 40.0, "higher")
    assert baseline["signal"].startswith("nelson1 at 2026-01") and baseline["sigma_level"] is None
    json.dumps(baseline, allow_nan=False)

"""Signal or noise (scorecard.signals): a KPI's recent months against its own earlier pattern.

Expected values are built by hand: series whose pattern is known by construction (a line, a sine,
a step of known size), with σ checked against the plain sample statistics of the history.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scorecard.signals import MIN_POINTS, recent_signal, signal_table, stage_indices

NOISE = np.random.default_rng(17).standard_normal(36)  # one fixed draw of σ = 1 noise


def test_a_steady_trend_is_noise_and_its_continuation_is_predicted():
    line = 50 + 0.25 * np.arange(36)  # 0.25σ a month, the steepest trend
    status = recent_signal(line + NOISE)
    assert status.verdict == "noise" and status.rules == ()
    assert "trend" in status.model
    # The prediction continues the line: months 33–35 lie on 50 + 0.25·t, within the noise's reach.
    assert np.allclose(status.predicted, 50 + 0.25 * np.arange(33, 36), atol=1.5)


def test_a_season_is_noise():
    t = np.arange(36)
    season = 100 + 2.5 * np.sin(2 * np.pi * t / 12)  # amplitude 2.5σ
    status = recent_signal(season + NOISE)
    assert status.verdict == "noise"
    assert "season" in status.model


def test_a_month_off_an_almost_exact_line_is_a_signal_above_it():
    t = np.arange(24)
    values = 10 + 2 * t + 0.01 * np.where(t % 2, 1, -1) + 0.001 * NOISE[:24]
    values[-1] += 1.0  # the last month 1.0 above a line whose noise is about 0.01
    status = recent_signal(values)
    assert status.verdict == "signal" and "outside_band" in status.rules
    assert status.month == 23 and status.direction == "above" and status.sigmas > 10
    assert np.allclose(status.predicted[:2], 10 + 2 * t[21:23], atol=0.05)


def test_a_step_of_known_size_is_found_and_measured():
    values = 100 + NOISE.copy()
    values[-3:] += 6.0  # a 6σ step in the last three months
    status = recent_signal(values)
    assert status.verdict == "signal" and "sustained_shift" in status.rules
    assert status.direction == "above" and status.month in (33, 34, 35)
    # By hand: the history's mean and sample σ (33 months of white noise); the recent months' distance
    # from the mean in σ. The model also estimates a trend/dependence it does not need, which widens its
    # band a little, so allow 25 %.
    history = values[:33]
    by_hand = (values[status.month] - history.mean()) / history.std(ddof=1)
    assert status.sigmas == pytest.approx(by_hand, rel=0.25)
    lower, upper = np.array(status.lower), np.array(status.upper)
    assert np.all(lower < np.array(status.predicted)) and np.all(np.array(status.predicted) < upper)


def test_a_step_down_is_below():
    values = 100 + NOISE.copy()
    values[-3:] -= 6.0
    status = recent_signal(values)
    assert status.verdict == "signal" and status.direction == "below" and status.sigmas < -3


def test_white_noise_is_noise():
    status = recent_signal(100 + NOISE)
    assert status.verdict == "noise" and abs(status.sigmas) < status.band_sigmas


def test_stages_cut_the_history():
    values = 100 + NOISE.copy()
    values[24:] += 8.0  # a known process change in month 24; the new level holds
    # Judged since the change (9 months before the window), the recent months are the stage's usual level.
    staged = recent_signal(values, stages=[24])
    assert staged.start == 24 and staged.verdict == "noise"
    assert len(staged.fitted) == 24 + 9 - 24
    # A step after the stage began is still found.
    stepped = values.copy()
    stepped[-3:] += 6.0
    assert recent_signal(stepped, stages=[24]).verdict == "signal"
    # A stage that starts inside the recent window leaves too little of it to judge.
    assert recent_signal(values, stages=[34]).verdict == "short"
    # A stage leaving fewer than MIN_POINTS months of history is too short.
    assert recent_signal(values, stages=[36 - 3 - MIN_POINTS + 1]).verdict == "short"


def test_short_and_flat_histories():
    assert recent_signal([1.0, 2.0, 3.0]).verdict == "short"
    assert recent_signal(np.arange(MIN_POINTS + 2, dtype=float)).verdict == "short"  # 7 months before the window
    assert recent_signal(np.full(20, 5.0)).verdict == "short"
    assert recent_signal([]).verdict == "short"
    with_gaps = 100 + NOISE.copy()
    with_gaps[[3, 10]] = np.nan
    assert recent_signal(with_gaps).verdict == "noise"


def test_signal_table_takes_stages_by_kpi():
    months = [str(p) for p in pd.period_range("2024-01", periods=36, freq="M")]
    shifted = 100 + NOISE.copy()
    shifted[24:] += 8.0
    frame = pd.DataFrame({"kpi_id": 1, "segment": "All", "period": months, "actual": shifted})
    assert stage_indices(months, ["2026-01"]) == [24]
    staged = signal_table(frame, "All", months[-1], stages={1: ["2026-01"]})
    assert staged.loc[0, "signal"] == "noise"
    assert list(staged.columns)[:3] == ["kpi_id", "signal", "signal_rules"]
    # Only months up to ``until`` count.
    assert signal_table(frame, "All", months[5]).loc[0, "signal"] == "short"

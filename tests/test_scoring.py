"""Default scoring of API.md: KPI status and score, roll-up, thresholds and configuration."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import scorecard.scoring as scoring
from scorecard.scoring import (
    ScoringConfig,
    aggregate_status,
    kpi_score,
    kpi_status,
    score_scorecard,
    weighted_mean,
)


@pytest.mark.parametrize(("actual", "target", "direction", "amber", "expected"), [
    (100, 100, "higher", 0.10, "green"),
    (120, 100, "higher", 0.10, "green"),
    (90, 100, "higher", 0.10, "amber"),        # misses by exactly amber × |target|
    (89.9, 100, "higher", 0.10, "red"),
    (9, 10, "lower", 0.10, "green"),
    (11, 10, "lower", 0.10, "amber"),
    (11.5, 10, "lower", 0.10, "red"),
    (11.5, 10, "lower", 0.20, "amber"),
    (0.27, 0.3, "higher", 0.10, "amber"),      # floating point: 0.3 - 0.27 == 0.1 × 0.3
    (-12, -10, "higher", 0.10, "red"),          # negative target: band is 10 % of |target|
    (-10.5, -10, "higher", 0.10, "amber"),
    (0, 0, "lower", 0.10, "green"),
    (1, 0, "lower", 0.10, "red"),              # target 0 has no amber band
    (None, 10, "higher", 0.10, "none"),
    (float("nan"), 10, "higher", 0.10, "none"),
    (5, float("nan"), "higher", 0.10, "none"),
])
def test_kpi_status(actual, target, direction, amber, expected):
    assert kpi_status(actual, target, direction, amber) == expected


def test_kpi_status_blank_amber_takes_default_and_bad_input_raises():
    assert kpi_status(91, 100, "higher", None) == "amber"
    with pytest.raises(ValueError, match="higher' or 'lower"):
        kpi_status(1, 2, "up")
    with pytest.raises(ValueError, match="negative"):
        kpi_status(1, 2, "higher", -0.1)


@pytest.mark.parametrize(("actual", "target", "direction", "baseline", "expected"), [
    (80, 100, "higher", None, 80.0),            # ratio, higher
    (150, 100, "higher", None, 100.0),          # clamped at 100
    (8, 10, "lower", None, 100.0),              # better than target
    (12.5, 10, "lower", None, 80.0),            # target / actual
    (15, 20, "higher", 10, 50.0),               # linear from baseline
    (5, 20, "higher", 10, 0.0),                 # below the baseline: clamped at 0
    (25, 20, "higher", 10, 100.0),
    (8, 5, "lower", 10, 40.0),                  # lower, baseline 10 → target 5: (8-10)/(5-10)
    (12, 5, "lower", 10, 0.0),
    (10, 10, "higher", 10, 100.0),              # target == baseline: met → 100
    (9, 10, "higher", 10, 0.0),                 # target == baseline: missed → 0
    (0, 0, "lower", None, 100.0),               # zero complaints against a target of 0
    (2, 0, "lower", None, 0.0),
    (0, 5, "lower", None, 100.0),               # actual 0 meets a lower-is-better target
    (-3, 10, "higher", None, 0.0),
    (-5, -10, "higher", None, 100.0),           # non-positive target: met or not
    (-15, -10, "higher", None, 0.0),
])
def test_kpi_score_default(actual, target, direction, baseline, expected):
    assert kpi_score(actual, target, direction, baseline) == pytest.approx(expected)


def test_kpi_score_missing_actual_or_target_is_nan():
    assert math.isnan(kpi_score(None, 10, "higher"))
    assert math.isnan(kpi_score(5, None, "higher", 2))


def test_scoring_methods():
    assert kpi_score(15, 20, "higher", 10, ScoringConfig(method="ratio")) == pytest.approx(75.0)
    assert kpi_score(15, 20, "higher", 10, ScoringConfig(method="linear")) == pytest.approx(50.0)
    assert kpi_score(15, 20, "higher", None, ScoringConfig(method="linear")) == pytest.approx(75.0)


@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6), st.sampled_from(["higher", "lower"]),
       st.one_of(st.none(), st.floats(-1e6, 1e6)))
def test_kpi_score_always_within_0_100(actual, target, direction, baseline):
    score = kpi_score(actual, target, direction, baseline)
    assert 0.0 <= score <= 100.0
    if kpi_status(actual, target, direction) == "green" and baseline is None:
        assert score == 100.0


def test_aggregate_status_thresholds():
    config = ScoringConfig()
    assert [aggregate_status(s, config) for s in (100, 90, 89.99, 70, 69.9, 0)] == \
        ["green", "green", "amber", "amber", "red", "red"]
    assert aggregate_status(float("nan"), config) == "none"
    assert aggregate_status(None, config) == "none"
    assert aggregate_status(80, ScoringConfig(green=80, amber=50)) == "green"


def test_config_validation_and_round_trip():
    config = ScoringConfig(method="linear", green=85, amber=60, default_amber=0.05)
    assert ScoringConfig.from_dict(config.to_dict()) == config
    assert ScoringConfig.from_dict({}) == ScoringConfig()
    assert ScoringConfig.from_dict(None) == ScoringConfig()
    assert ScoringConfig.from_dict({"green": "95", "other": 1}).green == 95.0
    with pytest.raises(ValueError, match="method"):
        ScoringConfig(method="magic")
    with pytest.raises(ValueError, match="amber"):
        ScoringConfig(green=60, amber=70)
    with pytest.raises(ValueError, match="fraction"):
        ScoringConfig(default_amber=1.5)


def test_weighted_mean_leaves_out_missing_and_zero_weights():
    assert weighted_mean(pd.Series([80.0, np.nan, 50.0]), pd.Series([1.0, 5.0, 3.0])) == pytest.approx(57.5)
    assert math.isnan(weighted_mean(pd.Series([np.nan]), pd.Series([1.0])))
    assert math.isnan(weighted_mean(pd.Series([80.0, 60.0]), pd.Series([0.0, 0.0])))


def _kpis() -> pd.DataFrame:
    return pd.DataFrame([
        # perspective, objective, kpi, unit, direction, actual, target, weight, baseline, kpi_id
        ("Financial", "Grow revenue", "Revenue", "USD", "higher", 90.0, 100.0, 2.0, np.nan, 11),
        ("Financial", "Grow revenue", "Margin", "%", "higher", 30.0, 25.0, 1.0, np.nan, 12),
        ("Financial", "Cut cost", "Cost per sale", "USD", "lower", 50.0, 40.0, 1.0, np.nan, 13),
        ("Customer", "Keep customers", "Retention", "%", "higher", 85.0, 90.0, 1.0, 80.0, 21),
        ("Customer", "Keep customers", "Complaints", "count", "lower", np.nan, 10.0, 1.0, np.nan, 22),
        ("Customer", "Win customers", "New customers", "count", "higher", np.nan, 50.0, 1.0, np.nan, 23),
    ], columns=["perspective", "objective", "kpi", "unit", "direction", "actual", "target", "weight",
                "baseline", "kpi_id"])


def test_score_scorecard_rows_order_and_values():
    report = score_scorecard(_kpis())
    assert report[["level", "name"]].values.tolist() == [
        ["overall", "Overall"], ["perspective", "Financial"], ["objective", "Grow revenue"],
        ["kpi", "Revenue"], ["kpi", "Margin"], ["objective", "Cut cost"], ["kpi", "Cost per sale"],
        ["perspective", "Customer"], ["objective", "Keep customers"], ["kpi", "Retention"],
        ["kpi", "Complaints"], ["objective", "Win customers"], ["kpi", "New customers"]]
    score = report.set_index("name")["score"]
    status = report.set_index("name")["status"]
    assert score["Revenue"] == pytest.approx(90.0) and status["Revenue"] == "amber"
    assert score["Margin"] == pytest.approx(100.0) and status["Margin"] == "green"
    assert score["Cost per sale"] == pytest.approx(80.0) and status["Cost per sale"] == "red"
    assert score["Retention"] == pytest.approx(50.0) and status["Retention"] == "amber"
    assert status["Complaints"] == "none" and math.isnan(score["Complaints"])
    assert score["Grow revenue"] == pytest.approx((2 * 90 + 100) / 3)        # weights 2:1
    assert status["Grow revenue"] == "green"
    assert score["Financial"] == pytest.approx(((2 * 90 + 100) / 3 + 80) / 2)
    assert score["Keep customers"] == pytest.approx(50.0)                     # missing actual left out
    assert status["Win customers"] == "none" and math.isnan(score["Win customers"])
    assert score["Customer"] == pytest.approx(50.0)                            # objective without score left out
    assert status["Customer"] == "red"
    assert score["Overall"] == pytest.approx((score["Financial"] + 50.0) / 2)
    aggregates = report[report["level"] != "kpi"]
    assert aggregates["actual"].isna().all() and aggregates["target"].isna().all()
    kpis = report[report["level"] == "kpi"].set_index("name")
    assert kpis.loc["Cost per sale", "variance"] == pytest.approx(10.0)
    assert kpis["kpi_id"].tolist() == [11, 12, 13, 21, 22, 23]                # extra column carried
    assert kpis["unit"].tolist() == ["USD", "%", "USD", "%", "count", "count"]
    assert report["kpi_id"].isna().sum() == 7


def test_score_scorecard_perspective_and_objective_weights():
    kpis = _kpis().assign(perspective_weight=np.where(_kpis()["perspective"] == "Financial", 3.0, 1.0),
                          objective_weight=[1.0, 1.0, 0.0, 1.0, 1.0, 1.0])
    report = score_scorecard(kpis).set_index("name")
    assert report.loc["Financial", "score"] == pytest.approx((2 * 90 + 100) / 3)   # Cut cost weighs 0
    assert report.loc["Overall", "score"] == pytest.approx((3 * report.loc["Financial", "score"] + 50) / 4)
    assert report.loc["Financial", "weight"] == 3.0
    assert report.loc["Cut cost", "weight"] == 0.0


def test_score_scorecard_amber_band_per_kpi_and_config():
    kpis = _kpis().assign(amber=[0.05, np.nan, 0.25, np.nan, np.nan, np.nan])
    report = score_scorecard(kpis, ScoringConfig(green=95, amber=85)).set_index("name")
    assert report.loc["Revenue", "status"] == "red"             # 10 % short, band 5 %
    assert report.loc["Cost per sale", "status"] == "amber"     # 25 % over, band 25 %
    assert report.loc["Grow revenue", "status"] == "amber"      # score 93.3: 85 ≤ 93.3 < 95
    ratio = score_scorecard(kpis, ScoringConfig(method="ratio")).set_index("name")
    assert ratio.loc["Retention", "score"] == pytest.approx(100 * 85 / 90)


def test_score_scorecard_zero_weights_give_no_score():
    kpis = _kpis().assign(weight=0.0)
    report = score_scorecard(kpis)
    assert (report.loc[report["level"] != "kpi", "status"] == "none").all()
    assert report.loc[report["level"] == "kpi", "score"].notna().sum() == 4


def test_score_scorecard_defaults_and_validation():
    minimal = _kpis().drop(columns=["weight", "baseline", "unit", "kpi_id"])
    report = score_scorecard(minimal)
    assert report.loc[report["name"] == "Grow revenue", "score"].item() == pytest.approx(95.0)
    with pytest.raises(ValueError, match="direction"):
        score_scorecard(_kpis().drop(columns=["direction"]))
    with pytest.raises(ValueError, match="'sideways'"):
        score_scorecard(_kpis().assign(direction="sideways"))
    with pytest.raises(ValueError, match="negative"):
        score_scorecard(_kpis().assign(weight=-1.0))
    with pytest.raises(ValueError, match="actual"):
        score_scorecard(_kpis().assign(actual="lots"))


def test_score_scorecard_empty_gives_overall_none():
    report = score_scorecard(_kpis().iloc[:0])
    assert report[["level", "status"]].values.tolist() == [["overall", "none"]]


def test_amber_limit_is_the_target_missed_by_the_band():
    # By hand: a 5 % band on a target of 200 (higher is better) reaches down to 190; on a
    # target of 24 hours (lower is better) a 10 % band reaches up to 26.4 hours.
    assert scoring.amber_limit(200.0, 0.05, "higher") == pytest.approx(190.0)
    assert scoring.amber_limit(24.0, 0.10, "lower") == pytest.approx(26.4)
    assert scoring.amber_limit(-50.0, 0.10, "higher") == pytest.approx(-55.0)


def test_report_keeps_what_explains_a_kpis_status_and_score():
    kpis = pd.DataFrame({"perspective": ["P"], "objective": ["O"], "kpi": ["K"], "direction": ["lower"],
                         "actual": [30.0], "target": [24.0], "baseline": [28.0], "amber": [0.1]})
    report = scoring.score_scorecard(kpis)
    kpi = report[report["level"] == "kpi"].iloc[0]
    assert (kpi["direction"], kpi["baseline"], kpi["amber"]) == ("lower", 28.0, 0.1)
    assert kpi["score"] == 0.0  # 30 h is worse than the 28 h baseline: clamped at 0

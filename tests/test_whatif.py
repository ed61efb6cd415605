"""The what-if engine: propagation on hand-built graphs, effect estimates on simulated data, scoring."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scorecard.links import LinkEffect, assumed_effect, estimate_effect
from scorecard.scoring import score_scorecard
from scorecard.whatif import (Scenario, apply_scenario, compare, evaluate, headline_kpis, propagate, rescore,
                              side_by_side)


def exact(slope: float) -> LinkEffect:
    """A link effect known without error."""
    return LinkEffect(slope, 0.0, slope, slope, "assumed")


def _by_node(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index("node")


def test_a_chain_multiplies_its_slopes():
    # A → B → C with slopes 2 and 3: +1 in A moves C by 2 × 3 = 6.
    result = _by_node(propagate({1: 1.0}, {(1, 2): exact(2.0), (2, 3): exact(3.0)}))
    assert result.loc[3, "mean"] == pytest.approx(6.0)
    assert result.loc[3, "lower"] == pytest.approx(6.0) and result.loc[3, "upper"] == pytest.approx(6.0)
    assert result.loc[2, "mean"] == pytest.approx(2.0) and bool(result.loc[3, "propagated"])
    assert not result.loc[1, "propagated"] and result.loc[1, "direct"] == 1.0


def test_uncertain_slopes_give_a_band_around_the_chain_product():
    result = _by_node(propagate({1: 1.0}, {(1, 2): LinkEffect(2.0, 0.2, 1.6, 2.4, "estimated"),
                                          (2, 3): LinkEffect(3.0, 0.3, 2.4, 3.6, "estimated")}, draws=20_000))
    # E[s1·s2] = 2 × 3 for independent slopes; sd ≈ √(3²·0.2² + 2²·0.3² + 0.2²·0.3²) ≈ 0.85.
    assert result.loc[3, "mean"] == pytest.approx(6.0, abs=0.05)
    assert result.loc[3, "lower"] < 5.0 < 7.0 < result.loc[3, "upper"]


def test_a_diamond_adds_both_paths_once():
    # A → B, A → C, B → D, C → D: D = sAB·sBD + sAC·sCD = 2·5 + 3·7 = 31 (not 62, no double counting).
    edges = {(1, 2): exact(2.0), (1, 3): exact(3.0), (2, 4): exact(5.0), (3, 4): exact(7.0)}
    assert _by_node(propagate({1: 1.0}, edges)).loc[4, "mean"] == pytest.approx(31.0)


def test_a_direct_change_downstream_adds_to_what_arrives():
    result = _by_node(propagate({1: 1.0, 2: 0.5}, {(1, 2): exact(2.0)}))
    assert result.loc[2, "mean"] == pytest.approx(2.5)


def test_a_cycle_is_refused_naming_it():
    edges = {(1, 2): exact(1.0), (2, 3): exact(1.0), (3, 1): exact(1.0)}
    with pytest.raises(ValueError, match="cycle") as error:
        propagate({1: 1.0}, edges, names={1: "Retention", 2: "Lifetime value", 3: "Revenue"})
    assert all(name in str(error.value) for name in ("Retention", "Lifetime value", "Revenue"))


def test_links_without_enough_data_are_left_out():
    missing = LinkEffect(float("nan"), float("nan"), float("nan"), float("nan"), "not_enough_data")
    result = propagate({1: 1.0}, {(1, 2): missing})
    assert result["node"].tolist() == [1]


def _monthly(values) -> pd.Series:
    return pd.Series(values, index=pd.period_range("2023-11", periods=len(values), freq="M"))


def test_estimated_effects_cover_the_true_slope_about_95_percent_of_the_time():
    # The effect follows an AR(1) cause one month later with slope 0.8 (units of effect per unit
    # of cause) plus noise: over 300 simulated 36-month histories the 95 % interval at the chosen
    # lag should cover 0.8 in about 95 % of them (binomial sd ≈ 1.3 points at n = 300).
    rng = np.random.default_rng(7)
    covered, lags = [], []
    for _ in range(300):
        cause = np.zeros(38)
        for i in range(1, 38):
            cause[i] = 0.5 * cause[i - 1] + rng.normal(0, 2.0)
        effect = 50 + 0.8 * np.roll(cause, 1) + rng.normal(0, 1.0, 38)
        fit = estimate_effect(_monthly(80 + cause[2:]), _monthly(effect[2:]))
        covered.append(fit.ci_low <= 0.8 <= fit.ci_high)
        lags.append(fit.lag)
    assert 0.91 <= np.mean(covered) <= 0.99
    assert np.mean(np.array(lags) == 1) > 0.95


def test_too_short_histories_give_no_usable_effect():
    fit = estimate_effect(_monthly([1.0, 2.0, 3.0]), _monthly([2.0, 1.0, 3.0]))
    assert fit.source == "not_enough_data" and not fit.usable


def test_assumed_effects_are_checked():
    effect = assumed_effect(0.5, 0.3, 0.7, "board's view")
    assert effect.se == pytest.approx(0.4 / (2 * 1.959964), rel=1e-5) and effect.source == "assumed"
    with pytest.raises(ValueError, match="within its interval"):
        assumed_effect(0.9, 0.3, 0.7)
    with pytest.raises(ValueError, match="needs a number"):
        assumed_effect(float("nan"), 0.3, 0.7)


def _rows() -> pd.DataFrame:
    return pd.DataFrame({
        "perspective": ["Customer", "Customer", "Financial"], "objective": ["Retain", "Retain", "Grow"],
        "kpi": ["Retention", "Win-back", "Revenue"], "kpi_id": [1, 2, 3], "direction": ["higher"] * 3,
        "unit": ["%", "%", "$k"], "actual": [80.0, 10.0, 950.0], "target": [85.0, 10.0, 1000.0],
        "weight": [2.0, 1.0, 1.0], "amber": [0.02, 0.1, 0.1], "baseline": [np.nan] * 3,
    })


def test_a_lower_target_turns_a_red_kpi_green_and_lifts_its_objective():
    rows = _rows()
    official = score_scorecard(rows)
    moved = compare(official, score_scorecard(apply_scenario(rows, {1: 80.0}, {})))
    retention = moved[moved["name"] == "Retention"].iloc[0]
    objective = moved[(moved["level"] == "objective") & (moved["name"] == "Retain")].iloc[0]
    assert (retention["status"], retention["scenario_status"]) == ("red", "green")
    assert objective["scenario_score"] > objective["score"] and objective["changed"]
    assert not moved[moved["name"] == "Win-back"].iloc[0]["changed"]


def _random_scorecard(rng: np.random.Generator, size: int = 24) -> pd.DataFrame:
    """KPIs in shuffled order (a perspective's rows not together), with weights, baselines and gaps."""
    perspectives = rng.choice(["Financial", "Customer", "Process", "Learning"], size)
    return pd.DataFrame({
        "perspective": perspectives, "objective": [f"{p} {rng.integers(3)}" for p in perspectives],
        "kpi": [f"KPI {i}" for i in range(size)], "kpi_id": np.arange(100, 100 + size),
        "direction": rng.choice(["higher", "lower"], size), "actual": np.where(rng.random(size) < 0.1, np.nan,
                                                                               rng.normal(100, 20, size)),
        "target": rng.normal(100, 20, size), "baseline": np.where(rng.random(size) < 0.5, np.nan, rng.normal(80, 10, size)),
        "weight": rng.choice([0.0, 1.0, 2.0, np.nan], size), "amber": rng.choice([0.05, 0.1, np.nan], size),
        "objective_weight": rng.choice([1.0, 3.0], size), "perspective_weight": rng.choice([1.0, 2.0], size),
    })


def test_rescoring_from_the_official_report_equals_scoring_the_scenario_afresh():
    rng = np.random.default_rng(7)
    for _ in range(30):
        rows = _random_scorecard(rng)
        moved = rng.choice(rows["kpi_id"], 6, replace=False)
        scenario_rows = apply_scenario(rows, {int(k): float(rng.normal(100, 30)) for k in moved[:4]},
                                       {int(k): float(rng.normal(0, 10)) for k in moved[3:]})
        pd.testing.assert_frame_equal(rescore(score_scorecard(rows), scenario_rows), score_scorecard(scenario_rows))


def test_unknown_kpis_and_non_numbers_are_refused():
    with pytest.raises(ValueError, match="not on this scorecard: 99"):
        apply_scenario(_rows(), {99: 1.0}, {})
    with pytest.raises(ValueError, match="must be a number"):
        Scenario(targets={1: float("inf")})


def test_evaluate_moves_effects_downstream_and_keeps_the_band():
    scenario = Scenario(changes={1: 5.0})           # retention +5 points
    outcome = evaluate(_rows(), scenario, {(1, 3): LinkEffect(20.0, 2.0, 16.0, 24.0, "estimated")})
    revenue = outcome.propagation.set_index("node").loc[3]
    assert revenue["mean"] == pytest.approx(100.0, rel=0.02) and revenue["lower"] < 100 < revenue["upper"]
    row = outcome.comparison[outcome.comparison["name"] == "Revenue"].iloc[0]
    assert row["scenario_actual"] == pytest.approx(950 + revenue["mean"])
    assert (row["status"], row["scenario_status"]) == ("amber", "green")


def test_assumptions_replace_estimates_and_survive_a_round_trip():
    scenario = Scenario({1: 90.0}, {1: 2.0}, {(1, 3): assumed_effect(10.0, 5.0, 15.0, "seed figure")})
    again = Scenario.from_dict({"period": "2026-10", **scenario.to_dict()})
    assert again == scenario
    outcome = evaluate(_rows(), again, {(1, 3): exact(1000.0)})
    assert outcome.propagation.set_index("node").loc[3, "mean"] == pytest.approx(20.0, rel=0.05)


def test_headline_kpis_take_the_largest_weight_first_in_order():
    assert headline_kpis(_rows()) == {"Retain": 1, "Grow": 3}


def test_side_by_side_lines_up_scenarios():
    rows = _rows()
    table = side_by_side({"Base": score_scorecard(rows), "Stretch": score_scorecard(apply_scenario(rows, {3: 1200.0}, {}))},
                         {"Official": score_scorecard(rows)})
    assert list(table.columns[-7:]) == ["Official: target", "Base: target", "Base: status", "Base: score",
                                        "Stretch: target", "Stretch: status", "Stretch: score"]
    revenue = table[table["name"] == "Revenue"].iloc[0]
    assert (revenue["Base: status"], revenue["Stretch: status"]) == ("amber", "red")
    assert (revenue["Official: target"], revenue["Stretch: target"], revenue["unit"]) == (1000.0, 1200.0, "$k")


def test_side_by_side_keeps_the_scorecard_order_not_the_alphabet():
    rows = _rows().iloc[[2, 0, 1]].reset_index(drop=True)  # Financial (Grow, Revenue) first, as a scorecard may order it
    table = side_by_side({"A": score_scorecard(rows), "B": score_scorecard(rows)})
    assert list(zip(table["level"], table["name"])) == [
        ("overall", "Overall"), ("perspective", "Financial"), ("objective", "Grow"), ("kpi", "Revenue"),
        ("perspective", "Customer"), ("objective", "Retain"), ("kpi", "Retention"), ("kpi", "Win-back")]


def test_a_target_moved_past_its_baseline_is_scored_without_it():
    rows = _rows().assign(baseline=[82.0, np.nan, np.nan])
    # Linear score needs target above baseline: a target of 81 (below 82) is scored as actual/target.
    shifted = apply_scenario(rows, {1: 81.0}, {})
    assert np.isnan(shifted.loc[0, "baseline"])
    retention = score_scorecard(shifted).query("name == 'Retention'").iloc[0]
    assert retention["score"] == pytest.approx(100 * 80 / 81) and retention["status"] == "amber"
    assert apply_scenario(rows, {1: 90.0}, {}).loc[0, "baseline"] == 82.0

"""Checks on edited scorecard tables name the row and column of every problem."""

from __future__ import annotations

import pandas as pd

from scorecard import validation as v


def test_valid_kpi_table_has_no_problems():
    frame = pd.DataFrame({"name": ["Revenue", "Churn"], "objective": ["Grow", "Grow"],
                          "direction": ["higher", "lower"], "aggregation": ["sum", "ratio"],
                          "source": ["sql", "manual"], "weight": [1.0, 0.5]})
    assert v.check(frame, v.kpi_rules(["Grow"])) == []


def test_every_bad_kpi_cell_is_reported_with_row_and_column():
    frame = pd.DataFrame({"name": ["Revenue", "Revenue", ""], "objective": ["Grow", "Unknown", "Grow"],
                          "direction": ["up", "higher", "lower"], "aggregation": ["sum", "median", "sum"],
                          "source": ["sql", "sql", "sql"], "weight": [1.0, -2.0, "heavy"]})
    problems = {(p.row, p.column): p.message for p in v.check(frame, v.kpi_rules(["Grow"]))}
    assert "is not one of higher, lower" in problems[(1, "direction")]
    assert "duplicates" in problems[(2, "name")]
    assert "'Unknown' is not one of" in problems[(2, "objective")]
    assert "'median' is not one of" in problems[(2, "aggregation")]
    assert problems[(2, "weight")] == "-2 must be at least 0"
    assert problems[(3, "name")] == "is required"
    assert problems[(3, "weight")] == "'heavy' is not a number"


def test_targets_check_months_amber_and_duplicates():
    frame = pd.DataFrame({"kpi": ["Revenue"] * 3, "segment": ["All", "All", "SME"],
                          "period": ["2025-13", None, None], "value": [1.0, 2.0, None],
                          "baseline": [None, None, "x"], "amber": [0.1, 1.5, None]})
    problems = {(p.row, p.column): p.message for p in v.check(frame, v.target_rules(["Revenue"], ["All", "SME"]))}
    assert problems[(1, "period")] == "'2025-13' is not a month like 2025-01"
    assert problems[(2, "amber")] == "1.5 must be between 0 and 1"
    assert problems[(3, "value")] == "needs a number"
    assert problems[(3, "baseline")] == "'x' is not a number"


def test_links_may_not_point_to_themselves_or_repeat():
    frame = pd.DataFrame({"cause": ["A", "A", "B"], "effect": ["B", "B", "B"], "strength": [0.5, 0.5, 2]})
    problems = {(p.row, p.column): p.message for p in v.check(frame, v.link_rules(["A", "B"]))}
    assert "duplicates" in problems[(2, "cause")]
    assert problems[(3, "effect")] == "must differ from 'cause'"
    assert problems[(3, "strength")] == "2 must be between 0 and 1"

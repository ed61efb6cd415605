"""Pareto, RPN, AIAG-VDA action priority, FMEA ranking, fishbone and 5 Whys."""

from __future__ import annotations

import pandas as pd
import pytest

from sixsigma.rootcause import action_priority, fishbone, five_whys, fmea_table, pareto, rpn


def test_pareto_ranks_and_cuts_at_80_percent():
    # Complaint causes, counted by hand: total 200; 90 + 50 = 140 (70 %), + 30 = 170 (85 % ≥ 80 %).
    table = pareto({"Late delivery": 50, "Billing error": 90, "Rude agent": 30, "Damaged": 15, "Other": 15})
    assert table["category"].tolist() == ["Billing error", "Late delivery", "Rude agent", "Damaged", "Other"]
    assert table["percent"].tolist() == pytest.approx([45.0, 25.0, 15.0, 7.5, 7.5])
    assert table["cumulative_percent"].tolist() == pytest.approx([45.0, 70.0, 85.0, 92.5, 100.0])
    assert table["vital"].tolist() == [True, True, True, False, False]


def test_pareto_includes_the_category_that_reaches_exactly_80():
    assert pareto({"a": 80, "b": 20})["vital"].tolist() == [True, False]


@pytest.mark.parametrize("counts,message", [({}, "at least one"), ({"a": -1}, "negative"), ({"a": "x"}, "number"),
                                            ({"a": 0, "b": 0}, "zero")])
def test_pareto_refuses_bad_counts(counts, message):
    with pytest.raises(ValueError, match=message):
        pareto(counts)


def test_rpn_multiplies_whole_ratings_from_1_to_10():
    assert rpn(7, 4, 6) == 168
    for bad in (0, 11, 3.5, True, "5"):
        with pytest.raises(ValueError, match="whole number from 1 to 10"):
            rpn(bad, 5, 5)


# AIAG & VDA FMEA Handbook, 1st edition (2019), Action Priority table for DFMEA and PFMEA.
@pytest.mark.parametrize("s,o,d,ap", [
    (10, 1, 10, "L"), (9, 2, 7, "H"), (9, 3, 5, "M"), (9, 2, 4, "L"), (9, 4, 1, "M"), (10, 5, 2, "H"),
    (8, 8, 1, "H"), (7, 6, 1, "M"), (8, 4, 7, "H"), (7, 5, 5, "M"), (8, 3, 8, "M"), (8, 2, 3, "L"),
    (6, 8, 5, "H"), (5, 9, 4, "M"), (4, 7, 7, "M"), (6, 6, 1, "L"), (5, 4, 9, "M"), (4, 5, 6, "L"),
    (3, 9, 9, "M"), (2, 8, 4, "L"), (3, 7, 10, "L"), (1, 10, 10, "L"),
])
def test_action_priority_follows_the_aiag_vda_table(s, o, d, ap):
    assert action_priority(s, o, d) == ap


def test_fmea_ranks_by_action_priority_not_rpn():
    # S 9, O 2, D 8 (RPN 144) is high priority; S 3, O 9, D 9 (RPN 243) only medium: severity first.
    table = fmea_table([
        {"failure_mode": "Wrong invoice total", "severity": 3, "occurrence": 9, "detection": 9},
        {"failure_mode": "Customer data leaked", "severity": 9, "occurrence": 2, "detection": 8},
        {"failure_mode": "Ticket lost", "severity": 4, "occurrence": 5, "detection": 4.0},
    ])
    assert table["failure_mode"].tolist() == ["Customer data leaked", "Wrong invoice total", "Ticket lost"]
    assert table["rpn"].tolist() == [144, 243, 80] and table["action_priority"].tolist() == ["H", "M", "L"]


def test_fmea_reassesses_a_row_after_its_action():
    # AIAG-VDA: after the action the team rates the row again. S 9, O 2, D 8 is High; the action (masking card
    # numbers) leaves severity 9, cuts occurrence to 1 and detection to 3: RPN 9 × 1 × 3 = 27, priority Low
    # (S 9–10, O 1: L whatever the detection, the handbook's table). A row not yet reassessed has no revised values.
    table = fmea_table([
        {"failure_mode": "Customer data leaked", "severity": 9, "occurrence": 2, "detection": 8,
         "action": "Mask card numbers", "revised_severity": 9, "revised_occurrence": 1, "revised_detection": "3"},
        {"failure_mode": "Ticket lost", "severity": 4, "occurrence": 5, "detection": 4},
    ])
    leaked, lost = table.to_dict("records")
    assert (leaked["revised_rpn"], leaked["revised_action_priority"]) == (27, "L")
    assert pd.isna(lost["revised_rpn"]) and pd.isna(lost["revised_action_priority"])


def test_fmea_wants_all_three_revised_ratings_or_none():
    row = {"failure_mode": "x", "severity": 9, "occurrence": 2, "detection": 8, "revised_severity": 9}
    with pytest.raises(ValueError, match="FMEA row 1: give the revised severity, occurrence and detection together"):
        fmea_table([row])
    with pytest.raises(ValueError, match="revised detection must be a whole number from 1 to 10, not 0"):
        fmea_table([{**row, "revised_occurrence": 1, "revised_detection": 0}])


@pytest.mark.parametrize("row,message", [
    ({"failure_mode": "x", "severity": 11, "occurrence": 1, "detection": 1}, "FMEA row 1: severity must be a whole number from 1 to 10, not 11"),
    ({"failure_mode": "x", "severity": 5, "occurrence": None, "detection": 1}, "occurrence"),
    ({"failure_mode": " ", "severity": 5, "occurrence": 2, "detection": 1}, "failure mode is empty"),
])
def test_fmea_refuses_bad_rows_naming_them(row, message):
    with pytest.raises(ValueError, match=message):
        fmea_table([row])


def test_fishbone_and_five_whys_are_validated():
    causes = fishbone({"Method": ["No triage script", " "], "Man": ["New agents untrained"]})
    assert causes["Method"] == ["No triage script"] and causes["Machine"] == []
    with pytest.raises(ValueError, match="Fishbone categories"):
        fishbone({"Money": ["budget"]})
    chain = five_whys("Complaints take 20 days", ["Waiting for approval", "Only managers approve refunds"])
    assert chain["root_cause"] == "Only managers approve refunds"
    with pytest.raises(ValueError, match="at least one why"):
        five_whys("Slow", ["  "])

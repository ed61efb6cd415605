"""Roadmaps and tollgates, and the DFSS design tools (CTQ tree, QFD)."""

from __future__ import annotations

from datetime import date

import pytest

from sixsigma import roadmap
from sixsigma.design import ctq_tree, qfd
from sixsigma.roadmap import (
    CHECKLISTS,
    PHASES,
    check_decision,
    duration_warning,
    is_overrun,
    missing_charter_fields,
    next_phase,
    phase_states,
    tollgate_gaps,
)

CHARTER = {"business_case": "Slow complaints cost renewals", "problem": "Complaints take 20 days",
           "goal": "15 days by June", "scope_in": "Retail complaints", "scope_out": "Corporate",
           "ctqs": ["Days to resolve"], "champion": "nima", "black_belt": "reza"}


def test_phases_follow_the_contract():
    assert PHASES == {"dmaic": ("define", "measure", "analyze", "improve", "control"),
                      "dfss": ("define", "measure", "analyze", "design", "verify")}
    assert next_phase("dfss", "analyze") == "design" and next_phase("dmaic", "control") is None


def test_a_tollgate_lists_what_is_missing_and_approves_when_nothing_is():
    ticked = {item.key: True for item in CHECKLISTS["define"]}
    gaps = tollgate_gaps("dmaic", "define", {"charter": {**CHARTER, "goal": " ", "ctqs": []}}, ticked)
    assert any("SIPOC" in g for g in gaps) and any("goal, ctqs" in g for g in gaps)
    assert tollgate_gaps("dmaic", "define", {"charter": CHARTER, "sipoc": {"rows": [1]}}, ticked) == []
    assert any("Tick" in g for g in tollgate_gaps("dmaic", "define", {"charter": CHARTER, "sipoc": {"rows": [1]}}, {}))


MEASURED = {"change_month": "2026-01", "shift": 4.1, "p_value": 0.007, "benefit": 165.6, "note": "done"}


def test_the_last_phase_needs_a_verified_benefit():
    artifacts = {"control_plan": {"rows": [1]}, "response_plan": {"text": "x"}, "closure": MEASURED}
    ticked = {item.key: True for item in CHECKLISTS["control"]}
    assert tollgate_gaps("dmaic", "control", artifacts, ticked) == ["Record the verified benefit before closing the project."]
    assert tollgate_gaps("dmaic", "control", artifacts, ticked, verified_benefit=120.0) == []


def test_a_benefit_typed_in_or_a_shift_that_could_be_chance_does_not_close_a_project():
    ticked = {item.key: True for item in CHECKLISTS["control"]}
    plans = {"control_plan": {"rows": [1]}, "response_plan": {"text": "x"}}
    typed = tollgate_gaps("dmaic", "control", {**plans, "closure": {"verified_benefit": 120.0, "note": "done"}}, ticked, 120.0)
    assert [str(g) for g in typed] == ["The verified benefit was typed in, not measured: measure it on the KPI's months "
                                       "before and after the change."]
    chance = tollgate_gaps("dmaic", "control", {**plans, "closure": {**MEASURED, "p_value": 0.3}}, ticked, 120.0)
    assert [str(g) for g in chance] == ["The KPI's shift from 2026-01 could be chance: its one-sided p-value is 0.3, "
                                        "not below 0.05."]


def test_decisions_are_checked():
    with pytest.raises(ValueError, match="cannot be approved yet: Save the SIPOC"):
        check_decision("approve", "", ["Save the SIPOC."])
    with pytest.raises(ValueError, match="Say why"):
        check_decision("rework", "  ", [])
    with pytest.raises(ValueError, match="approve, rework or stop"):
        check_decision("maybe", "x", [])
    check_decision("stop", "Savings too small", ["anything"])


def test_phase_states_and_dates():
    assert phase_states("dmaic", "analyze", "active") == {"define": "done", "measure": "done", "analyze": "open",
                                                          "improve": "locked", "control": "locked"}
    assert phase_states("dfss", "verify", "closed")["verify"] == "done"
    assert phase_states("dmaic", "measure", "stopped")["measure"] == "stopped"
    assert missing_charter_fields({}) == list(missing_charter_fields({}))
    assert duration_warning(date(2026, 1, 1), date(2026, 7, 1)) is None
    assert "3 to 9" in duration_warning(date(2026, 1, 1), date(2026, 2, 1))
    with pytest.raises(ValueError, match="after the start"):
        duration_warning(date(2026, 2, 1), date(2026, 1, 1))
    assert is_overrun(date(2026, 6, 30), date(2026, 7, 1), "active") and not is_overrun(date(2026, 6, 30), date(2026, 7, 1), "closed")


def test_qfd_importance_by_hand():
    # Needs: fast answer (5), friendly (3). Characteristics: agents on shift, script quality.
    # Agents: 5·9 + 3·1 = 48; script: 5·3 + 3·9 = 42; total 90 → 53.3 % and 46.7 %.
    table = qfd({"fast answer": 5, "friendly": 3}, ["agents on shift", "script quality"],
                {("fast answer", "agents on shift"): 9, ("friendly", "agents on shift"): 1,
                 ("fast answer", "script quality"): 3, ("friendly", "script quality"): 9})
    assert table["characteristic"].tolist() == ["agents on shift", "script quality"]
    assert table["absolute"].tolist() == [48.0, 42.0]
    assert table["relative"].tolist() == pytest.approx([100 * 48 / 90, 100 * 42 / 90])
    with pytest.raises(ValueError, match="0, 1, 3 or 9"):
        qfd({"a": 5}, ["b"], {("a", "b"): 5})
    with pytest.raises(ValueError, match="from 1 to 5"):
        qfd({"a": 7}, ["b"], {("a", "b"): 9})


def test_ctq_tree_checks_limits():
    rows = ctq_tree([{"need": "Quick help", "driver": "Response", "ctq": "Hours to first answer", "measure": "h",
                      "lsl": None, "target": 4, "usl": 8}])
    assert rows.iloc[0]["usl"] == 8.0
    with pytest.raises(ValueError, match="LSL"):
        ctq_tree([{"need": "a", "driver": "b", "ctq": "c", "lsl": 5, "usl": 1}])
    with pytest.raises(ValueError, match="fill in the driver"):
        ctq_tree([{"need": "a", "ctq": "c"}])


# --- Tollgates check what was found (issue #18): each case built by hand -----------------------------------

def _ticked(phase: str) -> dict[str, bool]:
    return {item.key: True for item in roadmap.CHECKLISTS[phase]}


ANALYZE_TOOLS = {"fishbone": {"causes": {"Method": ["Late calls"]}}}


@pytest.mark.parametrize("evidence,ok", [
    ({"hypothesis_test": {"p_value": 1.0}}, False),                         # "verified" on p = 1.0: refused
    ({"hypothesis_test": {"p_value": 0.049}}, True),
    ({"regression": {"terms": [{"term": "const", "p_value": 0.001}, {"term": "calls", "p_value": 0.30}]}}, False),
    ({"regression": {"terms": [{"term": "const", "p_value": 0.9}, {"term": "calls", "p_value": 0.002}]}}, True),
    ({"regression": {"sentences": ["saved before terms were kept"]}}, False),
])
def test_a_root_cause_is_verified_only_by_a_significant_test_or_term(evidence, ok):
    gaps = roadmap.tollgate_gaps("dmaic", "analyze", {**ANALYZE_TOOLS, **evidence}, _ticked("analyze"))
    assert (not gaps) == ok, [str(g) for g in gaps]


@pytest.mark.parametrize("evidence,ok", [
    # A second test does not overwrite the first: any saved result may verify the root cause.
    ({"hypothesis_test": {"results": [{"p_value": 0.40}, {"p_value": 0.012}]}}, True),
    ({"hypothesis_test": {"results": [{"p_value": 0.40}, {"p_value": 0.30}]}}, False),
    ({"hypothesis_test": {"results": [{"p_value": 0.40}]},
      "regression": {"results": [{"terms": [{"term": "calls", "p_value": 0.6}]},
                                 {"terms": [{"term": "const", "p_value": 0.9}, {"term": "wait", "p_value": 0.003}]}]}},
     True),
])
def test_any_of_several_results_may_verify_a_root_cause(evidence, ok):
    gaps = roadmap.tollgate_gaps("dmaic", "analyze", {**ANALYZE_TOOLS, **evidence}, _ticked("analyze"))
    assert (not gaps) == ok, [str(g) for g in gaps]


def test_a_tool_whose_every_result_was_removed_counts_as_not_saved():
    gaps = roadmap.tollgate_gaps("dmaic", "analyze", {**ANALYZE_TOOLS, "hypothesis_test": {"results": []}},
                                 _ticked("analyze"))
    assert [str(g) for g in gaps] == ["Save the Hypothesis test or the Regression."]


def test_a_result_saved_before_tools_kept_several_reads_as_a_list_of_one():
    old = {"test": "Welch two-sample t", "statistic": 9.1, "p_value": 1e-12, "sentence": "The means differ."}
    assert roadmap.results(old) == [old]
    assert roadmap.results({"results": [old, {"p_value": 0.2}]}) == [old, {"p_value": 0.2}]
    assert roadmap.results(None) == [] and roadmap.results({}) == []


def test_the_champion_may_override_missing_evidence():
    artifacts = {**ANALYZE_TOOLS, "hypothesis_test": {"p_value": 0.4}}
    assert roadmap.tollgate_gaps("dmaic", "analyze", artifacts, _ticked("analyze"), override=True) == []


def test_improve_needs_a_significant_pilot_and_actions_for_high_priorities():
    # AIAG-VDA action priority: severity 9–10 with occurrence 8 and detection 7 is High.
    fmea = {"rows": [{"failure_mode": "Wrong refund", "severity": 9, "occurrence": 8, "detection": 7, "action": ""},
                     {"failure_mode": "Called twice", "severity": 4, "occurrence": 3, "detection": 4}]}
    artifacts = {"solutions": {"rows": [{"solution": "Script"}]}, "fmea": fmea, "pilot": {"p_value": 0.7}}
    gaps = [str(g) for g in roadmap.tollgate_gaps("dmaic", "improve", artifacts, _ticked("improve"))]
    assert any("pilot's shift could be chance" in g and "0.7" in g for g in gaps)
    assert any("Wrong refund" in g for g in gaps) and not any("Called twice" in g for g in gaps)
    fmea["rows"][0].update(action="Second approval above $500", revised_severity=9, revised_occurrence=3,
                           revised_detection=4)
    artifacts["pilot"] = {"p_value": 0.01}
    assert roadmap.tollgate_gaps("dmaic", "improve", artifacts, _ticked("improve")) == []


def test_a_high_priority_failure_mode_needs_its_revised_ratings_after_the_action():
    row = {"failure_mode": "Wrong refund", "severity": 9, "occurrence": 8, "detection": 7, "action": "Second approval"}
    artifacts = {"solutions": {"rows": [{"solution": "Script"}]}, "fmea": {"rows": [row]}, "pilot": {"p_value": 0.01}}
    gaps = [str(g) for g in roadmap.tollgate_gaps("dmaic", "improve", artifacts, _ticked("improve"))]
    assert gaps == ["Give each High action-priority failure mode its revised severity, occurrence and detection "
                    "after the action: Wrong refund."]
    row.update(revised_severity=9, revised_occurrence=3, revised_detection=4)
    assert roadmap.tollgate_gaps("dmaic", "improve", artifacts, _ticked("improve")) == []


@pytest.mark.parametrize("direction,before,after,shift", [
    ("higher", [14, 15, 14, 16], [10, 11, 10, 12], -4.0),     # means 14.75 → 10.75 on a KPI that should rise
    ("lower", [10, 11, 10, 12], [14, 15, 14, 16], 4.0),
])
def test_a_pilot_that_moves_the_kpi_the_wrong_way_is_named_as_such(direction, before, after, shift):
    pilot = {"before": before, "after": after, "direction": direction, "p_value": 0.9995}
    artifacts = {"solutions": {"rows": [{"solution": "Script"}]}, "fmea": {"rows": []}, "pilot": pilot}
    gaps = [str(g) for g in roadmap.tollgate_gaps("dmaic", "improve", artifacts, _ticked("improve"))]
    should = "rise" if direction == "higher" else "fall"
    assert f"The pilot moved the KPI the wrong way ({shift:+g}; it should {should})." in gaps, gaps
    assert not any("could be chance" in g for g in gaps)


def test_a_project_does_not_close_on_a_benefit_of_zero():
    artifacts = {"control_plan": {"rows": [{}]}, "response_plan": {"text": "x"}, "closure": {**MEASURED, "benefit": 0}}
    gaps = [str(g) for g in roadmap.tollgate_gaps("dmaic", "control", artifacts, _ticked("control"), 0.0)]
    assert any("is no benefit" in g for g in gaps)


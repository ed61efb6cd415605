"""Roadmaps and tollgates, and the DFSS design tools (CTQ tree, QFD)."""

from __future__ import annotations

from datetime import date

import pytest

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


def test_the_last_phase_needs_a_verified_benefit():
    artifacts = {"control_plan": {"rows": [1]}, "response_plan": {"text": "x"}, "closure": {"note": "done"}}
    ticked = {item.key: True for item in CHECKLISTS["control"]}
    assert tollgate_gaps("dmaic", "control", artifacts, ticked) == ["Record the verified benefit before closing the project."]
    assert tollgate_gaps("dmaic", "control", artifacts, ticked, verified_benefit=120.0) == []


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

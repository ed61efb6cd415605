"""Six Sigma projects in the data layer, on SQLite and PostgreSQL: tollgates enforced, roles checked,
every change audited, nothing saved half-way."""

from __future__ import annotations

from datetime import date

import pytest

from data import repository
from data.demo.catalog import DEMO_SEGMENTS, DEMO_USERS
from data.bootstrap import prepare_database
from data.projects import active_projects_on, create_project, decide_tollgate, portfolio, project_detail, project_from_signal, save_artifact, set_benefit
from data.writes import PermissionDenied
from sixsigma.roadmap import CHECKLISTS

CHARTER = {"business_case": "Slow complaints cost renewals", "problem": "Complaints take 20 days",
           "goal": "15 days by June", "scope_in": "Retail", "scope_out": "Corporate", "ctqs": ["Days to resolve"],
           "champion": "nima", "black_belt": "reza", "green_belts": ["leila"], "members": [], "experts": []}
DEFINITION = [{"name": "Customer", "name_fa": None, "weight": 1.0, "objectives": [
    {"name": "Delight", "name_fa": None, "kpis": [
        {"name": "Complaints resolved within 15 days", "name_fa": None, "unit": "%", "direction": "higher",
         "aggregation": "ratio", "owner": "Service", "weight": 1.0}]}]}]


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request, tmp_path):
    url = f"sqlite:///{tmp_path / 'p.db'}" if request.param == "sqlite" else request.getfixturevalue("new_postgres_database")()
    engine = prepare_database(url, seed_demo=False)
    repository.create_scorecard(engine, DEMO_SEGMENTS, DEFINITION, [], DEMO_USERS)
    return engine


def _tick(phase: str) -> dict[str, bool]:
    return {item.key: True for item in CHECKLISTS[phase]}


def _new(engine, **changes) -> int:
    kpi = int(repository.scorecard_definition(engine)["kpi_id"].iloc[0])
    values = dict(kind="dmaic", title="Cut complaint time", kpi_id=kpi, segment="Retail", champion="nima", belt="reza",
                  start=date(2026, 6, 1), planned_end=date(2026, 12, 1), expected_benefit=120.0, charter=CHARTER)
    return create_project(engine, "reza", **{**values, **changes})


def _audit_count(engine) -> int:
    return len(repository.audit_log(engine, limit=10_000))


def test_a_project_starts_in_define_linked_to_its_kpi_and_objective(engine):
    project = project_detail(engine, _new(engine))
    row = project["project"]
    assert (row["phase"], row["status"], row["kind"], row["objective"], row["segment"]) == (
        "define", "active", "dmaic", "Delight", "Retail")
    assert row["expected_benefit"] == 120.0 and project["artifacts"]["define/charter"]["problem"] == "Complaints take 20 days"


def test_tollgates_open_phases_in_order_and_approval_needs_everything(engine):
    pid = _new(engine)
    with pytest.raises(ValueError, match="Measure phase is not open"):
        save_artifact(engine, "reza", pid, "measure", "baseline", {"mean": 1})
    before = _audit_count(engine)
    with pytest.raises(ValueError, match="cannot be approved yet: .*SIPOC"):
        decide_tollgate(engine, "nima", pid, "define", "approve", "", _tick("define"))
    assert _audit_count(engine) == before and project_detail(engine, pid)["tollgates"] == []
    save_artifact(engine, "reza", pid, "define", "sipoc", {"rows": [{"process": "Log"}]})
    decide_tollgate(engine, "nima", pid, "define", "approve", "Go", _tick("define"))
    detail = project_detail(engine, pid)
    assert detail["project"]["phase"] == "measure"
    assert [(t["phase"], t["decision"], t["decided_by"]) for t in detail["tollgates"]] == [("define", "approve", "nima")]
    save_artifact(engine, "reza", pid, "measure", "baseline", {"mean": 61.2})


def test_empty_charter_fields_block_the_define_tollgate(engine):
    pid = _new(engine, charter={**CHARTER, "goal": "  ", "ctqs": []})
    save_artifact(engine, "reza", pid, "define", "sipoc", {"rows": [{"process": "Log"}]})
    with pytest.raises(ValueError, match="Fill in the charter's goal, ctqs"):
        decide_tollgate(engine, "nima", pid, "define", "approve", "", _tick("define"))


def test_only_the_champion_decides_and_belts_change_only_their_projects(engine):
    pid = _new(engine)
    save_artifact(engine, "reza", pid, "define", "sipoc", {"rows": [{"process": "Log"}]})
    for user in ("reza", "guest"):
        with pytest.raises(PermissionDenied):
            decide_tollgate(engine, user, pid, "define", "approve", "", _tick("define"))
    with pytest.raises(PermissionDenied, match="only the project's champion, nima"):
        decide_tollgate(engine, "sara", pid, "define", "approve", "", _tick("define"))
    save_artifact(engine, "leila", pid, "define", "sipoc", {"rows": [{"process": "Log, classify"}]})   # in the team
    other = _new(engine, charter={**CHARTER, "green_belts": []}, belt="reza")
    with pytest.raises(PermissionDenied, match="only the project's belt"):
        save_artifact(engine, "leila", other, "define", "sipoc", {"rows": []})
    with pytest.raises(PermissionDenied):
        save_artifact(engine, "maryam", pid, "define", "sipoc", {"rows": []})
    assert project_detail(engine, pid)["project"]["phase"] == "define"


def test_rework_and_stop_need_a_reason_and_stop_ends_the_project(engine):
    pid = _new(engine)
    with pytest.raises(ValueError, match="Say why"):
        decide_tollgate(engine, "nima", pid, "define", "rework", " ", {})
    decide_tollgate(engine, "nima", pid, "define", "rework", "Goal not measurable yet", {})
    assert project_detail(engine, pid)["project"]["phase"] == "define"
    decide_tollgate(engine, "nima", pid, "define", "stop", "Budget moved to the SLA project", {})
    assert project_detail(engine, pid)["project"]["status"] == "stopped"
    with pytest.raises(ValueError, match="stopped"):
        save_artifact(engine, "reza", pid, "define", "sipoc", {"rows": []})


def test_a_dfss_project_closes_after_verify_with_its_verified_benefit(engine):
    pid = _new(engine, kind="dfss")
    tools = {"define": {"sipoc": {"rows": [1]}}, "measure": {"data_collection_plan": {"rows": [1]}, "baseline": {"m": 1}},
             "analyze": {"pareto": {"counts": {"a": 1}}, "regression": {"n": 30, "terms": [{"term": "x", "p_value": 0.01}]}},
             "design": {"ctq_tree": {"rows": [{"need": "Quick start", "driver": "First order", "ctq": "Days"}]},
                        "qfd": {"needs": {"a": 5}}},
             "verify": {"pilot": {"p_value": 0.01}, "control_plan": {"rows": [1]},
                        "closure": {"note": "held", "change_month": "2026-03", "shift": 2.5, "p_value": 0.004,
                                    "benefit": 150.0}}}  # as scorecard.benefit measures it
    for phase, artifacts in tools.items():
        for kind, payload in artifacts.items():
            save_artifact(engine, "reza", pid, phase, kind, payload)
        if phase == "verify":
            with pytest.raises(ValueError, match="verified benefit"):
                decide_tollgate(engine, "nima", pid, phase, "approve", "", _tick(phase))
            set_benefit(engine, "reza", pid, verified=150.0)
        decide_tollgate(engine, "nima", pid, phase, "approve", "", _tick(phase))
    row = portfolio(engine).set_index("id").loc[pid]
    assert (row["status"], row["phase"], row["verified_benefit"]) == ("closed", "verify", 150.0)
    assert row["closed_on"] is not None


def test_every_change_is_audited_old_to_new(engine):
    pid = _new(engine)
    save_artifact(engine, "reza", pid, "define", "sipoc", {"rows": [{"process": "Log"}]})
    save_artifact(engine, "reza", pid, "define", "sipoc", {"rows": [{"process": "Log and classify"}]})
    update = repository.audit_log(engine).iloc[0]
    assert (update["username"], update["action"], update["entity"]) == ("reza", "update", "artifact")
    assert update["old"]["payload"] == {"rows": [{"process": "Log"}]}
    assert update["new"]["payload"] == {"rows": [{"process": "Log and classify"}]}


def test_bad_input_is_refused(engine):
    with pytest.raises(ValueError, match="DMAIC or DFSS"):
        _new(engine, kind="lean")
    with pytest.raises(ValueError, match="after the start"):
        _new(engine, planned_end=date(2026, 1, 1))
    with pytest.raises(ValueError, match="not a user"):
        _new(engine, champion="nobody")
    pid = _new(engine)
    with pytest.raises(ValueError, match="cannot be saved"):
        save_artifact(engine, "reza", pid, "define", "sipoc", {"value": float("nan")})
    with pytest.raises(ValueError, match="≥ 0"):
        set_benefit(engine, "reza", pid, verified=-5.0)
    before = _audit_count(engine)
    bad_fmea = {"rows": [{"failure_mode": "Refund in error", "severity": 6, "occurrence": 4, "detection": 5},
                         {"failure_mode": "Data exposed", "severity": 11, "occurrence": 2, "detection": 8}]}
    with pytest.raises(ValueError, match="FMEA row 2: severity must be a whole number from 1 to 10, not 11"):
        save_artifact(engine, "reza", pid, "improve", "fmea", bad_fmea)
    with pytest.raises(ValueError, match="negative"):
        save_artifact(engine, "reza", pid, "analyze", "pareto", {"counts": {"Late": -3}})
    assert _audit_count(engine) == before


def test_a_signal_starts_a_prefilled_dmaic_project(engine):
    kpi = int(repository.scorecard_definition(engine)["kpi_id"].iloc[0])
    pid = project_from_signal(engine, "reza", kpi_id=kpi, kpi_name="Complaints resolved within 15 days",
                              segment="Retail", champion="nima", baseline={"mean": 61.2, "last": 58.0, "target": 80.0},
                              problem="Complaints resolved within 15 days (Retail) is 58.0 % against a target of 80.0 %.",
                              goal="Bring it to 80.0 %.")
    detail = project_detail(engine, pid)
    charter = detail["artifacts"]["define/charter"]
    assert detail["project"]["title"] == "Improve Complaints resolved within 15 days (Retail)"
    assert "58.0 % against a target of 80.0 %" in charter["problem"] and charter["kpi_baseline"]["mean"] == 61.2
    assert charter["black_belt"] == "reza" and charter["champion"] == "nima" and charter["green_belts"] == []
    in_persian = project_detail(engine, project_from_signal(
        engine, "leila", kpi_id=kpi, kpi_name="شکایات حل‌شده ظرف ۱۵ روز", segment="SME", champion="nima",
        baseline={}, title="بهبود شکایات حل‌شده ظرف ۱۵ روز (کسب‌وکارهای کوچک)", scope_in="کسب‌وکارهای کوچک"))
    by_green_belt = in_persian["artifacts"]["define/charter"]
    assert (by_green_belt["black_belt"], by_green_belt["green_belts"]) == ("", ["leila"])   # her own field
    assert in_persian["project"]["title"] == "بهبود شکایات حل‌شده ظرف ۱۵ روز (کسب‌وکارهای کوچک)"  # the screen's words
    assert by_green_belt["ctqs"] == ["شکایات حل‌شده ظرف ۱۵ روز"]
    assert (by_green_belt["scope_in"], charter["scope_in"]) == ("کسب‌وکارهای کوچک", "Retail")   # the screen's words


def test_a_closed_projects_change_month_starts_a_stage_of_its_kpi(tmp_path):
    from sqlalchemy import text

    from data.projects import stage_starts

    engine = prepare_database(f"sqlite:///{tmp_path / 'demo.db'}")
    with engine.connect() as connection:  # read the demo's closed projects' Improve approvals and marked stages directly
        expected = connection.execute(text(
            "SELECT p.kpi_id, substr(MIN(g.decided_at), 1, 7) FROM project p JOIN tollgate g ON g.project_id = p.id "
            "WHERE p.status = 'closed' AND g.phase = 'improve' AND g.decision = 'approve' GROUP BY p.id, p.kpi_id")).all()
        marked = connection.execute(text("SELECT kpi_id, month FROM kpi_stage")).all()
    assert expected and marked == [(expected[0][0], "2025-07")]     # the SLA project's belt marked the outsourcing
    assert stage_starts(engine) == {kpi_id: sorted([month, *(m for k, m in marked if k == kpi_id)])
                                    for kpi_id, month in expected}
    engine.dispose()


def test_a_champion_must_be_able_to_decide_tollgates_and_a_second_project_sees_the_first(engine):
    with pytest.raises(ValueError, match="guest cannot champion a project: their role .Viewer. may not decide"):
        _new(engine, champion="guest")
    first = _new(engine, title="First on complaints")
    _new(engine, title="Second on complaints", champion="sara")        # the strategy team may decide tollgates
    kpi = int(repository.scorecard_definition(engine)["kpi_id"].iloc[0])
    titles = active_projects_on(engine, kpi, "Retail")
    assert {"First on complaints", "Second on complaints"} <= set(titles) and first
    assert "First on complaints" not in active_projects_on(engine, kpi, "SME")


def test_an_approval_without_the_evidence_needs_a_reason_and_records_it(engine):
    """#18: the champion may approve Analyze without a verified root cause only with a reason, which is kept."""
    pid = _new(engine)
    save_artifact(engine, "reza", pid, "define", "sipoc", {"rows": [{"process": "Resolve complaints"}]})
    decide_tollgate(engine, "nima", pid, "define", "approve", "", _tick("define"))
    save_artifact(engine, "reza", pid, "measure", "data_collection_plan", {"rows": [{"measure": "Days"}]})
    save_artifact(engine, "reza", pid, "measure", "baseline", {"sentence": "Baseline recorded"})
    decide_tollgate(engine, "nima", pid, "measure", "approve", "", _tick("measure"))
    save_artifact(engine, "reza", pid, "analyze", "fishbone", {"causes": {"Method": ["Refunds wait for a manager"]}})
    save_artifact(engine, "reza", pid, "analyze", "hypothesis_test", {"results": [{"test": "Welch", "p_value": 1.0}]})
    override = {**_tick("analyze"), "override": True}
    with pytest.raises(ValueError, match="cannot be approved yet.*smallest p-value is 1"):
        decide_tollgate(engine, "nima", pid, "analyze", "approve", "  ", override)
    with pytest.raises(ValueError, match="cannot be approved yet"):
        decide_tollgate(engine, "nima", pid, "analyze", "approve", "", _tick("analyze"))
    decide_tollgate(engine, "nima", pid, "analyze", "approve", "Refund logs show the wait; the test had 4 cases",
                    override)
    detail = project_detail(engine, pid)
    (analyze,) = [g for g in detail["tollgates"] if g["phase"] == "analyze"]
    assert analyze["checklist"]["override"] is True and analyze["reason"].startswith("Refund logs show the wait")
    assert (analyze["decided_by"], detail["project"]["phase"]) == ("nima", "improve")


def test_a_second_project_with_the_same_title_still_sees_the_first(engine):
    first, second = _new(engine, title="Cut complaint time"), _new(engine, title="Cut complaint time")
    kpi = int(repository.scorecard_definition(engine)["kpi_id"].iloc[0])
    assert active_projects_on(engine, kpi, "Retail", besides=second) == ["Cut complaint time"]   # the first, by id
    assert active_projects_on(engine, kpi, "Retail", besides=first) == ["Cut complaint time"]
    assert active_projects_on(engine, kpi, "Retail") == ["Cut complaint time", "Cut complaint time"]

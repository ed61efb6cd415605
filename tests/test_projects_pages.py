"""The project screens under AppTest: a belt walks a new DMAIC project from Define to Control while
the champion decides each tollgate; refusals are shown and nothing is saved half-way.

AppTest cannot type into st.data_editor grids, so the table tools (SIPOC, data plan, solutions,
FMEA, control plan) are saved through the same data-layer call their Save button makes; every
other tool and every tollgate is driven through the page.
"""

from __future__ import annotations

import pytest

from data.db import make_engine
from data.projects import portfolio, project_detail, save_artifact
from data.repository import scorecard_definition
from sixsigma.roadmap import CHECKLISTS
from tests.apptest import html_tables, kpi_id, ok, sign_in, start, texts
from tests.project_walk import monthly, months_pass_with_the_change_in_place

WORKSPACE, PORTFOLIO = "screens/project.py", "screens/projects.py"


def _click(at, label: str) -> None:
    next(b for b in at.button if b.label == label).click()


def _submit(at, form: str, label: str):
    at.button(key=f"FormSubmitter:{form}-{label}").click()
    return at.run()


def _as(at, user: str):
    return ok(sign_in(at, user))


def _approve(at, pid: int, phase: str):
    """The champion ticks the checklist and approves the phase."""
    for item in CHECKLISTS[phase]:
        at.checkbox(key=f"check_{pid}_{phase}_{item.key}").check()
    at.radio(key=f"decision_{pid}_{phase}").set_value("approve")
    return ok(_submit(at, f"tollgate_{pid}_{phase}", "Record the decision"))


def test_the_portfolio_shows_the_demo_projects_and_flags_overruns(sqlite_url, sqlite_engine, monkeypatch):
    at = start(sqlite_url, PORTFOLIO, monkeypatch)
    table = at.dataframe[0].value
    assert set(table["Project"]) >= {"Cut complaint resolution time", "Redesign onboarding to lift retention",
                                     "Restore SLA after outsourcing", "Raise campaign response"}
    assert table.set_index("Project").loc["Raise campaign response", "Overrun"]
    benefits = at.dataframe[1].value
    # The SLA project's benefit, by hand: the months from its change (Improve approved 2026-01) against the stage
    # the belt marked at the outsourcing (2025-07 … 2025-12), at $40k a year per point.
    sla = monthly(sqlite_engine, int(scorecard_definition(sqlite_engine).set_index("kpi").at[
        "Tickets resolved within SLA", "kpi_id"]), "All")
    by_hand = (sla["2026-01":].mean() - sla["2025-07":"2025-12"].mean()) * 40
    assert benefits["verified_benefit"].sum() == pytest.approx(by_hand, abs=1e-3)
    at.multiselect(key="portfolio_kind").set_value(["dfss"])
    ok(at.run())
    assert at.dataframe[0].value["Project"].tolist() == ["Redesign onboarding to lift retention"]


def test_a_belt_takes_a_dmaic_project_from_define_to_control(own_url, monkeypatch):
    engine = make_engine(own_url)
    at = start(own_url, PORTFOLIO, monkeypatch, user="reza")
    at.text_input(key="new_project_title").input("Faster win-back calls")
    at.selectbox(key="new_project_segment").set_value("Retail")
    at.selectbox(key="new_project_champion").set_value("nima")
    ok(_submit(at, "new_project", "Start project"))
    pid = int(portfolio(engine).set_index("title").loc["Faster win-back calls", "id"])
    assert at.title[0].value == "Project workspace" and at.selectbox(key="workspace_project").value == pid
    at.switch_page(WORKSPACE)                       # AppTest reruns its own page unless told to follow
    at = _as(at, "reza")                            # and forgets the sidebar's choice when it does
    # Define: the charter form, then the SIPOC; a belt may not decide, an empty charter field blocks approval.
    for key, text in (("business_case", "Lapsed customers are worth $40k a month"), ("problem", "Win-back is 11 %"),
                      ("goal", "15 % by June"), ("scope_in", "Retail"), ("scope_out", "Corporate")):
        at.text_area(key=f"charter_{key}_{pid}").input(text)
    at.text_area(key=f"charter_ctqs_{pid}").input("Win-back rate")
    at.selectbox(key=f"charter_champion_{pid}").set_value("nima")
    ok(_submit(at, f"charter_{pid}", "Save charter"))
    save_artifact(engine, "reza", pid, "define", "sipoc", {"rows": [{"process": "Call lapsed customers"}]})
    at.run()
    assert not [r for r in at.radio if r.key == f"decision_{pid}_define"]   # the belt finds no decision form
    assert "Only the champion, Nima Rahimi (Champion, Head of Service), may decide this tollgate." in texts(at.caption)
    at = _as(at, "nima")
    at.radio(key=f"decision_{pid}_define").set_value("approve")
    _submit(at, f"tollgate_{pid}_define", "Record the decision")
    assert any("cannot be approved yet" in e.value and "Tick" in e.value for e in at.error)
    at = _approve(at, pid, "define")
    assert project_detail(engine, pid)["project"]["phase"] == "measure"

    # Measure: the KPI's baseline from its history, and the data plan.
    at = _as(at, "reza")
    _click(at, "Save this baseline")
    ok(at.run())
    save_artifact(engine, "reza", pid, "measure", "data_collection_plan", {"rows": [{"measure": "Win-backs"}]})
    at = _approve(_as(at, "nima"), pid, "measure")

    # Analyze: fishbone, 5 Whys and a hypothesis test, each through its form.
    at = _as(at, "reza")
    at.text_input(key=f"fish_problem_{pid}").input("Few lapsed customers come back")
    at.text_area(key=f"fish_Method_{pid}").input("Calls only after 90 days\nNo offer script")
    ok(_submit(at, f"fishbone_form_{pid}", "Save"))
    at.text_input(key=f"whys_problem_{pid}").input("Few lapsed customers come back")
    at.text_input(key=f"why_0_{pid}").input("They are called too late")
    at.text_input(key=f"why_1_{pid}").input("The lapse report runs quarterly")
    ok(_submit(at, f"whys_form_{pid}", "Save"))
    at.text_area(key=f"test_a_{pid}").input("9 11 10 12 8 10 11 9")
    at.text_area(key=f"test_b_{pid}").input("14 15 13 16 15 14 17 15")
    ok(_submit(at, f"test_form_{pid}", "Run and save"))
    assert "unlikely to be chance" in texts(at.info)
    at = _approve(_as(at, "nima"), pid, "analyze")

    # Improve: solutions and FMEA (table tools), the pilot through its form.
    save_artifact(engine, "reza", pid, "improve", "solutions", {"rows": [{"solution": "Monthly lapse report"}]})
    save_artifact(engine, "reza", pid, "improve", "fmea", {"rows": [
        {"failure_mode": "Customer called twice", "severity": 4, "occurrence": 3, "detection": 4}]})
    at = _as(at, "reza")
    at.text_area(key=f"pilot_before_{pid}").input("11 10 12 11 10 11 12 10")
    at.text_area(key=f"pilot_after_{pid}").input("14 15 14 16 15 15 14 16")
    ok(_submit(at, f"pilot_form_{pid}_improve", "Run and save"))
    assert "The pilot improved the mean" in texts(at.info)
    at = _approve(_as(at, "nima"), pid, "improve")

    # Control: control plan, response plan, closure with the verified benefit; approval closes it.
    save_artifact(engine, "reza", pid, "control", "control_plan", {"rows": [{"what": "Win-back rate"}]})
    at = _as(at, "reza")
    at.text_area(key=f"text_value_{pid}_control_response_plan").input("A signal → review the call list.")
    ok(_submit(at, f"text_{pid}_control_response_plan", "Save"))
    expected = months_pass_with_the_change_in_place(engine, pid)
    at.number_input(key=f"closure_worth_{pid}").set_value(2.0)
    at.text_area(key=f"closure_note_{pid}").input("Held for four months.")
    at.text_input(key=f"closure_partner_{pid}").input("Parisa Karimi, Finance")
    ok(_submit(at, f"closure_{pid}", "Measure and save"))
    assert "Verified benefit:" in texts(at.markdown)
    closure = project_detail(engine, pid)["artifacts"]["control/closure"]     # the finance sign-off is kept apart
    assert closure["finance_partner"] == "Parisa Karimi, Finance" and closure["verified_benefit"] == pytest.approx(
        expected, abs=1e-3)
    assert "Finance sign-off: Parisa Karimi, Finance" in texts(at.caption)
    at = _approve(_as(at, "nima"), pid, "control")

    detail = project_detail(engine, pid)
    assert detail["project"]["status"] == "closed"
    assert detail["project"]["verified_benefit"] == pytest.approx(expected, abs=1e-3)
    assert [t["phase"] for t in detail["tollgates"] if t["decision"] == "approve"] == [
        "define", "measure", "analyze", "improve", "control"]
    assert {"define/charter", "measure/baseline", "analyze/fishbone", "analyze/five_whys", "analyze/hypothesis_test",
            "improve/pilot", "control/response_plan", "control/closure"} <= set(detail["artifacts"])


def test_a_bad_number_in_a_form_is_refused_and_nothing_saved(own_url, monkeypatch):
    engine = make_engine(own_url)
    pid = int(portfolio(engine).set_index("title").loc["Cut complaint resolution time", "id"])   # in Improve
    at = start(own_url, WORKSPACE, monkeypatch, user="reza")
    at.selectbox(key="workspace_project").set_value(pid)
    ok(at.run())
    at.text_area(key=f"pilot_before_{pid}").input("11 10 twelve")
    at.text_area(key=f"pilot_after_{pid}").input("14 15 14")
    _submit(at, f"pilot_form_{pid}_improve", "Run and save")
    assert any("value 3 ('twelve') is not a number" in e.value for e in at.error)
    assert "improve/pilot" not in project_detail(engine, pid)["artifacts"]


def test_a_red_or_signalling_kpi_starts_a_prefilled_dmaic_project(own_url, monkeypatch):
    from tests.apptest import kpi_id

    engine = make_engine(own_url)
    at = start(own_url, "screens/kpi_detail.py", monkeypatch, user="reza")
    offered = None
    for name in ("Complaints resolved within 15 days", "Retention rate", "Revenue", "Win-back rate",
                 "Tickets resolved within SLA", "Penetration rate", "Opportunity win rate"):
        at.selectbox(key="kpi_detail_kpi").set_value(kpi_id(engine, name))
        ok(at.run())
        if any(b.label == "Start a DMAIC project" for b in at.button):
            offered = name
            break
    assert offered, "some demo KPI is red or signalling in the latest month"
    before = set(portfolio(engine)["id"])
    _click(at, "Start a DMAIC project")
    ok(at.run())
    new = portfolio(engine)[~portfolio(engine)["id"].isin(before)].iloc[0]
    assert (new["title"], new["kind"], new["belt"], new["phase"]) == (f"Improve {offered} (All)", "dmaic", "reza", "define")
    charter = project_detail(engine, int(new["id"]))["artifacts"]["define/charter"]
    baseline = charter["kpi_baseline"]
    assert baseline["months"] == 12 and baseline["objective"] and baseline["why"]        # the recent window
    assert (baseline["since"], baseline["until"]) == ("2025-11", "2026-10")
    assert offered in charter["problem"] and charter["ctqs"] == [offered]
    assert "against a target of" in charter["problem"] and "nelson" not in charter["problem"].lower()
    assert at.title[0].value == "Project workspace"


def test_a_second_project_on_the_same_kpi_is_warned_of_the_first(own_url, monkeypatch):
    from datetime import date

    from data.projects import create_project
    from tests.apptest import kpi_id

    engine = make_engine(own_url)
    pid = create_project(engine, "reza", kind="dmaic", title="Faster refunds", segment="Retail", champion="nima",
                         kpi_id=kpi_id(engine, "Complaints resolved within 15 days"), belt="reza",
                         start=date(2026, 11, 1), planned_end=date(2027, 4, 1))
    at = start(own_url, WORKSPACE, monkeypatch, user="reza")
    at.selectbox(key="workspace_project").set_value(pid)
    ok(at.run())
    assert any("Cut complaint resolution time" in w.value for w in at.warning)   # the demo's project on that KPI


def test_the_workspace_offers_chi_square_and_the_rank_tests():
    """Wiring of the Analyze tools the hypothesis form offers (#18: chi-square was not offered)."""
    from ui.projects import tools

    assert {"chi_square", "mann_whitney", "kruskal_wallis", "equal_variances", "normality"} <= set(tools.TESTS)
    # 2×2 table 10 20 / 30 40: expected 12, 18, 28, 42 → χ² = 4/12 + 4/18 + 4/28 + 4/42 = 0.7937 (by hand).
    result = tools._run_test("chi_square", tools._typed("chi_square", {"table": "10 20\n30 40"}))
    assert result.statistic == pytest.approx(4 / 12 + 4 / 18 + 4 / 28 + 4 / 42, abs=1e-9)
    groups = tools._typed("kruskal_wallis", {"groups": "a: 1 2 3\nb: 4 5 6\nc: 7 8 9"})
    ranks = tools._run_test("kruskal_wallis", groups)
    # No ties: H = 12/(9·10) · (6²/3 + 15²/3 + 24²/3) − 3·10 = 7.2 (by hand).
    assert ranks.statistic == pytest.approx(7.2, abs=1e-9)


def _tables_with(at, column: str) -> list:
    """The page's tables and grids that hold ``column``, with their header labels (the column config)."""
    import json

    found = []
    for table in at.dataframe:
        if column in table.value.columns:
            config = json.loads(table.proto.columns or "{}")
            found.append({name: (settings.get("label") or name) for name, settings in config.items()})
    return found


@pytest.mark.parametrize("user,editable", [("reza", True), ("guest", False)])
def test_fmea_is_shown_once_with_readable_headers(sqlite_url, sqlite_engine, monkeypatch, user, editable):
    """#18: the checked FMEA was shown above the grid as well, under its raw column names."""
    at = start(sqlite_url, WORKSPACE, monkeypatch, user=user)
    pid = int(portfolio(sqlite_engine).set_index("title").loc["Cut complaint resolution time", "id"])  # in Improve
    at.selectbox(key="workspace_project").set_value(pid)
    ok(at.run())
    (headers,) = _tables_with(at, "failure_mode")
    assert (headers["failure_mode"], headers["rpn"], headers["action_priority"]) == ("Failure mode", "RPN",
                                                                                      "Action priority")
    assert (headers["revised_severity"], headers["revised_rpn"], headers["revised_action_priority"]) == (
        "Revised severity", "Revised RPN", "Revised action priority")        # the reassessment after the action
    assert any(f"tool_{pid}_improve_fmea" in table.proto.id for table in at.dataframe) == editable


def _project_in_analyze(engine) -> int:
    """A new DMAIC project walked through Define and Measure in the data layer (the belt is reza)."""
    from datetime import date

    from data.projects import create_project, decide_tollgate

    charter = {"business_case": "Slow refunds cost renewals", "problem": "Refunds take 9 days",
               "goal": "5 days by June",
               "scope_in": "Retail", "scope_out": "Corporate", "ctqs": ["Days to refund"], "champion": "nima",
               "black_belt": "reza"}
    pid = create_project(engine, "reza", kind="dmaic", title="Faster refunds", kpi_id=None, segment="Retail",
                         champion="nima", belt="reza", start=date(2026, 11, 1), planned_end=date(2027, 4, 1),
                         charter=charter)
    for phase, tools in (("define", {"sipoc": {"rows": [{"process": "Refund"}]}}),
                         ("measure", {"data_collection_plan": {"rows": [{"measure": "Days"}]}, "baseline": {"m": 1}})):
        for kind, payload in tools.items():
            save_artifact(engine, "reza", pid, phase, kind, payload)
        decide_tollgate(engine, "nima", pid, phase, "approve", "", {item.key: True for item in CHECKLISTS[phase]})
    return pid


def test_a_second_hypothesis_test_is_kept_beside_the_first_and_one_may_be_removed(own_url, monkeypatch):
    engine = make_engine(own_url)
    pid = _project_in_analyze(engine)
    at = start(own_url, WORKSPACE, monkeypatch, user="reza")
    at.selectbox(key="workspace_project").set_value(pid)
    ok(at.run())
    for before, after in (("9 11 10 12 8 10 11 9", "14 15 13 16 15 14 17 15"), ("10 11 10 12", "10 12 11 11")):
        at.text_area(key=f"test_a_{pid}").input(before)
        at.text_area(key=f"test_b_{pid}").input(after)
        ok(_submit(at, f"test_form_{pid}", "Run and save"))
    kept = project_detail(engine, pid)["artifacts"]["analyze/hypothesis_test"]["results"]
    assert len(kept) == 2 and kept[0]["p_value"] < 0.05 < kept[1]["p_value"] and all(r["saved_at"] for r in kept)
    assert sum("Saved " in c.value for c in at.caption) == 2
    at.button(key=f"remove_{pid}_analyze_hypothesis_test_0").click()
    ok(at.run())
    assert project_detail(engine, pid)["artifacts"]["analyze/hypothesis_test"]["results"] == kept[1:]


def _analyze(own_url, monkeypatch):
    engine = make_engine(own_url)
    pid = _project_in_analyze(engine)
    at = start(own_url, WORKSPACE, monkeypatch, user="reza")
    at.selectbox(key="workspace_project").set_value(pid)
    return engine, pid, ok(at.run())


def _kept(engine, pid: int, kind: str) -> list[dict]:
    return project_detail(engine, pid)["artifacts"].get(f"analyze/{kind}", {}).get("results", [])


def test_a_test_runs_on_an_uploaded_files_columns_and_a_bad_file_saves_nothing(own_url, monkeypatch):
    engine, pid, at = _analyze(own_url, monkeypatch)
    at.file_uploader(key=f"test_upload_{pid}").upload("empty.csv", b"", "text/csv")
    at.run()
    assert "empty.csv holds no data." in texts(at.error) and not at.exception
    at.file_uploader(key=f"test_upload_{pid}").upload("text.csv", b"before,after\n1,3\n2,x\n3,5\n4,6\n5,7\n",
                                                      "text/csv")
    ok(at.run())
    at.selectbox(key=f"test_file_{pid}_a").set_value("before")
    at.selectbox(key=f"test_file_{pid}_b").set_value("after")
    _submit(at, f"test_form_{pid}", "Run and save")
    assert "Nothing was saved" in texts(at.error) and "after" in texts(at.error) and not at.exception
    assert not _kept(engine, pid, "hypothesis_test")
    at.file_uploader(key=f"test_upload_{pid}").upload("times.csv", b"before,after\n1,3\n2,4\n3,5\n4,6\n5,7\n",
                                                      "text/csv")
    ok(at.run())
    ok(_submit(at, f"test_form_{pid}", "Run and save"))
    # Welch t by hand: means 3 and 5, both variances 2.5, SE = √(2.5/5 + 2.5/5) = 1, so |t| = 2.
    (result,) = _kept(engine, pid, "hypothesis_test")
    assert abs(result["statistic"]) == pytest.approx(2.0, abs=1e-12)


def test_a_regression_runs_on_an_uploaded_file_and_a_text_column_saves_nothing(own_url, monkeypatch):
    engine, pid, at = _analyze(own_url, monkeypatch)
    calls = b"y,x,agent\n3.1,1,a\n4.9,2,b\n7.2,3,c\n8.8,4,d\n11.1,5,e\n12.9,6,f\n"
    at.file_uploader(key=f"reg_upload_{pid}").upload("calls.csv", calls, "text/csv")
    ok(at.run())
    at.selectbox(key=f"reg_response_{pid}").set_value("y")
    at.multiselect(key=f"reg_drivers_{pid}").set_value(["agent"])
    at.button(key=f"reg_run_{pid}").click()
    at.run()
    assert "Nothing was saved" in texts(at.error) and "agent" in texts(at.error) and not at.exception
    assert not _kept(engine, pid, "regression")
    at.multiselect(key=f"reg_drivers_{pid}").set_value(["x"])
    at.button(key=f"reg_run_{pid}").click()
    ok(at.run())
    # Least squares by hand: x̄ = 3.5, ȳ = 8, Sxx = 17.5, Sxy = 34.6, so the slope is 34.6 / 17.5.
    (fit,) = _kept(engine, pid, "regression")
    slope = next(term["coefficient"] for term in fit["terms"] if term["term"] == "x")
    assert slope == pytest.approx(34.6 / 17.5, rel=1e-12)


def test_every_tool_has_one_registry_entry_and_one_renderer():
    """#18: adding a tool touches the domain's registry and the workspace's renderers, nothing else."""
    from sixsigma.roadmap import REQUIRED, TOOLS
    from sixsigma.tools import REGISTRY
    from ui.projects.tools import RENDERERS

    assert set(RENDERERS) == set(REGISTRY)
    assert {kind for kinds in TOOLS.values() for kind in kinds} == set(REGISTRY)
    assert TOOLS["improve"] == ("solutions", "doe", "fmea", "pilot")      # shown in the registry's order
    assert TOOLS["design"] == ("ctq_tree", "qfd", "doe", "fmea")
    assert all(kind in REGISTRY for options in REQUIRED.values() for group in options for kind in group)


def test_the_verified_benefit_shows_on_the_scorecard_and_on_kpi_detail(sqlite_url, sqlite_engine, monkeypatch):
    benefit = portfolio(sqlite_engine).set_index("title").at["Restore SLA after outsourcing", "verified_benefit"]
    shown = f"${benefit:,.1f}k"                                   # 165.633 → "$165.6k"
    at = start(sqlite_url, "screens/scorecard.py", monkeypatch)
    assert (f"Tickets resolved within SLA — Restore SLA after outsourcing: {shown} a year") in texts(at.caption)
    at = start(sqlite_url, "screens/kpi_detail.py", monkeypatch)
    at.selectbox(key="kpi_detail_kpi").set_value(int(scorecard_definition(sqlite_engine).set_index("kpi").at[
        "Tickets resolved within SLA", "kpi_id"]))
    tables = html_tables(ok(at.run()))
    projects = next(table for table in tables if "Verified benefit a year" in table.columns)
    assert projects.set_index("Project").at["Restore SLA after outsourcing", "Verified benefit a year"] == shown


def _in_improve(engine) -> tuple[int, str]:
    """The demo project open in Improve and its KPI's wanted direction, read from the tables."""
    from sqlalchemy import text

    with engine.connect() as conn:
        pid, direction = conn.execute(text(
            "SELECT p.id, k.direction FROM project p JOIN kpi k ON k.id = p.kpi_id "
            "WHERE p.phase = 'improve' AND p.status = 'active' ORDER BY p.id")).first()
    return int(pid), direction


def test_a_pilot_that_moves_the_kpi_the_wrong_way_does_not_pass_improve(own_url, monkeypatch):
    """#18: the pilot's shift must be significant in the wanted direction, whatever its size."""
    engine = make_engine(own_url)
    pid, direction = _in_improve(engine)
    low, high = "10 11 10 12", "14 15 14 16"
    before, after = (high, low) if direction == "higher" else (low, high)     # a clear shift, the wrong way
    at = start(own_url, WORKSPACE, monkeypatch, user="reza")
    at.selectbox(key="workspace_project").set_value(pid)
    ok(at.run())
    at.text_area(key=f"pilot_before_{pid}").input(before)
    at.text_area(key=f"pilot_after_{pid}").input(after)
    ok(_submit(at, f"pilot_form_{pid}_improve", "Run and save"))
    # By hand: means 10.75 and 14.75, both s² = 2.75/3, SE = √(2·0.9167/4) = 0.677, |t| = 4/0.677 = 5.91 on 6 df;
    # the one-sided p in the wanted direction is 1 − P(T > 5.91) ≈ 0.9995.
    assert project_detail(engine, pid)["artifacts"]["improve/pilot"]["p_value"] > 0.999
    at = _as(at, "nima")
    for item in CHECKLISTS["improve"]:
        at.checkbox(key=f"check_{pid}_improve_{item.key}").check()
    at.radio(key=f"decision_{pid}_improve").set_value("approve")
    _submit(at, f"tollgate_{pid}_improve", "Record the decision")
    assert any("The pilot moved the KPI the wrong way" in e.value for e in at.error), [e.value for e in at.error]
    assert project_detail(engine, pid)["project"]["phase"] == "improve"


def test_the_decision_form_starts_empty_and_a_decision_must_be_chosen(own_url, monkeypatch):
    """#18: no decision is preselected; submitting without one records nothing and says what to choose."""
    engine = make_engine(own_url)
    pid, _ = _in_improve(engine)
    at = start(own_url, WORKSPACE, monkeypatch, user="nima")
    at.selectbox(key="workspace_project").set_value(pid)
    ok(at.run())
    assert at.radio(key=f"decision_{pid}_improve").value is None
    at.text_input(key=f"reason_{pid}_improve").input("Looks fine")
    _submit(at, f"tollgate_{pid}_improve", "Record the decision")
    assert "Choose approve, rework or stop." in [e.value for e in at.error]
    assert not [g for g in project_detail(engine, pid)["tollgates"] if g["phase"] == "improve"]
    at.checkbox(key=f"check_{pid}_improve_{CHECKLISTS['improve'][0].key}").check()
    at.radio(key=f"decision_{pid}_improve").set_value("rework")
    at.text_input(key=f"reason_{pid}_improve").input("Pilot too short")
    ok(_submit(at, f"tollgate_{pid}_improve", "Record the decision"))
    (decided,) = [g for g in project_detail(engine, pid)["tollgates"] if g["phase"] == "improve"]
    assert (decided["decision"], decided["reason"]) == ("rework", "Pilot too short")
    assert at.radio(key=f"decision_{pid}_improve").value is None and not at.text_input(key=f"reason_{pid}_improve").value
    assert not any(at.checkbox(key=f"check_{pid}_improve_{item.key}").value for item in CHECKLISTS["improve"])


def test_a_green_belts_project_from_a_kpi_starts_with_no_black_belt_chosen(own_url, monkeypatch):
    """#18: the charter's black belt box started on the first user in the list, so a save recorded an arbitrary
    person; a green belt's project from a red KPI has none until someone is chosen."""
    from data.projects import project_from_signal

    engine = make_engine(own_url)
    kpi = kpi_id(engine, "Complaints resolved within 15 days")
    pid = project_from_signal(engine, "leila", kpi_id=kpi, kpi_name="Complaints resolved within 15 days",
                              segment="Retail", champion="nima", baseline={})
    at = start(own_url, WORKSPACE, monkeypatch, user="leila")
    at.selectbox(key="workspace_project").set_value(pid)
    ok(at.run())
    assert at.selectbox(key=f"charter_black_belt_{pid}").value is None
    assert at.selectbox(key=f"charter_champion_{pid}").value == "nima"


def test_a_persian_workspace_writes_its_dates_in_the_jalali_calendar(sqlite_url, sqlite_engine, monkeypatch):
    """The planned end and each tollgate decision's moment read as Jalali dates in Persian digits (the demo
    project's Define was approved on 2026-06-19, which is 1405/03/29: jdatetime's calendar, checked by hand on
    the Iranian calendar: 1 Tir 1405 is 2026-06-22, so three days earlier is 29 Khordad)."""
    from sqlalchemy import text

    import ui.core.i18n

    monkeypatch.setattr(ui.core.i18n, "language", lambda: "fa")
    pid = int(portfolio(sqlite_engine).set_index("title").loc["Cut complaint resolution time", "id"])
    with sqlite_engine.connect() as conn:
        decided = conn.execute(text("SELECT decided_at FROM tollgate WHERE project_id = :p AND phase = 'define'"),
                               {"p": pid}).scalar_one()
    assert str(decided).startswith("2026-06-19")
    at = start(sqlite_url, WORKSPACE, monkeypatch, language="fa", user="nima")
    at.selectbox(key="workspace_project").set_value(pid)
    ok(at.run())
    log = next(frame.value for frame in at.dataframe if "decided_at" in frame.value.columns)
    assert log["decided_at"].iloc[0].startswith("۱۴۰۵/۰۳/۲۹ ")
    # Planned end 2026-12-15: 1 Azar 1405 is 2026-11-22 (1 Mehr is 2026-09-23, Mehr and Aban have 30 days), so 24 Azar.
    assert "۱۴۰۵/۰۹/۲۴" in [metric.value for metric in at.metric]
    assert not any(ch in "0123456789" for metric in at.metric for ch in metric.value)   # no Gregorian "2026-12-15"

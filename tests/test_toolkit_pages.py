"""The belt's Measure, Improve/Design and Verify tools under AppTest (#19): each runs on an uploaded file or typed
numbers, shows published results, and bad input is refused with a message naming the problem, nothing saved.

Published references (the numbers asserted below):
- AIAG MSA 4th ed. / Minitab's gageaiag example (10 parts × 3 operators × 3 trials, data in tests/test_msa_doe.py):
  total gage R&R 27.86 % of study variation, 4 distinct categories.
- Montgomery, *Design and Analysis of Experiments*, 8th ed., Example 13.1 (20 parts × 3 operators × 2 trials):
  reduced-model variance components σ²_repeatability 0.8832, σ²_operator 0.0106; with the specification
  limits LSL 5 and USL 60 of the same example (Montgomery, *Introduction to Statistical Quality Control*, 6th
  ed., Example 8.7) the % tolerance is 100 · 6 · √(0.8832 + 0.0106) / 55 = 10.31.
"""

from __future__ import annotations

from datetime import date

import pytest

from data.db import make_engine
from data.projects import create_project, decide_tollgate, project_detail, save_artifact
from sixsigma.roadmap import CHECKLISTS
from tests.apptest import ok, start, texts
from tests.test_msa_doe import _aiag, _montgomery

WORKSPACE = "screens/project.py"
CHARTER = {"business_case": "Slow refunds cost renewals", "problem": "Refunds take 9 days", "goal": "5 days by June",
           "scope_in": "Retail", "scope_out": "Corporate", "ctqs": ["Days to refund"], "champion": "nima",
           "black_belt": "reza"}
BEFORE = {"define": {"sipoc": {"rows": [{"process": "Refund"}]}},
          "measure": {"data_collection_plan": {"rows": [{"measure": "Days"}]}, "baseline": {"m": 1}},
          "analyze": {"pareto": {"counts": {"a": 3, "b": 1}}, "hypothesis_test": {"results": [{"p_value": 0.01}]}},
          "design": {"ctq_tree": {"rows": [{"need": "Fast", "driver": "Quick steps", "ctq": "Days", "lsl": 1,
                                           "usl": 7}]},
                     "qfd": {"needs": {"Fast": 5}, "characteristics": ["x"], "relations": [["Fast", "x", 9]]}}}


def _project_in(engine, kind: str, phase: str, *, title: str | None = None, belt: str = "reza") -> int:
    """A new project of ``kind`` (the belt reza unless named, the champion nima) walked in the data layer to
    ``phase``."""
    pid = create_project(engine, belt, kind=kind, title=title or f"Faster refunds ({kind} {phase})", kpi_id=None,
                         segment="Retail", champion="nima", belt=belt, start=date(2026, 11, 1),
                         planned_end=date(2027, 4, 1), charter={**CHARTER, "black_belt": belt})
    from sixsigma.roadmap import PHASES
    for done in PHASES[kind][:PHASES[kind].index(phase)]:
        for tool, payload in BEFORE[done].items():
            save_artifact(engine, belt, pid, done, tool, payload)
        decide_tollgate(engine, "nima", pid, done, "approve", "", {item.key: True for item in CHECKLISTS[done]})
    return pid


def _open(own_url, monkeypatch, kind: str = "dmaic", phase: str = "measure"):
    engine = make_engine(own_url)
    pid = _project_in(engine, kind, phase)
    at = start(own_url, WORKSPACE, monkeypatch, user="reza")
    at.selectbox(key="workspace_project").set_value(pid)
    return engine, pid, ok(at.run())


def _kept(engine, pid: int, phase: str, kind: str) -> list[dict]:
    return project_detail(engine, pid)["artifacts"].get(f"{phase}/{kind}", {}).get("results", [])


def _submit(at, form: str):
    at.button(key=f"FormSubmitter:{form}-Run and save").click()
    return at.run()


def _csv(frame) -> bytes:
    return frame.to_csv(index=False).encode()


def _refused(at, *words: str) -> None:
    shown = texts(at.error)
    assert "Nothing was saved" in shown and all(w in shown for w in words) and not at.exception, shown


def test_gage_rr_of_an_uploaded_study_shows_the_aiag_results_and_bad_studies_save_nothing(own_url, monkeypatch):
    engine, pid, at = _open(own_url, monkeypatch)
    uploader = at.file_uploader(key=f"gage_upload_{pid}")
    uploader.upload("empty.csv", b"", "text/csv")
    at.run()
    assert "empty.csv holds no data." in texts(at.error) and not at.exception
    aiag = _aiag().rename(columns={"value": "measurement"})
    for name, frame, words in (
            ("unbalanced.csv", aiag.iloc[1:], ("unbalanced",)),
            ("text.csv", aiag.astype({"measurement": object}).assign(measurement=lambda f: f["measurement"].where(
                f.index != 4, "n/a")), ("measurement", "n/a")),
            ("one_operator.csv", aiag.assign(operator="A"), ("2 operators",))):
        at.file_uploader(key=f"gage_upload_{pid}").upload(name, _csv(frame), "text/csv")
        ok(at.run())
        _refused(_submit(at, f"gage_form_{pid}"), *words)
        assert not _kept(engine, pid, "measure", "gage_rr")
    at.file_uploader(key=f"gage_upload_{pid}").upload("aiag.csv", _csv(aiag), "text/csv")
    ok(at.run())
    assert at.selectbox(key=f"gage_{pid}_value").value == "measurement"      # the column after part and operator
    ok(_submit(at, f"gage_form_{pid}"))
    (study,) = _kept(engine, pid, "measure", "gage_rr")
    assert study["pct_study_var"] == pytest.approx(27.86, abs=0.005) and study["ndc"] == 4   # AIAG / Minitab
    assert "27.86 % of the study variation" in texts(at.info)


def test_gage_rr_with_a_tolerance_gives_montgomerys_percent_of_tolerance(own_url, monkeypatch):
    engine, pid, at = _open(own_url, monkeypatch, kind="dfss")
    at.file_uploader(key=f"gage_upload_{pid}").upload("montgomery.csv", _csv(_montgomery()), "text/csv")
    ok(at.run())
    at.text_input(key=f"gage_tolerance_{pid}").input("55")
    ok(_submit(at, f"gage_form_{pid}"))
    (study,) = _kept(engine, pid, "measure", "gage_rr")
    assert study["pct_tolerance"] == pytest.approx(600 * (0.8832 + 0.0106) ** 0.5 / 55, abs=0.01)


FLEISS = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
          [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]
"""Fleiss (1971), Table 1: 10 subjects, each rated by 14 raters into 5 categories (counts); κ = 0.210."""


def _fleiss_ratings() -> bytes:
    rows = [f"rater {r + 1},subject {s + 1},category {c}" for s, counts in enumerate(FLEISS)
            for r, c in enumerate(c for c, n in enumerate(counts) for _ in range(n))]
    return ("appraiser,part,rating\n" + "\n".join(rows) + "\n").encode()


def test_attribute_agreement_between_appraisers_gives_fleiss_kappa(own_url, monkeypatch):
    engine, pid, at = _open(own_url, monkeypatch)
    ratings = _fleiss_ratings()
    at.file_uploader(key=f"agreement_upload_{pid}").upload("unbalanced.csv", ratings.rsplit(b"\n", 2)[0] + b"\n",
                                                           "text/csv")
    ok(at.run())
    _refused(_submit(at, f"agreement_form_{pid}"), "unbalanced")
    assert not _kept(engine, pid, "measure", "attribute_agreement")
    at.file_uploader(key=f"agreement_upload_{pid}").upload("fleiss.csv", ratings, "text/csv")
    ok(at.run())
    ok(_submit(at, f"agreement_form_{pid}"))
    (study,) = _kept(engine, pid, "measure", "attribute_agreement")
    (between,) = [row for row in study["table"] if row["kind"] == "between"]
    assert between["kappa"] == pytest.approx(0.210, abs=5e-4) and between["inspected"] == 10


def _filled_sheet(saved: dict, standard_order_response: list, **changes) -> bytes:
    """The saved design's run sheet with the response of each run looked up by its standard order."""
    import pandas as pd

    sheet = pd.DataFrame(saved["runs"]).rename(columns=str.lower)
    sheet["response"] = [standard_order_response[i - 1] for i in sheet["std_order"]]
    for column, (row, value) in changes.items():
        sheet[column] = sheet[column].astype(object)
        sheet.loc[row, column] = value
    return _csv(sheet)


def test_a_half_fraction_shows_its_aliases_and_its_results_give_montgomerys_effects(own_url, monkeypatch):
    """Montgomery DAE 8th ed., Example 8.1: the 2⁴⁻¹ filtration experiment with D = ABC, responses in standard
    order 45, 100, 45, 65, 75, 60, 80, 96 (Table 8.3); estimates A 19.00, B 1.50, C 14.00, D 16.50,
    AB + CD −1.00, AC + BD −18.50, AD + BC 19.00 (Table 8.4)."""
    engine, pid, at = _open(own_url, monkeypatch, phase="improve")
    at.text_area(key=f"doe_factors_{pid}").input("A, 20, 30\nB, 10, 15\nC, 2, 4\nD, 1, 2")
    at.radio(key=f"doe_kind_{pid}").set_value("half")
    ok(at.button(key=f"FormSubmitter:doe_form_{pid}-Create the design").click().run())
    saved = project_detail(engine, pid)["artifacts"]["improve/doe"]
    assert saved["defining_relation"] == "I = ABCD" and {"AB = CD", "AC = BD", "AD = BC"} <= set(saved["aliases"])
    assert "AB = CD" in texts(at.caption) and sorted(r["run_order"] for r in saved["runs"]) == list(range(1, 9))
    y = [45, 100, 45, 65, 75, 60, 80, 96]
    for name, changes, words in (("coded.csv", {"a": (0, 0)}, ("A", "−1 and +1")),
                                 ("missing.csv", {"response": (3, "")}, ("response", "row 5"))):
        at.file_uploader(key=f"doe_upload_{pid}").upload(name, _filled_sheet(saved, y, **changes), "text/csv")
        ok(at.run())
        at.button(key=f"doe_analyse_{pid}").click()
        _refused(at.run(), *words)
        assert "results" not in project_detail(engine, pid)["artifacts"]["improve/doe"]
    at.file_uploader(key=f"doe_upload_{pid}").upload("filtration.csv", _filled_sheet(saved, y), "text/csv")
    ok(at.run())
    at.button(key=f"doe_analyse_{pid}").click()
    ok(at.run())
    import pandas as pd

    from sixsigma import doe
    saved = project_detail(engine, pid)["artifacts"]["improve/doe"]
    effects = doe.effects(pd.DataFrame(saved["results"]), "response", list("ABCD")).set_index("term")["effect"]
    assert effects.tolist() == [19.0, 1.5, 14.0, 16.5, -1.0, -18.5, 19.0]
    (shown,) = [table.value.set_index("term")["effect"] for table in at.dataframe if "term" in table.value]
    assert [float(v.replace("−", "-")) for v in shown] == [19.0, 1.5, 14.0, 16.5, -1.0, -18.5, 19.0]


@pytest.mark.parametrize("test, inputs, sentence", [
    # Cohen (1988), Table 2.4.1: d = 0.5 at 80 % power, two-sided α = 0.05 needs 64 per group.
    ("two_sample_t", {"delta": 0.5, "sigma": 1.0}, "n = 64 per group for a difference of 0.5 σ at 80% power"),
    # R, power.t.test(delta = 0.5, sd = 1, power = 0.8, type = "paired"): n = 33.37, so 34 pairs.
    ("paired_t", {"delta": 1.0, "sigma": 2.0}, "n = 34 pairs for a mean difference of 0.5 σ at 80% power"),
    # R's documented example power.prop.test(p1 = .50, p2 = .75, power = .90): n = 76.65, so 77 per group.
    ("two_proportions", {"p1": 0.5, "p2": 0.75, "power": 0.9},
     "n = 77 per group to tell a proportion of 0.5 from 0.75"),
    # R's documented example power.anova.test(groups = 4, between.var = 1, within.var = 3, power = .80): n = 11.93;
    # means 0 0 1 1 have between-group variance 1/3 against a within-group variance of 1, the same ratio.
    ("anova", {"means": "0 0 1 1", "sigma": 1.0}, "n = 12 per group for 4 groups"),
])
def test_the_sample_size_is_answered_in_words_from_published_tables(own_url, monkeypatch, test, inputs, sentence):
    engine, pid, at = _open(own_url, monkeypatch)
    at.selectbox(key=f"size_test_{pid}").set_value(test)
    ok(at.run())
    for name, value in inputs.items():
        box = at.text_input(key=f"size_{pid}_{name}") if name == "means" else at.number_input(
            key=f"size_{name}_{pid}" if name == "power" else f"size_{pid}_{name}")
        box.set_value(value)
    ok(_submit(at, f"size_form_{pid}"))
    (result,) = _kept(engine, pid, "measure", "sample_size")
    assert sentence in result["sentence"] and sentence in texts(at.info), result["sentence"]


def test_a_sample_size_for_no_difference_saves_nothing(own_url, monkeypatch):
    engine, pid, at = _open(own_url, monkeypatch)
    at.number_input(key=f"size_{pid}_delta").set_value(0.0)
    _refused(_submit(at, f"size_form_{pid}"), "difference")
    assert not _kept(engine, pid, "measure", "sample_size")


def test_dfss_verify_shows_predicted_and_observed_capability_and_the_verification_test(own_url, monkeypatch):
    """By hand: observed 3, 4, 5 against the CTQ's LSL 1 and USL 7 have mean 4 and s = 1, so Pp = 6/6 = 1 and
    Ppk = 3/3 = 1; predicted mean 4 with σ 0.5 gives Cpk = 3/1.5 = 2. Required below 6: t = −2/(1/√3) = −3.464 on 2
    degrees of freedom, one-sided p = ½(1 − |t|/√(t² + 2)) = 0.0371 (Student's t with 2 df in closed form)."""
    engine, pid, at = _open(own_url, monkeypatch, kind="dfss", phase="verify")
    at.selectbox(key=f"verify_ctq_{pid}").set_value("Days")
    ok(at.run())
    limits = at.text_input(key=f"verify_lsl_{pid}_0").value, at.text_input(key=f"verify_usl_{pid}_0").value
    assert limits == ("1", "7")                                      # from the CTQ tree
    at.text_input(key=f"verify_required_{pid}_0").input("6")
    at.radio(key=f"verify_direction_{pid}").set_value("lower")
    at.text_input(key=f"verify_mean_{pid}").input("4")
    at.text_input(key=f"verify_sigma_{pid}").input("0.5")
    for observed, words in (("3 4 x", ("x",)), ("4 4 4", ("same",))):
        at.text_area(key=f"verify_observed_{pid}").input(observed)
        _refused(_submit(at, f"verify_form_{pid}"), *words)
        assert "verify/verification" not in project_detail(engine, pid)["artifacts"]
    at.text_area(key=f"verify_observed_{pid}").input("3 4 5")
    ok(_submit(at, f"verify_form_{pid}"))
    saved = project_detail(engine, pid)["artifacts"]["verify/verification"]
    assert (saved["observed_capability"]["pp"], saved["observed_capability"]["ppk"]) == (pytest.approx(1.0),
                                                                                        pytest.approx(1.0))
    assert saved["predicted"]["cpk"] == pytest.approx(2.0)
    t = 2 * 3 ** 0.5
    assert saved["p_value"] == pytest.approx(0.5 * (1 - t / (t * t + 2) ** 0.5), rel=1e-9)
    assert "The design meets the requirement of 6" in texts(at.info)

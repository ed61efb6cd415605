"""End to end: a belt walks a DFSS (DMADV) project in Chromium, in English and in Persian, from its start on a
scorecard KPI through Define, Measure, Analyze, Design and Verify to its closure (#19: "a DFSS project is walked to
Verify").

The champion approves every tollgate. In Verify the belt checks the design against the CTQ's specification limits
from the CTQ tree: predicted capability (the design's mean and σ) and observed capability and a one-sided
verification test (the values typed). Every number the test expects is worked out by hand below from the values
it types, never through the app's helpers.
"""

from __future__ import annotations

import math

import pytest

from data.db import make_engine
from data.projects import portfolio, project_detail
from data.repository import scorecard_definition
from tests.project_walk import months_pass_with_the_change_in_place
from tests.test_browser import (  # noqa: F401  (own_server: a fixture)
    BELT, CHAMPION_NAME, _approve, _choose, _fill, _save_grid, _save_table, _switch, _tool,
    _translator, load, own_server)

TITLE = "Same-day callback service"
KIND = "DFSS"
PHASES = ("Define", "Measure", "Analyze", "Design", "Verify")
KPI = 17        # Maximise service quality › Mean resolution time (demo catalog; hours, lower is better, no earlier stage)

# The CTQ the design must meet (its row of the CTQ tree) and what the belt types in Verify.
CTQ = {"need": "My problem is solved today", "driver": "Quick callback", "ctq": "Callback time",
       "measure": "minutes from the ticket to the call", "lsl": 10, "target": 20, "usl": 30}
REQUIRED = 25                               # the mean callback time must be below 25 minutes
PREDICTED_MEAN, PREDICTED_SIGMA = 19.5, 1.5  # from the design's simulation
OBSERVED = [17, 20, 18, 21, 19, 16, 22, 19]  # the new design's callbacks in its verification run

# By hand from OBSERVED (n = 8): mean 152/8 = 19; deviations −2 1 −1 2 0 −3 3 0, squares sum 28, s² = 28/7 = 4,
# s = 2. Overall (sample σ): Pp = (30 − 10)/(6·2) = 1.667, Ppk = min(30 − 19, 19 − 10)/(3·2) = 9/6 = 1.5.
# Within (moving ranges 3 2 3 2 3 6 3, MR̄ = 22/7, σ = MR̄/d2 with d2 = 1.128 for n = 2, Montgomery,
# Introduction to Statistical Quality Control, Appendix Table VI): σ = 2.786, Cp = 20/(6σ) = 1.196,
# Cpk = 9/(3σ) = 1.077. Expected ppm outside (sample σ): 10⁶·(Φ(−4.5) + Φ(−5.5)) = 3.398 + 0.019 = 3.417.
# Predicted (mean 19.5, σ 1.5): Cp = Pp = 20/9 = 2.222, Cpk = Ppk = min(10.5, 9.5)/4.5 = 2.111, ppm 0.000 (z −6.3, 7).
# Verification test: t = (19 − 25)/(2/√8) = −8.49 on 7 df; the one-sided 95 % upper bound on the mean is
# 19 + t(0.95, 7)·2/√8 = 19 + 1.895·0.7071 = 20.34 (t(0.95, 7) = 1.895, NIST/SEMATECH e-Handbook Table 1.3.6.7.2).
T_95_7DF = 1.895
# The verdict as the user reads it: the design meets the requirement, and the one-sided bound on its mean.
VERDICT = {"en": ("The design meets the requirement of {required:g} (mean {mean:.4g};", "at most {bound:.4g}"),
           "fa": ("طرح به مقدار لازم {required:g} می‌رسد (میانگین {mean:.4g}؛", "حداکثر {bound:.4g}")}


def _phi(z: float) -> float:
    """The standard normal distribution function."""
    return 0.5 * math.erfc(-z / math.sqrt(2))


def _by_hand() -> dict:
    n = len(OBSERVED)
    mean = sum(OBSERVED) / n
    s = math.sqrt(sum((x - mean) ** 2 for x in OBSERVED) / (n - 1))
    within = sum(abs(b - a) for a, b in zip(OBSERVED, OBSERVED[1:])) / (n - 1) / 1.128
    lsl, usl = CTQ["lsl"], CTQ["usl"]
    predicted_cp = (usl - lsl) / (6 * PREDICTED_SIGMA)
    predicted_cpk = min(usl - PREDICTED_MEAN, PREDICTED_MEAN - lsl) / (3 * PREDICTED_SIGMA)
    predicted_ppm = 1e6 * (_phi((lsl - PREDICTED_MEAN) / PREDICTED_SIGMA) + _phi((PREDICTED_MEAN - usl) / PREDICTED_SIGMA))
    return {"mean": mean, "s": s, "bound": mean + T_95_7DF * s / math.sqrt(n),
            "predicted": [predicted_cp, predicted_cpk, predicted_cp, predicted_cpk, predicted_ppm],
            "observed": [(usl - lsl) / (6 * within), min(usl - mean, mean - lsl) / (3 * within),
                         (usl - lsl) / (6 * s), min(usl - mean, mean - lsl) / (3 * s),
                         1e6 * (_phi((lsl - mean) / s) + _phi((mean - usl) / s))]}


LATIN = str.maketrans("۰۱۲۳۴۵۶۷۸۹٫٬", "0123456789.,")

STEPPER = """() => Object.fromEntries([...document.querySelectorAll("[data-testid='stMain'] [data-testid='stColumn']")]
    .map(column => [column.querySelector('strong'), column.querySelector('[data-testid="stMarkdownContainer"]')])
    .filter(([name, box]) => name && box && box.innerText.trim() !== name.innerText.trim())
    .map(([name, box]) => [name.innerText.trim(), box.innerText.replace(name.innerText, '').trim()]))"""


def _stepper_shows(page, tr, states: dict[str, str]) -> None:
    """Wait until the roadmap's stepper shows each DFSS phase in ``states`` (approved, open, locked)."""
    wanted = {tr(phase): tr(state) for phase, state in states.items()}
    check = ("wanted => { const seen = (" + STEPPER + ")(); "
             "return Object.entries(wanted).every(([phase, state]) => seen[phase] === state) ? seen : false; }")
    try:
        page.wait_for_function(check, arg=wanted, timeout=30_000)
    except Exception:
        raise AssertionError(f"stepper {page.evaluate(STEPPER)}, wanted {wanted}") from None


def _done(page, tr, *tools: str) -> None:
    """Each tool's expander is marked done (✓)."""
    for tool in tools:
        page.get_by_text("✓ " + tr(tool)).first.wait_for(timeout=30_000)


def _cells(grid) -> list[str]:
    """A table's cells as the grid's accessible table has them (numbers unrounded: the canvas shows them to the
    column's format), Persian digits read as Latin."""
    grid.locator("td").first.wait_for(state="attached", timeout=30_000)
    return [text.strip().translate(LATIN) for text in grid.locator("td").all_inner_texts()]


def _row(cells: list[str], label: str, width: int) -> list[str]:
    start = cells.index(label)
    return cells[start + 1:start + 1 + width]


@pytest.mark.parametrize("language", ["en", "fa"])
def test_a_belt_walks_a_dfss_project_to_verify_and_closes_it(own_server, own_url, page, artifacts, request,
                                                             language):
    tr = _translator(language)
    expected = _by_hand()
    engine = make_engine(own_url)
    request.addfinalizer(engine.dispose)
    kpi = scorecard_definition(engine).set_index("kpi_id").loc[KPI]
    objective, kpi_name = (kpi["objective"], kpi["kpi"]) if language == "en" else (kpi["objective_fa"], kpi["kpi_fa"])

    load(page, f"{own_server}/projects", user=BELT)
    if language == "fa":
        _choose(page, page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first, "فارسی")
    page.get_by_text(tr("Start a project")).click()
    _fill(page, tr("Title"), TITLE)
    page.get_by_text("DFSS (DMADV)").click()
    _choose(page, page.locator("[data-testid='stSelectbox']").filter(has_text=tr("KPI")).last, f"{objective} › {kpi_name}")
    _choose(page, page.locator("[data-testid='stSelectbox']").filter(has_text=tr("Champion")), tr(CHAMPION_NAME))
    page.get_by_role("button", name=tr("Start project")).click()
    page.get_by_text(tr("{phase} tollgate").format(phase=tr("Define"))).wait_for(timeout=60_000)  # its workspace opens
    header = page.locator("[data-testid='stMain'] [data-testid='stCaptionContainer']").first.inner_text()
    assert header.startswith(KIND) and kpi_name in header, header
    _stepper_shows(page, tr, {"Define": "open", "Measure": "locked", "Analyze": "locked", "Design": "locked",
                              "Verify": "locked"})

    # Define: the charter typed in, the SIPOC saved as its grid's Save does.
    for label, text in (("Business case", "Customers wait two days for a callback"),
                        ("Problem statement (SMART)", "Tickets take 22 hours to resolve (12 months to Oct 2026)"),
                        ("Goal statement (SMART)", "16 hours by June 2027 with a same-day callback"),
                        ("In scope", "Phone and e-mail tickets"), ("Out of scope", "Field service"),
                        ("CTQs (one per line)", "Callback time")):
        _fill(page, tr(label), text)
    page.get_by_role("button", name=tr("Save charter")).click()
    _done(page, tr, "Charter")
    _save_table(own_url, "define", "sipoc", [{"suppliers": "Ticket desk", "process": "Call back"}], TITLE)
    _approve(page, "define", "Measure", tr, TITLE, KIND)
    _stepper_shows(page, tr, {"Define": "approved", "Measure": "open", "Design": "locked", "Verify": "locked"})

    # Measure: the data collection plan and the KPI's baseline.
    _switch(page, BELT, tr, TITLE, KIND)
    _save_table(own_url, "measure", "data_collection_plan", [{"measure": "Callback time", "frequency": "Daily"}], TITLE)
    _tool(page, tr("Baseline")).get_by_role("button", name=tr("Save this baseline")).click()
    _done(page, tr, "Baseline")
    _approve(page, "measure", "Analyze", tr, TITLE, KIND)

    # Analyze: the causes and a test that verifies one.
    _switch(page, BELT, tr, TITLE, KIND)
    fishbone = _tool(page, tr("Cause-and-effect (fishbone)"))
    fishbone.get_by_label(tr("Problem (the fish's head)")).fill("Callbacks take two days")
    fishbone.get_by_label(tr("Method")).fill("Callbacks queued behind new calls")
    fishbone.get_by_role("button", name=tr("Save")).click()
    _done(page, tr, "Cause-and-effect (fishbone)")
    test = _tool(page, tr("Hypothesis test"))
    test.get_by_label(tr("Group A / before (numbers)")).fill("30 34 29 35 31 33 32 30")
    test.get_by_label(tr("Group B / after (numbers)")).fill("41 44 40 45 43 42 46 41")
    test.get_by_role("button", name=tr("Run and save")).click()
    _done(page, tr, "Hypothesis test")
    _approve(page, "analyze", "Design", tr, TITLE, KIND)
    _stepper_shows(page, tr, {"Analyze": "approved", "Design": "open", "Verify": "locked"})

    # Design: the CTQ tree with the CTQ's limits, the house of quality and the design FMEA (grids: saved as their
    # Save does); the house of quality ranks by hand: agents on shift 5·9 = 45, callback script 5·1 + 3·9 = 32.
    _save_table(own_url, "design", "ctq_tree", [CTQ], TITLE)
    _save_grid(own_url, "design", "qfd", {"needs": {"Called back today": 5, "Friendly tone": 3},
                                           "characteristics": ["Agents on shift", "Callback script"],
                                           "relations": [["Called back today", "Agents on shift", 9],
                                                         ["Called back today", "Callback script", 1],
                                                         ["Friendly tone", "Callback script", 9]]}, TITLE)
    _save_table(own_url, "design", "fmea", [{"failure_mode": "Callback missed", "severity": 5, "occurrence": 2,
                                             "detection": 3, "action": "Queue alarm at 20 minutes"}], TITLE)
    _switch(page, BELT, tr, TITLE, KIND)
    _done(page, tr, "CTQ tree", "House of quality (QFD)", "FMEA")
    qfd = _tool(page, tr("House of quality (QFD)")).locator("[data-testid='stDataFrame']").first
    ranked = _cells(qfd)
    assert ranked.index("Agents on shift") < ranked.index("Callback script"), ranked
    assert {"45", "32"} <= {cell.split(".")[0] for cell in ranked}, ranked
    _approve(page, "design", "Verify", tr, TITLE, KIND)
    _stepper_shows(page, tr, {"Design": "approved", "Verify": "open"})

    # Verify: predicted and observed capability against the CTQ's limits, and the verification test.
    _switch(page, BELT, tr, TITLE, KIND)
    verification = _tool(page, tr("Design verification"))
    _choose(page, verification.locator("[data-testid='stSelectbox']").first, CTQ["ctq"])
    limits = {tr("LSL (optional)"): "10", tr("USL (optional)"): "30"}       # the CTQ tree's limits fill in
    filled = ("([box, limits]) => Object.entries(limits).every(([label, value]) => { "
              "const boxes = box.querySelectorAll(`input[aria-label='${label}']`); "   # the earlier run's boxes gone
              "return boxes.length === 1 && boxes[0].value === value; })")
    page.wait_for_function(filled, arg=[verification.element_handle(), limits], timeout=30_000)
    verification.get_by_label(tr("Required mean"), exact=True).fill(str(REQUIRED))
    verification.get_by_text(tr("below the requirement")).click()
    verification.get_by_label(tr("Predicted mean (from the design)"), exact=True).fill(str(PREDICTED_MEAN))
    verification.get_by_label(tr("Predicted standard deviation"), exact=True).fill(str(PREDICTED_SIGMA))
    verification.get_by_label(tr("Observed values of the new design (numbers)")).fill(" ".join(map(str, OBSERVED)))
    verification.get_by_role("button", name=tr("Run and save")).click()
    _done(page, tr, "Design verification")
    verification = _tool(page, tr("Design verification"))
    verdict = verification.locator("[data-testid='stAlertContentInfo']").first.inner_text().translate(LATIN)
    meets, at_most = VERDICT[language]
    assert meets.format(required=REQUIRED, mean=expected["mean"]) in verdict, verdict
    assert at_most.format(bound=expected["bound"]) in verdict, verdict
    cells = _cells(verification.locator("[data-testid='stDataFrame']").first)
    for label in ("Predicted", "Observed"):
        shown = [float(cell) for cell in _row(cells, tr(label), 5)]
        assert shown == pytest.approx(expected[label.lower()], rel=1e-3), (label, cells)   # d2, t: 4 figures
    verification.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / f"dfss-verify-open-{language}.png"))     # the open phase, as the belt sees it
    project = int(portfolio(engine).set_index("title").at[TITLE, "id"])
    assert project_detail(engine, project)["artifacts"]["verify/verification"]["ctq"] == CTQ["ctq"]

    # The control plan handed over, and the benefit measured on the KPI's months since the Design tollgate.
    _save_table(own_url, "verify", "control_plan", [{"what": "Callback time", "how_often": "Daily"}], TITLE)
    benefit = months_pass_with_the_change_in_place(engine, project)
    _switch(page, BELT, tr, TITLE, KIND)
    _done(page, tr, "Design verification", "Control plan")
    closure = _tool(page, tr("Closure and verified benefit"))
    closure.get_by_label(tr("What one unit of the KPI is worth a year ($ thousands)"), exact=True).fill("2")
    closure.get_by_label(tr("Closing note")).fill("Same-day callbacks held for four months.")
    closure.get_by_role("button", name=tr("Measure and save")).click()
    _done(page, tr, "Closure and verified benefit")
    assert portfolio(engine).set_index("title").at[TITLE, "verified_benefit"] == pytest.approx(benefit, abs=1e-3)
    _approve(page, "verify", None, tr, TITLE, KIND)
    page.locator("[data-testid='stMetricValue']").filter(has_text=tr("closed")).wait_for(timeout=30_000)
    _stepper_shows(page, tr, dict.fromkeys(PHASES, "approved"))
    _done(page, tr, "Design verification", "Control plan", "Closure and verified benefit")
    page.get_by_text(tr("Approved phases are read-only.")).wait_for(timeout=30_000)
    assert page.locator("[data-testid='stException']").count() == 0
    _tool(page, tr("Design verification")).scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / f"dfss-verify-{language}.png"), full_page=True)

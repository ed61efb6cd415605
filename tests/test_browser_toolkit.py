"""End to end: a belt uses the Six Sigma toolkit in Chromium, in English and in Persian (#19: "a belt uses each tool
in Chromium on KPI data and on an upload").

Each test opens a project of its own (walked to its phase in the data layer), signs the belt in and uses tools as
a user does: types, picks, uploads a file, runs, downloads the DOE run sheet. The numbers the user reads on the
screen are checked against published examples (cited beside each) or the raw measurements (SQL written out here).
The AppTest tests (tests/test_toolkit_pages.py, tests/test_analyze_displays.py, tests/test_analyze_tests_page.py)
check the same tools in depth; here the point is that a user can do it and sees the right number.

One Streamlit server for the module on one private copy of the demo database; the English belt is reza, the Persian
belt leila (a user's language is kept on their user row).
"""

from __future__ import annotations

import csv
import io
import math
import re
import sqlite3
import time

import pytest
from sqlalchemy import text

from data.db import make_engine
from tests.test_analyze_tests_page import HOLLANDER_WOLFE, _battery
from tests.test_browser import _choose, _idle, _tool, _translator, load, serve
from tests.test_msa_doe import _aiag
from tests.test_toolkit_pages import _fleiss_ratings, _project_in

BELTS = {"en": "reza", "fa": "leila"}
LATIN = str.maketrans("۰۱۲۳۴۵۶۷۸۹٫٬−", "0123456789.,-")
BIDI = re.compile("[\u200e\u200f\u2066-\u2069]")


def plain(shown: str) -> str:
    """Text as the user reads it, with Persian digits, decimal and thousands marks as Latin ones, the minus sign as
    a hyphen and the bidi marks gone."""
    return BIDI.sub("", shown).translate(LATIN)


@pytest.fixture(scope="module")
def bench(browser, sqlite_url, sqlite_engine, tmp_path_factory):
    """(database URL, app address): one server for the module on a private copy of the demo database."""
    folder = tmp_path_factory.mktemp("toolkit")
    copy = folder / "toolkit.db"
    with sqlite3.connect(sqlite_url.removeprefix("sqlite:///")) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    url = f"sqlite:///{copy}"
    with serve(url, folder / "server.log") as address:
        yield url, address


@pytest.fixture(autouse=True)
def last_screen(page, artifacts, request):
    """The screen as the test left it (passed or failed), in the artifacts folder."""
    yield
    page.screenshot(path=str(artifacts / f"toolkit-end-{request.node.name}.png"), full_page=True)


def _open(page, bench, language: str, phase: str, title: str):
    """A new DMAIC project titled ``title`` in ``phase``, opened in the workspace by the language's belt."""
    url, address = bench
    engine = make_engine(url)
    _project_in(engine, "dmaic", phase, title=title, belt=BELTS[language])
    engine.dispose()
    load(page, f"{address}/project", user=BELTS[language])
    if language == "fa":
        _choose(page, page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first, "فارسی")
    tr = _translator(language)
    box = page.locator("[data-testid='stMain'] [data-testid='stSelectbox']").filter(has_text=tr("Project")).first
    _choose(page, box, f"{title} · DMAIC")
    page.get_by_text(tr("{phase} tollgate").format(phase=tr(phase.capitalize()))).wait_for(timeout=60_000)
    return tr


def _until(read, check, what: str, seconds: float = 60):
    """Poll ``read()`` until ``check`` holds for it (the app reruns after each action); its last value."""
    deadline = time.monotonic() + seconds
    while True:
        value = read()
        if check(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: {value!r}")
        time.sleep(0.25)


def _said(box, pattern: str) -> str:
    """The first info box in ``box`` whose text (see :func:`plain`) matches ``pattern``, once it shows."""
    infos = box.locator("[data-testid='stAlertContentInfo']")
    texts = _until(lambda: [plain(t) for t in infos.all_inner_texts()],
                   lambda seen: any(re.search(pattern, t) for t in seen), f"no info matching {pattern!r}")
    return next(t for t in texts if re.search(pattern, t))


def _cells(grid) -> list[str]:
    """A data grid's cells as its accessible table has them (see :func:`plain`)."""
    grid.locator("td").first.wait_for(state="attached", timeout=30_000)
    return [plain(cell).strip() for cell in grid.locator("td").all_inner_texts()]


def _headers(grid) -> list[str]:
    grid.locator("th").first.wait_for(state="attached", timeout=30_000)
    return [plain(cell).strip() for cell in grid.locator("th").all_inner_texts()]


def _written_in(language: str, grid) -> None:
    """A Persian screen's table writes its numbers in Persian digits (no Latin digit in any cell)."""
    if language == "fa":
        cells = [BIDI.sub("", cell) for cell in grid.locator("td").all_inner_texts()]
        assert not [cell for cell in cells if re.search("[0-9]", cell)], cells


def _after(cells: list[str], label: str, width: int = 1) -> list[str]:
    start = cells.index(label)
    return cells[start + 1:start + 1 + width]


def _number(cell: str) -> float:
    return float(cell.replace(",", "").replace("%", "").strip())


def _upload(box, path) -> None:
    box.locator("[data-testid='stFileUploader'] input[type=file]").first.set_input_files(str(path))


def _typed(page, field, text: str) -> None:
    """Type ``text`` into a form's field once the app is idle, again if a late rerun wiped it (under load the
    project's opening rerun can still be on its way: the DOE's factors were lost once in CI)."""
    for _ in range(5):
        _idle(page)
        if field.count() == 1:      # two while a rerun is drawing the form again
            field.fill(text)
            page.wait_for_timeout(500)
            _idle(page)
            if field.count() == 1 and field.input_value() == text:
                return
        page.wait_for_timeout(500)
    raise AssertionError(f"the field did not keep {text!r}")


def _run(page, tr, tool: str, button: str = "Run and save"):
    """Press the tool's ``button``; once saved (its expander marked ✓, then closed), the expander opened again."""
    _tool(page, tr(tool)).get_by_role("button", name=tr(button)).last.click()
    _idle(page)
    return _saved(page, tr, tool)


def _saved(page, tr, tool: str):
    """The tool's expander once it is marked done (✓), opened."""
    page.get_by_text("✓ " + tr(tool), exact=True).first.wait_for(timeout=60_000)
    return _tool(page, "✓ " + tr(tool))


def _field(page, box, label: str, widget: str = "stSelectbox"):
    """The last selectbox (or other ``widget``) in ``box`` labelled exactly ``label``."""
    exact = re.compile(rf"^\s*{re.escape(label)}\s*$")
    return box.locator(f"[data-testid='{widget}']:visible").filter(
        has=page.locator("[data-testid='stWidgetLabel']", has_text=exact)).last


def _pick(page, box, label: str, option: str, widget: str = "stSelectbox") -> None:
    """Choose ``option`` (its exact text) in the selectbox (or multiselect) labelled exactly ``label`` inside ``box``
    (the last such, after the look at the data's)."""
    field = _field(page, box, label, widget)
    for attempt in range(4):
        field.click()
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=5_000)
            break
        except Exception:
            if attempt == 3:
                raise
            page.keyboard.press("Escape")
    _idle(page)


def _write(path, columns: dict[str, list]) -> None:
    """A CSV of columns that may differ in length (shorter ones end in blank cells)."""
    rows = max(len(values) for values in columns.values())
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(columns)
        for i in range(rows):
            writer.writerow([values[i] if i < len(values) else "" for values in columns.values()])


# --- Measure: power and sample size, Gage R&R, attribute agreement --------------------------------------------------

@pytest.mark.parametrize("language", ["en", "fa"])
def test_a_belt_sizes_a_test_and_studies_the_gage_and_the_appraisers(bench, page, tmp_path, artifacts, language):
    tr = _open(page, bench, language, "measure", f"Gage and appraisers ({language})")

    # Cohen (1988), Table 2.4.1: d = 0.5 (a difference of 1 with σ = 2) at 80 % power, two-sided α = 0.05: n = 64.
    size = _tool(page, tr("Power and sample size"))
    size.get_by_label(tr("Difference to detect"), exact=True).fill("1")
    size.get_by_label(tr("Standard deviation"), exact=True).fill("2")
    sentence = _said(_run(page, tr, "Power and sample size"), r"n = 64\b")
    assert "0.5 σ" in sentence, sentence

    # AIAG MSA 4th ed. / Minitab's gageaiag (10 parts × 3 operators × 3 trials): total gage R&R 27.86 % of the study
    # variation, 4 distinct categories.
    study = tmp_path / "gageaiag.csv"
    _aiag().rename(columns={"value": "measurement"}).to_csv(study, index=False)
    gage = _tool(page, tr("Gage R&R"))
    _upload(gage, study)
    gage.get_by_role("button", name=tr("Run and save")).wait_for(timeout=30_000)
    gage = _run(page, tr, "Gage R&R")
    assert "27.86" in _said(gage, r"27\.86")
    metrics = {plain(m.locator("[data-testid='stMetricLabel']").inner_text()).strip():
               plain(m.locator("[data-testid='stMetricValue']").inner_text()).strip()
               for m in gage.locator("[data-testid='stMetric']").all()}
    assert metrics[plain(tr("% study variation"))] == "27.86" and metrics[plain(tr("Distinct categories"))] == "4", metrics
    gage.locator("[data-testid='stPlotlyChart']").first.wait_for(timeout=30_000)     # the six-panel chart

    # Fleiss (1971), Table 1: 10 subjects rated by 14 raters into 5 categories; κ between the raters = 0.210.
    ratings = tmp_path / "fleiss.csv"
    ratings.write_bytes(_fleiss_ratings())
    agreement = _tool(page, tr("Attribute agreement"))
    _upload(agreement, ratings)
    agreement.get_by_role("button", name=tr("Run and save")).wait_for(timeout=30_000)
    agreement = _run(page, tr, "Attribute agreement")
    grid = agreement.locator("[data-testid='stDataFrame']").first
    cells = _cells(grid)
    comparison, inspected, matched, percent, kappa = _after(cells, plain(tr("Between appraisers")), 5)
    assert int(_number(inspected)) == 10 and _number(kappa) == pytest.approx(0.210, abs=5e-4), cells
    _written_in(language, grid)
    headers = _headers(grid)
    wanted = [tr(h) for h in ("Kind", "Comparison", "Inspected", "Matched", "Percent", "Kappa")]
    assert all(h in headers for h in wanted), headers                     # every header in the user's language
    agreement.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / f"toolkit-measure-{language}.png"))


# --- Analyze: a look at the data and the hypothesis tests, on the KPIs' monthly actuals and on an upload ------------

# R ?wilcox.test (Hollander & Wolfe 1973, p. 69): W = 35; normal approximation with continuity correction
# p = 0.2446 (R's wilcox.test(exact = FALSE)); the median of the 50 differences x − y is 0.305.
WILCOX_X = [0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46]
WILCOX_Y = [1.15, 0.88, 0.90, 0.74, 1.21]
# R ?kruskal.test (Hollander & Wolfe 1973, p. 116): chi-squared = 0.77143, df = 2, p-value = 0.68; medians by hand:
# normal 2.9, obstructive (2.7 + 3.8)/2 = 3.25, asbestosis 2.8.
MUCOCILIARY = {"normal": [2.9, 3.0, 2.5, 2.6, 3.2], "obstructive": [3.8, 2.7, 4.0, 2.4],
               "asbestosis": [2.8, 3.4, 3.7, 2.2, 2.0]}
# 20 values and R fBasics::adTest for them (statsmodels' test_statstools.py::test_adnorm): A² = 0.5867, p = 0.1115.
AD_DATA = [-0.1184, -1.3403, 0.0063, -0.612, -0.3869, -0.2313, -2.8485, -0.2167, 0.4153, 1.8492, -0.3706, 0.9726,
           -0.1501, -0.0337, -1.4423, 1.2489, 0.9182, -0.2331, -0.6182, 0.183]


def _examples(path) -> None:
    """One file with the published examples' columns: Montgomery's battery life (material, temperature, life), R's
    wilcox.test, kruskal.test and cor.test examples and the Anderson-Darling data."""
    battery = list(csv.DictReader(io.StringIO(_battery().decode())))
    pairs = list(csv.DictReader(io.StringIO(HOLLANDER_WOLFE.decode())))
    _write(path, {"life": [r["life"] for r in battery], "material": [r["material"] for r in battery],
                  "temperature": [r["temperature"] for r in battery], "wilcox_x": WILCOX_X, "wilcox_y": WILCOX_Y,
                  **MUCOCILIARY, "ad": AD_DATA, "cor_x": [r["x"] for r in pairs], "cor_y": [r["y"] for r in pairs]})


def _retail_actuals(engine, kpi: str) -> list[float]:
    with engine.connect() as conn:
        return [float(v) for v in conn.execute(text(
            "SELECT m.actual FROM measurement m JOIN kpi k ON k.id = m.kpi_id JOIN segment s ON s.id = m.segment_id "
            "WHERE k.name = :kpi AND s.name = 'Retail' AND m.actual IS NOT NULL"), {"kpi": kpi}).scalars()]


def _retail_pairs(engine, x: str, y: str) -> list[tuple[float, float]]:
    with engine.connect() as conn:
        return [(float(a), float(b)) for a, b in conn.execute(text(
            "SELECT a.actual, b.actual FROM measurement a JOIN measurement b ON a.period = b.period "
            "AND a.segment_id = b.segment_id JOIN kpi ka ON ka.id = a.kpi_id JOIN kpi kb ON kb.id = b.kpi_id "
            "JOIN segment s ON s.id = a.segment_id WHERE ka.name = :x AND kb.name = :y AND s.name = 'Retail' "
            "AND a.actual IS NOT NULL AND b.actual IS NOT NULL"), {"x": x, "y": y}).all()]


def _summary_shows(box, tr, n: int, mean: float) -> None:
    """The graphical summary's table shows ``n`` and the mean (to the decimals it shows)."""
    grid = box.locator("[data-testid='stDataFrame']").filter(has_text=tr("Standard deviation")).first

    def read():
        cells = _cells(grid)
        return _after(cells, plain(tr("N")))[0], _after(cells, plain(tr("Mean")))[0]

    def shows(seen) -> bool:              # the mean to the decimals it shows (the table of another column first)
        decimals = len(seen[1].split(".")[1]) if "." in seen[1] else 0
        return _number(seen[0]) == n and abs(_number(seen[1]) - mean) <= 0.6 * 10 ** -decimals

    _until(read, shows, f"the summary of {n} values with mean {mean}")


@pytest.mark.parametrize("language", ["en", "fa"])
def test_a_belt_looks_at_the_data_and_tests_it_on_the_kpis_and_on_an_upload(bench, page, tmp_path, artifacts,
                                                                           language):
    tr = _open(page, bench, language, "analyze", f"Tests on KPIs and a file ({language})")
    engine = make_engine(bench[0])
    test = _tool(page, tr("Hypothesis test"))

    # The KPIs' monthly actuals of the project's segment (Retail): the graphical summary of the first KPI, its n and
    # mean from the raw measurements; the correlation of Revenue and Retention rate, Pearson's r written out.
    test.get_by_text(tr("The KPIs' monthly actuals"), exact=True).click()
    _idle(page)
    test.get_by_text(tr("From the KPIs' monthly actuals")).wait_for(timeout=30_000)
    _pick(page, test, tr("Column"), "Retention rate")
    actuals = _retail_actuals(engine, "Retention rate")
    _summary_shows(test, tr, len(actuals), sum(actuals) / len(actuals))
    _pick(page, test, tr("Test"), tr("Do two measures move together? (correlation)"))
    _pick(page, test, tr("{sample} column").format(sample=tr("X")), "Revenue")
    _pick(page, test, tr("{sample} column").format(sample=tr("Y")), "Retention rate")
    test = _run(page, tr, "Hypothesis test")
    pairs = _retail_pairs(engine, "Revenue", "Retention rate")
    mx, my = (sum(p[i] for p in pairs) / len(pairs) for i in (0, 1))
    r = (sum((a - mx) * (b - my) for a, b in pairs)
         / math.sqrt(sum((a - mx) ** 2 for a, _ in pairs) * sum((b - my) ** 2 for _, b in pairs)))
    _said(test, rf"r = {r:.2f}\b")
    engine.dispose()

    # An upload of the published examples: its graphical summary (Montgomery, DAE, Example 5.1: 36 battery lives,
    # grand total 3799 (Table 5.4), mean 3799/36 = 105.53), then each test on its columns.
    examples = tmp_path / "examples.csv"
    _examples(examples)
    _upload(test, examples)
    test.get_by_text(tr("From {file}").format(file="examples.csv")).wait_for(timeout=30_000)
    _pick(page, test, tr("Column"), "life")
    _summary_shows(test, tr, 36, 3799 / 36)

    _pick(page, test, tr("Test"), tr("Two groups, no normality assumed (Mann-Whitney)"))
    _pick(page, test, tr("{sample} column").format(sample=tr("Group A")), "wilcox_x")
    _pick(page, test, tr("{sample} column").format(sample=tr("Group B")), "wilcox_y")
    said = _said(_run(page, tr, "Hypothesis test"), r"\+0\.305")
    assert "p = 0.245" in said, said                                   # R: p = 0.2446 (exact = FALSE)

    _pick(page, test, tr("Test"), tr("Several groups, no normality assumed (Kruskal-Wallis)"))
    for column in MUCOCILIARY:
        _pick(page, test, tr("Columns, one per group"), column, "stMultiSelect")
    page.keyboard.press("Escape")
    said = _said(_run(page, tr, "Hypothesis test"), r"p = 0\.68\b")
    assert "2.8 (asbestosis)" in said and "3.25 (obstructive)" in said, said

    _pick(page, test, tr("Test"), tr("Are the values normal? (Anderson-Darling)"))
    _pick(page, test, tr("Values column"), "ad")
    said = _said(_run(page, tr, "Hypothesis test"), r"A² = 0\.587")     # R fBasics::adTest: A² 0.5867, p 0.1115
    assert "p = 0.112" in said and "n = 20" in said, said

    # R ?cor.test (Hollander & Wolfe 1973, p. 187): r = 0.5711816, 95 % CI −0.1497426 to 0.8955795.
    _pick(page, test, tr("Test"), tr("Do two measures move together? (correlation)"))
    _pick(page, test, tr("{sample} column").format(sample=tr("X")), "cor_x")
    _pick(page, test, tr("{sample} column").format(sample=tr("Y")), "cor_y")
    said = _said(_run(page, tr, "Hypothesis test"), r"r = 0\.57\b")
    assert re.search(r"-0\.15\D+0\.90", said), said

    # Montgomery, DAE, Example 5.1, Table 5.5: F 7.91 (material), 28.97 (temperature), 3.56 (interaction).
    _pick(page, test, tr("Test"), tr("Two factors and their interaction (two-way ANOVA)"))
    _pick(page, test, tr("Response"), "life")
    _pick(page, test, tr("Factor A"), "material")
    _pick(page, test, tr("Factor B"), "temperature")
    test = _run(page, tr, "Hypothesis test")
    table = test.locator("[data-testid='stDataFrame']").filter(has_text="temperature").first
    cells = _until(lambda: _cells(table), lambda seen: "material" in seen, "the two-way ANOVA table")
    shown = {source: round(_number(_after(cells, source, 5)[3]), 2)
             for source in ("material", "temperature", plain(tr("the interaction")))}
    assert list(shown.values()) == [7.91, 28.97, 3.56], cells
    assert _after(cells, "material", 1) == ["2"] and _after(cells, plain(tr("Error")), 1) == ["27"], cells  # df: 36 − 9
    headers = _headers(table)
    assert [plain(tr(h)) for h in ("Source", "DF", "SS", "MS", "F", "p-value")] == headers[-6:], headers
    saved = test.locator("[data-testid='stCaptionContainer']").filter(has_text="UTC").last.inner_text()
    assert language == "en" or not re.search(r"[0-9]", BIDI.sub("", saved)), saved   # Persian digits in Persian
    table.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / f"toolkit-analyze-{language}.png"))


# --- Analyze: a regression of an upload, NIST Longley ----------------------------------------------------------------

@pytest.mark.parametrize("language", ["en", "fa"])
def test_a_belt_fits_nist_longley_and_reads_its_certified_coefficients(bench, page, tmp_path, language):
    """NIST StRD, Longley.dat (higher difficulty; the data as statsmodels.datasets.longley, the same 16 rows):
    certified coefficients GNPDEFL 15.0618722713733, GNP −0.0358191792925910, UNEMP −2.02022980381683, ARMED
    −1.03322686717359, POP −0.0511041056535807, YEAR 1829.15146461355; R² 0.995479004577296, F 330.285339234588,
    so adjusted R² = 1 − (1 − 0.995479)·15/9 = 0.99247 (by hand, 16 rows, 6 drivers)."""
    import statsmodels.datasets.longley

    tr = _open(page, bench, language, "analyze", f"Longley regression ({language})")
    data = tmp_path / "longley.csv"
    longley = statsmodels.datasets.longley.load_pandas().data
    longley[["TOTEMP", "GNPDEFL", "GNP", "UNEMP", "ARMED", "POP", "YEAR"]].rename(columns=str.lower).to_csv(
        data, index=False)                                              # an upload's headers read in lower case
    fit = _tool(page, tr("Regression"))
    _upload(fit, data)
    fit.locator("[data-testid='stCaptionContainer']").filter(has_text="longley.csv").first.wait_for(timeout=30_000)
    _pick(page, fit, tr("Response"), "totemp")
    for driver in ("gnpdefl", "gnp", "unemp", "armed", "pop", "year"):
        _pick(page, fit, tr("Drivers"), driver, "stMultiSelect")
    page.keyboard.press("Escape")
    fit = _run(page, tr, "Regression")
    certified = {"gnpdefl": "+15.1", "gnp": "-0.0358", "unemp": "-2.02", "armed": "-1.03", "pop": "-0.0511",
                 "year": "+1.83e+03"}                                   # to the three figures the sentence shows
    for driver, change in certified.items():
        _said(fit, rf"\b{driver}\b.*{re.escape(change)}\b")
    diagnostics = _until(lambda: plain(fit.locator("[data-testid='stMarkdownContainer']").filter(
        has_text="R²").last.inner_text()), lambda seen: "330.29" in seen, "the overall F")
    assert "0.992" in diagnostics, diagnostics


# --- Improve: a half fraction designed, its run sheet downloaded, filled in and analysed ----------------------------

# Montgomery, DAE 8th ed., Example 8.1: the 2⁴⁻¹ filtration experiment with D = ABC, responses in standard order
# 45, 100, 45, 65, 75, 60, 80, 96 (Table 8.3); estimates A 19.00, B 1.50, C 14.00, D 16.50, AB + CD −1.00,
# AC + BD −18.50, AD + BC 19.00 (Table 8.4).
FILTRATION = [45, 100, 45, 65, 75, 60, 80, 96]
EFFECTS = {"A": 19.0, "B": 1.5, "C": 14.0, "D": 16.5, "A*B": -1.0, "A*C": -18.5, "A*D": 19.0}


@pytest.mark.parametrize("language", ["en", "fa"])
def test_a_belt_runs_montgomerys_half_fraction_from_its_downloaded_run_sheet(bench, page, tmp_path, artifacts,
                                                                            language):
    tr = _open(page, bench, language, "improve", f"Filtration half fraction ({language})")
    doe = _tool(page, tr("Design of experiments"))
    factors = doe.get_by_label(tr("Factors, one per line: name, low, high"))
    _typed(page, factors, "A, 20, 30\nB, 10, 15\nC, 2, 4\nD, 1, 2")
    doe.get_by_text(tr("Half fraction (2^(k−1))")).click()
    assert factors.input_value().startswith("A, 20, 30"), "a rerun wiped the factors"
    doe = _run(page, tr, "Design of experiments", "Create the design")
    relation = doe.locator("[data-testid='stCaptionContainer']").filter(has_text="I = ABCD").first
    relation.wait_for(timeout=30_000)
    assert "AB = CD" in relation.inner_text()
    with page.expect_download(timeout=60_000) as download:
        doe.get_by_role("button", name=tr("Download the run sheet (CSV)")).click()
    sheet = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    assert sorted(int(row["run_order"]) for row in sheet) == list(range(1, 9))
    _written_in(language, doe.locator("[data-testid='stDataFrame']").first)     # the run sheet on the screen
    for row in sheet:
        row["response"] = FILTRATION[int(row["std_order"]) - 1]
    filled = tmp_path / "filtration.csv"
    with open(filled, "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(sheet[0]))
        writer.writeheader()
        writer.writerows(sheet)
    _upload(doe, filled)
    doe.get_by_role("button", name=tr("Analyse and save")).click()
    _idle(page)
    doe = _saved(page, tr, "Design of experiments")
    table = doe.locator("[data-testid='stDataFrame']").filter(has_text="A*D").first
    cells = _until(lambda: _cells(table), lambda seen: "A*D" in seen, "the effects table")
    assert {term: _number(_after(cells, term)[0]) for term in EFFECTS} == EFFECTS, cells
    headers = _headers(table)
    assert plain(tr("Estimated effect")) in headers and plain(tr("Coefficient")) in headers, headers
    table.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / f"toolkit-doe-{language}.png"))

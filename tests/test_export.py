"""Meeting exports: CSV with the API's columns, a readable Excel file, an offline HTML briefing."""

from __future__ import annotations

import io
import re

import pandas as pd
import plotly.graph_objects as go
from openpyxl import load_workbook

from scorecard.io.cells import inert, is_formula
from scorecard.io.export import REPORT_COLUMNS, briefing_html, report_csv, report_excel, table_csv, table_excel

REPORT = pd.DataFrame({
    "level": ["overall", "perspective", "objective", "kpi"], "perspective": [None, "Financial", "Financial", "Financial"],
    "objective": [None, None, "Grow", "Grow"], "name": ["Overall", "Financial", "Grow", "Revenue <b>"],
    "actual": [None, None, None, 95.0], "target": [None, None, None, 100.0],
    "status": ["amber", "amber", "amber", "amber"], "score": [95.0, 95.0, 95.0, 95.0], "unit": ["", "", "", "$k"],
})


def test_csv_has_exactly_the_report_columns():
    table = pd.read_csv(io.BytesIO(report_csv(REPORT)))
    assert list(table.columns) == REPORT_COLUMNS and len(table) == 4


def test_excel_round_trips_and_colours_statuses():
    workbook = load_workbook(io.BytesIO(report_excel(REPORT, {"Comments": pd.DataFrame({"text": ["ok"]})})))
    sheet = workbook["Scorecard"]
    assert [c.value for c in sheet[1]] == [*REPORT_COLUMNS, "variance", "unit", "owner"]
    assert sheet.cell(5, 4).value == "Revenue <b>"
    assert sheet.cell(5, 7).fill.fgColor.rgb.endswith("FFEB9C")
    assert workbook["Comments"]["A2"].value == "ok"


def test_briefing_is_self_contained_and_escaped():
    figure = go.Figure(go.Scatter(x=[1, 2], y=[3, 4]))
    page = briefing_html("Briefing", "All · 2026-10", REPORT, [("Map", figure), ("Again", figure)], ["note & more"])
    assert not re.findall(r"<(?:script|link)\b[^>]*\s(?:src|href)=", page[:2000] + page[-20000:])
    assert "window.PlotlyConfig" in page or "plotly.js" in page.lower()
    assert page.count("Plotly.newPlot") == 2
    assert "Revenue &lt;b&gt;" in page and "note &amp; more" in page


def test_generic_tables_export_with_formulas_made_inert():
    table = pd.DataFrame({"name": ["Stretch", "=cmd|' /C calc'!A0", "-2+3"], "score": [91.5, 70.0, -4.0]})
    csv = table_csv(table).decode("utf-8").splitlines()
    assert csv[0] == "name,score" and csv[2] == "'=cmd|' /C calc'!A0,70.0" and csv[3] == "'-2+3,-4.0"
    sheet = load_workbook(io.BytesIO(table_excel(table, "Scenarios")))["Scenarios"]
    assert (sheet.cell(1, 1).value, sheet.cell(3, 1).value, sheet.cell(4, 2).value) == ("name", "'=cmd|' /C calc'!A0", -4.0)
    assert sheet.cell(1, 1).font.bold


def test_the_briefing_lists_projects_with_their_next_tollgate():
    projects = pd.DataFrame({"title": ["Cut complaint time <fast>"], "kind": ["DMAIC"], "phase": ["Improve"],
                             "status": ["active"], "next_tollgate": ["Improve"], "expected_benefit": [180.0],
                             "verified_benefit": [float("nan")]})
    page = briefing_html("Briefing", "All · 2026-10", REPORT, projects=projects)
    assert "<h2>Six Sigma projects</h2>" in page and "Cut complaint time &lt;fast&gt;" in page
    assert "<th>Next tollgate</th>" in page and "$180.0k" in page
    assert "Six Sigma projects" not in briefing_html("Briefing", "All", REPORT)


def test_every_export_quotes_formula_like_text_and_keeps_numbers():
    """OWASP CSV injection: text starting with = + - @ tab or CR gets a leading '; numbers stay numbers."""
    report = REPORT.assign(name=["=cmd|' /C calc'!A0", "+SUM(A1)", "@x", "-2+3"],
                           perspective=[None, "\tTab", "\rCR", "-4.5"], actual=[None, None, None, -95.0])
    data = report_csv(report)
    assert b",'\tTab," in data and b",'\rCR," in data and b"\nkpi,-4.5,Grow,'-2+3,-95.0," in data
    rows = pd.read_csv(io.BytesIO(data.replace(b"\r", b"")), keep_default_na=False)
    assert rows["name"].tolist() == ["'=cmd|' /C calc'!A0", "'+SUM(A1)", "'@x", "'-2+3"]
    sheet = load_workbook(io.BytesIO(report_excel(report, {"More": report[["name"]]})))
    assert sheet["Scorecard"].cell(2, 4).value == "'=cmd|' /C calc'!A0" and sheet["Scorecard"].cell(5, 5).value == -95
    assert sheet["More"]["A2"].value == "'=cmd|' /C calc'!A0"
    assert not any(cell.data_type == "f" for book in sheet for row in book.iter_rows() for cell in row)
    page = briefing_html("Briefing", "All", report, notes=["=HYPERLINK(\"http://x\")"])
    assert "&#x27;=cmd|&#x27; /C calc&#x27;!A0" in page and "<li>&#x27;=HYPERLINK(" in page


def test_formula_test_is_one_function_that_leaves_numbers_alone():
    assert [inert(v) for v in ("-5", "+1e3", " -0.5", "-1_000", "-inf", "=A1", "ok", -5.0, None)] == [
        "-5", "+1e3", " -0.5", "'-1_000", "'-inf", "'=A1", "ok", -5.0, None]
    assert is_formula("@SUM(A1)") and not is_formula(3) and not is_formula("")


DEMO_ROWS = pd.DataFrame({
    "level": ["overall", "kpi", "kpi", "kpi"], "perspective": [None, "Financial", "Financial", "Operational"],
    "objective": [None, "Grow", "Grow", "Serve"],
    "name": ["Overall", "Revenue", "Gross margin", "New customers acquired"],
    "actual": [None, 17632.89717, 37.27309, 442.0], "target": [None, 15960.32, 38.11, 339.62],
    "status": ["amber", "green", "amber", "green"], "score": [70.50897, 100.0, 24.602676, 100.0],
    "variance": [None, 1672.57717, -0.83691, 102.38], "unit": [None, "$k", "%", "customers"],
    "owner": [None, "CFO", "CFO", "Head of Sales"],
})


def test_excel_keeps_numbers_but_formats_them_with_unit_variance_and_owner():
    sheet = load_workbook(io.BytesIO(report_excel(DEMO_ROWS)))["Scorecard"]
    header = [c.value for c in sheet[1]]
    col = {name: header.index(name) + 1 for name in ("actual", "target", "variance", "unit", "owner", "score")}
    revenue, margin, customers = 3, 4, 5
    assert sheet.cell(revenue, col["actual"]).value == 17632.89717          # still a number
    assert sheet.cell(revenue, col["actual"]).number_format.startswith('"$"#,##0"k"')
    assert sheet.cell(revenue, col["variance"]).number_format.startswith('"+""$"#,##0"k"')
    assert sheet.cell(margin, col["actual"]).number_format.startswith('#,##0.0"%"')
    assert sheet.cell(margin, col["variance"]).number_format.startswith('"+"#,##0.0" pts"')
    assert sheet.cell(customers, col["actual"]).number_format.startswith("#,##0;")
    assert sheet.cell(2, col["score"]).number_format == "0"
    assert (sheet.cell(revenue, col["unit"]).value, sheet.cell(customers, col["owner"]).value) == ("$k", "Head of Sales")


def test_html_briefing_writes_numbers_as_people_do_and_stays_small():
    svg = "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'><rect width='5' height='5'/></svg>"
    page = briefing_html("Briefing", "All · 2026-10", DEMO_ROWS, drawings=[("Strategy map", svg)])
    text = re.sub(r"<[^>]+>", "|", page)
    cells = [c for c in text.split("|") if c.strip()]
    assert "$17,633k" in cells and "$15,960k" in cells and "+$1,673k" in cells   # 17632.9 → 17,633 by hand
    assert "37.3%" in cells and "\u22120.84 pts" in cells and "442 customers" in cells
    assert "71" in cells and "70.50897" not in page and "70.51" not in page  # the overall score, whole
    assert "<th>Variance</th>" in page and "<th>Unit</th>" in page and "<th>Owner</th>" in page
    assert "Head of Sales" in cells and svg in page and "plotly" not in page.lower()
    assert len(page.encode("utf-8")) < 1_000_000


def test_the_scorecard_screen_exports_the_period_and_segment_on_screen(sqlite_url, sqlite_engine, monkeypatch):
    from tests.apptest import ok, start, texts
    at = start(sqlite_url, "screens/scorecard.py", monkeypatch)
    assert [e.label for e in at.expander if e.label == "Export this view"]
    assert "The All scorecard for 2026-10, as on screen." in texts(at.caption)
    at.selectbox(key="scorecard_segment").set_value("Retail")
    ok(at.run())
    assert "The Retail scorecard for 2026-10, as on screen." in texts(at.caption)
    buttons = [e for e in at.get("download_button")]
    assert len(buttons) == 4, buttons

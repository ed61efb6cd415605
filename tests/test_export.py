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
    assert [c.value for c in sheet[1]] == REPORT_COLUMNS
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
    assert "<th>Next tollgate</th>" in page and "180.00" in page
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

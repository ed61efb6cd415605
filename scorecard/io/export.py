"""Exports of a scored scorecard for the meeting: CSV, Excel and a self-contained HTML briefing."""

from __future__ import annotations

import html
import io
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
from openpyxl.styles import Font, PatternFill

from scorecard.charts import status_color
from scorecard.io.cells import inert
from scorecard.numbers import MINUS, default_decimals, format_score, format_value

REPORT_COLUMNS = ["level", "perspective", "objective", "name", "actual", "target", "status", "score"]
# The Excel sheet adds what a reader needs beside the API's columns.
EXCEL_COLUMNS = [*REPORT_COLUMNS, "variance", "unit", "owner"]
# unit → (Excel prefix, suffix) so that cells stay numbers but read as the app writes them ("$17,633k", "37.3%").
EXCEL_UNITS = {"$": ('"$"', ""), "$k": ('"$"', '"k"'), "%": ("", '"%"'), "‰": ("", '"‰"'), "h": ("", '" h"'),
               "customers": ("", "")}
STATUS_FILL = {"green": "C6EFCE", "amber": "FFEB9C", "red": "FFC7CE", "none": "EDEDED"}


def inert_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every formula-like text cell quoted (see :mod:`scorecard.io.cells`); numbers untouched."""
    text = frame.select_dtypes(include=["object", "string"]).columns
    return frame.assign(**{column: frame[column].map(inert) for column in text})


def report_csv(report: pd.DataFrame) -> bytes:
    """The report rows of the API (level … score) as UTF-8 CSV, formula-like text made inert."""
    return table_csv(report[REPORT_COLUMNS])


def excel_number_format(unit: str, decimals: int, signed: bool = False) -> str:
    """An Excel number format writing a value as :func:`scorecard.numbers.format_value` does
    (thousands separators, the unit, a real minus sign; ``signed`` adds "+" and reads a change of a
    percentage in points)."""
    prefix, suffix = EXCEL_UNITS.get(unit, ("", f'" {unit}"' if unit else ""))
    if signed and unit == "%":
        suffix = '" pts"'
    number = "#,##0" + ("." + "0" * decimals if decimals else "")
    body = f"{prefix}{number}{suffix}"
    if not signed:
        return f'{body};"{MINUS}"{body}'
    return f'"+"{body};"{MINUS}"{body};{body}'


def _decimals(row: pd.Series) -> int:
    values = [abs(float(row[c])) for c in ("actual", "target") if c in row and pd.notna(row[c])]
    return default_decimals(max(values) if values else 0.0, str(row.get("unit") or ""))


def report_excel(report: pd.DataFrame, sheets: dict[str, pd.DataFrame] | None = None) -> bytes:
    """An .xlsx workbook: the scorecard with status colours, variance, unit and owner, numbers kept as numbers
    but formatted as the app writes them; plus any extra sheets; formula-like text made inert."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        table = inert_frame(report.reindex(columns=EXCEL_COLUMNS))
        table.to_excel(writer, sheet_name="Scorecard", index=False)
        sheet = writer.sheets["Scorecard"]
        column = {name: index for index, name in enumerate(EXCEL_COLUMNS, start=1)}
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row, (_, values) in enumerate(table.iterrows(), start=2):
            sheet.cell(row, column["status"]).fill = PatternFill("solid", fgColor=STATUS_FILL.get(values["status"], "FFFFFF"))
            unit, places = str(values["unit"]) if isinstance(values["unit"], str) else "", _decimals(values)
            for name in ("actual", "target"):
                sheet.cell(row, column[name]).number_format = excel_number_format(unit, places)
            sheet.cell(row, column["variance"]).number_format = excel_number_format(unit, places, signed=True)
            sheet.cell(row, column["score"]).number_format = "0"
            if values["level"] != "kpi":
                for cell in sheet[row]:
                    cell.font = Font(bold=True)
        for letter, width in zip("ABCDEFGHIJK", (12, 26, 36, 40, 13, 13, 9, 8, 13, 10, 20)):
            sheet.column_dimensions[letter].width = width
        for name, frame in (sheets or {}).items():
            inert_frame(frame).to_excel(writer, sheet_name=name[:31], index=False)
    return buffer.getvalue()


def table_csv(frame: pd.DataFrame) -> bytes:
    """Any table as UTF-8 CSV, text cells that look like formulas made inert."""
    return inert_frame(frame).to_csv(index=False, lineterminator="\n").encode("utf-8")


def table_excel(frame: pd.DataFrame, sheet: str = "Table") -> bytes:
    """Any table as an .xlsx workbook with a bold header, formula-like text made inert."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        inert_frame(frame).to_excel(writer, sheet_name=sheet[:31], index=False)
        for cell in writer.sheets[sheet[:31]][1]:
            cell.font = Font(bold=True)
    return buffer.getvalue()


def _cell(value) -> str:
    if isinstance(value, float):
        return "" if pd.isna(value) else format_value(value)
    return html.escape(str(inert(value)))


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else html.escape(str(inert(value)))


def _value(value, unit, change: bool = False) -> str:
    """A number as the app writes it ("$17,633k", "+1.3 pts"); blank when missing."""
    if value is None or pd.isna(value):
        return ""
    return html.escape(format_value(float(value), unit if isinstance(unit, str) else "", signed=change, change=change))


def _report_table(report: pd.DataFrame) -> str:
    rows = []
    for _, row in report.iterrows():
        colour = status_color(row["status"])
        weight = "600" if row["level"] != "kpi" else "400"
        indent = {"overall": 0, "perspective": 0, "objective": 1, "kpi": 2}.get(row["level"], 0)
        unit = row.get("unit")
        rows.append(
            f"<tr style='font-weight:{weight}'><td><span class='dot' style='background:{colour}'></span>"
            f"{_cell(row['status'])}</td><td style='padding-left:{0.4 + 1.2 * indent}em'>{_cell(row['name'])}</td>"
            f"<td class='n'>{_value(row['actual'], unit)}</td><td class='n'>{_value(row['target'], unit)}</td>"
            f"<td class='n'>{_value(row.get('variance'), unit, change=True)}</td>"
            f"<td class='n'>{'' if pd.isna(row['score']) else format_score(row['score'])}</td>"
            f"<td>{_text(unit) if row['level'] == 'kpi' else ''}</td><td>{_text(row.get('owner'))}</td></tr>")
    return ("<table><thead><tr><th>Status</th><th>Scorecard item</th><th>Actual</th><th>Target</th>"
            "<th>Variance</th><th>Score</th><th>Unit</th><th>Owner</th></tr></thead><tbody>" + "".join(rows)
            + "</tbody></table>")


PROJECT_COLUMNS = {"title": "Project", "kind": "Kind", "phase": "Phase", "status": "Status",
                   "next_tollgate": "Next tollgate", "expected_benefit": "Expected", "verified_benefit": "Verified"}


def _projects_table(projects: pd.DataFrame) -> str:
    """The Six Sigma projects: phase, next tollgate and benefits."""
    head = "".join(f"<th>{html.escape(label)}</th>" for label in PROJECT_COLUMNS.values())
    rows = "".join("<tr>" + "".join(f"<td class=n>{_value(row[c], '$k')}</td>" if c.endswith("_benefit")
                                    else f"<td>{_cell(row[c])}</td>" for c in PROJECT_COLUMNS) + "</tr>"
                   for _, row in projects.iterrows())
    return f"<h2>Six Sigma projects</h2><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def briefing_html(title: str, subtitle: str, report: pd.DataFrame,
                  figures: Sequence[tuple[str, go.Figure]] = (), notes: Sequence[str] = (),
                  projects: pd.DataFrame | None = None, drawings: Sequence[tuple[str, str]] = ()) -> str:
    """A single HTML file with the scorecard, charts, projects and notes; opens offline.

    ``drawings`` are (heading, inline SVG markup) pairs: static vector charts that keep the file small;
    ``figures`` are plotly figures (plotly.js, about 4.6 MB, inlined once when there are any).
    ``projects`` has the columns of :data:`PROJECT_COLUMNS` (``next_tollgate`` is the open phase, or "—").
    """
    parts = [f"<h2>{_cell(heading)}</h2><div class='svg'>{svg}</div>" for heading, svg in drawings]
    for index, (heading, figure) in enumerate(figures):
        chart = figure.to_html(full_html=False, include_plotlyjs=(index == 0), config={"displaylogo": False})
        parts.append(f"<h2>{_cell(heading)}</h2>{chart}")
    note_items = "".join(f"<li>{_cell(note)}</li>" for note in notes)
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
 body {{ font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #1c2733; }}
 table {{ border-collapse: collapse; width: 100%; }} th, td {{ border-bottom: 1px solid #dde3ea; padding: .35em .5em; }}
 th {{ text-align: left; background: #f3f6fa; }} td.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
 .svg svg {{ width: 100%; max-width: 900px; height: auto; }}
 .dot {{ display: inline-block; width: .8em; height: .8em; border-radius: 50%; margin-right: .4em; }}
</style></head>
<body><h1>{html.escape(title)}</h1><p>{html.escape(subtitle)}</p>
{_report_table(report)}
{''.join(parts)}
{_projects_table(projects) if projects is not None and len(projects) else ''}
{f'<h2>Notes</h2><ul>{note_items}</ul>' if note_items else ''}
</body></html>"""

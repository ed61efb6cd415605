"""File formats of the scorecard: the import files (CSV/Excel), the exports (CSV, Excel, HTML briefing),
the PDF briefing, and the spreadsheet-cell safety both directions share.

Pure Python (pandas, openpyxl, ReportLab); never imports streamlit or ``data/``.
"""

from scorecard.io.cells import inert, is_formula
from scorecard.io.export import briefing_html, inert_frame, report_csv, report_excel, table_csv, table_excel
from scorecard.io.importer import (
    TEXT_LIMITS,
    ImportProblem,
    ImportValidationError,
    kpis_template,
    max_import_bytes,
    max_import_megabytes,
    measurements_template,
    numeric_column,
    read_table,
    validate_kpis,
    validate_measurements,
)
from scorecard.io.pdf import (PROJECT_REPORT_LABELS, Briefing, ProjectReport, briefing_pdf, comment_notes,
                              objective_rows, project_report_pdf, project_rows, red_histories, strategy_map_svg)

__all__ = [
    "PROJECT_REPORT_LABELS", "ProjectReport", "project_report_pdf", "Briefing", "ImportProblem", "ImportValidationError", "TEXT_LIMITS", "briefing_html", "briefing_pdf",
    "comment_notes", "inert", "inert_frame", "is_formula", "kpis_template", "max_import_bytes",
    "max_import_megabytes", "measurements_template", "numeric_column", "objective_rows", "project_rows",
    "read_table", "red_histories", "report_csv", "report_excel", "strategy_map_svg", "table_csv", "table_excel", "validate_kpis",
    "validate_measurements",
]

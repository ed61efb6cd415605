"""A project's report for a tollgate review (issue #19): charter, the KPI's chart with the verified benefit, each
phase's evidence and the decisions, as a PDF in English and in Persian; offered on the project workspace."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from data.projects import portfolio
from scorecard.io import PROJECT_REPORT_LABELS, ProjectReport, project_report_pdf
from tests.apptest import ok, start
from tests.test_briefing_pdf import _pages_text, _persian_text

PERSIAN = json.loads((Path(__file__).resolve().parent.parent / "ui" / "locales" / "fa.json").read_text(encoding="utf-8"))
HISTORY = pd.Series([71.0, 72.5, 70.8, 76.0, 77.4, 78.1], index=[f"2026-0{m}" for m in range(1, 7)])


def _report(language: str = "en", **changes) -> ProjectReport:
    fields = dict(
        title="Restore SLA after outsourcing", subtitle="DMAIC · KPI: Tickets resolved within SLA · segment: All",
        charter=[("Problem statement (SMART)", "SLA fell from 87% to 71%"), ("Goal statement (SMART)", "85% by March")],
        phases=[("Define", ["SIPOC"]), ("Analyze", ["Hypothesis test: Outsourced tickets take 8.2 h longer."]),
                ("Control", [])],
        decisions=[["Define", "Approve", "Nima Rahimi", "2025-09-19 00:00 UTC", "Charter agreed"]],
        history=HISTORY, target=85.0, unit="%", history_caption="The change was approved in 2026-04.",
        benefit="Verified benefit: $165.6k a year.", generated_by="Reza Karimi",
        generated_at="2026-12-06 09:30 UTC", language=language)
    return ProjectReport(**{**fields, **changes})


def test_the_report_holds_the_charter_evidence_chart_benefit_and_decisions(tmp_path):
    text = "\f".join(_pages_text(project_report_pdf(_report()), tmp_path))
    for shown in ("Restore SLA after outsourcing", "Charter", "Problem statement (SMART): SLA fell from 87% to 71%",
                  "Evidence by phase", "Outsourced tickets take 8.2 h longer.", "Nothing saved in this phase.",
                  "Tollgate decisions", "Nima Rahimi", "Charter agreed", "The KPI, month by month",
                  "The change was approved in 2026-04.", "Verified benefit: $165.6k a year.", "Reza Karimi"):
        assert shown in text, shown


def test_the_persian_report_has_persian_headings_and_no_english_ones(tmp_path):
    labels = {label: PERSIAN[label] for label in PROJECT_REPORT_LABELS}
    persian = _report("fa", title="بازگرداندن SLA پس از برون‌سپاری", charter=[("بیان مسئله", "SLA از ۸۷٪ به ۷۱٪ افتاد")],
                      phases=[("تعریف", ["SIPOC"]), ("کنترل", [])], decisions=[], history_caption="", benefit="")
    text = "\f".join(_persian_text(project_report_pdf(persian, lambda s: labels.get(s, s)), tmp_path))
    plain = text.replace("\u200c", "")
    for heading in ("Charter", "Evidence by phase", "Tollgate decisions", "Nothing saved in this phase.",
                    "No tollgate decided yet."):
        assert PERSIAN[heading].replace("\u200c", "") in plain, heading
        assert heading not in text


def test_the_workspace_offers_the_report_of_the_open_project(sqlite_url, sqlite_engine, monkeypatch):
    sla = int(portfolio(sqlite_engine).set_index("title").at["Restore SLA after outsourcing", "id"])
    at = start(sqlite_url, "screens/project.py", monkeypatch, user="reza")
    at.selectbox(key="workspace_project").set_value(sla)
    ok(at.run())
    assert "Project report (PDF)" in [element.proto.label for element in at.get("download_button")]

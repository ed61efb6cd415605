"""The PDF briefing: generated from the demo database, its pages rendered to PNG with pdftoppm.

The rendered pages go to the run's artifacts folder to be looked at; the first page is the one
shown in the README (docs/images/briefing.png, refreshed with --update-screenshots).
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from data import repository
from data.projects import portfolio
from scorecard import view
from scorecard.io.pdf import Briefing, briefing_pdf, comment_notes, objective_rows, project_rows, red_histories
from scorecard.scoring import ScoringConfig
from tests.conftest import skip_or_fail

PERIOD, SEGMENT = "2026-10", "All"


@pytest.fixture(scope="module")
def briefing(sqlite_engine) -> Briefing:
    definition = repository.scorecard_definition(sqlite_engine)
    measurements = repository.measurements(sqlite_engine)
    report = view.scorecard_report(definition, measurements, repository.targets(sqlite_engine), PERIOD, SEGMENT,
                                   ScoringConfig())
    red = report[(report["level"] == "kpi") & (report["status"] == "red")]
    comments = red[["kpi_id"]].head(1).assign(text="Dipped after the price change; action agreed.", author="sara")
    return Briefing("CRM scorecard briefing", f"{SEGMENT} · {PERIOD}", report,
                    objective_rows(repository.objectives(sqlite_engine), report), repository.links(sqlite_engine),
                    repository.perspectives(sqlite_engine)["name"].tolist(),
                    red_histories(report, measurements, SEGMENT, PERIOD), comment_notes(report, comments),
                    project_rows(portfolio(sqlite_engine)))


@pytest.fixture(scope="module")
def pdf(briefing) -> bytes:
    return briefing_pdf(briefing)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        skip_or_fail("pdf", f"{name} (poppler-utils) is not installed")
    return path


def _pages_text(pdf: bytes, tmp_path) -> list[str]:
    source = tmp_path / "briefing.pdf"
    source.write_bytes(pdf)
    text = subprocess.run([_tool("pdftotext"), "-layout", str(source), "-"], check=True, capture_output=True).stdout
    return text.decode("utf-8").split("\f")


def test_pages_render_to_png(pdf, artifacts, docs_image):
    folder = artifacts / "briefing"
    folder.mkdir(exist_ok=True)
    source = folder / "briefing.pdf"
    source.write_bytes(pdf)
    subprocess.run([_tool("pdftoppm"), "-png", "-r", "110", str(source), str(folder / "page")], check=True)
    pages = sorted(folder.glob("page-*.png"))
    assert len(pages) >= 4 and all(p.stat().st_size > 10_000 for p in pages)
    shutil.copyfile(pages[0], artifacts / "briefing.png")
    docs_image(artifacts / "briefing.png")


def test_sections_and_numbers_as_written(briefing, pdf, tmp_path):
    text = "\f".join(_pages_text(pdf, tmp_path))
    for heading in ("CRM scorecard briefing", "Scorecard", "Strategy map", "Red KPIs", "Six Sigma projects"):
        assert heading in text
    assert "−" in text and "pts" in text  # a real minus sign; percentage changes in points
    assert "Dipped after the price change; action agreed. (sara)" in text
    assert "Restore SLA after outsourcing" in text


def test_a_perspective_never_splits_across_pages(briefing, pdf, tmp_path):
    pages = _pages_text(pdf, tmp_path)
    kpis = briefing.report[briefing.report["level"] == "kpi"]
    for perspective, rows in kpis.groupby("perspective"):
        holding = [i for i, page in enumerate(pages) if rows["name"].iloc[0] in page]
        assert holding, perspective
        assert all(name in pages[holding[0]] for name in rows["name"]), perspective


def test_charts_are_vector(pdf):
    assert pdf.startswith(b"%PDF") and b"/Subtype /Image" not in pdf

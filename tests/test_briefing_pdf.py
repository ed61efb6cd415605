"""The PDF briefing: generated from the demo database, its pages rendered to PNG with pdftoppm.

The rendered pages go to the run's artifacts folder to be looked at; the first page is the one
shown in the README (docs/images/briefing.png, refreshed with --update-screenshots).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from sqlalchemy import text

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


def _rendered_pages(pdf: bytes, folder: Path) -> list[Path]:
    """The PDF's pages rendered to PNG at 110 dpi by pdftoppm, in ``folder``."""
    folder.mkdir(exist_ok=True)
    source = folder / "briefing.pdf"
    source.write_bytes(pdf)
    subprocess.run([_tool("pdftoppm"), "-png", "-r", "110", str(source), str(folder / "page")], check=True)
    return sorted(folder.glob("page-*.png"))


def test_pages_render_to_png(full_pdf, artifacts, docs_image):
    pages = _rendered_pages(full_pdf, artifacts / "briefing")
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
    pages = _pages_text(pdf, tmp_path)[1:]  # page 1 is the summary, which names the red KPIs
    kpis = briefing.report[briefing.report["level"] == "kpi"]
    for perspective, rows in kpis.groupby("perspective"):
        holding = [i for i, page in enumerate(pages) if rows["name"].iloc[0] in page]
        assert holding, perspective
        assert all(name in pages[holding[0]] for name in rows["name"]), perspective


def test_charts_are_vector(pdf):
    assert pdf.startswith(b"%PDF") and b"/Subtype /Image" not in pdf


GENERATED = datetime(2026, 11, 3, 9, 15, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def full_briefing(sqlite_engine, briefing) -> Briefing:
    """The briefing as the Scorecard screen makes it: with September to compare, who and when, overruns."""
    september = view.scorecard_report(repository.scorecard_definition(sqlite_engine),
                                      repository.measurements(sqlite_engine), repository.targets(sqlite_engine),
                                      "2026-09", SEGMENT, ScoringConfig())
    return replace(briefing, previous=september, previous_label="2026-09", generated_at=GENERATED,
                   generated_by="Sara Ahmadi (CRM strategy team)",
                   projects=project_rows(portfolio(sqlite_engine), as_of=date(2026, 11, 3)))


@pytest.fixture(scope="module")
def full_pdf(full_briefing) -> bytes:
    return briefing_pdf(full_briefing)


def test_page_one_is_the_summary_an_executive_keeps(sqlite_engine, full_briefing, full_pdf, tmp_path):
    first = _pages_text(full_pdf, tmp_path)[0]
    assert "Generated on 3 November 2026 at 09:15 UTC by Sara Ahmadi (CRM strategy team)" in first
    report, before = full_briefing.report, full_briefing.previous
    for level in ("overall", "perspective"):
        for _, row in report[report["level"] == level].iterrows():
            old = before.loc[before["name"] == row["name"], "score"].iloc[0]
            change = round(row["score"]) - round(old) if abs(row["score"] - old) % 1 != 0.5 else None
            line = next(line for line in first.splitlines() if line.strip().startswith(row["name"]))
            assert f" {round(row['score'])} " in line and row["status"] in line, line
            if change is not None and abs((row["score"] - old) - change) < 0.5:
                sign = "+" if change > 0 else ("\u2212" if change < 0 else "")
                assert f"{sign}{abs(change)} points" in line, line
    assert "What changed since 2026-09" in first
    now = report[report["level"] == "kpi"].set_index("name")["status"]
    then = before[before["level"] == "kpi"].set_index("name")["status"]
    for name in now.index[now != then.reindex(now.index)]:
        assert f"{name}: {then[name]} → {now[name]}" in first
    red = now.index[now == "red"]
    assert len(red) and f"Red KPIs ({len(red)})" in first
    assert all(name in first for name in red)
    # the demo's red service KPIs, one line each with their numbers
    sla = report.set_index("name").loc["Tickets resolved within SLA"]
    assert f"Tickets resolved within SLA: {sla['actual']:.1f}% against {sla['target']:.1f}%" in first


def test_revenue_in_the_pdf_is_the_sum_of_october_orders(sqlite_engine, full_pdf, tmp_path):
    with sqlite_engine.connect() as connection:
        total = connection.execute(text("SELECT SUM(revenue) FROM crm_order WHERE ordered_on >= '2026-10-01' "
                                        "AND ordered_on < '2026-11-01'")).scalar_one()
    revenue = f"${round(total / 1000):,}k"  # the order table's revenue is in dollars; the KPI is in $k
    text_ = "\f".join(_pages_text(full_pdf, tmp_path))
    assert revenue == "$17,633k" or revenue in text_  # issue #17 quotes $17,633k for the demo
    line = next(line for line in text_.splitlines() if re.search(r"\bRevenue\s{2,}", line))
    assert revenue in line, line


def _lowest_text(pdf: bytes, tmp_path) -> list[float]:
    """For each page, how far down its body text reaches, as a share of the page (the footer left out)."""
    source = tmp_path / "bbox.pdf"
    source.write_bytes(pdf)
    xhtml = subprocess.run([_tool("pdftotext"), "-bbox", str(source), "-"], check=True, capture_output=True).stdout
    shares = []
    for page in xhtml.decode("utf-8").split("<page ")[1:]:
        height = float(re.search(r'height="([0-9.]+)"', page).group(1))
        bottoms = [float(y) for y in re.findall(r'yMax="([0-9.]+)"', page) if float(y) < height - 40]
        shares.append(max(bottoms) / height)
    return shares


def test_no_page_is_mostly_blank(full_pdf, tmp_path):
    shares = _lowest_text(full_pdf, tmp_path)
    assert all(share > 0.5 for share in shares[:-1]), shares


def test_projects_show_phases_and_statuses_in_words_and_flag_overruns(full_pdf, tmp_path):
    text_ = "\f".join(_pages_text(full_pdf, tmp_path))
    lines = text_.splitlines()

    def row(title: str) -> str:  # a row's wrapped cells print on the lines just above and below its title
        at = next(i for i, line in enumerate(lines) if title in line)
        return " ".join(lines[at - 1:at + 2])

    campaign = row("Raise campaign response")
    assert "Measure" in campaign and "Active" in campaign and "overrun" in campaign  # planned end 31 Aug 2026
    complaints = row("Cut complaint resolution time")
    assert "Improve" in complaints and "overrun" not in complaints  # planned end 15 Dec 2026
    closed = row("Restore SLA after outsourcing")
    assert "Closed" in closed and "overrun" not in closed
    assert "Next tollgate" in text_ or "Next\n" in text_


def test_the_strategy_map_keeps_dashed_unsupported_links(sqlite_engine, full_briefing):
    from scorecard import strategy
    from scorecard.io.pdf import strategy_map_drawing
    index = strategy.objective_index(repository.measurements(sqlite_engine),
                                     repository.scorecard_definition(sqlite_engine), SEGMENT)
    verdicts = strategy.link_table(repository.links(sqlite_engine), index)
    links = repository.links(sqlite_engine).assign(supported=(verdicts["verdict"] == "supported").to_numpy())
    drawing = strategy_map_drawing(full_briefing.objectives, links, full_briefing.perspectives)
    dashed = [shape for shape in drawing.contents if getattr(shape, "strokeDashArray", None)]
    assert len(dashed) == int((~links["supported"]).sum()) > 0


# --- the briefing in Persian -------------------------------------------------------------------------------------

PERSIAN_CATALOG = json.loads((Path(__file__).resolve().parent.parent / "ui" / "locales" / "fa.json")
                             .read_text(encoding="utf-8"))
TO_PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def _tr(message: str) -> str:
    return PERSIAN_CATALOG.get(message, message)


@pytest.fixture(scope="module")
def persian_pdf(sqlite_engine, full_briefing) -> bytes:
    """The demo's October briefing as the Persian UI builds it: Persian names, Jalali months, Persian labels."""
    from scorecard.io.pdf import persian_map, persian_names
    overall = _tr("Overall scorecard")
    report = persian_names(full_briefing.report, overall)
    objectives, perspectives = persian_map(repository.objectives(sqlite_engine), repository.perspectives(sqlite_engine))
    red = report[(report["level"] == "kpi") & (report["status"] == "red")]
    comments = red[["kpi_id"]].head(1).assign(text="پس از تغییر قیمت افت کرد؛ اقدام توافق شد.", author="سارا")
    persian = replace(full_briefing, title=_tr("CRM scorecard briefing"), subtitle="همه، مهر ۱۴۰۵", report=report,
                      objectives=objective_rows(objectives, report), perspectives=perspectives,
                      histories=red_histories(report, repository.measurements(sqlite_engine), SEGMENT, PERIOD),
                      comments=comment_notes(report, comments),
                      previous=persian_names(full_briefing.previous, overall), previous_label="شهریور ۱۴۰۵",
                      generated_by="سارا احمدی", language="fa")
    return briefing_pdf(persian, tr=_tr)


BIDI_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e"))


def _persian_text(pdf: bytes, tmp_path) -> list[str]:
    """The pages' text as a reader types it: pdftotext puts right-to-left runs back in reading order (between
    embedding marks, dropped here); NFKC turns the joined letter forms back into plain Persian letters."""
    return [unicodedata.normalize("NFKC", page).translate(BIDI_MARKS) for page in _pages_text(pdf, tmp_path)]


def test_the_persian_briefing_reads_right_to_left_with_persian_numbers(sqlite_engine, persian_pdf, tmp_path):
    pages = _persian_text(persian_pdf, tmp_path)
    text_ = "\f".join(pages)
    # headings as fa.json words them
    for heading in ("گزارش جلسه کارت امتیازی", "خلاصه", "کارت امتیازی", "نقشه راهبرد", "شاخص‌های قرمز",
                    "پروژه‌های شش سیگما", "تغییرات نسبت به شهریور ۱۴۰۵"):
        assert heading.replace("\u200c", "") in text_.replace("\u200c", ""), heading
    assert not re.search(r"\b(Summary|Scorecard|Strategy map|Red KPIs|Generated|points|page)\b", text_)
    # October's revenue, the sum of the order table, in Persian digits and separators with the unit in words
    with sqlite_engine.connect() as connection:
        total = connection.execute(text("SELECT SUM(revenue) FROM crm_order WHERE ordered_on >= '2026-10-01' "
                                        "AND ordered_on < '2026-11-01'")).scalar_one()
    revenue = f"{round(total / 1000):,}".replace(",", "٬").translate(TO_PERSIAN)
    assert revenue == "۱۷٬۶۳۳"  # issue #17 quotes $17,633k for the demo
    line = next(line for line in text_.splitlines() if re.search(r"(^|\s)درآمد\s{2,}", line))
    assert re.search(rf"(^|\s){revenue}\s*هزار\s*دلار", line), line  # pdftotext may drop the space at the run's edge
    # the scores table (pages 2 on, up to the strategy map) has no ASCII digit; page 1 dates are Jalali
    scorecard = text_[text_.index("کارت امتیازی", len(pages[0])):text_.index("نقشه راهبرد")]
    assert "درآمد" in scorecard and not re.search(r"[0-9]", scorecard)
    assert re.search(r"۱۲\s*آبان\s*۱۴۰۵", pages[0]) and "سارا احمدی" in pages[0]  # 3 November 2026 is 12 Aban 1405


def test_the_persian_tables_run_right_to_left(persian_pdf, tmp_path):
    """The scorecard's header has the status rightmost and the score left of it (pdftotext -bbox positions; its
    words are glyphs in visual order, so a Persian word reads reversed)."""
    source = tmp_path / "fa.pdf"
    source.write_bytes(persian_pdf)
    xhtml = subprocess.run([_tool("pdftotext"), "-bbox", "-f", "2", "-l", "2", str(source), "-"], check=True,
                           capture_output=True).stdout.decode("utf-8")
    words = [(float(x0), float(y0), unicodedata.normalize("NFKC", word[::-1])) for x0, y0, word in
             re.findall(r'<word xMin="([0-9.]+)" yMin="([0-9.]+)"[^>]*>([^<]*)</word>', xhtml)]
    status = next(w for w in words if w[2] == "وضعیت")
    score = next(w for w in words if w[2] == "امتیاز" and abs(w[1] - status[1]) < 2)
    assert status[0] > 400 and 0 < score[0] < 150  # A4 is 595 pt wide
    # the first KPI name is right-aligned: it ends near the status column, far from the page's left margin
    revenue = next(w for w in words if w[2] == "درآمد")
    assert revenue[0] > 300


def test_persian_page_one_renders(persian_pdf, artifacts):
    pages = _rendered_pages(persian_pdf, artifacts / "briefing_fa")
    assert len(pages) >= 4 and all(p.stat().st_size > 10_000 for p in pages)


def test_the_english_briefing_is_unchanged_by_the_persian_one(pdf, persian_pdf, tmp_path):
    assert "Scorecard" in "".join(_pages_text(pdf, tmp_path)) and b"/Subtype /Image" not in persian_pdf

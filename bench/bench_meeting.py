"""Benchmark: the meeting pack — the PDF briefing's build and the Scorecard page in English and Persian.

On a fresh demo database: the PDF briefing (ReportLab, vector charts) built from the scored
report, best of 5; the Scorecard page's run in a new session with warm loaders under AppTest
(HTML table, formatting, Persian digits), 10 runs per language.
The Persian PDF (shaped, right to left) is timed too. Run: python bench/bench_meeting.py
(``--pdf``: the PDF briefings only).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import APP, best_of, machine, summary, timed  # noqa: E402
import services  # noqa: E402
from data import repository  # noqa: E402
from data.bootstrap import prepare_database  # noqa: E402
from data.projects import portfolio  # noqa: E402
from scorecard.io import Briefing, briefing_pdf, objective_rows, project_rows, red_histories  # noqa: E402
from scorecard.io.pdf import persian_map, persian_names  # noqa: E402
from tests.apptest import sign_in  # noqa: E402

PERIOD, SEGMENT = "2026-10", "All"


def briefing(engine) -> Briefing:
    measurements = repository.measurements(engine)
    report = services.report_of(engine, PERIOD, SEGMENT)
    return Briefing("CRM scorecard briefing", f"{SEGMENT} · {PERIOD}", report,
                    objective_rows(repository.objectives(engine), report), repository.links(engine),
                    repository.perspectives(engine)["name"].tolist(), red_histories(report, measurements, SEGMENT, PERIOD),
                    projects=project_rows(portfolio(engine)))


def persian(engine, english: Briefing, catalog: dict[str, str]) -> Briefing:
    """The same briefing as the Persian UI builds it (Persian names, Jalali month)."""
    report = persian_names(english.report, catalog["Overall scorecard"])
    objectives, perspectives = persian_map(repository.objectives(engine), repository.perspectives(engine))
    return replace(english, title=catalog["CRM scorecard briefing"], subtitle="همه، مهر ۱۴۰۵", report=report,
                   objectives=objective_rows(objectives, report), perspectives=perspectives,
                   histories=red_histories(report, repository.measurements(engine), SEGMENT, PERIOD), language="fa")


def scorecard_run(url: str, language: str) -> tuple[float, float]:
    """Wall and CPU seconds of the Scorecard page's run in ``language`` in a new signed-in session (loaders warm).

    A new AppTest per run: AppTest cannot re-run widgets whose options were formatted in Persian.
    """
    os.environ["DATABASE_URL"] = url
    at = AppTest.from_file(str(APP), default_timeout=300)
    at.run()
    sign_in(at, "admin")
    at.session_state["language"] = language
    at.switch_page("screens/scorecard.py")
    return timed(at)


def main() -> None:
    print(machine())
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'demo.db'}"
        start = time.perf_counter()
        engine = prepare_database(url)
        print(f"demo database: {time.perf_counter() - start:.1f} s")
        content = briefing(engine)
        size = len(briefing_pdf(content))
        print(f"PDF briefing: best of 5 {best_of(lambda: briefing_pdf(content), 5) * 1000:.0f} ms ({size / 1024:.0f} KiB)")
        catalog = json.loads((ROOT / "ui" / "locales" / "fa.json").read_text(encoding="utf-8"))
        content_fa, tr = persian(engine, content, catalog), (lambda message: catalog.get(message, message))
        size = len(briefing_pdf(content_fa, tr))
        print(f"PDF briefing, Persian: best of 5 {best_of(lambda: briefing_pdf(content_fa, tr), 5) * 1000:.0f} ms "
              f"({size / 1024:.0f} KiB)")
        if "--pdf" in sys.argv:
            return
        for language in ("en", "fa"):
            scorecard_run(url, language)  # fills the caches
            print(f"Scorecard page, {language}: {summary([scorecard_run(url, language) for _ in range(10)])}")


if __name__ == "__main__":
    main()

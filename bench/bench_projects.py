"""Benchmark: the Six Sigma project screens on the demo data.

Seeds a fresh demo database (four projects with their artifacts), then, under Streamlit's
AppTest in one process, times the warm rerun of the Projects page, of the Project workspace
on the DMAIC project in Improve (the open phase with its tools and tollgate) and on the DFSS
project in Design (QFD heatmap), and the rerun after switching the workspace to another phase.

Run: python bench/bench_projects.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import machine, open_page, summary, timed  # noqa: E402
from data.bootstrap import prepare_database  # noqa: E402
from data.projects import portfolio  # noqa: E402


def main() -> None:
    print(machine())
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        ids = portfolio(prepare_database(url)).set_index("title")["id"]
        at = open_page(url, "screens/projects.py")
        print(f"  Projects page warm rerun: {summary([timed(at) for _ in range(10)])}")
        for title in ("Cut complaint resolution time", "Redesign onboarding to lift retention"):
            at.switch_page("screens/project.py")
            at.run()
            at.selectbox(key="workspace_project").set_value(int(ids[title]))
            at.run()
            print(f"  Workspace, {title}: warm rerun {summary([timed(at) for _ in range(10)])}")
        switches = []
        for phase in ("define", "measure", "analyze", "design") * 2:
            at.segmented_control(key=f"phase_{int(ids['Redesign onboarding to lift retention'])}").set_value(phase)
            switches.append(timed(at))
        print(f"  Workspace, switching phase (DFSS project): {summary(switches)}")


if __name__ == "__main__":
    main()

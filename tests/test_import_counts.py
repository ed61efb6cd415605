"""Imports carry the counts behind a ratio KPI (optional ``numerator`` and ``denominator``, ../shared/API.md),
and the charter's baseline then states DPMO from them (issue #18 §1). Expected values by hand."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from data import repository
from data.bootstrap import prepare_database
from data.metrics import count_unit
from scorecard import view
from scorecard.baseline import kpi_baseline
from scorecard.io import ImportValidationError, read_table, validate_measurements
from tests.test_cli import ROOT

KPIS = """perspective,objective,kpi,unit,direction,target,weight
Customer,Resolve complaints,Complaints resolved in time,%,higher,80,1
"""
MEASUREMENTS = """kpi,period,actual,numerator,denominator
Complaints resolved in time,2026-08,75,150,200
Complaints resolved in time,2026-09,80,160,200
Complaints resolved in time,2026-10,70,175,250
"""


def test_counts_are_imported_and_give_the_baseline_its_dpmo(tmp_path):
    db = f"sqlite:///{tmp_path / 'app.db'}"
    (tmp_path / "k.csv").write_text(KPIS)
    (tmp_path / "m.csv").write_text(MEASUREMENTS)
    done = subprocess.run([sys.executable, "-m", "scorecard", "import", "--kpis", str(tmp_path / "k.csv"),
                           "--measurements", str(tmp_path / "m.csv"), "--db", db], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    engine = prepare_database(db, seed_demo=False)
    measured = repository.measurements(engine)
    assert measured[["numerator", "denominator"]].to_numpy().tolist() == [[150, 200], [160, 200], [175, 250]]
    kpi = int(measured["kpi_id"].iloc[0])
    counts = measured.set_index(pd.PeriodIndex(measured["period"], freq="M"))[["numerator", "denominator"]]
    baseline = kpi_baseline(view.kpi_history(measured, kpi, "All"), 80.0, "higher", counts=counts,
                            unit=count_unit(None, "higher"))
    # Defects: 50 + 40 + 75 = 165 of 650 opportunities → DPMO 253,846.15.
    assert (baseline["defects"], baseline["opportunities"]) == (165, 650)
    assert baseline["dpmo"] == pytest.approx(1e6 * 165 / 650, abs=1e-3)
    engine.dispose()


@pytest.mark.parametrize("row,column,message", [
    ("Revenue,2026-10,75,150,", "denominator", "give both numerator and denominator"),
    ("Revenue,2026-10,75,,200", "numerator", "give both numerator and denominator"),
    ("Revenue,2026-10,75,0,0", "denominator", "must be above 0"),
    ("Revenue,2026-10,75,-3,200", "numerator", "must not be below 0"),
])
def test_bad_counts_name_the_row_and_column(tmp_path, row, column, message):
    path = tmp_path / "m.csv"
    path.write_text("kpi,period,actual,numerator,denominator\n" + row + "\n")
    with pytest.raises(ImportValidationError) as refused:
        validate_measurements(read_table(str(path), path.name), path.name, {"Revenue"})
    [problem] = refused.value.problems
    assert (problem.row, problem.column) == (2, column) and message in str(problem.message)

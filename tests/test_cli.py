"""The command line of ../shared/API.md: import (all or nothing) and report, on a fresh database."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent

KPIS = """perspective,objective,kpi,unit,direction,target,weight,amber,baseline
Financial,Grow revenue,Revenue,$k,higher,100,2,,
Financial,Grow revenue,Cost to serve,$,lower,10,1,0.2,
Customer,Keep customers,Retention,%,higher,90,1,,80
"""
MEASUREMENTS = """kpi,period,actual,target
Revenue,2025-01,95,
Cost to serve,2025-01,11.5,
Retention,2025-01,86,
Revenue,2025-02,120,110
"""


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scorecard", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture()
def files(tmp_path):
    (tmp_path / "KPIS.csv").write_text(KPIS)
    (tmp_path / "MEASUREMENTS.csv").write_text(MEASUREMENTS)
    return tmp_path


def _import(files, db) -> subprocess.CompletedProcess:
    return run("import", "--kpis", str(files / "KPIS.csv"), "--measurements", str(files / "MEASUREMENTS.csv"), "--db", db)


def test_import_then_report_scores_as_the_api_says(files):
    db = f"sqlite:///{files / 'cli.db'}"
    result = _import(files, db)
    assert result.returncode == 0, result.stderr
    report = run("report", "--period", "2025-01", "--db", db, "--format", "json")
    assert report.returncode == 0, report.stderr
    rows = {row["name"]: row for row in json.loads(report.stdout)}
    # Revenue 95 vs 100 (higher): misses by 5 ≤ 0.10 × 100 → amber; score 100 × 95/100.
    assert (rows["Revenue"]["status"], rows["Revenue"]["score"]) == ("amber", pytest.approx(95.0))
    # Cost to serve 11.5 vs 10 (lower), amber 0.2: misses by 1.5 ≤ 2 → amber; score 100 × 10/11.5.
    assert (rows["Cost to serve"]["status"], rows["Cost to serve"]["score"]) == ("amber", pytest.approx(1000 / 11.5))
    # Retention 86 vs 90, baseline 80: misses by 4 ≤ 9 → amber; score 100 × (86−80)/(90−80) = 60.
    assert (rows["Retention"]["status"], rows["Retention"]["score"]) == ("amber", pytest.approx(60.0))
    # Objective: weighted mean (2 × 95 + 1 × 86.96)/3; overall: mean of the two perspectives.
    grow = (2 * 95 + 1000 / 11.5) / 3
    assert rows["Grow revenue"]["score"] == pytest.approx(grow)
    assert rows["Overall"]["level"] == "overall"
    assert rows["Overall"]["score"] == pytest.approx((grow + 60) / 2)
    assert rows["Overall"]["status"] == "amber"


def test_measurement_target_overrides_for_its_period(files):
    db = f"sqlite:///{files / 'cli.db'}"
    assert _import(files, db).returncode == 0
    report = run("report", "--period", "2025-02", "--db", db)
    table = pd.read_csv(pd.io.common.StringIO(report.stdout))
    assert list(table.columns) == ["level", "perspective", "objective", "name", "actual", "target", "status", "score"]
    revenue = table[table["name"] == "Revenue"].iloc[0]
    assert (revenue["actual"], revenue["target"], revenue["status"]) == (120, 110, "green")
    retention = table[table["name"] == "Retention"].iloc[0]
    assert retention["status"] == "none" and pd.isna(retention["score"])


def test_bad_file_changes_nothing_and_names_file_row_and_column(files):
    db = f"sqlite:///{files / 'cli.db'}"
    assert _import(files, db).returncode == 0
    before = run("report", "--period", "2025-01", "--db", db).stdout
    bad = files / "BAD.csv"
    bad.write_text("kpi,period,actual\nRevenue,2025-01,1000\nRevenue,2025-13,5\n")
    result = run("import", "--measurements", str(bad), "--db", db)
    assert result.returncode != 0
    assert "BAD.csv" in result.stderr and "row 3" in result.stderr and "period" in result.stderr
    assert run("report", "--period", "2025-01", "--db", db).stdout == before


def test_excel_import_works_like_csv(files):
    db = f"sqlite:///{files / 'x.db'}"
    pd.read_csv(files / "KPIS.csv").to_excel(files / "KPIS.xlsx", index=False)
    result = run("import", "--kpis", str(files / "KPIS.xlsx"), "--measurements", str(files / "MEASUREMENTS.csv"), "--db", db)
    assert result.returncode == 0, result.stderr
    assert "Revenue" in run("report", "--period", "2025-01", "--db", db).stdout


def test_the_operator_unlocks_and_resets_an_account_an_attacker_locked(tmp_path):
    from data import accounts
    from data.accounts import SignInRefused
    from data.bootstrap import prepare_database

    db = f"sqlite:///{tmp_path / 'app.db'}"
    engine = prepare_database(db, seed_demo=False)
    accounts.create_user(engine, "system", username="mina", display_name="Mina", role="strategy",
                         password="mina's own long passphrase")
    for attempt in range(5):  # a stranger's guesses lock her out
        with pytest.raises(SignInRefused):
            accounts.authenticate(engine, "mina", f"guess {attempt}", demo_mode=False)
    with pytest.raises(SignInRefused):
        accounts.authenticate(engine, "mina", "mina's own long passphrase", demo_mode=False)
    unlocked = run("unlock", "mina", "--db", db)
    assert unlocked.returncode == 0 and unlocked.stdout.strip() == "unlocked mina"
    assert accounts.authenticate(engine, "mina", "mina's own long passphrase", demo_mode=False).username == "mina"
    reset = run("reset-password", "mina", "--db", db)
    one_time = reset.stdout.split("one-time password for mina: ")[1].split(" ")[0]
    assert reset.returncode == 0 and accounts.authenticate(engine, "mina", one_time, demo_mode=False)
    chosen = subprocess.run([sys.executable, "-m", "scorecard", "reset-password", "mina", "--db", db, "--password-stdin"],
                            cwd=ROOT, input="a phrase only mina knows\n", capture_output=True, text=True, timeout=120)
    assert chosen.returncode == 0 and accounts.authenticate(engine, "mina", "a phrase only mina knows", demo_mode=False)
    weak = subprocess.run([sys.executable, "-m", "scorecard", "reset-password", "mina", "--db", db, "--password-stdin"],
                          cwd=ROOT, input="12345678\n", capture_output=True, text=True, timeout=120)
    assert weak.returncode == 1 and "at least 12 characters" in weak.stderr
    missing = run("unlock", "nobody", "--db", db)
    assert missing.returncode == 1 and "nobody" in missing.stderr
    engine.dispose()


def test_production_starts_with_create_admin_and_loads_the_demo_only_on_purpose(tmp_path, monkeypatch):
    """Issue #21 §5: no default password outside demo mode; the demo is a command, and a real admin survives it."""
    from sqlalchemy import text

    from data import accounts
    from data.db import make_engine

    db = f"sqlite:///{tmp_path / 'production.db'}"
    created = subprocess.run([sys.executable, "-m", "scorecard", "create-admin", "olga", "--name", "Olga", "--db", db,
                              "--password-stdin"], cwd=ROOT, input="olga's own long passphrase\n",
                             capture_output=True, text=True, timeout=120)
    assert created.returncode == 0 and created.stdout.strip() == "administrator olga created"
    again = run("create-admin", "olga", "--db", db)
    assert again.returncode == 1 and "already a user named 'olga'" in again.stderr
    generated = run("create-admin", "admin", "--db", db)     # a generated one-time password, shown once
    one_time = generated.stdout.split("one-time password ")[1].split(" ")[0]
    loaded = run("load-demo", "--db", db)
    assert loaded.returncode == 0 and "CRM_DEMO_MODE=1" in loaded.stdout, loaded.stderr
    engine = make_engine(db)
    with engine.connect() as connection:
        users = dict(connection.execute(text("SELECT username, demo FROM user_account")).all())
        kpis = connection.execute(text("SELECT COUNT(*) FROM kpi")).scalar_one()
    assert kpis > 0 and users["olga"] == 0 and users["admin"] == 0 and users["sara"] == 1   # the real admin kept
    assert accounts.authenticate(engine, "admin", one_time, demo_mode=False).role == "admin"
    refused = run("load-demo", "--db", db)
    assert refused.returncode == 1 and "already has a scorecard" in refused.stderr
    engine.dispose()

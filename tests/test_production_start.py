"""Production stays production: outside demo mode a first start is an empty scorecard with one
administrator, and every screen says how data gets in instead of failing."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from data.bootstrap import prepare_database
from tests.apptest import ROOT, ok, sign_in

ADMIN_PASSWORD = "the operator's own passphrase"
SCREENS = ["overview", "scorecard", "strategy_map", "kpi_detail", "whatif", "projects", "project", "spc_studio",
           "data", "kpi_definitions", "settings", "users"]


@pytest.fixture()
def production(tmp_path, monkeypatch):
    monkeypatch.setenv("CRM_DEMO_MODE", "0")
    monkeypatch.setenv("CRM_ADMIN_PASSWORD", ADMIN_PASSWORD)
    url = f"sqlite:///{tmp_path / 'production.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def test_a_first_production_start_holds_no_demo_data_and_no_demo_users(production):
    engine = prepare_database(production)
    with engine.connect() as connection:
        counts = {table: connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
                  for table in ("crm_customer", "kpi", "measurement", "project")}
        users = connection.execute(text("SELECT username, role, demo FROM user_account")).all()
    engine.dispose()
    assert counts == {"crm_customer": 0, "kpi": 0, "measurement": 0, "project": 0}
    assert [tuple(u) for u in users] == [("admin", "admin", 0)]


def test_every_screen_of_an_empty_scorecard_opens(production):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    sign_in(at, "admin", ADMIN_PASSWORD)
    for screen in SCREENS:
        at.switch_page(f"screens/{screen}.py")
        ok(at.run())
    at.switch_page("screens/scorecard.py")
    ok(at.run())
    assert any("no measurements yet" in info.value for info in at.info)


def test_without_an_administrator_the_sign_in_screen_names_the_command(tmp_path, monkeypatch):
    monkeypatch.setenv("CRM_DEMO_MODE", "0")
    monkeypatch.delenv("CRM_ADMIN_PASSWORD", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.db'}")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    ok(at.run())
    assert any("python -m scorecard create-admin USER" in w.value for w in at.warning)

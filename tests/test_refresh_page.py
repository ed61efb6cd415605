"""Scoring settings: "Refresh now" recomputes the SQL KPIs from the CRM source with a progress bar."""

from __future__ import annotations

import pandas as pd

from data import repository
from data.db import make_engine
from data.demo.generator import generate_crm
from data.source import source_engine, write_source
from tests.apptest import ok, start, texts


def _refresh_now(at):
    at.button(key="refresh_now").click()
    return at.run()


def test_refresh_now_reads_the_configured_crm_source(own_url, tmp_path, monkeypatch):
    source = f"duckdb:///{tmp_path / 'crm.duckdb'}"
    write_source(source_engine(source), generate_crm(seed=5, customers=600, n_months=6))
    monkeypatch.setenv("CRM_SOURCE_URL", source)
    at = start(own_url, "screens/settings.py", monkeypatch)
    assert "crm.duckdb" in texts(at.caption)
    ok(_refresh_now(at))
    assert "Refreshed" in texts(at.success)
    periods = set(repository.measurements(make_engine(own_url))["period"])
    assert periods == {str(p) for p in pd.period_range("2023-11", periods=6, freq="M")}


def test_refresh_now_is_refused_to_a_viewer_and_a_bad_source_changes_nothing(own_url, tmp_path, monkeypatch):
    before = repository.measurements(make_engine(own_url))
    at = start(own_url, "screens/settings.py", monkeypatch, user="guest")
    assert "Refresh now" not in [b.label for b in at.button]           # a viewer finds no button, only why
    assert "Your role (Viewer) may not import or change measurements." in texts(at.caption)
    monkeypatch.setenv("CRM_SOURCE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    at = start(own_url, "screens/settings.py", monkeypatch)
    assert "Nothing was refreshed" in texts(_refresh_now(at).error)
    pd.testing.assert_frame_equal(repository.measurements(make_engine(own_url)), before)


def test_the_crm_source_url_is_shown_to_administrators_only(own_url, tmp_path, monkeypatch):
    monkeypatch.setenv("CRM_SOURCE_URL", f"duckdb:///{tmp_path / 'secret-crm.duckdb'}")
    for user in ("sara", "omid", "guest"):
        at = start(own_url, "screens/settings.py", monkeypatch, user=user)
        assert "secret-crm.duckdb" not in texts(at.caption), user
        assert "computed inside the CRM source" in texts(at.caption), user
    at = start(own_url, "screens/settings.py", monkeypatch, user="admin")
    assert "secret-crm.duckdb" in texts(at.caption)

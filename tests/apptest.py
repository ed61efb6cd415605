"""Driving the app under Streamlit's AppTest: open a page as a user, check a run, read texts."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from data import repository

ROOT = Path(__file__).resolve().parent.parent


def start(url: str, page: str, monkeypatch, language: str = "en", user: str = "admin") -> AppTest:
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    if user != "admin":
        at.selectbox(key="user").set_value(user)
    at.session_state["language"] = language  # after the first run: AppTest cannot re-run translated options
    at.switch_page(page)
    return ok(at.run())


def ok(at: AppTest) -> AppTest:
    """The app after a run that raised nothing and showed no error."""
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def kpi_id(engine: Engine, name: str) -> int:
    definition = repository.scorecard_definition(engine)
    return int(definition.loc[definition["kpi"] == name, "kpi_id"].iloc[0])

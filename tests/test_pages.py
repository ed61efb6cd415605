"""Every page runs under Streamlit's AppTest with no exception, in English and in Persian."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import sign_in

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "screens").glob("*.py"))


@pytest.fixture()
def app(sqlite_url, sqlite_engine, monkeypatch):
    """The app on the shared demo database, signed in as the administrator (who sees every page)."""
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return sign_in(at, "admin")


def open_page(at: AppTest, page: str, language: str = "en") -> AppTest:
    at.session_state["language"] = language
    at.switch_page(page)
    at.run()
    return at


def test_every_page_is_registered_in_the_router():
    router = (ROOT / "dashboard.py").read_text(encoding="utf-8")
    assert all(page in router for page in PAGES)


@pytest.mark.parametrize("language", ["en", "fa"])
@pytest.mark.parametrize("page", PAGES)
def test_page_runs_without_exception(app, page, language):
    at = open_page(app, page, language)
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.title, f"{page} shows no title"


def test_bad_database_url_shows_one_clear_message(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert len(at.error) == 1 and "Cannot open the database" in at.error[0].value

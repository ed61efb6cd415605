"""A busy database (issue #21, point 1): while a long write holds SQLite, another user's write or sign-in
is refused with "busy, try again in a moment" (translated), never a raw ``database is locked``."""

from __future__ import annotations

import sqlite3

import pytest
from streamlit.testing.v1 import AppTest

from data import accounts
from data.bootstrap import prepare_database
from data.db import DatabaseBusy, make_engine
from data.discussion import add_comment
from tests.apptest import ROOT, kpi_id

BUSY = "The database is busy with another change; try again in a moment."


@pytest.fixture(scope="module")
def url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('busy') / 'busy.db'}"
    prepare_database(url).dispose()
    return url


@pytest.fixture
def held(url):
    """Another connection in the middle of a long write (it holds SQLite's write lock)."""
    connection = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("UPDATE setting SET version = version WHERE 1 = 0")
    yield connection
    connection.execute("ROLLBACK")
    connection.close()


def test_a_write_while_another_holds_the_database_says_busy(url, held):
    engine = make_engine(url, timeout=0.2)
    with pytest.raises(DatabaseBusy) as excinfo:
        add_comment(engine, "admin", kpi_id(engine, "Revenue"), "2025-01", "hello")
    assert str(excinfo.value) == BUSY and "locked" not in str(excinfo.value)


def test_signing_in_while_another_holds_the_database_says_busy(url, held):
    engine = make_engine(url, timeout=0.2)
    with pytest.raises(DatabaseBusy, match="busy with another change"):
        accounts.authenticate(engine, "admin", "demo", demo_mode=True)


def test_the_sign_in_form_shows_the_busy_message_in_both_languages(url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SQLITE_BUSY_TIMEOUT", "0.2")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    connection = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    try:
        at.text_input(key="signin_username").input("admin")
        at.text_input(key="signin_password").input("demo")
        at.button(key="signin_submit").click()
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        assert [e.value for e in at.error] == [BUSY]
        at.session_state["language"] = "fa"
        at.text_input(key="signin_username").input("admin")
        at.text_input(key="signin_password").input("demo")
        at.button(key="signin_submit").click()
        at.run()
        assert not at.exception and [e.value for e in at.error] == ["پایگاه داده سرگرم تغییر دیگری است؛ چند لحظه دیگر "
                                                                     "دوباره تلاش کنید."]
    finally:
        connection.execute("ROLLBACK")
        connection.close()
    at.text_input(key="signin_username").input("admin")       # the write is over: signing in works again
    at.text_input(key="signin_password").input("demo")
    at.button(key="signin_submit").click()
    at.run()
    assert at.session_state["account"].username == "admin"

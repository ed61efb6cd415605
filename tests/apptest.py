"""Driving the app under Streamlit's AppTest: sign in, open a page as a user, check a run, read texts."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from data import repository
from data.demo.catalog import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parent.parent


def sign_in(at: AppTest, user: str, password: str = DEMO_PASSWORD) -> AppTest:
    """Sign out whoever is signed in, then sign in on the sign-in screen as ``user`` (a demo account)."""
    signed_out = [b for b in at.button if b.key == "sign_out"]
    if signed_out:
        signed_out[0].click()
        at.run()
    at.text_input(key="signin_username").input(user)
    at.text_input(key="signin_password").input(password)
    at.button(key="signin_submit").click()
    at.run()
    assert "account" in at.session_state and at.session_state["account"].username == user, [e.value for e in at.error]
    return ok(at)


def start(url: str, page: str, monkeypatch, language: str = "en", user: str = "admin") -> AppTest:
    """The app on database ``url``, signed in as ``user``, in ``language``, on ``page``."""
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    ok(sign_in(at, user))
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


class _TableReader(HTMLParser):
    """The header and body cells of the first <table> in some HTML, as text."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def html_tables(at: AppTest) -> list[pd.DataFrame]:
    """Every table a page drew with ui.components.tables (st.html), as a frame of its cells' text."""
    frames = []
    for element in at.get("html"):
        if "<table" in element.proto.body:
            reader = _TableReader()
            reader.feed(element.proto.body)
            frames.append(pd.DataFrame(reader.rows[1:], columns=reader.rows[0]))
    return frames

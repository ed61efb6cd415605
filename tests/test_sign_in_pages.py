"""Sign-in and concurrent edits under AppTest: the sign-in screen, the language kept per user, the OIDC
button when configured, and two people saving the same target from the Scorecard data page."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data import accounts, repository
from data.demo.catalog import DEMO_PASSWORD
from data.db import make_engine
from tests.apptest import ok, sign_in, start, texts

ROOT = Path(__file__).resolve().parent.parent


def _app(url: str, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    return ok(at.run())


def test_the_sign_in_screen_comes_first_and_refuses_a_wrong_password(sqlite_url, sqlite_engine, monkeypatch):
    at = _app(sqlite_url, monkeypatch)
    assert at.title[0].value == "Sign in" and "account" not in at.session_state
    assert "Demo mode: demo data and demo accounts" in texts(at.markdown)
    assert "demo" in texts(at.info) and not [b for b in at.button if b.key == "sign_out"]
    at.text_input(key="signin_username").input("sara")
    at.text_input(key="signin_password").input(DEMO_PASSWORD + "x")
    at.button(key="signin_submit").click()
    at.run()
    assert [e.value for e in at.error] == ["Wrong user name or password. After 5 failed attempts in a row from one "
                                           "address an account is locked there for 15 minutes; an administrator can "
                                           "unlock it sooner."]
    assert at.title[0].value == "Sign in" and at.text_input(key="signin_password").value == ""
    ok(sign_in(at, "sara"))
    assert at.title[0].value == "Overview"
    caption = texts(at.sidebar.caption)
    assert "Signed in as Sara Ahmadi (CRM strategy team)" in caption and "Role: CRM strategy team" in caption
    assert "(CRM strategy team) (CRM strategy team)" not in caption


def test_only_administrators_get_the_users_screen(sqlite_url, sqlite_engine, monkeypatch):
    at = start(sqlite_url, "screens/overview.py", monkeypatch, user="sara")
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # not in her navigation at all
        at.switch_page("screens/users.py")
    admin = start(sqlite_url, "screens/users.py", monkeypatch)
    assert admin.title[0].value == "Users"
    assert {"Add a user", "Change a user"} <= {s.value for s in admin.subheader}


def test_the_language_choice_follows_the_user(own_url, monkeypatch):
    at = start(own_url, "screens/overview.py", monkeypatch, user="maryam")
    at.selectbox(key="language").set_value("fa")
    ok(at.run())
    assert accounts.authenticate(make_engine(own_url), "maryam", DEMO_PASSWORD, demo_mode=True).language == "fa"
    again = _app(own_url, monkeypatch)                                  # another browser, another day
    ok(sign_in(again, "maryam"))
    assert again.session_state["language"] == "fa" and again.title[0].value == "نمای کلی"


def test_an_oidc_configuration_offers_the_identity_provider(sqlite_url, sqlite_engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                          "client_id": "dashboard", "client_secret": "s",
                          "server_metadata_url": "https://login.example.com/.well-known/openid-configuration"}
    ok(at.run())
    assert "Sign in with your organisation's account" in [b.label for b in at.button]
    assert at.text_input(key="signin_username")                          # local accounts still sign in


def test_two_people_save_the_same_target_and_the_second_is_refused(own_url, monkeypatch):
    engine = make_engine(own_url)
    sara = start(own_url, "screens/data.py", monkeypatch, user="sara")
    omid = start(own_url, "screens/data.py", monkeypatch, user="omid")   # both have the Targets grid open
    first = repository.targets(engine).iloc[0]
    for at, value in ((sara, 111.0), (omid, 222.0)):
        at.session_state["edit_targets"] = {"edited_rows": {0: {"value": value}}, "added_rows": [], "deleted_rows": []}
        at.button(key="edit_targets_save").click()
        at.run()
    ok(sara)
    assert "was changed by Sara Ahmadi (CRM strategy team) at" in texts(omid.error)
    assert "reload the page" in texts(omid.error)
    saved = repository.targets(engine).set_index("id").loc[first["id"]]
    assert (saved["value"], saved["version"]) == (111.0, first["version"] + 1)
    omid.run()                                                           # the grid starts again from Sara's row
    ok(omid)
    omid.session_state["edit_targets_1"] = {"edited_rows": {0: {"value": 222.0}}, "added_rows": [],
                                            "deleted_rows": []}
    omid.button(key="edit_targets_save").click()
    ok(omid.run())
    assert repository.targets(engine).set_index("id").loc[first["id"], "value"] == 222.0

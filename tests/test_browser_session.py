"""Through the running server (issue #22 §4): a sign-in survives a reload and a deep link in a new tab;
signing out, or an administrator's password reset, ends it; the cookie is HttpOnly and nothing secret is
in a URL."""

from __future__ import annotations

from data import accounts
from data.db import make_engine
from data.writes import SYSTEM_USER
from tests.test_browser import _idle, _title, load, own_server, session_cookie  # noqa: F401 - own_server is the fixture


def _settled(page) -> str:
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=90_000)
    _idle(page)
    return _title(page)


def test_a_sign_in_survives_a_reload_and_a_deep_link_until_sign_out(browser, own_server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        load(page, f"{own_server}/overview", user="sara")
        cookie = session_cookie(context, page)
        assert cookie and cookie["httpOnly"] and cookie["sameSite"] == "Strict", context.cookies()
        assert "crm_session" not in page.evaluate("document.cookie")  # scripts cannot read it
        page.reload()
        assert _settled(page) == "Overview"                            # a reload keeps sara signed in
        deep = context.new_page()                                      # a deep link in a new tab
        deep.goto(f"{own_server}/scorecard")
        assert _settled(deep) == "Scorecard" and cookie["value"] not in deep.url
        deep.close()
        page.get_by_role("button", name="Sign out").click()
        page.get_by_label("User name").wait_for(timeout=60_000)        # the sign-in screen, not the page before
        assert _settled(page) == "Sign in"
        page.reload()
        page.get_by_label("User name").wait_for(timeout=60_000)
        assert _settled(page) == "Sign in"                             # signed out stays signed out
    finally:
        context.close()


def test_an_administrators_password_reset_ends_the_users_sessions(browser, own_server, own_url):
    context = browser.new_context()
    page = context.new_page()
    try:
        load(page, f"{own_server}/overview", user="reza")
        assert session_cookie(context, page)
        engine = make_engine(own_url)
        accounts.set_password(engine, SYSTEM_USER, "reza", "a brand new passphrase for reza")
        engine.dispose()
        page.reload()
        page.get_by_label("User name").wait_for(timeout=60_000)
        assert _settled(page) == "Sign in"
    finally:
        context.close()


def test_a_reload_keeps_a_persian_users_language(browser, own_server, own_url):
    engine = make_engine(own_url)
    accounts.set_language(engine, "leila", "fa")
    engine.dispose()
    context = browser.new_context()
    page = context.new_page()
    try:
        load(page, f"{own_server}/overview", user="leila")
        assert _settled(page) == "نمای کلی" and session_cookie(context, page)
        page.reload()
        assert _settled(page) == "نمای کلی"                  # resumed in her language, without an error
        assert page.locator("[data-testid='stException'], [data-testid='stAlertContentError']").count() == 0
    finally:
        context.close()

"""Through the running server: one attacking address does not slow or lock another address's sign-in
(issue #21 §2). Each browser context sends the X-Forwarded-For a reverse proxy on this host would set;
Streamlit's server (uvicorn, which believes X-Forwarded-For from 127.0.0.1 only) reports that client
address to the app, so each context is a different client behind the proxy."""

from __future__ import annotations

import time

import pytest

from data.demo.catalog import DEMO_PASSWORD
from tests.test_browser import serve, sign_in

ATTACKER, OFFICE = "203.0.113.9", "198.51.100.7"


@pytest.fixture()
def proxied_server(browser, own_url, tmp_path):
    with serve(own_url, tmp_path / "server.log") as url:
        yield url


def _client(browser, url: str, address: str):
    context = browser.new_context(extra_http_headers={"X-Forwarded-For": address})
    page = context.new_page()
    page.goto(url)
    page.get_by_label("User name").wait_for(timeout=90_000)
    return context, page


def _signed_in(page) -> bool:
    return page.get_by_role("button", name="Sign out").count() > 0


def test_an_attacker_behind_the_proxy_does_not_lock_out_another_client(browser, proxied_server):
    attacker, attack_page = _client(browser, proxied_server, ATTACKER)
    office, office_page = _client(browser, proxied_server, OFFICE)
    try:
        for guess in range(6):
            sign_in(attack_page, "admin", f"guess number {guess}")
            assert not _signed_in(attack_page)
        sign_in(attack_page, "admin", DEMO_PASSWORD)                 # locked for the attacker's address
        assert attack_page.get_by_text("Wrong user name or password").count() and not _signed_in(attack_page)
        started = time.monotonic()
        sign_in(office_page, "admin", DEMO_PASSWORD)                 # the administrator, from the office
        office_page.get_by_role("button", name="Sign out").wait_for(timeout=30_000)
        assert time.monotonic() - started < 15                       # not slowed by a delay of its own
    finally:
        attacker.close()
        office.close()

"""Two replicas behind nginx on one PostgreSQL database (issue #22 §2), as deploy/replicas.py runs them:
a comment written through one replica shows on the other's next rerun, the proxy answers the health
check and serves a signed-in page, and a replica killed with SIGKILL leaves new sessions to the other.

Needs nginx (``.ci/run`` installs it) besides PostgreSQL and Chromium: it is a browser test, so under
``REQUIRE_BROWSER=1`` a missing nginx fails instead of skipping.
"""

from __future__ import annotations

import socket
import time
import urllib.request
import uuid

import pytest

from data.bootstrap import prepare_database
from deploy.replicas import nginx_binary, nginx_config, running
from tests.conftest import skip_or_fail
from tests.test_browser import _idle, _title, load


def test_the_proxy_config_names_every_replica_and_keeps_a_browser_on_one(tmp_path):
    config = nginx_config(tmp_path, "127.0.0.1:8640", [8641, 8642, 8643])
    assert "{{" not in config and f"pid {tmp_path}/nginx.pid;" in config and "listen 127.0.0.1:8640;" in config
    assert [line.split()[1] for line in config.splitlines() if line.strip().startswith("server 127.")] == [
        "127.0.0.1:8641", "127.0.0.1:8642", "127.0.0.1:8643"]
    assert "hash $crm_route consistent;" in config                     # sticky on a cookie, not on the address
    assert not any(line.strip().startswith("ip_hash") for line in config.splitlines())
    for directive in ("proxy_set_header Upgrade $http_upgrade;", "proxy_set_header Connection $connection_upgrade;",
                      "proxy_set_header X-Forwarded-For $remote_addr;", "max_fails=1 fail_timeout=10s",
                      "proxy_next_upstream error timeout http_502 http_503;", "location = /_stcore/health"):
        assert directive in config, directive


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for probe in sockets:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in sockets]
    finally:
        for probe in sockets:
            probe.close()


@pytest.fixture()
def deployment(browser, new_postgres_database, tmp_path):
    if nginx_binary() is None:
        skip_or_fail("browser", "nginx is not installed")
    url = new_postgres_database()
    prepare_database(url).dispose()
    proxy_port, *replica_ports = _free_ports(3)
    with running(url, 2, proxy_port, replica_ports, tmp_path / "runtime") as started:
        yield started


def _replica_of(deployment, route: str) -> str:
    """The replica (host:port) the proxy sends a browser with the route cookie ``route`` to."""
    request = urllib.request.Request(f"{deployment.proxy}/_stcore/host-config", headers={"Cookie": f"crm_route={route}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200 and response.read()
    for _ in range(50):  # nginx logs a request once it has finished
        line = next((line for line in reversed(deployment.access_log()) if f"route={route} " in line), None)
        if line:
            return line.split("upstream=")[1].split()[0]
        time.sleep(0.05)
    raise AssertionError(f"no request with route {route} in the proxy's access log")


def _routes_to_each(deployment) -> dict[str, str]:
    """A route cookie value for each replica (host:port → value), found by asking the proxy."""
    routes: dict[str, str] = {}
    for _ in range(40):
        route = uuid.uuid4().hex
        routes.setdefault(_replica_of(deployment, route), route)
        if len(routes) == len(deployment.replicas):
            return routes
    raise AssertionError(f"the proxy sent 40 routes to {sorted(routes)} only")


def _proxied_context(browser, deployment, route: str):
    """A browser context that the proxy routes like a browser it once gave ``route``."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_cookies([{"name": "crm_route", "value": route, "url": deployment.proxy}])
    return context


def _add_comment(page, text: str) -> None:
    page.get_by_label("New comment").first.fill(text)
    page.get_by_role("button", name="Add comment").first.click()
    page.get_by_text(text).first.wait_for(timeout=30_000)
    _idle(page)


def _rerun(page, path: str) -> None:
    page.locator(f"[data-testid='stSidebarNavLink'][href$='/{path}']").click()
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=60_000)
    _idle(page)


def test_a_write_through_one_replica_shows_on_the_other_and_a_killed_replica_leaves_new_sessions_to_the_other(
        browser, deployment, artifacts):
    with urllib.request.urlopen(f"{deployment.proxy}/_stcore/health", timeout=10) as response:
        assert (response.status, response.read()) == (200, b"ok")
    a, b = (replica.removeprefix("http://") for replica in deployment.replicas)
    routes = _routes_to_each(deployment)

    through_proxy = _proxied_context(browser, deployment, routes[b])     # a signed-in page via nginx, on B
    on_a = browser.new_context(viewport={"width": 1400, "height": 1000})  # replica A's own port
    try:
        page_b = through_proxy.new_page()
        load(page_b, f"{deployment.proxy}/kpi", user="admin")
        assert _title(page_b) == "KPI detail"
        page_a = on_a.new_page()
        load(page_a, f"{deployment.replicas[0]}/kpi", user="admin")
        comment = f"Written through replica A {uuid.uuid4().hex[:6]}"
        _add_comment(page_a, comment)
        assert page_b.get_by_text(comment).count() == 0
        _rerun(page_b, "kpi")                                             # B's next rerun shows A's write
        page_b.get_by_text(comment).first.wait_for(timeout=10_000)
        page_b.get_by_text(comment).first.scroll_into_view_if_needed()
        page_b.screenshot(path=artifacts / "replica-b-sees-a-comment-written-on-a.png")
        served = [line for line in deployment.access_log() if f"route={routes[b]} " in line]
        assert any('"GET /kpi ' in line for line in served) and all(f"upstream={b} " in line for line in served)
    finally:
        on_a.close()
        through_proxy.close()

    deployment.kill(0)                                                    # SIGKILL replica A
    after_crash = _proxied_context(browser, deployment, routes[a])        # a new session that hashes to A
    try:
        page = after_crash.new_page()
        load(page, f"{deployment.proxy}/scorecard", user=None)
        assert _title(page) == "Sign in"
        assert any(f"upstream={a}, {b} " in line for line in deployment.access_log())  # tried A, served by B
    finally:
        after_crash.close()

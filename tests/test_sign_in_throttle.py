"""Sign-in throttling per account *and* source: one attacker's guesses never lock the administrator
out elsewhere, a source that keeps failing waits a growing delay, and a client cannot choose its
own source (X-Forwarded-For counts only from a trusted proxy). Issue #21, section 2."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from data import accounts, repository
from data.accounts import THROTTLED, WRONG, SignInRefused
from data.bootstrap import prepare_database
from data.demo.catalog import DEMO_SEGMENTS, DEMO_USERS
from data.throttle import client_source
from tests.conftest import new_database_url

PASSWORD = "the administrator's passphrase"
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
ATTACKER, OFFICE = "203.0.113.9", "198.51.100.7"


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request, tmp_path, monkeypatch):
    for name in ("CRM_LOCKOUT_ATTEMPTS", "CRM_LOCKOUT_MINUTES", "CRM_THROTTLE_FREE_ATTEMPTS"):
        monkeypatch.delenv(name, raising=False)
    engine = prepare_database(new_database_url(request, tmp_path), seed_demo=False)
    repository.create_scorecard(engine, DEMO_SEGMENTS, [], [], [u for u in DEMO_USERS if u["username"] != "admin"])
    accounts.create_admin(engine, "admin", PASSWORD)
    yield engine
    engine.dispose()


def _refused(engine, username, password, source, now) -> SignInRefused:
    with pytest.raises(SignInRefused) as refusal:
        accounts.authenticate(engine, username, password, demo_mode=False, source=source, now=now)
    return refusal.value


def test_guesses_from_one_address_never_lock_the_administrator_out_of_another(engine):
    for second in range(8):                                    # more than the 5 that lock admin for this source
        assert _refused(engine, "admin", f"guess {second}", ATTACKER, NOW + timedelta(seconds=second)).template == WRONG
    later = NOW + timedelta(seconds=10)
    assert accounts.authenticate(engine, "admin", PASSWORD, demo_mode=False, source=OFFICE, now=later).role == "admin"
    assert _refused(engine, "admin", PASSWORD, ATTACKER, later).template == WRONG      # locked there, right password


def test_a_source_that_keeps_failing_waits_a_growing_delay(engine):
    # 10 free failures (any names), then 1 s, 2 s, 4 s after the latest one: 2 ** (failures - 10) seconds.
    for second in range(10):
        _refused(engine, f"nobody{second}", "guess", ATTACKER, NOW + timedelta(seconds=second))
    last = NOW + timedelta(seconds=9)
    throttled = _refused(engine, "admin", PASSWORD, ATTACKER, last)
    assert (throttled.template, throttled.values) == (THROTTLED, {"seconds": 1})
    assert _refused(engine, "admin", "guess", ATTACKER, last + timedelta(seconds=1)).template == WRONG  # 11 failures
    assert _refused(engine, "admin", "guess", ATTACKER, last + timedelta(seconds=2)).values == {"seconds": 1}
    assert _refused(engine, "admin", "guess", ATTACKER, last + timedelta(seconds=3)).template == WRONG  # 12 failures
    assert _refused(engine, "admin", PASSWORD, ATTACKER, last + timedelta(seconds=4)).values == {"seconds": 3}
    # Another address is not slowed at all.
    assert accounts.authenticate(engine, "admin", PASSWORD, demo_mode=False, source=OFFICE, now=last)


def test_attempts_on_a_locked_account_count_for_the_source_but_do_not_extend_the_lock(engine):
    for second in range(5):
        _refused(engine, "admin", "guess", ATTACKER, NOW + timedelta(seconds=second))
    for minute in (1, 5, 10):                                   # hammering the lock
        assert _refused(engine, "admin", "guess", ATTACKER, NOW + timedelta(minutes=minute)).template == WRONG
    state = {a["username"]: a for a in accounts.accounts(engine, now=NOW + timedelta(minutes=11))}["admin"]
    assert state["failed_attempts"] == 5 and state["locked_until"] == NOW + timedelta(minutes=15, seconds=4)
    assert _refused(engine, "admin", PASSWORD, ATTACKER, NOW + timedelta(minutes=15, seconds=3)).template == WRONG
    # The lock ends 15 minutes after the fifth failure (at 4 s), not 15 minutes after the latest attempt.
    assert accounts.authenticate(engine, "admin", PASSWORD, demo_mode=False, source=ATTACKER,
                                 now=NOW + timedelta(minutes=15, seconds=5))


def test_an_unlock_clears_every_source(engine):
    for source in (ATTACKER, OFFICE):
        for second in range(5):
            _refused(engine, "admin", "guess", source, NOW + timedelta(seconds=second))
    accounts.unlock(engine, "system", "admin")
    for source in (ATTACKER, OFFICE):
        assert accounts.authenticate(engine, "admin", PASSWORD, demo_mode=False, source=source,
                                     now=NOW + timedelta(seconds=6))


def test_failures_are_audited_with_their_source_and_never_the_password(engine):
    _refused(engine, "admin", "my secret guess", ATTACKER, NOW)
    entry = repository.audit_log(engine).iloc[0]
    assert (entry["action"], entry["new"]["source"], entry["new"]["attempt"]) == ("sign-in failed", ATTACKER, 1)
    assert "secret" not in repository.audit_log(engine).to_json(default_handler=str)


@pytest.mark.parametrize("peer,forwarded,trusted,source", [
    ("203.0.113.9", "10.0.0.1", None, "203.0.113.9"),                  # no trusted proxy: the header is ignored
    ("203.0.113.9", "10.0.0.1", "127.0.0.1", "203.0.113.9"),           # the peer is not the proxy
    ("127.0.0.1", "198.51.100.7", "127.0.0.1", "198.51.100.7"),        # nginx on this host names the client
    ("127.0.0.1", "6.6.6.6, 198.51.100.7", "127.0.0.1", "198.51.100.7"),  # a forged first hop is not believed
    ("10.1.2.3", "198.51.100.7, 10.1.2.4", "10.1.0.0/16", "198.51.100.7"),  # two proxies in a trusted network
    ("127.0.0.1", "not an address", "127.0.0.1", "127.0.0.1"),
    ("127.0.0.1", None, "127.0.0.1", "127.0.0.1"),
    (None, "198.51.100.7", "127.0.0.1", "unknown"),
    ("::1", "2001:db8::5", "::1", "2001:db8::5"),
])
def test_the_source_is_the_peer_or_what_a_trusted_proxy_reports(peer, forwarded, trusted, source):
    assert client_source(peer, forwarded, trusted) == source

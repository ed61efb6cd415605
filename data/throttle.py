"""Sign-in throttling that an attacker cannot turn against anyone else.

Failures are counted per account *and source* (the client's address) over the last
``CRM_LOCKOUT_MINUTES``:

- an account is locked after ``CRM_LOCKOUT_ATTEMPTS`` failures **from that source only**: guessing
  the administrator's password from one address never keeps the administrator out from another;
- a source that fails often, whatever names it tries, waits a growing delay before its next
  attempt (after ``CRM_THROTTLE_FREE_ATTEMPTS`` failures: 1 s, 2 s, 4 s … up to the lock time).

The source is the peer address, or, when the peer is a trusted reverse proxy
(``CRM_TRUSTED_PROXIES``: addresses or networks, comma-separated), the client address that proxy
reports in ``X-Forwarded-For``. Without a trusted proxy the header is ignored: a client cannot
pick its own source.
"""

from __future__ import annotations

import ipaddress
import math
import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from data.models import SignInFailure

UNKNOWN_SOURCE = "unknown"


@dataclass(frozen=True)
class Limits:
    """How many failures are allowed before a lock (per account and source) or a delay (per source)."""

    attempts: int
    minutes: float
    free_per_source: int

    @property
    def window(self) -> timedelta:
        return timedelta(minutes=self.minutes)


def limits() -> Limits:
    """The limits from the environment (read at each sign-in, so tests and operators may change them)."""
    return Limits(int(os.environ.get("CRM_LOCKOUT_ATTEMPTS", "5")), float(os.environ.get("CRM_LOCKOUT_MINUTES", "15")),
                  int(os.environ.get("CRM_THROTTLE_FREE_ATTEMPTS", "10")))


def _networks(trusted: str | None) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(part.strip(), strict=False) for part in (trusted or "").split(",") if part.strip()]


def _address(text: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address((text or "").strip())
    except ValueError:
        return None


def client_source(peer: str | None, forwarded_for: str | None, trusted: str | None = None) -> str:
    """The address a sign-in comes from: the peer, or the client a trusted proxy names.

    ``forwarded_for`` is the ``X-Forwarded-For`` header ("client, proxy1, proxy2"); it is read
    from the right, skipping trusted proxies, and only when the peer itself is trusted.
    """
    networks = _networks(trusted if trusted is not None else os.environ.get("CRM_TRUSTED_PROXIES"))
    peer_address = _address(peer)
    if peer_address is None:
        return UNKNOWN_SOURCE
    if not any(peer_address in network for network in networks):
        return str(peer_address)
    for hop in reversed((forwarded_for or "").split(",")):
        address = _address(hop)
        if address is not None and not any(address in network for network in networks):
            return str(address)
    return str(peer_address)


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; every stored time is UTC."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment


def _count_and_last(session: Session, since: datetime, *conditions) -> tuple[int, datetime | None]:
    count, last = session.execute(select(func.count(), func.max(SignInFailure.at))
                                  .where(SignInFailure.at > since, *conditions)).one()
    return int(count), _aware(last) if last else None


def _lock_end(newest_first: list[datetime], rules: Limits) -> datetime | None:
    """End of the lock that ``attempts`` failures within one window start (at the last of them), if any."""
    recent = newest_first[:rules.attempts]
    if len(recent) < rules.attempts or recent[0] - recent[-1] > rules.window:
        return None
    return recent[0] + rules.window


def _pair_failures(session: Session, now: datetime, rules: Limits, *conditions) -> list[tuple[str, str, datetime]]:
    """(username, source, at) of the failures that may still hold a lock, newest first."""
    rows = session.execute(select(SignInFailure.username, SignInFailure.source, SignInFailure.at)
                           .where(SignInFailure.at > now - 2 * rules.window, SignInFailure.while_locked.is_(False),
                                  *conditions).order_by(SignInFailure.at.desc())).all()
    return [(username, source, _aware(at)) for username, source, at in rows]


def locked_until(session: Session, username: str, source: str, now: datetime, rules: Limits) -> datetime | None:
    """When the lock of ``username`` from ``source`` ends, or None when that source may try."""
    rows = _pair_failures(session, now, rules, SignInFailure.username == username, SignInFailure.source == source)
    end = _lock_end([at for _, _, at in rows], rules)
    return end if end and end > now else None


def source_wait(session: Session, source: str, now: datetime, rules: Limits) -> int:
    """Whole seconds ``source`` must still wait before its next attempt (0: it may try now)."""
    count, last = _count_and_last(session, now - rules.window, SignInFailure.source == source)
    if count < rules.free_per_source or last is None:
        return 0
    delay = min(2.0 ** (count - rules.free_per_source), rules.window.total_seconds())
    return max(0, math.ceil((last + timedelta(seconds=delay) - now).total_seconds()))


def record_failure(session: Session, username: str, source: str, now: datetime, rules: Limits, *,
                   while_locked: bool = False) -> int:
    """Store one failure (forgetting those too old to matter); the account's failures from this source.

    An attempt on an account locked for this source counts towards the source's delay only: it
    does not extend the lock.
    """
    username, source = username[:80], source[:64]
    session.execute(delete(SignInFailure).where(SignInFailure.at <= now - 2 * rules.window))
    session.add(SignInFailure(username=username, source=source, at=now, while_locked=while_locked))
    session.flush()
    return _count_and_last(session, now - rules.window, SignInFailure.username == username,
                           SignInFailure.source == source)[0]


def forget_failures(session: Session, username: str, source: str | None = None) -> None:
    """Clear an account's failures: from one source (a successful sign-in) or all (an unlock or reset)."""
    condition = [SignInFailure.source == source] if source is not None else []
    session.execute(delete(SignInFailure).where(SignInFailure.username == username, *condition))


def account_state(session: Session, now: datetime, rules: Limits) -> dict[str, tuple[int, datetime | None]]:
    """Per user name: failures within the window (all sources) and when its latest source lock ends."""
    pairs: dict[tuple[str, str], list[datetime]] = {}
    for username, source, at in _pair_failures(session, now, rules):
        pairs.setdefault((username, source), []).append(at)
    state: dict[str, tuple[int, datetime | None]] = {}
    for (username, _source), times in pairs.items():
        count, lock = state.get(username, (0, None))
        end = _lock_end(times, rules)
        state[username] = (count + sum(at > now - rules.window for at in times),
                           max(filter(None, (lock, end if end and end > now else None)), default=None))
    return state

"""Sign-in sessions that survive a reload: random, expiring, revocable on the server.

A sign-in on the page creates a session row holding a one-time *hand-over* code (good for
:data:`HANDOVER_SECONDS`). The page's script posts that code to the app's own route
(``app.py``), which claims it once, draws the session token and sets it as an HttpOnly,
SameSite=Strict cookie; the next page load reads the cookie and finds the account here. The
database keeps only SHA-256 hashes of the code and the token (a stolen backup signs nobody in),
nothing secret goes in a URL, and a session ends when it expires (``CRM_SESSION_HOURS``, 12 by
default), when its user signs out, or when an administrator resets the user's password or changes
their role.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from data.models import User, UserSession

HANDOVER_SECONDS = 60
COOKIE = "crm_session"


def session_hours() -> float:
    """How long a session lasts: ``CRM_SESSION_HOURS`` (default 12)."""
    return float(os.environ.get("CRM_SESSION_HOURS", "12"))


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class Handover:
    """A new session's id (to end it on sign-out) and its one-time hand-over code (for the page's script)."""

    session_id: int
    code: str


def start(engine: Engine, username: str, *, now: datetime | None = None) -> Handover:
    """Open a session for ``username``, who has just signed in."""
    now, code = now or _now(), secrets.token_urlsafe(32)
    with Session(engine) as session, session.begin():
        row = UserSession(username=username, handover_hash=_digest(code), created_at=now,
                          expires_at=now + timedelta(hours=session_hours()))
        session.add(row)
        session.flush()
        return Handover(row.id, code)


def claim(engine: Engine, code: str, *, now: datetime | None = None) -> str | None:
    """Exchange a fresh hand-over code for the session's token (once); None for an unknown, used or old code."""
    now, token = now or _now(), secrets.token_urlsafe(32)
    with Session(engine) as session, session.begin():
        row = session.scalar(select(UserSession).where(UserSession.handover_hash == _digest(code or "")))
        if row is None or row.revoked_at is not None or now - _aware(row.created_at) > timedelta(seconds=HANDOVER_SECONDS):
            return None
        row.handover_hash, row.token_hash = None, _digest(token)
    return token


def open_session(engine: Engine, token: str | None, *, now: datetime | None = None) -> tuple[int, str] | None:
    """The session id and user name a token signs in while its session is open; None otherwise."""
    if not isinstance(token, str) or not token:
        return None
    now = now or _now()
    with Session(engine) as session:
        row = session.scalar(select(UserSession).where(UserSession.token_hash == _digest(token)))
    if row is None or row.revoked_at is not None or _aware(row.expires_at) <= now:
        return None
    return row.id, row.username


def end(engine: Engine, *, session_id: int | None = None, token: str | None = None) -> None:
    """End one session, named by its id or its token (its user signed out)."""
    if session_id is None and not token:
        return
    chosen = UserSession.id == session_id if session_id is not None else UserSession.token_hash == _digest(token)
    with Session(engine) as session, session.begin():
        session.execute(update(UserSession).where(chosen, UserSession.revoked_at.is_(None)).values(revoked_at=_now()))


def end_all(session: Session, username: str) -> None:
    """End every open session of ``username`` inside the caller's write (password reset, role change, unlock)."""
    session.execute(update(UserSession).where(UserSession.username == username, UserSession.revoked_at.is_(None))
                    .values(revoked_at=_now()))


__all__ = ["COOKIE", "HANDOVER_SECONDS", "Handover", "claim", "end", "end_all", "open_session", "session_hours", "start"]

"""Local accounts: argon2 password hashes, sign-in with lockout, user administration, OIDC mapping.

Every change goes through :func:`data.writes.write_session` (permission ``users.edit``, one
transaction, audit). A password is never stored, logged or audited: only its argon2 hash is
stored, and the audit log shows a changed hash as ``(hidden)``. A failed sign-in is audited
(``sign-in failed``, with the attempt count), never with the password that was tried.

Failures are throttled per account and source (data/throttle.py): after ``CRM_LOCKOUT_ATTEMPTS``
failures from one address the account is locked for ``CRM_LOCKOUT_MINUTES`` *for that address*,
and an address that keeps failing waits a growing delay; an administrator (or the host's operator,
``python -m scorecard unlock``) may unlock sooner.
Demo accounts (``User.demo``) sign in only while the app runs in demo mode.
"""

from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from data.demo.catalog import DEMO_PASSWORD
from data.models import User
from data.roles import check_role
from data import sessions, throttle
from data.throttle import UNKNOWN_SOURCE
from data.writes import SYSTEM_USER, write_session
from data.passwords import check_password
from errors import DomainError, MessageError

log = logging.getLogger(__name__)

LANGUAGES = ("en", "fa")
ADMIN_USERNAME = "admin"
USERS = "users.edit"
# OWASP's minimum for argon2id (19 MiB, 2 passes, 1 lane): 50 sign-ins within 25 s stay under 1 s at p95 on
# 2 cores, where argon2-cffi's defaults (64 MiB, t=3, 4 lanes) took 0.7 s each. Older hashes are redone
# with these on the next sign-in (:func:`authenticate`).
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_NO_USER_HASH = _hasher.hash(secrets.token_hex(16))  # verified against for unknown names: same time taken


WRONG = ("Wrong user name or password. After {attempts} failed attempts in a row from one address an account is "
         "locked there for {minutes} minutes; an administrator can unlock it sooner.")
"""The one refusal for a wrong password, an unknown name and a locked account: it tells an attacker nothing."""
THROTTLED = "Too many failed sign-ins from your address. Try again in {seconds} seconds."
"""A source's growing delay: the same answer whichever name was tried, so it reveals no account."""
NOT_A_USER = "{email} is not a user of this dashboard; ask an administrator to add you."


class SignInRefused(MessageError):
    """A sign-in that did not succeed: one of the messages above (a template the UI translates) and its values."""

    @property
    def values(self) -> dict[str, object]:
        return self.params


@dataclass(frozen=True)
class Account:
    """A signed-in user: what the app needs to know about them (never the hash)."""

    username: str
    display_name: str
    role: str
    language: str | None


def _now() -> datetime:
    return datetime.now(timezone.utc)


def hash_password(password: str) -> str:
    """The argon2 hash of a password that meets the password rule (data/passwords.py)."""
    check_password(password)
    return _hasher.hash(password)


def _verify(stored: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored or _NO_USER_HASH, password or "") and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def _account(user: User) -> Account:
    return Account(user.username, user.display_name, user.role, user.language)


def _refused(rules: throttle.Limits) -> SignInRefused:
    return SignInRefused(WRONG, attempts=rules.attempts, minutes=f"{rules.minutes:g}")


def _record_failure(engine: Engine, username: str, source: str, now: datetime, rules: throttle.Limits,
                    reason: str) -> None:
    """Count a failure of ``username`` from ``source`` and audit it (never with the password tried)."""
    with write_session(engine, SYSTEM_USER, USERS, audit_as=username[:80]) as writer:
        attempt = throttle.record_failure(writer.session, username, source, now, rules,
                                          while_locked=reason == "locked")
        writer.note("sign-in failed", User, {"username": username[:80], "source": source, "attempt": attempt,
                                              "reason": reason})


def _record_success(engine: Engine, user: User, source: str, password: str) -> None:
    """Forget the source's failures, audit the sign-in, and redo a hash made with older argon2 settings."""
    rehash = _hasher.check_needs_rehash(user.password_hash)
    with write_session(engine, SYSTEM_USER, USERS, audit_as=user.username) as writer:
        throttle.forget_failures(writer.session, user.username, source)
        if rehash:
            writer.session.execute(update(User).where(User.id == user.id).values(password_hash=_hasher.hash(password)))
        writer.note("sign-in", User, {"username": user.username, "source": source, "rehashed": rehash})


def _why_not(session: Session, user: User | None, username: str, source: str, now: datetime,
             rules: throttle.Limits, demo_mode: bool) -> str | None:
    """Why this attempt fails whatever the password (audited reason), or None when the password decides."""
    if user is None:
        return "unknown user"
    if user.demo and not demo_mode:
        return "demo account outside demo mode"
    if throttle.locked_until(session, username, source, now, rules):
        return "locked"
    return None


def authenticate(engine: Engine, username: str, password: str, *, demo_mode: bool, now: datetime | None = None,
                 source: str = UNKNOWN_SOURCE) -> Account:
    """The account for a correct user name and password, or :class:`SignInRefused` saying why not.

    ``source`` is where the attempt comes from (:func:`data.throttle.client_source`). A source
    that must wait is told so before any password check; otherwise a wrong password, an unknown
    name and a locked account get one answer after one password check each.
    """
    now, rules = now or _now(), throttle.limits()
    username = (username or "").strip()
    with Session(engine) as session:
        wait = throttle.source_wait(session, source, now, rules)
        user = session.scalar(select(User).where(User.username == username))
        reason = _why_not(session, user, username, source, now, rules, demo_mode)
    if wait:
        raise SignInRefused(THROTTLED, seconds=wait)
    ok = _verify(user.password_hash if user else None, password) and reason is None
    if not ok:
        _record_failure(engine, username, source, now, rules, reason or "wrong password")
        raise _refused(rules)
    _record_success(engine, user, source, password)
    return _account(user)


def account_for_email(engine: Engine, email: str) -> Account:
    """The account of an e-mail address signed in through OIDC; unknown addresses are refused.

    An administrator adds the person first (admin screen, with their e-mail address) and so
    chooses their role; nobody gets in just because the identity provider knows them.
    """
    address = (email or "").strip().lower()
    with Session(engine) as session:
        user = session.scalar(select(User).where(func.lower(User.email) == address)) if address else None
    if user is None:
        raise SignInRefused(NOT_A_USER, email=email or "?")
    return _account(user)


def account_for_session(engine: Engine, token: str | None, *, demo_mode: bool) -> tuple[int, Account] | None:
    """The session id and account an open session (its cookie's token) signs in; None for no, an ended or an
    expired session, a deleted user, or a demo account outside demo mode."""
    found = sessions.open_session(engine, token)
    if found is None:
        return None
    with Session(engine) as session:
        user = session.scalar(select(User).where(User.username == found[1]))
    if user is None or (user.demo and not demo_mode):
        return None
    return found[0], _account(user)


def _user_id(session: Session, username: str) -> int:
    user_id = session.scalar(select(User.id).where(User.username == username))
    if user_id is None:
        raise DomainError("No user named {username!r}.", username=username)
    return user_id


def create_user(engine: Engine, acting: str, *, username: str, display_name: str, role: str,
                password: str | None = None, email: str | None = None, language: str | None = None) -> int:
    """Add a user (a password for local sign-in, an e-mail address for OIDC); returns its id."""
    username, display_name = (username or "").strip(), (display_name or "").strip()
    if not username or not display_name:
        raise DomainError("A user needs a user name and a display name.")
    if username == SYSTEM_USER:
        raise DomainError("The user name {username!r} is reserved.", username=SYSTEM_USER)
    values = {"username": username, "display_name": display_name, "role": check_role(role),
              "email": (email or "").strip().lower() or None, "language": _language(language),
              "password_hash": hash_password(password) if password else None}
    with write_session(engine, acting, USERS) as writer:
        if writer.session.scalar(select(User.id).where(User.username == username)):
            raise DomainError("There is already a user named {username!r}.", username=username)
        return writer.create(User, values).id


def set_password(engine: Engine, acting: str, username: str, password: str) -> None:
    """Reset a user's password, unlock them from every address and end their open sessions."""
    values = {"password_hash": hash_password(password)}
    with write_session(engine, acting, USERS) as writer:
        writer.update(User, _user_id(writer.session, username), values)
        throttle.forget_failures(writer.session, username)
        sessions.end_all(writer.session, username)


def set_role(engine: Engine, acting: str, username: str, role: str) -> None:
    """Give a user another role (their open sessions end: they sign in again as it); the last administrator keeps theirs."""
    check_role(role)
    with write_session(engine, acting, USERS) as writer:
        user = writer.session.get(User, _user_id(writer.session, username))
        admins = writer.session.scalar(select(func.count()).select_from(User).where(User.role == "admin"))
        if user.role == "admin" and role != "admin" and admins == 1:
            raise DomainError("This is the only administrator: make someone else an administrator first.")
        writer.update(User, user.id, {"role": role})
        sessions.end_all(writer.session, username)


def unlock(engine: Engine, acting: str, username: str) -> None:
    """Lift the lockouts of an account (from every address) and forget its failed attempts."""
    with write_session(engine, acting, USERS) as writer:
        _user_id(writer.session, username)
        throttle.forget_failures(writer.session, username)
        writer.note("unlock", User, {"username": username})


def _language(language: str | None) -> str | None:
    if language is not None and language not in LANGUAGES:
        raise DomainError("Unknown language {language!r}; choose one of {languages}.", language=language,
                          languages=list(LANGUAGES))
    return language


def set_language(engine: Engine, username: str, language: str) -> None:
    """Remember a user's own choice of language for their next sign-in."""
    with write_session(engine, username, "profile.edit") as writer:
        writer.update(User, _user_id(writer.session, username), {"language": _language(language)})


def accounts(engine: Engine, now: datetime | None = None) -> list[dict]:
    """Every user as the admin screen lists them: no hash, whether they have a password, lock state."""
    now = now or _now()
    with Session(engine) as session:
        users = session.scalars(select(User).order_by(User.id)).all()
        failures = throttle.account_state(session, now, throttle.limits())
    return [{"username": u.username, "display_name": u.display_name, "role": u.role, "email": u.email,
             "language": u.language, "demo": u.demo, "has_password": u.password_hash is not None,
             "failed_attempts": failures.get(u.username, (0, None))[0],
             "locked_until": failures.get(u.username, (0, None))[1]} for u in users]


def prepare_accounts(engine: Engine, *, demo_mode: bool) -> None:
    """First start: demo accounts get the demo password (demo mode); outside it, no default password.

    Outside demo mode the first administrator comes from ``python -m scorecard create-admin USER``
    or, when ``CRM_ADMIN_PASSWORD`` is set and no administrator can sign in yet, is created as
    ``admin`` with that password.
    """
    with Session(engine) as session:
        demo_without_password = session.scalars(select(User.username).where(
            User.demo.is_(True), User.password_hash.is_(None))).all()
        real_admin = session.scalar(select(User.id).where(
            User.role == "admin", User.demo.is_(False), User.password_hash.is_not(None)).limit(1))
    if demo_mode:
        if demo_without_password:
            demo_hash = _hasher.hash(DEMO_PASSWORD)  # the demo's short, public password skips the length rule
            with write_session(engine, SYSTEM_USER, USERS) as writer:
                for name in demo_without_password:
                    writer.update(User, _user_id(writer.session, name), {"password_hash": demo_hash})
        return
    if real_admin is not None:
        return
    if os.environ.get("CRM_ADMIN_PASSWORD"):
        create_admin(engine, ADMIN_USERNAME, os.environ["CRM_ADMIN_PASSWORD"])
        log.warning("Created the administrator %r with the password from CRM_ADMIN_PASSWORD.", ADMIN_USERNAME)
    else:
        log.warning("No administrator can sign in yet: run `python -m scorecard create-admin USER` on the host.")


def has_administrator(engine: Engine, *, demo_mode: bool) -> bool:
    """Whether any administrator can sign in (outside demo mode, a demo account cannot)."""
    condition = [User.demo.is_(False)] if not demo_mode else []
    with Session(engine) as session:
        return session.scalar(select(User.id).where(User.role == "admin", User.password_hash.is_not(None),
                                                    *condition).limit(1)) is not None


def create_admin(engine: Engine, username: str, password: str, display_name: str = "Administrator") -> None:
    """The host operator's way to the first administrator: a real (not demo) admin with this password.

    A demo account of the same name is taken over (it stops being a demo account); any other
    existing user of that name is refused, so the command never changes someone's role by surprise.
    """
    username = (username or "").strip()
    if not username or username == SYSTEM_USER:
        raise DomainError("The user name {username!r} is reserved.", username=username or "")
    values = {"display_name": display_name, "role": "admin", "demo": False, "password_hash": hash_password(password)}
    with write_session(engine, SYSTEM_USER, USERS) as writer:
        existing = writer.session.scalar(select(User).where(User.username == username))
        if existing is None:
            writer.create(User, {"username": username, **values})
        elif existing.demo:
            writer.update(User, existing.id, values)
            throttle.forget_failures(writer.session, username)
        else:
            raise DomainError("There is already a user named {username!r}.", username=username)

"""Local accounts: argon2 password hashes, sign-in with lockout, user administration, OIDC mapping.

Every change goes through :func:`data.writes.write_session` (permission ``users.edit``, one
transaction, audit). A password is never stored, logged or audited: only its argon2 hash is
stored, and the audit log shows a changed hash as ``(hidden)``. A failed sign-in is audited
(``sign-in failed``, with the attempt count), never with the password that was tried.

After :data:`MAX_ATTEMPTS` failures in a row an account is locked for :data:`LOCK_MINUTES`
(environment ``CRM_LOCKOUT_ATTEMPTS`` and ``CRM_LOCKOUT_MINUTES``); an administrator may unlock it.
Demo accounts (``User.demo``) sign in only while the app runs in demo mode.
"""

from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from data.demo.catalog import DEMO_PASSWORD
from data.models import User
from data.roles import check_role
from data.writes import SYSTEM_USER, write_session
from data.passwords import check_password
from errors import DomainError, MessageError

log = logging.getLogger(__name__)

MAX_ATTEMPTS = int(os.environ.get("CRM_LOCKOUT_ATTEMPTS", "5"))
LOCK_MINUTES = float(os.environ.get("CRM_LOCKOUT_MINUTES", "15"))
LANGUAGES = ("en", "fa")
ADMIN_USERNAME = "admin"
USERS = "users.edit"
_hasher = PasswordHasher()
_NO_USER_HASH = _hasher.hash(secrets.token_hex(16))  # verified against for unknown names: same time taken


WRONG = ("Wrong user name or password. After {attempts} failed attempts in a row an account is locked for "
         "{minutes} minutes; an administrator can unlock it sooner.")
"""The one refusal for a wrong password, an unknown name and a locked account: it tells an attacker nothing."""
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


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes; every stored time is UTC."""
    return moment.replace(tzinfo=timezone.utc) if moment and moment.tzinfo is None else moment


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


def _record_attempt(engine: Engine, user: User, ok: bool, now: datetime) -> None:
    """Count a failure (locking at the limit) or reset the count after a success; audited either way."""
    with write_session(engine, SYSTEM_USER, USERS, audit_as=user.username) as writer:
        if ok:
            writer.update(User, user.id, {"failed_attempts": 0, "locked_until": None})
            writer.note("sign-in", User, {"username": user.username})
            return
        # Counted in the database (taking the row's write lock), so parallel attempts cannot undercount.
        writer.session.execute(update(User).where(User.id == user.id)
                               .values(failed_attempts=User.failed_attempts + 1))
        attempts = writer.session.scalar(select(User.failed_attempts).where(User.id == user.id))
        locked = now + timedelta(minutes=LOCK_MINUTES) if attempts >= MAX_ATTEMPTS else None
        if locked:
            writer.update(User, user.id, {"failed_attempts": 0, "locked_until": locked})
        writer.note("sign-in failed", User, {"username": user.username, "attempt": attempts,
                                              "locked_until": locked.isoformat() if locked else None})


def _record_refusal(engine: Engine, username: str, reason: str) -> None:
    with write_session(engine, SYSTEM_USER, USERS, audit_as=username[:80]) as writer:
        writer.note("sign-in failed", User, {"username": username[:80], "reason": reason})


def authenticate(engine: Engine, username: str, password: str, *, demo_mode: bool, now: datetime | None = None
                 ) -> Account:
    """The account for a correct user name and password, or :class:`SignInRefused` saying why not."""
    now = now or _now()
    username = (username or "").strip()
    with Session(engine) as session:
        user = session.scalar(select(User).where(User.username == username))
    refused = SignInRefused(WRONG, attempts=MAX_ATTEMPTS, minutes=f"{LOCK_MINUTES:g}")
    if user is None or (user.demo and not demo_mode):
        _verify(None, password)  # every refusal costs one password check: the time tells nothing either
        _record_refusal(engine, username, "demo account outside demo mode" if user else "unknown user")
        raise refused
    locked_until = _aware(user.locked_until)
    if locked_until and locked_until > now:
        _verify(user.password_hash, password)
        _record_refusal(engine, username, "locked")
        raise refused
    ok = _verify(user.password_hash, password)
    _record_attempt(engine, user, ok, now)
    if not ok:
        raise refused
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
    """Reset a user's password (and unlock them)."""
    values = {"password_hash": hash_password(password), "failed_attempts": 0, "locked_until": None}
    with write_session(engine, acting, USERS) as writer:
        writer.update(User, _user_id(writer.session, username), values)


def set_role(engine: Engine, acting: str, username: str, role: str) -> None:
    """Give a user another role; the last administrator keeps theirs."""
    check_role(role)
    with write_session(engine, acting, USERS) as writer:
        user = writer.session.get(User, _user_id(writer.session, username))
        admins = writer.session.scalar(select(func.count()).select_from(User).where(User.role == "admin"))
        if user.role == "admin" and role != "admin" and admins == 1:
            raise DomainError("This is the only administrator: make someone else an administrator first.")
        writer.update(User, user.id, {"role": role})


def unlock(engine: Engine, acting: str, username: str) -> None:
    """Lift a lockout and forget the failed attempts."""
    with write_session(engine, acting, USERS) as writer:
        writer.update(User, _user_id(writer.session, username), {"failed_attempts": 0, "locked_until": None})


def _language(language: str | None) -> str | None:
    if language is not None and language not in LANGUAGES:
        raise DomainError("Unknown language {language!r}; choose one of {languages}.", language=language,
                          languages=list(LANGUAGES))
    return language


def set_language(engine: Engine, username: str, language: str) -> None:
    """Remember a user's own choice of language for their next sign-in."""
    with write_session(engine, username, "profile.edit") as writer:
        writer.update(User, _user_id(writer.session, username), {"language": _language(language)})


def accounts(engine: Engine) -> list[dict]:
    """Every user as the admin screen lists them: no hash, whether they have a password, lock state."""
    with Session(engine) as session:
        users = session.scalars(select(User).order_by(User.id)).all()
    now = _now()
    return [{"username": u.username, "display_name": u.display_name, "role": u.role, "email": u.email,
             "language": u.language, "demo": u.demo, "has_password": u.password_hash is not None,
             "failed_attempts": u.failed_attempts,
             "locked_until": u.locked_until if (_aware(u.locked_until) or now) > now else None} for u in users]


def prepare_accounts(engine: Engine, *, demo_mode: bool) -> None:
    """First start: demo accounts get the demo password (demo mode); otherwise make sure an admin can sign in.

    Outside demo mode, when no administrator other than a demo account can sign in, the user
    ``admin`` is created (or taken over from the demo) with the password in ``CRM_ADMIN_PASSWORD``,
    or a generated one printed once in the log.
    """
    with Session(engine) as session:
        demo_without_password = session.scalars(select(User.username).where(
            User.demo.is_(True), User.password_hash.is_(None))).all()
        real_admin = session.scalar(select(User.id).where(
            User.role == "admin", User.demo.is_(False), User.password_hash.is_not(None)).limit(1))
        existing = session.scalar(select(User.id).where(User.username == ADMIN_USERNAME))
    if demo_mode:
        if demo_without_password:
            demo_hash = _hasher.hash(DEMO_PASSWORD)  # the demo's short, public password skips the length rule
            with write_session(engine, SYSTEM_USER, USERS) as writer:
                for name in demo_without_password:
                    writer.update(User, _user_id(writer.session, name), {"password_hash": demo_hash})
        return
    if real_admin is not None:
        return
    password = os.environ.get("CRM_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
    values = {"display_name": "Administrator", "role": "admin", "demo": False, "password_hash": hash_password(password),
              "failed_attempts": 0, "locked_until": None}
    with write_session(engine, SYSTEM_USER, USERS) as writer:
        if existing is None:
            writer.create(User, {"username": ADMIN_USERNAME, **values})
        else:
            writer.update(User, existing, values)
    if os.environ.get("CRM_ADMIN_PASSWORD"):
        log.warning("Created the administrator %r with the password from CRM_ADMIN_PASSWORD.", ADMIN_USERNAME)
    else:
        log.warning("Created the administrator %r with the one-time password %s (shown only now: sign in and "
                    "change it on the Users screen).", ADMIN_USERNAME, password)

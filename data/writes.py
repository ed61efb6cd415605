"""The one write path: permission check, one transaction, an audit entry per change.

Use it as::

    with write_session(engine, "sara", "scorecard.edit") as writer:
        writer.update(Kpi, kpi_id, {"weight": 2.0}, version=loaded_version)

Either every change in the block is saved with its audit entries, or (on any error) none is.
A refusal (the role lacks the permission, or a rule of the write refuses this user) raises
:class:`PermissionDenied` naming the user, their role and what was refused, and is audited as
``refused`` in a transaction of its own. A save based on an outdated row (someone saved it in
between) raises :class:`StaleEdit` naming who changed it and when.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, inspect, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from data.db import DatabaseBusy, is_busy
from data.models import AuditLog, Base, User
from data.roles import PERMISSIONS, ROLES, allows
from errors import DomainError, Message, MessageError

SYSTEM_USER = "system"
SYSTEM_NAME = "System (command line, demo data, sign-in)"
SECRET_FIELDS = frozenset({"password_hash"})
HIDDEN = "(hidden)"


class PermissionDenied(MessageError, PermissionError):
    """The acting user may not make this change; the refusal is in the audit log."""


class StaleEdit(DomainError):
    """The row changed after the user loaded it: they must reload before saving again."""


@dataclass(frozen=True)
class Actor:
    """Who is writing: user name, display name and role (``None`` for an unknown user)."""

    username: str
    display_name: str
    role: str | None

    def describe(self) -> Message:
        """The actor as a refusal names them."""
        if self.role is None:
            return Message("Unknown user {username!r}", username=self.username)
        return Message("{user} (role: {role})", user=self.display_name, role=ROLES.get(self.role, self.role))


def actor(engine: Engine, username: str) -> Actor:
    """The actor behind a user name (the system user acts as an administrator)."""
    if username == SYSTEM_USER:
        return Actor(SYSTEM_USER, SYSTEM_NAME, "admin")
    with Session(engine) as session:
        row = session.execute(select(User.display_name, User.role).where(User.username == username)).first()
    return Actor(username, row.display_name, row.role) if row else Actor(username, username, None)


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a column value for the audit log."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _snapshot(row: Base, fields) -> dict[str, Any]:
    return {name: HIDDEN if name in SECRET_FIELDS else _plain(getattr(row, name)) for name in fields}


def _columns(model: type[Base]) -> list[str]:
    return [column.key for column in inspect(model).column_attrs]


def _versioned(model: type[Base]) -> bool:
    return inspect(model).version_id_col is not None


def last_change(engine: Engine, entity: str, key: Any) -> tuple[str, datetime | None]:
    """Who last changed a row (display name) and when, from the audit log."""
    with Session(engine) as session:
        entry = session.execute(
            select(AuditLog.username, AuditLog.at)
            .where(AuditLog.entity == entity, AuditLog.entity_id == str(key),
                   AuditLog.action.in_(("create", "update", "delete")))
            .order_by(AuditLog.id.desc()).limit(1)).first()
    if entry is None:
        return "someone", None
    return actor(engine, entry.username).display_name, entry.at


def stale_edit(engine: Engine, model: type[Base], key: Any) -> StaleEdit:
    """The refusal of a save based on an outdated row: "changed by X at T, reload"."""
    who, when = last_change(engine, model.__tablename__, key)
    if when is None:
        return StaleEdit("This {table} (id {key}) was changed by {user} after you loaded it. Nothing was saved: "
                         "reload the page to see the change, then edit again.", table=model.__tablename__, key=key,
                         user=who)
    return StaleEdit("This {table} (id {key}) was changed by {user} at {when:%Y-%m-%d %H:%M} UTC after you loaded it. "
                     "Nothing was saved: reload the page to see the change, then edit again.", table=model.__tablename__,
                     key=key, user=who, when=when)


class Writer:
    """Makes changes inside an open transaction and records each in the audit log."""

    def __init__(self, session: Session, username: str, role: str | None = None) -> None:
        self.session = session
        self.username = username
        self.role = role

    @property
    def is_admin(self) -> bool:
        """Whether the writer acts as an administrator (who may override the row rules)."""
        return self.role == "admin"

    def _audit(self, action: str, model: type[Base], key: Any, old, new) -> None:
        self.session.add(AuditLog(username=self.username, action=action, entity=model.__tablename__,
                                  entity_id=None if key is None else str(key), old=old, new=new))

    def _row(self, model: type[Base], key: Any, version: int | None) -> Base:
        row = self.session.get(model, key)
        if row is None:
            raise DomainError("No {table} with id {key}", table=model.__tablename__, key=key)
        if version is not None and _versioned(model) and row.version != version:
            raise stale_edit(self.session.get_bind(), model, key)
        return row

    def _flush(self, model: type[Base], key: Any) -> None:
        """Write pending changes now; a row saved meanwhile by another transaction is a stale edit."""
        try:
            self.session.flush()
        except StaleDataError as exc:
            raise stale_edit(self.session.get_bind(), model, key) from exc

    def create(self, model: type[Base], values: dict[str, Any], *, audit: bool = True) -> Base:
        """Insert a row and return it (with its id).

        ``audit=False``: the caller records the change in one summary entry of its own (:meth:`note`).
        """
        unknown = set(values) - set(_columns(model))
        if unknown:
            raise DomainError("{table} has no field(s) {fields}", table=model.__tablename__, fields=sorted(unknown))
        row = model(**values)
        self.session.add(row)
        self.session.flush()
        if audit:
            self._audit("create", model, inspect(row).identity[0], None, _snapshot(row, values))
        return row

    def update(self, model: type[Base], key: Any, values: dict[str, Any], *, version: int | None = None,
               audit: bool = True) -> Base:
        """Change fields of one row; only fields whose value changes are audited.

        ``version``: the row's version when the user loaded it; a newer row refuses the save.
        ``audit=False``: the caller records the change in one summary entry of its own (:meth:`note`).
        """
        row = self._row(model, key, version)
        changed = {name: value for name, value in values.items() if getattr(row, name) != value}
        if changed:
            old = _snapshot(row, changed)
            for name, value in changed.items():
                setattr(row, name, value)
            self._flush(model, key)
            if audit:
                self._audit("update", model, key, old, _snapshot(row, changed))
        return row

    def delete(self, model: type[Base], key: Any, *, version: int | None = None) -> None:
        """Delete one row, keeping its last values in the audit log."""
        row = self._row(model, key, version)
        self._audit("delete", model, key, _snapshot(row, _columns(model)), None)
        self.session.delete(row)
        self._flush(model, key)

    def note(self, action: str, model: type[Base], summary: dict[str, Any], old: Any = None) -> None:
        """Record a bulk operation (an import, a recompute) as one audit entry; ``old``: what it overwrote."""
        self._audit(action, model, None, old, summary)


def _refused(engine: Engine, who: Actor, permission: str, reason: Message | None) -> PermissionDenied:
    """The refusal's error, after recording it in the audit log in a transaction of its own."""
    what = PERMISSIONS.get(permission, permission)
    if reason is None:
        refusal = PermissionDenied("{actor} may not {permission}.", actor=who.describe(), permission=what)
    else:
        refusal = PermissionDenied("{actor} may not {permission}: {reason}", actor=who.describe(), permission=what,
                                   reason=reason)
    with Session(engine) as session, session.begin():
        session.add(AuditLog(username=who.username, action="refused", entity=permission[:60], entity_id=None,
                             old=None, new={"refused": str(refusal)}))
    return refusal


@contextmanager
def write_session(engine: Engine, username: str, permission: str, *, audit_as: str | None = None) -> Iterator[Writer]:
    """Check the permission, then yield a :class:`Writer` inside one transaction.

    ``audit_as`` records the changes under another name than the permission's holder (the
    system user records a sign-in attempt under the name that was tried).

    A write that waits too long for another to finish (SQLite's lock, PostgreSQL's lock timeout)
    raises :class:`data.db.DatabaseBusy` ("busy, try again in a moment"), never a raw driver error.
    """
    try:
        who = actor(engine, username)
        if not allows(who.role, permission):
            raise _refused(engine, who, permission, None)
        try:
            with Session(engine, expire_on_commit=False) as session, session.begin():
                yield Writer(session, audit_as or username, who.role)
        except PermissionDenied as exc:  # a rule of the write itself (author, belt, champion) refused
            raise _refused(engine, who, permission, exc.message) from None
    except OperationalError as exc:
        if is_busy(exc):
            raise DatabaseBusy("The database is busy with another change; try again in a moment.") from None
        raise

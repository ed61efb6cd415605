"""The one write path: permission check, one transaction, an audit entry per change.

Use it as::

    with write_session(engine, "sara", "scorecard.edit") as writer:
        writer.update(Kpi, kpi_id, {"weight": 2.0})

Either every change in the block is saved with its audit entries, or (on any error) none is.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, inspect, select
from sqlalchemy.orm import Session

from data.catalog import ROLE_PERMISSIONS
from data.models import AuditLog, Base, User

SYSTEM_USER = "system"


class PermissionDenied(PermissionError):
    """The acting user's role does not allow this change."""


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a column value for the audit log."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _snapshot(row: Base, fields) -> dict[str, Any]:
    return {name: _plain(getattr(row, name)) for name in fields}


def _columns(model: type[Base]) -> list[str]:
    return [column.key for column in inspect(model).column_attrs]


class Writer:
    """Makes changes inside an open transaction and records each in the audit log."""

    def __init__(self, session: Session, username: str) -> None:
        self.session = session
        self.username = username

    def _audit(self, action: str, model: type[Base], key: Any, old, new) -> None:
        self.session.add(AuditLog(username=self.username, action=action, entity=model.__tablename__,
                                  entity_id=None if key is None else str(key), old=old, new=new))

    def create(self, model: type[Base], values: dict[str, Any]) -> Base:
        """Insert a row and return it (with its id)."""
        unknown = set(values) - set(_columns(model))
        if unknown:
            raise ValueError(f"{model.__tablename__} has no field(s) {', '.join(sorted(unknown))}")
        row = model(**values)
        self.session.add(row)
        self.session.flush()
        self._audit("create", model, inspect(row).identity[0], None, _snapshot(row, values))
        return row

    def update(self, model: type[Base], key: Any, values: dict[str, Any]) -> Base:
        """Change fields of one row; only fields whose value changes are audited."""
        row = self.session.get(model, key)
        if row is None:
            raise ValueError(f"No {model.__tablename__} with id {key}")
        changed = {name: value for name, value in values.items() if getattr(row, name) != value}
        if changed:
            old = _snapshot(row, changed)
            for name, value in changed.items():
                setattr(row, name, value)
            self._audit("update", model, key, old, {k: _plain(v) for k, v in changed.items()})
        return row

    def delete(self, model: type[Base], key: Any) -> None:
        """Delete one row, keeping its last values in the audit log."""
        row = self.session.get(model, key)
        if row is None:
            raise ValueError(f"No {model.__tablename__} with id {key}")
        self._audit("delete", model, key, _snapshot(row, _columns(model)), None)
        self.session.delete(row)
        self.session.flush()

    def note(self, action: str, model: type[Base], summary: dict[str, Any]) -> None:
        """Record a bulk operation (an import, a recompute) as one audit entry."""
        self._audit(action, model, None, None, summary)


def role_of(engine: Engine, username: str) -> str | None:
    """The role of a user, or None for an unknown user."""
    if username == SYSTEM_USER:
        return "admin"
    with Session(engine) as session:
        return session.scalar(select(User.role).where(User.username == username))


def check_permission(engine: Engine, username: str, permission: str) -> None:
    """Raise :class:`PermissionDenied` unless the user's role grants ``permission``."""
    role = role_of(engine, username)
    if role is None:
        raise PermissionDenied(f"Unknown user {username!r}.")
    if permission not in ROLE_PERMISSIONS.get(role, frozenset()):
        raise PermissionDenied(f"The role {role!r} of {username!r} may not do {permission!r}.")


@contextmanager
def write_session(engine: Engine, username: str, permission: str) -> Iterator[Writer]:
    """Check the permission, then yield a :class:`Writer` inside one transaction."""
    check_permission(engine, username, permission)
    with Session(engine, expire_on_commit=False) as session, session.begin():
        yield Writer(session, username)

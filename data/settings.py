"""Stored settings (JSON values by key), such as the scorecard's scoring method and thresholds."""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from data.models import Setting
from data.writes import write_session


def get_setting(engine: Engine, key: str) -> dict:
    """The stored value of a setting, or an empty dict when it was never saved."""
    with Session(engine) as session:
        return session.scalar(select(Setting.value).where(Setting.key == key)) or {}


def setting_version(engine: Engine, key: str) -> int:
    """The stored version of a setting (0 when it was never saved), for :func:`save_setting`."""
    with Session(engine) as session:
        return session.scalar(select(Setting.version).where(Setting.key == key)) or 0


def save_setting(engine: Engine, username: str, key: str, value: dict, *, version: int | None = None) -> None:
    """Store a setting through the audited write path; ``version`` (as loaded) refuses a save over a newer one."""
    with write_session(engine, username, "settings.edit") as writer:
        if writer.session.get(Setting, key) is None:
            writer.create(Setting, {"key": key, "value": value})
        else:
            writer.update(Setting, key, {"value": value}, version=version)

"""The data version: a counter per area of the database, raised in the same transaction as every write.

Cached pages key their loaders by these counters (``ui/core/cache.py``), so a change made by any
process (a page, ``python -m scorecard import`` or ``refresh``, a migration, another server) shows on
the next interaction of every session, and a comment does not recompute the scorecard.

The counters are raised by two engine events that :func:`track_changes` installs: every
INSERT/UPDATE/DELETE marks its table's area on the connection, and the commit raises the marked
areas' counters just before the transaction commits. No write path has to remember to do it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import Engine, event, func, inspect, select, update

from data.models import AuditLog, DataVersion

# Which area each table belongs to; a cached loader names the areas it reads.
AREAS: dict[str, str] = {
    **dict.fromkeys(("segment", "perspective", "objective", "kpi", "target", "measurement", "link",
                     "kpi_stage", "setting"), "scorecard"),
    **dict.fromkeys(("comment", "action_item"), "discussion"),
    **dict.fromkeys(("project", "tollgate", "artifact", "benefit"), "projects"),
    "scenario": "scenarios",
    "user_account": "accounts",
    "audit_log": "audit",
}
ALL_AREAS: tuple[str, ...] = tuple(sorted({*AREAS.values(), "other"}))  # other: tables not named above
UNTRACKED = {"data_version", "sign_in_failure", "user_session", "alembic_version"}  # no page shows them
WRITE = re.compile(r'^\s*(?:insert\s+(?:or\s+\w+\s+)?into|update|delete\s+from)\s+"?(\w+)"?', re.IGNORECASE)
CHANGED = "data_version_changed"  # connection.info key: the areas this transaction changed


def written_table(statement: str) -> str | None:
    """The table an INSERT, UPDATE or DELETE statement writes (None for anything else)."""
    match = WRITE.match(statement)
    return match.group(1).lower() if match else None


def _mark(conn, _cursor, statement, _parameters, _context, _executemany) -> None:
    table = written_table(statement)
    if table and table not in UNTRACKED and not conn.info.get("migrating"):
        conn.info.setdefault(CHANGED, set()).add(AREAS.get(table, "other"))


_VERSIONED: set[str] = set()  # database URLs known to have the data_version table (it never goes away)


def _versioned(conn) -> bool:
    """Whether this database has the data version yet (not before migration 0007; never a CRM source)."""
    url = conn.engine.url.render_as_string(hide_password=False)
    if url not in _VERSIONED and inspect(conn).has_table("data_version"):
        _VERSIONED.add(url)
    return url in _VERSIONED


def _raise_counters(conn) -> None:
    """Raise the changed areas' counters inside the committing transaction (same DBAPI connection)."""
    areas = conn.info.pop(CHANGED, None)
    if not areas or not _versioned(conn):
        return
    names = ", ".join(f"'{area}'" for area in sorted(areas))  # names come from AREAS, never from input
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute(f"UPDATE data_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP "
                       f"WHERE area IN ({names})")
    finally:
        cursor.close()


def _forget(conn) -> None:
    conn.info.pop(CHANGED, None)


def track_changes(engine: Engine) -> None:
    """Make every committed write on ``engine`` raise the data version of the areas it touched (once the
    database has the table)."""
    if event.contains(engine, "commit", _raise_counters):
        return
    event.listen(engine, "before_cursor_execute", _mark)
    event.listen(engine, "commit", _raise_counters)
    event.listen(engine, "rollback", _forget)


def raise_all(engine: Engine) -> None:
    """Raise every area's version (after a migration: anything cached may be shaped differently)."""
    with engine.begin() as conn:
        conn.execute(update(DataVersion).values(version=DataVersion.version + 1, changed_at=func.current_timestamp()))


def current(engine: Engine) -> dict[str, int]:
    """Each area's version (one small query; what a script run keys its cached loaders by)."""
    with engine.connect() as conn:
        return dict(conn.execute(select(DataVersion.area, DataVersion.version)).all())


@dataclass(frozen=True)
class DataAsOf:
    """When the scorecard's data last changed, and the latest refresh from the CRM source (if any)."""

    changed_at: datetime | None
    refreshed_at: datetime | None
    refreshed_by: str | None
    refreshed_from: str | None  # the source's engine and database name (data.refresh.source_name)


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=timezone.utc) if moment is not None and moment.tzinfo is None else moment


def data_as_of(engine: Engine) -> DataAsOf:
    """The scorecard area's last change and the latest refresh recorded in the audit log."""
    with engine.connect() as conn:
        changed = conn.scalar(select(DataVersion.changed_at).where(DataVersion.area == "scorecard"))
        refresh = conn.execute(select(AuditLog.at, AuditLog.username, AuditLog.new).where(AuditLog.action == "refresh")
                               .order_by(AuditLog.at.desc()).limit(1)).first()
    if refresh is None:
        return DataAsOf(_aware(changed), None, None, None)
    return DataAsOf(_aware(changed), _aware(refresh.at), refresh.username, (refresh.new or {}).get("source"))

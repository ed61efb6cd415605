"""Saving a table edited in the app: rows added, changed and deleted, in one audited transaction."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine

from data.models import Kpi, Link, Objective, Perspective, Target
from data.writes import write_session


@dataclass
class TableEdit:
    """The difference between a table as loaded and as edited, by row id."""

    created: list[dict] = field(default_factory=list)
    updated: dict[int, dict] = field(default_factory=dict)
    deleted: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


def _plain(value):
    if value is None or (not isinstance(value, (list, dict)) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def diff_table(original: pd.DataFrame, edited: pd.DataFrame, columns: list[str], key: str = "id") -> TableEdit:
    """Compare two versions of a table whose rows carry ``key`` (new rows have none)."""
    edit = TableEdit()
    before = original.set_index(key)
    for _, row in edited.iterrows():
        values = {column: _plain(row[column]) for column in columns}
        row_id = _plain(row.get(key))
        if row_id is None:
            edit.created.append(values)
            continue
        old = {column: _plain(before.at[row_id, column]) for column in columns}
        changed = {column: value for column, value in values.items() if value != old[column]}
        if changed:
            edit.updated[int(row_id)] = changed
    kept = {int(i) for i in edited[key].dropna()}
    edit.deleted = [int(i) for i in before.index if int(i) not in kept]
    return edit


# The scorecard tables the app edits in place, by name; each needs ``scorecard.edit``.
EDITABLE_TABLES = {"perspective": Perspective, "objective": Objective, "kpi": Kpi, "target": Target, "link": Link}


def save_table_edit(engine: Engine, username: str, table: str, edit: TableEdit) -> None:
    """Apply a table edit (deletes, updates, then inserts) with an audit entry per change."""
    if table not in EDITABLE_TABLES:
        raise ValueError(f"The table {table!r} cannot be edited here.")
    model = EDITABLE_TABLES[table]
    with write_session(engine, username, "scorecard.edit") as writer:
        for row_id in edit.deleted:
            writer.delete(model, row_id)
        for row_id, values in edit.updated.items():
            writer.update(model, row_id, values)
        for values in edit.created:
            writer.create(model, values)

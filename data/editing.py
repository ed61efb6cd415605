"""Saving a table edited in the app: rows added, changed and deleted, in one audited transaction."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine

from data.models import Kpi, Link, Objective, Perspective, Target
from data.writes import write_session
from errors import DomainError
from scorecard.validation import FIRST_PERIOD, LAST_PERIOD, MAX_ABS_VALUE, hidden_characters


@dataclass
class TableEdit:
    """The difference between a table as loaded and as edited, by row id.

    ``versions``: each changed or deleted row's version as loaded, so that a save refuses rows
    someone else saved in the meantime (optimistic locking).
    """

    created: list[dict] = field(default_factory=list)
    updated: dict[int, dict] = field(default_factory=dict)
    deleted: list[int] = field(default_factory=list)
    versions: dict[int, int] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


def _plain(value):
    if value is None or (not isinstance(value, (list, dict)) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def diff_table(original: pd.DataFrame, edited: pd.DataFrame, columns: list[str], key: str = "id",
               version: str = "version") -> TableEdit:
    """Compare two versions of a table whose rows carry ``key`` (new rows have none) and, when the
    original has it, the ``version`` each row had when loaded."""
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
    if version in before:
        edit.versions = {i: int(before.at[i, version]) for i in [*edit.updated, *edit.deleted]}
    return edit


NUMBER_FIELDS = ("value", "baseline", "weight", "strength", "amber")
NAME_FIELDS = ("name", "name_fa", "unit")


def _check_values(values: dict) -> None:
    """The rules that keep stored data true, whatever screen sent the edit (scorecard.validation checks them
    cell by cell first): finite numbers within ±MAX_ABS_VALUE, months in range, names without invisible characters."""
    for field in NUMBER_FIELDS:
        number = values.get(field)
        if isinstance(number, (int, float)) and not isinstance(number, bool):
            if not math.isfinite(number):
                raise DomainError("'{value}' is not a finite number", value=number)
            if abs(number) > MAX_ABS_VALUE:
                raise DomainError("{value:g} is beyond the accepted range of ±{limit:g}", value=number,
                                  limit=MAX_ABS_VALUE)
    period = values.get("period")
    if isinstance(period, str) and period and not FIRST_PERIOD <= period <= LAST_PERIOD:
        raise DomainError("'{value}' is outside the accepted months {first} to {last}", value=period, first=FIRST_PERIOD,
                          last=LAST_PERIOD)
    for field in NAME_FIELDS:
        if isinstance(values.get(field), str) and hidden_characters(values[field]):
            raise DomainError("holds invisible control or formatting characters ({characters}); type the name again "
                              "without them", characters=hidden_characters(values[field]))


# The scorecard tables the app edits in place, by name; each needs ``scorecard.edit``.
EDITABLE_TABLES = {"perspective": Perspective, "objective": Objective, "kpi": Kpi, "target": Target, "link": Link}


def save_table_edit(engine: Engine, username: str, table: str, edit: TableEdit) -> None:
    """Apply a table edit (deletes, updates, then inserts) with an audit entry per change.

    A row changed or deleted by someone else since it was loaded refuses the whole save
    (:class:`data.writes.StaleEdit`, naming who changed it and when).
    """
    if table not in EDITABLE_TABLES:
        raise DomainError("The table {table!r} cannot be edited here.", table=table)
    model = EDITABLE_TABLES[table]
    for values in [*edit.updated.values(), *edit.created]:
        _check_values(values)
    with write_session(engine, username, "scorecard.edit") as writer:
        for row_id in edit.deleted:
            writer.delete(model, row_id, version=edit.versions.get(row_id))
        for row_id, values in edit.updated.items():
            writer.update(model, row_id, values, version=edit.versions.get(row_id))
        for values in edit.created:
            writer.create(model, values)

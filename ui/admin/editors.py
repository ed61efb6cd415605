"""Editable scorecard tables: show with st.data_editor, validate, save through the audited write path.

Each row carries the version it was loaded with (hidden), so a save over someone else's newer
change is refused with who changed it and when, never a silent overwrite.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from data.editing import diff_table, save_table_edit
from scorecard import validation
from ui.components.tables import fit_columns
from ui.admin.audit import AuditNames, readable_audit
from ui.core import loaders
from ui.core.auth import may_here
from ui.core.format import number
from ui.core.i18n import t
from ui.core.messages import explain
from ui.core.writing import write
from ui.projects import loaders as project_loaders


@dataclass
class EditableTable:
    """A table the user may edit, with its rules and how names map back to ids."""

    table: str  # a name in data.editing.EDITABLE_TABLES
    frame: pd.DataFrame
    columns: list[str]
    rules: list[validation.Rule]
    to_model: Callable[[dict], dict]
    column_config: dict


WIDE_COLUMNS = ("name", "name_fa", "objective", "definition", "kpi", "cause", "effect", "period")


def _ids(frame: pd.DataFrame, name: str = "name") -> dict[str, int]:
    return dict(zip(frame[name], frame["id"]))


def _renamer(**lookups: tuple[str, dict[str, int]]) -> Callable[[dict], dict]:
    """Map display columns holding names to model columns holding ids."""
    def to_model(values: dict) -> dict:
        out = dict(values)
        for column, (field, ids) in lookups.items():
            if column in out:
                out[field] = ids.get(out.pop(column))
        return out
    return to_model


def _choice(label: str, options) -> st.column_config.SelectboxColumn:
    return st.column_config.SelectboxColumn(t(label), options=list(options), required=True)


def _weight() -> st.column_config.NumberColumn:
    return st.column_config.NumberColumn(t("Weight"), min_value=0.0, step=0.25, format="%.2f")


def perspectives_table() -> EditableTable:
    frame = loaders.perspectives()[["id", "version", "name", "name_fa", "weight", "position"]]
    return EditableTable("perspective", frame, ["name", "name_fa", "weight", "position"], validation.perspective_rules(),
                         dict, {"name": t("Perspective"), "name_fa": t("Persian name"), "weight": _weight(),
                                "position": st.column_config.NumberColumn(t("Order (top first)"), step=1)})


def objectives_table() -> EditableTable:
    perspectives = loaders.perspectives()
    frame = loaders.objectives()[["id", "version", "perspective", "name", "name_fa", "weight"]]
    return EditableTable("objective", frame, ["perspective", "name", "name_fa", "weight"],
                         validation.objective_rules(perspectives["name"]),
                         _renamer(perspective=("perspective_id", _ids(perspectives))),
                         {"perspective": _choice("Perspective", perspectives["name"]), "name": t("Objective"),
                          "name_fa": t("Persian name"), "weight": _weight()})


def kpis_table() -> EditableTable:
    objectives = loaders.objectives()
    frame = loaders.definition().rename(columns={"kpi_id": "id", "kpi_version": "version", "kpi": "name",
                                                 "kpi_fa": "name_fa"})
    columns = ["objective", "name", "name_fa", "unit", "direction", "aggregation", "weight", "owner", "source", "definition"]
    return EditableTable("kpi", frame[["id", "version", *columns]], columns, validation.kpi_rules(objectives["name"]),
                         _renamer(objective=("objective_id", _ids(objectives))),
                         {"objective": _choice("Objective", objectives["name"]), "name": t("KPI"),
                          "name_fa": t("Persian name"), "unit": t("Unit"),
                          "direction": _choice("Direction", validation.DIRECTIONS),
                          "aggregation": _choice("Aggregation over periods", validation.AGGREGATIONS),
                          "weight": _weight(), "owner": t("Owner"), "source": _choice("Source", validation.SOURCES),
                          "definition": t("Definition")})


def targets_table() -> EditableTable:
    kpis = loaders.definition()[["kpi_id", "kpi"]].rename(columns={"kpi_id": "id", "kpi": "name"})
    segments = loaders.segments()
    targets = loaders.targets()
    frame = targets.assign(kpi=targets["kpi_id"].map(dict(zip(kpis["id"], kpis["name"]))))
    columns = ["kpi", "segment", "period", "value", "baseline", "amber"]
    return EditableTable("target", frame[["id", "version", *columns]], columns, validation.target_rules(kpis["name"], segments["name"]),
                         _renamer(kpi=("kpi_id", _ids(kpis)), segment=("segment_id", _ids(segments))),
                         {"kpi": _choice("KPI", kpis["name"]), "segment": _choice("Customer segment", segments["name"]),
                          "period": st.column_config.TextColumn(t("Month (blank = standing target)")),
                          "value": st.column_config.NumberColumn(t("Target"), required=True),
                          "baseline": st.column_config.NumberColumn(t("Baseline")),
                          "amber": st.column_config.NumberColumn(t("Amber band"), min_value=0.0, max_value=1.0,
                                                                 format="%.2f")})


def links_table() -> EditableTable:
    objectives = loaders.objectives()
    frame = loaders.links()[["id", "cause", "effect", "strength"]]
    ids = _ids(objectives)
    return EditableTable("link", frame, ["cause", "effect", "strength"], validation.link_rules(objectives["name"]),
                         _renamer(cause=("cause_id", ids), effect=("effect_id", ids)),
                         {"cause": _choice("Cause", objectives["name"]), "effect": _choice("Effect", objectives["name"]),
                          "strength": st.column_config.NumberColumn(t("Estimated strength"), min_value=0.0,
                                                                    max_value=1.0, step=0.1)})


def _blank_to_none(values: dict) -> dict:
    return {k: (None if isinstance(v, str) and not v.strip() else v) for k, v in values.items()}


def show_problems(problems: list) -> None:
    """Say that nothing was saved and list every invalid cell."""
    lines = "\n".join(f"- {explain(problem)}" for problem in problems)
    st.error(t("Nothing was saved. Fix these cells first:") + "\n" + lines)


EDITS = ("edited_rows", "added_rows", "deleted_rows")


def _editor_key(key: str) -> str:
    """The grid's widget key: a new one after each save, so the grid starts again from the saved rows."""
    generation = st.session_state.get(f"{key}_generation", 0)
    return f"{key}_{generation}" if generation else key


def _as_loaded(table: EditableTable, key: str) -> pd.DataFrame:
    """The rows (and their versions) as the user started editing them; fresh while nothing is edited."""
    state = st.session_state.get(_editor_key(key)) or {}
    if f"{key}_loaded" not in st.session_state or not any(state.get(part) for part in EDITS):
        st.session_state[f"{key}_loaded"] = table.frame
    return st.session_state[f"{key}_loaded"]


def _start_again(key: str) -> None:
    """After a save, or a refusal because someone saved first: a fresh grid on the newest rows."""
    st.session_state.pop(f"{key}_loaded", None)
    st.session_state[f"{key}_generation"] = st.session_state.get(f"{key}_generation", 0) + 1


def table_editor(table: EditableTable, key: str) -> None:
    """The editor with a save button; saves only a valid table, all changes in one transaction, over
    the versions the user loaded (a colleague's newer save refuses it, see :mod:`data.writes`).
    A role that may not change the scorecard sees the table read-only."""
    loaded = _as_loaded(table, key)
    config = fit_columns(table.column_config, table.columns, wide=WIDE_COLUMNS)
    if not may_here("scorecard.edit"):
        st.dataframe(loaded, hide_index=True, width="stretch", column_config={"id": None, "version": None, **config})
        return
    edited = st.data_editor(loaded, key=_editor_key(key), num_rows="dynamic", hide_index=True, width="stretch",
                            disabled=["id", "version"], column_config={"id": None, "version": None, **config})
    if not st.button(t("Save changes"), key=f"{key}_save", type="primary"):
        return
    problems = validation.check(edited.reset_index(drop=True), table.rules)
    if problems:
        show_problems(problems)
        return
    edit = diff_table(loaded, edited, table.columns)
    if not edit:
        st.info(t("No changes to save."))
        return
    edit.created = [table.to_model(_blank_to_none(values)) for values in edit.created]
    edit.updated = {i: table.to_model(_blank_to_none(values)) for i, values in edit.updated.items()}
    if not write(save_table_edit, table.table, edit, on_stale=lambda: _start_again(key)):
        return
    _start_again(key)
    st.toast(t("Saved {n} change(s).", n=len(edit.created) + len(edit.updated) + len(edit.deleted)))
    st.rerun()


def _audited_rows() -> dict[tuple[str, int], dict]:
    """What a target's or comment's id points at (KPI, segment, period), for updates that log only the change."""
    segments = dict(zip(loaders.segments()["name"], loaders.segments()["id"].astype(int)))
    rows = {("target", int(r["id"])): {"kpi_id": int(r["kpi_id"]), "segment_id": segments.get(r["segment"]),
                                        "period": r["period"]} for r in loaders.targets().to_dict("records")}
    rows |= {("comment", int(r["id"])): {"kpi_id": int(r["kpi_id"]), "period": r["period"]}
             for r in loaders.comments().to_dict("records")}
    return rows


def audit_table(log: pd.DataFrame) -> None:
    """The audit log, newest first, as a record for people: date and time, display names, KPI names
    rather than ids, and old → new values in the app's number format."""
    definition, portfolio = loaders.definition(), project_loaders.portfolio()
    names = AuditNames(
        kpis={int(k): (n, u) for k, n, u in zip(definition["kpi_id"], definition["kpi"], definition["unit"])},
        segments=dict(zip(loaders.segments()["id"].astype(int), loaders.segments()["name"])),
        objectives=dict(zip(loaders.objectives()["id"].astype(int), loaders.objectives()["name"])),
        projects=dict(zip(portfolio["id"].astype(int), portfolio["title"])),
        people={u: t(d) for u, d in zip(loaders.users()["username"], loaders.users()["display_name"])},
        rows=_audited_rows())
    table = readable_audit(log, names, lambda value, unit: number(value, unit))
    config = {"at": t("When"), "who": t("Who"), "action": t("Action"), "what": t("What"), "change": t("Change")}
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config=fit_columns(config, list(config), wide=("what", "change")))

"""Helpers every phase's tools share: saving over the version shown, the grid form, typed numbers,
uploads, kept results and readable statistics tables."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timezone

import pandas as pd
import streamlit as st

from data.projects import save_artifact
from scorecard.io import numeric_column, read_table
from sixsigma.tools import REGISTRY, results
from ui.core import loaders
from ui.core.format import number
from ui.core.i18n import digits, t
from ui.core.messages import explain
from ui.core.writing import write
from ui.projects import loaders as project_loaders


# Table tools: their columns and, where the domain checks rows, its validator.
TABLE_COLUMNS = {
    "sipoc": ["suppliers", "inputs", "process", "outputs", "customers"],
    "data_collection_plan": ["measure", "definition", "source", "frequency", "owner"],
    "solutions": ["solution", "effort", "impact", "chosen"],
    "control_plan": ["what", "how", "how_often", "who", "reaction"],
    "fmea": ["failure_mode", "effect", "cause", "severity", "occurrence", "detection", "action", "revised_severity",
             "revised_occurrence", "revised_detection"],
    "ctq_tree": ["need", "driver", "ctq", "measure", "lsl", "target", "usl"],
}


HEADERS = {"ctq": "CTQ", "lsl": "LSL", "usl": "USL", "rpn": "RPN", "revised_rpn": "Revised RPN", "var_comp": "Variance component",
           "pct_contribution": "% contribution", "std_dev": "Std. dev.", "study_var": "Study variation (6σ)",
           "pct_study_var": "% study variation", "pct_tolerance": "% tolerance", "df": "DF", "ss": "SS", "ms": "MS",
           "f": "F", "p_value": "p-value", "std_error": "SE coef"}
"""Headers that do not read as their column's name with spaces (acronyms, statistics)."""


def column_label(column: str) -> str:
    """A table's column as its header reads ("how_often" → "How often", "lsl" → "LSL")."""
    return HEADERS.get(column, column.replace("_", " ").capitalize())


NUMBER = re.compile(r"[,;\s]+")


SHOWN = "artifact_versions_shown"  # project id → the artifact versions the workspace showed last


def _save(project: dict, phase: str, kind: str, payload: dict) -> None:
    """Save a tool's result over the version the user saw (none yet: 0), so a colleague's newer save is
    refused rather than overwritten."""
    shown = st.session_state.get(SHOWN, {}).get(project["id"], project.get("artifact_versions", {}))
    if write(save_artifact, int(project["id"]), phase, kind, payload, version=shown.get(f"{phase}/{kind}", 0)):
        st.toast(t("Saved."))
        st.rerun()


def _records(frame: pd.DataFrame) -> list[dict]:
    """Edited rows without empty ones, blanks as None (JSON has no NaN)."""
    frame = frame.dropna(how="all")
    frame = frame[~frame.apply(lambda row: all(str(v).strip() in ("", "None", "nan") for v in row), axis=1)]
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def grid_form(key: str, frame: pd.DataFrame, column_config: dict | None = None) -> pd.DataFrame | None:
    """A grid the belt edits with its Save button in one form; the edited table once Save is pressed, else None.

    Edits reach the server only on Save: a grid outside a form reruns the script on each edit, and the
    rerun raced the typing ("Complaint desk" was saved as "nt desk", #18). Every table tool uses this."""
    with st.form(key, enter_to_submit=False, border=False):
        edited = st.data_editor(frame, num_rows="dynamic", hide_index=True, width="stretch", key=f"{key}_grid",
                                column_config=column_config)
        submitted = st.form_submit_button(t("Save"), type="primary")
    return edited if submitted else None


def _labels(columns) -> dict[str, str]:
    """Column headers in the user's language ("failure_mode" → "Failure mode")."""
    return {c: t(column_label(c)) for c in columns}


def table_tool(project: dict, phase: str, kind: str, saved: dict | None, editable: bool) -> None:
    """A table the belt edits in place; saved as rows after the domain's check (FMEA, CTQ tree).

    Shown once: the checked table (FMEA with its RPN and action priority, read-only in the grid) is
    the grid the belt edits, or the table others read."""
    columns, check = TABLE_COLUMNS[kind], REGISTRY[kind].check
    frame = pd.DataFrame((saved or {}).get("rows", []), columns=columns)
    if check is not None and len(frame):
        try:
            frame = check({"rows": frame.to_dict("records")})
        except ValueError as exc:
            st.warning(explain(exc))
    if not editable:
        st.dataframe(frame, hide_index=True, width="stretch", column_config=_labels(frame.columns))
        return
    computed = {c: st.column_config.Column(t(column_label(c)), disabled=True)
                for c in frame.columns if c not in columns}
    edited = grid_form(f"tool_{project['id']}_{phase}_{kind}", frame, _labels(columns) | computed)
    if edited is not None:
        rows = _records(edited[columns])
        try:
            if check is not None:
                check({"rows": rows})
        except ValueError as exc:
            st.error(t("Nothing was saved: {reason}", reason=explain(exc)))
            return
        _save(project, phase, kind, {"rows": rows})


def numbers(text: str, name: str) -> list[float]:
    """Numbers typed or pasted into a box (separated by spaces, commas or new lines)."""
    values = []
    for position, token in enumerate(t for t in NUMBER.split(text.strip()) if t):
        try:
            values.append(float(token))
        except ValueError:
            raise ValueError(t("{name}: value {n} ({token!r}) is not a number.", name=name, n=position + 1,
                               token=token)) from None
    return values


def _one_number(text: str, name: str) -> float:
    """The one number a box must hold."""
    values = numbers(text, name)
    if len(values) != 1:
        raise ValueError(t("{name}: give one number.", name=name))
    return values[0]


def _optional_number(text: str, name: str) -> float | None:
    """A number typed in an optional box (None when left blank)."""
    return numbers(text, name)[0] if text.strip() else None


def _computed_baseline(project: dict) -> dict | None:
    """The linked KPI's baseline from its history (None without a KPI)."""
    if project.get("kpi_id") is None or pd.isna(project["kpi_id"]):
        return None
    return project_loaders.kpi_baseline(int(project["kpi_id"]), project["segment"])


def _unit(project: dict) -> str:
    """The unit of the project's KPI ("" without one)."""
    if project.get("kpi_id") is None or pd.isna(project["kpi_id"]):
        return ""
    return str(loaders.definition().set_index("kpi_id").at[int(project["kpi_id"]), "unit"] or "")


def _direction(project: dict) -> str:
    """Which way the project's KPI should move ("higher" without a KPI)."""
    definition = loaders.definition().set_index("kpi_id")
    kpi = project.get("kpi_id")
    return definition.at[int(kpi), "direction"] if kpi is not None and not pd.isna(kpi) else "higher"


def _uploaded_table(upload) -> pd.DataFrame | None:
    """An uploaded CSV or Excel file's table; None, with the reason shown, when it is unreadable or holds no data."""
    try:
        frame = read_table(upload, upload.name)
    except ValueError as exc:
        st.error(t("Cannot read {file}: {reason}", file=upload.name, reason=explain(exc)))
        return None
    if frame.empty:
        st.error(t("{file} holds no data.", file=upload.name))
        return None
    return frame


def _upload(kind: str, label: str, pid: int) -> tuple[object, pd.DataFrame | None]:
    """The tool's file uploader and the uploaded table (None without a file or when it cannot be used)."""
    upload = st.file_uploader(t(label), type=["csv", "xlsx"], key=f"{kind}_upload_{pid}")
    return upload, (_uploaded_table(upload) if upload else None)


def _column(frame: pd.DataFrame, column: str, file: str) -> list[float]:
    """A file column's filled cells as numbers (samples may differ in length); ValueError naming the file, row and
    column of a cell that is not a number."""
    filled = frame[column].notna() & (frame[column].astype(str).str.strip() != "")
    return numeric_column(frame[filled], column, file).tolist()


def _filled(frame: pd.DataFrame, column: str) -> pd.Series:
    """A file column's cells as labels, blank cells as missing (a study's part, operator or rating); whole numbers
    stay numbers, so parts 1, 2, …, 10 sort as numbers, not as text."""
    text = frame[column].astype(str).str.strip()
    labels = text.where(frame[column].notna() & ~text.isin(["", "None", "nan"]))
    whole = pd.to_numeric(labels, errors="coerce")
    if whole[labels.notna()].notna().all() and (whole.dropna() % 1 == 0).all():
        return whole.astype("Int64").astype(object).where(labels.notna(), None)
    return labels


def _role_columns(columns: list[str], roles: dict[str, str], key: str) -> dict[str, str]:
    """One selectbox per role ("part" → "Part column"), preselecting a column of that name, else the next one."""
    boxes = st.columns(len(roles))
    return {role: box.selectbox(t(label), columns, key=f"{key}_{role}",
                                index=columns.index(role) if role in columns else min(i, len(columns) - 1))
            for i, ((role, label), box) in enumerate(zip(roles.items(), boxes))}


def _results(project: dict, phase: str, kind: str, saved: dict | None, editable: bool,
             show: Callable[[dict], None]) -> None:
    """Each result the tool keeps, oldest first, with when it was saved; the belt may remove one (the others stay)."""
    kept = results(saved)
    for index, result in enumerate(kept):
        with st.container(border=True):
            show(result)
            if result.get("saved_at"):
                st.caption(t("Saved {when} (UTC)", when=digits(result["saved_at"].replace("T", " ")[:16])))
            if editable and st.button(t("Remove this result"), key=f"remove_{project['id']}_{phase}_{kind}_{index}"):
                _save(project, phase, kind, {"results": kept[:index] + kept[index + 1:]})


def _add_result(project: dict, phase: str, kind: str, saved: dict | None, result: dict) -> None:
    """Save a new result after the ones already kept (a second test does not overwrite the first)."""
    stamped = {**result, "saved_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    _save(project, phase, kind, {"results": [*results(saved), stamped]})


def _readable(table: pd.DataFrame) -> pd.DataFrame:
    """A statistics table as the user's language writes numbers: 4 decimals, p-values as 0.001 or "< 0.001",
    "—" where a value does not apply."""
    def cell(column: str, value):
        if column == "p_value" and pd.notna(value) and value < 0.001:
            return "< " + number(0.001, decimals=3)
        return number(value, decimals=3 if column == "p_value" else 4)
    return table.assign(**{c: table[c].map(lambda v, c=c: cell(c, v)) for c in table.columns
                           if pd.api.types.is_float_dtype(table[c])})


def upload_study(project: dict, phase: str, kind: str, saved: dict | None, editable: bool, *,
                 show: Callable[[dict], None], prefix: str, label: str,
                 inputs: Callable[[pd.DataFrame, int], dict], run: Callable[[pd.DataFrame, dict, str], dict]) -> None:
    """A study of an uploaded file (gage R&R, attribute agreement): the results kept, the uploader, a form of the
    file's columns (``inputs(frame, project id)``) and, on Run and save, the study (``run(frame, chosen, file
    name)``: the result to keep, or ValueError and nothing saved)."""
    _results(project, phase, kind, saved, editable, show)
    if not editable:
        return
    pid = project["id"]
    upload, frame = _upload(prefix, label, pid)
    if frame is None:
        return
    with st.form(f"{prefix}_form_{pid}", enter_to_submit=False):
        chosen = inputs(frame, pid)
        submitted = st.form_submit_button(t("Run and save"), type="primary")
    if submitted:
        try:
            result = run(frame, chosen, upload.name)
        except ValueError as exc:
            st.error(t("Nothing was saved: {reason}", reason=explain(exc)))
            return
        _add_result(project, phase, kind, saved, {"file": upload.name, **result})

"""The project phases' tools: each shows what is saved and, in the open phase, a form that
validates with the domain and saves through ``data.projects.save_artifact``."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timezone

import pandas as pd
import streamlit as st

from data.projects import save_artifact, set_benefit
from scorecard.benefit import verified_benefit
from scorecard.io import numeric_column, read_table
from sixsigma import (analysis, control_chart, control_chart_figure, design, doe, doe_charts, msa, msa_charts,
                      project_charts, rootcause)
from sixsigma.tools import REGISTRY, results
from sixsigma.capability import capability, predicted_capability
from sixsigma.charts import capability_figure
from ui.components import charts
from ui.core import loaders
from ui.core.format import number, period_label, plain, signed, user_names
from ui.core.i18n import t
from ui.core.messages import explain
from ui.core.writing import write
from ui.projects import baseline as in_words
from ui.projects import loaders as project_loaders

# Table tools: their columns and, where the domain checks rows, its validator.
TABLE_COLUMNS = {
    "sipoc": ["suppliers", "inputs", "process", "outputs", "customers"],
    "data_collection_plan": ["measure", "definition", "source", "frequency", "owner"],
    "solutions": ["solution", "effort", "impact", "chosen"],
    "control_plan": ["what", "how", "how_often", "who", "reaction"],
    "fmea": ["failure_mode", "effect", "cause", "severity", "occurrence", "detection", "action"],
    "ctq_tree": ["need", "driver", "ctq", "measure", "lsl", "target", "usl"],
}
HEADERS = {"ctq": "CTQ", "lsl": "LSL", "usl": "USL", "rpn": "RPN", "var_comp": "Variance component",
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


def _computed_baseline(project: dict) -> dict | None:
    """The linked KPI's baseline from its history (None without a KPI)."""
    if project.get("kpi_id") is None or pd.isna(project["kpi_id"]):
        return None
    return project_loaders.kpi_baseline(int(project["kpi_id"]), project["segment"])


def charter(project: dict, phase: str, kind: str, saved: dict | None, editable: bool) -> None:
    """Business case, SMART problem and goal, scope, CTQs and the team with the seed's roles."""
    saved = saved or {}
    baseline = _computed_baseline(project)
    names = user_names()
    if baseline:
        st.caption(t("Linked KPI baseline:") + "  \n" + "  \n".join(in_words.summary(baseline, _unit(project))))
    with st.form(f"charter_{project['id']}", enter_to_submit=False):
        fields = {key: st.text_area(t(label), saved.get(key, ""), height=68, disabled=not editable,
                                    key=f"charter_{key}_{project['id']}")
                  for key, label in (("business_case", "Business case"), ("problem", "Problem statement (SMART)"),
                                     ("goal", "Goal statement (SMART)"), ("scope_in", "In scope"),
                                     ("scope_out", "Out of scope"))}
        ctqs = st.text_area(t("CTQs (one per line)"), "\n".join(saved.get("ctqs", [])), height=68,
                            disabled=not editable, key=f"charter_ctqs_{project['id']}")
        left, right = st.columns(2)
        champion = left.selectbox(t("Champion"), list(names), format_func=names.get, disabled=not editable,
                                  index=list(names).index(saved.get("champion", project["champion"]))
                                  if saved.get("champion", project["champion"]) in names else 0,
                                  key=f"charter_champion_{project['id']}")
        black_belt = right.selectbox(t("Black belt"), list(names), format_func=names.get, disabled=not editable,
                                     index=list(names).index(saved.get("black_belt", project["belt"]))
                                     if saved.get("black_belt", project["belt"]) in names else 0,
                                     key=f"charter_black_belt_{project['id']}")
        green_belts = left.multiselect(t("Green belts"), list(names), [g for g in saved.get("green_belts", []) if g in names],
                                       format_func=names.get, disabled=not editable, key=f"charter_gb_{project['id']}")
        members = right.text_area(t("Team members (one per line)"), "\n".join(saved.get("members", [])), height=68,
                                  disabled=not editable, key=f"charter_members_{project['id']}")
        experts = st.text_area(t("Subject-matter experts (one per line)"), "\n".join(saved.get("experts", [])),
                               height=68, disabled=not editable, key=f"charter_experts_{project['id']}")
        submitted = st.form_submit_button(t("Save charter"), type="primary", disabled=not editable)
    if submitted:
        lines = lambda text: [line.strip() for line in text.splitlines() if line.strip()]  # noqa: E731
        _save(project, "define", "charter", {
            **{k: v.strip() for k, v in fields.items()}, "ctqs": lines(ctqs), "champion": champion,
            "black_belt": black_belt, "green_belts": green_belts, "members": lines(members),
            "experts": lines(experts), "kpi_baseline": saved.get("kpi_baseline") or baseline})


def _unit(project: dict) -> str:
    """The unit of the project's KPI ("" without one)."""
    if project.get("kpi_id") is None or pd.isna(project["kpi_id"]):
        return ""
    return str(loaders.definition().set_index("kpi_id").at[int(project["kpi_id"]), "unit"] or "")


def baseline(project: dict, phase: str, kind: str, saved: dict | None, editable: bool) -> None:
    """The linked KPI's control chart and its baseline: window, DPMO from its counts or Ppk against the target."""
    computed = _computed_baseline(project)
    if project.get("kpi_id") is not None and not pd.isna(project["kpi_id"]):
        chartset, labels = loaders.kpi_control_chart(int(project["kpi_id"]), project["segment"])
        if chartset is not None:
            charts.show(control_chart_figure(chartset, labels=labels, tr=t), width="stretch",
                        key=f"baseline_chart_{project['id']}")
    shown = saved or computed
    if shown and "method" in shown:
        st.markdown("\n".join(f"- {plain(line)}" for line in in_words.summary(shown, _unit(project))))
    elif shown:                                   # a baseline saved before baselines were stated in words
        st.dataframe(pd.DataFrame([shown]), hide_index=True, width="stretch")
    if editable and computed and st.button(t("Save this baseline"), key=f"save_baseline_{project['id']}", type="primary"):
        _save(project, "measure", "baseline", computed)


def pareto_tool(project: dict, phase: str, kind: str, saved: dict | None, editable: bool) -> None:
    """Counts by category, ranked with the cumulative line and the vital few."""
    counts = (saved or {}).get("counts", {})
    if counts:
        charts.show(project_charts.pareto_figure(rootcause.pareto(counts), tr=t), width="stretch",
                    key=f"pareto_{project['id']}")
    if not editable:
        return
    frame = pd.DataFrame({"category": list(counts), "count": list(counts.values())})
    edited = grid_form(f"pareto_grid_{project['id']}_{phase}", frame,
                       {"category": t("Category"), "count": st.column_config.NumberColumn(t("Count"))})
    if edited is not None:
        rows = edited.dropna(subset=["category"])
        try:
            table = rootcause.pareto({str(c): (float(n) if pd.notna(n) else -1.0) for c, n in zip(rows["category"], rows["count"])})
        except ValueError as exc:
            st.error(t("Nothing was saved: {reason}", reason=explain(exc)))
            return
        _save(project, phase, "pareto", {"counts": dict(zip(table["category"], table["count"]))})


def fishbone_tool(project: dict, phase: str, kind: str, saved: dict | None, editable: bool) -> None:
    """The problem at the head and causes under the 6M bones."""
    saved = saved or {}
    if saved.get("causes"):
        charts.show(project_charts.fishbone_figure(saved.get("problem", ""), saved["causes"], tr=t),
                    width="stretch", key=f"fishbone_{project['id']}")
    if not editable:
        return
    with st.form(f"fishbone_form_{project['id']}", enter_to_submit=False):
        problem = st.text_input(t("Problem (the fish's head)"), saved.get("problem", ""), key=f"fish_problem_{project['id']}")
        columns = st.columns(3)
        causes = {m: columns[i % 3].text_area(t(m), "\n".join(saved.get("causes", {}).get(m, [])), height=90,
                                              key=f"fish_{m}_{project['id']}") for i, m in enumerate(rootcause.SIX_M)}
        submitted = st.form_submit_button(t("Save"), type="primary")
    if submitted:
        try:
            clean = rootcause.fishbone({m: text.splitlines() for m, text in causes.items()})
        except ValueError as exc:
            st.error(t("Nothing was saved: {reason}", reason=explain(exc)))
            return
        _save(project, phase, "fishbone", {"problem": problem.strip(), "causes": clean})


def five_whys_tool(project: dict, phase: str, kind: str, saved: dict | None, editable: bool) -> None:
    """A chain of whys from the problem to its root cause."""
    saved = saved or {}
    if saved.get("whys"):
        st.markdown("\n".join([f"**{plain(saved['problem'])}**"]
                               + [f"{i + 1}. {plain(w)}" for i, w in enumerate(saved["whys"])]))
        st.caption(t("Root cause: {cause}", cause=plain(saved["root_cause"])))
    if not editable:
        return
    with st.form(f"whys_form_{project['id']}", enter_to_submit=False):
        problem = st.text_input(t("Problem"), saved.get("problem", ""), key=f"whys_problem_{project['id']}")
        whys = [st.text_input(t("Why? ({n})", n=i + 1), (saved.get("whys", []) + [""] * 5)[i],
                              key=f"why_{i}_{project['id']}") for i in range(5)]
        submitted = st.form_submit_button(t("Save"), type="primary")
    if submitted:
        try:
            _save(project, phase, "five_whys", rootcause.five_whys(problem, whys))
        except ValueError as exc:
            st.error(t("Nothing was saved: {reason}", reason=explain(exc)))


TESTS = {"two_sample_t": "Two groups: do their means differ? (Welch t)", "paired_t": "Paired before/after (paired t)",
         "anova": "Several groups (one-way ANOVA)", "two_proportions": "Two proportions (z test)",
         "mann_whitney": "Two groups, no normality assumed (Mann-Whitney)",
         "kruskal_wallis": "Several groups, no normality assumed (Kruskal-Wallis)",
         "equal_variances": "Do several groups vary alike? (Brown-Forsythe)",
         "chi_square": "Counts by two categories: are they related? (chi-square)",
         "normality": "Are the values normal? (Anderson-Darling)"}
GROUP_TESTS = {"anova": analysis.one_way_anova, "kruskal_wallis": analysis.kruskal_wallis,
               "equal_variances": analysis.equal_variances}
PAIR_TESTS = {"two_sample_t": analysis.two_sample_t, "paired_t": analysis.paired_t,
              "mann_whitney": analysis.mann_whitney}
PAIR_NAMES = {"paired_t": ("Before", "After")}  # the two samples' names in messages (others: Group A, Group B)


def _groups(text: str) -> dict[str, list[float]]:
    """Groups typed one per line as "name: values"."""
    groups = {}
    for line in text.splitlines():
        if ":" in line:
            name, values = line.split(":", 1)
            groups[name.strip()] = numbers(values, name.strip())
    return groups


def _table(text: str) -> list[list[float]]:
    """A table of counts typed one row per line."""
    return [numbers(line, t("Row {row}", row=i + 1)) for i, line in enumerate(text.splitlines()) if line.strip()]


def _typed(kind: str, inputs: dict) -> dict:
    """The typed or pasted inputs of a test as numbers: samples "a" and "b", "groups" or a "table" of counts."""
    if kind in GROUP_TESTS:
        return {"groups": _groups(inputs["groups"])}
    if kind == "chi_square":
        return {"table": _table(inputs["table"])}
    if kind == "normality":
        return {"a": numbers(inputs["a"], t("Values"))}
    if kind == "two_proportions":
        return inputs
    first, second = PAIR_NAMES.get(kind, ("Group A", "Group B"))
    return {"a": numbers(inputs["a"], t(first)), "b": numbers(inputs["b"], t(second))}


def _run_test(kind: str, values: dict) -> analysis.TestResult:
    """The chosen test on its inputs as numbers (see :func:`_typed` and :func:`_from_file`)."""
    if kind in PAIR_TESTS:
        return PAIR_TESTS[kind](values["a"], values["b"])
    if kind in GROUP_TESTS:
        return GROUP_TESTS[kind](values["groups"])
    if kind == "normality":
        return analysis.normality(values["a"])
    if kind == "chi_square":
        return analysis.chi_square(values["table"])
    return analysis.two_proportions(int(values["x1"]), int(values["n1"]), int(values["x2"]), int(values["n2"]))


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


def _column(frame: pd.DataFrame, column: str, file: str) -> list[float]:
    """A file column's filled cells as numbers (samples may differ in length); ValueError naming the file, row and
    column of a cell that is not a number."""
    filled = frame[column].notna() & (frame[column].astype(str).str.strip() != "")
    return numeric_column(frame[filled], column, file).tolist()


def _file_inputs(kind: str, columns: list[str], key: str) -> dict:
    """The file's columns the test runs on, chosen in the test's form."""
    if kind in GROUP_TESTS:
        return {"groups": st.multiselect(t("Columns, one per group"), columns, key=f"{key}_groups")}
    if kind == "chi_square":
        return {"table": st.multiselect(t("Count columns, one per category"), columns, key=f"{key}_table")}
    if kind == "normality":
        return {"a": st.selectbox(t("Values column"), columns, key=f"{key}_a")}
    first, second = PAIR_NAMES.get(kind, ("Group A", "Group B"))
    a, b = st.columns(2)
    return {"a": a.selectbox(t("{sample} column", sample=t(first)), columns, key=f"{key}_a"),
            "b": b.selectbox(t("{sample} column", sample=t(second)), columns, index=min(1, len(columns) - 1),
                             key=f"{key}_b")}


def _from_file(kind: str, frame: pd.DataFrame, chosen: dict, file: str) -> dict:
    """The chosen columns of an uploaded file as the test's numbers (a chi-square table: one row per file row)."""
    if kind in GROUP_TESTS:
        return {"groups": {column: _column(frame, column, file) for column in chosen["groups"]}}
    if kind == "chi_square":
        counts = [numeric_column(frame, column, file) for column in chosen["table"]]
        return {"table": [list(row) for row in zip(*counts)]}
    return {name: _column(frame, column, file) for name, column in chosen.items()}


def _typed_inputs(kind: str, key: str) -> dict:
    """Boxes for the test's numbers, typed or pasted."""
    if kind in GROUP_TESTS:
        return {"groups": st.text_area(t("One group per line: name: values"), key=f"test_groups_{key}")}
    if kind == "chi_square":
        return {"table": st.text_area(t("Counts, one row per line (columns separated by spaces)"),
                                      key=f"test_table_{key}")}
    if kind == "normality":
        return {"a": st.text_area(t("Values (numbers)"), key=f"test_a_{key}")}
    a, b = st.columns(2)
    if kind == "two_proportions":
        return {"x1": a.number_input(t("Group 1: successes"), 0, step=1, key=f"x1_{key}"),
                "n1": a.number_input(t("Group 1: size"), 1, step=1, key=f"n1_{key}"),
                "x2": b.number_input(t("Group 2: successes"), 0, step=1, key=f"x2_{key}"),
                "n2": b.number_input(t("Group 2: size"), 1, step=1, key=f"n2_{key}")}
    return {"a": a.text_area(t("Group A / before (numbers)"), key=f"test_a_{key}"),
            "b": b.text_area(t("Group B / after (numbers)"), key=f"test_b_{key}")}


def _results(project: dict, phase: str, kind: str, saved: dict | None, editable: bool,
             show: Callable[[dict], None]) -> None:
    """Each result the tool keeps, oldest first, with when it was saved; the belt may remove one (the others stay)."""
    kept = results(saved)
    for index, result in enumerate(kept):
        with st.container(border=True):
            show(result)
            if result.get("saved_at"):
                st.caption(t("Saved {when} (UTC)", when=result["saved_at"].replace("T", " ")[:16]))
            if editable and st.button(t("Remove this result"), key=f"remove_{project['id']}_{phase}_{kind}_{index}"):
                _save(project, phase, kind, {"results": kept[:index] + kept[index + 1:]})


def _add_result(project: dict, phase: str, kind: str, saved: dict | None, result: dict) -> None:
    """Save a new result after the ones already kept (a second test does not overwrite the first)."""
    stamped = {**result, "saved_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    _save(project, phase, kind, {"results": [*results(saved), stamped]})


def hypothesis_tool(project: dict, phase: str, kind: str, saved: dict | None, editable: bool) -> None:
    """Hypothesis tests on typed numbers or an uploaded file's columns, each stated in one sentence; every test
    saved is kept."""
    _results(project, phase, "hypothesis_test", saved, editable, lambda result: st.info(result["sentence"]))
    if not editable:
        return
    pid = project["id"]
    upload = st.file_uploader(t("Data (CSV or Excel); without a file, type or paste the numbers"),
                              type=["csv", "xlsx"], key=f"test_upload_{pid}")
    frame = _uploaded_table(upload) if upload else None
    if upload and frame is None:
        return
    kind = st.selectbox(t("Test"), list(TESTS), format_func=lambda k: t(TESTS[k]), key=f"test_kind_{pid}")
    from_file = frame is not None and kind != "two_proportions"
    with st.form(f"test_form_{pid}", enter_to_submit=False):
        inputs = _file_inputs(kind, list(frame.columns), f"test_file_{pid}") if from_file else _typed_inputs(kind, pid)
        submitted = st.form_submit_button(t("Run and save"), type="primary")
    if submitted:
        try:
            values = _from_file(kind, frame, inputs, upload.name) if from_file else _typed(kind, inputs)
            result = _run_test(kind, values)
        except ValueError as exc:
            st.error(t("Nothing was saved: {reason}", reason=explain(exc)))
            return
        _add_result(project, phase, "hypothesis_test", saved, {"test": result.name, "statistic": result.statistic,
                                                               "p_value": result.p_value, "sentence": result.sentence})


def _show_fit(fit: dict) -> None:
    for sentence in fit.get("sentences", []):
        st.info(sentence)
    st.caption(t("R² = {r2:.2f}, n = {n}", r2=fit.get("r_squared", float("nan")), n=fit.get("n", 0)))


def _kpi_table(segment: str) -> pd.DataFrame:
    """The KPIs' monthly actuals in a segment, one column per KPI (CRM data for a regression)."""
    measurements = loaders.measurements()
    names = loaders.definition().set_index("kpi_id")["kpi"]
    wide = measurements[measurements["segment"] == segment].pivot_table(index="period", columns="kpi_id", values="actual")
    return wide.rename(columns=names).reset_index(drop=True)


def regression_tool(project: dict, phase: str, kind: str, saved: dict | None, editable: bool) -> None:
    """Regressions of a response on drivers: the CRM KPIs' monthly actuals, or an uploaded file; every fit saved
    is kept."""
    _results(project, phase, "regression", saved, editable, _show_fit)
    if not editable:
        return
    upload = st.file_uploader(t("Data (CSV or Excel); without a file, the KPIs' monthly actuals are used"),
                              type=["csv", "xlsx"], key=f"reg_upload_{project['id']}")
    data = _uploaded_table(upload) if upload else _kpi_table(project["segment"] or "All")
    if data is None:
        return
    columns = list(data.columns)
    response = st.selectbox(t("Response"), columns, key=f"reg_response_{project['id']}")
    drivers = st.multiselect(t("Drivers"), [c for c in columns if c != response], key=f"reg_drivers_{project['id']}")
    if st.button(t("Run and save"), key=f"reg_run_{project['id']}", type="primary"):
        try:
            if upload:      # the file's cells are text: each chosen column as numbers, a bad cell named by row
                data = data.assign(**{c: numeric_column(data, c, upload.name) for c in [response, *drivers]})
            result = analysis.regression(data, response, drivers)
        except ValueError as exc:
            st.error(t("Nothing was saved: {reason}", reason=explain(exc)))
            return
        _add_result(project, phase, "regression", saved, {
            "response": response, "sentences": result.sentences, "r_squared": result.r_squared, "n": result.n,
            "terms": result.terms[["term", "coefficient", "p_value"]].to_dict("records")})


def _direction(project: dict) -> str:
    """Which way the project's KPI should move ("higher" without a KPI)."""
    definition = loaders.definition().set_index("kpi_id")
    kpi = project.get("kpi_id")
    return definition.at[int(kpi), "direction"] if kpi is not None and not pd.isna(kpi) else "higher"


def pilot_tool(project: dict, phase: str, kind: str, saved: dict | None, editable: bool) -> None:
    """Before and after the change: a staged individuals chart, the test of the shift, capability of the pilot."""
    saved = saved or {}
    if saved.get("before") and saved.get("after"):
        values = saved["before"] + saved["after"]
        stages = [t("Before")] * len(saved["before"]) + [t("Pilot")] * len(saved["after"])
        charts.show(control_chart_figure(control_chart(values, "i_mr", stages=stages), tr=t), width="stretch",
                    key=f"pilot_chart_{project['id']}_{phase}")
    if saved.get("sentence"):
        st.info(saved["sentence"])
    if saved.get("cpk") is not None:
        st.caption(t("Pilot capability: Cpk {cpk:.2f}", cpk=saved["cpk"]))
    if not editable:
        return
    with st.form(f"pilot_form_{project['id']}_{phase}", enter_to_submit=False):
        a, b = st.columns(2)
        before = a.text_area(t("Before (numbers)"), " ".join(map(str, saved.get("before", []))), key=f"pilot_before_{project['id']}")
        after = b.text_area(t("Pilot (numbers)"), " ".join(map(str, saved.get("after", []))), key=f"pilot_after_{project['id']}")
        lsl, usl = a.text_input(t("LSL (optional)"), key=f"pilot_lsl_{project['id']}"), b.text_input(t("USL (optional)"), key=f"pilot_usl_{project['id']}")
        submitted = st.form_submit_button(t("Run and save"), type="primary")
    if submitted:
        try:
            before_values, after_values = numbers(before, t("Before")), numbers(after, t("Pilot"))
            result = analysis.shift_test(before_values, after_values, _direction(project))
            limits = {k: (numbers(v, k)[0] if v.strip() else None) for k, v in (("lsl", lsl), ("usl", usl))}
            cpk = capability(after_values, **limits).cpk if any(v is not None for v in limits.values()) else None
        except ValueError as exc:
            st.error(t("Nothing was saved: {reason}", reason=explain(exc)))
            return
        _save(project, phase, "pilot", {"before": before_values, "after": after_values, "sentence": result.sentence,
                                        "p_value": result.p_value, "cpk": None if cpk is None or pd.isna(cpk) else cpk})


def qfd_tool(project: dict, phase: str, kind: str, saved: dict | None, editable: bool) -> None:
    """House of quality: customer needs with importance against design characteristics (0/1/3/9)."""
    saved = saved or {}
    needs, characteristics = saved.get("needs", {}), saved.get("characteristics", [])
    relations = {(n, c): s for n, c, s in saved.get("relations", [])}
    if needs and characteristics:
        st.dataframe(design.qfd(needs, characteristics, relations), hide_index=True, width="stretch")
        charts.show(project_charts.qfd_figure(needs, characteristics, relations, tr=t), width="stretch",
                    key=f"qfd_chart_{project['id']}")
    if not editable:
        return
    chars_text = st.text_input(t("Design characteristics (comma separated)"), ", ".join(characteristics),
                               key=f"qfd_chars_{project['id']}")
    chosen = [c.strip() for c in chars_text.split(",") if c.strip()]
    matrix = pd.DataFrame([{"need": n, "importance": w, **{c: relations.get((n, c), 0) for c in chosen}}
                           for n, w in needs.items()], columns=["need", "importance", *chosen])
    edited = grid_form(f"qfd_{project['id']}_{phase}_{len(chosen)}", matrix,
                       {"need": t("Customer need"), "importance": st.column_config.NumberColumn(t("Importance"))})
    if edited is not None:
        rows = edited.dropna(subset=["need"])
        try:
            new_needs = {str(r["need"]): float(r["importance"]) for _, r in rows.iterrows()}
            new_relations = {(str(r["need"]), c): int(r[c]) if pd.notna(r[c]) else 0 for _, r in rows.iterrows() for c in chosen}
            design.qfd(new_needs, chosen, new_relations)
        except (ValueError, TypeError) as exc:
            st.error(t("Nothing was saved: {reason}", reason=explain(exc)))
            return
        _save(project, phase, "qfd", {"needs": new_needs, "characteristics": chosen,
                                      "relations": [[n, c, s] for (n, c), s in new_relations.items() if s]})


def text_tool(project: dict, phase: str, kind: str, saved: dict | None, editable: bool) -> None:
    """Free text (the response plan)."""
    text = (saved or {}).get("text", "")
    if not editable:
        st.markdown(plain(text) or "—")
        return
    with st.form(f"text_{project['id']}_{phase}_{kind}", enter_to_submit=False):
        value = st.text_area(t("Text"), text, height=120, key=f"text_value_{project['id']}_{phase}_{kind}")
        submitted = st.form_submit_button(t("Save"), type="primary")
    if submitted:
        if not value.strip():
            st.error(t("Nothing was saved: the text is empty."))
        else:
            _save(project, phase, kind, {"text": value.strip()})


def benefit_words(saved: dict, unit: str) -> str:
    """The measured benefit in a sentence: the KPI before and after the change, the shift and what it is worth."""
    return t("Before the change ({before_months} months from {before_from}) the KPI averaged {before}; from {change} "
             "({after_months} months) it averages {after}: a shift of {shift} (95% interval {shift_low} to "
             "{shift_high}; one-sided p = {p}). Verified benefit: {benefit} a year (95% interval {low} to {high}), "
             "at {worth} a year per unit of the KPI.",
             before_months=saved["before_months"], before_from=period_label(saved["before_from"]),
             before=number(saved["before_mean"], unit), change=period_label(saved["change_month"]),
             after_months=saved["after_months"], after=number(saved["after_mean"], unit),
             shift=signed(saved["shift"], unit), shift_low=signed(saved["shift_low"], unit),
             shift_high=signed(saved["shift_high"], unit), p=f"{saved['p_value']:.3g}",
             benefit=number(saved["benefit"], "$k"), low=number(saved["benefit_low"], "$k"),
             high=number(saved["benefit_high"], "$k"), worth=number(saved["value_per_unit"], "$k"))


def _show_closure(saved: dict, unit: str) -> None:
    if "shift" in saved:
        st.markdown(benefit_words(saved, unit))
        st.caption(t("Finance sign-off: {partner}", partner=plain(saved.get("finance_partner") or t("not recorded"))))
    else:  # typed in before benefits were measured
        st.markdown(t("Verified benefit: ${benefit}k a year. {note}", benefit=saved.get("verified_benefit"),
                      note=plain(saved.get("note", ""))))


def closure_tool(project: dict, phase: str, kind: str, saved: dict | None, editable: bool) -> None:
    """The verified benefit measured on the project's KPI before and after the change month (scorecard.benefit),
    the finance partner's sign-off and a closing note; the benefit shows on the scorecard and in the portfolio."""
    saved = saved or {}
    kpi = None if project.get("kpi_id") is None or pd.isna(project["kpi_id"]) else int(project["kpi_id"])
    unit = _unit(project)
    if saved:
        _show_closure(saved, unit)
    if not editable:
        return
    change = project_loaders.change_month(int(project["id"]))
    if kpi is None or change is None:
        st.info(t("The verified benefit is measured on the project's KPI, from the month its change was approved "
                  "(the Improve or Design tollgate): that tollgate comes first."), icon=":material/info:")
        return
    with st.form(f"closure_{project['id']}", enter_to_submit=False):
        worth = st.number_input(t("What one unit of the KPI is worth a year ($ thousands)"), min_value=0.0, step=1.0,
                                value=float(saved.get("value_per_unit") or (12.0 if unit == "$k" else 0.0)),
                                help=t("12 for a KPI counted in $ thousands a month; otherwise your finance partner's "
                                       "figure."), key=f"closure_worth_{project['id']}")
        partner = st.text_input(t("Finance partner who signed the benefit off (optional)"),
                                saved.get("finance_partner", ""), key=f"closure_partner_{project['id']}")
        note = st.text_area(t("Closing note"), saved.get("note", ""), key=f"closure_note_{project['id']}")
        submitted = st.form_submit_button(t("Measure and save"), type="primary")
    if submitted:
        _save_benefit(project, phase, kpi, change, worth, partner.strip(), note.strip())


def _save_benefit(project: dict, phase: str, kpi: int, change: str, worth: float, partner: str, note: str) -> None:
    """Measure the benefit on the KPI's months; save it unless it is no benefit at all."""
    try:
        measured = verified_benefit(loaders.history(kpi, project["segment"] or "All"), change, _direction(project), worth,
                                    loaders.stage_starts().get(kpi, ()))
    except ValueError as exc:
        st.error(t("Nothing was saved: {reason}", reason=explain(exc)))
        return
    if measured.benefit <= 0:
        st.error(t("Nothing was saved: the KPI moved the wrong way or not at all after {change}.",
                   change=period_label(change)))
        return
    payload = {**measured.as_payload(), "verified_benefit": round(measured.benefit, 3), "finance_partner": partner,
               "note": note}
    if write(set_benefit, int(project["id"]), verified=payload["verified_benefit"], description=note):
        _save(project, phase, "closure", payload)


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


def _optional_number(text: str, name: str) -> float | None:
    """A number typed in an optional box (None when left blank)."""
    return numbers(text, name)[0] if text.strip() else None


def _upload(kind: str, label: str, pid: int) -> tuple[object, pd.DataFrame | None]:
    """The tool's file uploader and the uploaded table (None without a file or when it cannot be used)."""
    upload = st.file_uploader(t(label), type=["csv", "xlsx"], key=f"{kind}_upload_{pid}")
    return upload, (_uploaded_table(upload) if upload else None)


SOURCES = {"gage": "Total gage R&R", "repeatability": "Repeatability", "reproducibility": "Reproducibility",
           "operator": "Operator", "interaction": "Operator × part", "part": "Part-to-part", "total": "Total variation"}
"""The sources of variation of a gage study as Minitab names them."""
GAGE_ROLES = {"part": "Part column", "operator": "Operator column", "value": "Measurement column"}
AIAG_VERDICTS = ((10.0, "acceptable"), (30.0, "marginal: acceptable for some uses"))  # AIAG MSA: % study variation


def _gage_verdict(pct_study_var: float) -> str:
    """The AIAG reading of % study variation: under 10 % acceptable, 10–30 % marginal, above unacceptable."""
    return next((words for limit, words in AIAG_VERDICTS if pct_study_var < limit), "unacceptable")


def _readable(table: pd.DataFrame) -> pd.DataFrame:
    """A statistics table as the user's language writes numbers: 4 decimals, p-values as 0.001 or "< 0.001",
    "—" where a value does not apply."""
    def cell(column: str, value):
        if column == "p_value" and pd.notna(value) and value < 0.001:
            return "< " + number(0.001, decimals=3)
        return number(value, decimals=3 if column == "p_value" else 4)
    return table.assign(**{c: table[c].map(lambda v, c=c: cell(c, v)) for c in table.columns
                           if pd.api.types.is_float_dtype(table[c])})


def _show_gage(result: dict) -> None:
    """A saved gage study: its numbers in words, the variance components, the ANOVA and the six-panel chart."""
    data = pd.DataFrame({k: result["rows"][k] for k in ("part", "operator", "value")})
    study = msa.gage_rr(data, tolerance=result.get("tolerance"))
    st.info(t("Gage R&R is {pct:.2f} % of the study variation ({verdict}); the gage tells {ndc} distinct "
              "categories of parts apart.", pct=study.pct_study_var, verdict=t(_gage_verdict(study.pct_study_var)),
              ndc=study.ndc))
    columns = st.columns(4)
    columns[0].metric(t("% study variation"), number(study.pct_study_var, decimals=2))
    columns[1].metric(t("% contribution"), number(study.pct_contribution, decimals=2))
    columns[2].metric(t("% tolerance"), number(None if study.tolerance is None else study.pct_tolerance, decimals=2))
    columns[3].metric(t("Distinct categories"), number(study.ndc, decimals=0))
    components = study.components if study.tolerance else study.components.drop(columns="pct_tolerance")
    for table in (_readable(components), _readable(study.anova)):
        st.dataframe(table.assign(source=table["source"].map(lambda s: t(SOURCES[s]))), hide_index=True,
                     width="stretch", column_config=_labels(table.columns))
    if study.interaction_removed:
        st.caption(t("The operator × part interaction (p = {p:.3f}) was removed and the model refitted.",
                     p=study.interaction_p_value))
    charts.show(msa_charts.gage_rr_figure(data, study, tr=t), width="stretch",
                key=f"gage_chart_{result.get('saved_at', '')}")
    st.caption(t("From {file}", file=result.get("file", "—")))


def gage_rr_tool(project: dict, phase: str, kind: str, saved: dict | None, editable: bool) -> None:
    """Crossed gage R&R (ANOVA method) of an uploaded study: one row per measurement with its part and operator."""
    _results(project, phase, kind, saved, editable, _show_gage)
    if not editable:
        return
    pid = project["id"]
    upload, frame = _upload("gage", "Study (CSV or Excel): one row per measurement with its part and operator", pid)
    if frame is None:
        return
    with st.form(f"gage_form_{pid}", enter_to_submit=False):
        chosen = _role_columns(list(frame.columns), GAGE_ROLES, f"gage_{pid}")
        tolerance = st.text_input(t("Tolerance (USL − LSL, optional)"), key=f"gage_tolerance_{pid}")
        submitted = st.form_submit_button(t("Run and save"), type="primary")
    if submitted:
        try:
            rows = {"part": _filled(frame, chosen["part"]).tolist(),
                    "operator": _filled(frame, chosen["operator"]).tolist(),
                    "value": numeric_column(frame, chosen["value"], upload.name).tolist()}
            width = _optional_number(tolerance, t("Tolerance"))
            study = msa.gage_rr(pd.DataFrame(rows), tolerance=width)
        except ValueError as exc:
            st.error(t("Nothing was saved: {reason}", reason=explain(exc)))
            return
        _add_result(project, phase, kind, saved, {
            "file": upload.name, "columns": chosen, "rows": rows, "tolerance": width,
            "pct_study_var": study.pct_study_var, "pct_contribution": study.pct_contribution,
            "pct_tolerance": None if study.tolerance is None else study.pct_tolerance, "ndc": study.ndc})


AGREEMENT_ROLES = {"appraiser": "Appraiser column", "part": "Part column", "rating": "Rating column"}
AGREEMENT_KINDS = {"within": "Within appraiser", "vs_standard": "Appraiser vs. standard",
                   "between": "Between appraisers", "all_vs_standard": "All appraisers vs. standard"}


def _show_agreement(result: dict) -> None:
    """A saved attribute agreement study: Fleiss' kappa within, between and against the standard."""
    table = pd.DataFrame(result["table"])
    table = table.assign(kind=table["kind"].map(lambda k: t(AGREEMENT_KINDS[k])),
                         comparison=table["comparison"].map(lambda c: t("All") if c == "all" else c))
    st.dataframe(table, hide_index=True, width="stretch", column_config=_labels(table.columns)
                 | {"percent": st.column_config.NumberColumn(t("Percent"), format="%.1f"),
                    "kappa": st.column_config.NumberColumn(t("Kappa"), format="%.3f")})
    st.caption(t("From {file}", file=result.get("file", "—")))


def attribute_agreement_tool(project: dict, phase: str, kind: str, saved: dict | None, editable: bool) -> None:
    """Attribute agreement of an uploaded study: each appraiser's ratings of each part, with a known standard."""
    _results(project, phase, kind, saved, editable, _show_agreement)
    if not editable:
        return
    pid = project["id"]
    upload, frame = _upload("agreement", "Study (CSV or Excel): one row per rating with its appraiser and part", pid)
    if frame is None:
        return
    columns = list(frame.columns)
    with st.form(f"agreement_form_{pid}", enter_to_submit=False):
        chosen = _role_columns(columns, AGREEMENT_ROLES, f"agreement_{pid}")
        standard = st.selectbox(t("Standard column (optional)"), [None, *columns], key=f"agreement_{pid}_standard",
                                index=columns.index("standard") + 1 if "standard" in columns else 0,
                                format_func=lambda c: "—" if c is None else c)
        submitted = st.form_submit_button(t("Run and save"), type="primary")
    if submitted:
        used = {**chosen, **({"standard": standard} if standard else {})}
        try:
            study = pd.DataFrame({role: _filled(frame, column) for role, column in used.items()})
            table = msa.attribute_agreement(study, part="part", appraiser="appraiser", rating="rating",
                                            standard="standard" if standard else None)
        except ValueError as exc:
            st.error(t("Nothing was saved: {reason}", reason=explain(exc)))
            return
        _add_result(project, phase, kind, saved, {"file": upload.name, "columns": used,
                                                  "table": table.astype(object).where(table.notna(), None)
                                                  .to_dict("records")})


DESIGNS = {"full": "Full factorial (2^k)", "half": "Half fraction (2^(k−1))"}
ORDER = ["run_order", "std_order"]


def _factors(text: str) -> list[dict]:
    """Factors typed one per line as "name, low, high" (the levels may be numbers or words)."""
    factors = []
    for line_number, line in enumerate((line for line in text.splitlines() if line.strip()), start=1):
        cells = [cell.strip() for cell in line.split(",")]
        if len(cells) != 3 or not all(cells):
            raise ValueError(t("Factor line {n} ({line!r}) must read: name, low, high.", n=line_number, line=line))
        factors.append({"name": cells[0], "low": cells[1], "high": cells[2]})
    return factors


def _design(factors: list[dict], design: str, replicates: int, generator: str) -> dict:
    """A new randomized design of the factors: its runs in run order, and for a half fraction its generator and
    aliases."""
    names = [factor["name"] for factor in factors]
    if design == "half":
        fraction = doe.half_fraction(names, generator=generator.strip() or None, replicates=replicates)
        runs, extra = fraction.design, {"defining_relation": fraction.defining_relation, "aliases": fraction.aliases}
    else:
        runs, extra = doe.full_factorial(names, replicates=replicates), {}
    return {"factors": factors, "design": design, "replicates": replicates, **extra,
            "runs": runs[ORDER + names].astype(int).to_dict("records")}


def run_sheet(saved: dict) -> pd.DataFrame:
    """The design's runs in run order: coded levels, each factor's setting, and an empty response column."""
    runs = pd.DataFrame(saved["runs"])
    settings = {f"{factor['name']} setting": runs[factor["name"]].map({-1: factor["low"], 1: factor["high"]})
                for factor in saved["factors"]}
    return runs.assign(**settings, response="")


def _show_design(saved: dict) -> None:
    """The design: what kind, its defining relation and aliases, and the run sheet."""
    st.markdown(t("{design} in {factors} factors, {runs} runs.", design=t(DESIGNS[saved["design"]]),
                  factors=len(saved["factors"]), runs=len(saved["runs"])))
    if saved.get("defining_relation"):
        st.caption(t("Defining relation: {relation}. Aliases: {aliases}.", relation=saved["defining_relation"],
                     aliases="; ".join(saved["aliases"])))
    sheet = run_sheet(saved)
    settings = {f"{f['name']} setting": t("{factor} setting", factor=f["name"]) for f in saved["factors"]}
    st.dataframe(sheet.drop(columns="response"), hide_index=True, width="stretch",
                 column_config=_labels(ORDER) | settings)
    st.download_button(t("Download the run sheet (CSV)"), sheet.to_csv(index=False).encode("utf-8"),
                       file_name="run_sheet.csv", mime="text/csv", key=f"doe_sheet_{len(saved['runs'])}")


def _show_analysis(saved: dict, key: str) -> None:
    """Effects of the saved results: the table, Pareto and normal plot of effects, main effects and interactions."""
    frame, names = pd.DataFrame(saved["results"]), [factor["name"] for factor in saved["factors"]]
    table = doe.effects(frame, "response", names)
    st.dataframe(_readable(table), hide_index=True, width="stretch", column_config=_labels(table.columns))
    for name, figure in (("pareto", doe_charts.effects_pareto_figure(table, tr=t)),
                         ("normal", doe_charts.effects_normal_figure(table, tr=t)),
                         ("main", doe_charts.main_effects_figure(frame, "response", names, tr=t)),
                         ("interaction", doe_charts.interaction_figure(frame, "response", names, tr=t))):
        charts.show(figure, width="stretch", key=f"doe_{name}_{key}")


def _results_from(frame: pd.DataFrame, names: list[str], response: str, file: str) -> dict:
    """The uploaded run sheet's coded levels and response as numbers, checked by the effects' own rules."""
    columns = {name: numeric_column(frame, name.lower(), file) for name in names}
    data = pd.DataFrame({**columns, "response": numeric_column(frame, response, file)})
    doe.effects(data, "response", names)
    return data.to_dict("list")


def doe_tool(project: dict, phase: str, kind: str, saved: dict | None, editable: bool) -> None:
    """A two-level experiment: factors and design chosen, a randomized run sheet to download, results uploaded
    and analysed (effects, their Pareto and normal plot, main effects and interactions)."""
    pid, saved = project["id"], saved or {}
    if saved.get("runs"):
        _show_design(saved)
    if saved.get("results"):
        _show_analysis(saved, f"{pid}_{phase}")
    if not editable:
        return
    if saved.get("runs"):
        upload, frame = _upload("doe", "Results (the run sheet with its response column filled in)", pid)
        if frame is not None:
            names = [factor["name"] for factor in saved["factors"]]
            choices = [c for c in frame.columns if c not in {*ORDER, *(n.lower() for n in names)}]
            response = st.selectbox(t("Response column"), choices, key=f"doe_response_{pid}",
                                    index=choices.index("response") if "response" in choices else 0)
            if st.button(t("Analyse and save"), key=f"doe_analyse_{pid}", type="primary"):
                try:
                    results = _results_from(frame, names, response, upload.name)
                except ValueError as exc:
                    st.error(t("Nothing was saved: {reason}", reason=explain(exc)))
                    return
                _save(project, phase, kind, {**saved, "response": response, "file": upload.name, "results": results})
    st.markdown("**" + (t("A new design (replaces this one and its results)") if saved else t("A new design")) + "**")
    with st.form(f"doe_form_{pid}", enter_to_submit=False):
        text = st.text_area(t("Factors, one per line: name, low, high"), key=f"doe_factors_{pid}",
                            placeholder="Temperature, 160, 180\nPressure, 10, 15\nCatalyst, A, B")
        left, middle, right = st.columns(3)
        design = left.radio(t("Design"), list(DESIGNS), format_func=lambda d: t(DESIGNS[d]), key=f"doe_kind_{pid}")
        replicates = middle.number_input(t("Replicates"), 1, 10, 1, key=f"doe_replicates_{pid}")
        generator = right.text_input(t("Generator of a half fraction (optional, e.g. D = ABC)"),
                                     key=f"doe_generator_{pid}")
        submitted = st.form_submit_button(t("Create the design"), type="primary")
    if submitted:
        try:
            new = _design(_factors(text), design, int(replicates), generator)
        except ValueError as exc:
            st.error(t("Nothing was saved: {reason}", reason=explain(exc)))
            return
        _save(project, phase, kind, new)


SIZES = {"two_sample_t": "Two-sample t (difference of two means)",
         "paired_t": "Paired t (before/after on the same units)", "two_proportions": "Two proportions",
         "anova": "One-way ANOVA (several means)"}
SIZE_SENTENCES = {
    "two_sample_t": "n = {n} per group for a difference of {effect:.2g} σ at {power} power (α = {alpha}).",
    "paired_t": "n = {n} pairs for a mean difference of {effect:.2g} σ at {power} power (α = {alpha}).",
    "two_proportions": "n = {n} per group to tell a proportion of {p1:g} from {p2:g} at {power} power (α = {alpha}).",
    "anova": "n = {n} per group for {k} groups with means {means} and a standard deviation of {sigma:g} at {power} "
             "power (α = {alpha})."}
"""Each sample size in words."""


def _size_inputs(test: str, key: str) -> dict:
    """The boxes of a sample-size question: what difference to detect, with what spread."""
    left, right = st.columns(2)
    if test == "two_proportions":
        return {"p1": left.number_input(t("Proportion now"), 0.0, 1.0, 0.5, 0.01, key=f"{key}_p1"),
                "p2": right.number_input(t("Proportion to detect"), 0.0, 1.0, 0.6, 0.01, key=f"{key}_p2")}
    spread = right.number_input(t("Standard deviation of the differences") if test == "paired_t"
                                else t("Standard deviation"), 0.0, value=1.0, key=f"{key}_sigma")
    if test == "anova":
        return {"means": left.text_input(t("Expected group means (numbers)"), "0 0 1 1", key=f"{key}_means"),
                "sigma": spread}
    return {"delta": left.number_input(t("Difference to detect"), value=0.5, key=f"{key}_delta"), "sigma": spread}


def _sample_size(test: str, inputs: dict, power: float, alpha: float) -> tuple[int, str]:
    """The sample size a test needs and the answer in words."""
    levels = {"power": power, "alpha": alpha}
    words = {"power": f"{power:.0%}", "alpha": f"{alpha:g}"}
    if test == "two_proportions":
        n = analysis.sample_size_two_proportions(inputs["p1"], inputs["p2"], **levels)
        return n, t(SIZE_SENTENCES[test], n=n, p1=inputs["p1"], p2=inputs["p2"], **words)
    if test == "anova":
        means = numbers(inputs["means"], t("Expected group means"))
        n = analysis.sample_size_anova(means, inputs["sigma"], **levels)
        return n, t(SIZE_SENTENCES[test], n=n, k=len(means), means=", ".join(f"{m:g}" for m in means),
                    sigma=inputs["sigma"], **words)
    size = analysis.sample_size_paired_t if test == "paired_t" else analysis.sample_size_two_sample_t
    n = size(inputs["delta"], inputs["sigma"], **levels)
    effect = abs(inputs["delta"]) / inputs["sigma"] if inputs["sigma"] else float("nan")
    return n, t(SIZE_SENTENCES[test], n=n, effect=effect, **words)


def sample_size_tool(project: dict, phase: str, kind: str, saved: dict | None, editable: bool) -> None:
    """How much data the belt's test needs: the sample size for a difference to detect, answered in words."""
    _results(project, phase, kind, saved, editable, lambda result: st.info(result["sentence"]))
    if not editable:
        return
    pid = project["id"]
    test = st.selectbox(t("Test the data will go to"), list(SIZES), format_func=lambda k: t(SIZES[k]),
                        key=f"size_test_{pid}")
    with st.form(f"size_form_{pid}", enter_to_submit=False):
        inputs = _size_inputs(test, f"size_{pid}")
        left, right = st.columns(2)
        power = left.number_input(t("Power"), 0.5, 0.99, 0.8, 0.05, key=f"size_power_{pid}")
        alpha = right.number_input(t("Significance level (α)"), 0.001, 0.2, 0.05, 0.01, format="%.3f",
                                   key=f"size_alpha_{pid}")
        submitted = st.form_submit_button(t("Run and save"), type="primary")
    if submitted:
        try:
            n, sentence = _sample_size(test, inputs, power, alpha)
        except ValueError as exc:
            st.error(t("Nothing was saved: {reason}", reason=explain(exc)))
            return
        _add_result(project, phase, kind, saved, {"test": test, "inputs": inputs, "power": power, "alpha": alpha,
                                                  "n": n, "sentence": sentence})


DIRECTIONS = {"higher": "above the requirement", "lower": "below the requirement"}
CAPABILITY_COLUMNS = {"cp": "Cp", "cpk": "Cpk", "pp": "Pp", "ppk": "Ppk", "ppm_overall": "Expected ppm outside"}


def _ctq_limits(project: dict) -> dict[str, dict]:
    """The CTQs of the project's CTQ tree (Design phase) with their limits and target, by CTQ name."""
    tree = project_loaders.detail(int(project["id"]))["artifacts"].get("design/ctq_tree") or {}
    return {str(row["ctq"]): row for row in tree.get("rows", []) if row.get("ctq")}


def _one_number(text: str, name: str) -> float:
    """The one number a box must hold."""
    values = numbers(text, name)
    if len(values) != 1:
        raise ValueError(t("{name}: give one number.", name=name))
    return values[0]


def _limit_text(value) -> str:
    return "" if value is None or pd.isna(value) or str(value).strip() == "" else f"{float(value):g}"


def _show_verification(saved: dict, key: str) -> None:
    """Predicted and observed capability against the CTQ's limits, and the verification test in words."""
    st.info(explain(analysis.verification_verdict(saved["required"], saved["mean"], saved["bound"], saved["direction"],
                                                  saved["p_value"])) if "bound" in saved else saved["sentence"])
    rows = [{"": t(label), **{c: saved[name].get(c) for c in CAPABILITY_COLUMNS}}
            for name, label in (("predicted", "Predicted"), ("observed_capability", "Observed")) if saved.get(name)]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
                 column_config={c: st.column_config.NumberColumn(t(label), format="%.2f")
                                for c, label in CAPABILITY_COLUMNS.items()})
    limits = {"lsl": saved.get("lsl"), "usl": saved.get("usl")}
    charts.show(capability_figure(saved["observed"], capability(saved["observed"], **limits), **limits, tr=t),
                width="stretch", key=f"verify_chart_{key}")
    st.caption(t("CTQ: {ctq}", ctq=plain(saved.get("ctq") or "—")))


def _indices(cap) -> dict:
    return {c: None if pd.isna(getattr(cap, c)) else float(getattr(cap, c)) for c in CAPABILITY_COLUMNS}


def verification_tool(project: dict, phase: str, kind: str, saved: dict | None, editable: bool) -> None:
    """DFSS Verify: the design's predicted and observed capability against a CTQ's specification limits, and a
    one-sided test that the observed mean meets what is required."""
    pid = project["id"]
    if saved:
        _show_verification(saved, f"{pid}_{phase}")
    if not editable:
        return
    ctqs = _ctq_limits(project)
    ctq = st.selectbox(t("CTQ (from the CTQ tree)"), [None, *ctqs], key=f"verify_ctq_{pid}",
                       format_func=lambda c: t("Type the limits") if c is None else c)
    row, suffix = ctqs.get(ctq, {}), f"{pid}_{list(ctqs).index(ctq) if ctq in ctqs else 'typed'}"
    with st.form(f"verify_form_{pid}", enter_to_submit=False):
        a, b, c = st.columns(3)
        lsl = a.text_input(t("LSL (optional)"), _limit_text(row.get("lsl")), key=f"verify_lsl_{suffix}")
        usl = b.text_input(t("USL (optional)"), _limit_text(row.get("usl")), key=f"verify_usl_{suffix}")
        required = c.text_input(t("Required mean"), _limit_text(row.get("target")), key=f"verify_required_{suffix}")
        mean = a.text_input(t("Predicted mean (from the design)"), key=f"verify_mean_{pid}")
        sigma = b.text_input(t("Predicted standard deviation"), key=f"verify_sigma_{pid}")
        direction = c.radio(t("The mean must be"), list(DIRECTIONS), horizontal=True, key=f"verify_direction_{pid}",
                            format_func=lambda d: t(DIRECTIONS[d]))
        observed = st.text_area(t("Observed values of the new design (numbers)"), key=f"verify_observed_{pid}")
        submitted = st.form_submit_button(t("Run and save"), type="primary")
    if submitted:
        try:
            limits = {"lsl": _optional_number(lsl, "LSL"), "usl": _optional_number(usl, "USL")}
            values, target = numbers(observed, t("Observed values")), _one_number(required, t("Required mean"))
            test = analysis.verification_test(values, target, direction)
            seen = capability(values, **limits)
            predicted = (predicted_capability(_one_number(mean, t("Predicted mean")),
                                              _one_number(sigma, t("Predicted standard deviation")), **limits)
                         if mean.strip() or sigma.strip() else None)
        except ValueError as exc:
            st.error(t("Nothing was saved: {reason}", reason=explain(exc)))
            return
        _save(project, phase, kind, {
            "ctq": ctq, **limits, "required": target, "direction": direction, "observed": values,
            "observed_capability": _indices(seen), "predicted": None if predicted is None else _indices(predicted),
            "p_value": test.p_value, "sentence": test.sentence, "mean": test.estimate + target,
            "bound": test.ci_low if direction == "higher" else test.ci_high})


Renderer = Callable[[dict, str, str, "dict | None", bool], None]
RENDERERS: dict[str, Renderer] = {
    "charter": charter, "sipoc": table_tool, "data_collection_plan": table_tool, "baseline": baseline,
    "pareto": pareto_tool, "fishbone": fishbone_tool, "five_whys": five_whys_tool, "hypothesis_test": hypothesis_tool,
    "regression": regression_tool, "solutions": table_tool, "ctq_tree": table_tool, "qfd": qfd_tool,
    "fmea": table_tool, "pilot": pilot_tool, "control_plan": table_tool, "response_plan": text_tool,
    "closure": closure_tool, "gage_rr": gage_rr_tool, "attribute_agreement": attribute_agreement_tool,
    "doe": doe_tool, "sample_size": sample_size_tool, "verification": verification_tool,
}
"""Each tool of the registry (sixsigma.tools.REGISTRY) and the function that shows it: (project, phase, kind,
saved payload, editable)."""

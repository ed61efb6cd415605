"""Analyze: Pareto, fishbone, 5 whys, hypothesis tests and regression."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from scorecard.io import numeric_column
from sixsigma import analysis, project_charts, rootcause
from ui.components import charts
from ui.core import loaders
from ui.core.format import number, plain
from ui.core.i18n import t
from ui.core.messages import explain, message_payload, saved_sentence
from ui.projects.tools._common import (
    _add_result, _column, _labels, _readable, _results, _save, _uploaded_table, grid_form, numbers,
)
from ui.projects.tools.displays import column_values, diagnostics_payload, kpi_frame, look_at_data, show_diagnostics


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
         "normality": "Are the values normal? (Anderson-Darling)",
         "correlation": "Do two measures move together? (correlation)",
         "two_way_anova": "Two factors and their interaction (two-way ANOVA)"}
SOURCES = {"typed": "Typed or pasted numbers", "kpis": "The KPIs' monthly actuals"}


GROUP_TESTS = {"anova": analysis.one_way_anova, "kruskal_wallis": analysis.kruskal_wallis,
               "equal_variances": analysis.equal_variances}


PAIR_TESTS = {"two_sample_t": analysis.two_sample_t, "paired_t": analysis.paired_t,
              "mann_whitney": analysis.mann_whitney, "correlation": analysis.correlation}


# the two samples' names in messages (others: Group A, Group B)
PAIR_NAMES = {"paired_t": ("Before", "After"), "correlation": ("X", "Y")}


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


def _two_way(frame: pd.DataFrame, chosen: dict, file: str | None) -> dict:
    """A two-way ANOVA of the chosen response by two factors: its table, kept with the sentence and the smallest
    p-value of its effects."""
    response = chosen["response"]
    data = frame.assign(**{response: numeric_column(frame, response, file)}) if file else frame
    table = analysis.two_way_anova(data, response, chosen["factor_a"], chosen["factor_b"])
    effects = table.iloc[:-1]
    strongest = effects.loc[effects["p_value"].idxmin()]
    message = analysis.two_way_message(table, response)
    return {"test": "Two-way ANOVA", "statistic": float(strongest["f"]), "p_value": float(strongest["p_value"]),
            "sentence": str(message), "message": message_payload(message),
            "table": table.astype(object).where(table.notna(), None).to_dict("records")}


def _test_result(kind: str, values: dict) -> dict:
    """What the tool keeps of a test: its sentence and numbers; after a one-way ANOVA, Tukey's comparisons."""
    result = _run_test(kind, values)
    kept = {"test": result.name, "statistic": result.statistic, "p_value": result.p_value,
            "sentence": result.sentence, "message": message_payload(result.message)}
    if kind == "anova":
        kept["comparisons"] = analysis.tukey(values["groups"]).to_dict("records")
    return kept


def _show_test(result: dict) -> None:
    """A saved test: its sentence, and its table where it kept one (two-way ANOVA, Tukey's comparisons)."""
    st.info(saved_sentence(result))
    if result.get("table"):
        table = pd.DataFrame(result["table"])
        table["source"] = [t("the interaction") if s == "interaction" else t("Error") if s == "error" else plain(s)
                           for s in table["source"]]
        shown = _readable(table.astype({c: float for c in ("ss", "ms", "f", "p_value")}))
        st.dataframe(shown.assign(df=[number(df, decimals=0) for df in table["df"]]), hide_index=True, width="stretch",
                     column_config=_labels(["source", "df", "ss", "ms", "f", "p_value"]))
    if result.get("comparisons"):
        st.caption(t("Which groups differ (Tukey's comparisons, 95 % intervals of the difference)"))
        table = pd.DataFrame(result["comparisons"])
        st.dataframe(_readable(table.assign(group_a=table["group_a"].map(plain), group_b=table["group_b"].map(plain))),
                     hide_index=True, width="stretch",
                     column_config={"group_a": t("Group"), "group_b": t("against"), "difference": t("Difference"),
                                    "ci_low": t("From"), "ci_high": t("To"), "p_value": t("p-value")})


def _file_inputs(kind: str, columns: list[str], key: str) -> dict:
    """The file's columns the test runs on, chosen in the test's form."""
    if kind == "two_way_anova":
        return {"response": st.selectbox(t("Response"), columns, key=f"{key}_response"),
                "factor_a": st.selectbox(t("Factor A"), columns, index=min(1, len(columns) - 1),
                                         key=f"{key}_factor_a"),
                "factor_b": st.selectbox(t("Factor B"), columns, index=min(2, len(columns) - 1),
                                         key=f"{key}_factor_b")}
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


def _from_file(kind: str, frame: pd.DataFrame, chosen: dict, file: str | None) -> dict:
    """The chosen columns of an uploaded file (``file`` its name) or of the KPIs' monthly actuals (``file`` None) as
    the test's numbers (a chi-square table: one row per file row; a correlation: the rows where both are filled)."""
    if kind in GROUP_TESTS:
        return {"groups": {column: column_values(frame, column, file) for column in chosen["groups"]}}
    if kind == "chi_square":
        counts = [numeric_column(frame, column, file) if file else frame[column] for column in chosen["table"]]
        return {"table": [list(row) for row in zip(*counts)]}
    if kind == "correlation" and not file:
        pairs = frame[[chosen["a"], chosen["b"]]].dropna()
        return {"a": pairs[chosen["a"]].tolist(), "b": pairs[chosen["b"]].tolist()}
    return {name: column_values(frame, column, file) for name, column in chosen.items()}


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


def hypothesis_tool(project: dict, phase: str, kind: str, saved: dict | None, editable: bool) -> None:
    """Hypothesis tests on typed numbers or an uploaded file's columns, each stated in one sentence; every test
    saved is kept."""
    _results(project, phase, "hypothesis_test", saved, editable, _show_test)
    if not editable:
        return
    pid, segment = project["id"], project["segment"] or "All"
    upload = st.file_uploader(t("Data (CSV or Excel); without a file, type the numbers or use the KPIs' monthly "
                                "actuals"), type=["csv", "xlsx"], key=f"test_upload_{pid}")
    frame = _uploaded_table(upload) if upload else None
    if upload and frame is None:
        return
    if not upload and st.radio(t("Numbers"), list(SOURCES), format_func=lambda s: t(SOURCES[s]), horizontal=True,
                               key=f"test_source_{pid}") == "kpis":
        frame = kpi_frame(segment)
    look_at_data(frame if frame is not None else kpi_frame(segment), upload.name if upload else None,
                 f"look_test_{pid}")
    kind = st.selectbox(t("Test"), list(TESTS), format_func=lambda k: t(TESTS[k]), key=f"test_kind_{pid}")
    from_file = frame is not None and kind != "two_proportions"
    if kind == "two_way_anova" and not from_file:
        st.info(t("A two-way ANOVA needs a table: upload a file or use the KPIs' monthly actuals."))
        return
    with st.form(f"test_form_{pid}", enter_to_submit=False):
        inputs = _file_inputs(kind, list(frame.columns), f"test_file_{pid}") if from_file else _typed_inputs(kind, pid)
        submitted = st.form_submit_button(t("Run and save"), type="primary")
    if submitted:
        file = upload.name if upload else None
        try:
            if kind == "two_way_anova":
                result = _two_way(frame, inputs, file)
            else:
                result = _test_result(kind, _from_file(kind, frame, inputs, file) if from_file else _typed(kind, inputs))
        except ValueError as exc:
            st.error(t("Nothing was saved: {reason}", reason=explain(exc)))
            return
        _add_result(project, phase, "hypothesis_test", saved, result)


MODELS = {"linear": "Linear (least squares)", "logistic": "Binary logistic (a 0/1 response)"}


def _show_fit(fit: dict) -> None:
    """A saved fit: its sentences, R² and n, and, when it kept them, its diagnostics; a logistic fit its odds ratios."""
    for sentence in fit.get("messages") or fit.get("sentences", []):
        st.info(saved_sentence({"message": sentence}) if isinstance(sentence, dict) else sentence)
    if fit.get("model") == "logistic":
        _show_odds(fit)
        return
    st.caption(t("R² = {r2}, n = {n}", r2=number(fit.get("r_squared"), decimals=2), n=number(fit.get("n"), decimals=0)))
    if "adj_r_squared" in fit:          # fits saved before the diagnostics were kept show without them
        show_diagnostics(fit, f"fit_{fit.get('saved_at', '')}")


def _show_odds(fit: dict) -> None:
    """A logistic fit's counts and, per driver, its odds ratio with the interval and p-value."""
    st.caption(t("n = {n}, of which {events} with {response} = 1", n=number(fit["n"], decimals=0),
                 events=number(fit["events"], decimals=0), response=plain(fit["response"])))
    rows = [term for term in fit["terms"] if term["term"] != "const"]
    st.dataframe(pd.DataFrame({"term": [plain(r["term"]) for r in rows],
                               "odds_ratio": [number(r["odds_ratio"], decimals=3) for r in rows],
                               "interval": [f"{number(r['or_ci_low'], decimals=3)} – {number(r['or_ci_high'], decimals=3)}"
                                            for r in rows],
                               "p_value": [number(r["p_value"], decimals=4) for r in rows]}),
                 hide_index=True, width="stretch",
                 column_config={"term": t("Driver"), "odds_ratio": t("Odds ratio per extra 1"),
                                "interval": t("95 % interval"), "p_value": t("p-value")})


def _fit(model: str, data: pd.DataFrame, response: str, drivers: list[str]) -> dict:
    """Fit the chosen model and return what the tool keeps of it."""
    if model == "logistic":
        result = analysis.logistic_regression(data, response, drivers)
        return {"model": "logistic", "response": response, "sentences": result.sentences,
                "messages": [message_payload(message) for message in result.messages], "n": result.n,
                "events": result.events,
                "terms": result.terms[["term", "coefficient", "odds_ratio", "or_ci_low", "or_ci_high",
                                       "p_value"]].to_dict("records")}
    result = analysis.regression(data, response, drivers)
    return {"model": "linear", "response": response, "sentences": result.sentences,
            "messages": [message_payload(message) for message in result.messages], "r_squared": result.r_squared,
            "n": result.n, "terms": result.terms[["term", "coefficient", "p_value"]].to_dict("records"),
            **diagnostics_payload(result)}


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
    look_at_data(data if upload else kpi_frame(project["segment"] or "All"), upload.name if upload else None,
                 f"look_reg_{project['id']}")
    columns = list(data.columns)
    model = st.radio(t("Model"), list(MODELS), format_func=lambda m: t(MODELS[m]), horizontal=True,
                     key=f"reg_model_{project['id']}")
    response = st.selectbox(t("Response"), columns, key=f"reg_response_{project['id']}")
    drivers = st.multiselect(t("Drivers"), [c for c in columns if c != response], key=f"reg_drivers_{project['id']}")
    if st.button(t("Run and save"), key=f"reg_run_{project['id']}", type="primary"):
        try:
            if upload:      # the file's cells are text: each chosen column as numbers, a bad cell named by row
                data = data.assign(**{c: numeric_column(data, c, upload.name) for c in [response, *drivers]})
            fit = _fit(model, data, response, drivers)
        except ValueError as exc:
            st.error(t("Nothing was saved: {reason}", reason=explain(exc)))
            return
        _add_result(project, phase, "regression", saved, fit)

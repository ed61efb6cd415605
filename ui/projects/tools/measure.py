"""Measure: the KPI's baseline, gage R&R, attribute agreement and the sample size a test needs."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from scorecard.io import numeric_column
from sixsigma import analysis, control_chart_figure, msa, msa_charts
from ui.components import charts
from ui.core import loaders
from ui.core.format import number, plain
from ui.core.i18n import t
from ui.core.messages import explain
from ui.projects import baseline as in_words
from ui.projects.tools._common import (_add_result, _computed_baseline, _filled, _labels, _optional_number, _readable,
                                       _results, _role_columns, _save, _unit, numbers, upload_study)


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


SOURCES = {"gage": "Total gage R&R", "repeatability": "Repeatability", "reproducibility": "Reproducibility",
           "operator": "Operator", "interaction": "Operator × part", "part": "Part-to-part", "total": "Total variation"}
"""The sources of variation of a gage study as Minitab names them."""


GAGE_ROLES = {"part": "Part column", "operator": "Operator column", "value": "Measurement column"}


AIAG_VERDICTS = ((10.0, "acceptable"), (30.0, "marginal: acceptable for some uses"))  # AIAG MSA: % study variation


def _gage_verdict(pct_study_var: float) -> str:
    """The AIAG reading of % study variation: under 10 % acceptable, 10–30 % marginal, above unacceptable."""
    return next((words for limit, words in AIAG_VERDICTS if pct_study_var < limit), "unacceptable")


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


def _gage_inputs(frame: pd.DataFrame, pid: int) -> dict:
    """The gage study's form: which column holds the part, the operator and the measurement; the tolerance."""
    return {"columns": _role_columns(list(frame.columns), GAGE_ROLES, f"gage_{pid}"),
            "tolerance": st.text_input(t("Tolerance (USL − LSL, optional)"), key=f"gage_tolerance_{pid}")}


def _gage_study(frame: pd.DataFrame, chosen: dict, file: str) -> dict:
    """The crossed gage R&R of the chosen columns, as the result to keep (ValueError: the data cannot be used)."""
    columns = chosen["columns"]
    rows = {"part": _filled(frame, columns["part"]).tolist(), "operator": _filled(frame, columns["operator"]).tolist(),
            "value": numeric_column(frame, columns["value"], file).tolist()}
    width = _optional_number(chosen["tolerance"], t("Tolerance"))
    study = msa.gage_rr(pd.DataFrame(rows), tolerance=width)
    return {"columns": columns, "rows": rows, "tolerance": width, "pct_study_var": study.pct_study_var,
            "pct_contribution": study.pct_contribution,
            "pct_tolerance": None if study.tolerance is None else study.pct_tolerance, "ndc": study.ndc}


def gage_rr_tool(project: dict, phase: str, kind: str, saved: dict | None, editable: bool) -> None:
    """Crossed gage R&R (ANOVA method) of an uploaded study: one row per measurement with its part and operator."""
    upload_study(project, phase, kind, saved, editable, show=_show_gage, prefix="gage",
                 label="Study (CSV or Excel): one row per measurement with its part and operator",
                 inputs=_gage_inputs, run=_gage_study)


AGREEMENT_ROLES = {"appraiser": "Appraiser column", "part": "Part column", "rating": "Rating column"}
AGREEMENT_DECIMALS = {"inspected": 0, "matched": 0, "percent": 1, "kappa": 3}
"""The agreement table's numbers as shown (in the user's digits)."""
AGREEMENT_KINDS = {"within": "Within appraiser", "vs_standard": "Appraiser vs. standard",
                   "between": "Between appraisers", "all_vs_standard": "All appraisers vs. standard"}


def _show_agreement(result: dict) -> None:
    """A saved attribute agreement study: Fleiss' kappa within, between and against the standard."""
    table = pd.DataFrame(result["table"])
    written = {column: table[column].map(lambda v, places=places: number(v, decimals=places))
               for column, places in AGREEMENT_DECIMALS.items()}
    table = table.assign(kind=table["kind"].map(lambda k: t(AGREEMENT_KINDS[k])),
                         comparison=table["comparison"].map(lambda c: t("All") if c == "all" else c), **written)
    st.dataframe(table, hide_index=True, width="stretch", column_config=_labels(table.columns))
    st.caption(t("From {file}", file=result.get("file", "—")))


def _agreement_inputs(frame: pd.DataFrame, pid: int) -> dict:
    """The agreement study's form: the appraiser, part and rating columns and, optionally, the standard's."""
    columns = list(frame.columns)
    chosen = _role_columns(columns, AGREEMENT_ROLES, f"agreement_{pid}")
    standard = st.selectbox(t("Standard column (optional)"), [None, *columns], key=f"agreement_{pid}_standard",
                            index=columns.index("standard") + 1 if "standard" in columns else 0,
                            format_func=lambda c: "—" if c is None else c)
    return {**chosen, **({"standard": standard} if standard else {})}


def _agreement_study(frame: pd.DataFrame, used: dict, file: str) -> dict:
    """Fleiss' kappa of the chosen columns, as the result to keep (ValueError: the data cannot be used)."""
    study = pd.DataFrame({role: _filled(frame, column) for role, column in used.items()})
    table = msa.attribute_agreement(study, part="part", appraiser="appraiser", rating="rating",
                                    standard="standard" if "standard" in used else None)
    return {"columns": used, "table": table.astype(object).where(table.notna(), None).to_dict("records")}


def attribute_agreement_tool(project: dict, phase: str, kind: str, saved: dict | None, editable: bool) -> None:
    """Attribute agreement of an uploaded study: each appraiser's ratings of each part, with a known standard."""
    upload_study(project, phase, kind, saved, editable, show=_show_agreement, prefix="agreement",
                 label="Study (CSV or Excel): one row per rating with its appraiser and part",
                 inputs=_agreement_inputs, run=_agreement_study)


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

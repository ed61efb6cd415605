"""Improve and Design: the pilot, the house of quality and designed experiments (solutions and FMEA are
table tools, see ``_common``)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from scorecard.io import numeric_column
from sixsigma import analysis, control_chart, control_chart_figure, design, doe, doe_charts, project_charts
from sixsigma.capability import capability
from ui.components import charts
from ui.core.format import number
from ui.core.i18n import digits, t
from ui.core.messages import explain, message_payload, saved_sentence
from ui.projects.tools._common import _direction, _labels, _readable, _save, _upload, grid_form, numbers


def pilot_tool(project: dict, phase: str, kind: str, saved: dict | None, editable: bool) -> None:
    """Before and after the change: a staged individuals chart, the test of the shift, capability of the pilot."""
    saved = saved or {}
    if saved.get("before") and saved.get("after"):
        values = saved["before"] + saved["after"]
        stages = [t("Before")] * len(saved["before"]) + [t("Pilot")] * len(saved["after"])
        charts.show(control_chart_figure(control_chart(values, "i_mr", stages=stages), tr=t), width="stretch",
                    key=f"pilot_chart_{project['id']}_{phase}")
    if saved.get("sentence"):
        st.info(saved_sentence(saved))
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
            direction = _direction(project)
            result = analysis.shift_test(before_values, after_values, direction)
            limits = {k: (numbers(v, k)[0] if v.strip() else None) for k, v in (("lsl", lsl), ("usl", usl))}
            cpk = capability(after_values, **limits).cpk if any(v is not None for v in limits.values()) else None
        except ValueError as exc:
            st.error(t("Nothing was saved: {reason}", reason=explain(exc)))
            return
        _save(project, phase, "pilot", {"before": before_values, "after": after_values, "direction": direction,
                                        "sentence": result.sentence,
                                        "message": message_payload(result.message),
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


DESIGNS = {"full": "Full factorial (2^k)", "half": "Half fraction (2^(k−1))"}


ORDER = ["run_order", "std_order"]
ESTIMATED = "Estimated effect"
"""The effects table's header: a term's effect on the response (not the effect of a cause-and-effect link)."""


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
    shown = sheet.drop(columns="response")                  # in the user's digits (the download keeps Latin ones)
    shown = shown.assign(**{c: shown[c].map(lambda v: number(v, decimals=0)) for c in shown.columns
                            if c not in settings}, **{c: shown[c].astype(str).map(digits) for c in settings})
    st.dataframe(shown, hide_index=True, width="stretch", column_config=_labels(ORDER) | settings)
    st.download_button(t("Download the run sheet (CSV)"), sheet.to_csv(index=False).encode("utf-8"),
                       file_name="run_sheet.csv", mime="text/csv", key=f"doe_sheet_{len(saved['runs'])}")


def _show_analysis(saved: dict, key: str) -> None:
    """Effects of the saved results: the table, Pareto and normal plot of effects, main effects and interactions."""
    frame, names = pd.DataFrame(saved["results"]), [factor["name"] for factor in saved["factors"]]
    table = doe.effects(frame, "response", names)
    st.dataframe(_readable(table), hide_index=True, width="stretch",
                 column_config=_labels(table.columns) | {"effect": t(ESTIMATED)})
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

"""Control and Verify: the response plan, closure with the verified benefit and DFSS verification (the control
plan is a table tool, see ``_common``)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data.projects import set_benefit
from scorecard.benefit import verified_benefit
from sixsigma import analysis
from sixsigma.capability import capability, predicted_capability
from sixsigma.charts import capability_figure
from ui.components import charts
from ui.core import loaders
from ui.core.format import number, period_label, plain, signed
from ui.core.i18n import t
from ui.core.messages import explain, message_payload, saved_sentence
from ui.core.writing import write
from ui.projects import loaders as project_loaders
from ui.projects.tools._common import _direction, _one_number, _optional_number, _save, _unit, numbers


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


def trend_words(saved: dict, unit: str) -> str:
    """A warning when the KPI was already moving the wanted way before the change ("" when it was not)."""
    if not saved.get("trend_explains"):
        return ""
    return t("Careful: the KPI was already moving {slope} a month before the change (one-sided p = {p}). That trend "
             "alone would bring {trend} of the {shift} shift, so part of the benefit may be the trend, not the change.",
             slope=signed(saved["trend_per_month"], unit), p=f"{saved['trend_p']:.3g}",
             trend=signed(saved["trend_shift"], unit), shift=signed(saved["shift"], unit))


def _show_closure(saved: dict, unit: str) -> None:
    if "shift" in saved:
        st.markdown(benefit_words(saved, unit))
        if trend_words(saved, unit):
            st.warning(trend_words(saved, unit), icon=":material/trending_up:")
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


DIRECTIONS = {"higher": "above the requirement", "lower": "below the requirement"}


CAPABILITY_COLUMNS = {"cp": "Cp", "cpk": "Cpk", "pp": "Pp", "ppk": "Ppk", "ppm_overall": "Expected ppm outside"}


def _ctq_limits(project: dict) -> dict[str, dict]:
    """The CTQs of the project's CTQ tree (Design phase) with their limits and target, by CTQ name."""
    tree = project_loaders.detail(int(project["id"]))["artifacts"].get("design/ctq_tree") or {}
    return {str(row["ctq"]): row for row in tree.get("rows", []) if row.get("ctq")}


def _limit_text(value) -> str:
    return "" if value is None or pd.isna(value) or str(value).strip() == "" else f"{float(value):g}"


def _show_verification(saved: dict, key: str) -> None:
    """Predicted and observed capability against the CTQ's limits, and the verification test in words."""
    st.info(saved_sentence(saved))
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
            "p_value": test.p_value, "sentence": test.sentence,
            "message": message_payload(test.message)})

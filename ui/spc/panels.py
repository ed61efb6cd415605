"""Panels of the SPC studio: choosing data, chart settings, the chart, its signals, capability."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import streamlit as st

from scorecard.io import max_import_megabytes, numeric_column, read_table
from sixsigma import (
    AutoCapability,
    Interval,
    capability_auto,
    capability_ci,
    capability_figure,
    control_chart,
    control_chart_figure,
    suggest_chart,
)
from sixsigma.capability import Capability, capability
from sixsigma.charts import CHART_TITLES, signal_words
from ui.components import charts, pickers, tables
from ui.components.tables import Cell
from ui.core import loaders
from ui.core.format import number, period_label
from ui.core.i18n import digits, localized, t
from ui.core.messages import explain

ATTRIBUTE_KINDS = ["p", "laney_p", "np", "c", "u", "laney_u"]
VARIABLE_KINDS = ["i_mr", "ewma", "cusum"]
SUBGROUP_KINDS = ["xbar_r", "xbar_s", "ewma", "cusum"]
KIND_LABELS = {"i_mr": "I-MR (individuals)", "xbar_r": "X̄-R", "xbar_s": "X̄-S", "p": "p (proportion)",
               "laney_p": "Laney p′", "np": "np (count)", "c": "c (count)", "u": "u (rate)",
               "laney_u": "Laney u′", "ewma": "EWMA", "cusum": "CUSUM"}
KIND_REASONS = {
    "i_mr": "One measurement per sample: individuals and moving range.",
    "xbar_r": "Subgroups of up to 8 values: the range estimates σ well.",
    "xbar_s": "Subgroups of more than 8 values: the standard deviation estimates σ better than the range.",
    "p": "Counts out of sample sizes with binomial variation: a p chart.",
    "u": "Events per unit with Poisson variation: a u chart.",
    "laney_p": "More variation between months than the p chart assumes with large samples: Laney p′.",
    "laney_u": "More variation between months than the u chart assumes with large samples: Laney u′.",
    "c": "Whole-number counts with no sample sizes: a c chart.",
}
RULE_SETS = {"nelson": "Nelson 1–8", "western_electric": "Western Electric 1–4", "none": "None"}


@dataclass
class SpcData:
    """What the studio charts: values (1-D or subgroups × n), optional counts and sizes, labels.

    ``measured`` is False when the values are raw counts, which have no capability.
    """

    name: str
    values: np.ndarray
    labels: list[str]
    counts: np.ndarray | None = None
    sizes: np.ndarray | None = None
    measured: bool = True
    kpi_id: int | None = None  # the scorecard KPI the values come from (None for an upload)
    segment: str | None = None


@dataclass
class ChartSettings:
    kind: str
    phase1: int | None
    stages: list[str] | None
    exclude: list[int]
    rules: str
    memory: dict = field(default_factory=dict)   # EWMA (lam, L) and CUSUM (k, h) parameters and target


MEMORY_KINDS = ("ewma", "cusum")


def _memory_parameters(kind: str) -> dict:
    """EWMA's λ and L, CUSUM's k and h (in σ), and an optional target centre; the belt sets them."""
    if kind == "ewma":
        params = {"lam": st.number_input(t("Weight λ of the newest sample"), 0.05, 1.0, 0.2, step=0.05,
                                         key="spc_ewma_lam"),
                  "L": st.number_input(t("Limit width L (σ of the EWMA)"), 1.0, 4.0, 3.0, step=0.1,
                                       key="spc_ewma_L")}
    else:
        params = {"k": st.number_input(t("Reference value k (σ)"), 0.0, 3.0, 0.5, step=0.1, key="spc_cusum_k"),
                  "h": st.number_input(t("Decision interval h (σ)"), 0.5, 10.0, 5.0, step=0.5, key="spc_cusum_h")}
    target = st.number_input(t("Target centre (empty: the phase-I mean)"), value=None, key=f"spc_{kind}_target")
    return {**params, "target": target}


def _kpi_data() -> SpcData | None:
    kpi_column, segment_column = st.columns([2, 1])
    kpi = pickers.kpi_picker(key="spc_kpi", container=kpi_column)
    segment = pickers.segment_picker(key="spc_segment", container=segment_column)
    monthly = loaders.kpi_monthly(int(kpi["kpi_id"]), segment)
    if len(monthly) < 2:
        st.info(t("This KPI has too little history for a control chart."))
        return None
    counts, sizes = monthly["numerator"].to_numpy(), monthly["denominator"].to_numpy()
    is_counts = (kpi["aggregation"] == "ratio" and np.isfinite(counts).all() and np.isfinite(sizes).all()
                 and np.all(counts == np.round(counts)) and np.all(sizes == np.round(sizes))
                 and np.all(counts <= sizes) and np.all(sizes > 0))
    return SpcData(localized(kpi, "kpi"), monthly["actual"].to_numpy(dtype=float), monthly["period"].tolist(),
                   counts if is_counts else None, sizes if is_counts else None, kpi_id=int(kpi["kpi_id"]),
                   segment=segment)


def _upload_data() -> SpcData | None:
    upload = st.file_uploader(t("CSV or Excel file"), type=["csv", "xlsx"], key="spc_upload",
                              max_upload_size=max_import_megabytes())
    if upload is None:
        st.caption(t("One row per measurement. Optional: a subgroup column, or a sample-size column for counts."))
        return None
    try:
        return _uploaded(upload)
    except ValueError as exc:
        st.error(t("Cannot read {file}: {reason}", file=upload.name, reason=explain(exc)))
        return None


def _uploaded(upload) -> SpcData | None:
    """The chosen columns of an uploaded file; ValueError naming the file, row and column of a bad cell."""
    frame = read_table(upload, upload.name)
    if frame.empty:
        st.error(t("{file} holds no data.", file=upload.name))
        return None
    none = t("(none)")
    value_column, group_column, size_column = st.columns(3)
    value = value_column.selectbox(t("Values (or counts)"), list(frame.columns), key="spc_value_column")
    group = group_column.selectbox(t("Subgroup column"), [none, *frame.columns], key="spc_group_column")
    size = size_column.selectbox(t("Sample size column"), [none, *frame.columns], key="spc_size_column")
    values = numeric_column(frame, value, upload.name)
    if group != none:
        table = frame.assign(_v=values, _i=frame.groupby(group, sort=False).cumcount())
        wide = table.pivot(index=group, columns="_i", values="_v").reindex(frame[group].unique())
        return SpcData(str(value), wide.to_numpy(dtype=float), [str(g) for g in wide.index])
    sizes = numeric_column(frame, size, upload.name) if size != none else None
    labels = [str(i + 1) for i in range(len(values))]
    counts = values if sizes is not None else None
    return SpcData(str(value), values, labels, counts, sizes, measured=sizes is None)


def data_source() -> SpcData | None:
    """Choose a scorecard KPI or an uploaded file."""
    source = st.segmented_control(t("Data"), ["kpi", "upload"], default="kpi", key="spc_source",
                                  format_func=lambda s: t("Scorecard KPI") if s == "kpi" else t("Upload a file"))
    return _upload_data() if source == "upload" else _kpi_data()


def _kinds(data: SpcData) -> list[str]:
    if data.values.ndim == 2:
        return SUBGROUP_KINDS
    if data.counts is None:
        return VARIABLE_KINDS
    constant_size = np.unique(data.sizes).size == 1
    return [k for k in ATTRIBUTE_KINDS if k != "np" or constant_size] + VARIABLE_KINDS


def chart_settings(data: SpcData) -> ChartSettings:
    """The suggested chart (overridable), rules, phase I, stages and excluded points."""
    suggestion = suggest_chart(data.values if data.counts is None else data.counts, sizes=data.sizes)
    kinds = _kinds(data)
    default = suggestion.kind if suggestion.kind in kinds else kinds[0]
    reason = t(KIND_REASONS[default])
    if not np.isnan(suggestion.dispersion):
        reason += " " + t("Laney σ_z = {ratio}", ratio=f"{suggestion.dispersion:.2f}")
    st.info(t("Suggested: {kind}. {reason}", kind=KIND_LABELS[default], reason=reason))
    kind = st.selectbox(t("Chart"), kinds, index=kinds.index(default), format_func=KIND_LABELS.get,
                        key=f"spc_kind_{default}")
    n = len(data.labels)
    memory = {}
    if kind in MEMORY_KINDS:
        rules = "nelson"   # only a crossing of the chart's own limits counts (run rules do not apply)
        st.caption(t("EWMA and CUSUM signal when their statistic crosses their own limits; run rules do not "
                     "apply. They are centred on the phase-I mean (the first half of the samples unless you choose) "
                     "or on a target you set."))
        memory = _memory_parameters(kind)
    else:
        rules = st.selectbox(t("Run rules"), list(RULE_SETS), format_func=lambda r: t(RULE_SETS[r]), key="spc_rules")
    known = [m for m in loaders.stage_starts().get(data.kpi_id, []) if m in data.labels[1:]] if data.kpi_id else []
    first_half = n // 2 if kind in MEMORY_KINDS and not known else 0   # with stages, each stage is its own phase I
    phase1 = st.number_input(t("Limits from the first N samples (0 = all)"), 0, n, first_half, step=1,
                             key="spc_phase1_memory" if kind in MEMORY_KINDS else "spc_phase1")
    starts = st.multiselect(t("A new stage starts at"), data.labels[1:], default=known, key=f"spc_stages_{data.kpi_id}",
                            help=t("Separate limits before and after a process change. A KPI's known process "
                                   "changes (closed projects, stages marked on KPI detail) are preselected."))
    excluded = st.multiselect(t("Leave out of the limits (known special causes)"), data.labels, key="spc_exclude")
    stages = None
    if starts:
        cut = np.isin(np.array(data.labels), starts).cumsum()
        stages = [f"{t('Stage')} {i + 1}" for i in cut]
    return ChartSettings(kind, int(phase1) or None, stages, [data.labels.index(x) for x in excluded], rules, memory)


def _run_chart(data: SpcData, settings: ChartSettings):
    attribute = settings.kind in ATTRIBUTE_KINDS
    values = data.counts if attribute else data.values
    return control_chart(values, settings.kind, sizes=data.sizes if attribute else None, phase1=settings.phase1,
                         rules=settings.rules, stages=settings.stages, exclude=settings.exclude or None,
                         **settings.memory)


def control_chart_view(data: SpcData, settings: ChartSettings):
    """Draw the chart; a statistical problem is shown as a message, not a traceback."""
    try:
        chartset = _run_chart(data, settings)
    except ValueError as exc:
        st.error(t("This chart cannot be drawn for these data: {reason}", reason=explain(exc)))
        return None
    charts.show(control_chart_figure(chartset, labels=data.labels, title=data.name, tr=t),
                width="stretch", key="spc_chart")
    return chartset


def signals_table(chartset, data: SpcData) -> None:
    """Every signal: chart, sample and rule."""
    rows = [[Cell(t(CHART_TITLES.get(chart.name, chart.name))), Cell(_sample_label(data.labels[s.index])),
             Cell(signal_words(chart, s, t)), Cell(number(float(chart.values[s.index]), decimals=_decimals(chart.values)), css="num")]
            for chart in chartset.charts for s in chart.signals]
    st.subheader(t("Signals"))
    if not rows:
        st.success(t("No special-cause signal: the process looks stable under these rules."))
        return
    tables.show([t("Chart"), t("Sample"), t("Rule"), t("Value")], rows, numeric=[3])


def _sample_label(label: object) -> str:
    """A sample as the user reads it: a month in the user's calendar, any other label in the user's digits."""
    text = str(label)
    return period_label(text) if len(text) == 7 and text[4] == "-" and text[:4].isdigit() else digits(text)


def _decimals(values) -> int:
    """Enough decimals for a chart's values: none from 100 up, then 1, 2 or 3."""
    spread = float(np.nanmax(np.abs(values))) if len(values) else 0.0
    return 0 if spread >= 100 else 1 if spread >= 10 else 2 if spread >= 1 else 3


def _spec_limits() -> tuple[float | None, float | None, float | None]:
    lsl_column, usl_column, target_column = st.columns(3)
    lsl = lsl_column.number_input(t("Lower spec limit"), value=None, key="spc_lsl", format="%.4f")
    usl = usl_column.number_input(t("Upper spec limit"), value=None, key="spc_usl", format="%.4f")
    target = target_column.number_input(t("Target"), value=None, key="spc_target", format="%.4f")
    return lsl, usl, target


def _normality_note(auto: AutoCapability) -> str:
    p_value = f"{auto.ad_pvalue:.3f}"
    if auto.method == "normal":
        return t("Anderson–Darling p = {p}: normal enough, indices on the original scale.", p=p_value)
    if np.isfinite(auto.boxcox_lambda):
        return t("Anderson–Darling p = {p} rejects normality: indices after a Box-Cox transformation "
                 "(λ = {lam}).", p=p_value, lam=f"{auto.boxcox_lambda:.3g}")
    return t("Anderson–Darling p = {p} rejects normality and Box-Cox needs positive data: indices on the "
             "original scale, read them with care.", p=p_value)


def _capability_table(auto: AutoCapability | None, plain: Capability, intervals: dict[str, Interval]) -> pd.DataFrame:
    """Indices (after Box-Cox when that was needed) with their intervals on the original scale where they apply."""
    fields = ["cp", "cpk", "pp", "ppk", "cpm", "ppm_within", "ppm_overall", "ppm_observed", "sigma_level"]
    normal = auto is None or auto.method == "normal"
    result = plain if auto is None else auto.result
    return pd.DataFrame({
        t("Index"): fields,
        t("Value"): [getattr(result, f) for f in fields],
        t("95% CI low"): [intervals[f].lower if normal and f in intervals else np.nan for f in fields],
        t("95% CI high"): [intervals[f].upper if normal and f in intervals else np.nan for f in fields],
    })


def _capability_sample(data: SpcData, settings: ChartSettings, chartset) -> tuple[np.ndarray, str, int]:
    """The values capability is judged on: the latest stage, without excluded points; what they are in words;
    and how many special-cause signals the chart shows among them."""
    chosen = np.ones(len(data.labels), dtype=bool)
    if settings.stages:
        chosen &= np.array(settings.stages) == settings.stages[-1]
    chosen[settings.exclude] = False
    picked = np.flatnonzero(chosen)
    signals = {s.index for chart in (chartset.charts if chartset else []) for s in chart.signals} & set(picked.tolist())
    what = t("{count} samples, {first} to {last}", count=number(len(picked), decimals=0),
             first=_sample_label(data.labels[picked[0]]), last=_sample_label(data.labels[picked[-1]]))
    if settings.stages:
        what = t("the latest stage: {what}", what=what)
    if settings.exclude:
        what += t(", leaving out {count} known special causes", count=number(len(settings.exclude), decimals=0))
    return np.asarray(data.values, dtype=float)[picked], what, len(signals)


def capability_view(data: SpcData, settings: ChartSettings, chartset) -> None:
    """Capability against spec limits on the latest stable stage: a warning when the chart shows signals there,
    Box-Cox only when a stable process fails the normality test, and confidence intervals."""
    st.subheader(t("Capability"))
    if not data.measured:
        st.caption(t("Capability needs measured values, not counts."))
        return
    lsl, usl, target = _spec_limits()
    if lsl is None and usl is None:
        st.caption(t("Enter at least one spec limit to see Cp, Cpk, Pp, Ppk and the expected ppm."))
        return
    if lsl is not None and usl is not None and lsl >= usl:
        st.error(t("The lower spec limit must be below the upper one."))
        return
    values, what, signals = _capability_sample(data, settings, chartset)
    st.caption(t("Judged on {what}.", what=what))
    try:
        plain = capability(values, lsl=lsl, usl=usl, target=target)
        intervals = capability_ci(values, lsl=lsl, usl=usl, target=target)
        auto = capability_auto(values, lsl=lsl, usl=usl, target=target) if not signals else None
    except ValueError as exc:
        st.error(t("Capability cannot be computed: {reason}", reason=explain(exc)))
        return
    if signals:
        st.warning(t("The control chart shows {count} special-cause signal(s) in these data, so the process is not "
                     "stable and these indices do not predict it. Start a new stage at a known change or leave "
                     "the special causes out, then judge capability again. No transformation is tried: a shift, "
                     "not the shape of the distribution, may be why the data do not look normal.",
                     count=number(signals, decimals=0)), icon=":material/warning:")
    else:
        st.caption(_normality_note(auto))
    figure_column, table_column = st.columns([2, 1])
    charts.show(capability_figure(values, plain, lsl, usl, target, tr=t), figure_column, width="stretch",
                key="spc_capability_chart")
    table_column.dataframe(_capability_table(auto, plain, intervals), hide_index=True, width="stretch",
                           column_config={c: st.column_config.NumberColumn(format="%.4g")
                                          for c in (t("Value"), t("95% CI low"), t("95% CI high"))})

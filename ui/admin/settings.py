"""The scoring settings form, each method and threshold explained on this month's data, and the
refresh of SQL-sourced KPIs from the CRM source."""

from __future__ import annotations

import streamlit as st

from ui.components.empty import has_measurements
from sqlalchemy import Engine

from data.db import DatabaseUnavailable
from data.refresh import RefreshFailed, RefreshSummary, refresh
from data.settings import save_setting
from data.source import configured_source
from scorecard import ScoringConfig, latest_period
from scorecard.scoring_example import ScoringExample, scoring_example
from ui.core import loaders
from ui.core.auth import current_account, may, may_here
from ui.core.format import number, period_label, score
from ui.core.i18n import localized, t
from ui.core.writing import write
from ui.core.messages import explain

METHODS = {
    "auto": "Linear from baseline to target where a baseline exists, else actual/target",
    "ratio": "Actual/target (target/actual when lower is better)",
    "linear": "Linear from baseline to target",
}
EXAMPLE_SEGMENT = "All"


def _example(config: ScoringConfig) -> tuple[str, ScoringExample | None]:
    """The latest month and its worked example for all customers."""
    period = latest_period(loaders.measurements())
    kpis = loaders.kpi_rows(period, EXAMPLE_SEGMENT)  # cached, as the What-if page reads it
    return period, scoring_example(kpis, loaders.report(period, EXAMPLE_SEGMENT), config)


def _kpi_name(example: ScoringExample) -> str:
    definition = loaders.definition()
    return localized(definition[definition["kpi"] == example.kpi].iloc[0], "kpi")


def _perspective_name(example: ScoringExample) -> str:
    perspectives = loaders.perspectives()
    return localized(perspectives[perspectives["name"] == example.perspective].iloc[0])


def _method_help(example: ScoringExample, period: str) -> str:
    unit = example.unit
    text = t("Example, {period}: {kpi} has actual {actual} against target {target} ({direction} is better). "
             "Actual/target scores it {ratio}.", period=period_label(period), kpi=_kpi_name(example),
             actual=number(example.actual, unit), target=number(example.target, unit),
             direction=t(example.direction), ratio=score(example.ratio_score))
    if example.linear_score is not None:
        text += " " + t("Linear from its target's baseline {baseline} scores it {linear}: the share of the way from "
                        "baseline to target it has come.", baseline=number(example.baseline, unit),
                        linear=score(example.linear_score))
    return text + " " + t("Automatic uses the linear rule for KPIs whose target has a baseline, actual/target for the "
                          "others; with the method chosen now {kpi} scores {score}.", kpi=_kpi_name(example),
                          score=score(example.score))


def _threshold_help(example: ScoringExample, config: ScoringConfig) -> str:
    return t("Objectives, perspectives and the whole scorecard take the weighted mean of their KPIs' scores: green "
             "from {green}, amber from {amber}, red below. This month {perspective} scores {score}, so it is {status}.",
             green=score(config.green), amber=score(config.amber), perspective=_perspective_name(example),
             score=score(example.perspective_score), status=t(example.perspective_status))


def _band_help(example: ScoringExample) -> str:
    return t("A KPI is green when it meets its target and amber when it misses by no more than the band × |target| "
             "(a target can set its own band). For {kpi} a band of {band} makes every actual from {limit} to {target} "
             "amber; its actual {actual} is {status}.", kpi=_kpi_name(example), band=number(example.band, decimals=2),
             limit=number(example.amber_limit, example.unit), target=number(example.target, example.unit),
             actual=number(example.actual, example.unit), status=t(example.status))


def scoring_form(config: ScoringConfig, version: int) -> None:
    """Edit method and thresholds; saved only when valid (amber threshold below green) and only over the
    ``version`` the form showed (a colleague's newer save refuses it)."""
    period, example = _example(config) if has_measurements() else ("", None)
    with st.form("scoring_settings", enter_to_submit=False):
        method = st.radio(t("KPI score method"), list(METHODS), index=list(METHODS).index(config.method),
                          format_func=lambda m: t(METHODS[m]))
        if example:
            st.caption(_method_help(example, period))
        green_column, amber_column, band_column = st.columns(3)
        green = green_column.number_input(t("Green from score"), 0.0, 100.0, float(config.green), step=1.0)
        amber = amber_column.number_input(t("Amber from score"), 0.0, 100.0, float(config.amber), step=1.0)
        band = band_column.number_input(t("Default amber band (fraction of the target)"), 0.0, 1.0,
                                        float(config.default_amber), step=0.01, format="%.2f")
        if example:
            st.caption(_threshold_help(example, config))
            st.caption(_band_help(example))
        submitted = st.form_submit_button(t("Save settings"), type="primary", disabled=not may("settings.edit"))
    may_here("settings.edit")
    if not submitted:
        st.session_state["scoring_version_shown"] = version
        return
    if amber > green:
        st.error(t("The amber threshold must not be above the green one. Nothing was saved."))
        return
    new = ScoringConfig(method=method, green=green, amber=amber, default_amber=band)
    if write(save_setting, "scoring", new.to_dict(), version=st.session_state.get("scoring_version_shown", version)):
        st.success(t("Saved. Every page now scores with these settings."))


def _refresh_from_source(engine: Engine, user: str, bar, results: list[RefreshSummary]) -> None:
    """Refresh from the configured CRM source as ``user``, drawing progress on ``bar``."""
    def progress(done: int, total: int, metric: str) -> None:
        text = (t("Storing the monthly actuals…") if done >= total else
                t("Computing {metric} ({done} of {total})", metric=metric, done=done + 1, total=total))
        bar.progress(done / max(total, 1), text=text)

    results.append(refresh(engine, configured_source(engine), username=user, progress=progress))


def refresh_panel() -> None:
    """"Refresh now": recompute every SQL-sourced KPI from the CRM source, with a progress bar."""
    st.subheader(t("KPIs from the CRM source"))
    account = current_account()
    if account is not None and account.role == "admin":   # the database URL is for administrators only
        source = configured_source(loaders.engine()).url.render_as_string(hide_password=True)
        st.caption(t("KPIs whose source is SQL are computed inside the CRM source ({source}) and stored for "
                     "every month in one step; if anything fails, the stored actuals stay as they were.",
                     source=source))
    else:
        st.caption(t("KPIs whose source is SQL are computed inside the CRM source and stored for every month "
                     "in one step; if anything fails, the stored actuals stay as they were."))
    if not may_here("measurements.edit") or not st.button(t("Refresh now"), key="refresh_now",
                                                           icon=":material/refresh:"):
        return
    bar, results = st.progress(0.0, text=t("Connecting to the CRM source…")), []
    try:
        saved = write(_refresh_from_source, bar, results)
    except (RefreshFailed, DatabaseUnavailable) as exc:
        bar.empty()
        st.error(t("Nothing was refreshed: {reason}", reason=explain(exc)), icon=":material/error:")
        return
    bar.empty()
    if saved:
        summary = results[0]
        st.success(t("Refreshed {rows} monthly actuals of {kpis} KPIs in {seconds} s.", rows=summary.rows,
                     kpis=summary.kpis, seconds=f"{summary.seconds:.1f}"))

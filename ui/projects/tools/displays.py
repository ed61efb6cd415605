"""Analyze displays beside the hypothesis tests and the regression: a column's graphical summary and normal
probability plot, a multi-vari chart, and a regression's diagnostics. The statistics and figures come from
``sixsigma``; these are shown, not saved (a saved fit keeps its own diagnostics)."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from sixsigma import analysis
from sixsigma.charts import (graphical_summary_figure, multi_vari_figure, probability_plot_figure,
                             residual_plots_figure)
from ui.components import charts
from ui.core import loaders
from ui.core.format import number
from ui.core.i18n import t
from ui.core.messages import explain
from ui.projects.tools._common import _column

SUMMARY_ROWS = (("n", "N"), ("mean", "Mean"), ("std_dev", "Standard deviation"), ("variance", "Variance (σ²)"),
                ("skewness", "Skewness"), ("kurtosis", "Kurtosis"), ("minimum", "Minimum"), ("q1", "1st quartile"),
                ("median", "Median"), ("q3", "3rd quartile"), ("maximum", "Maximum"))
"""The graphical summary's statistics as Minitab lists them."""
INTERVALS = (("mean_ci", "{level} CI for the mean"), ("median_ci", "{level} CI for the median"),
             ("std_dev_ci", "{level} CI for the standard deviation"))
FACTOR_COLUMNS = ("Year", "Month")
"""Factors the KPIs' monthly actuals bring for a multi-vari chart."""


def kpi_frame(segment: str) -> pd.DataFrame:
    """The KPIs' monthly actuals in a segment, one column per KPI, with the year and month of each row as factors."""
    measurements = loaders.measurements()
    names = loaders.definition().set_index("kpi_id")["kpi"]
    wide = measurements[measurements["segment"] == segment].pivot_table(index="period", columns="kpi_id",
                                                                        values="actual")
    periods = pd.Series(wide.index.astype(str), index=wide.index)
    factors = {t("Year"): periods.str[:4].astype(int), t("Month"): periods.str[5:7].astype(int)}
    return wide.rename(columns=names).assign(**factors).reset_index(drop=True)


def column_values(frame: pd.DataFrame, column: str, file: str | None) -> list[float]:
    """A column's filled cells as numbers (a file's text cells converted, a bad cell named by its row)."""
    return _column(frame, column, file) if file else frame[column].dropna().tolist()


def _decimals(spread: float) -> int:
    """Decimals that show a statistic to about four significant digits of the data's spread."""
    return min(max(3 - math.floor(math.log10(spread)), 0), 8) if spread > 0 else 2


def _p(value: float | None) -> str:
    """A p-value as its clause reads: "p = 0.042" or "p < 0.001"."""
    if value is None:
        return "p = —"
    return "p < " + number(0.001, decimals=3) if value < 0.001 else "p = " + number(value, decimals=3)


def show_summary(summary: analysis.GraphicalSummary, key: str) -> None:
    """The graphical summary: normality in words, the figure and the probability plot, the statistics."""
    verdict = (t("The data do not look normal") if summary.ad_p_value < summary.alpha
               else t("The data could come from a normal distribution"))
    st.info(t("{verdict} (Anderson-Darling A² = {a2}, {p}, n = {n}).", verdict=verdict,
              a2=number(summary.ad_statistic, decimals=3), p=_p(summary.ad_p_value), n=number(summary.n, decimals=0)))
    left, right = st.columns(2)
    charts.show(graphical_summary_figure(summary, tr=t), container=left, width="stretch", key=f"{key}_summary_chart")
    charts.show(probability_plot_figure(summary.values, tr=t), container=right, width="stretch",
                key=f"{key}_probability_chart")
    places = _decimals(summary.std_dev)
    level = number(100 * (1 - summary.alpha), decimals=0) + "%"
    rows = [{"statistic": t(label), "value": number(getattr(summary, name), decimals=0 if name == "n" else places)}
            for name, label in SUMMARY_ROWS]
    rows += [{"statistic": t(label, level=level),
              "value": t("{low} to {high}", low=number(getattr(summary, name)[0], decimals=places),
                         high=number(getattr(summary, name)[1], decimals=places))} for name, label in INTERVALS]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", height=35 * (len(rows) + 1) + 3,
                 column_config={"statistic": t("Statistic"), "value": t("Value")})
    st.caption(t("The median's interval runs between order statistics and reaches {level} confidence.",
                 level=number(100 * summary.median_ci_level, decimals=1) + "%"))


def look_at_data(frame: pd.DataFrame, file: str | None, key: str) -> None:
    """A column's graphical summary and a multi-vari chart of the data the tool runs on (a file or the KPIs)."""
    columns = list(frame.columns)
    kpi_factors = [] if file else [c for c in columns if c in {t(f) for f in FACTOR_COLUMNS}]
    responses = [c for c in columns if c not in kpi_factors]
    with st.container(border=True):
        st.markdown("**" + t("Look at the data") + "**")
        st.caption(t("From {file}", file=file) if file else t("From the KPIs' monthly actuals"))
        summary_tab, multi_vari_tab = st.tabs([t("Graphical summary"), t("Multi-vari chart")])
        with summary_tab:
            column = st.selectbox(t("Column"), responses, key=f"{key}_summary_column")
            try:
                summary = analysis.graphical_summary(column_values(frame, column, file))
            except ValueError as exc:
                st.warning(explain(exc))
            else:
                show_summary(summary, key)
        with multi_vari_tab:
            response = st.selectbox(t("Response"), responses, key=f"{key}_multi_vari_response")
            factors = st.multiselect(t("Factors (up to three)"), kpi_factors or [c for c in columns if c != response],
                                     max_selections=3, key=f"{key}_multi_vari_factors")
            try:
                figure = multi_vari_figure(frame, response, factors, tr=t) if factors else None
            except ValueError as exc:
                st.warning(explain(exc))
            else:
                if figure is None:
                    st.caption(t("Choose one to three factors: the response's means per level are connected."))
                else:
                    charts.show(figure, width="stretch", key=f"{key}_multi_vari_chart")


def show_diagnostics(fit: dict, key: str) -> None:
    """A saved regression's diagnostics: adjusted R², the overall F test, VIF per driver and the residual plots."""
    st.markdown(t("Adjusted R² = {adjusted}; overall F = {f} ({p}).",
                  adjusted=number(fit["adj_r_squared"], decimals=3), f=number(fit.get("f_statistic"), decimals=2),
                  p=_p(fit.get("f_p_value"))))
    vif = fit.get("vif") or {}
    if vif:
        st.dataframe(pd.DataFrame({"driver": list(vif), "vif": [number(v, decimals=2) for v in vif.values()]}),
                     hide_index=True, width="stretch",
                     column_config={"driver": t("Driver"), "vif": t("VIF (variance inflation)")})
    if fit.get("residuals") and fit.get("fitted"):
        charts.show(residual_plots_figure(fit["fitted"], fit["residuals"], tr=t), width="stretch",
                    key=f"{key}_residual_chart")


def diagnostics_payload(result: analysis.RegressionResult) -> dict:
    """The diagnostics a regression result keeps (JSON: no NaN or infinity)."""
    def finite(value: float) -> float | None:
        return float(value) if math.isfinite(value) else None
    return {"adj_r_squared": finite(result.adj_r_squared), "f_statistic": finite(result.f_statistic),
            "f_p_value": finite(result.f_p_value), "vif": {k: finite(v) for k, v in result.vif.items()},
            "residuals": [float(v) for v in result.residuals], "fitted": [float(v) for v in result.fitted]}

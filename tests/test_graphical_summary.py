"""Analyze displays (#19): the graphical summary of a column, the normal probability plot, the multi-vari chart
and the regression's residual plots, against certified and published values (the source beside each number).

- NIST StRD univariate summary statistics, Mavro.dat (50 transmittance values, lower difficulty): certified
  mean 2.00185600000000 and standard deviation 0.000429123454003053 (denominator n − 1).
- R fBasics::adTest of 20 values (nortest's formulas), as printed in statsmodels'
  stats/tests/test_statstools.py::test_adnorm: A² = 0.5867235358882148, p = 0.1115380760041617 (the same data as
  tests/test_analysis_reference.py).
- Student t and chi-square quantiles of the 95 % intervals: t(0.975, 49) = 2.0096, χ²(0.025, 49) = 31.555,
  χ²(0.975, 49) = 70.222 (NIST/SEMATECH e-Handbook 1.3.6.7.2 and 1.3.6.7.4 tables give these to 3-4 decimals).
- The median's interval from order statistics (Conover, *Practical Nonparametric Statistics*, 3rd ed., §3.2): for
  n = 20 the 6th and 15th smallest values, confidence 1 − 2·P(Bin(20, ½) ≤ 5) = 1 − 2·0.0207 = 0.9586
  (binomial table: P(X ≤ 5) = 0.0207).
- Quartiles as Minitab computes them (position (n + 1)·p, interpolated), skewness and kurtosis as Minitab and
  Excel (adjusted G1, G2), and Benard's median ranks (i − 0.3)/(n + 0.4) of Minitab's normal probability plot:
  by hand below.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sixsigma.analysis import graphical_summary, multi_vari, probability_points
from sixsigma.charts import graphical_summary_figure, multi_vari_figure, probability_plot_figure, residual_plots_figure

# NIST StRD Mavro.dat, data lines 61-110.
MAVRO = [2.00180, 2.00170, 2.00180, 2.00190, 2.00180, 2.00170, 2.00150, 2.00140, 2.00150, 2.00150,
         2.00170, 2.00180, 2.00180, 2.00190, 2.00190, 2.00210, 2.00200, 2.00160, 2.00140, 2.00130,
         2.00130, 2.00150, 2.00150, 2.00160, 2.00150, 2.00140, 2.00130, 2.00140, 2.00150, 2.00140,
         2.00150, 2.00160, 2.00150, 2.00160, 2.00190, 2.00200, 2.00200, 2.00210, 2.00220, 2.00230,
         2.00240, 2.00250, 2.00270, 2.00260, 2.00260, 2.00260, 2.00270, 2.00260, 2.00250, 2.00240]
AD_DATA = [-0.1184, -1.3403, 0.0063, -0.612, -0.3869, -0.2313, -2.8485, -0.2167, 0.4153, 1.8492, -0.3706,
           0.9726, -0.1501, -0.0337, -1.4423, 1.2489, 0.9182, -0.2331, -0.6182, 0.183]


def _digits(value: float, certified: float) -> float:
    return 16.0 if value == certified else -math.log10(abs(value - certified) / abs(certified))


def test_the_summary_reaches_nist_mavro_and_its_intervals_the_tables():
    summary = graphical_summary(MAVRO)
    assert summary.n == 50
    assert _digits(summary.mean, 2.00185600000000) >= 12                    # certified mean
    assert _digits(summary.std_dev, 0.000429123454003053) >= 9              # certified standard deviation
    half = 2.0096 * 0.000429123454003053 / math.sqrt(50)                    # t(0.975, 49) = 2.0096 (table)
    assert summary.mean_ci[0] == pytest.approx(2.001856 - half, abs=1e-8)
    assert summary.mean_ci[1] == pytest.approx(2.001856 + half, abs=1e-8)
    # σ interval: s·√(49/χ²(0.975, 49)) to s·√(49/χ²(0.025, 49)), χ² 70.222 and 31.555 (tables).
    assert summary.std_dev_ci[0] == pytest.approx(0.000429123454003053 * math.sqrt(49 / 70.222), rel=1e-4)
    assert summary.std_dev_ci[1] == pytest.approx(0.000429123454003053 * math.sqrt(49 / 31.555), rel=1e-4)
    assert (summary.minimum, summary.maximum) == (2.0013, 2.0027)


def test_the_summary_of_twenty_values_gives_rs_anderson_darling_quartiles_and_median_interval_by_hand():
    summary = graphical_summary(AD_DATA)
    assert summary.ad_statistic == pytest.approx(0.5867235358882148, rel=1e-10)   # R fBasics::adTest
    assert summary.ad_p_value == pytest.approx(0.1115380760041617, rel=1e-9)
    # Sorted: x(5) = −0.612, x(6) = −0.3869, x(10) = −0.2167, x(11) = −0.1501, x(15) = 0.183, x(16) = 0.4153.
    assert summary.median == pytest.approx((-0.2167 - 0.1501) / 2)
    assert summary.q1 == pytest.approx(-0.612 + 0.25 * (-0.3869 + 0.612))         # position 21/4 = 5.25
    assert summary.q3 == pytest.approx(0.183 + 0.75 * (0.4153 - 0.183))           # position 63/4 = 15.75
    assert summary.median_ci == (-0.3869, 0.183)                                   # x(6), x(15)
    assert summary.median_ci_level == pytest.approx(1 - 2 * 0.0207, abs=1e-4)      # binomial table


def test_skewness_and_kurtosis_are_minitabs_adjusted_g1_and_g2_by_hand():
    # 1, 2, 3, 4, 10: mean 4, deviations −3 −2 −1 0 6; m2 = 50/5 = 10, m3 = 180/5 = 36, m4 = 1394/5 = 278.8.
    summary = graphical_summary([1, 2, 3, 4, 10])
    assert summary.skewness == pytest.approx(36 / 10 ** 1.5 * math.sqrt(5 * 4) / 3)
    assert summary.kurtosis == pytest.approx((6 * (278.8 / 100 - 3) + 6) * 4 / (3 * 2))
    # n = 5 cannot reach 95 % with order statistics: the range, at 1 − 2/2⁵ = 0.9375.
    assert summary.median_ci == (1.0, 10.0) and summary.median_ci_level == pytest.approx(0.9375)


def test_a_constant_or_short_column_is_refused_in_words():
    with pytest.raises(ValueError, match="same"):
        graphical_summary([3, 3, 3, 3])
    with pytest.raises(ValueError, match="at least"):
        graphical_summary([1.0, 2.0])


def test_probability_points_are_benards_median_ranks():
    points = probability_points([5.0, 1.0, 3.0, 2.0, 4.0])
    assert points["value"].tolist() == [1.0, 2.0, 3.0, 4.0, 5.0]
    # (i − 0.3)/(5.4): 0.7/5.4, 1.7/5.4, 2.7/5.4, 3.7/5.4, 4.7/5.4.
    assert points["percent"].tolist() == pytest.approx([100 * (i - 0.3) / 5.4 for i in range(1, 6)])
    # Normal scores of those ranks: the middle is 0, the ends ±Φ⁻¹(0.87037); normal table: Φ(1.12) = 0.86864,
    # Φ(1.13) = 0.87076, so z = 1.12 + 0.01·(0.87037 − 0.86864)/0.00212 = 1.1282.
    assert points["z"].tolist()[2] == pytest.approx(0.0, abs=1e-12)
    assert points["z"].tolist()[4] == pytest.approx(1.1282, abs=1e-4)
    # The fitted line is the normal of the data's mean 3 and σ √2.5.
    assert points["fit"].tolist()[4] == pytest.approx(3 + math.sqrt(2.5) * points["z"].tolist()[4])


MACHINES = pd.DataFrame({"shift": ["day"] * 4 + ["night"] * 4,
                         "machine": ["A", "A", "B", "B"] * 2,
                         "size": [10.0, 12.0, 15.0, 17.0, 11.0, 13.0, 20.0, 22.0]})


def test_multi_vari_means_by_hand():
    table = multi_vari(MACHINES, "size", ["machine", "shift"])
    assert table.columns.tolist() == ["machine", "shift", "mean", "n"]
    # A/day (10, 12) → 11, A/night (11, 13) → 12, B/day (15, 17) → 16, B/night (20, 22) → 21.
    assert table["mean"].tolist() == [11.0, 12.0, 16.0, 21.0] and table["n"].tolist() == [2, 2, 2, 2]
    assert table[["machine", "shift"]].values.tolist() == [["A", "day"], ["A", "night"], ["B", "day"], ["B", "night"]]


def test_multi_vari_refuses_too_many_factors_a_missing_column_and_text_responses():
    with pytest.raises(ValueError, match="three"):
        multi_vari(MACHINES.assign(a=1, b=2), "size", ["machine", "shift", "a", "b"])
    with pytest.raises(ValueError, match="no column"):
        multi_vari(MACHINES, "size", ["operator"])
    with pytest.raises(ValueError, match="not a number"):
        multi_vari(MACHINES.assign(size=["x"] * 8), "size", ["machine"])


def test_the_figures_hold_the_statistics_they_show():
    summary = graphical_summary(AD_DATA)
    figure = graphical_summary_figure(summary)
    kinds = [trace.type for trace in figure.data]
    assert "histogram" in kinds and "box" in kinds
    curve = next(trace for trace in figure.data if trace.type == "scatter" and trace.mode == "lines")
    assert min(curve.x) < min(AD_DATA) and max(curve.x) > max(AD_DATA)
    plot = probability_plot_figure(AD_DATA)
    markers = next(trace for trace in plot.data if trace.mode == "markers")
    assert sorted(markers.x) == sorted(AD_DATA)
    chart = multi_vari_figure(MACHINES, "size", ["machine", "shift"])
    means = [trace for trace in chart.data if trace.mode == "lines+markers"]
    assert sorted(y for trace in means for y in trace.y) == [11.0, 12.0, 16.0, 21.0]
    fitted, residuals = np.array([1.0, 2.0, 3.0, 4.0]), np.array([0.5, -0.5, 0.25, -0.25])
    residual = residual_plots_figure(fitted, residuals)
    scatter = residual.data[0]
    assert list(scatter.x) == [1.0, 2.0, 3.0, 4.0] and list(scatter.y) == [0.5, -0.5, 0.25, -0.25]
    assert sorted(next(t for t in residual.data[1:] if t.mode == "markers").x) == [-0.5, -0.25, 0.25, 0.5]


def test_multi_vari_levels_read_in_their_order_whichever_appears_first():
    # Seen in Chromium: months 11 and 12 of the first year came first and the axis read 11, 12, 1, …, 10, so the
    # later years' lines ran back across the chart. The axis follows the levels' order: 1, 2, 11, 12.
    months = pd.DataFrame({"month": [11, 12, 1, 2, 11, 12], "year": [2023, 2023, 2024, 2024, 2024, 2024],
                           "calls": [5.0, 6.0, 7.0, 8.0, 9.0, 10.0]})
    chart = multi_vari_figure(months, "calls", ["month", "year"])
    assert list(chart.layout.xaxis.categoryarray) == ["1", "2", "11", "12"]

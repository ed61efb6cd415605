"""Constants against Montgomery's table, package exports, figures and chart suggestion."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import plotly.graph_objects as go
import pytest

import sixsigma
from sixsigma import (
    A2, A3, B3, B4, D3, D4, c4, capability_figure, control_chart,
    control_chart_figure, d2, d2_exact, d3, suggest_chart,
)
from sixsigma.capability import capability
from tests.results import spc_reference as ref

FACTOR_FUNCS = {"A2": A2, "A3": A3, "B3": B3, "B4": B4, "D3": D3, "D4": D4}


@pytest.mark.parametrize("n", range(2, 26))
def test_d2_matches_montgomery_appendix_vi(n):
    assert d2(n) == ref.D2_TABLE[n]
    assert d2_exact(n) == pytest.approx(ref.D2_TABLE[n], abs=5e-4)


@pytest.mark.parametrize(("n", "value"), ref.D3_TABLE.items())
def test_d3_matches_montgomery_appendix_vi(n, value):
    assert round(d3(n), 3) == pytest.approx(value)


def test_c4_and_factors_match_tables():
    for n, value in ref.C4_TABLE.items():
        assert round(c4(n), 4) == pytest.approx(value)
    for n, value in ref.C4_QCC.items():
        assert c4(n) == pytest.approx(value, abs=5e-8)
    for (name, n), value in ref.FACTORS.items():
        assert round(FACTOR_FUNCS[name](n), 3) == pytest.approx(value), (name, n)
    assert d2_exact(2) == pytest.approx(2 / np.sqrt(np.pi))  # E|X1 - X2| = 2/sqrt(pi)


@pytest.mark.parametrize("n", [0, 1, 26, 2.5])
def test_constants_outside_table_raise(n):
    with pytest.raises(ValueError):
        d2(n)


def test_public_names_and_no_forbidden_imports():
    for name in sixsigma.__all__:
        assert hasattr(sixsigma, name)
    code = ("import sys, sixsigma, sixsigma.charts; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('streamlit', 'data', 'scorecard')]; "
            "print(bad); sys.exit(bool(bad))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0


def test_control_chart_figure_marks_signals_stages_and_limits():
    data = np.r_[np.random.default_rng(1).normal(0, 1, 30), [6.0], np.random.default_rng(2).normal(3, 1, 9)]
    cs = control_chart(data, "i_mr", stages=[0] * 20 + [1] * 20)
    fig = control_chart_figure(cs, title="Demo", tr=str.upper)
    assert isinstance(fig, go.Figure)
    assert [a.text for a in fig.layout.annotations][:2] == ["INDIVIDUALS", "MOVING RANGE"]
    signal_traces = [t for t in fig.data if t.name == "SIGNAL"]
    assert signal_traces and any("NELSON 1" in h for h in signal_traces[0].hovertext)
    limits = [t for t in fig.data if t.name == "UCL"]
    assert limits[0].line.shape == "hv"  # limits change at the stage boundary
    assert any(s.type == "line" and s.x0 == 20.5 for s in fig.layout.shapes)
    assert fig.layout.title.text == "DEMO"


def test_constant_limits_are_drawn_from_their_two_ends():
    data = np.random.default_rng(4).normal(10, 1, 5000)
    fig = control_chart_figure(control_chart(data, "i_mr"), labels=[f"s{i}" for i in range(5000)])
    centre = next(t for t in fig.data if t.name == "Centre")
    assert list(centre.x) == ["s0", "s4999"] and len(fig.data[0].x) == 5000


def test_large_charts_use_webgl_and_labels_are_used():
    big = control_chart(np.random.default_rng(0).normal(size=3000), "i_mr")
    assert isinstance(control_chart_figure(big).data[0], go.Scattergl)
    small = control_chart([1.0, 2.0, 1.5, 2.5], "i_mr")
    fig = control_chart_figure(small, labels=["a", "b", "c", "d"])
    assert list(fig.data[0].x) == ["a", "b", "c", "d"]
    with pytest.raises(ValueError, match="labels"):
        control_chart_figure(small, labels=["a"])


def test_capability_figure_has_histogram_curves_and_specs():
    x = np.random.default_rng(3).normal(10, 1, 100)
    cap = capability(x, lsl=7, usl=13)
    fig = capability_figure(x, cap, 7, 13, 10)
    assert [type(t).__name__ for t in fig.data] == ["Histogram", "Scatter", "Scatter"]
    assert {a.text for a in fig.layout.annotations} == {"LSL", "USL", "Target"}


def test_suggest_chart():
    assert suggest_chart(np.ones((10, 5)) + np.arange(5)).kind == "xbar_r"
    assert suggest_chart(np.ones((10, 12))).kind == "xbar_s"
    assert suggest_chart(ref.dataset("viscosity")["data"]).kind == "i_mr"
    assert suggest_chart(ref.dataset("circuit")["data"]).kind == "c"
    oj = ref.dataset("orangejuice")
    assert suggest_chart(oj["data"], oj["sizes"]).kind == "p"
    rng = np.random.default_rng(9)
    sizes = np.full(40, 5000)
    over = rng.binomial(sizes, rng.beta(30, 570, 40))  # rate varies between samples
    suggestion = suggest_chart(over, sizes)
    assert suggestion.kind == "laney_p" and "σ_z" in suggestion.reason and suggestion.dispersion > 1.3
    stable = suggest_chart(rng.binomial(sizes, 0.05), sizes)
    assert stable.kind == "p" and stable.dispersion < 1.3
    assert np.isnan(suggest_chart(ref.dataset("viscosity")["data"]).dispersion)
    assert suggest_chart(rng.poisson(300, 30), np.full(30, 100.0), defectives=False).kind == "u"

"""Control charts against published results (numbers and sources in tests/results/spc_reference.py)."""

from __future__ import annotations

import numpy as np
import pytest

from sixsigma import control_chart, d2_exact
from tests.results import spc_reference as ref

# Printed precision: qcc prints 7 significant digits, SAS 5-6, so compare relatively.
QCC = dict(rel=2e-6)
QCC_D3 = dict(rel=5e-6)  # qcc's R limits use its own 7-digit d3 table (0.8640855 vs 0.8640819)


def _limits(chart, i):
    return chart.lcl[i], chart.ucl[i]


def _check_shewhart(chart, expected: dict, **tol) -> None:
    tol = {**(tol or QCC), "abs": 1e-12}
    assert chart.center[0] == pytest.approx(expected["center"], **tol)
    assert chart.lcl[0] == pytest.approx(expected["lcl"], **tol)
    assert chart.ucl[0] == pytest.approx(expected["ucl"], **tol)
    if "sigma" in expected and np.isfinite(chart.sigma):
        assert chart.sigma == pytest.approx(expected["sigma"], **tol)


def _beyond(chart) -> list[int]:
    return [s.index for s in chart.signals if s.rule in ("nelson1", "we1")]


@pytest.fixture(scope="module")
def piston() -> np.ndarray:
    return ref.dataset("pistonrings")["data"]


@pytest.fixture(scope="module")
def piston_missing(piston) -> np.ndarray:
    flat = piston.ravel().copy()
    flat[np.array(ref.PISTON_REMOVED_VALUES) - 1] = np.nan
    return flat.reshape(piston.shape)


def test_xbar_r_pistonrings_qcc(piston):
    cs = control_chart(piston, "xbar_r", phase1=25)
    _check_shewhart(cs["xbar"], ref.PISTON_XBAR)
    _check_shewhart(cs["range"], ref.PISTON_R, **QCC_D3)
    assert [c.name for c in cs.charts] == ["xbar", "range"]
    assert cs["xbar"].values.shape == (40,) and cs["range"].sigma == pytest.approx(0.009785039, rel=1e-6)


def test_xbar_s_pistonrings_qcc(piston):
    cs = control_chart(piston, "xbar_s", phase1=25)
    _check_shewhart(cs["stdev"], ref.PISTON_S)
    assert cs["xbar"].center[0] == pytest.approx(ref.PISTON_XBAR["center"], **QCC)


def test_variable_subgroup_sizes_qcc(piston_missing):
    r = control_chart(piston_missing, "xbar_r", phase1=25)
    s = control_chart(piston_missing, "xbar_s", phase1=25)
    assert r["xbar"].center[0] == pytest.approx(ref.PISTON_VAR_XBAR["center"], **QCC)
    assert r["xbar"].sigma == pytest.approx(ref.PISTON_VAR_XBAR["sigma"], **QCC)
    assert r["range"].center[0] == pytest.approx(ref.PISTON_VAR_R["center"], **QCC)
    assert s["stdev"].center[0] == pytest.approx(ref.PISTON_VAR_S["center"], **QCC)
    assert s["stdev"].sigma == pytest.approx(ref.PISTON_VAR_S["sigma"], **QCC)
    for i, lim in ref.PISTON_VAR_XBAR["limits"].items():
        assert _limits(r["xbar"], i) == pytest.approx(lim, **QCC)
    for i, lim in ref.PISTON_VAR_R["limits"].items():
        assert _limits(r["range"], i) == pytest.approx(lim, **QCC_D3)
    for i, lim in ref.PISTON_VAR_S["limits"].items():
        assert _limits(s["stdev"], i) == pytest.approx(lim, **QCC)


def test_small_table_with_missing_value_mistat():
    s = control_chart(ref.SMALL_ROWS, "xbar_s")
    assert s["stdev"].center[0] == pytest.approx(ref.SMALL_S["center"], rel=1e-6)
    assert s["stdev"].sigma == pytest.approx(ref.SMALL_S["sigma"], rel=1e-6)
    assert tuple(s["stdev"].ucl) == pytest.approx(ref.SMALL_S["ucl"], rel=1e-9)
    r = control_chart(ref.SMALL_ROWS, "xbar_r")
    assert r["xbar"].center[0] == pytest.approx(ref.SMALL_XBAR_CENTER)
    assert r["xbar"].sigma == pytest.approx(ref.SMALL_UWAVE_R, rel=1e-5)


@pytest.mark.parametrize(("L", "expected", "n_new"), [(3.0, ref.PISTON_EWMA_L3, 0), (2.7, ref.PISTON_EWMA_L27, 15)])
def test_ewma_pistonrings_qcc(piston, L, expected, n_new):
    data = piston[: 25 + n_new]
    chart = control_chart(data, "ewma", phase1=25, L=L)["ewma"]
    assert chart.center[0] == pytest.approx(ref.PISTON_XBAR["center"], **QCC)
    for i, lim in expected.items():
        assert _limits(chart, i) == pytest.approx(lim, rel=2e-7)


def test_ewma_viscosity_qcc():
    chart = control_chart(ref.dataset("viscosity")["data"], "ewma", phase1=20, L=2.7)["ewma"]
    assert chart.sigma == pytest.approx(ref.VISC_EWMA_L27["sigma"], **QCC)
    assert chart.center[0] == pytest.approx(ref.VISC_EWMA_L27["center"], **QCC)
    for i, lim in ref.VISC_EWMA_L27["limits"].items():
        assert _limits(chart, i) == pytest.approx(lim, rel=2e-7)


def test_cusum_pistonrings_centre_and_sigma_qcc(piston):
    cs = control_chart(piston, "cusum", phase1=25)
    up = cs["cusum_upper"]
    assert up.details["target"] == pytest.approx(ref.PISTON_CUSUM["center"], **QCC)
    assert up.sigma == pytest.approx(ref.PISTON_CUSUM["sigma"], **QCC)
    assert np.all(up.ucl == 5.0) and np.all(cs["cusum_lower"].ucl == 5.0)


def test_i_mr_viscosity_qcc():
    v = ref.dataset("viscosity")["data"]
    _check_shewhart(control_chart(v, "i_mr", phase1=20)["individuals"], ref.VISC_I)
    without4 = control_chart(np.delete(v, 3), "i_mr", phase1=19)["individuals"]
    _check_shewhart(without4, ref.VISC_I_WITHOUT_4)


def test_viscosity_phase1_violation_count_qcc():
    chart = control_chart(ref.dataset("viscosity")["data"][:20], "i_mr", rules=["we1", "we4"])["individuals"]
    assert len(chart.signal_indices) == ref.VISC_PHASE1_VIOLATIONS
    assert chart.signal_indices.tolist() == [3]  # batch 4, the temperature controller failure


def test_i_mr_antifreeze_mistat():
    chart = control_chart(ref.dataset("antifreeze")["data"], "i_mr")["individuals"]
    _check_shewhart(chart, ref.ANTIFREEZE_I)
    assert _beyond(chart) == []


def test_i_mr_tires_sas():
    cs = control_chart(ref.dataset("tires")["data"], "i_mr")
    ind, mr = cs["individuals"], cs["moving_range"]
    # SAS uses the exact d2(2) = 1.128379, qcc/Montgomery 1.128: about 3e-4 relative apart.
    sas = dict(rel=5e-4)
    assert ind.center[0] == pytest.approx(ref.TIRES["mean"], abs=5e-5)
    assert _limits(ind, 0) == pytest.approx((ref.TIRES["lcl"], ref.TIRES["ucl"]), **sas)
    assert mr.center[0] == pytest.approx(ref.TIRES["mr_center"], abs=5e-7)
    assert mr.ucl[0] == pytest.approx(ref.TIRES["mr_ucl"], **sas)
    assert mr.lcl[0] == 0.0
    # With SAS's exact constant the printed σ is reproduced to its 5 digits.
    assert mr.center[0] / d2_exact(2) == pytest.approx(ref.TIRES["sigma"], abs=5e-7)


def test_p_orangejuice_qcc():
    oj = ref.dataset("orangejuice")
    chart = control_chart(oj["data"][:30], "p", sizes=oj["sizes"][:30])["p"]
    _check_shewhart(chart, ref.OJ_P)
    assert _beyond(chart) == ref.OJ_P_BEYOND
    assert np.isnan(chart.sigma)


def test_p_orangejuice_revised_by_exclusion_qcc():
    oj = ref.dataset("orangejuice")
    chart = control_chart(oj["data"], "p", sizes=oj["sizes"], phase1=30, exclude=ref.OJ_P_BEYOND)["p"]
    _check_shewhart(chart, ref.OJ_P_REVISED)
    phase1_beyond = [i for i in _beyond(chart) if i < 30]
    assert phase1_beyond == sorted(ref.OJ_P_BEYOND + ref.OJ_P_REVISED_BEYOND)  # excluded still checked


def test_np_orangejuice_qcc():
    oj = ref.dataset("orangejuice")
    _check_shewhart(control_chart(oj["data"], "np", sizes=50, phase1=30)["np"], ref.OJ_NP)


def test_p_orangejuice2_negative_lcl_clipped_qcc():
    oj2 = ref.dataset("orangejuice2")
    chart = control_chart(oj2["data"], "p", sizes=oj2["sizes"], phase1=24)["p"]
    _check_shewhart(chart, ref.OJ2_P)
    assert [i for i in _beyond(chart) if i < 24] == []


def test_np_1000_mistat():
    d = ref.dataset("np1000")
    _check_shewhart(control_chart(d["data"], "np", sizes=d["sizes"])["np"], ref.NP1000, rel=1e-6)


def test_p_variable_sizes_mistat():
    chart = control_chart(ref.VARP_COUNTS, "p", sizes=ref.VARP_SIZES)["p"]
    assert chart.center[0] == pytest.approx(ref.VARP["center"], rel=1e-6)
    expected = np.array(ref.VARP["limits"])
    np.testing.assert_allclose(chart.lcl, expected[:, 0], rtol=1e-6)
    np.testing.assert_allclose(chart.ucl, expected[:, 1], rtol=1e-6)


def test_c_circuit_qcc():
    circuit = ref.dataset("circuit")
    chart = control_chart(circuit["data"][:26], "c")["c"]
    _check_shewhart(chart, ref.CIRCUIT_C)
    assert _beyond(chart) == ref.CIRCUIT_C_BEYOND
    revised = control_chart(circuit["data"], "c", phase1=26, exclude=ref.CIRCUIT_C_BEYOND)["c"]
    _check_shewhart(revised, ref.CIRCUIT_C_REVISED)


def test_u_circuit_revised_qcc():
    circuit = ref.dataset("circuit")
    counts = np.delete(circuit["data"], ref.CIRCUIT_C_BEYOND)
    sizes = np.delete(circuit["sizes"], ref.CIRCUIT_C_BEYOND)
    cs = control_chart(counts, "u", sizes=sizes, phase1=24, rules=["we1", "we4"])
    _check_shewhart(cs["u"], ref.CIRCUIT_U_REVISED)
    assert len(cs["u"].signal_indices) == ref.CIRCUIT_U_VIOLATIONS


def test_u_pcmanufact_qcc():
    d = ref.dataset("pcmanufact")
    _check_shewhart(control_chart(d["data"], "u", sizes=d["sizes"])["u"], ref.PCMANUFACT_U)


def test_u_dyedcloth_textbook_formula():
    d = ref.dataset("dyedcloth")
    sizes = np.array(d["sizes"])
    chart = control_chart(d["data"], "u", sizes=sizes)["u"]
    ubar = d["data"].sum() / sizes.sum()  # Montgomery: ū = Σc/Σn = 153/107.5
    assert ubar == pytest.approx(153 / 107.5)
    np.testing.assert_allclose(chart.center, ubar)
    np.testing.assert_allclose(chart.ucl, ubar + 3 * np.sqrt(ubar / sizes))
    np.testing.assert_allclose(chart.lcl, np.maximum(0, ubar - 3 * np.sqrt(ubar / sizes)))
    assert np.ptp(chart.ucl) > 0  # limits vary with the inspection units

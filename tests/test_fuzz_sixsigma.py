"""Hypothesis fuzzing of the SPC and capability engine: only ValueError, with a clear message.

Whatever a caller passes (odd shapes, NaN, huge or tiny values, zero or negative sizes, bad
phase-I specs, unknown rules, bad options), ``control_chart`` and ``capability`` either return
a result of the right length or raise the engine's own ``DomainError`` (a ``ValueError``) a belt can read: never a
ZeroDivisionError, IndexError, a NumPy RuntimeWarning (turned into an error here) or a raw
NumPy message.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from errors import DomainError
from sixsigma import suggest_chart
from sixsigma.capability import capability, capability_auto, capability_ci
from sixsigma.spc import KINDS, control_chart

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
RAW_MESSAGES = ("could not broadcast", "out of bounds", "invalid value", "divide", "setting an array element",
                "object of type", "zero-size array", "index", "operands", "unsupported operand")

floats = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.floats(-1e6, 1e6), st.sampled_from([0.0, 1.0, -1.0, 1e-300, 1e100, 1e101, 5e-324]))
values_1d = st.one_of(
    hnp.arrays(np.float64, st.integers(0, 40), elements=floats),
    hnp.arrays(np.float64, st.integers(1, 40), elements=st.floats(-100, 100)),
    st.integers(1, 40).flatmap(lambda n: st.just(np.full(n, 3.0))),            # constant: σ = 0
    hnp.arrays(np.int64, st.integers(0, 40), elements=st.integers(-3, 60)))
values_2d = st.one_of(
    hnp.arrays(np.float64, st.tuples(st.integers(0, 25), st.integers(0, 27)), elements=floats),
    hnp.arrays(np.float64, st.tuples(st.integers(1, 25), st.integers(2, 10)),
               elements=st.one_of(st.floats(-100, 100), st.just(np.nan))))
odd_data = st.one_of(st.just([]), st.just([[1, 2], [3]]), st.just(["a", "b"]), st.just(3.0),
                     hnp.arrays(np.float64, st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3))))
data = st.one_of(values_1d, values_2d, odd_data)
sizes = st.one_of(st.none(), floats, st.integers(-2, 100),
                  hnp.arrays(np.float64, st.integers(0, 41), elements=st.one_of(floats, st.integers(-2, 100))))
masks = st.one_of(st.none(), st.integers(-2, 45), st.slices(45),
                  hnp.arrays(np.bool_, st.integers(0, 41)), st.lists(st.integers(-45, 45), max_size=6))
rules = st.sampled_from(["nelson", "western_electric", "none", ["nelson1", "nelson7"], ["we4"], "bogus",
                         {"individuals": "none"}, ["nelson9"]])
options = st.one_of(st.none(), floats)
ATTRIBUTES = ("p", "laney_p", "np", "c", "u", "laney_u")
real = st.one_of(st.floats(-1e6, 1e6), st.sampled_from([0.0, 1e-300, 1e-12, 1e12]))


@st.composite
def plausible_chart(draw):
    """Mostly valid inputs of one kind (so the estimators run), with degenerate cases: σ = 0,
    p̄ = 0 or 1, all-zero counts, subgroups with one value, tiny or huge spreads, short series."""
    kind = draw(st.sampled_from(KINDS))
    m = draw(st.integers(1, 30))
    if kind in ATTRIBUTES:
        n = draw(st.one_of(st.integers(1, 500), hnp.arrays(np.int64, m, elements=st.integers(1, 500))))
        if kind == "np":
            n = int(np.ravel(n)[0])
        share = draw(hnp.arrays(np.float64, m, elements=st.one_of(st.floats(0, 1), st.sampled_from([0.0, 1.0]))))
        counts = np.floor(share * n) if kind not in ("c", "u", "laney_u") else np.floor(share * 40)
        sizes = n if kind != "u" else draw(st.one_of(st.floats(0.01, 1e4), st.just(n)))
        values = counts
    else:
        shape = (m, draw(st.integers(2, 26))) if kind in ("xbar_r", "xbar_s") or draw(st.booleans()) else (m,)
        if kind == "i_mr":
            shape = (m,)
        values = draw(st.one_of(hnp.arrays(np.float64, shape, elements=real),
                                st.just(np.full(shape, draw(real)))))
        if len(shape) == 2 and draw(st.booleans()):
            holes = draw(hnp.arrays(np.bool_, shape))
            holes[:, 0] = False
            values = np.where(holes, np.nan, values)
        sizes = None
    phase1 = draw(st.one_of(st.none(), st.integers(1, m), st.slices(m)))
    exclude = draw(st.one_of(st.none(), st.lists(st.integers(0, m - 1), max_size=3)))
    return kind, values, sizes, phase1, exclude


def _clear(exc: ValueError) -> None:
    message = str(exc)
    assert type(exc) is DomainError, f"{type(exc).__name__}: {message}"
    assert len(message) >= 15 and not any(raw in message.lower() for raw in RAW_MESSAGES), message


def _call(function, *args, **kwargs):
    """Run ``function``; a RuntimeWarning counts as a crash; a ValueError must be clear."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        try:
            return function(*args, **kwargs)
        except ValueError as exc:
            _clear(exc)
            return None


def _length(values) -> int:
    return int(np.asarray(values).shape[0])


@FUZZ
@given(kind=st.sampled_from(KINDS), values=data, sizes=sizes, phase1=masks, exclude=masks, rules=rules,
       target=options, lam=options, limit=options)
def test_control_chart_raises_only_clear_value_errors(kind, values, sizes, phase1, exclude, rules, target, lam, limit):
    extra = {"lam": lam} if kind == "ewma" and lam is not None else {}
    if kind == "cusum" and limit is not None:
        extra["h"] = limit
    chartset = _call(control_chart, values, kind, sizes=sizes, phase1=phase1, exclude=exclude, rules=rules,
                     target=target, **extra)
    if chartset is not None:
        m = _length(values)
        for chart in chartset.charts:
            assert chart.values.shape == chart.center.shape == chart.ucl.shape == chart.lcl.shape == (m,)
            assert all(0 <= s.index < m for s in chart.signals)


@FUZZ
@given(case=plausible_chart(), rules=rules, target=st.one_of(st.none(), real), lam=st.floats(0.01, 1),
       limit=st.floats(0.1, 10))
def test_control_chart_on_plausible_data_raises_only_clear_value_errors(case, rules, target, lam, limit):
    kind, values, sizes, phase1, exclude = case
    chartset = _call(control_chart, values, kind, sizes=sizes, phase1=phase1, exclude=exclude, rules=rules,
                     target=target, lam=lam, L=limit, h=limit)
    if chartset is not None:
        for chart in chartset.charts:
            assert chart.values.shape == (len(values),)
            assert all(0 <= s.index < len(values) for s in chart.signals)


@FUZZ
@given(kind=st.sampled_from(KINDS), values=values_1d, stages=st.lists(st.sampled_from(["a", "b", None]), max_size=41))
def test_control_chart_stages_raise_only_clear_value_errors(kind, values, stages):
    sizes = np.full(_length(values) if np.ndim(values) else 1, 60.0)
    _call(control_chart, values, kind, sizes=sizes, stages=stages)


@FUZZ
@given(values=st.one_of(data, plausible_chart().map(lambda case: case[1])), lsl=options, usl=options, target=options)
def test_capability_raises_only_clear_value_errors(values, lsl, usl, target):
    result = _call(capability, values, lsl=lsl, usl=usl, target=target)
    if result is not None:
        assert result.n >= 2 and np.isfinite(result.mean)


@FUZZ
@given(values=plausible_chart().map(lambda case: case[1]), centre=real, width=st.floats(1e-9, 1e6), target=real)
def test_capability_with_valid_limits_raises_only_clear_value_errors(values, centre, width, target):
    """What the SPC studio runs: capability, its confidence intervals and the Box-Cox choice."""
    for function in (capability, capability_ci, capability_auto):
        _call(function, values, lsl=centre - width, usl=centre + width, target=target)
        _call(function, values, lsl=centre)
        _call(function, values, usl=centre)


@FUZZ
@given(case=plausible_chart())
def test_the_chart_suggestion_raises_only_clear_value_errors(case):
    _, values, sizes, _, _ = case
    _call(suggest_chart, values, sizes=sizes)


@pytest.mark.parametrize("kind", KINDS)
def test_a_constant_process_is_charted_or_refused_plainly(kind):
    """σ = 0 (every value equal) is the classic division by zero."""
    values = np.full((12, 4), 5.0) if kind in ("xbar_r", "xbar_s") else np.full(12, 5.0)
    _call(control_chart, values, kind, sizes=np.full(12, 10.0))
    _call(capability, np.full(12, 5.0), lsl=1.0, usl=9.0)


def test_confidence_intervals_of_an_index_at_zero_or_below():
    """Found by fuzzing: Cpl = 0 (mean on the lower limit) divided by zero; a negative Cpk gave a reversed
    interval. Bissell's formula as qcc writes it, Ĉ ± z·√(1/(9n) + Ĉ²/(2(n−1))), covers both."""
    values = np.array([1.0, 2.0, 3.0])
    at_zero = capability_ci(values, lsl=2.0)["cpl"]
    half = 1.644854 * np.sqrt(1 / 27)
    assert at_zero.value == 0 and at_zero.lower == pytest.approx(-half, rel=1e-5)
    assert at_zero.upper == pytest.approx(half, rel=1e-5)
    below = capability_ci(values, lsl=3.0, usl=10.0)["cpk"]
    assert below.value < 0 and below.lower < below.value < below.upper


def test_a_degenerate_box_cox_is_explained_not_blamed_on_the_limits():
    """Nearly constant positive data give a huge Box-Cox λ that sends the limits out of range."""
    with pytest.raises(ValueError, match=r"Box-Cox transformation .* sends the specification limit 0.1 out of range"):
        capability_auto(np.array([1, 1, 1, 1, 1, 1, 1, 1.0000001]), lsl=0.1)

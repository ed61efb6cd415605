"""Nelson and Western Electric rules on crafted sequences, and against a naive loop.

Crafted sequences are z-scores on a chart with centre 0 and limits ±3 (σ = 1); expected
indices are 0-based and point at the sample that completes the pattern.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sixsigma import RULE_DESCRIPTIONS, control_chart
from sixsigma._rules import evaluate_rules


def fired(z, rule: str) -> list[int]:
    z = np.asarray(z, dtype=float)
    m = z.size
    return [i for i, _ in evaluate_rules(z, np.zeros(m), np.full(m, 3.0), np.full(m, -3.0), [rule])]


@pytest.mark.parametrize(
    ("rule", "z", "expected"),
    [
        ("nelson1", [0, 0, 3.5, 0, -3.2, 3.0], [2, 4]),  # exactly on the limit is not beyond
        ("nelson2", [0.5] * 8, []),
        ("nelson2", [0.5] * 9, [8]),
        ("nelson2", [-0.5] * 10, [8, 9]),
        ("nelson2", [0.5] * 4 + [0.0] + [0.5] * 8, []),  # a point on the centre breaks the run
        ("nelson3", [0, 0.1, 0.2, 0.3, 0.4], []),
        ("nelson3", [0, 0.1, 0.2, 0.3, 0.4, 0.5], [5]),
        ("nelson3", [1, 0.8, 0.6, 0.4, 0.2, 0.0, -0.2], [5, 6]),
        ("nelson3", [0, 0.1, 0.2, 0.2, 0.4, 0.5], []),  # a tie breaks the trend
        ("nelson4", [0.5, -0.5] * 6 + [0.5], []),
        ("nelson4", [0.5, -0.5] * 7, [13]),
        ("nelson5", [0, 2.5, 0, 2.5], [3]),
        ("nelson5", [2.5, 2.5], [1]),
        ("nelson5", [2.5, -2.5, 0, 2.1], []),
        ("nelson5", [2.5, 0, 0, 2.5], []),
        ("nelson6", [1.5, 1.5, 0, 1.5, 1.5], [4]),
        ("nelson6", [1.5, 1.5, 0, 1.5, -1.5], []),
        ("nelson6", [-1.5, -1.5, -1.5, 0.2, -1.2], [4]),
        ("nelson7", [0.3] * 14, []),
        ("nelson7", [0.3, -0.3] * 7 + [0.3], [14]),
        ("nelson8", [1.5, -1.5] * 4, [7]),
        ("nelson8", [1.5, -1.5] * 3 + [1.5], []),
        ("nelson8", [1.5] * 4 + [0.5] + [1.5] * 7, []),
        ("we1", [0, 4, 0], [1]),
        ("we2", [0, 2.5, 0, 2.5], [3]),
        ("we3", [1.5, 1.5, 0, 1.5, 1.5], [4]),
        ("we4", [0.5] * 7, []),
        ("we4", [0.5] * 9, [7, 8]),
    ],
)
def test_rule_on_crafted_sequence(rule, z, expected):
    assert fired(z, rule) == expected


def test_nelson7_published_qcc_example():
    # qcc tests/testthat/test-qcc.R "qcc applies Nelson rules": c(rep(0.3, 16), 1.2) with centre 0,
    # σ 1, rule 7 -> violations at samples 15 and 16 (1-based) and nowhere else.
    assert fired([0.3] * 16 + [1.2], "nelson7") == [14, 15]


def test_western_electric4_published_qcc_example():
    # qcc tests/testthat/test-qcc.R "qcc uses Western Electric rules by default":
    # c(rep(0.5, 8), -0.5), rule 4 -> violation at sample 8 (1-based) only.
    assert fired([0.5] * 8 + [-0.5], "we4") == [7]


def test_nan_breaks_runs_and_never_signals():
    z = [0.5] * 5 + [np.nan] + [0.5] * 5
    assert fired(z, "nelson2") == []
    assert fired([np.nan, 5.0], "nelson1") == [1]


def test_signals_sorted_by_index_then_rule_order():
    z = np.array([0.5] * 8 + [3.5])
    m = z.size
    out = evaluate_rules(z, np.zeros(m), np.full(m, 3.0), np.full(m, -3.0), ["nelson2", "nelson1"])
    assert out == [(8, "nelson2"), (8, "nelson1")]


def test_varying_limits_use_each_samples_own_zones():
    values = np.array([0.12, 0.11, 0.30])
    center = np.full(3, 0.1)
    ucl = np.array([0.115, 0.4, 0.25])  # σ-zone widths 0.005, 0.1, 0.05
    lcl = 2 * center - ucl
    out = evaluate_rules(values, center, ucl, lcl, ["nelson1", "nelson5"])
    # z = 4 (beyond), 0.1, 4 (beyond): rule 5 needs 2 of 3 beyond 2σ on one side
    assert out == [(0, "nelson1"), (2, "nelson1"), (2, "nelson5")]


# --- a naive loop implementation to cross-check the vectorised one -------------------------

def _naive(z: np.ndarray, rule: str) -> list[int]:
    out = []
    for i in range(z.size):
        def last(k):
            return z[i - k + 1: i + 1] if i >= k - 1 else None

        def m_of_k(m, k, zone):
            w = z[max(0, i - k + 1): i + 1]
            up = z[i] > zone and np.sum(w > zone) >= m
            down = z[i] < -zone and np.sum(w < -zone) >= m
            return up or down

        w9, w6, w14, w15, w8 = last(9), last(6), last(14), last(15), last(8)
        hit = {
            "nelson1": abs(z[i]) > 3,
            "nelson2": w9 is not None and (np.all(w9 > 0) or np.all(w9 < 0)),
            "nelson3": w6 is not None and (np.all(np.diff(w6) > 0) or np.all(np.diff(w6) < 0)),
            "nelson4": w14 is not None and np.all(np.diff(w14)[:-1] * np.diff(w14)[1:] < 0),
            "nelson5": m_of_k(2, 3, 2.0),
            "nelson6": m_of_k(4, 5, 1.0),
            "nelson7": w15 is not None and np.all(np.abs(w15) < 1),
            "nelson8": w8 is not None and np.all(np.abs(w8) > 1),
            "we4": w8 is not None and (np.all(w8 > 0) or np.all(w8 < 0)),
        }[rule]
        if hit:
            out.append(i)
    return out


@settings(max_examples=60, deadline=None)
@given(
    z=st.lists(st.sampled_from([-3.5, -2.5, -1.5, -0.5, 0.0, 0.5, 1.5, 2.5, 3.5]), min_size=1, max_size=60),
    rule=st.sampled_from(["nelson1", "nelson2", "nelson3", "nelson4", "nelson5", "nelson6", "nelson7",
                          "nelson8", "we4"]),
)
def test_vectorised_rules_match_naive_loop(z, rule):
    arr = np.asarray(z)
    assert fired(arr, rule) == _naive(arr, rule)


def test_random_walk_cross_check_all_rules():
    z = np.cumsum(np.random.default_rng(11).normal(0, 0.7, 3000)) % 7 - 3.5
    for rule in ("nelson1", "nelson2", "nelson3", "nelson4", "nelson5", "nelson6", "nelson7", "nelson8", "we4"):
        assert fired(z, rule) == _naive(z, rule), rule


# --- rule selection through the public API -------------------------------------------------

DATA = np.r_[np.random.default_rng(2).normal(0, 1, 30), np.full(10, 2.0)]


def test_rule_sets_and_lists():
    nelson = control_chart(DATA, "i_mr")
    assert nelson["individuals"].rules == tuple(f"nelson{i}" for i in range(1, 9))
    we = control_chart(DATA, "i_mr", rules="western_electric")
    assert {s.rule for s in we["individuals"].signals} <= {"we1", "we2", "we3", "we4"}
    assert control_chart(DATA, "i_mr", rules="none").in_control
    only2 = control_chart(DATA, "i_mr", rules=["nelson2"])["individuals"]
    assert {s.rule for s in only2.signals} == {"nelson2"}
    assert [s.index for s in only2.signals] == list(range(38, 40))


def test_rules_per_chart_and_limit_only_charts():
    cs = control_chart(DATA, "i_mr", rules={"individuals": ["nelson2"], "moving_range": "none"})
    assert cs["individuals"].rules == ("nelson2",) and cs["moving_range"].rules == ()
    default = control_chart(DATA, "i_mr")
    assert default["moving_range"].rules == ("nelson1",)  # Minitab: test 1 only on MR
    assert control_chart(DATA, "ewma")["ewma"].rules == ("nelson1",)
    assert control_chart(DATA, "cusum", rules="western_electric")["cusum_upper"].rules == ("we1",)


@pytest.mark.parametrize("rules", ["nelsen", ["nelson9"], 5])
def test_unknown_rules_raise(rules):
    with pytest.raises(ValueError, match="rule"):
        control_chart(DATA, "i_mr", rules=rules)


def test_every_rule_has_plain_words():
    chart = control_chart(DATA, "i_mr")["individuals"]
    assert chart.signals
    for s in chart.signals:
        assert s.description == RULE_DESCRIPTIONS[s.rule] and ":" in s.description

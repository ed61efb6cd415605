"""The what-if propagation's cache (a target move reuses the draws): any changed input changes the answer,
and what a caller does to an answer cannot change the next one."""

from __future__ import annotations

import pytest

from scorecard.links import LinkEffect
from scorecard.whatif import propagate


def exact(slope: float) -> LinkEffect:
    """A link effect known without error."""
    return LinkEffect(slope, 0.0, slope, slope, "assumed")


def _effect(frame, node: int) -> float:
    return float(frame.set_index("node").loc[node, "mean"])


def test_the_same_question_gets_the_same_answer_twice():
    # A → B with slope 2 and standard error 0.5: the draws are seeded, so the band repeats exactly.
    edges = {(1, 2): LinkEffect(2.0, 0.5, 1.0, 3.0, "estimated")}
    first, second = propagate({1: 1.0}, edges), propagate({1: 1.0}, edges)
    assert first.equals(second)


def test_a_changed_driver_changes_the_answer():
    # A → B with slope 2: +1 in A moves B by 2, +3 moves it by 6 (by hand).
    edges = {(1, 2): exact(2.0)}
    assert _effect(propagate({1: 1.0}, edges), 2) == pytest.approx(2.0)
    assert _effect(propagate({1: 3.0}, edges), 2) == pytest.approx(6.0)


def test_a_changed_slope_or_link_changes_the_answer():
    assert _effect(propagate({1: 1.0}, {(1, 2): exact(2.0)}), 2) == pytest.approx(2.0)
    assert _effect(propagate({1: 1.0}, {(1, 2): exact(5.0)}), 2) == pytest.approx(5.0)
    # A → B → C with slopes 5 and 3: +1 in A reaches C as 15; without the second link C is not reached.
    assert _effect(propagate({1: 1.0}, {(1, 2): exact(5.0), (2, 3): exact(3.0)}), 3) == pytest.approx(15.0)
    assert 3 not in set(propagate({1: 1.0}, {(1, 2): exact(5.0)})["node"])


def test_a_changed_uncertainty_level_or_draw_count_changes_the_band():
    edges = {(1, 2): LinkEffect(2.0, 0.5, 1.0, 3.0, "estimated")}
    wide = propagate({1: 1.0}, {(1, 2): LinkEffect(2.0, 1.0, 0.0, 4.0, "estimated")}).set_index("node").loc[2]
    narrow = propagate({1: 1.0}, edges).set_index("node").loc[2]
    assert wide["upper"] - wide["lower"] > narrow["upper"] - narrow["lower"]
    level_50 = propagate({1: 1.0}, edges, level=0.5).set_index("node").loc[2]
    assert level_50["upper"] - level_50["lower"] < narrow["upper"] - narrow["lower"]
    assert not propagate({1: 1.0}, edges, draws=500).equals(propagate({1: 1.0}, edges))
    assert not propagate({1: 1.0}, edges, seed=1).equals(propagate({1: 1.0}, edges))


def test_changing_an_answer_does_not_change_the_next_one():
    edges = {(1, 2): exact(2.0)}
    answer = propagate({1: 1.0}, edges)
    answer.loc[:, "mean"] = 99.0
    assert _effect(propagate({1: 1.0}, edges), 2) == pytest.approx(2.0)

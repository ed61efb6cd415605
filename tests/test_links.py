"""Evidence for strategy-map links on simulated linked and unlinked monthly series."""

import numpy as np
import pandas as pd
import pytest

from scorecard.links import VERDICTS, link_evidence


def _series(values, start="2022-01") -> pd.Series:
    return pd.Series(np.asarray(values, dtype=float), index=pd.period_range(start, periods=len(values), freq="M"))


def test_linked_series_supported_at_the_true_lag():
    rng = np.random.default_rng(1)
    cause = rng.normal(size=40)
    effect = 0.7 * np.roll(cause, 2) + rng.normal(0, 0.6, 40)        # effect follows the cause by 2 months
    result = link_evidence(_series(cause[2:]), _series(effect[2:]))
    assert result.verdict == "supported" and result.supported
    assert result.lag == 2
    assert result.ci_low > 0 and result.correlation == pytest.approx(result.slope)
    assert result.n == 36 and result.p_value < 0.01 and not result.differenced
    assert result.confidence == pytest.approx(1 - 0.05 / 4)


def test_negative_relation_is_called_opposite_or_supported_when_expected():
    rng = np.random.default_rng(2)
    cause = rng.normal(size=36)
    effect = -0.8 * cause + rng.normal(0, 0.5, 36)
    assert link_evidence(_series(cause), _series(effect)).verdict == "opposite"
    assert link_evidence(_series(cause), _series(effect), expected_sign=-1).supported


def test_unlinked_series_rarely_supported():
    rng = np.random.default_rng(3)
    supported = sum(link_evidence(_series(rng.normal(size=30)), _series(rng.normal(size=30))).supported
                    for _ in range(100))
    assert supported <= 10          # Bonferroni over 4 lags keeps false support near 5 %


def test_trending_series_are_differenced():
    rng = np.random.default_rng(4)
    trend = np.arange(36.0)
    cause, effect = trend + rng.normal(0, 1, 36), 2 * trend + rng.normal(0, 1, 36)   # unrelated noise
    result = link_evidence(_series(cause), _series(effect))
    assert result.differenced
    assert result.verdict != "supported"


def test_not_enough_data_and_bad_arguments():
    short = link_evidence(_series([1.0, 2.0, 3.0]), _series([2.0, 3.0, 5.0]))
    assert short.verdict == "not_enough_data" and not short.supported and short.lag is None
    flat = link_evidence(_series(np.ones(24)), _series(np.arange(24.0)))
    assert flat.verdict == "not_enough_data"
    assert link_evidence(_series([1.0]), _series(np.arange(24.0))).verdict == "not_enough_data"
    with pytest.raises(ValueError, match="max_lag"):
        link_evidence(_series(np.arange(24.0)), _series(np.arange(24.0)), max_lag=-1)
    with pytest.raises(ValueError, match="expected_sign"):
        link_evidence(_series(np.arange(24.0)), _series(np.arange(24.0)), expected_sign=0)
    assert set(VERDICTS) == {"supported", "opposite", "inconclusive", "not_enough_data"}


def test_partly_overlapping_histories_are_aligned():
    rng = np.random.default_rng(5)
    cause = rng.normal(size=40)
    effect = 0.8 * cause + rng.normal(0, 0.4, 40)
    result = link_evidence(_series(cause[:30]), _series(effect[10:], start="2022-11"), max_lag=0)
    assert result.n == 20 and result.supported

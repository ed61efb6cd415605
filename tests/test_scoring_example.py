"""The settings screen's worked example (scorecard.scoring_example) agrees with the scorecard it explains."""

from __future__ import annotations

import pytest

from data import repository
from scorecard import view
from scorecard.scoring import ScoringConfig, kpi_status
from scorecard.scoring_example import scoring_example
from tests.apptest import ok, start, texts

PERIOD, SEGMENT = "2026-10", "All"


@pytest.fixture(scope="module")
def frames(sqlite_engine):
    definition = repository.scorecard_definition(sqlite_engine)
    measurements, targets = repository.measurements(sqlite_engine), repository.targets(sqlite_engine)
    kpis = view.kpi_rows(definition, measurements, targets, PERIOD, SEGMENT)
    return kpis, view.scorecard_report(definition, measurements, targets, PERIOD, SEGMENT, ScoringConfig())


def test_the_example_scores_as_the_scorecard_does(frames):
    kpis, report = frames
    example = scoring_example(kpis, report, ScoringConfig())
    row = report[(report["level"] == "kpi") & (report["name"] == example.kpi)].iloc[0]
    assert example.status == row["status"] == "amber"  # an amber KPI shows the band at work
    assert example.score == pytest.approx(row["score"])
    perspective = report[(report["level"] == "perspective") & (report["name"] == example.perspective)].iloc[0]
    assert example.perspective_score == pytest.approx(perspective["score"])


def test_the_amber_limit_is_where_amber_turns_red(frames):
    kpis, report = frames
    example = scoring_example(kpis, report, ScoringConfig())
    nudge = 1e-6 * abs(example.target) * (1 if example.direction == "lower" else -1)
    assert kpi_status(example.amber_limit, example.target, example.direction, example.band) == "amber"
    assert kpi_status(example.amber_limit + nudge, example.target, example.direction, example.band) == "red"


def test_ratio_method_ignores_the_baseline(frames):
    kpis, report = frames
    example = scoring_example(kpis, report, ScoringConfig(method="ratio"))
    assert example.score == pytest.approx(example.ratio_score)
    assert example.baseline is not None and example.linear_score != pytest.approx(example.ratio_score)


def test_settings_screen_explains_in_place(sqlite_url, sqlite_engine, monkeypatch):
    at = ok(start(sqlite_url, "screens/settings.py", monkeypatch))
    shown = texts(at.caption)
    assert "README" not in shown and "Example, 2026-10:" in shown and "amber" in shown

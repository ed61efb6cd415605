"""Saved what-if scenarios: saving never changes official data; only the strategy team promotes, audited."""

from __future__ import annotations

import pytest

from data import repository
from data.demo.catalog import DEMO_USERS
from data.bootstrap import prepare_database
from data.models import Kpi, Objective, Perspective, Segment, Target, User
from data.scenarios import delete_scenario, promote_scenario, save_scenario, scenarios
from data.writes import PermissionDenied, write_session

SCENARIO = {"targets": {}, "changes": {}, "assumptions": {}}


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request, tmp_path):
    """A fresh database with the demo users, one KPI (Retention rate) and its standing target in Retail."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 's.db'}"
    else:
        url = request.getfixturevalue("new_postgres_database")()
    engine = prepare_database(url, seed_demo=False)
    with write_session(engine, "system", "scorecard.edit") as writer:
        for values in DEMO_USERS:
            writer.create(User, values)
        segment = writer.create(Segment, {"name": "Retail"})
        perspective = writer.create(Perspective, {"name": "Marketing"})
        objective = writer.create(Objective, {"perspective_id": perspective.id, "name": "Maximise retention"})
        kpi = writer.create(Kpi, {"objective_id": objective.id, "name": "Retention rate", "unit": "%"})
        writer.create(Target, {"kpi_id": kpi.id, "segment_id": segment.id, "period": None, "value": 85.0})
    return engine


def _kpi_id(engine) -> int:
    return int(repository.scorecard_definition(engine)["kpi_id"].iloc[0])


def test_an_executive_saves_a_scenario_and_official_targets_stay(engine):
    kpi_id = _kpi_id(engine)
    scenario_id = save_scenario(engine, "maryam", "Retention 90", "2026-10", "Retail",
                                {**SCENARIO, "targets": {str(kpi_id): 90.0}}, note="board ask")
    saved = scenarios(engine).set_index("id").loc[scenario_id]
    assert (saved["name"], saved["author"], saved["period"], saved["segment"], saved["note"]) == \
        ("Retention 90", "maryam", "2026-10", "Retail", "board ask")
    assert saved["overrides"]["targets"] == {str(kpi_id): 90.0}
    assert repository.targets(engine)["value"].tolist() == [85.0]


def test_bad_scenarios_are_refused_and_nothing_is_saved(engine):
    with pytest.raises(ValueError, match="needs a name"):
        save_scenario(engine, "maryam", "  ", "2026-10", "Retail", SCENARIO)
    with pytest.raises(ValueError, match="cannot be saved"):
        save_scenario(engine, "maryam", "NaN", "2026-10", "Retail", {**SCENARIO, "targets": {"1": float("nan")}})
    with pytest.raises(PermissionDenied):
        save_scenario(engine, "guest", "Viewer's", "2026-10", "Retail", SCENARIO)
    assert scenarios(engine).empty


def test_only_the_strategy_team_promotes_and_each_target_change_is_audited(engine):
    kpi_id = _kpi_id(engine)
    scenario_id = save_scenario(engine, "maryam", "Retention 90", "2026-10", "Retail",
                                {**SCENARIO, "targets": {str(kpi_id): 90.0}})
    with pytest.raises(PermissionDenied):
        promote_scenario(engine, "maryam", scenario_id)
    assert repository.targets(engine)["value"].tolist() == [85.0]
    assert promote_scenario(engine, "sara", scenario_id) == 1
    assert repository.targets(engine)["value"].tolist() == [90.0]
    log = repository.audit_log(engine)
    promoted, target_change = log.iloc[0], log.iloc[1]
    assert (promoted["username"], promoted["action"], promoted["new"]["targets"]) == ("sara", "promote", 1)
    assert (target_change["entity"], target_change["old"], target_change["new"]) == ("target", {"value": 85.0}, {"value": 90.0})


def test_a_scenario_without_targets_has_nothing_to_promote(engine):
    scenario_id = save_scenario(engine, "maryam", "Only drivers", "2026-10", "Retail",
                                {**SCENARIO, "changes": {"1": 2.0}})
    with pytest.raises(ValueError, match="nothing to promote"):
        promote_scenario(engine, "sara", scenario_id)


def test_only_the_author_deletes_a_scenario(engine):
    scenario_id = save_scenario(engine, "maryam", "Mine", "2026-10", "Retail", SCENARIO)
    with pytest.raises(PermissionDenied, match="only maryam"):
        delete_scenario(engine, "sara", scenario_id)
    delete_scenario(engine, "maryam", scenario_id)
    assert scenarios(engine).empty

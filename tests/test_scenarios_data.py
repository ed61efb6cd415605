"""Saved what-if scenarios: saving never changes official data; only the strategy team promotes, audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from data import repository
from data.demo.catalog import DEMO_USERS
from data.bootstrap import prepare_database
from data.models import Kpi, Objective, Perspective, Segment, Target, User
from data.scenarios import delete_scenario, promote_scenario, promotion_preview, save_scenario, scenarios
from data.writes import PermissionDenied, write_session
from ui.admin.audit import AuditNames, readable_audit

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


def _second_kpi(engine, name: str, unit: str) -> int:
    """Another KPI under the fixture's objective (no target yet); returns its id."""
    with write_session(engine, "system", "scorecard.edit") as writer:
        objective = writer.session.scalar(select(Objective.id))
        return writer.create(Kpi, {"objective_id": objective, "name": name, "unit": unit}).id


def test_only_the_strategy_team_promotes_in_one_audit_entry_listing_the_changes(engine):
    retention, revenue = _kpi_id(engine), _second_kpi(engine, "Revenue", "$k")
    scenario_id = save_scenario(engine, "maryam", "Retention 90", "2026-10", "Retail",
                                {**SCENARIO, "targets": {str(retention): 90.0, str(revenue): 16500.0}})
    entries = len(repository.audit_log(engine, limit=100_000))
    with pytest.raises(PermissionDenied):
        promote_scenario(engine, "maryam", scenario_id)
    assert repository.targets(engine)["value"].tolist() == [85.0]
    assert promote_scenario(engine, "sara", scenario_id) == 2
    targets = repository.targets(engine)
    assert sorted(zip(targets["kpi_id"], targets["value"])) == [(retention, 90.0), (revenue, 16500.0)]
    log = repository.audit_log(engine, limit=100_000)
    assert len(log) == entries + 2  # maryam's refusal, then sara's promotion: one entry for both targets
    promoted = log.iloc[0]
    assert (promoted["username"], promoted["action"], promoted["entity"]) == ("sara", "promote", "scenario")
    assert promoted["new"]["name"] == "Retention 90"
    assert promoted["new"]["targets"] == [{"kpi_id": retention, "old": 85.0, "new": 90.0},
                                          {"kpi_id": revenue, "old": None, "new": 16500.0}]


def test_the_preview_lists_exactly_the_targets_that_would_change_and_writes_nothing(engine):
    retention, revenue, visits = _kpi_id(engine), _second_kpi(engine, "Revenue", "$k"), _second_kpi(engine, "Visits", "")
    with write_session(engine, "system", "scorecard.edit") as writer:
        retail = writer.session.scalar(select(Segment.id).where(Segment.name == "Retail"))
        writer.create(Target, {"kpi_id": visits, "segment_id": retail, "period": None, "value": 40.0})
        writer.create(Target, {"kpi_id": revenue, "segment_id": retail, "period": "2026-11", "value": 900.0})
    scenario_id = save_scenario(engine, "maryam", "Mixed", "2026-10", "Retail", {**SCENARIO, "targets": {
        str(retention): 85.0, str(revenue): 1000.0, str(visits): 45.0}})  # retention unchanged
    before, entries = repository.targets(engine), len(repository.audit_log(engine, limit=100_000))
    preview = promotion_preview(engine, scenario_id)
    assert [(c.kpi_id, c.segment, c.old, c.new, c.own_months) for c in preview] == [
        (revenue, "Retail", None, 1000.0, ("2026-11",)), (visits, "Retail", 40.0, 45.0, ())]
    assert repository.targets(engine).equals(before)
    assert len(repository.audit_log(engine, limit=100_000)) == entries


def test_the_promotion_reads_as_one_entry_with_its_list(engine):
    retention, revenue = _kpi_id(engine), _second_kpi(engine, "Revenue", "$k")
    scenario_id = save_scenario(engine, "maryam", "Stretch", "2026-10", "Retail",
                                {**SCENARIO, "targets": {str(retention): 90.0, str(revenue): 16500.0}})
    promote_scenario(engine, "sara", scenario_id)
    names = AuditNames(kpis={retention: ("Retention rate", "%"), revenue: ("Revenue", "$k")},
                       segments=dict(zip(repository.segments(engine)["id"], repository.segments(engine)["name"])),
                       people={"sara": "Sara Ahmadi"})
    row = readable_audit(repository.audit_log(engine).head(1), names, lambda v, unit: f"{v:g} {unit}").iloc[0]
    assert (row["who"], row["action"], row["what"]) == ("Sara Ahmadi", "Promoted", "Scenario: Stretch · Retail")
    assert row["change"] == "Retention rate: 85 % → 90 %; Revenue: — → 16500 $k"


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

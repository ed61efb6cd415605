"""No lost update, on SQLite and PostgreSQL: two people edit the same target or KPI at once; the
second save is refused with who changed it and when, and the first one's change stays."""

from __future__ import annotations

import pytest

from data import repository
from data.demo.catalog import DEMO_SEGMENTS, DEMO_USERS
from data.bootstrap import prepare_database
from data.editing import TableEdit, diff_table, save_table_edit
from data.models import Kpi, Segment, Target
from data.writes import SYSTEM_USER, StaleEdit, write_session
from tests.conftest import new_database_url

DEFINITION = [{"name": "Customer", "name_fa": None, "weight": 1.0, "objectives": [
    {"name": "Delight", "name_fa": None, "kpis": [
        {"name": "Retention rate", "name_fa": None, "unit": "%", "direction": "higher", "aggregation": "ratio",
         "owner": "CMO", "weight": 1.0}]}]}]
STALE = r"was changed by Sara Ahmadi \(CRM strategy team\) at 20\d\d-\d\d-\d\d \d\d:\d\d UTC after you loaded it"


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request, tmp_path):
    """A one-KPI scorecard with a standing target of 85 in All, and the demo users."""
    engine = prepare_database(new_database_url(request, tmp_path), seed_demo=False)
    repository.create_scorecard(engine, DEMO_SEGMENTS, DEFINITION, [], DEMO_USERS)
    with write_session(engine, SYSTEM_USER, "scorecard.edit") as writer:
        segment = writer.session.query(Segment).filter_by(name="All").one()
        writer.create(Target, {"kpi_id": _kpi_id(engine), "segment_id": segment.id, "period": None, "value": 85.0})
    yield engine
    engine.dispose()


def _kpi_id(engine) -> int:
    return int(repository.scorecard_definition(engine)["kpi_id"].iloc[0])


def _targets(engine):
    return repository.targets(engine)[["id", "version", "value"]]


def _kpis(engine):
    return repository.scorecard_definition(engine).rename(columns={"kpi_id": "id", "kpi_version": "version"})


def test_the_second_target_save_is_refused_not_overwritten(engine):
    sara_loads, omid_loads = _targets(engine), _targets(engine)          # both open the Targets editor
    save_table_edit(engine, "sara", "target", diff_table(sara_loads, sara_loads.assign(value=88.0), ["value"]))
    omid_edit = diff_table(omid_loads, omid_loads.assign(value=80.0), ["value"])
    with pytest.raises(StaleEdit, match=STALE + ". Nothing was saved: reload"):
        save_table_edit(engine, "omid", "target", omid_edit)
    assert _targets(engine)["value"].tolist() == [88.0]
    updates = repository.audit_log(engine).query("action == 'update' and entity == 'target'")
    assert updates["username"].tolist() == ["sara"]
    reloaded = _targets(engine)                                          # after a reload his save goes through
    save_table_edit(engine, "omid", "target", diff_table(reloaded, reloaded.assign(value=80.0), ["value"]))
    assert _targets(engine)[["value", "version"]].values.tolist() == [[80.0, 3]]


def test_the_second_kpi_save_is_refused_and_a_stale_delete_too(engine):
    sara_loads, omid_loads = _kpis(engine), _kpis(engine)
    save_table_edit(engine, "sara", "kpi", diff_table(sara_loads, sara_loads.assign(weight=2.0), ["weight"]))
    with pytest.raises(StaleEdit, match=STALE):
        save_table_edit(engine, "omid", "kpi", diff_table(omid_loads, omid_loads.assign(unit="pct"), ["unit"]))
    with pytest.raises(StaleEdit, match=STALE):
        save_table_edit(engine, "omid", "kpi", diff_table(omid_loads, omid_loads.iloc[0:0], ["unit"]))
    kpi = _kpis(engine).iloc[0]
    assert (kpi["weight"], kpi["unit"], kpi["version"]) == (2.0, "%", 2)


def test_a_save_racing_inside_the_same_moment_is_refused(engine):
    """Omid's transaction read the target; Sara commits hers before his UPDATE: the version column catches it."""
    target = int(_targets(engine)["id"].iloc[0])
    with pytest.raises(StaleEdit, match=STALE):
        with write_session(engine, "omid", "scorecard.edit") as writer:
            read = writer.session.get(Target, target)                    # version 1, held by his session
            save_table_edit(engine, "sara", "target", TableEdit(updated={target: {"value": 90.0}}))
            writer.update(Target, read.id, {"value": 70.0})
    assert _targets(engine)["value"].tolist() == [90.0]


def test_every_edited_kind_of_row_carries_a_version(engine):
    from data.models import Artifact, Objective, Perspective, Project, Setting
    from sqlalchemy import inspect

    assert all(inspect(model).version_id_col is not None
               for model in (Kpi, Target, Objective, Perspective, Project, Artifact, Setting))


def test_a_project_tool_and_the_settings_saved_over_a_newer_version_are_refused(engine):
    from data.models import Project
    from data.projects import project_detail, save_artifact
    from data.settings import save_setting, setting_version

    with write_session(engine, SYSTEM_USER, "projects.edit") as writer:
        pid = writer.create(Project, {"kind": "dmaic", "title": "Keep them", "kpi_id": _kpi_id(engine),
                                      "champion": "nima", "belt": "reza", "phase": "define", "status": "active"}).id
    sipoc = {"rows": [{"process": "Call"}]}
    save_artifact(engine, "reza", pid, "define", "sipoc", sipoc, version=0)           # the first one: none shown
    shown = project_detail(engine, pid)["project"]["artifact_versions"]["define/sipoc"]
    save_artifact(engine, "reza", pid, "define", "sipoc", {"rows": [{"process": "Visit"}]}, version=shown)
    with pytest.raises(StaleEdit, match=r"This artifact \(id \d+\) was changed by Reza Karimi"):
        save_artifact(engine, "reza", pid, "define", "sipoc", {"rows": [{"process": "Mail"}]}, version=shown)
    with pytest.raises(StaleEdit):
        save_artifact(engine, "reza", pid, "define", "sipoc", sipoc, version=0)        # a second "first one"
    assert project_detail(engine, pid)["artifacts"]["define/sipoc"] == {"rows": [{"process": "Visit"}]}

    save_setting(engine, "sara", "scoring", {"green": 90.0}, version=setting_version(engine, "scoring"))
    loaded = setting_version(engine, "scoring")
    save_setting(engine, "sara", "scoring", {"green": 85.0}, version=loaded)
    with pytest.raises(StaleEdit, match="This setting .id scoring. was changed by Sara Ahmadi"):
        save_setting(engine, "omid", "scoring", {"green": 95.0}, version=loaded)

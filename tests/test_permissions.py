"""Roles enforced in the write path, on SQLite and PostgreSQL.

Each role's demo user signs in, then calls every data-layer write function directly (as a crafted
request would, bypassing the pages): a write the role may not make raises PermissionDenied naming
the user, the role and what was refused, is audited as ``refused`` and changes nothing; a write it
may make is saved and audited under the user's name. The rows each call needs (a project where the
user is the belt and the champion, a comment they wrote …) are set up first, so the role alone decides.
"""

from __future__ import annotations

import itertools
from datetime import date

import pandas as pd
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data import accounts, discussion, editing, imports, projects, repository, scenarios, settings
from data.demo.catalog import DEMO_PASSWORD, DEMO_SEGMENTS, DEMO_USERS
from data.bootstrap import prepare_database
from data.models import ActionItem, AuditLog, Comment, Project, Scenario, User
from data.roles import PERMISSIONS, ROLE_PERMISSIONS, ROLES
from data.writes import SYSTEM_USER, PermissionDenied, write_session
from scorecard.io.importer import read_table, validate_kpis, validate_measurements
from tests.conftest import new_database_url

DEFINITION = [{"name": "Customer", "name_fa": None, "weight": 1.0, "objectives": [
    {"name": "Delight", "name_fa": None, "kpis": [
        {"name": "Complaints resolved within 15 days", "name_fa": None, "unit": "%", "direction": "higher",
         "aggregation": "ratio", "owner": "Service", "weight": 1.0}]}]}]
KPI = "Complaints resolved within 15 days"
DEMO_BY_ROLE = {user["role"]: user["username"] for user in DEMO_USERS}
TARGET_USER = "temp"  # the user the user-admin calls change (not a demo user: every role signs in)
FRESH = itertools.count(1)  # a new value for every call, so that every allowed write changes something


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def engine(request, tmp_path_factory):
    """One database per backend with the demo users (demo passwords) and a one-KPI scorecard."""
    engine = prepare_database(new_database_url(request, tmp_path_factory.mktemp("roles")), seed_demo=False)
    repository.create_scorecard(engine, DEMO_SEGMENTS, DEFINITION, [], DEMO_USERS)
    accounts.prepare_accounts(engine, demo_mode=True)
    accounts.create_user(engine, SYSTEM_USER, username=TARGET_USER, display_name="Temp", role="viewer")
    yield engine
    engine.dispose()


def _kpi(engine) -> int:
    return int(repository.scorecard_definition(engine)["kpi_id"].iloc[0])


def _system_row(engine, model, values) -> int:
    with write_session(engine, SYSTEM_USER, "scorecard.edit") as writer:
        return writer.create(model, values).id


def _project(engine, user: str) -> int:
    """An active project in Define whose belt and champion are ``user``."""
    return _system_row(engine, Project, {"kind": "dmaic", "title": f"Project of {user}", "kpi_id": _kpi(engine),
                                         "champion": user, "belt": user, "phase": "define", "status": "active"})


def _import(engine, user: str, tmp_path, what: str) -> None:
    """Import a KPIS or MEASUREMENTS file (validated as the CLI and the page do) with new values."""
    path = tmp_path / f"{what}.csv"
    if what == "KPIS":
        path.write_text(f"perspective,objective,kpi,unit,direction,target,weight\nCustomer,Delight,{KPI},%,higher,"
                        f"{next(FRESH)},1\n")
        imports.save_import(engine, user, validate_kpis(read_table(str(path), path.name), path.name), None)
    else:
        path.write_text(f"kpi,period,actual\n{KPI},2026-10,{next(FRESH)}\n")
        imports.save_import(engine, user, None, validate_measurements(read_table(str(path), path.name), path.name, {KPI}))


def _writes(engine, user: str, tmp_path) -> dict:
    """Every data-layer write function as a call by ``user``, with the permission it needs."""
    kpi = _kpi(engine)
    target = int(repository.targets(engine)["id"].iloc[0]) if len(repository.targets(engine)) else None
    edit = editing.TableEdit(created=[] if target else [{"kpi_id": kpi, "segment_id": 1, "period": None, "value": 80.0}],
                             updated={target: {"value": float(next(FRESH))}} if target else {})
    scenario = {"targets": {str(kpi): float(next(FRESH))}, "changes": {}, "assumptions": {}}

    def own(model, values):
        return _system_row(engine, model, {**values, "author": user})

    signal = {"last": 70.0, "target": 80.0, "signal": ""}
    return {
        "save_table_edit": ("scorecard.edit", lambda: editing.save_table_edit(engine, user, "target", edit)),
        "add_comment": ("comments.write", lambda: discussion.add_comment(engine, user, kpi, "2026-10", "Seen.")),
        "edit_comment": ("comments.write", lambda: discussion.edit_comment(
            engine, user, own(Comment, {"kpi_id": kpi, "period": "2026-10", "text": "a"}), "b")),
        "add_action_item": ("comments.write", lambda: discussion.add_action_item(engine, user, kpi, "2026-10", "Call")),
        "update_action_item": ("comments.write", lambda: discussion.update_action_item(
            engine, user, own(ActionItem, {"kpi_id": kpi, "period": "2026-10", "text": "a"}), {"done": True})),
        "save_scenario": ("scenarios.edit", lambda: scenarios.save_scenario(
            engine, user, "Stretch", "2026-10", "All", scenario)),
        "delete_scenario": ("scenarios.edit", lambda: scenarios.delete_scenario(
            engine, user, own(Scenario, {"name": "Mine", "overrides": {"segment": "All", **scenario}}))),
        "promote_scenario": ("scorecard.edit", lambda: scenarios.promote_scenario(
            engine, user, own(Scenario, {"name": "Promote", "overrides": {"segment": "All", **scenario}}))),
        "create_project": ("projects.start", lambda: projects.create_project(
            engine, user, kind="dmaic", title="New", kpi_id=kpi, segment="All", champion="nima", belt=user,
            start=date(2026, 11, 1), planned_end=date(2027, 5, 1))),
        "project_from_signal": ("projects.start", lambda: projects.project_from_signal(
            engine, user, kpi_id=kpi, kpi_name=KPI, segment="All", champion="nima", baseline=signal)),
        "save_artifact": ("projects.edit", lambda: projects.save_artifact(
            engine, user, _project(engine, user), "define", "sipoc", {"rows": [{"process": "Call"}]})),
        "set_benefit": ("projects.edit", lambda: projects.set_benefit(engine, user, _project(engine, user),
                                                                       expected=12.0)),
        "decide_tollgate": ("tollgates.decide", lambda: projects.decide_tollgate(
            engine, user, _project(engine, user), "define", "rework", "Charter too vague", {})),
        "add_stage": ("stages.edit", lambda: projects.add_stage(engine, user, kpi, "2026-06", "New call script")),
        "save_setting": ("settings.edit", lambda: settings.save_setting(engine, user, "scoring",
                                                                        {"green": 90.0, "note": next(FRESH)})),
        "import_kpis": ("scorecard.edit", lambda: _import(engine, user, tmp_path, "KPIS")),
        "import_measurements": ("measurements.edit", lambda: _import(engine, user, tmp_path, "MEASUREMENTS")),
        "create_user": ("users.edit", lambda: accounts.create_user(
            engine, user, username=f"new_{user}", display_name="New person", role="viewer", password="long enough passphrase")),
        "set_password": ("users.edit", lambda: accounts.set_password(engine, user, TARGET_USER, f"a fresh secret phrase {next(FRESH)}")),
        "set_role": ("users.edit", lambda: accounts.set_role(engine, user, TARGET_USER, "executive")),
        "unlock": ("users.edit", lambda: accounts.unlock(engine, user, TARGET_USER)),
        "set_language": ("profile.edit", lambda: accounts.set_language(engine, user, "fa")),
    }


def _audit(engine, user: str) -> pd.DataFrame:
    with Session(engine) as session:
        rows = session.execute(select(AuditLog.id, AuditLog.action, AuditLog.entity, AuditLog.new)
                               .where(AuditLog.username == user).order_by(AuditLog.id)).all()
    return pd.DataFrame(rows, columns=["id", "action", "entity", "new"])


def _count(engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action != "refused"))


def test_the_table_covers_every_role_and_permission():
    assert set(ROLE_PERMISSIONS) == set(ROLES) == set(DEMO_BY_ROLE)
    assert set().union(*ROLE_PERMISSIONS.values()) == set(PERMISSIONS) == ROLE_PERMISSIONS["admin"]


@pytest.mark.parametrize("role", list(ROLES))
def test_each_role_may_make_exactly_its_writes(engine, role, tmp_path):
    user = DEMO_BY_ROLE[role]
    account = accounts.authenticate(engine, user, DEMO_PASSWORD, demo_mode=True)
    assert account.role == role
    granted, refused = [], []
    for name, (permission, call) in _writes(engine, user, tmp_path).items():
        before, seen = _count(engine), _audit(engine, user)["id"].max()
        if permission in ROLE_PERMISSIONS[role]:
            call()
            after = _audit(engine, user)
            assert (after["id"] > (seen or 0)).any() and "refused" not in set(after[after["id"] > (seen or 0)]["action"]), name
            granted.append(name)
            continue
        with pytest.raises(PermissionDenied) as refusal:
            call()
        message = str(refusal.value)
        assert account.display_name in message and ROLES[role] in message and PERMISSIONS[permission] in message, message
        entry = _audit(engine, user).iloc[-1]
        assert (entry["action"], entry["entity"], entry["new"]["refused"]) == ("refused", permission, message), name
        set_up = name in {"edit_comment", "update_action_item", "delete_scenario", "promote_scenario",
                          "save_artifact", "set_benefit", "decide_tollgate"}
        assert _count(engine) == before + set_up, name   # nothing but the row the call needed
        refused.append(name)
    assert granted and (refused or role == "admin")


def test_row_rules_refuse_and_are_audited_too(engine):
    pid = _project(engine, "reza")
    with pytest.raises(PermissionDenied, match=r"Leila Moradi .* may not work on a Six Sigma project: only the project's belt"):
        projects.save_artifact(engine, "leila", pid, "define", "sipoc", {"rows": [{"process": "Call"}]})
    with pytest.raises(PermissionDenied, match="may not decide a tollgate: only the project's champion, reza"):
        projects.decide_tollgate(engine, "nima", pid, "define", "rework", "Too vague", {})
    assert list(_audit(engine, "nima")["action"])[-1] == "refused"


def test_an_unknown_user_is_refused_and_audited(engine):
    with pytest.raises(PermissionDenied, match="Unknown user 'mallory' may not write comments"):
        discussion.add_comment(engine, "mallory", _kpi(engine), "2026-10", "hi")
    assert list(_audit(engine, "mallory")["action"]) == ["refused"]


def test_the_command_line_writes_as_system_or_as_a_permitted_user(engine, tmp_path, capsys):
    from scorecard.__main__ import main

    path = tmp_path / "MEASUREMENTS.csv"
    path.write_text(f"kpi,period,actual\n{KPI},2026-09,{next(FRESH)}\n")
    url = engine.url.render_as_string(hide_password=False)
    assert main(["import", "--measurements", str(path), "--user", "guest", "--db", url]) == 1
    assert "Guest (read only) (role: Viewer) may not import or change measurements." in capsys.readouterr().err
    assert main(["import", "--measurements", str(path), "--user", "reza", "--db", url]) == 0
    assert _audit(engine, "reza")["entity"].iloc[-1] == "measurement"
    path.write_text(f"kpi,period,actual\n{KPI},2026-09,{next(FRESH)}\n")
    assert main(["import", "--measurements", str(path), "--db", url]) == 0      # no --user: the system user
    entry = _audit(engine, SYSTEM_USER).iloc[-1]       # one import entry, the overwritten actual in it
    assert [entry["action"], entry["entity"], entry["new"]["updated"]] == ["import", "measurement", 1]

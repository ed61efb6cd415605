"""Table edits from the app: the diff is exact and saving is one audited transaction."""

from __future__ import annotations

import pandas as pd
import pytest

from data import repository
from data.demo.catalog import DEMO_USERS
from data.bootstrap import prepare_database
from data.discussion import add_action_item, add_comment, edit_comment, update_action_item
from data.editing import diff_table, save_table_edit
from data.models import Kpi, Objective, Perspective, User
from data.writes import PermissionDenied, write_session


def test_diff_finds_created_updated_and_deleted_rows():
    original = pd.DataFrame({"id": [1, 2, 3], "name": ["a", "b", "c"], "weight": [1.0, 1.0, 1.0]})
    edited = pd.DataFrame({"id": [1, 3, None], "name": ["a", "C", "d"], "weight": [2.0, 1.0, 0.5]})
    edit = diff_table(original, edited, ["name", "weight"])
    assert edit.updated == {1: {"weight": 2.0}, 3: {"name": "C"}}
    assert edit.deleted == [2]
    assert edit.created == [{"name": "d", "weight": 0.5}]


def test_unchanged_table_has_no_edit():
    original = pd.DataFrame({"id": [1], "name": ["a"], "weight": [float("nan")]})
    assert not diff_table(original, original.copy(), ["name", "weight"])


@pytest.fixture()
def engine(tmp_path):
    engine = prepare_database(f"sqlite:///{tmp_path / 'e.db'}", seed_demo=False)
    with write_session(engine, "system", "users.edit") as writer:
        for values in DEMO_USERS:
            writer.create(User, values)
    return engine


def test_saved_edit_appears_in_the_audit_log(engine):
    with write_session(engine, "sara", "scorecard.edit") as writer:
        writer.create(Perspective, {"name": "Financial"})
    original = repository.perspectives(engine)
    edited = original.assign(weight=2.0)
    save_table_edit(engine, "sara", "perspective", diff_table(original, edited, ["weight"]))
    entry = repository.audit_log(engine).iloc[0]
    assert (entry["username"], entry["action"], entry["old"], entry["new"]) == ("sara", "update", {"weight": 1.0}, {"weight": 2.0})


def test_comments_and_action_items_record_author(engine):
    with write_session(engine, "sara", "scorecard.edit") as writer:
        perspective = writer.create(Perspective, {"name": "Customer"})
        objective = writer.create(Objective, {"name": "Delight", "perspective_id": perspective.id})
        writer.create(Kpi, {"name": "NPS", "objective_id": objective.id})
    add_comment(engine, "maryam", 1, "2026-10", "  Red only because of the holiday.  ")
    comment = repository.comments(engine).iloc[0]
    assert (comment["author"], comment["text"], comment["period"]) == ("maryam", "Red only because of the holiday.", "2026-10")
    item = add_action_item(engine, "reza", 1, "2026-10", "Call the top ten complainers", owner="Service")
    update_action_item(engine, "reza", item, {"done": True})
    assert bool(repository.action_items(engine).iloc[0]["done"])
    with pytest.raises(PermissionDenied):
        add_comment(engine, "guest", 1, "2026-10", "hello")
    with pytest.raises(ValueError, match="needs some text"):
        add_comment(engine, "maryam", 1, "2026-10", "   ")


def test_only_the_author_edits_a_comment_and_the_edit_is_audited(engine):
    with write_session(engine, "sara", "scorecard.edit") as writer:
        perspective = writer.create(Perspective, {"name": "Customer"})
        objective = writer.create(Objective, {"name": "Delight", "perspective_id": perspective.id})
        writer.create(Kpi, {"name": "NPS", "objective_id": objective.id})
    comment = add_comment(engine, "maryam", 1, "2026-10", "Red because of the holiday")
    with pytest.raises(PermissionDenied, match="only maryam"):
        edit_comment(engine, "sara", comment, "Not mine to change")
    edit_comment(engine, "maryam", comment, "Red because of the holiday week")
    assert repository.comments(engine).iloc[0]["text"] == "Red because of the holiday week"
    audit = repository.audit_log(engine)
    edit = audit[(audit["entity"] == "comment") & (audit["action"] == "update")].iloc[0]
    assert (edit["username"], edit["old"]["text"], edit["new"]["text"]) == (
        "maryam", "Red because of the holiday", "Red because of the holiday week")

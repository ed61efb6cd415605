"""Data that stays true (issue #21, point 3): bounded finite numbers, plausible months, names without
invisible characters (the Persian ZWNJ kept), and action items changed only by their author, owner or
the strategy team. Checked in the importer, the table editors' rules and the data layer."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from sqlalchemy import select

from data import discussion, editing, repository
from data.bootstrap import prepare_database
from data.models import ActionItem
from data.writes import PermissionDenied
from errors import DomainError
from scorecard import validation
from scorecard.io.importer import ImportValidationError, read_table, validate_kpis, validate_measurements

KPIS = "perspective,objective,kpi,unit,direction,target,weight\nFinancial,Grow revenue,{kpi},$k,higher,100,2\n"


def _measurements(body: str):
    text = "kpi,period,actual\n" + body
    return validate_measurements(read_table(io.BytesIO(text.encode()), "M.csv"), "M.csv")


def _problem(excinfo) -> str:
    (problem,) = excinfo.value.problems
    return f"{problem.row}/{problem.column}: {problem.message}"


@pytest.mark.parametrize("actual, expected", [
    ("1e308", "1e+308 is beyond the accepted range of ±1e+12"),
    ("-1000000000001", "-1e+12 is beyond the accepted range of ±1e+12"),
    ("-inf", "'-inf' is not a finite number"),
    ("nan", "'nan' is not a finite number"),
])
def test_values_are_finite_and_bounded(actual, expected):
    with pytest.raises(ImportValidationError) as excinfo:
        _measurements(f"Revenue,2025-01,{actual}\n")
    assert _problem(excinfo) == f"2/actual: {expected}"


def test_the_bounds_themselves_are_accepted():
    clean = _measurements("Revenue,2025-01,1e12\nRevenue,2025-02,-1e12\nRevenue,1990-01,0\nRevenue,2100-12,1\n")
    assert list(clean["actual"]) == [1e12, -1e12, 0.0, 1.0]
    assert list(clean["period"]) == ["2025-01", "2025-02", "1990-01", "2100-12"]


@pytest.mark.parametrize("period", ["0000-01", "9999-12", "1989-12", "2101-01"])
def test_months_outside_1990_to_2100_are_refused_with_the_range(period):
    with pytest.raises(ImportValidationError) as excinfo:
        _measurements(f"Revenue,{period},1\n")
    assert _problem(excinfo) == f"2/period: '{period}' is outside the accepted months 1990-01 to 2100-12"


@pytest.mark.parametrize("name, code", [("Reve\u202enue", "U+202E"), ("Rev\u200benue", "U+200B"),
                                        ("Revenue\u2066", "U+2066"), ("Re\u0007venue", "U+0007")])
def test_names_with_control_or_format_characters_are_refused(name, code):
    with pytest.raises(ImportValidationError) as excinfo:
        validate_kpis(read_table(io.BytesIO(KPIS.format(kpi=name).encode()), "K.csv"), "K.csv")
    assert _problem(excinfo) == f"2/kpi: holds invisible control or formatting characters ({code}); type the name " \
                                "again without them"


def test_the_persian_zero_width_non_joiner_is_kept():
    name = "رضایت\u200cمشتری"       # ZWNJ between the two words, as Persian writes it
    clean = validate_kpis(read_table(io.BytesIO(KPIS.format(kpi=name).encode()), "K.csv"), "K.csv")
    assert clean.at[0, "kpi"] == name


def test_the_table_editors_rules_check_the_same():
    frame = pd.DataFrame({"name": ["Ok", "B\u202ead"], "weight": [1.0, 1e308]})
    problems = {(p.row, p.column): str(p.message) for p in validation.check(frame, validation.perspective_rules())}
    assert problems == {(2, "name"): "holds invisible control or formatting characters (U+202E); type the name again "
                                     "without them",
                        (2, "weight"): "1e+308 is beyond the accepted range of ±1e+12"}
    targets = pd.DataFrame({"kpi": ["K"], "segment": ["All"], "period": ["0000-01"], "value": [float("-inf")],
                            "baseline": [None], "amber": [None]})
    problems = {(p.row, p.column): str(p.message)
                for p in validation.check(targets, validation.target_rules(["K"], ["All"]))}
    assert problems == {(1, "period"): "'0000-01' is outside the accepted months 1990-01 to 2100-12",
                        (1, "value"): "'-inf' is not a finite number"}


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    engine = prepare_database(f"sqlite:///{tmp_path_factory.mktemp('true') / 'demo.db'}")
    yield engine
    engine.dispose()


def test_the_data_layer_refuses_them_whatever_the_screen(engine):
    target = repository.targets(engine).iloc[0]
    for values, phrase in [({"value": 1e308}, "beyond the accepted range"), ({"value": float("inf")}, "not a finite"),
                           ({"period": "9999-12"}, "outside the accepted months")]:
        with pytest.raises(DomainError, match=phrase):
            editing.save_table_edit(engine, "admin", "target", editing.TableEdit(updated={int(target["id"]): values}))
    perspective = repository.scorecard_definition(engine)["perspective_id"].iloc[0]
    with pytest.raises(DomainError, match="U\\+200B"):
        editing.save_table_edit(engine, "admin", "perspective",
                                editing.TableEdit(updated={int(perspective): {"name": "Fin\u200bancial"}}))


def test_only_the_author_the_owner_or_the_strategy_team_change_an_action_item(engine):
    kpi = int(repository.scorecard_definition(engine)["kpi_id"].iloc[0])
    item = discussion.add_action_item(engine, "reza", kpi, "2025-01", "Call the top ten", owner="Leila Moradi")
    with pytest.raises(PermissionDenied, match="only reza, who wrote this action item, its owner or the CRM strategy"):
        discussion.update_action_item(engine, "nima", item, {"done": True})
    with pytest.raises(PermissionDenied):
        discussion.update_action_item(engine, "guest", item, {"done": True})
    discussion.update_action_item(engine, "reza", item, {"text": "Call the top twenty"})        # the author
    discussion.update_action_item(engine, "leila", item, {"due": None})                         # the owner (by name)
    discussion.update_action_item(engine, "sara", item, {"done": True})                         # the strategy team
    owned = discussion.add_action_item(engine, "sara", kpi, "2025-01", "Review", owner="kaveh")
    discussion.update_action_item(engine, "kaveh", owned, {"done": True})                       # owner by user name
    with engine.connect() as connection:
        rows = dict(connection.execute(select(ActionItem.id, ActionItem.done)).all())
    assert rows[item] is True and rows[owned] is True

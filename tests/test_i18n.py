"""Every UI string goes through t() and has a Persian translation."""

from __future__ import annotations

import ast
import json
import string
from pathlib import Path

import pytest

from data import accounts
from data.roles import ROLES
from sixsigma import RULE_DESCRIPTIONS, roadmap, rootcause
from sixsigma.charts import CHART_TITLES
from ui.projects import tools, workspace
from ui.scorecard.strategy_map import EVIDENCE_HEADER, VERDICTS
from ui.scorecard.tables import CORE_HEADER
from ui.spc.panels import KIND_REASONS, RULE_SETS

ROOT = Path(__file__).resolve().parent.parent
UI_FILES = [ROOT / "dashboard.py", *sorted((ROOT / "screens").glob("*.py")), *sorted((ROOT / "ui").rglob("*.py"))]
PERSIAN = json.loads((ROOT / "ui" / "locales" / "fa.json").read_text(encoding="utf-8"))


def translated_literals(path: Path, function: str = "t") -> set[str]:
    """String literals passed as the first argument of ``function(...)`` (t, or tr in figures) in a file."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == function
                and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            found.add(node.args[0].value)
    return found


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("path", UI_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_ui_string_has_a_persian_translation(path):
    missing = sorted(translated_literals(path) - set(PERSIAN))
    assert not missing, f"add to ui/locales/fa.json: {missing}"


def test_translations_keep_their_placeholders():
    wrong = {en: fa for en, fa in PERSIAN.items() if _fields(en) != _fields(fa)}
    assert not wrong


# Values the UI translates dynamically with t(variable).
DYNAMIC = {
    "green", "amber", "red", "none",  # statuses
    "sum", "mean", "last", "ratio",  # aggregation over periods
    "sql", "manual", "import",  # KPI sources
    *ROLES.values(),  # roles
    accounts.WRONG, accounts.NOT_A_USER,  # sign-in refusals
    "active", "closed", "stopped", "approve", "rework", "stop",  # project statuses and tollgate decisions
    "All", "Corporate", "SME", "Retail",  # demo segments
    "h", "customers",  # units shown as words
    "Month", "Quarter", "Year",  # period grains
    "signal", "noise", "too short",  # signal-or-noise verdicts
    "level", "trend", "season", "previous month",  # parts of the signal verdict's pattern (scorecard/signals.py)
}


def test_dynamic_values_have_persian_translations():
    assert not sorted(DYNAMIC - set(PERSIAN))


def test_choice_labels_have_persian_translations():
    labels = {*KIND_REASONS.values(), *RULE_SETS.values(), *VERDICTS.values(), *CORE_HEADER, *EVIDENCE_HEADER}
    assert not sorted(labels - set(PERSIAN))


# Figure labels the chart modules pass through their translator as variables.
FIGURE_LABELS = {*CHART_TITLES.values(), *RULE_DESCRIPTIONS.values(),
                 "Centre", "UCL", "LCL", "Within", "Overall", "LSL", "USL", "Target"}


@pytest.mark.parametrize("module", ["scorecard/charts.py", "scorecard/signal_chart.py", "sixsigma/charts.py",
                                    "sixsigma/msa_charts.py", "sixsigma/doe_charts.py", "scorecard/io/pdf.py"])
def test_figure_labels_have_persian_translations(module):
    labels = translated_literals(ROOT / module, "tr") | FIGURE_LABELS
    assert not sorted(labels - set(PERSIAN))


def test_project_labels_have_persian_translations():
    labels = {*roadmap.TOOL_NAMES.values(), *roadmap.PHASE_NAMES.values(), *rootcause.SIX_M, *tools.TESTS.values(),
              *(item.text for items in roadmap.CHECKLISTS.values() for item in items),
              *workspace.STATE_WORDS.values(), *(d.capitalize() for d in roadmap.DECISIONS),
              *(tools.column_label(c) for columns in tools.TABLE_COLUMNS.values() for c in columns),
              *tools.HEADERS.values(), *tools.SOURCES.values(), *tools.GAGE_ROLES.values(),
              *tools.AGREEMENT_ROLES.values(), *tools.AGREEMENT_KINDS.values(), "unacceptable",
              *(words for _, words in tools.AIAG_VERDICTS), *tools.DESIGNS.values(),
              *tools.SIZES.values(), *tools.SIZE_SENTENCES.values(),
              *tools.CAPABILITY_COLUMNS.values(), "Predicted", "Observed", *tools.DIRECTIONS.values(),
              "Group A", "Group B", *(name for pair in tools.PAIR_NAMES.values() for name in pair)}
    assert not sorted(labels - set(PERSIAN))


def test_demo_people_have_persian_names():
    from data.demo.catalog import DEMO_SCORECARD, DEMO_USERS

    owners = {kpi["owner"] for perspective in DEMO_SCORECARD for objective in perspective["objectives"]
              for kpi in objective["kpis"]}
    assert not sorted(({user["display_name"] for user in DEMO_USERS} | owners) - set(PERSIAN))


def test_the_toolkits_result_tables_have_persian_headers():
    """The attribute agreement table, the DOE run sheet and the effects table: their columns as the screens label
    them (column_label), each with a Persian entry; the effects table's header is a term's estimated effect, not
    the strategy map's "Effect" of a cause (معلول)."""
    import pandas as pd

    from sixsigma import doe, msa
    from ui.projects.tools import improve

    study = pd.DataFrame({"appraiser": ["a", "a", "b", "b"] * 2, "part": [1, 2, 1, 2] * 2,
                          "rating": ["ok", "bad", "ok", "ok", "ok", "bad", "ok", "bad"]})
    agreement = msa.attribute_agreement(study, part="part", appraiser="appraiser", rating="rating")
    effects = doe.effects(pd.DataFrame({"A": [-1, 1, -1, 1], "B": [-1, -1, 1, 1], "response": [1.0, 2, 3, 5]}),
                          "response", ["A", "B"])
    labels = {tools.column_label(c) for c in [*agreement.columns, *tools.ORDER, *effects.columns]}
    assert not sorted(labels - set(PERSIAN))
    assert PERSIAN[improve.ESTIMATED] != PERSIAN["Effect"] and "اثر" in PERSIAN[improve.ESTIMATED]

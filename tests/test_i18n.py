"""Every UI string goes through t() and has a Persian translation."""

from __future__ import annotations

import ast
import json
import string
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UI_FILES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "ui").glob("*.py"))]
PERSIAN = json.loads((ROOT / "ui" / "locales" / "fa.json").read_text(encoding="utf-8"))


def translated_literals(path: Path) -> set[str]:
    """String literals passed as the first argument of t(...) in a file."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "t"
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
    "admin", "strategy", "belt", "executive", "viewer",  # roles
    "All", "Corporate", "SME", "Retail",  # demo segments
    "h", "customers",  # units shown as words
    "Month", "Quarter", "Year",  # period grains
    "⚡ signal", "noise", "too short",  # signal-or-noise verdicts
}


def test_dynamic_values_have_persian_translations():
    assert not sorted(DYNAMIC - set(PERSIAN))

"""The house rules of ARCHITECTURE.md that code can check: front doors, layers, no import circles."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import subprocess
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Dotted paths that ../shared/API.md names (the public contract), reached attribute by attribute as an
# acceptance test would after ``import package.module``.
CONTRACT = [
    "sixsigma.spc.control_chart", "sixsigma.capability.capability", "sixsigma.capability.sigma_level",
    "sixsigma.capability.dpmo", "scorecard.forecast.probability_of_target", "sixsigma.roadmap.PHASES",
    "sixsigma.rootcause.pareto", "sixsigma.rootcause.rpn", "sixsigma.analysis.TestResult",
    "sixsigma.analysis.two_sample_t", "sixsigma.analysis.paired_t", "sixsigma.analysis.one_way_anova",
    "sixsigma.analysis.chi_square", "sixsigma.analysis.two_proportions", "sixsigma.analysis.regression",
    "scorecard.signals.recent_signal",
]
PACKAGES = ["scorecard", "scorecard.io", "sixsigma", "data", "data.demo"]


def test_every_contract_path_resolves_attribute_by_attribute():
    """In a fresh interpreter, as an acceptance test would: ``import package.module`` then ``package.module.name``."""
    lines = [f"import {path.rsplit('.', 1)[0]}" for path in CONTRACT]
    lines += [f"try:\n    assert {path} is not None\nexcept Exception as exc:\n    print({path!r}, repr(exc))"
              for path in CONTRACT]
    result = subprocess.run([sys.executable, "-c", "\n".join(lines)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize("package_name", PACKAGES)
def test_no_package_export_hides_a_submodule(package_name):
    """``from package.module import x`` and ``package.module.x`` must both work: a re-exported
    function named like its module (``sixsigma.capability``) would replace the module attribute."""
    package = importlib.import_module(package_name)
    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package_name}.{info.name}")
        assert isinstance(getattr(package, info.name), types.ModuleType), f"{package_name}.{info.name}"


@pytest.mark.parametrize("package_name", ["scorecard", "scorecard.io", "sixsigma"])
def test_front_door_exports_resolve(package_name):
    package = importlib.import_module(package_name)
    assert package.__all__, f"{package_name} has no __all__"
    missing = [name for name in package.__all__ if not hasattr(package, name)]
    assert not missing, missing


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function (lazy imports count)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle in ``graph``, or None."""
    state: dict[str, str] = {}

    def visit(node: str, trail: list[str]) -> list[str] | None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                return [*trail[trail.index(nxt):], nxt] if nxt in trail else [node, nxt]
            if nxt not in state and (found := visit(nxt, [*trail, nxt])):
                return found
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start, [start])):
            return found
    return None


def test_cycle_finder_finds_a_lazy_circle():
    assert _cycle({"a": {"b"}, "b": {"a"}}) == ["a", "b", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_data_has_no_import_circle_lazy_imports_included():
    files = [p for p in (ROOT / "data").rglob("*.py") if "migrations" not in p.parts]
    modules = {_module_name(p): p for p in files}
    graph = {name: {m for m in _imports(path) if m in modules and m != name} for name, path in modules.items()}
    assert _cycle(graph) is None, " → ".join(_cycle(graph))


@pytest.mark.parametrize("package", ["scorecard", "sixsigma"])
def test_domain_never_imports_streamlit_or_data(package):
    allowed_entry_points = {ROOT / "scorecard" / "__main__.py"}  # the command line wires data/ and the domain
    bad = {}
    for path in (ROOT / package).rglob("*.py"):
        if path in allowed_entry_points:
            continue
        imported = {m.split(".")[0] for m in _imports(path)}
        forbidden = imported & ({"streamlit", "data", "ui"} | ({"scorecard"} if package == "sixsigma" else set()))
        if forbidden:
            bad[_module_name(path)] = sorted(forbidden)
    assert not bad, bad


def test_sqlalchemy_stays_out_of_the_domain_and_the_screens():
    """No SQLAlchemy in scorecard/, sixsigma/ or screens/ (the command line's entry point opens an engine)."""
    bad = []
    for path in [*(ROOT / "scorecard").rglob("*.py"), *(ROOT / "sixsigma").rglob("*.py"), *(ROOT / "screens").glob("*.py")]:
        if path.name == "__main__.py":
            continue
        if any(m.split(".")[0] == "sqlalchemy" for m in _imports(path)):
            bad.append(_module_name(path))
    assert not bad, bad

"""Every sentence scorecard/, sixsigma/ and data/ give a user is a literal template with a Persian entry.

Read from the source with ``ast`` (nothing is imported), the rules are:

1. Every call of ``Message``, ``DomainError``, ``MessageError`` or a subclass of them (found by
   their class definitions) passes a string literal as the template: never an f-string, a variable,
   ``str(exc)`` or a concatenation. The one exception is a module-level name bound to a literal
   (data.accounts' sign-in refusals, which the tests name). Its keywords are exactly the
   template's placeholders. ``ImportValidationError`` is a container: it takes the problems, and
   its own template is the literal its ``super().__init__`` passes.
2. Every template has a fa.json entry with the same placeholders, conversions and format specs.
3. No ``raise`` carries message text any other way: a raised class outside that family takes no
   arguments at all (bare ``raise``, a re-raise and ``raise X from exc`` stay allowed), except the
   ones in :data:`ALLOWED` with their reason; an error built by a helper (``raise _file_error(...)``,
   ``raise DatabaseUnavailable.from_message(...)``) gets no text argument.
4. The helpers that take a problem's reason (:data:`REASONS`) get a Message, never text.

TypeError or NotImplementedError for a programmer's mistake that never reaches a user would go in
:data:`ALLOWED` with that reason; there are none today.
"""

from __future__ import annotations

import ast
import json
import string
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("scorecard", "sixsigma", "data")
SOURCES = sorted(path for package in PACKAGES for path in (ROOT / package).rglob("*.py")
                 if "migrations" not in path.parts)
PERSIAN = json.loads((ROOT / "ui" / "locales" / "fa.json").read_text(encoding="utf-8"))
ROOTS = {"Message", "MessageError", "DomainError"}
CONTAINERS = {"ImportValidationError"}        # built from problems, not from a template
# Raised classes outside the family that may keep an argument: (file, class) → why.
ALLOWED = {
    ("scorecard/__init__.py", "AttributeError"): "the package's lazy names (PEP 562): __getattr__ must raise "
                                                 "AttributeError for a name it lacks; the calling code's mistake",
    ("sixsigma/spc.py", "KeyError"): "ChartSet[name] follows the mapping protocol; a wrong chart name is the "
                                     "calling code's mistake and never reaches a user",
}
# Helpers whose argument at this position (or keyword) is a problem's reason.
REASONS = {"ImportProblem": (3, "message"), "Problem": (2, "message"), "add": (2, "message"),
           "_file_error": (1, "message")}


def _trees() -> dict[str, ast.Module]:
    return {path.relative_to(ROOT).as_posix(): ast.parse(path.read_text(encoding="utf-8")) for path in SOURCES}


TREES = _trees()


def _name(node: ast.AST) -> str | None:
    """The called name: ``f`` of ``f(...)`` or ``m.f(...)``."""
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None


def _family(trees: dict[str, ast.Module]) -> set[str]:
    """Message, MessageError, DomainError and every class defined on one of them, however deep."""
    family, grown = set(ROOTS), True
    classes = [node for tree in trees.values() for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
    while grown:
        grown = False
        for node in classes:
            if node.name not in family and any(_name(base) in family for base in node.bases):
                family.add(node.name)
                grown = True
    return family


FAMILY = _family(TREES)


def _constants(tree: ast.Module) -> dict[str, str]:
    """Module-level names bound to a string literal."""
    return {target.id: node.value.value for node in tree.body if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
            for target in node.targets if isinstance(target, ast.Name)}


def _is_text(node: ast.AST) -> bool:
    """Message text made in place: a literal, an f-string, a concatenation, str(), .format() or .join()."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _is_text(node.left) or _is_text(node.right)
    if isinstance(node, ast.Call):
        return _name(node.func) in {"str", "format", "join", "repr"}
    return False


def _templated_calls(path: str, tree: ast.Module):
    """(line, call, template or None) for every call that makes a message: a family class or super().__init__."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name in FAMILY:
            for call in ast.walk(node):
                if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "__init__"
                        and isinstance(call.func.value, ast.Call) and _name(call.func.value.func) == "super"):
                    yield call.lineno, call, _template(call, {})
    constants = _constants(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)) \
                and _name(node.func) in FAMILY - CONTAINERS:
            yield node.lineno, node, _template(node, constants)


def _template(call: ast.Call, constants: dict[str, str]) -> str | None:
    first = call.args[0] if call.args else None
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        return first.value
    if isinstance(first, ast.Name) and first.id in constants:
        return constants[first.id]
    return None


def _placeholders(template: str) -> set[tuple[str, str | None, str]]:
    return {(name, conversion, spec or "") for _, name, spec, conversion in string.Formatter().parse(template)
            if name is not None}


def templates() -> dict[str, str]:
    """Every template in the three packages → where it is (file:line)."""
    found = {}
    for path, tree in TREES.items():
        for line, _, template in _templated_calls(path, tree):
            if template is not None:
                found.setdefault(template, f"{path}:{line}")
    return found


def test_the_packages_make_messages():
    """The scan sees what it should: the family, and hundreds of templates."""
    assert {"DomainError", "ImportValidationError", "PermissionDenied", "StaleEdit", "SignInRefused",
            "RefreshFailed", "DatabaseUnavailable"} <= FAMILY
    assert len(templates()) > 200


def _template_problems(path: str):
    """Rule 1: (line, problem) for each message call without a literal template or with other parameters."""
    for line, call, template in _templated_calls(path, TREES[path]):
        if template is None:
            yield line, "the template is not a string literal"
            continue
        names = {name for name, _, _ in _placeholders(template)}
        if not all(name.isidentifier() for name in names):
            yield line, f"placeholders must be plain names: {template!r}"
        keywords = {keyword.arg for keyword in call.keywords}
        if None not in keywords and keywords != names:
            yield line, f"parameters {sorted(keywords)} but placeholders {sorted(names)}"


def _raise_problems(path: str):
    """Rule 3: (line, problem) for each raise that carries text some other way."""
    for node in ast.walk(TREES[path]):
        if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
            continue
        call, name = node.exc, _name(node.exc.func)
        arguments = [*call.args, *(keyword.value for keyword in call.keywords)]
        if name in FAMILY:
            if name in CONTAINERS and any(_is_text(argument) for argument in arguments):
                yield node.lineno, f"{name} takes problems, not text"
            continue
        helper = bool(name) and name.lstrip("_")[:1].islower()
        if helper or (isinstance(call.func, ast.Attribute) and _name(call.func.value) in FAMILY):
            if any(_is_text(argument) for argument in arguments):      # a helper that builds the error
                yield node.lineno, f"{name}(...) is given message text, not a Message"
            continue
        if arguments and (path, name) not in ALLOWED:
            yield node.lineno, f"raise {name}(...) with a message: use DomainError(template, ...)"


def _reason_problems(path: str):
    """Rule 4: (line, problem) for each problem helper given text as the reason."""
    for node in ast.walk(TREES[path]):
        if isinstance(node, ast.Call) and _name(node.func) in REASONS:
            position, keyword = REASONS[_name(node.func)]
            given = [k.value for k in node.keywords if k.arg == keyword] or node.args[position:position + 1]
            if any(_is_text(argument) for argument in given):
                yield node.lineno, f"{_name(node.func)}(...) is given text as the reason"


RULES = {"literal templates with their parameters": _template_problems,
         "no raise carries text outside a template": _raise_problems,
         "a problem's reason is a Message": _reason_problems}


@pytest.mark.parametrize("path", TREES)
@pytest.mark.parametrize("rule", RULES)
def test_the_source_keeps_the_rule(rule, path):
    wrong = [f"{path}:{line}: {problem}" for line, problem in RULES[rule](path)]
    assert not wrong, "\n".join(wrong)


def test_every_template_has_a_persian_entry_with_the_same_placeholders():
    missing = {template: where for template, where in templates().items() if template not in PERSIAN}
    assert not missing, f"add to ui/locales/fa.json: {missing}"
    different = {template: PERSIAN[template] for template in templates()
                 if _placeholders(template) != _placeholders(PERSIAN[template])}
    assert not different


def test_the_whitelist_is_still_needed():
    raised = {(path, _name(node.exc.func)) for path, tree in TREES.items() for node in ast.walk(tree)
              if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)}
    assert set(ALLOWED) <= raised

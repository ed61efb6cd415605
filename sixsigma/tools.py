"""The project tools, one registry entry each: its name, the phases that offer it, the check its
content passes before it is saved, whether it keeps several results, and the tollgate evidence it
provides. Adding a tool touches two places: an entry in :data:`REGISTRY` and its renderer in
``ui/projects/tools.py`` (``RENDERERS``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from errors import Message
from sixsigma import design, rootcause

ALPHA = 0.05
"""Significance level a p-value must beat to count as evidence (a verified root cause, a real pilot shift)."""


@dataclass(frozen=True)
class Tool:
    """One project tool. Payloads are JSON objects; each entry's comment shows its shape."""

    name: str
    phases: tuple[str, ...]
    check: Callable[[Mapping], object] | None = None
    """Raises DomainError for content that must not be saved (bad ratings, crossed limits, negative counts)."""
    several: bool = False
    """Keeps every result saved (``{"results": [...]}``): a second one does not overwrite the first."""
    cause_p_values: Callable[[Mapping], list] | None = None
    """One result's p-values that may verify a root cause at the Analyze tollgate."""
    gaps: Callable[[Mapping], list[Message]] | None = None
    """What saved content fails to show for its tollgate, beyond being saved."""


def p_value(value) -> float | None:
    """A saved p-value as a float (None when missing or not a number)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number else None


def shown_p(p: float | None) -> float | str:
    """A p-value as a message names it: three significant digits, kept a number so it is written in the reader's
    digits ("—" when missing)."""
    return "—" if p is None else float(f"{p:.3g}")


def _driver_p_values(fit: Mapping) -> list:
    return [term.get("p_value") for term in fit.get("terms") or [] if term.get("term") != "const"]


def _wrong_way(pilot: Mapping) -> Message | None:
    """The pilot's shift when it goes against the KPI's wanted direction (saved with the pilot)."""
    before, after, direction = pilot.get("before") or [], pilot.get("after") or [], pilot.get("direction")
    if not before or not after or direction not in ("higher", "lower"):
        return None
    shift = sum(after) / len(after) - sum(before) / len(before)
    if direction == "higher" and shift < 0:
        return Message("The pilot moved the KPI the wrong way ({shift:+.3g}; it should rise).", shift=shift)
    if direction == "lower" and shift > 0:
        return Message("The pilot moved the KPI the wrong way ({shift:+.3g}; it should fall).", shift=shift)
    return None


def _pilot_gaps(pilot: Mapping) -> list[Message]:
    wrong_way = _wrong_way(pilot)
    if wrong_way is not None:
        return [wrong_way]
    p = p_value(pilot.get("p_value"))
    if p is not None and p < ALPHA:
        return []
    return [Message("The pilot's shift could be chance: its one-sided p-value is {p}, not below {alpha}.",
                    p=shown_p(p), alpha=ALPHA)]


def _closure_gaps(closure: Mapping) -> list[Message]:
    """A benefit typed in, or a KPI shift that could be chance (scorecard.benefit measures it)."""
    if "shift" not in closure:
        return [Message("The verified benefit was typed in, not measured: measure it on the KPI's months before and "
                        "after the change.")]
    p = p_value(closure.get("p_value"))
    if p is None or p >= ALPHA:
        return [Message("The KPI's shift from {change} could be chance: its one-sided p-value is {p}, not below {alpha}.",
                        change=closure.get("change_month", "?"), p=shown_p(p), alpha=ALPHA)]
    return []


def _verification_gaps(verification: Mapping) -> list[Message]:
    """A verification test that does not show the design meets its requirement."""
    p = p_value(verification.get("p_value"))
    if p is not None and p < ALPHA:
        return []
    return [Message("The verification test does not show the design meets its requirement: its one-sided p-value "
                    "is {p}, not below {alpha}.", p=shown_p(p), alpha=ALPHA)]


def _high_priority_rows(fmea: Mapping) -> list[Mapping]:
    """The FMEA's rows of High action priority (rows whose ratings do not read are left to the table's check)."""
    high = []
    for row in fmea.get("rows") or []:
        try:
            if rootcause.action_priority(int(row["severity"]), int(row["occurrence"]), int(row["detection"])) == "H":
                high.append(row)
        except (KeyError, TypeError, ValueError):
            continue
    return high


def _fmea_gaps(fmea: Mapping) -> list[Message]:
    """High action-priority failure modes without an action, or not rated again after it."""
    high = _high_priority_rows(fmea)
    without_action = [str(row.get("failure_mode") or "?") for row in high if not str(row.get("action") or "").strip()]
    not_reassessed = [str(row.get("failure_mode") or "?") for row in high if not rootcause.is_reassessed(row)]
    gaps = []
    if without_action:
        gaps.append(Message("Give each High action-priority failure mode an action: {modes}.", modes=without_action))
    if not_reassessed:
        gaps.append(Message("Give each High action-priority failure mode its revised severity, occurrence and "
                            "detection after the action: {modes}.", modes=not_reassessed))
    return gaps


def _rows(check: Callable[[list], object]) -> Callable[[Mapping], object]:
    return lambda payload: check(payload.get("rows") or [])


# In the order the workspace shows a phase's tools.
REGISTRY: dict[str, Tool] = {
    "charter": Tool("Charter", ("define",)),                                   # business_case, problem, …, ctqs
    "sipoc": Tool("SIPOC", ("define",)),                                       # rows
    "data_collection_plan": Tool("Data collection plan", ("measure",)),        # rows
    "sample_size": Tool("Power and sample size", ("measure",), several=True),  # results: test, inputs, n, sentence
    "gage_rr": Tool("Gage R&R", ("measure",), several=True),                   # results: file, rows, tolerance, …
    "attribute_agreement": Tool("Attribute agreement", ("measure",), several=True),  # results: file, table
    "baseline": Tool("Baseline", ("measure",)),                                # the KPI's baseline in words
    "pareto": Tool("Pareto chart", ("analyze",), lambda payload: rootcause.pareto(payload.get("counts") or {})),
    "fishbone": Tool("Cause-and-effect (fishbone)", ("analyze",),              # problem, causes by 6M
                     lambda payload: rootcause.fishbone(payload.get("causes") or {})),
    "five_whys": Tool("5 Whys", ("analyze",),                                  # problem, whys, root_cause
                      lambda payload: rootcause.five_whys(payload.get("problem", ""), payload.get("whys") or [])),
    "hypothesis_test": Tool("Hypothesis test", ("analyze",), several=True,     # results: test, p_value, sentence
                            cause_p_values=lambda test: [test.get("p_value")]),
    "regression": Tool("Regression", ("analyze",), several=True,               # results: sentences, terms, n
                       cause_p_values=_driver_p_values),
    "solutions": Tool("Candidate solutions", ("improve",)),                    # rows
    "ctq_tree": Tool("CTQ tree", ("design",), _rows(design.ctq_tree)),         # rows
    "qfd": Tool("House of quality (QFD)", ("design",)),                        # needs, characteristics, relations
    "doe": Tool("Design of experiments", ("improve", "design")),            # factors, runs, aliases, results
    "fmea": Tool("FMEA", ("improve", "design"), _rows(rootcause.fmea_table), gaps=_fmea_gaps),   # rows
    "pilot": Tool("Pilot before/after", ("improve", "verify"), gaps=_pilot_gaps),  # before, after, p_value, cpk
    "verification": Tool("Design verification", ("verify",), gaps=_verification_gaps),  # limits, capability, test
    "control_plan": Tool("Control plan", ("control", "verify")),               # rows
    "response_plan": Tool("Response plan", ("control",)),                      # text
    "closure": Tool("Closure and verified benefit", ("control", "verify"), gaps=_closure_gaps),
    # verified_benefit, note, finance_partner; measured: change_month, before/after means, shift, p_value, benefit …
}


def tools_of(phase: str) -> tuple[str, ...]:
    """The tools a phase offers, in the order they are shown."""
    return tuple(kind for kind, tool in REGISTRY.items() if phase in tool.phases)


def results(payload: Mapping | None) -> list[dict]:
    """The results a tool that keeps several holds, oldest first; a payload saved before tools kept several
    (the one result itself) is a list of one, so nothing saved earlier is lost."""
    if not payload:
        return []
    if "results" in payload:
        return [dict(result) for result in payload["results"] or []]
    return [dict(payload)]


def has_content(kind: str, payload: Mapping | None) -> bool:
    """Whether a tool's payload holds something (a tool that keeps several: at least one result)."""
    tool = REGISTRY.get(kind)
    return bool(results(payload)) if tool is not None and tool.several else bool(payload)


def check(kind: str, payload: Mapping) -> None:
    """The tool's check of content about to be saved (DomainError when it must not be)."""
    tool = REGISTRY[kind]
    if tool.check is not None:
        tool.check(payload)

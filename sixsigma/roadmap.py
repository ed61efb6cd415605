"""Six Sigma project roadmaps: DMAIC and DFSS (DMADV) phases, their tools and tollgates.

A project moves through its kind's phases in order. Each phase holds artifacts (the tools'
results, by artifact kind) and ends at a tollgate: a checklist and a decision, ``approve``
(the next phase opens), ``rework`` (stay) or ``stop`` (the project ends). A phase can be
approved only when :func:`tollgate_gaps` finds nothing missing: every checklist item ticked
and every required artifact present (for Define, a charter with every required field; for
the last phase, a verified benefit). Rework and stop need a reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from errors import DomainError, Message
from sixsigma.tools import ALPHA, REGISTRY, has_content, p_value, results, shown_p, tools_of

PHASES: dict[str, tuple[str, ...]] = {
    "dmaic": ("define", "measure", "analyze", "improve", "control"),
    "dfss": ("define", "measure", "analyze", "design", "verify"),
}
KINDS = tuple(PHASES)
DECISIONS = ("approve", "rework", "stop")
OVERRIDE = "override"
"""Checklist key: the champion approves without the evidence the tools should show, the reason recorded."""

# The artifact kinds each phase offers (its tools), from the tool registry (sixsigma.tools).
TOOLS: dict[str, tuple[str, ...]] = {phase: tools_of(phase) for phases in PHASES.values() for phase in phases}

# Artifacts a phase's tollgate needs; one of each tuple is enough.
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "define": (("charter",), ("sipoc",)),
    "measure": (("data_collection_plan",), ("baseline",)),
    "analyze": (("pareto", "fishbone", "five_whys"), ("hypothesis_test", "regression")),
    "improve": (("solutions",), ("fmea",), ("pilot",)),
    "design": (("ctq_tree",), ("qfd",)),
    "control": (("control_plan",), ("response_plan",), ("closure",)),
    "verify": (("pilot", "verification"), ("control_plan",), ("closure",)),
}

CHARTER_REQUIRED = ("business_case", "problem", "goal", "scope_in", "scope_out", "ctqs", "champion", "black_belt")


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    text: str


CHECKLISTS: dict[str, tuple[ChecklistItem, ...]] = {
    "define": (ChecklistItem("smart", "Problem and goal statements are specific, measurable and time-bound"),
               ChecklistItem("scope", "Scope (in and out) agreed with the champion"),
               ChecklistItem("team", "Team named with its roles and time committed"),
               ChecklistItem("baseline", "Linked KPI and its baseline recorded")),
    "measure": (ChecklistItem("plan", "Data collection plan agreed (what, how, who, how often)"),
                ChecklistItem("stable", "Baseline control chart reviewed: special causes explained"),
                ChecklistItem("capability", "Baseline capability or sigma level recorded")),
    "analyze": (ChecklistItem("causes", "Potential causes listed and narrowed to the vital few"),
                ChecklistItem("verified", "Root causes verified with data (a test or a regression)")),
    "improve": (ChecklistItem("selected", "Solutions chosen on effort and impact"),
                ChecklistItem("risks", "FMEA done; high action priorities have actions and revised ratings"),
                ChecklistItem("piloted", "Pilot shows a shift that is unlikely to be chance")),
    "design": (ChecklistItem("ctqs", "Customer needs translated into CTQs with targets and limits"),
               ChecklistItem("qfd", "Design characteristics ranked by the house of quality"),
               ChecklistItem("risks", "Design FMEA done; high action priorities have actions and revised ratings")),
    "control": (ChecklistItem("plan", "Control plan in place (what, how often, who, reaction)"),
                ChecklistItem("owner", "Process owner has taken over the control chart"),
                ChecklistItem("benefit", "Benefit verified with the finance partner")),
    "verify": (ChecklistItem("capable", "Pilot capability meets the CTQ limits"),
               ChecklistItem("plan", "Control plan handed over to the process owner"),
               ChecklistItem("benefit", "Benefit verified with the finance partner")),
}

PHASE_NAMES = {phase: phase.capitalize() for phases in PHASES.values() for phase in phases}
TOOL_NAMES = {kind: tool.name for kind, tool in REGISTRY.items()}


def check_kind(kind: str) -> tuple[str, ...]:
    """The phases of a project kind; ValueError for an unknown kind."""
    if kind not in PHASES:
        raise DomainError("A project is DMAIC or DFSS ({kinds}), not {kind!r}.", kinds=list(KINDS), kind=kind)
    return PHASES[kind]


def check_phase(kind: str, phase: str) -> str:
    """``phase`` when it belongs to ``kind``; ValueError otherwise."""
    if phase not in check_kind(kind):
        raise DomainError("A {kind} project has no {phase!r} phase.", kind=kind.upper(), phase=phase)
    return phase


def next_phase(kind: str, phase: str) -> str | None:
    """The phase after ``phase`` (None after the last)."""
    phases = check_kind(kind)
    position = phases.index(check_phase(kind, phase))
    return phases[position + 1] if position + 1 < len(phases) else None


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, (list, tuple, dict)) and not any(not _blank(v) for v in (value.values() if isinstance(value, dict) else value)))


def missing_charter_fields(charter: Mapping) -> list[str]:
    """Required charter fields that are empty (blank text or an empty list count as empty)."""
    return [name for name in CHARTER_REQUIRED if _blank(charter.get(name))]


def _smallest_p(artifacts: Mapping[str, Mapping]) -> float | None:
    """The smallest p-value among every saved result of the tools that may verify a root cause."""
    found = [p_value(p) for kind, tool in REGISTRY.items() if tool.cause_p_values
             for result in results(artifacts.get(kind)) for p in tool.cause_p_values(result)]
    found = [p for p in found if p is not None]
    return min(found) if found else None


def evidence_gaps(phase: str, artifacts: Mapping[str, Mapping]) -> list[Message]:
    """What the saved tools fail to show, beyond their being saved: a root cause verified at p < α, a
    pilot whose shift is unlikely to be chance, an action for every High action-priority failure mode."""
    gaps = []
    verifiers = [kind for kind, tool in REGISTRY.items() if tool.cause_p_values]
    if phase == "analyze" and any(has_content(kind, artifacts.get(kind)) for kind in verifiers):
        best = _smallest_p(artifacts)
        if best is None or best >= ALPHA:
            gaps.append(Message("No saved test or regression verifies a root cause: the smallest p-value is {p}, "
                                "not below {alpha}.", p=shown_p(best), alpha=ALPHA))
    for kind, payload in artifacts.items():
        tool = REGISTRY.get(kind)
        if tool is not None and tool.gaps is not None and has_content(kind, payload):
            gaps += tool.gaps(payload)
    return gaps


def tollgate_gaps(kind: str, phase: str, artifacts: Mapping[str, Mapping], checklist: Mapping[str, bool],
                  verified_benefit: float | None = None, *, override: bool = False) -> list[Message]:
    """Plain reasons the phase's tollgate cannot be approved yet (empty when it can).

    ``artifacts`` maps artifact kinds saved in this phase to their content. ``override``: the
    champion approves without the evidence (:func:`evidence_gaps`), with a reason recorded.
    """
    check_phase(kind, phase)
    gaps = [Message("Tick “{item}”.", item=item.text) for item in CHECKLISTS[phase] if not checklist.get(item.key)]
    if not override:
        gaps += evidence_gaps(phase, artifacts)
    for options in REQUIRED[phase]:
        if not any(has_content(option, artifacts.get(option)) for option in options):
            gaps.append(Message("Save the {tools: or the }.", tools=[TOOL_NAMES[o] for o in options]))
    charter = artifacts.get("charter")
    if phase == "define" and charter:
        missing = missing_charter_fields(charter)
        if missing:
            gaps.append(Message("Fill in the charter's {fields}.", fields=[name.replace('_', ' ') for name in missing]))
    if next_phase(kind, phase) is None and verified_benefit is None:
        gaps.append(Message("Record the verified benefit before closing the project."))
    elif next_phase(kind, phase) is None and verified_benefit <= 0:
        gaps.append(Message("A verified benefit of {benefit:g} is no benefit: record what the change brought.",
                            benefit=verified_benefit))
    return gaps


def check_decision(decision: str, reason: str, gaps: list[Message]) -> None:
    """Refuse a decision that does not make sense: approval with gaps, rework or stop without a reason."""
    if decision not in DECISIONS:
        raise DomainError("A tollgate decision is approve, rework or stop, not {decision!r}.", decision=decision)
    if decision == "approve" and gaps:
        raise DomainError("The tollgate cannot be approved yet: {gaps: }", gaps=list(gaps))
    if decision != "approve" and not (reason or "").strip():
        raise DomainError("Say why the phase needs to {decision}.", decision=decision)


def phase_states(kind: str, current: str, status: str) -> dict[str, str]:
    """Each phase's state: ``done`` (approved), ``open`` (the current one), ``locked`` or ``stopped``."""
    phases = check_kind(kind)
    position = phases.index(check_phase(kind, current))
    states = {}
    for index, phase in enumerate(phases):
        if index < position or (status == "closed" and index == position):
            states[phase] = "done"
        elif index == position:
            states[phase] = "stopped" if status == "stopped" else "open"
        else:
            states[phase] = "locked"
    return states


def duration_warning(start: date, planned_end: date) -> Message | None:
    """A warning when the planned duration is outside the usual 3–9 months; ValueError if it ends first."""
    if planned_end <= start:
        raise DomainError("The planned end must come after the start.")
    months = (planned_end - start).days / 30.44
    if months < 3:
        return Message("Planned for {months:.1f} months: most Six Sigma projects need 3 to 9.", months=months)
    if months > 9:
        return Message("Planned for {months:.1f} months: most Six Sigma projects take 3 to 9; consider splitting it.",
                       months=months)
    return None


def is_overrun(planned_end: date, today: date, status: str) -> bool:
    """Whether an active project is past its planned end."""
    return status == "active" and today > planned_end

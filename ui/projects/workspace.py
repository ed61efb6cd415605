"""A project's workspace: its header, the roadmap as a stepper, each phase's tools and its tollgate."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from data.projects import decide_tollgate
from scorecard import unit_name
from sixsigma import roadmap
from sixsigma.tools import has_content
from ui.core.format import date_label, moment_label, number, user_names
from ui.core.i18n import language, localized, t
from ui.core.messages import explain
from ui.core.writing import write
from ui.projects import loaders as project_loaders
from ui.projects import tools

STATE_BADGE = {"done": ":green-badge[{}]", "open": ":blue-badge[{}]", "locked": ":gray-badge[{}]",
               "stopped": ":red-badge[{}]"}
STATE_WORDS = {"done": "approved", "open": "open", "locked": "locked", "stopped": "stopped"}


def project_picker(key: str) -> int | None:
    """Pick a project (the one opened from the portfolio, or the first)."""
    projects = project_loaders.portfolio()
    if projects.empty:
        st.info(t("No project yet: start one on the Projects page."))
        return None
    labels = {int(r["id"]): f"{r['title']} · {r['kind'].upper()}" for _, r in projects.iterrows()}  # stable as phases move
    if st.session_state.get(key) not in labels:
        st.session_state[key] = next(iter(labels))
    return st.selectbox(t("Project"), list(labels), format_func=labels.get, key=key)


def _name(username: str) -> str:
    return user_names().get(username, username)


def header(project: dict) -> None:
    """Kind, KPI, segment, people, dates and benefits; an overrun or an unusual length is flagged."""
    st.caption(t("{kind} · KPI: {kpi} · segment: {segment} · belt: {belt} · champion: {champion}",
                 kind=project["kind"].upper(), kpi=localized(project, "kpi") if project.get("kpi") else "—",
                 segment=t(project["segment"] or "All"),
                 belt=_name(project["belt"]), champion=_name(project["champion"])))
    columns = st.columns(4)
    columns[0].metric(t("Status"), t(project["status"]))
    columns[1].metric(t("Planned end"), date_label(project["planned_end"]))
    thousands = unit_name("$k", language())         # in the label: "180.0 هزار دلار" was cut off in a quarter column
    columns[2].metric(t("Expected benefit ({unit})", unit=thousands), number(project["expected_benefit"]))
    columns[3].metric(t("Verified benefit ({unit})", unit=thousands), number(project["verified_benefit"]))
    if roadmap.is_overrun(project["planned_end"], date.today(), project["status"]):
        st.warning(t("This project is past its planned end ({end}).", end=project["planned_end"]), icon=":material/schedule:")
    warning = roadmap.duration_warning(project["start"], project["planned_end"])
    if warning:
        st.caption(explain(warning))
    others = project_loaders.workspace(int(project["id"])).others_on_kpi
    if others and project["status"] == "active":
        st.warning(t("Another active project works on the same KPI and segment: {titles}. Coordinate, so that "
                     "both do not claim the same change.", titles=", ".join(others)), icon=":material/group_work:")


def stepper(project: dict) -> dict[str, str]:
    """The roadmap's phases with their state; returns the states."""
    states = roadmap.phase_states(project["kind"], project["phase"], project["status"])
    columns = st.columns(len(states))
    for column, (phase, state) in zip(columns, states.items()):
        column.markdown(f"**{t(phase.capitalize())}**  \n" + STATE_BADGE[state].format(t(STATE_WORDS[state])))
    return states


def phase_tools(project: dict, phase: str, artifacts: dict, editable: bool) -> None:
    """Each of the phase's tools in an expander: saved content, and the form when the phase is open."""
    for kind in roadmap.TOOLS[phase]:
        saved = artifacts.get(f"{phase}/{kind}")
        mark = "✓ " if has_content(kind, saved) else ""
        with st.expander(mark + t(roadmap.TOOL_NAMES[kind]), expanded=editable and not mark):
            tools.RENDERERS[kind](project, phase, kind, saved, editable)


def tollgate(project: dict, phase: str, artifacts: dict, may_decide: bool) -> None:
    """The open phase's checklist, what is still missing, and the decision form for the champion (``may_decide``)."""
    st.subheader(t("{phase} tollgate", phase=t(phase.capitalize())))
    st.caption(t("Only the champion, {name}, may decide this tollgate.", name=_name(project["champion"])))
    saved = {key.split("/", 1)[1]: value for key, value in artifacts.items() if key.startswith(f"{phase}/")}
    if not may_decide:
        return
    evidence = roadmap.evidence_gaps(phase, saved)
    with st.form(f"tollgate_{project['id']}_{phase}", enter_to_submit=False, clear_on_submit=True):
        checklist = {item.key: st.checkbox(t(item.text), key=f"check_{project['id']}_{phase}_{item.key}")
                     for item in roadmap.CHECKLISTS[phase]}
        if evidence:
            checklist[roadmap.OVERRIDE] = st.checkbox(
                t("Approve without this evidence: {gaps} (say why below; the reason is recorded)",
                  gaps=" ".join(explain(g) for g in evidence)), key=f"override_{project['id']}_{phase}")
        decision = st.radio(t("Decision"), roadmap.DECISIONS, format_func=lambda d: t(d.capitalize()), horizontal=True,
                            index=None, key=f"decision_{project['id']}_{phase}")
        reason = st.text_input(t("Why (needed for rework, stop or an approval without the evidence)"),
                               key=f"reason_{project['id']}_{phase}")
        submitted = st.form_submit_button(t("Record the decision"), type="primary")
    verified = project["verified_benefit"] if pd.notna(project["verified_benefit"]) else None
    gaps = roadmap.tollgate_gaps(project["kind"], phase, saved, checklist, verified,
                                 override=bool(checklist.get(roadmap.OVERRIDE)) and bool(reason.strip()))
    if gaps:
        st.caption(t("Still missing for approval:") + "\n" + "\n".join(f"- {explain(g)}" for g in gaps))
    if submitted and decision is None:
        st.error(t("Choose approve, rework or stop."))
    elif submitted and write(decide_tollgate, int(project["id"]), phase, decision, reason, checklist):
        _clear_decision_form(int(project["id"]), phase)
        st.toast(t("Decision recorded."))
        st.rerun()


def _clear_decision_form(project_id: int, phase: str) -> None:
    """Forget the tollgate form's answers, so the next decision starts from an empty form."""
    own = tuple(f"{name}_{project_id}_{phase}" for name in ("check", "override", "decision", "reason"))
    for key in [key for key in st.session_state if str(key).startswith(own)]:
        del st.session_state[key]


def decisions(detail: dict) -> None:
    """Every tollgate decision so far: phase, decision, who, when, why."""
    rows = pd.DataFrame(detail["tollgates"])
    if rows.empty:
        st.caption(t("No tollgate decided yet."))
        return
    names = user_names()
    shown = rows.assign(phase=rows["phase"].map(lambda p: t(p.capitalize())),
                        decision=rows["decision"].map(lambda d: t(d.capitalize())),
                        decided_by=rows["decided_by"].map(lambda u: names.get(u, u)),
                        decided_at=rows["decided_at"].map(moment_label))
    st.dataframe(shown[["phase", "decision", "decided_by", "decided_at", "reason"]], hide_index=True, width="stretch",
                 column_config={"phase": t("Phase"), "decision": t("Decision"), "decided_by": t("Decided by"),
                                "decided_at": t("When"),
                                "reason": t("Why")})


def phase_view(detail: dict, states: dict[str, str]) -> None:
    """The chosen phase (the open one to start with): its tools, editable when open, then its tollgate."""
    project = detail["project"]
    reachable = [phase for phase, state in states.items() if state != "locked"]
    key, seen = f"phase_{project['id']}", f"phase_seen_{project['id']}"
    if st.session_state.get(key) not in reachable or st.session_state.get(seen) != project["phase"]:
        st.session_state[key] = project["phase"]          # a new phase opened: show it
    st.session_state[seen] = project["phase"]
    phase = st.segmented_control(t("Phase"), reachable, format_func=lambda p: t(p.capitalize()), key=key)
    if phase is None:
        return
    allowed = project_loaders.workspace(int(project["id"])).allowed
    editable = states[phase] == "open" and allowed["edit"]
    if states[phase] != "open":
        st.caption(t("Approved phases are read-only."))
    elif not editable:
        st.caption(":material/lock: " + t("Only the project's belt ({belt}) or its team may change it; you can read "
                                          "every tool.", belt=_name(project["belt"])))
    phase_tools(project, phase, detail["artifacts"], editable)
    st.session_state[tools.SHOWN] = {project["id"]: project["artifact_versions"]}  # what the next save was based on
    if states[phase] == "open":
        tollgate(project, phase, detail["artifacts"], allowed["decide"])
